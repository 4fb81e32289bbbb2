"""Write a :class:`~chibo.demo.plan.Plan` to the database, in one transaction.

The district tree goes through the organisation services (so its history has audit rows, like a
real one); the province tree is bulk-created with the same invariants (paths, depths, periods).
Members and their periods are bulk-created: the member services write an audit row per change,
which is right for people and far too slow for 100,000 members. One audit row records the load.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from chibo.accounts import services as account_services
from chibo.accounts.models import User
from chibo.core import audit
from chibo.core.models import OPEN
from chibo.core.text import fold
from chibo.demo.followups import load_followups
from chibo.demo.lifecycles import load_lifecycles, prepare
from chibo.demo.meetings import Tables, load_meetings
from chibo.demo.personas import DEMO_PASSWORD, PERSONAS
from chibo.demo.plan import Change, Dissolve, Merge, Move, OrgSpec, Plan
from chibo.members.models import CommunityPosition, Member, Membership, Position, StatusPeriod
from chibo.orgs import services as org_services
from chibo.orgs.models import CELL_KINDS, Organisation, OrgVersion, path_segment

BATCH = 5000


class DemoRefused(Exception):
    """The database is not empty (or a persona's user name is taken)."""


def database_is_empty() -> bool:
    return not Organisation.objects.exists()


def load(plan: Plan, *, tree_by_services: bool, log: Callable[[str], None] = lambda _m: None) -> dict[str, Any]:
    """Write ``plan``; returns figures and timings. Refuses a database that already has organisations."""
    if not database_is_empty():
        raise DemoRefused("Cơ sở dữ liệu đã có tổ chức; dữ liệu mẫu chỉ nạp vào cơ sở dữ liệu trống.")
    taken = list(User.objects.filter(username__in=list(PERSONAS)).values_list("username", flat=True))
    if taken:
        raise DemoRefused(f"Tên đăng nhập đã có: {', '.join(sorted(taken))}.")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    with transaction.atomic():
        prepared = prepare(plan)  # before the members: lifecycles' statuses and memberships
        orgs = _tree_by_services(plan) if tree_by_services else _tree_bulk(plan)
        timings["tree"] = time.perf_counter() - started
        log(f"  cây tổ chức: {len(orgs)} tổ chức ({timings['tree']:.1f} s)")
        members = _members(plan, orgs, log=log)
        timings["members"] = time.perf_counter() - started - timings["tree"]
        _personas(plan, orgs, members)
        started_meetings = time.perf_counter()
        kept: list[Tables] = []
        meeting_rows = load_meetings(plan, orgs=orgs, members=members, log=log, keep=kept)
        timings["meetings"] = time.perf_counter() - started_meetings
        started_followups = time.perf_counter()
        followup_rows = load_followups(plan, meetings=kept[0], orgs=orgs, members=members, log=log)
        timings["followups"] = time.perf_counter() - started_followups
        started_lifecycles = time.perf_counter()
        lifecycle_rows = load_lifecycles(plan, prepared, orgs=orgs, members=members, log=log)
        timings["lifecycles"] = time.perf_counter() - started_lifecycles
        root = orgs[0]
        figures = {
            "scale": plan.scale,
            "seed": plan.seed,
            "today": plan.today.isoformat(),
            "organisations": len(orgs),
            "members": len(members),
            "meetings": meeting_rows.get("meetings.Meeting", 0),
            "attendance": meeting_rows.get("meetings.Attendance", 0),
            "tasks": followup_rows.get("membertasks.Task", 0),
            "task_reports": followup_rows.get("membertasks.TaskReport", 0),
            "petitions": followup_rows.get("petitions.Petition", 0),
            "briefings": followup_rows.get("briefings.Briefing", 0),
            "inspection_items": followup_rows.get("inspections.InspectionItem", 0),
            "candidates": lifecycle_rows.get("admissions.Candidate", 0),
            "probation_cases": lifecycle_rows.get("probation.ProbationCase", 0),
            "transfers": lifecycle_rows.get("transfers.Transfer", 0),
            "dues_months": lifecycle_rows.get("dues.DuesMonth", 0),
            "dues_receipts": lifecycle_rows.get("dues.Receipt", 0),
            "residence_registrations": lifecycle_rows.get("residence.Registration", 0),
            "residential_areas": lifecycle_rows.get("admissions.ResidentialArea", 0),
        }
        audit.record(
            actor=None,
            verb="demo.load",
            obj=root,
            summary=f"Nạp dữ liệu mẫu (quy mô {'huyện' if plan.scale == 'district' else 'tỉnh'}, seed {plan.seed})",
            after=figures,
        )
    # Fresh statistics, so the first queries on 100,000 new rows get good plans.
    if connection.vendor in ("postgresql", "sqlite"):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    timings["total"] = time.perf_counter() - started
    return {**figures, "timings": timings}


# ---------------------------------------------------------------------------------------------
# The tree


def _tree_by_services(plan: Plan) -> dict[int, Organisation]:
    orgs: dict[int, Organisation] = {}
    for spec in plan.orgs:
        if spec.by_op:
            continue
        orgs[spec.key] = org_services.org_create(
            actor=None,
            name=spec.name,
            kind=spec.kind,
            parent=orgs[spec.parent] if spec.parent is not None else None,
            on=spec.founded,
            sector=spec.sector,
            admin_unit=spec.admin_unit,
            area_kind=spec.area_kind,
            area_name=spec.area_name,
            code=spec.code,
        )
    for op in plan.ops:
        if isinstance(op, Merge):
            _merge(plan, orgs, op)
        elif isinstance(op, Move):
            org_services.org_move(actor=None, org=orgs[op.key], new_parent=orgs[op.parent], on=op.on)
        elif isinstance(op, Change):
            _change(orgs[op.key], on=op.on, changes=op.changes)
        elif isinstance(op, Dissolve):
            org_services.org_dissolve(actor=None, org=orgs[op.key], on=op.on)
    return orgs


def _change(org: Organisation, *, on: dt.date, changes: dict[str, str]) -> None:
    current = OrgVersion.objects.get(org=org, valid_to=OPEN)
    changed = {k: v for k, v in changes.items() if getattr(current, k) != v}
    if changed:
        org_services.org_change(actor=None, org=org, on=on, **changed)


def _merge(plan: Plan, orgs: dict[int, Organisation], op: Merge) -> None:
    target = plan.orgs[op.into]
    sources = [orgs[k] for k in op.sources]
    new = target.key not in orgs
    if new:
        assert target.parent is not None
        org = org_services.org_merge(actor=None, sources=sources, on=op.on, name=target.name, parent=orgs[target.parent])
        Organisation.objects.filter(pk=org.pk).update(code=target.code)
        org.code = target.code
        orgs[target.key] = org
    else:
        org_services.org_merge(actor=None, sources=sources, on=op.on, into=orgs[target.key])
    _change(orgs[target.key], on=op.on, changes=_attributes(target))


def _attributes(spec: OrgSpec) -> dict[str, str]:
    return {"kind": spec.kind, "sector": spec.sector, "admin_unit": spec.admin_unit, "area_kind": spec.area_kind, "area_name": spec.area_name}


def _tree_bulk(plan: Plan) -> dict[int, Organisation]:
    assert not plan.ops, "a bulk-created tree has no history operations"
    created = Organisation.objects.bulk_create(
        [Organisation(code=spec.code, founded_on=spec.founded) for spec in plan.orgs], batch_size=BATCH
    )
    orgs = {spec.key: org for spec, org in zip(plan.orgs, created, strict=True)}
    paths: dict[int, str] = {}
    depths: dict[int, int] = {}
    versions = []
    for spec in plan.orgs:  # parents come before their children
        org = orgs[spec.key]
        if spec.parent is None:
            paths[spec.key], depths[spec.key] = "/" + path_segment(org.pk), 0
        else:
            paths[spec.key] = paths[spec.parent] + path_segment(org.pk)
            depths[spec.key] = depths[spec.parent] + 1
        versions.append(
            OrgVersion(
                org=org, name=spec.name, name_folded=fold(spec.name), parent=orgs[spec.parent] if spec.parent is not None else None,
                path=paths[spec.key], depth=depths[spec.key], kind=spec.kind, sector=spec.sector, admin_unit=spec.admin_unit,
                area_kind=spec.area_kind, area_name=spec.area_name, valid_from=spec.founded,
            )
        )
    OrgVersion.objects.bulk_create(versions, batch_size=BATCH)
    return orgs


# ---------------------------------------------------------------------------------------------
# Members


def _members(plan: Plan, orgs: dict[int, Organisation], *, log: Callable[[str], None]) -> list[Member]:
    started = time.perf_counter()
    rows = []
    for p in plan.people:
        full = p.full_name
        rows.append(
            Member(
                surname=p.surname, middle_name=p.middle, given_name=p.given, full_name=full, name_folded=fold(full),
                date_of_birth=p.born, sex=p.sex, admitted_on=p.admitted, official_on=p.official,
                party_card_number=p.card, citizen_id=p.citizen_id, phone=p.phone, ethnicity=p.ethnicity,
                religion=p.religion, hometown=p.hometown, education=p.education, theory_level=p.theory,
                occupation=p.occupation,
            )
        )
    members = Member.objects.bulk_create(rows, batch_size=BATCH)
    log(f"  đảng viên: {len(members)} ({time.perf_counter() - started:.1f} s)")
    ids = [m.pk for m in members]
    org_id = {key: org.pk for key, org in orgs.items()}
    _bulk(
        "quá trình sinh hoạt",
        Membership,
        (Membership(member_id=mid, org_id=org_id[o], valid_from=a, valid_to=b) for mid, p in zip(ids, plan.people, strict=True) for o, a, b in p.memberships),
        log=log,
    )
    _bulk(
        "trạng thái",
        StatusPeriod,
        (StatusPeriod(member_id=mid, status=s, valid_from=a, valid_to=b, note=n) for mid, p in zip(ids, plan.people, strict=True) for s, a, b, n in p.statuses),
        log=log,
    )
    _bulk(
        "chức vụ",
        Position,
        (Position(member_id=mid, org_id=org_id[o], kind=k, valid_from=a, valid_to=b) for mid, p in zip(ids, plan.people, strict=True) for o, k, a, b in p.positions),
        log=log,
    )
    _bulk(
        "chức danh ở khu dân cư",
        CommunityPosition,
        (CommunityPosition(member_id=mid, kind=k, area_name=area, valid_from=a, valid_to=b) for mid, p in zip(ids, plan.people, strict=True) for k, area, a, b in p.community),
        log=log,
    )
    return members


def _bulk(label: str, model: Any, objs: Any, *, log: Callable[[str], None]) -> None:
    started = time.perf_counter()
    batch: list[Any] = []
    total = 0
    for obj in objs:
        batch.append(obj)
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch, batch_size=BATCH)
            total += len(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch, batch_size=BATCH)
        total += len(batch)
    log(f"  {label}: {total} ({time.perf_counter() - started:.1f} s)")


# ---------------------------------------------------------------------------------------------
# Personas


def _personas(plan: Plan, orgs: dict[int, Organisation], members: list[Member]) -> None:
    for username, label in PERSONAS.items():
        index = plan.persona_people.get(username)
        member = members[index] if index is not None else None
        user = account_services.user_create(
            actor=None, username=username, password=DEMO_PASSWORD, display_name=member.full_name if member else label, member=member
        )
        role, key = plan.persona_grants[username]
        org = orgs[key] if key is not None else None
        if org is not None and role in ("member", "secretary"):
            version = OrgVersion.objects.get(org=org, valid_to=OPEN)
            assert version.kind in CELL_KINDS
        account_services.grant_add(actor=None, user=user, role=role, org=org)
