"""Every URL of chibo, from the URL resolver, against the access policy: one table that must name them all.

How to read and extend RULES
----------------------------
Each line is ``"namespace:name": R(get, post, ...)`` for one URL name of ``get_resolver()`` (every namespace,
``api`` included, and the unnamespaced ones such as ``set_language``). A URL without a line fails
``test_every_url_name_has_a_rule``, naming it: a new route gets its access decided, here, in one line.

- ``get``: the personas whose GET is answered (``get_status``, 200 by default); ``post``: the personas whose
  POST reaches the view (an empty form: anything but 404 and 5xx, and no login redirect; ``post_status``
  asks for an exact status instead). ``None`` = the
  method is not served: 405 for every signed-in persona (the anonymous may get the login refusal first).
- Personas: ``anonymous`` and the six of ``tests.factories.World``: ``member`` and ``secretary`` of
  "Chi bộ thôn Trung Sơn", ``staff`` of its commune, ``province`` (staff of the province), ``admin``, and the
  ``outsider`` (staff of the other commune). Everyone signed in who is not listed gets **404**, exactly like
  a missing object; the anonymous not listed are sent to the login page (the API answers 401).
- ``args``: which object of the scene fills each ``<int:...>`` of the URL; the defaults (``DEFAULT_ARGS``)
  are the cell, its member, and its approved meeting. ``query``: a query string, formatted with the same
  names (``"?org={cell}"``). ``patch``: for the API, the personas whose PATCH reaches the view.
- API URLs (namespace ``api``) are tried with a token (``Authorization: Token``) and with the session.

Each URL with an object id that a signed-in persona gets 404 on is also compared with the same URL for an
id that does not exist: the two answers are the same bytes (once CSRF tokens and the path are left out).
"""

from __future__ import annotations

import re
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import (
    URLPattern,
    URLResolver,
    clear_url_caches,
    get_resolver,
    include,
    path,
    reverse,
)
from rest_framework.authtoken.models import Token

from chibo.core.models import AuditEvent
from chibo.meetings.models import AgendaItem, Material, Meeting, MeetingStatus, UpperAssignment
from chibo.members.models import Member
from chibo.petitions.models import Petition
from chibo.tasks.models import Task, TaskReport
from tests.admissions.factories import admissions_scene
from tests.briefings.factories import briefing_scene
from tests.discipline.factories import discipline_scene
from tests.dues.factories import dues_scene
from tests.factories import World
from tests.inspections.factories import inspection_scene
from tests.meetings.factories import approved_scene
from tests.petitions.factories import at_commune
from tests.residence.factories import residence_scene
from tests.tasks.factories import task_scene
from tests.transfers.factories import in_transit, incoming

ANON = "anonymous"
PERSONAS = ("member", "secretary", "staff", "province", "admin", "outsider")

# Persona sets, for the scene's cell "Chi bộ thôn Trung Sơn" and its commune.
SIGNED_IN = frozenset(PERSONAS)
PUBLIC = SIGNED_IN | {ANON}
CELL = frozenset({"member", "secretary", "staff", "province", "admin"})  # read the cell
MANAGERS = frozenset({"secretary", "staff", "province", "admin"})  # manage the cell
COMMUNE = frozenset({"staff", "province", "admin"})  # the commune's own pages
ADMIN = frozenset({"admin"})
NOBODY: frozenset[str] = frozenset()
REACHED = "reached"


@dataclass(frozen=True)
class R:
    get: frozenset[str] | None
    post: frozenset[str] | None
    args: dict[str, str] = field(default_factory=dict)
    query: str = ""
    get_status: int = 200
    post_status: int | str = REACHED  # what an allowed POST answers: REACHED, or an exact status
    patch: frozenset[str] | None = None
    post_data: tuple[str, ...] = ()  # form fields filled from the scene (see Scene.values)


