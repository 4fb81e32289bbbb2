"""Demo follow-up loops (issue 8 §7): member tasks, petitions, briefings and inspection plans, written in bulk.

They build on the generated meetings (``chibo.demo.meetings``: the rows are kept in memory) and on the
loaded tree (the organisation versions are read back once):

- tasks: from items of adopted resolutions of a cell's meetings, assigned to members listed at that
  meeting, with a report before the following meetings and a check at each of them until the chi ủy
  closes the task (done, done late, not done) or keeps it open (some past their due date);
- petitions: raised at meetings (some by members in the app between meetings), sent to the committee
  above, answered there, forwarded or escalated by the daily job (``deadline < day``: the job of every
  day up to yesterday has run, today's not yet) up the tree of that day, returned, out of scope, sent
  to an outside authority; answers read out at the cell's next held meeting and closed. Deadlines are
  ``petitions.services.deadline_from`` (working days, ``chibo.core.workdays``);
- briefings: one a quarter for each grassroots or commune committee, with its cells' secretaries and
  village heads of the day (``briefings.selectors.invitees`` rules), minutes and an issue or two;
- inspections: a plan per committee for the current year, most past items done with findings,
  conclusions and a follow-up.

The persona users of the district find each loop on their home page. Like the meetings, the rows carry
no audit rows of their own: the ``demo.load`` audit event counts them. Everything comes from a seeded
generator (same seed and day, same rows).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from chibo.accounts.models import User
from chibo.briefings.models import Briefing, BriefingAttendance, BriefingIssue, BriefingItem
from chibo.core.dates import add_months
from chibo.demo import names
from chibo.demo.meetings import FIELDS as MEETING_FIELDS
from chibo.demo.meetings import MONTHS, Tables, reset_sequences, window, write_rows
from chibo.demo.plan import Plan
from chibo.inspections.models import FollowUp, InspectionItem, InspectionPlan
from chibo.meetings.models import (
    Attendance,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Resolution,
    ResolutionItem,
)
from chibo.members.models import Member
from chibo.orgs.models import CELL_KINDS, Organisation, OrgVersion
from chibo.petitions.models import Petition, PetitionEvent
from chibo.petitions.services import deadline_from
from chibo.tasks.models import Task, TaskAssignee, TaskCheck, TaskReport

FIELDS: dict[Any, tuple[str, ...]] = {
    Task: (
        "id", "cell_id", "title", "expected_result", "due_on", "status", "resolution_item_id", "area_matter", "created_by_id",
        "created_at", "updated_at", "finished_on", "closing_note", "closed_at", "closed_by_id", "closed_at_meeting_id",
    ),
    TaskAssignee: ("task_id", "member_id"),
    TaskReport: ("task_id", "member_id", "text", "file", "original_name", "content_type", "size", "sha256", "created_at"),
    TaskCheck: ("task_id", "meeting_id", "outcome", "note", "checked_by_id", "checked_at"),
    Petition: (
        "id", "org_id", "raised_via", "meeting_id", "raised_by_id", "raised_by_name", "created_by_id", "raised_on", "category",
        "title", "text", "resident_name", "resident_phone", "resident_address", "status", "holder_id", "holder_external",
        "deadline", "escalation_count", "stalled_on", "answer", "answered_at", "answered_on", "answered_by_org_id",
        "answered_by_external", "read_out_meeting_id", "read_out_at", "closed_reason", "created_at", "updated_at",
    ),
    PetitionEvent: (
        "petition_id", "kind", "actor_id", "at", "on", "from_status", "to_status", "from_holder_id", "from_external",
        "to_holder_id", "to_external", "deadline", "meeting_id", "text",
    ),
    Briefing: ("id", "committee_id", "year", "period", "starts_at", "place", "chair_name", "recorder_name", "status", "cancel_reason", "held_at", "created_at"),
    BriefingItem: ("briefing_id", "position", "title", "content", "conclusion"),
    BriefingAttendance: ("briefing_id", "member_id", "cell_id", "role", "status", "reason", "marked_at"),
    BriefingIssue: ("briefing_id", "text", "raised_by_name", "cell_id", "owner_id", "kind", "status", "created_at"),
    InspectionPlan: ("id", "org_id", "year", "approved_on", "note", "created_at"),
    InspectionItem: (
        "id", "plan_id", "kind", "target_org_id", "target_member_id", "topic", "month_from", "month_to", "inspectors", "status",
        "findings", "conclusions", "done_on", "cancel_reason", "created_at",
    ),
    FollowUp: ("item_id", "text", "responsible_id", "due_on", "status", "closed_on", "note"),
}
ORDER = (
    Task, TaskAssignee, TaskReport, TaskCheck, Petition, PetitionEvent, Briefing, BriefingItem, BriefingAttendance, BriefingIssue,
    InspectionPlan, InspectionItem, FollowUp,
)

# How much of each loop: tasks per adopted resolution, petitions per held regular meeting.
TASKS_PER_RESOLUTION = {"district": 1.5, "province": 0.35}  # on average
PETITION_RATE = {"district": 0.3, "province": 0.05}
TASK_REPORTS = (
    "Đã vận động được một số hộ; đang tiếp tục thực hiện.",
    "Đã hoàn thành phần việc được giao trong tháng.",
    "Gặp khó khăn do thời tiết, sẽ hoàn thành trong tháng tới.",
    "Đã phối hợp với trưởng thôn và các đoàn thể triển khai.",
    "Đã thực hiện xong, kèm danh sách các hộ tham gia.",
)
CHECK_NOTES = {"on_track": "Thực hiện đúng tiến độ.", "behind": "Còn chậm, đề nghị khẩn trương.", "no_report": "Chưa có báo cáo trong tháng."}
LATE_NOTES = ("Hoàn thành chậm do thời tiết không thuận lợi.", "Hoàn thành chậm do đảng viên đi làm ăn xa một thời gian.")
NOT_DONE_NOTES = ("Không hoàn thành do các hộ chưa đồng thuận; chuyển sang nghị quyết tháng sau.", "Không hoàn thành do thiếu kinh phí.")
# category -> (title, text)
PETITIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "infrastructure": (
        ("Đường liên thôn xuống cấp", "Đoạn đường liên thôn dài khoảng 500 m bị sụt lún, mùa mưa đi lại khó khăn; đề nghị cấp trên hỗ trợ kinh phí sửa chữa."),
        ("Sửa chữa nhà văn hóa thôn", "Mái nhà văn hóa thôn bị dột, đề nghị hỗ trợ kinh phí sửa chữa trước mùa mưa bão."),
        ("Lắp đèn chiếu sáng đường làng", "Tuyến đường trục thôn chưa có đèn chiếu sáng, đề nghị lắp đặt để bảo đảm an toàn giao thông."),
    ),
    "land": (
        ("Cấp giấy chứng nhận quyền sử dụng đất", "Một số hộ đã nộp hồ sơ cấp giấy chứng nhận quyền sử dụng đất quá hạn nhưng chưa được giải quyết."),
        ("Ranh giới đất rừng", "Đề nghị xác định lại ranh giới đất rừng giữa thôn và lâm trường để tránh tranh chấp."),
    ),
    "environment": (
        ("Thu gom rác thải", "Điểm tập kết rác của thôn lâu ngày không được thu gom, gây ô nhiễm; đề nghị tăng số lần thu gom."),
        ("Nước thải chăn nuôi", "Một số trang trại chăn nuôi xả nước thải ra mương chung; đề nghị kiểm tra, xử lý."),
    ),
    "social_policy": (
        ("Chế độ cho người có công", "Đề nghị xem xét giải quyết chế độ cho thân nhân người có công của thôn còn vướng hồ sơ."),
        ("Hỗ trợ hộ nghèo sửa nhà", "Đề nghị hỗ trợ hộ nghèo trong thôn sửa chữa nhà ở bị hư hỏng sau bão."),
    ),
    "security": (
        ("Trật tự an toàn giao thông", "Xe tải chở vật liệu chạy tốc độ cao qua khu dân cư; đề nghị lực lượng chức năng kiểm tra."),
    ),
    "party_building": (
        ("Kinh phí hoạt động chi bộ", "Đề nghị cấp trên xem xét tăng kinh phí hoạt động cho chi bộ thôn."),
    ),
}
CATEGORIES = [c for c, n in (("infrastructure", 5), ("land", 2), ("environment", 3), ("social_policy", 2), ("security", 1), ("party_building", 1)) for _ in range(n)]
ANSWERS = (
    "Đã giao các bộ phận chuyên môn kiểm tra thực tế; kinh phí được bố trí trong kế hoạch năm tới.",
    "Đã chỉ đạo giải quyết; các hộ được hẹn trả kết quả trong tháng này.",
    "Cấp ủy đã làm việc với các đơn vị liên quan; nội dung kiến nghị đã được xử lý xong.",
    "Nội dung thuộc kế hoạch đầu tư công trung hạn; đề nghị chi bộ tuyên truyền để nhân dân đồng thuận.",
)
QUESTIONS = ("Đề nghị chi bộ nêu rõ vị trí, số hộ bị ảnh hưởng.", "Đề nghị bổ sung danh sách các hộ đã nộp hồ sơ.")
OUT_OF_SCOPE = "Nội dung thuộc thẩm quyền của chính quyền; đề nghị chi bộ hướng dẫn người dân gửi Ủy ban nhân dân xã."
EXTERNAL = "Ủy ban nhân dân xã"
REOPEN_REASON = "Nhân dân chưa đồng tình với câu trả lời; đề nghị xem xét lại."
RESIDENTS = (("Nguyễn Văn Hùng", "0912345678"), ("Trần Thị Lan", "0987654321"), ("Lê Văn Minh", ""), ("Phạm Thị Hoa", "0978123456"))
BRIEFING_ITEMS = (
    ("Tình hình thực hiện nhiệm vụ của các chi bộ trong kỳ", "Các chi bộ báo cáo kết quả sinh hoạt, thực hiện nghị quyết, thu đảng phí.",
     "Các chi bộ duy trì sinh hoạt đều; một số chi bộ cần nâng cao chất lượng sinh hoạt chuyên đề."),
    ("Kiến nghị, đề xuất của các chi bộ", "Các bí thư chi bộ nêu kiến nghị của đảng viên và nhân dân.",
     "Giao Văn phòng tổng hợp, trả lời các kiến nghị đúng hạn."),
    ("Nhiệm vụ trọng tâm kỳ tới", "Triển khai nghị quyết của cấp ủy cấp trên; chuẩn bị sơ kết, tổng kết.",
     "Các chi bộ xây dựng kế hoạch cụ thể, báo cáo kết quả tại kỳ giao ban sau."),
)
BRIEFING_ISSUES = (
    ("Đề nghị tập huấn nghiệp vụ công tác đảng cho bí thư chi bộ mới.", "task"),
    ("Đường vào khu dân cư xuống cấp, đề nghị đưa vào kế hoạch sửa chữa.", "petition"),
    ("Một số chi bộ thu đảng phí chưa đúng hạn.", "task"),
    ("Đề nghị hỗ trợ kinh phí tổ chức ngày hội đại đoàn kết.", "petition"),
)
EXCUSES = ("Đi công tác", "Ốm", "Việc gia đình")
TOPICS = (
    ("inspection", "Kiểm tra việc thực hiện nghị quyết chi bộ"),
    ("inspection", "Kiểm tra việc thu, nộp, quản lý và sử dụng đảng phí"),
    ("supervision", "Giám sát việc chấp hành Điều lệ Đảng, chế độ sinh hoạt chi bộ"),
    ("supervision", "Giám sát việc thực hiện quy định về những điều đảng viên không được làm"),
    ("inspection", "Kiểm tra việc quản lý hồ sơ đảng viên"),
    ("supervision", "Giám sát đảng viên giữ mối liên hệ với nơi cư trú"),
    ("inspection", "Kiểm tra việc thực hiện nhiệm vụ được giao cho đảng viên"),
)
MEMBER_TOPIC = "Giám sát việc thực hiện nhiệm vụ của bí thư chi bộ"
FINDINGS = (
    "Chi bộ duy trì sinh hoạt định kỳ; biên bản ghi đầy đủ; một số nghị quyết chưa cụ thể.",
    "Thu, nộp đảng phí đầy đủ; sổ sách ghi chép chưa kịp thời.",
    "Đảng viên chấp hành tốt Điều lệ Đảng; còn trường hợp vắng sinh hoạt không lý do.",
)
CONCLUSIONS = (
    "Chi bộ thực hiện tốt; cần cụ thể hóa nghị quyết, phân công rõ người, rõ việc.",
    "Cơ bản thực hiện đúng quy định; yêu cầu khắc phục hạn chế trong quý tới.",
)
FOLLOW_UPS = ("Bổ sung, hoàn thiện sổ sách theo quy định.", "Khắc phục hạn chế đã nêu trong kết luận, báo cáo kết quả.")


class Tree:
    """The loaded tree, read back once: versions by organisation, for ancestors and subtrees on a day."""

    def __init__(self) -> None:
        self.versions: dict[int, list[tuple[dt.date, dt.date, str, str, str, str]]] = defaultdict(list)
        for org_id, a, b, path, kind, name, unit in OrgVersion.objects.order_by("org_id", "valid_from").values_list(
            "org_id", "valid_from", "valid_to", "path", "kind", "name", "admin_unit"
        ):
            self.versions[org_id].append((a, b, path, kind, name, unit))
        self._days: dict[dt.date, dict[int, tuple[str, str, str, str]]] = {}
        self._indexes: dict[dt.date, tuple[dict[int, list[int]], dict[int, list[int]]]] = {}

    def on(self, day: dt.date) -> dict[int, tuple[str, str, str, str]]:
        """org id -> (path, kind, name, admin unit) of the versions valid on ``day``."""
        if day not in self._days:
            self._days[day] = {o: (p, k, n, u) for o, vs in self.versions.items() for a, b, p, k, n, u in vs if a <= day < b}
        return self._days[day]

    def version(self, org_id: int, day: dt.date) -> tuple[str, str, str, str] | None:
        for a, b, p, k, n, u in self.versions.get(org_id, ()):
            if a <= day < b:
                return p, k, n, u
        return None

    def ancestors(self, org_id: int, day: dt.date) -> list[int]:
        """Nearest first, as petitions.services.ancestor_ids."""
        v = self.version(org_id, day)
        if v is None:
            return []
        return [i for i in reversed([int(s) for s in v[0].strip("/").split("/") if s]) if i != org_id]

    def name(self, org_id: int, day: dt.date) -> str:
        v = self.version(org_id, day)
        return v[2] if v else str(org_id)

    def _index(self, day: dt.date) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
        """Cells under each organisation and children of each, on ``day`` (computed once a day)."""
        if day not in self._indexes:
            cells: dict[int, list[int]] = defaultdict(list)
            children: dict[int, list[int]] = defaultdict(list)
            for o, (p, k, _n, _u) in self.on(day).items():
                ids = [int(x) for x in p.strip("/").split("/") if x]
                if len(ids) > 1:
                    children[ids[-2]].append(o)
                if k in CELL_KINDS:
                    for above in ids[:-1]:
                        cells[above].append(o)
            self._indexes[day] = (cells, children)
        return self._indexes[day]

    def cells_under(self, org_id: int, day: dt.date) -> list[int]:
        return sorted(self._index(day)[0].get(org_id, ()))

    def children(self, org_id: int, day: dt.date) -> list[int]:
        return sorted(self._index(day)[1].get(org_id, ()))


class FollowUps:
    def __init__(self, plan: Plan, *, meetings: Tables, org_ids: dict[int, int], member_ids: list[int], users: dict[str, int]) -> None:
        self.plan = plan
        self.rng = random.Random(f"chibo-demo-followups-{plan.seed}")
        self.today = plan.today
        self.tz = timezone.get_default_timezone()
        self.org_ids = org_ids
        self.org_key = {v: k for k, v in org_ids.items()}
        self.member_ids = member_ids
        self.users = users
        self.out = Tables()
        self.tree = Tree()
        self.ids = {m: int(m.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1 for m in (Task, Petition, Briefing, InspectionPlan, InspectionItem)}
        mf = {name: i for i, name in enumerate(MEETING_FIELDS[Meeting])}
        # Held meetings by cell (org id), oldest first: (id, kind, day, starts_at, closed_at).
        self.held: dict[int, list[tuple[int, str, dt.date, dt.datetime, dt.datetime]]] = defaultdict(list)
        self.coming: dict[int, int] = {}
        for row in meetings.rows.get(Meeting, []):
            if row[mf["status"]] == MeetingStatus.APPROVED:
                starts = row[mf["starts_at"]]
                self.held[row[mf["org_id"]]].append((row[0], row[mf["kind"]], self.local(starts), starts, row[mf["closed_at"]]))
            else:
                self.coming[row[mf["org_id"]]] = row[0]
        for rows in self.held.values():
            rows.sort(key=lambda r: r[3])
        self.listed: dict[int, list[int]] = defaultdict(list)  # meeting id -> members (ids) official or probationary that day
        self.present: dict[int, list[int]] = defaultdict(list)
        for meeting_id, member_id, standing, status, *_r in meetings.rows.get(Attendance, []):
            if standing in ("official", "probationary"):
                self.listed[meeting_id].append(member_id)
                if status == "present":
                    self.present[meeting_id].append(member_id)
        adopted = {r[0]: r[1] for r in meetings.rows.get(Resolution, []) if r[6]}  # resolution id -> meeting id
        self.items: dict[int, list[tuple[int, str]]] = defaultdict(list)  # meeting id -> (resolution item id, text)
        for item_id, res_id, _n, text in meetings.rows.get(ResolutionItem, []):
            if res_id in adopted:
                self.items[adopted[res_id]].append((item_id, text))
        # People by DB member id: memberships (cell org id, from, to), secretary and village-head periods.
        self.memberships: dict[int, list[tuple[int, dt.date, dt.date]]] = defaultdict(list)
        self.secretaries: dict[int, list[tuple[int, dt.date, dt.date]]] = defaultdict(list)  # cell id -> (member, from, to)
        self.heads: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
        self.member_name: dict[int, str] = {}
        self._heads: dict[dt.date, dict[int, int]] = {}
        for i, p in enumerate(plan.people):
            mid = member_ids[i]
            for key, a, b in p.memberships:
                self.memberships[mid].append((org_ids[key], a, b))
            for key, kind, a, b in p.positions:
                if kind == "secretary":
                    self.secretaries[org_ids[key]].append((mid, a, b))
            for kind, _area, a, b in p.community:
                if kind == "village_head":
                    self.heads[mid].append((a, b))
        self.persona_cell = self._persona_org("bithu")
        self.persona_commune = self._persona_org("canboxa")
        self.persona_member = member_ids[plan.persona_people["dangvien"]] if "dangvien" in plan.persona_people else None

    def _persona_org(self, username: str) -> int | None:
        key = self.plan.persona_grants.get(username, ("", None))[1]
        return self.org_ids[key] if key is not None else None

    def local(self, at: dt.datetime) -> dt.date:
        return timezone.localtime(at, self.tz).date()

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz).astimezone(dt.UTC)

    def _id(self, model: Any) -> int:
        value = self.ids[model]
        self.ids[model] = value + 1
        return value

    def add(self, model: Any, row: tuple[Any, ...]) -> None:
        self.out.rows[model].append(row)

    def secretary_of(self, cell_id: int, day: dt.date) -> int | None:
        return next((m for m, a, b in self.secretaries.get(cell_id, ()) if a <= day < b), None)

    def run(self) -> Tables:
        self.tasks()
        self.petitions()
        self.briefings()
        self.inspections()
        return self.out

    # Tasks --------------------------------------------------------------------------------------

    def tasks(self) -> None:
        rng = self.rng
        rate = TASKS_PER_RESOLUTION.get(self.plan.scale, 0.35)
        alive = set(self.tree.on(self.today))
        for cell_id, meetings in self.held.items():
            if cell_id not in alive:
                continue  # a cell merged away or dissolved: its tasks would have no meeting to close them
            persona = cell_id == self.persona_cell
            regular = [m for m in meetings if m[1] != MeetingKind.THEMATIC]
            for n, (meeting_id, _kind, day, _starts, closed) in enumerate(regular):
                items = self.items.get(meeting_id)
                listed = self.listed.get(meeting_id)
                if not items or not listed:
                    continue
                last, before_last = n == len(regular) - 1, n == len(regular) - 2
                count = int(rate) + (rng.random() < rate - int(rate)) if not (persona and (last or before_last)) else 2
                for item_id, text in rng.sample(items, min(count, len(items))):
                    fate = None
                    people = rng.sample(listed, min(len(listed), rng.choice((1, 1, 2, 3))))
                    if persona and self.persona_member in listed and (last or before_last) and self.persona_member not in people:
                        people = [self.persona_member, *people[:1]]
                        fate = "open" if last else "overdue"
                    self.task(cell_id, meeting_id=meeting_id, day=day, closed=closed, item_id=item_id, text=text, people=people,
                              later=[m for m in regular[n + 1:]], fate=fate)

    def task(
        self, cell_id: int, *, meeting_id: int, day: dt.date, closed: dt.datetime, item_id: int, text: str, people: list[int],
        later: list[tuple[int, str, dt.date, dt.datetime, dt.datetime]], fate: str | None,
    ) -> None:
        rng = self.rng
        today = self.today
        pk = self._id(Task)
        created = closed + dt.timedelta(minutes=5)
        if fate == "overdue":
            due = today - dt.timedelta(days=rng.randint(2, 6))
        elif fate == "open":
            due = max(today + dt.timedelta(days=rng.randint(10, 25)), day + dt.timedelta(days=20))
        else:
            due = day + dt.timedelta(days=rng.randint(20, 55))
        roll = rng.random()
        if fate is None:
            fate = "done" if roll < 0.6 else "done_late" if roll < 0.77 else "not_done" if roll < 0.85 else "open"
            if fate == "open" and any(m[2] > due + dt.timedelta(days=35) for m in later):
                fate = "not_done"  # kept open past its due date for a while, then closed as not done
        finished: dt.date | None = None
        if fate == "done":
            finished = day + dt.timedelta(days=rng.randint(3, max(3, (due - day).days)))
        elif fate == "done_late":
            finished = due + dt.timedelta(days=rng.randint(1, 30))
        # The closing meeting: the first following meeting after the result (not done: after the due date).
        closing = None
        if fate in ("done", "done_late") and finished is not None:
            closing = next((m for m in later if m[2] > finished), None)
        elif fate == "not_done":
            closing = next((m for m in later if m[2] > due), None)
        status = fate if closing is not None and fate in ("done", "done_late", "not_done") else "open"
        if status == "open":
            finished = None
        checks = [m for m in later if closing is None or m[3] <= closing[3]]
        # Reports before the checks (and before the result), by one of the assignees.
        reported_at: list[dt.date] = []
        previous = day
        for m in checks:
            if rng.random() < 0.85:
                lo = previous + dt.timedelta(days=1)
                hi = min(m[2] - dt.timedelta(days=1), finished or m[2])
                if hi >= lo:
                    when = lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
                    at = self.at(when, rng.randint(7, 21), rng.randint(0, 59))
                    self.add(TaskReport, (pk, rng.choice(people), rng.choice(TASK_REPORTS), "", "", "", 0, "", at))
                    reported_at.append(when)
            previous = m[2]
        for m in checks:
            since = [d for d in reported_at if d < m[2]]
            if m[2] > due and (finished is None or finished >= m[2]):
                outcome = "behind"
            elif not since or since[-1] < add_months(m[2], -1):
                outcome = "no_report"
            else:
                outcome = "on_track"
            self.add(TaskCheck, (pk, m[0], outcome, CHECK_NOTES[outcome], None, m[4]))
        note = ""
        closed_at = closed_meeting = None
        if status != "open" and closing is not None:
            closed_at, closed_meeting = closing[4] + dt.timedelta(minutes=1), closing[0]
            note = rng.choice(LATE_NOTES) if status == "done_late" else rng.choice(NOT_DONE_NOTES) if status == "not_done" else "Hoàn thành tốt."
        title = text[:300]
        expected = "Báo cáo kết quả tại cuộc họp chi bộ tháng sau."
        creator = self.users.get("bithu") if cell_id == self.persona_cell else None
        self.add(Task, (
            pk, cell_id, title, expected, due, status, item_id, "", creator, created, closed_at or created,
            finished, note, closed_at, creator if closed_at else None, closed_meeting,
        ))
        for member_id in people:
            self.add(TaskAssignee, (pk, member_id))

    # Petitions ----------------------------------------------------------------------------------

    def petitions(self) -> None:
        rng = self.rng
        rate = PETITION_RATE.get(self.plan.scale, 0.05)
        # After the last change of the tree: a petition's levels are those of one tree.
        since = max((op.on for op in self.plan.ops), default=dt.date.min)
        alive = self.tree.on(self.today)
        for cell_id, meetings in self.held.items():
            if cell_id not in alive:
                continue
            persona = cell_id == self.persona_cell
            regular = [m for m in meetings if m[1] != MeetingKind.THEMATIC and m[2] >= since]
            for n, m in enumerate(regular):
                reopen = persona and n == len(regular) - 2
                if rng.random() < rate or (persona and n % 2 == 0) or reopen:
                    self.petition(cell_id, meeting=m, later=regular[n + 1:], forced="reopen" if reopen else None)
        if self.persona_commune is not None:
            self.persona_inbox(since)

    def persona_inbox(self, since: dt.date) -> None:
        """The commune staff's inbox: petitions sent by its cells a few days ago, and one due yesterday
        (overdue; today's escalation has not run) when yesterday was a working day; the persona cell's
        secretary has an answer to read out at the coming meeting."""
        cells = [c for c in self.tree.cells_under(self.persona_commune or 0, self.today) if self.tree.ancestors(c, self.today)[:1] == [self.persona_commune]]
        cells.sort()
        if not cells:
            return
        yesterday = self.today - dt.timedelta(days=1)
        sent_for_yesterday = next((s for s in (yesterday - dt.timedelta(days=k) for k in range(10, 40)) if deadline_from(s) == yesterday), None)
        plans = [(self.today - dt.timedelta(days=k), "waiting") for k in (2, 4, 6)]
        plans += [(self.today - dt.timedelta(days=8), "forwarded"), (self.today - dt.timedelta(days=6), "returned"), (self.today + dt.timedelta(days=1), "open")]
        if sent_for_yesterday is not None and sent_for_yesterday > since:
            plans.append((sent_for_yesterday, "overdue"))
        if self.persona_cell in cells:
            plans.append((self.today - dt.timedelta(days=8), "answered"))
        for i, (sent, kind) in enumerate(plans):
            cell_id = self.persona_cell if kind == "answered" and self.persona_cell is not None else cells[i % len(cells)]
            raised = sent - dt.timedelta(days=1)
            members = [m for m, a, b in ((m, a, b) for m, spans in self.memberships.items() for o, a, b in spans if o == cell_id) if a <= raised < b]
            if not members:
                continue
            self.petition(cell_id, meeting=None, later=[], forced=kind, raised=raised, raiser=min(members), sent=sent)

    def petition(
        self, cell_id: int, *, meeting: tuple[int, str, dt.date, dt.datetime, dt.datetime] | None,
        later: list[tuple[int, str, dt.date, dt.datetime, dt.datetime]], forced: str | None,
        raised: dt.date | None = None, raiser: int | None = None, sent: dt.date | None = None,
    ) -> None:
        rng = self.rng
        today = self.today
        tree = self.tree
        pk = self._id(Petition)
        category = rng.choice(CATEGORIES)
        title, text = rng.choice(PETITIONS[category])
        raised_by: int | None = raiser
        raised_by_name = ""
        if meeting is not None:
            raised = meeting[2]
            via = "upper" if rng.random() < 0.15 else "meeting"
            present = self.present.get(meeting[0]) or self.listed.get(meeting[0]) or []
            if via == "meeting" and rng.random() < 0.3 or not present:
                raised_by_name = "Trưởng thôn" if rng.random() < 0.5 else "Đại diện Ban công tác Mặt trận"
            else:
                raised_by = rng.choice(present)
            created = meeting[4]
        else:
            via = "app"
            assert raised is not None
            created = self.at(raised, rng.randint(7, 21), rng.randint(0, 59))
        assert raised is not None
        resident = rng.choice(RESIDENTS) if rng.random() < 0.3 else None
        persona = cell_id == self.persona_cell
        cell_actor = self.users.get("bithu") if persona else None
        state: dict[str, Any] = {
            "status": "open", "holder": None, "external": "", "deadline": None, "escalations": 0, "stalled_on": None, "answer": "",
            "answered_at": None, "answered_on": None, "answered_by": None, "answered_external": "", "read_out_meeting": None,
            "read_out_at": None, "closed_reason": "", "last": created, "prev": ("", None, ""),
        }

        def actor_for(org_id: int | None) -> int | None:
            if org_id is None:
                return cell_actor
            if org_id == self.persona_commune:
                return self.users.get("canboxa")
            if self.plan.persona_grants.get("canbotinh", ("", None))[1] is not None and org_id == self.org_ids.get(self.plan.persona_grants["canbotinh"][1] or 0):
                return self.users.get("canbotinh")
            return None

        def event(kind: str, at: dt.datetime, to_status: str, *, actor: int | None, text: str = "", meeting_id: int | None = None, job: bool = False) -> None:
            before = state["prev"]
            state["status"] = to_status
            self.add(PetitionEvent, (
                pk, kind, None if job else actor, at, self.local(at), before[0], to_status, before[1], before[2],
                state["holder"], state["external"], state["deadline"], meeting_id, text,
            ))
            state["last"] = at
            state["prev"] = (to_status, state["holder"], state["external"])

        def hand_over(org_id: int | None, external: str, day: dt.date) -> None:
            state["holder"], state["external"] = org_id, "" if org_id else external
            state["deadline"], state["stalled_on"] = deadline_from(day), None

        def back() -> None:
            state["holder"], state["external"], state["deadline"], state["stalled_on"] = None, "", None, None

        def when(day: dt.date, hour: int) -> dt.datetime:
            at = self.at(day, hour, rng.randint(0, 59))
            return max(at, state["last"] + dt.timedelta(minutes=1))

        def jobs_until(day: dt.date) -> None:
            """The daily escalation of every day before ``day`` (and before today: today's has not run)."""
            while state["status"] in ("at_level", "reopened") and state["holder"] is not None:
                run = state["deadline"] + dt.timedelta(days=1)
                if run >= min(day + dt.timedelta(days=1), today):
                    return
                at = max(self.at(run, 1, 0), state["last"] + dt.timedelta(minutes=1))
                above = tree.ancestors(state["holder"], run)
                if not above:
                    if state["stalled_on"] is None:
                        state["stalled_on"] = run
                        event("stalled", at, state["status"], actor=None, job=True,
                              text=f"Quá hạn {state['deadline']:%d/%m/%Y} ở cấp cao nhất.")
                    return
                source = state["holder"]
                hand_over(above[0], "", run)
                state["escalations"] += 1
                event("escalated", at, "at_level", actor=None, job=True,
                      text=f"Quá hạn ở {tree.name(source, run)}, chuyển lên {tree.name(above[0], run)}.")

        def due(day: dt.date) -> bool:
            """Whether a move planned on ``day`` happens: the escalations before it first; not after today."""
            jobs_until(day)
            return day <= today

        # Raised, then sent by the cell.
        event("raised", created, "open", actor=cell_actor, text={"meeting": "Tại cuộc họp chi bộ", "upper": "Qua cấp ủy viên cấp trên dự họp", "app": "Đảng viên gửi giữa hai kỳ họp"}[via])
        roll = rng.random()
        path = forced or ("answer" if roll < 0.5 else "forward" if roll < 0.65 else "late" if roll < 0.78 else "return" if roll < 0.86
                          else "out" if roll < 0.9 else "external" if roll < 0.95 else "keep")
        send_day = sent or raised + dt.timedelta(days=rng.randint(1, 6))
        if path == "keep" and raised >= today - dt.timedelta(days=10):
            send_day = today + dt.timedelta(days=1)  # still at the cell
        parents = tree.ancestors(cell_id, send_day if send_day <= today else today)
        if send_day <= today and parents:
            if path == "external":
                hand_over(None, EXTERNAL, send_day)
            else:
                hand_over(parents[0], "", send_day)
            event("sent", when(send_day, 9), "at_level", actor=cell_actor)

            def workdays(a: int, b: int) -> dt.date:
                from chibo.core.workdays import add_working_days

                return add_working_days(state["last"].astimezone(self.tz).date(), rng.randint(a, b))

            def answer(day: dt.date) -> bool:
                if not due(day):
                    return False
                state["answer"] = rng.choice(ANSWERS)
                at = when(day, 15)
                state["answered_at"], state["answered_on"] = at, self.local(at)
                state["answered_by"], state["answered_external"] = state["holder"], state["external"]
                state["read_out_meeting"] = state["read_out_at"] = None
                actor = actor_for(state["holder"])
                back()
                event("answered", at, "answered", actor=actor, text=state["answer"])
                return True

            if forced in ("waiting", "overdue"):
                pass  # held at the commune: sent a few days ago, or due yesterday
            elif forced == "answered":
                answer(today - dt.timedelta(days=1))
            elif forced == "reopen" and later:
                answer(min(workdays(2, 6), later[0][2] - dt.timedelta(days=1)))
            elif forced == "forwarded" and state["holder"] is not None and tree.ancestors(state["holder"], today):
                hand_over(tree.ancestors(state["holder"], today)[0], "", today - dt.timedelta(days=3))
                event("forwarded", when(today - dt.timedelta(days=3), 10), "at_level", actor=self.users.get("canboxa"),
                      text="Vượt thẩm quyền cấp xã, chuyển lên cấp trên.")
            elif forced == "returned":
                actor = actor_for(state["holder"])
                back()
                event("returned", when(today - dt.timedelta(days=2), 10), "returned", actor=actor, text=QUESTIONS[0])
            elif path == "answer":
                answer(workdays(2, 14))
            elif path == "forward":
                day = workdays(2, 8)
                if due(day) and state["holder"] is not None:
                    above = tree.ancestors(state["holder"], day)
                    if above:
                        source = state["holder"]
                        hand_over(above[0], "", day)
                        event("forwarded", when(day, 10), "at_level", actor=actor_for(source), text="Vượt thẩm quyền cấp xã, chuyển lên cấp trên.")
                    answer(workdays(3, 16) if rng.random() < 0.85 else workdays(17, 40))
            elif path == "late":
                # No answer in time: the job moves it up; the next level answers (or not yet).
                answer(workdays(17, 30) if rng.random() < 0.7 else workdays(40, 60))
            elif path == "return":
                day = workdays(2, 6)
                if due(day):
                    actor = actor_for(state["holder"])
                    back()
                    event("returned", when(day, 10), "returned", actor=actor, text=rng.choice(QUESTIONS))
                    again = day + dt.timedelta(days=rng.randint(2, 5))
                    if again <= today:
                        hand_over(parents[0], "", again)
                        event("sent", when(again, 9), "at_level", actor=cell_actor, text="Chi bộ đã bổ sung thông tin theo yêu cầu.")
                        answer(workdays(3, 12))
            elif path == "out":
                day = workdays(2, 8)
                if due(day):
                    actor = actor_for(state["holder"])
                    state["closed_reason"] = OUT_OF_SCOPE
                    back()
                    event("out_of_scope", when(day, 10), "out_of_scope", actor=actor, text=OUT_OF_SCOPE)
            elif path == "external":
                answer(workdays(5, 14))
            else:
                answer(workdays(5, 14))
            # Read out at the next held meeting of the cell, then closed (a few re-opened).
            if state["status"] == "answered" and state["answered_on"] is not None:
                nxt = next((m for m in later if m[2] > state["answered_on"]), None)
                if nxt is not None:
                    state["read_out_meeting"], state["read_out_at"] = nxt[0], nxt[3] + dt.timedelta(minutes=20)
                    event("read_out", state["read_out_at"], "answered", actor=cell_actor, meeting_id=nxt[0])
                    reopen_day = nxt[2] + dt.timedelta(days=rng.randint(1, 20))
                    if forced == "reopen":
                        reopen_day = max(nxt[2] + dt.timedelta(days=1), today - dt.timedelta(days=3))
                    if (rng.random() < 0.06 or forced == "reopen") and state["answered_by"] is not None and reopen_day <= today and deadline_from(reopen_day) >= today:
                        hand_over(state["answered_by"], "", reopen_day)
                        event("reopened", when(reopen_day, 9), "reopened", actor=cell_actor, text=REOPEN_REASON)
                    else:
                        event("closed", state["read_out_at"] + dt.timedelta(minutes=5), "closed", actor=cell_actor)
        jobs_until(today)
        s = state
        self.add(Petition, (
            pk, cell_id, via, meeting[0] if meeting is not None else None, raised_by, raised_by_name, cell_actor, raised, category,
            title, text, resident[0] if resident else "", resident[1] if resident else "",
            "",  # no address is invented
            s["status"], s["holder"], s["external"], s["deadline"], s["escalations"], s["stalled_on"], s["answer"], s["answered_at"],
            s["answered_on"], s["answered_by"], s["answered_external"], s["read_out_meeting"], s["read_out_at"], s["closed_reason"],
            created, s["last"],
        ))

    # Briefings ----------------------------------------------------------------------------------

    def committees_on(self, day: dt.date) -> list[int]:
        """Grassroots and commune-level committees on ``day`` (the ones that brief their cells' secretaries)."""
        return sorted(o for o, (_p, k, _n, u) in self.tree.on(day).items()
                      if k == "grassroots_committee" or (k == "direct" and u in ("commune", "ward", "township")))

    def invitees(self, committee: int, day: dt.date) -> list[tuple[int, int, str]]:
        cells = set(self.tree.cells_under(committee, day))
        secretaries: dict[int, int] = {}
        for cell in cells:
            holder = self.secretary_of(cell, day)
            if holder is not None:
                secretaries[holder] = cell
        heads = {m: home for m, home in self.heads_on(day).items() if home in cells}
        out = []
        for m in sorted(set(secretaries) | set(heads)):
            role = "both" if m in secretaries and m in heads else "secretary" if m in secretaries else "village_head"
            out.append((m, secretaries.get(m) or heads[m], role))
        return out

    def heads_on(self, day: dt.date) -> dict[int, int]:
        """Village heads on ``day`` and the cell they belong to that day (computed once a day)."""
        if day not in self._heads:
            out: dict[int, int] = {}
            for m, spans in self.heads.items():
                if any(a <= day < b for a, b in spans):
                    home = next((o for o, a, b in self.memberships.get(m, ()) if a <= day < b), None)
                    if home is not None:
                        out[m] = home
            self._heads[day] = out
        return self._heads[day]

    def briefings(self) -> None:
        rng = self.rng
        months, coming = window(self.today, MONTHS.get(self.plan.scale, 12))
        first = months[0]
        quarters = []
        q = dt.date(first.year, (first.month - 1) // 3 * 3 + 1, 1)
        if q < first:
            q = add_months(q, 3)
        while q <= coming:
            quarters.append(q)
            q = add_months(q, 3)
        for quarter in quarters:
            year, period = quarter.year, (quarter.month - 1) // 3 + 1
            last = add_months(quarter, 2)
            base = last.replace(day=rng.randint(20, 27))
            held = base < self.today
            for committee in self.committees_on(base):
                day = base + dt.timedelta(days=rng.randint(-2, 2))
                while day.weekday() >= 5:
                    day -= dt.timedelta(days=1)
                if (day < self.today) != held:
                    day = base
                self.briefing(committee, year=year, period=period, day=day, held=day < self.today)

    def briefing(self, committee: int, *, year: int, period: int, day: dt.date, held: bool) -> None:
        rng = self.rng
        invited = self.invitees(committee, day)
        if not invited:
            return
        pk = self._id(Briefing)
        starts = self.at(day, 8, 0)
        chair = names.person_name(rng, sex="male" if rng.random() < 0.7 else "female", born=dt.date(1972, 1, 1))
        recorder = names.person_name(rng, sex="female" if rng.random() < 0.6 else "male", born=dt.date(1988, 1, 1))
        created = self.at(day - dt.timedelta(days=rng.randint(20, 40)), 9)
        place = "Hội trường " + self.tree.name(committee, day).replace("Đảng bộ ", "Đảng ủy ")
        self.add(Briefing, (
            pk, committee, year, period, starts, place[:200], " ".join(x for x in (chair.surname, chair.middle, chair.given) if x),
            " ".join(x for x in (recorder.surname, recorder.middle, recorder.given) if x), "held" if held else "planned", "",
            starts + dt.timedelta(hours=3) if held else None, created,
        ))
        for n, (title, content, conclusion) in enumerate(BRIEFING_ITEMS, start=1):
            self.add(BriefingItem, (pk, n, title, content if held else "", conclusion if held else ""))
        present = []
        for member_id, cell, role in invited:
            status = reason = ""
            marked = None
            if held:
                roll = rng.random()
                status = "present" if roll < 0.86 else "excused" if roll < 0.97 else "unexcused"
                reason = rng.choice(EXCUSES) if status == "excused" else ""
                marked = starts + dt.timedelta(minutes=rng.randint(-20, 10))
                if status == "present":
                    present.append((member_id, cell))
            self.add(BriefingAttendance, (pk, member_id, cell, role, status, reason, marked))
        if held and not present:  # held: someone was there
            member_id, cell, role = invited[0]
            rows = self.out.rows[BriefingAttendance]
            rows[-len(invited)] = (pk, member_id, cell, role, "present", "", starts)
            present.append((member_id, cell))
        if held:
            old = day < self.today - dt.timedelta(days=120)
            for text, kind in rng.sample(BRIEFING_ISSUES, rng.randint(1, 2)):
                member_id, cell = rng.choice(present)
                # old issues were dealt with at the briefing itself (a "converted" one needs its task or petition link)
                status = "closed" if old else "open"
                self.add(BriefingIssue, (pk, text, self._member_full_name(member_id), cell, member_id, kind, status, starts + dt.timedelta(hours=2)))

    def _member_full_name(self, member_id: int) -> str:
        if not self.member_name:
            self.member_name = {self.member_ids[i]: p.full_name for i, p in enumerate(self.plan.people)}
        return self.member_name.get(member_id, "")

    # Inspections --------------------------------------------------------------------------------

    def inspections(self) -> None:
        today = self.today
        year = today.year
        on = self.tree.on(today)
        for org_id in sorted(o for o, (_p, k, _n, _u) in on.items() if k not in CELL_KINDS):
            self.inspection_plan(org_id, year=year)

    def inspection_plan(self, org_id: int, *, year: int) -> None:
        rng = self.rng
        today = self.today
        month = today.replace(day=1)
        children = self.tree.children(org_id, today)
        cells = self.tree.cells_under(org_id, today)
        targets = cells if len(cells) <= 60 or not children else children
        if not targets:
            return
        pk = self._id(InspectionPlan)
        approved = min(dt.date(year, 1, rng.randint(6, 20)), today)
        self.add(InspectionPlan, (pk, org_id, year, approved, "", self.at(approved - dt.timedelta(days=3), 9)))
        months = [dt.date(year, m, 1) for m in range(1, 13)]
        persona = org_id == self.persona_commune
        chosen = sorted(rng.sample(months, rng.randint(5, 8)))
        if persona or org_id == self._persona_org("canbotinh"):
            chosen = sorted({*chosen, month})
        left_overdue = False
        for n, start in enumerate(chosen):
            end = min(add_months(start, rng.choice((0, 0, 1))), dt.date(year, 12, 1))
            target = rng.choice(targets)
            if persona and start == month and self.persona_cell is not None:
                target = self.persona_cell
            kind, topic = TOPICS[(n + rng.randrange(len(TOPICS))) % len(TOPICS)]
            member = None
            if target in cells and rng.random() < 0.15:
                member = self.secretary_of(target, today)
                if member is not None:
                    kind, topic = "supervision", MEMBER_TOPIC
            item = self._id(InspectionItem)
            status, done_on, findings, conclusions, reason = "planned", None, "", "", ""
            if end < month:
                roll = rng.random()
                if roll < 0.04:
                    status, reason = "cancelled", "Đối tượng đã được kiểm tra theo chuyên đề của cấp trên."
                elif roll < 0.12 and not left_overdue:
                    left_overdue = True  # past its months, not done yet
                else:
                    last_day = min(add_months(end, 1) + dt.timedelta(days=9), today - dt.timedelta(days=1))
                    span = max((last_day - start).days, 0)
                    done_on = start + dt.timedelta(days=rng.randint(min(14, span), span))
                    status, findings, conclusions = "done", rng.choice(FINDINGS), rng.choice(CONCLUSIONS)
            elif start <= month:
                status = "in_progress" if rng.random() < 0.5 and not (persona and start == month) else "planned"
            inspectors = "Ủy ban Kiểm tra" if kind == "inspection" else "Đoàn giám sát của cấp ủy"
            self.add(InspectionItem, (
                item, pk, kind, target, member, topic, start, end, inspectors, status, findings, conclusions, done_on, reason,
                self.at(approved - dt.timedelta(days=2), 10),
            ))
            if status == "done" and done_on is not None and rng.random() < 0.7:
                responsible = self.secretary_of(target, today) if target in cells else None
                due = done_on + dt.timedelta(days=rng.randint(30, 60))
                fstatus, closed_on = "open", None
                if due < today:
                    roll = rng.random()
                    if roll < 0.75:
                        fstatus, closed_on = "done", min(due, today - dt.timedelta(days=1))
                    elif roll < 0.85:
                        fstatus, closed_on = "not_done", due + dt.timedelta(days=1) if due + dt.timedelta(days=1) < today else due
                self.add(FollowUp, (item, rng.choice(FOLLOW_UPS), responsible, due, fstatus, closed_on, ""))


def load_followups(
    plan: Plan, *, meetings: Tables, orgs: dict[int, Organisation], members: list[Member], log: Callable[[str], None] = lambda _m: None,
) -> dict[str, int]:
    """Generate and write the follow-up loops of a loaded plan; returns row counts by table."""
    started = time.perf_counter()
    users = dict(User.objects.filter(username__in=["canboxa", "canbotinh", "bithu", "dangvien"]).values_list("username", "id"))
    generator = FollowUps(plan, meetings=meetings, org_ids={k: o.pk for k, o in orgs.items()}, member_ids=[m.pk for m in members], users=users)
    tables = generator.run()
    log(f"  theo dõi thực hiện: kế hoạch {len(tables.rows[Task])} nhiệm vụ, {len(tables.rows[Petition])} kiến nghị, "
        f"{len(tables.rows[Briefing])} buổi giao ban, {len(tables.rows[InspectionItem])} nội dung kiểm tra ({time.perf_counter() - started:.1f} s)")
    counts: dict[str, int] = {}
    for model in ORDER:
        counts[model._meta.label] = write_rows(model, FIELDS[model], tables.rows.get(model, []))
    reset_sequences(ORDER)
    log(f"  theo dõi thực hiện: ghi xong ({time.perf_counter() - started:.1f} s)")
    return counts
