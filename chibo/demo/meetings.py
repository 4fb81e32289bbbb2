"""Demo meetings: the monthly cell meetings of a loaded plan, written in bulk (issue "monthly cell meeting" §9).

For every cell and every month of the window (24 months for the district, 12 for the province) up to
the last month whose meeting day has passed: the regular meeting on the 3rd (occasionally moved, with
a reason), a thematic or combined meeting once a quarter for most cells, a few missed months. Each
held meeting has its attendance list (the members of the cell that day, with their standing from the
status period of that day), agenda items from ``agenda_templates``, a resolution numbered within the
cell's term with its items and votes (``rules.can_vote``, ``rules.validity``, ``rules.adopted``), the
quality assessment (``rules.quality``, excused streaks counted as ``selectors_record.excused_streaks``
does), and for the district minutes with speeches by name and members' comments on the draft. About a
third of the cell-months had an upper-level attendee (``UpperAssignment``). The persona cell also has
its coming meeting: published, with agenda, draft resolution and check-in code.

Everything comes from a seeded generator (same seed and day, same rows) and is written with explicit
primary keys: ``COPY`` on PostgreSQL, ``executemany`` on SQLite; the sequences are reset afterwards.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from chibo.accounts.models import User
from chibo.core.dates import add_months
from chibo.demo import names
from chibo.demo.plan import Dissolve, Merge, Plan
from chibo.meetings import rules
from chibo.meetings.agenda_templates import agenda_for
from chibo.meetings.models import (
    EXPECTED_STANDINGS,
    AgendaItem,
    AgendaSection,
    Attendance,
    CellTerm,
    Comment,
    Meeting,
    MeetingKind,
    MeetingStatus,
    QualityAssessment,
    Resolution,
    ResolutionItem,
    Speech,
    UpperAssignment,
    Vote,
)
from chibo.members.models import Member
from chibo.orgs.models import CELL_KINDS, Organisation

MONTHS = {"district": 24, "province": 12}
MEETING_DAY = 3
# Cell terms: 2020–2025 until the spring 2025 congresses, then 2025–2030.
TERMS = (("2020–2025", dt.date(2020, 7, 1), dt.date(2025, 4, 20)), ("2025–2030", dt.date(2025, 4, 20), dt.date(2030, 4, 20)))
LISTED = ("official", "probationary", "exempted", "temp_out")

MOVE_REASONS = (
    "Trùng lịch họp của Đảng ủy xã",
    "Trùng ngày bầu cử đại biểu Quốc hội và HĐND các cấp",
    "Mưa bão, chuyển lịch theo chỉ đạo của cấp ủy",
    "Trùng Tết Nguyên đán",
    "Bí thư chi bộ đi tập huấn",
)
EXCUSES = (("Đi làm ăn xa", 4), ("Ốm", 4), ("Việc gia đình", 4), ("Đi công tác", 2), ("Nằm viện", 1), ("Đi học tập trung", 1))
EXCUSE_TEXTS = [t for t, w in EXCUSES for _ in range(w)]
EXEMPT_REASON = "Được miễn sinh hoạt (tuổi cao, sức yếu)"
THEMES = (
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về tinh thần đoàn kết",
    "Nâng cao chất lượng sinh hoạt chi bộ",
    "Phát huy vai trò nêu gương của đảng viên",
    "Công tác phát triển đảng viên",
    "Xây dựng nông thôn mới kiểu mẫu",
    "Phòng, chống tham nhũng, lãng phí, tiêu cực",
    "Bảo vệ nền tảng tư tưởng của Đảng",
    "Chuyển đổi số trong công tác đảng",
)
RESOLUTION_ITEMS = {
    "residential": (
        "Vận động nhân dân giữ gìn vệ sinh môi trường, ra quân dọn dẹp đường làng vào Chủ nhật cuối tháng.",
        "Đảm bảo an ninh trật tự, duy trì tổ tự quản; hòa giải kịp thời mâu thuẫn ở cơ sở.",
        "Đôn đốc thu các khoản đóng góp, quỹ phòng chống thiên tai đúng hạn.",
        "Chăm sóc, bảo vệ cây trồng vụ mới; phòng, chống dịch bệnh cho gia súc, gia cầm.",
        "Tiếp tục xây dựng nông thôn mới nâng cao; mỗi đảng viên vận động ít nhất 3 hộ thực hiện.",
        "Thăm hỏi, động viên gia đình chính sách, hộ có hoàn cảnh khó khăn.",
        "Thu đảng phí đầy đủ, đúng hạn.",
    ),
    "other": (
        "Hoàn thành các chỉ tiêu chuyên môn của tháng theo kế hoạch của cơ quan, đơn vị.",
        "Đẩy mạnh cải cách hành chính, chuyển đổi số; giải quyết hồ sơ đúng hạn.",
        "Thực hành tiết kiệm, chống lãng phí; phòng, chống tham nhũng, tiêu cực.",
        "Đảng viên gương mẫu, chấp hành nội quy, quy chế của cơ quan.",
        "Thu đảng phí đầy đủ, đúng hạn.",
    ),
}
SPEECHES = (
    "Nhất trí với báo cáo; đề nghị bổ sung giải pháp cụ thể cho từng nhiệm vụ.",
    "Đề nghị chi bộ phân công rõ người, rõ việc, rõ thời hạn.",
    "Một số đảng viên chưa tham gia đầy đủ các hoạt động; cần nhắc nhở.",
    "Đề nghị tăng cường tuyên truyền để nhân dân đồng thuận.",
    "Tôi xin nhận nhiệm vụ vận động các hộ trong xóm thực hiện.",
    "Nội dung dự thảo nghị quyết sát thực tế; đề nghị thông qua.",
)
COMMENTS = (
    "Đề nghị bổ sung vào dự thảo nội dung về vệ sinh môi trường.",
    "Nhất trí với dự thảo nghị quyết.",
    "Nên giao chỉ tiêu cụ thể cho từng đảng viên.",
    "Đề nghị đánh giá kỹ hơn việc thực hiện nghị quyết tháng trước.",
)
CONCLUSIONS: dict[str, str] = {
    AgendaSection.OPENING: "Chi bộ thông qua chương trình; cử thư ký ghi biên bản.",
    AgendaSection.REVIEW: "Các nhiệm vụ tháng trước cơ bản hoàn thành.",
    AgendaSection.NEXT_TASKS: "Giao nhiệm vụ cho từng đảng viên như dự thảo.",
    AgendaSection.CONCLUSION: "Chi bộ biểu quyết thông qua nghị quyết.",
}
OBSERVATIONS = (
    "Cuộc họp đúng quy trình, nội dung phong phú, đảng viên tham gia ý kiến sôi nổi.",
    "Chi bộ chuẩn bị chu đáo; cần cụ thể hóa hơn nhiệm vụ tháng tới.",
    "Tỷ lệ đảng viên dự họp cao; nghị quyết ngắn gọn, dễ thực hiện.",
    "Phần thảo luận còn ít ý kiến; đề nghị bí thư gợi mở thêm.",
)
ISSUES = (
    "Nhân dân phản ánh đường liên thôn xuống cấp.",
    "Đề nghị cấp trên hỗ trợ kinh phí sửa nhà văn hóa.",
    "Một số hộ chưa đóng quỹ phòng chống thiên tai.",
)
RATINGS = ["good"] * 12 + ["fair"] * 6 + ["average"] + [""]


# ---------------------------------------------------------------------------------------------
# Bulk writing


def _sqlite_converter(model: Any, name: str, conn: Any) -> Callable[[Any], Any] | None:
    fld = model._meta.get_field(name)
    if fld.get_internal_type() in ("DateTimeField", "DateField", "BooleanField", "UUIDField", "DecimalField"):
        return lambda v: None if v is None else fld.get_db_prep_save(v, conn)
    return None


def write_rows(model: Any, fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (tuples in the order of ``fields``, attnames such as "meeting_id") into ``model``'s table.

    PostgreSQL: ``COPY ... FROM STDIN`` through psycopg; elsewhere ``executemany`` with the values
    prepared as the ORM would. No model save(), no signals, explicit values for every given field.
    """
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ", ".join(qn(model._meta.get_field(f).column) for f in fields)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        converters = [_sqlite_converter(model, f, connection) for f in fields]
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(tuple(v if c is None else c(v) for v, c in zip(row, converters, strict=True)))
            if len(batch) >= 20_000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def reset_sequences(models: Sequence[Any]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _next_id(model: Any) -> int:
    return int(model.objects.aggregate(m=Max("id"))["m"] or 0) + 1


# ---------------------------------------------------------------------------------------------
# The generated rows


@dataclass
class Tables:
    """Rows by model, in the column order of FIELDS."""

    rows: dict[Any, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))