RULES: dict[str, R] = {
    # core, accounts, i18n
    "core:home": R(SIGNED_IN, None),
    "core:healthz": R(PUBLIC, None),
    "accounts:login": R(PUBLIC, PUBLIC),
    "accounts:logout": R(None, PUBLIC, post_status=302),
    "accounts:users": R(ADMIN, ADMIN),
    "accounts:org_options": R(ADMIN, None),
    "set_language": R(PUBLIC, PUBLIC, get_status=302),
    # organisations
    "orgs:tree_root": R(SIGNED_IN, None, get_status=302),
    "orgs:detail": R(CELL, None),
    "orgs:history": R(CELL, None),
    "orgs:create_child": R(COMMUNE, COMMUNE, args={"org_id": "commune"}),
    "orgs:change": R(COMMUNE, COMMUNE),
    "orgs:move": R(COMMUNE, COMMUNE),
    "orgs:merge": R(COMMUNE, COMMUNE),
    "orgs:split": R(COMMUNE, COMMUNE),
    "orgs:dissolve": R(COMMUNE, COMMUNE),
    # members
    "members:search": R(SIGNED_IN, None),
    "members:create": R(MANAGERS, MANAGERS, query="?org={cell}"),
    "members:export": R(MANAGERS, None, query="?org={cell}"),
    "members:import": R(MANAGERS, MANAGERS, query="?org={cell}"),
    # the empty template holds no party data: whoever manages members somewhere may download it
    "members:import_template": R(MANAGERS | {"outsider"}, None),
    "members:detail": R(CELL, None),
    "members:edit": R(MANAGERS, MANAGERS),
    "members:move": R(MANAGERS, MANAGERS),
    "members:status": R(MANAGERS, MANAGERS),
    "members:positions": R(MANAGERS, MANAGERS),
    "members:history": R(CELL, None),
    # meetings: preparation
    "meetings:cell_meetings": R(CELL, MANAGERS),
    "meetings:meeting_day": R(COMMUNE, COMMUNE, args={"org_id": "commune"}),
    "meetings:detail": R(CELL, None),
    "meetings:edit": R(None, MANAGERS),
    "meetings:move": R(MANAGERS, MANAGERS),
    "meetings:publish": R(MANAGERS, MANAGERS),
    "meetings:agenda_add": R(None, MANAGERS),
    "meetings:agenda_item": R(None, MANAGERS),
    "meetings:material_upload": R(None, MANAGERS),
    "meetings:material_download": R(CELL, None),
    "meetings:material_delete": R(None, MANAGERS),
    "meetings:comment_add": R(None, CELL),
    "meetings:upper_assign": R(COMMUNE, COMMUNE, args={"org_id": "commune"}),
    "meetings:upper_coverage": R(COMMUNE, None, args={"org_id": "commune"}),
    "meetings:terms": R(CELL, MANAGERS),
    "meetings:cells_missing": R(COMMUNE, None, args={"org_id": "commune"}),
    # One's own schedule; recording attendance of an assignment reaches only its attendee (the commune staff).
    "meetings:my_schedule": R(SIGNED_IN, frozenset({"staff"}), post_data=("assignment",)),
    "meetings:notifications": R(SIGNED_IN, SIGNED_IN),
    # meetings: the meeting itself
    "meetings:attendance": R(CELL, None),
    "meetings:record_open": R(None, MANAGERS),
    "meetings:record_mark": R(None, MANAGERS),
    "meetings:record_guests": R(None, MANAGERS),
    "meetings:checkin": R(CELL, CELL),
    "meetings:sync": R(None, SIGNED_IN),  # scoped per tap inside: see tests/meetings/test_outsider_pages.py
    "meetings:minutes": R(CELL, MANAGERS),
    "meetings:record_close": R(None, MANAGERS),
    "meetings:record_approve": R(None, CELL),  # the chair or minute-taker may be any member
    "meetings:resolution": R(CELL, MANAGERS),
    "meetings:record_vote": R(None, MANAGERS),
    "meetings:correction": R(MANAGERS, MANAGERS),
    "meetings:quality": R(CELL, MANAGERS),
    # meetings: documents and statistics
    "meetings:minutes_pdf": R(CELL, None),
    "meetings:minutes_docx": R(CELL, None),
    "meetings:resolution_pdf": R(CELL, None),
    "meetings:resolution_docx": R(CELL, None),
    "meetings:book_pdf": R(CELL, None),
    "meetings:book_docx": R(CELL, None),
    "meetings:stats": R(CELL, None),
    "meetings:stats_xlsx": R(CELL, None),
    # API (token and session); lists are scoped, so every signed-in persona reads its own part
    "api:token": R(None, PUBLIC),
    "api:org-list": R(SIGNED_IN, None),
    "api:org-detail": R(CELL, None),
    "api:org-children": R(CELL, None),
    "api:member-list": R(SIGNED_IN, SIGNED_IN),  # the cell is in the body: see test_api_member_create_scope
    "api:member-detail": R(CELL, None, patch=MANAGERS),
    "api:schema": R(SIGNED_IN, None),
    # petitions: the scene's petition is held by the commune (tests/petitions/factories.at_commune)
    "petitions:cell": R(CELL, None),
    "petitions:inbox": R(SIGNED_IN, None),  # held by my organisations: scoped inside
    "petitions:mine": R(SIGNED_IN, None),
    "petitions:raise": R(frozenset({"member", "secretary"}), frozenset({"member", "secretary"})),  # a member of a cell
    "petitions:at_meeting": R(CELL, MANAGERS),
    "petitions:at_upper": R(frozenset({"staff"}), frozenset({"staff"}), args={"assignment_id": "assignment"}),  # its attendee
    "petitions:detail": R(CELL, None),
    "petitions:send": R(None, MANAGERS),
    "petitions:forward": R(None, frozenset({"staff", "admin"})),  # the people handling it: the holder's own grants
    "petitions:answer": R(None, frozenset({"staff", "admin"})),
    "petitions:return": R(None, frozenset({"staff", "admin"})),
    "petitions:out_of_scope": R(None, frozenset({"staff", "admin"})),
    "petitions:read_out": R(None, MANAGERS),
    "petitions:close": R(None, MANAGERS),
    "petitions:reopen": R(None, MANAGERS),
    # core: the job queue (administrators only)
    "core:jobs": R(ADMIN, ADMIN),
    # core: the scoped pickers' suggestions, for whoever sees the root organisation (members: only those one may see)
    "core:pick_orgs": R(CELL, None, query="?q=trung"),
    "core:pick_members": R(CELL, None, query="?q=dang"),
    # membertasks: reached through the task's cell; an assignee reports (the service refuses the others)
    "tasks:cell_tasks": R(CELL, None),
    "tasks:create": R(MANAGERS, MANAGERS),
    "tasks:mine": R(SIGNED_IN, None),
    "tasks:detail": R(CELL, None),
    "tasks:edit": R(MANAGERS, MANAGERS),
    "tasks:report": R(None, CELL),
    "tasks:check": R(None, MANAGERS),
    "tasks:close": R(MANAGERS, MANAGERS),
    "tasks:reopen": R(None, MANAGERS),
    "tasks:report_file": R(CELL, None),
    # briefings: the commune's (committee staff manage; the cell invited reads one briefing and its record)
    "briefings:org": R(COMMUNE, None, args={"org_id": "commune"}),
    "briefings:plan_year": R(COMMUNE, COMMUNE, args={"org_id": "commune"}),
    "briefings:detail": R(CELL, None),
    "briefings:edit": R(COMMUNE, COMMUNE),
    "briefings:mark": R(None, COMMUNE),
    "briefings:status": R(None, COMMUNE),
    "briefings:item_add": R(None, COMMUNE),
    "briefings:item": R(COMMUNE, COMMUNE),
    "briefings:issue_add": R(None, COMMUNE),
    "briefings:issue": R(COMMUNE, COMMUNE),
    "briefings:pdf": R(CELL, None),
    # inspections: the commune's plan (its staff manage; the cell inspected reads its item)
    "inspections:org": R(COMMUNE, None, args={"org_id": "commune"}),
    "inspections:plan_create": R(None, COMMUNE, args={"org_id": "commune"}),
    "inspections:plan": R(COMMUNE, None),
    "inspections:plan_approve": R(None, COMMUNE),
    "inspections:item_add": R(None, COMMUNE),
    "inspections:item": R(CELL, None),
    "inspections:item_edit": R(COMMUNE, COMMUNE),
    "inspections:item_record": R(COMMUNE, COMMUNE),
    "inspections:follow_up_add": R(None, COMMUNE),
    "inspections:follow_up_close": R(None, COMMUNE),
    # probation: the cell's probationers (its managers), a member's case (read like the record; the cell votes,
    # the commune decides), the commune's pipeline over its subtree
    "probation:cell": R(MANAGERS, None),
    "probation:pipeline": R(COMMUNE, None, args={"org_id": "commune"}),
    "probation:member": R(CELL, None),
    "probation:vote": R(None, MANAGERS),
    "probation:decide": R(None, COMMUNE),
    # followup: the statistics of the four loops, read by whoever reads the organisation (here the cell)
    "followup:stats": R(CELL, None),
    "followup:stats_xlsx": R(CELL, None),
    # links between the loops: a briefing issue becomes a task or a petition (the committee's staff)
    "briefings:issue_convert": R(None, COMMUNE),
    # transfers: reached through the sending and receiving cells (the scene's: cell → cell2, in transit;
    # and one from outside chibo presented at the cell); the outsider's commune is on neither side
    "transfers:org": R(MANAGERS, None),
    "transfers:incoming_create": R(MANAGERS, MANAGERS),
    "transfers:create": R(MANAGERS, MANAGERS),
    "transfers:detail": R(MANAGERS, None),
    "transfers:step": R(None, MANAGERS),
    "transfers:admit": R(MANAGERS, MANAGERS, args={"transfer_id": "incoming_transfer"}),
    "transfers:cancel": R(None, MANAGERS),
    # residence contact: an agency member of the commune registered at the cell (Trung Sơn). The commune's staff
    # register and transfer; the residence cell's managers list, meet and comment; the work side reads; counts for all.
    "residence:register": R(COMMUNE, COMMUNE, args={"org_id": "commune"}),
    "residence:cell": R(MANAGERS, None),
    "residence:meeting_add": R(MANAGERS, MANAGERS),
    "residence:received": R(MANAGERS, None),
    "residence:report": R(CELL, None),
    "residence:report_xlsx": R(CELL, None),
    "residence:registration": R(MANAGERS, None),
    "residence:comment": R(MANAGERS, MANAGERS),
    "residence:end": R(None, MANAGERS),
    "residence:transfer": R(COMMUNE, COMMUNE),
    # discipline: read by those who read the cell's members (not members); a committee above decides removal
    "discipline:org": R(MANAGERS, None),
    "discipline:reconciliations": R(MANAGERS, None),
    "discipline:reconcile": R(MANAGERS, MANAGERS),
    "discipline:exemption_apply": R(MANAGERS, MANAGERS),
    "discipline:removal_propose": R(MANAGERS, MANAGERS),
    "discipline:record_add": R(MANAGERS, MANAGERS),
    "discipline:exemption": R(MANAGERS, None),
    "discipline:exemption_decide": R(None, MANAGERS),
    "discipline:exemption_end": R(None, MANAGERS),
    "discipline:removal": R(MANAGERS, None),
    "discipline:removal_decide": R(None, COMMUNE),
    "discipline:flag": R(MANAGERS, None),
    "discipline:flag_dismiss": R(None, MANAGERS),
    # dues: a member's account (the member and the managers), the cell's collection, the commune's report and region
    "dues:member": R(CELL, None),
    "dues:basis": R(None, MANAGERS),
    "dues:relief": R(None, MANAGERS),
    "dues:receipt_new": R(MANAGERS, MANAGERS),
    "dues:receipt": R(CELL, None),
    "dues:cell": R(MANAGERS, None),
    "dues:remit": R(None, MANAGERS),
    "dues:region": R(COMMUNE, COMMUNE, args={"org_id": "commune"}),
    "dues:report": R(COMMUNE, None, args={"org_id": "commune"}),
    "dues:report_xlsx": R(COMMUNE, None, args={"org_id": "commune"}),
    # admissions: candidates read and recorded through their cell (its secretary and the staff above);
    # the committee's page, quotas and residential areas through the commune
    "admissions:cell": R(MANAGERS, None),
    "admissions:create": R(MANAGERS, MANAGERS),
    "admissions:candidate": R(MANAGERS, None),
    "admissions:step": R(None, MANAGERS),  # the scene's next step is the cell's (the decision: the committee's)
    "admissions:extend": R(None, COMMUNE),  # the deciding committee (the service refuses: not yet at that step)
    "admissions:stop": R(None, MANAGERS),
    "admissions:document": R(MANAGERS, None),
    "admissions:org": R(COMMUNE, None, args={"org_id": "commune"}),
    "admissions:quota": R(None, COMMUNE, args={"org_id": "commune"}),
    "admissions:areas": R(COMMUNE, COMMUNE, args={"org_id": "commune"}),
}

