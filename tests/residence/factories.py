"""Residence-contact records built through the services, for tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from chibo.core.dates import today
from chibo.members.models import Member
from chibo.orgs import services as org_services
from chibo.orgs.models import Organisation, OrgKind, Sector
from chibo.residence import services
from chibo.residence.models import ContactMeeting, Registration, ResidenceComment
from tests.factories import START, World, make_member


def agency_cell(parent: Organisation, name: str = "Chi bộ Ủy ban nhân dân xã") -> Organisation:
    return org_services.org_create(actor=None, name=name, kind=OrgKind.CELL, parent=parent, on=START, sector=Sector.AGENCY)


def agency_member(cell: Organisation, *, given_name: str = "Cường", card: str = "12345678") -> Member:
    return make_member(cell, surname="Lê", middle_name="Văn", given_name=given_name, born=dt.date(1982, 3, 3), party_card_number=card)


@dataclass
class ResidenceScene:
    work_cell: Organisation
    member: Member
    registration: Registration
    meeting: ContactMeeting
    comment: ResidenceComment


def register(world: World, member: Member, *, at: Organisation | None = None, category: str = "", on: dt.date | None = None) -> Registration:
    on = on or today()
    return services.registration_create(
        actor=world.users["staff"], registering_org=world.commune, member_id=member.pk, residence_org_id=(at or world.cell).pk,
        introduced_on=on, registered_on=on, category=category, introduction_ref="12-GGT/CB",
    )


def residence_scene(world: World) -> ResidenceScene:
    """An agency cell of the commune whose member is registered at the village cell (Trung Sơn),
    met this half-year and commented on this year."""
    work = agency_cell(world.commune)
    member = agency_member(work)
    day = today()
    registration = register(world, member, on=day)
    meeting = services.contact_meeting_record(actor=world.users["secretary"], org=world.cell, held_on=day, registration_ids=[registration.pk], note="Gặp đầu năm")
    comment = services.comment_save(
        actor=world.users["secretary"], registration=registration, year=day.year, text="Gương mẫu ở khu dân cư.", assessment="good", commented_on=day,
    )
    return ResidenceScene(work_cell=work, member=member, registration=registration, meeting=meeting, comment=comment)