FIELDS: dict[Any, tuple[str, ...]] = {
    User: ("id", "password", "username", "first_name", "last_name", "email", "is_superuser", "is_staff", "is_active", "date_joined", "display_name"),
    CellTerm: ("id", "org_id", "name", "starts_on", "ends_on", "congress_on"),
    Meeting: (
        "id", "org_id", "kind", "month", "starts_at", "place", "topic", "moved_reason", "status", "published_at",
        "published_late", "draft_resolution", "chair_id", "minute_taker_id", "checkin_code", "opened_at", "closed_at",
        "approved_at", "approved_by_chair_at", "approved_by_taker_at", "created_at",
        "late_material", "late_move", "under_length",
        "n_expected", "n_present", "n_excused", "n_unexcused",
    ),
    AgendaItem: ("id", "meeting_id", "position", "section", "title", "details", "conclusion"),
    Attendance: ("meeting_id", "member_id", "standing", "status", "reason", "checked_in_at", "source", "client_id"),
    Speech: ("agenda_item_id", "member_id", "speaker_name", "text", "position"),
    Comment: ("meeting_id", "agenda_item_id", "author_id", "text", "created_at"),
    Resolution: (
        "id", "meeting_id", "term_id", "number", "title", "preamble", "adopted", "votes_agree", "votes_disagree",
        "votes_abstain", "vote_base",
    ),
    ResolutionItem: ("id", "resolution_id", "position", "text"),
    Vote: ("resolution_id", "member_id", "choice"),
    QualityAssessment: ("meeting_id", "attendance_rate", "attendance_ok", "no_unexcused", "no_repeat_excused", "secretary_rating", "secretary_note"),
    UpperAssignment: ("cell_id", "month", "attendee_id", "assigned_by_id", "attended", "observations", "issues_raised", "recorded_at"),
}
ORDER = (User, CellTerm, Meeting, AgendaItem, Attendance, Speech, Comment, Resolution, ResolutionItem, Vote, QualityAssessment, UpperAssignment)