# Which object of the scene fills each URL argument, unless the rule says otherwise.
DEFAULT_ARGS = {
    "org_id": "cell",
    "member_id": "member",
    "meeting_id": "meeting",
    "item_id": "item",
    "material_id": "material",
    "year": "year",
    "petition_id": "petition",
    "task_id": "task",
    "report_id": "task_report",
    "briefing_id": "briefing",
    "bitem_id": "briefing_item",
    "issue_id": "briefing_issue",
    "plan_id": "inspection_plan",
    "pitem_id": "inspection_item",
    "followup_id": "follow_up",
    "transfer_id": "transfer",
    "registration_id": "registration",
    "exemption_id": "exemption",
    "removal_id": "removal",
    "flag_id": "removal_flag",
    "receipt_id": "dues_receipt",
    "candidate_id": "candidate",
    "step_id": "admission_step",
}
MISSING_ID = 987654321
ARG = re.compile(r"<(?:(\w+):)?(\w+)>")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Scene:
    world: World
    meeting: Meeting
    item: AgendaItem
    material: Material
    assignment: UpperAssignment
    petition: Petition
    task: Task
    task_report: TaskReport
    extra: dict[str, int] = field(default_factory=dict)  # the briefing and inspection objects

    def values(self) -> dict[str, int]:
        w = self.world
        return {
            "cell": w.cell.pk,
            "commune": w.commune.pk,
            "other_cell": w.other_cell.pk,
            "member": w.member.pk,
            "secretary_member": w.secretary_member.pk,
            "other_member": w.other_member.pk,
            "meeting": self.meeting.pk,
            "item": self.item.pk,
            "material": self.material.pk,
            "assignment": self.assignment.pk,
            "year": self.meeting.month.year,
            "petition": self.petition.pk,
            "task": self.task.pk,
            "task_report": self.task_report.pk,
            **self.extra,
        }


