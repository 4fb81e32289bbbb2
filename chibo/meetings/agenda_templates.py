"""Agenda templates by cell type and meeting kind (domain.md §3, 09-HD/BTCTW 2012 and 42-HD/BTCTW).

The texts are party records, kept in Vietnamese whatever the language of the person who creates
the meeting; they are marked for translation (gettext_noop) so the lead can still extract them.

Residential cells (thôn, tổ dân phố) get the village content 42-HD sets for them; agency and other
cells get the unit's professional tasks instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

from chibo.meetings.models import AgendaSection, MeetingKind
from chibo.orgs.models import Sector


@dataclass(frozen=True)
class Item:
    section: str
    title: str
    details: str = ""


OPENING = Item(
    AgendaSection.OPENING,
    _("Phần mở đầu"),
    _("Thu đảng phí tháng; báo cáo số đảng viên chính thức, dự bị, miễn sinh hoạt, có mặt, vắng mặt (có lý do, không lý do); thông qua chương trình; cử thư ký ghi biên bản."),
)
NEWS = Item(AgendaSection.NEWS, _("Thông tin thời sự, văn bản mới của cấp trên"))
THINKING = Item(AgendaSection.THINKING, _("Tình hình tư tưởng đảng viên"))
REVIEW = Item(AgendaSection.REVIEW, _("Kiểm điểm thực hiện nhiệm vụ tháng trước"), _("Đánh giá từng nhiệm vụ đã giao, người thực hiện, kết quả."))
STUDY = Item(AgendaSection.STUDY, _("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"))
NEXT_TASKS = Item(AgendaSection.NEXT_TASKS, _("Nhiệm vụ tháng tới"), _("Giao nhiệm vụ cụ thể cho từng đảng viên (ghi rõ họ tên)."))
DISCUSSION = Item(AgendaSection.DISCUSSION, _("Thảo luận, góp ý"))
CONCLUSION = Item(AgendaSection.CONCLUSION, _("Kết luận, biểu quyết thông qua nghị quyết"))

RESIDENTIAL_EXTRA = Item(
    AgendaSection.DISCUSSION,
    _("Công việc ở thôn, tổ dân phố"),
    _("An ninh trật tự, vệ sinh môi trường, xây dựng nông thôn mới, đô thị văn minh; hòa giải ở cơ sở; các đoàn thể và khu dân cư."),
)
AGENCY_EXTRA = Item(
    AgendaSection.DISCUSSION,
    _("Lãnh đạo thực hiện nhiệm vụ chính trị, chuyên môn của cơ quan, đơn vị"),
    _("Kết quả công tác chuyên môn; cải cách hành chính; phòng, chống tham nhũng, lãng phí."),
)

THEMATIC_ITEM = Item(AgendaSection.STUDY, _("Nội dung chuyên đề"), _("Báo cáo đề dẫn, thảo luận chuyên đề."))
COMMITTEE_ITEMS = (
    Item(AgendaSection.REVIEW, _("Đánh giá tháng trước"), _("Chi ủy (hoặc bí thư, phó bí thư) đánh giá kết quả tháng trước.")),
    Item(AgendaSection.NEXT_TASKS, _("Chuẩn bị nội dung sinh hoạt chi bộ, dự thảo nghị quyết")),
    Item(AgendaSection.CONCLUSION, _("Kết luận")),
)


def agenda_for(*, kind: str, sector: str) -> list[Item]:
    """The draft agenda for a new meeting."""
    if kind == MeetingKind.COMMITTEE:
        return list(COMMITTEE_ITEMS)
    if kind == MeetingKind.THEMATIC:
        return [OPENING, THEMATIC_ITEM, DISCUSSION, CONCLUSION]
    extra = RESIDENTIAL_EXTRA if sector == Sector.RESIDENTIAL else AGENCY_EXTRA
    items = [OPENING, NEWS, THINKING, REVIEW, STUDY, extra, NEXT_TASKS, DISCUSSION, CONCLUSION]
    if kind == MeetingKind.COMBINED:
        items.insert(items.index(STUDY) + 1, THEMATIC_ITEM)
    return items


# Hints: the templates' ``details`` are guidance for whoever writes the minutes ("ghi rõ họ tên"),
# shown in the forms (help text, placeholder), never printed as the minutes' or documents' content.
ALL_ITEMS: tuple[Item, ...] = (
    OPENING, NEWS, THINKING, REVIEW, STUDY, NEXT_TASKS, DISCUSSION, CONCLUSION,
    RESIDENTIAL_EXTRA, AGENCY_EXTRA, THEMATIC_ITEM, *COMMITTEE_ITEMS,
)  # fmt: skip
HINTS: frozenset[str] = frozenset(item.details for item in ALL_ITEMS if item.details)


def hint_for(item: Any) -> str:
    """The template's guidance for an agenda item (by its section and title, else its section), translated."""
    section, title = getattr(item, "section", ""), getattr(item, "title", "")
    found = next((i for i in ALL_ITEMS if i.details and i.section == section and i.title == title), None)
    found = found or next((i for i in ALL_ITEMS if i.details and i.section == section), None)
    return gettext(found.details) if found else ""


def content_of(details: str) -> str:
    """What the user wrote in an agenda item's details: a template hint copied into them is left out."""
    lines = [line for line in (details or "").splitlines() if line.strip() not in HINTS]
    return "\n".join(lines).strip()