def window(today: dt.date, months: int) -> tuple[list[dt.date], dt.date]:
    """The past months (first days, oldest first) and the month of the coming meeting.

    The last past month is the current one once its meeting day has gone by (after the 3rd)."""
    this = today.replace(day=1)
    last = this if today.day > MEETING_DAY else add_months(this, -1)
    coming = add_months(last, 1)
    return [add_months(last, -i) for i in range(months - 1, -1, -1)], coming


def _cell_ends(plan: Plan) -> dict[int, dt.date]:
    """The day a cell stopped existing (merged away or dissolved); absent when it still exists."""
    ends: dict[int, dt.date] = {}
    for op in plan.ops:
        if isinstance(op, Merge):
            for key in op.sources:
                if key != op.into:
                    ends.setdefault(key, op.on)
        elif isinstance(op, Dissolve):
            ends.setdefault(op.key, op.on)
    return ends


class Generator:
    def __init__(self, plan: Plan, *, org_ids: dict[int, int], member_ids: list[int], users: dict[str, int], light: bool) -> None:
        self.plan = plan
        self.rng = random.Random(f"chibo-demo-meetings-{plan.seed}")
        self.org_ids = org_ids
        self.member_ids = member_ids
        self.users = users
        self.light = light
        self.tz = timezone.get_default_timezone()
        self.out = Tables()
        self.ids = {model: _next_id(model) for model in (User, CellTerm, Meeting, AgendaItem, Resolution, ResolutionItem)}
        self.today = plan.today
        self.now = timezone.now()
        # Memberships and positions by cell key: (person index, from, to) and (person index, kind, from, to).
        self.members_by_cell: dict[int, list[tuple[int, dt.date, dt.date]]] = defaultdict(list)
        self.positions_by_cell: dict[int, list[tuple[int, str, dt.date, dt.date]]] = defaultdict(list)
        for i, p in enumerate(plan.people):
            for org, a, b in p.memberships:
                self.members_by_cell[org].append((i, a, b))
            for org, kind, a, b in p.positions:
                self.positions_by_cell[org].append((i, kind, a, b))
        self.cell_terms: dict[int, list[tuple[int, dt.date, dt.date]]] = {}  # cell key -> (CellTerm id, start, end)
        self.numbers: dict[int, int] = {}  # CellTerm id -> next resolution number

    def _id(self, model: Any) -> int:
        value = self.ids[model]
        self.ids[model] = value + 1
        return value

    def add(self, model: Any, row: tuple[Any, ...]) -> None:
        self.out.rows[model].append(row)

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz).astimezone(dt.UTC)

    # Upper-level attendees ---------------------------------------------------------------------

    def upper_users(self, cells: list[Any]) -> dict[int, int]:
        """One upper-level cadre per committee above the cells (the persona commune: ``canboxa``); cell key -> user id."""
        persona_commune = self.plan.persona_grants.get("canboxa", ("", None))[1]
        by_parent: dict[int, int] = {}
        joined = self.now
        for spec in cells:
            parent = spec.parent
            if parent is None or parent in by_parent:
                continue
            if parent == persona_commune and "canboxa" in self.users:
                by_parent[parent] = self.users["canboxa"]
                continue
            pk = self._id(User)
            sex = "male" if self.rng.random() < 0.6 else "female"
            name = names.person_name(self.rng, sex=sex, born=dt.date(1975, 1, 1))
            full = " ".join(x for x in (name.surname, name.middle, name.given) if x)
            code = self.plan.orgs[parent].code.lower()
            self.add(User, (pk, make_password(None), f"capuy.{code}", "", "", "", False, False, True, joined, f"{full} (cấp ủy cấp trên)"))
            by_parent[parent] = pk
        return {spec.key: by_parent[spec.parent] for spec in cells if spec.parent is not None}

    # Terms -------------------------------------------------------------------------------------

    def ensure_terms(self, cell_key: int) -> list[tuple[int, dt.date, dt.date]]:
        """The cell's terms as (CellTerm id, start, end), oldest first, written once: the plan's
        recorded terms (seed 001, district.SEED_001_TERMS, with their congress dates), else the generic
        2020–2025 and 2025–2030 terms. Every cell that adopts a resolution has one."""
        if cell_key not in self.cell_terms:
            org_id = self.org_ids[cell_key]
            specs = self.plan.cell_terms.get(cell_key) or tuple((name, None, start, end) for name, start, end in TERMS)
            recorded = []
            for name, congress, start, end in specs:
                pk = self._id(CellTerm)
                self.add(CellTerm, (pk, org_id, name, start, end, congress))
                recorded.append((pk, start, end))
            self.cell_terms[cell_key] = recorded
        return self.cell_terms[cell_key]

    def term(self, cell_key: int, day: dt.date) -> tuple[int, int] | None:
        """The CellTerm id and the next resolution number for a resolution adopted on ``day`` (None
        when no term covers the day). Only adopted resolutions take a number (a rejected draft none)."""
        terms = self.ensure_terms(cell_key)
        covering = [(i, t) for i, t in enumerate(terms) if t[1] <= day < t[2]]
        if not covering:
            return None
        index, (term_id, start, _end) = covering[-1]
        if term_id not in self.numbers:
            # The window may start inside the first term: one resolution a month before it, not in the data.
            first = index == 0 and start < day.replace(day=1)
            self.numbers[term_id] = max(1, (day.year - start.year) * 12 + day.month - start.month + 1) if first else 1
        number = self.numbers[term_id]
        self.numbers[term_id] = number + 1
        return term_id, number

    # The meetings ------------------------------------------------------------------------------

    def run(self) -> Tables:
        plan = self.plan
        rng = self.rng
        ends = _cell_ends(plan)
        months, coming = window(self.today, MONTHS.get(plan.scale, 12))
        cells = [s for s in plan.orgs if s.kind in CELL_KINDS]
        attendee = self.upper_users(cells)
        persona_cell = plan.persona_grants.get("bithu", ("", None))[1]
        for spec in cells:
            if spec.key in plan.cell_terms:  # recorded terms, whether or not a resolution is numbered in them
                self.ensure_terms(spec.key)
            end = ends.get(spec.key)
            thematic_always = rng.random() < 0.88  # most cells: a thematic content every quarter
            residential = spec.sector == "residential"
            hour, minute = (19, 30) if residential else (14, 0)
            place = "Nhà văn hóa " + (spec.area_name and f"thôn {spec.area_name}" or "cơ quan") if residential else "Hội trường cơ quan"
            state: dict[int, tuple[int, int]] = {}  # member index -> (year, excused streak)
            thematic_month: dict[tuple[int, int], int] = {}
            for month in months:
                day = month.replace(day=MEETING_DAY)
                if day < spec.founded or (end is not None and day >= end):
                    continue
                if spec.key != persona_cell and rng.random() < 0.012:
                    continue  # the cell missed this month
                quarter = (month.year, (month.month - 1) // 3)
                if quarter not in thematic_month:
                    thematic_month[quarter] = rng.randrange(3) if (thematic_always or rng.random() < 0.5) else -1
                thematic = thematic_month[quarter] == (month.month - 1) % 3
                moved = ""
                if rng.random() < 0.04:
                    later = day + dt.timedelta(days=rng.randint(1, 9))
                    if later < self.today:
                        day, moved = later, rng.choice(MOVE_REASONS)
                kind = MeetingKind.REGULAR
                topic = ""
                separate = False
                if thematic:
                    topic = rng.choice(THEMES)
                    if rng.random() < 0.7:
                        kind = MeetingKind.COMBINED
                    else:
                        separate = True
                self.meeting(spec, month=month, day=day, hour=hour, minute=minute, kind=kind, topic=topic if kind == MeetingKind.COMBINED else "",
                             moved=moved, place=place, state=state, attendee=attendee.get(spec.key), force_upper=spec.key == persona_cell and month >= add_months(coming, -6))
                if separate:
                    tday = month.replace(day=rng.randint(15, 22))
                    if tday < self.today and (end is None or tday < end):
                        self.meeting(spec, month=month, day=tday, hour=hour, minute=minute, kind=MeetingKind.THEMATIC, topic=topic,
                                     moved="", place=place, state=state, attendee=None, force_upper=False)
            if spec.key == persona_cell:
                self.coming(spec, month=coming, hour=hour, minute=minute, place=place, attendee=attendee.get(spec.key))
        return self.out

    def _members_on(self, spec: Any, day: dt.date) -> list[tuple[int, str]]:
        out = []
        for i, a, b in self.members_by_cell.get(spec.key, ()):
            if a <= day < b:
                status = self.plan.people[i].status_on(day)
                if status in LISTED:
                    out.append((i, status))
        return out

    def _holder(self, spec: Any, day: dt.date, kinds: tuple[str, ...]) -> int | None:
        for i, kind, a, b in self.positions_by_cell.get(spec.key, ()):
            if kind in kinds and a <= day < b:
                return i
        return None

    def _name(self, i: int) -> str:
        return self.plan.people[i].full_name

    def meeting(
        self, spec: Any, *, month: dt.date, day: dt.date, hour: int, minute: int, kind: str, topic: str, moved: str,
        place: str, state: dict[int, tuple[int, int]], attendee: int | None, force_upper: bool,
    ) -> None:
        rng = self.rng
        listed = self._members_on(spec, day)
        if not listed:
            return
        mid = self.member_ids
        pk = self._id(Meeting)
        starts = self.at(day, hour, minute)
        late = rng.random() < 0.04
        published = starts - (dt.timedelta(hours=rng.randint(3, 20)) if late else dt.timedelta(days=rng.randint(2, 7), hours=rng.randint(0, 8)))
        created = published - dt.timedelta(days=rng.randint(1, 5))
        rate = rng.uniform(0.88, 0.95)
        rows: list[rules.Row] = []
        statuses: dict[int, str] = {}
        for i, standing in listed:
            reason = ""
            if standing == "temp_out":
                status = ""  # listed apart, not marked
            elif standing == "exempted":
                status = "present" if rng.random() < 0.15 else "excused"
                reason = "" if status == "present" else EXEMPT_REASON
            elif rng.random() < rate:
                status = "present"
            elif rng.random() < 0.05:
                status = "unexcused"
            else:
                status, reason = "excused", rng.choice(EXCUSE_TEXTS)
            statuses[i] = status
            rows.append(rules.Row(member_id=i, standing=standing, status=status))
            if status:
                source = "self" if status == "present" and rng.random() < 0.4 else "secretary"
                checked = starts + dt.timedelta(minutes=rng.randint(-15, 10))
                self.add(Attendance, (pk, mid[i], standing, status, reason, checked, source, None))
            else:
                self.add(Attendance, (pk, mid[i], standing, "", "", None, "", None))
        present = [i for i, _s in listed if statuses[i] == "present"]
        voters = [r.member_id for r in rows if rules.can_vote(r)]
        chair = self._holder(spec, day, ("secretary",))
        if chair is None or statuses.get(chair) != "present":
            chair = self._holder(spec, day, ("deputy_secretary",))
        if chair is None or statuses.get(chair) != "present":
            chair = voters[0] if voters else (present[0] if present else listed[0][0])
        taker = self._holder(spec, day, ("deputy_secretary", "committee_member"))
        if taker is None or taker == chair or statuses.get(taker) != "present":
            others = [i for i in present if i != chair]
            taker = others[0] if others else chair
        closed = starts + dt.timedelta(minutes=rng.randint(90, 150))
        approved = closed + dt.timedelta(days=rng.randint(1, 3))
        draft = f"Dự thảo nghị quyết chi bộ tháng {month:%m/%Y}" if kind != MeetingKind.THEMATIC else ""
        self.add(Meeting, (
            pk, self.org_ids[spec.key], kind, month, starts, place, topic, moved, MeetingStatus.APPROVED, published, late, draft,
            mid[chair], mid[taker], f"{rng.randrange(10**6):06d}", starts, closed, approved, approved - dt.timedelta(hours=2), approved, created,
            False, False, rules.under_length(kind=kind, opened_at=starts, closed_at=closed),
        ))
        # Agenda, minutes.
        items = agenda_for(kind=kind, sector=spec.sector)
        discussion: list[int] = []
        first_item = 0
        for position, item in enumerate(items, start=1):
            item_pk = self._id(AgendaItem)
            first_item = first_item or item_pk
            title = item.title if item.section != AgendaSection.STUDY or not topic or kind != MeetingKind.THEMATIC else f"Chuyên đề: {topic}"
            self.add(AgendaItem, (item_pk, pk, position, item.section, title, "", CONCLUSIONS.get(item.section, "")))  # hints are not content
            if item.section in (AgendaSection.DISCUSSION, AgendaSection.REVIEW):
                discussion.append(item_pk)
        full = not self.light or rng.random() < 0.02
        if full and discussion and present:
            for n in range(rng.randint(2, 4)):
                speaker = rng.choice(present)
                self.add(Speech, (rng.choice(discussion), mid[speaker], self._name(speaker), rng.choice(SPEECHES), n + 1))
        if full and draft and rng.random() < 0.2:
            for _ in range(rng.randint(1, 2)):
                author = rng.choice(listed)[0]
                on_item = rng.choice(discussion) if discussion and rng.random() < 0.5 else None
                self.add(Comment, (pk, on_item, mid[author], rng.choice(COMMENTS), published + dt.timedelta(hours=rng.randint(2, 40))))
        # Resolution and votes.
        if kind != MeetingKind.THEMATIC:
            res_pk = self._id(Resolution)
            validity = rules.validity(rows)
            agree = disagree = abstain = 0
            if validity.valid:
                for voter in voters:
                    roll = rng.random()
                    choice = "agree" if roll < 0.985 else "abstain" if roll < 0.995 else "disagree"
                    agree += choice == "agree"
                    abstain += choice == "abstain"
                    disagree += choice == "disagree"
                    self.add(Vote, (res_pk, mid[voter], choice))
            adopted = validity.valid and rules.adopted(agree=agree, base=validity.base)
            numbered = self.term(spec.key, day) if adopted else None
            adopted = numbered is not None
            term_id, number = numbered if numbered is not None else (None, None)
            self.add(Resolution, (
                res_pk, pk, term_id, number, f"Nghị quyết chi bộ tháng {month:%m/%Y}", "Căn cứ Điều lệ Đảng; căn cứ kết quả thảo luận của chi bộ,",
                adopted, agree, disagree, abstain, validity.base,
            ))
            pool = RESOLUTION_ITEMS["residential" if spec.sector == "residential" else "other"]
            for n, text in enumerate(rng.sample(pool, rng.randint(3, min(5, len(pool)))), start=1):
                self.add(ResolutionItem, (self._id(ResolutionItem), res_pk, n, text))
        # Quality: excused streaks within the calendar year, as selectors_record.excused_streaks counts them.
        streaks: dict[int, int] = {}
        for r in rows:
            year, before = state.get(r.member_id, (day.year, 0))
            now = (before if year == day.year else 0) + 1 if r.status == rules.EXCUSED else 0
            state[r.member_id] = (day.year, now)
            if rules.expected(r):
                streaks[r.member_id] = now
        q = rules.quality(rows, excused_streaks=streaks)
        rating = rng.choice(RATINGS)
        self.add(QualityAssessment, (pk, q.attendance_rate, q.attendance_ok, q.no_unexcused, q.no_repeat_excused, rating, ""))
        # The upper level: about a third of the cell-months (the persona cell: its last months).
        if attendee is not None and kind != MeetingKind.THEMATIC and (force_upper or rng.random() < 0.33):
            issues = rng.choice(ISSUES) if rng.random() < 0.3 else ""
            self.add(UpperAssignment, (self.org_ids[spec.key], month, attendee, None, True, rng.choice(OBSERVATIONS), issues, closed + dt.timedelta(days=1)))

    def coming(self, spec: Any, *, month: dt.date, hour: int, minute: int, place: str, attendee: int | None) -> None:
        """The persona cell's next meeting: published ahead, with agenda, draft resolution and check-in code."""
        rng = self.rng
        day = month.replace(day=MEETING_DAY)
        pk = self._id(Meeting)
        starts = self.at(day, hour, minute)
        published = min(self.now - dt.timedelta(hours=2), starts - dt.timedelta(days=2))
        chair = self._holder(spec, day, ("secretary",))
        taker = self._holder(spec, day, ("deputy_secretary", "committee_member"))
        mid = self.member_ids
        pool = RESOLUTION_ITEMS["residential" if spec.sector == "residential" else "other"]
        draft = f"Dự thảo nghị quyết chi bộ tháng {month:%m/%Y}\n" + "\n".join(f"{n}. {t}" for n, t in enumerate(pool[:4], start=1))
        self.add(Meeting, (
            pk, self.org_ids[spec.key], MeetingKind.REGULAR, month, starts, place, "", "", MeetingStatus.PUBLISHED, published, False, draft,
            mid[chair] if chair is not None else None, mid[taker] if taker is not None else None, f"{rng.randrange(10**6):06d}",
            None, None, None, None, None, published - dt.timedelta(days=1), False, False, False,
        ))
        for position, item in enumerate(agenda_for(kind=MeetingKind.REGULAR, sector=spec.sector), start=1):
            self.add(AgendaItem, (self._id(AgendaItem), pk, position, item.section, item.title, "", ""))
        listed = self._members_on(spec, min(day, self.today))
        for i, _standing in listed[:2]:
            if i not in (chair, taker):
                self.add(Comment, (pk, None, mid[i], rng.choice(COMMENTS), published + dt.timedelta(minutes=rng.randint(10, 100))))
        if attendee is not None:
            self.add(UpperAssignment, (self.org_ids[spec.key], month, attendee, None, False, "", "", None))


def _add_attendance_counts(tables: Tables) -> None:
    """Each meeting row gets its stored counts (Meeting.n_*) from its attendance rows, as the services keep them."""
    counts: dict[int, list[int]] = {}
    for meeting_id, _member, standing, status, *_rest in tables.rows.get(Attendance, []):
        c = counts.setdefault(meeting_id, [0, 0, 0, 0])
        if standing in EXPECTED_STANDINGS:
            c[0] += 1
            if status == "present":
                c[1] += 1
        if status == "excused":
            c[2] += 1
        elif status == "unexcused":
            c[3] += 1
    tables.rows[Meeting] = [(*row, *counts.get(row[0], (0, 0, 0, 0))) for row in tables.rows.get(Meeting, [])]


def load_meetings(
    plan: Plan, *, orgs: dict[int, Organisation], members: list[Member], log: Callable[[str], None] = lambda _m: None, keep: list[Tables] | None = None,
) -> dict[str, int]:
    """Generate and write the demo meetings of a loaded plan; returns row counts by table. The generated
    rows are appended to ``keep`` when given (the follow-up loops build on them: chibo.demo.followups)."""
    started = time.perf_counter()
    users = dict(User.objects.filter(username__in=["canboxa", "bithu", "dangvien"]).values_list("username", "id"))
    generator = Generator(
        plan, org_ids={k: o.pk for k, o in orgs.items()}, member_ids=[m.pk for m in members], users=users,
        light=plan.scale != "district",
    )
    tables = generator.run()
    _add_attendance_counts(tables)
    log(f"  cuộc họp: kế hoạch {len(tables.rows[Meeting])} cuộc họp, {len(tables.rows[Attendance])} dòng điểm danh ({time.perf_counter() - started:.1f} s)")
    counts: dict[str, int] = {}
    for model in ORDER:
        t0 = time.perf_counter()
        counts[model._meta.label] = write_rows(model, FIELDS[model], tables.rows.get(model, []))
        if model in (Meeting, Attendance, AgendaItem, Vote):
            log(f"    {model._meta.verbose_name_plural}: {counts[model._meta.label]} ({time.perf_counter() - t0:.1f} s)")
    reset_sequences(ORDER)
    if keep is not None:
        keep.append(tables)
    log(f"  cuộc họp: ghi xong ({time.perf_counter() - started:.1f} s)")
    return counts