@pytest.fixture
def scene(world: World) -> Scene:
    """One approved meeting of the cell, with an agenda item, a material and its resolution."""
    built = approved_scene(world)
    task, report = task_scene(world, built.meeting)
    briefings = briefing_scene(world)
    inspections = inspection_scene(world)
    residence = residence_scene(world)
    discipline = discipline_scene(world)
    dues = dues_scene(world)
    admissions = admissions_scene(world)
    extra = {
        "registration": residence.registration.pk,
        "dues_receipt": dues.receipt.pk,
        "briefing": briefings.briefing.pk, "briefing_item": briefings.item.pk, "briefing_issue": briefings.issue.pk,
        "inspection_plan": inspections.plan.pk, "inspection_item": inspections.item.pk, "follow_up": inspections.follow_up.pk,
        "transfer": in_transit(world, member=world.secretary_member).pk, "incoming_transfer": incoming(world).pk,
        "exemption": discipline.exemption.pk, "removal": discipline.removal.pk, "removal_flag": discipline.flag.pk,
        **admissions,
    }
    return Scene(
        world=world, meeting=built.meeting, item=built.item, material=built.material, assignment=built.assignment,
        petition=at_commune(world), task=task, task_report=report, extra=extra,
    )


def url_patterns() -> dict[str, URLPattern]:
    """Every named URL of the project, by its full name (namespace:name), from the root resolver."""
    found: dict[str, URLPattern] = {}
    unnamed: list[str] = []

    def walk(resolver: URLResolver, namespace: str, prefix: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
                walk(entry, inner or "", prefix + str(entry.pattern))
            elif entry.name is None:
                unnamed.append(prefix + str(entry.pattern))
            else:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                assert name not in found, f"two URLs are named {name}"
                found[name] = entry

    walk(get_resolver(), "", "")
    assert not unnamed, f"URLs without a name (give each one a name and a rule): {unnamed}"
    return found


def url_for(name: str, pattern: URLPattern, scene: Scene, *, missing: bool = False) -> str:
    rule = RULES[name]
    values = scene.values()
    kwargs = {}
    for converter, arg in ARG.findall(str(pattern.pattern)):
        key = rule.args.get(arg, DEFAULT_ARGS.get(arg))
        assert key in values and converter in ("", "int"), f"{name}: no scene value for <{converter}:{arg}>"
        kwargs[arg] = MISSING_ID if missing and arg != "year" else values[key]
    return reverse(name, kwargs=kwargs) + rule.query.format(**values)


def is_api(name: str) -> bool:
    return name.startswith("api:")


# Routes that change the client itself (its session, its language): they get fresh clients.
STATEFUL = {"accounts:login", "accounts:logout", "set_language"}


def make_clients(scene: Scene, *, api: bool) -> list[tuple[str, str, Client]]:
    """(persona, how, client) for every persona: anonymous, then each signed in by session (and by token)."""
    result: list[tuple[str, str, Client]] = [(ANON, "anonymous", Client())]
    for persona in PERSONAS:
        user = scene.world.users[persona]
        session = Client()
        session.force_login(user)
        result.append((persona, "session", session))
        if api:
            token, _created = Token.objects.get_or_create(user=user)
            result.append((persona, "token", Client(HTTP_AUTHORIZATION=f"Token {token.key}")))
    return result


def refused_anonymous(name: str, status: int, location: str) -> bool:
    if is_api(name):
        return status == 401
    return status == 302 and "/accounts/login/" in location


def expectation(name: str, allowed: frozenset[str] | None, persona: str, ok: int | str) -> int | str:
    if allowed is None:
        return 405
    if persona in allowed:
        return ok
    return "login" if persona == ANON else 404


def verdict(name: str, expected: int | str, response: Any) -> bool:
    status, location = response.status_code, response.get("Location", "")
    if expected == "login":
        return refused_anonymous(name, status, location)
    if expected == REACHED:
        return status != 404 and status < 500 and not refused_anonymous(name, status, location)
    return status == expected


def unmasked(body: bytes, *paths: str) -> bytes:
    """The page without its CSRF tokens (masked afresh on every response) and without its own path."""
    body = re.sub(rb'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', rb"\1", body)
    for url in paths:
        body = body.replace(url.split("?")[0].encode(), b"")
    return body


def test_every_url_name_has_a_rule() -> None:
    names = set(url_patterns())
    missing = sorted(names - set(RULES))
    assert not missing, f"URLs without an access rule in tests/test_access_matrix.py RULES: {missing}"
    stale = sorted(set(RULES) - names)
    assert not stale, f"rules for URLs that no longer exist: {stale}"


def test_a_new_route_without_a_rule_is_named(settings, monkeypatch) -> None:
    """What a developer sees when adding a URL and no rule: the name of the URL."""
    urlconf = types.ModuleType("tests_access_matrix_new_route")
    urlconf.urlpatterns = [  # type: ignore[attr-defined]
        path("", include("chibo.urls")),
        path("reports/", include(([path("new/", lambda request: HttpResponse(), name="new")], "reports"))),
    ]
    monkeypatch.setitem(sys.modules, urlconf.__name__, urlconf)
    settings.ROOT_URLCONF = urlconf.__name__
    clear_url_caches()
    try:
        assert sorted(set(url_patterns()) - set(RULES)) == ["reports:new"]
    finally:
        clear_url_caches()


def test_every_url_answers_each_persona_by_its_rule(scene: Scene) -> None:
    world = scene.world
    patterns = url_patterns()
    assert set(patterns) <= set(RULES), "see test_every_url_name_has_a_rule"
    mismatches: list[str] = []
    compared = 0
    shared = {api: make_clients(scene, api=api) for api in (False, True)}
    for name, pattern in sorted(patterns.items()):
        rule = RULES[name]
        url = url_for(name, pattern, scene)
        values = scene.values()
        form = {key: values[key] for key in rule.post_data}
        personas = make_clients(scene, api=is_api(name)) if name in STATEFUL else shared[is_api(name)]
        for persona, how, client in personas:
            where = f"{name} {url} as {persona} ({how})"
            response = client.get(url)
            expected = expectation(name, rule.get, persona, rule.get_status)
            if expected == 405 and persona == ANON:
                expected = 405 if response.status_code == 405 else "login"
            if not verdict(name, expected, response):
                mismatches.append(f"GET {where}: {response.status_code}, expected {expected}")
            if expected == 404 and "<" in str(pattern.pattern):
                # Out of scope answers exactly like missing.
                gone_url = url_for(name, pattern, scene, missing=True)
                gone = client.get(gone_url)
                compared += 1
                if gone.status_code != 404 or unmasked(response.content, url) != unmasked(gone.content, gone_url):
                    mismatches.append(f"GET {where}: out of scope does not answer like missing ({gone_url})")
            for method, allowed in (("post", rule.post), ("patch", rule.patch if is_api(name) else rule.post)):
                if method == "patch" and not is_api(name):
                    continue
                send = getattr(client, method)
                response = send(url, form, content_type="application/json") if is_api(name) else send(url, form)
                expected = expectation(name, allowed, persona, rule.post_status if method == "post" else REACHED)
                if expected == 405 and persona == ANON:
                    expected = 405 if response.status_code == 405 else "login"
                if not verdict(name, expected, response):
                    mismatches.append(f"{method.upper()} {where}: {response.status_code}, expected {expected}")
    assert not mismatches, "\n".join(mismatches)
    assert compared > 50
    # Nothing the refused personas posted changed the approved meeting.
    scene.meeting.refresh_from_db()
    assert scene.meeting.status == MeetingStatus.APPROVED
    assert Material.objects.filter(pk=scene.material.pk).exists()
    assert AgendaItem.objects.filter(pk=scene.item.pk, title="Bàn việc thu hoạch lúa").exists()
    assert Member.objects.filter(pk=world.member.pk, surname="Đặng").exists()


# The same pages for other objects and queries: whose scope each of them is in.
VARIANTS: dict[str, tuple[str, frozenset[str]]] = {
    "cell_as_of": ("/org/{cell}/?as_of=31/12/2022", CELL),
    "commune": ("/org/{commune}/", COMMUNE),
    "other_cell": ("/org/{other_cell}/", frozenset({"province", "admin", "outsider"})),
    "other_member_same_cell": ("/members/{secretary_member}/", MANAGERS),
    "member_other_commune": ("/members/{other_member}/", frozenset({"province", "admin", "outsider"})),
    "search_in_commune": ("/members/?org={commune}", COMMUNE),
    "api_other_cell": ("/api/v1/orgs/{other_cell}/", frozenset({"province", "admin", "outsider"})),
    "api_other_member": ("/api/v1/members/{other_member}/", frozenset({"province", "admin", "outsider"})),
    "api_members_of_commune": ("/api/v1/members/?org={commune}", COMMUNE),
}


@pytest.mark.parametrize("page", sorted(VARIANTS))
def test_variants_answer_each_persona(scene: Scene, client_for, page: str) -> None:
    template, allowed = VARIANTS[page]
    url = template.format(**scene.values())
    for persona in PERSONAS:
        status = client_for(persona).get(url).status_code
        assert status == (200 if persona in allowed else 404), f"{persona} {url}: {status}"


def test_anonymous_is_sent_to_login(world: World, client: Client) -> None:
    response = client.get(f"/org/{world.cell.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/members/{member}/edit/", {"surname": "X"}),
        ("/members/{member}/move/", {"org": "{other_cell}", "on": "01/01/2025"}),
        ("/members/{member}/status/", {"status": "deceased", "on": "01/01/2025"}),
        ("/members/{member}/positions/", {"action": "assign", "kind": "secretary", "on": "01/01/2025"}),
        ("/org/{cell}/change/", {"name": "Bị đổi", "on": "01/01/2025"}),
        ("/org/{cell}/dissolve/", {"on": "01/01/2025"}),
    ],
)
def test_outsider_writes_change_nothing(scene: Scene, client_for, path: str, data: dict[str, str]) -> None:
    values = scene.values()
    events = AuditEvent.objects.count()
    response = client_for("outsider").post(path.format(**values), {k: v.format(**values) for k, v in data.items()})
    assert response.status_code == 404
    assert AuditEvent.objects.count() == events


def test_api_member_create_scope(world: World) -> None:
    """The cell of a new member is in the body: out of scope is 404, like a missing cell."""
    from tests.api.helpers import new_member_payload

    for persona in PERSONAS:
        token, _created = Token.objects.get_or_create(user=world.users[persona])
        client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
        response = client.post("/api/v1/members/", {"org": world.cell.pk, **new_member_payload()}, content_type="application/json")
        missing = client.post("/api/v1/members/", {"org": MISSING_ID, **new_member_payload()}, content_type="application/json")
        assert missing.status_code == 404
        if persona in MANAGERS:
            assert response.status_code in (201, 422), (persona, response.content)  # 422: the first one took the ID
        else:
            assert response.status_code == 404 and response.content == missing.content, persona


def test_member_search_only_returns_scope(world: World, client_for) -> None:
    body = client_for("outsider").get("/members/?q=dang").content.decode()
    assert "Đặng Thị Hồng" not in body
    body = client_for("staff").get("/members/?q=dang").content.decode()
    assert "Đặng Thị Hồng" in body
    assert Member.objects.count() == 3
