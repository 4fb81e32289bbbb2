"""The meeting's documents: minutes (biên bản) and resolution (nghị quyết), and a cell's yearly book
of resolutions, as PDF (WeasyPrint) and DOCX (python-docx), in the Party's document format
(36-HD/VPTW: A4, Times New Roman 14 pt, two-column header, signature block bottom right).

Both formats are drawn from the same :class:`PartyDocument`, so they always say the same thing.
The text is Vietnamese whatever the interface language and NFC-normalised throughout; fonts come
from the system through fontconfig ("Times New Roman" or its metric twin "Liberation Serif").
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.dates import fmt_date, local, local_date
from chibo.core.dates import today as local_today
from chibo.core.text import sort_key
from chibo.meetings.agenda_templates import content_of
from chibo.meetings.models import (
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Resolution,
    Standing,
)
from chibo.members.models import Member, Position, PositionKind
from chibo.orgs.models import OrgVersion
from chibo.orgs.selectors import ancestors, versions_on
from chibo.tasks.selectors import minutes_line as task_minutes_line

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
# On every page of the minutes and the resolution until the meeting is approved (the documents are
# Vietnamese whatever the interface language).
DRAFT_MARK = "DỰ THẢO"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


# Dates in Party documents ---------------------------------------------------------------------


def long_date(day: dt.date) -> str:
    """"ngày 03 tháng 10 năm 2026": days below 10 and months 1 and 2 take a leading zero (36-HD/VPTW)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return _("ngày %(day)s tháng %(month)s năm %(year)s") % {"day": f"{day.day:02d}", "month": month, "year": day.year}


def clock(moment: dt.datetime) -> str:
    at = local(moment)  # Vietnam's wall clock
    return _("%(h)s giờ %(m)s phút") % {"h": f"{at.hour:02d}", "m": f"{at.minute:02d}"}


def _percent(part: int, whole: int) -> str:
    value = round(100 * part / whole, 1)
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


# The document model -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One paragraph of the body.

    style: "heading" (bold, flush left: "I. THÀNH PHẦN"), "subheading" (bold, indented),
    "para" (justified, first line indented), "dash" ("- …", indented), "center" (bold, centred).
    ``label`` is a lead-in run before the text, bold (label_bold) or italic.
    """

    style: str
    text: str = ""
    label: str = ""
    label_bold: bool = True

    @property
    def label_is_bold(self) -> bool:
        return self.label_bold or self.style == "subheading"

    @property
    def label_is_italic(self) -> bool:
        return not self.label_bold and self.style != "dash"


@dataclass(frozen=True)
class Signer:
    title: str  # "BÍ THƯ", "CHỦ TRÌ", "THƯ KÝ"
    name: str
    on_behalf: str = ""  # "T/M CHI BỘ"


@dataclass
class Header:
    committee: str  # the committee directly above, upper case
    cell: str  # upper case
    number: str  # "Số 03-NQ/CB", or "" for minutes
    place: str  # "Quảng Tân"
    day: dt.date | None  # None: no date line (the book's cover)

    @property
    def date_line(self) -> str:
        if self.day is None:
            return ""
        return f"{self.place}, {long_date(self.day)}" if self.place else long_date(self.day).capitalize()


@dataclass
class PartyDocument:
    header: Header
    title: str  # "NGHỊ QUYẾT", "BIÊN BẢN"
    subject: str
    blocks: list[Block] = field(default_factory=list)
    signers: list[Signer] = field(default_factory=list)  # one (right), or two (left, right)
    recipients: list[str] = field(default_factory=list)
    draft: bool = False

    def normalised(self) -> PartyDocument:
        h = self.header
        return PartyDocument(
            header=Header(nfc(h.committee), nfc(h.cell), nfc(h.number), nfc(h.place), h.day),
            title=nfc(self.title),
            subject=nfc(self.subject),
            blocks=[Block(b.style, nfc(b.text), nfc(b.label), b.label_bold) for b in self.blocks],
            signers=[Signer(nfc(s.title), nfc(s.name), nfc(s.on_behalf)) for s in self.signers],
            recipients=[nfc(r) for r in self.recipients],
            draft=self.draft,
        )


# Organisation context ---------------------------------------------------------------------------

_PLACE_PREFIX = re.compile(r"^(đảng bộ|chi bộ|đảng ủy|đảng uỷ)\s+(xã|phường|thị trấn|đặc khu)\s+", re.IGNORECASE)
_BODY_PREFIX = re.compile(r"^(đảng bộ|chi bộ)\s+", re.IGNORECASE)


@dataclass
class OrgContext:
    cell: OrgVersion
    committee: OrgVersion | None
    place: str

    @property
    def cell_name(self) -> str:
        return nfc(self.cell.name)

    @property
    def committee_body(self) -> str:
        """The committee that receives the cell's documents: "Đảng ủy xã Quảng Tân"."""
        if self.committee is None:
            return ""
        name = nfc(self.committee.name)
        if name.lower().startswith("đảng bộ "):
            return _("Đảng ủy") + name[len("Đảng bộ") :]
        return name


def commune_place(version: OrgVersion) -> str:
    """A commune-level organisation's place name: "Đảng bộ xã Quảng Tân" → "Quảng Tân"."""
    return _PLACE_PREFIX.sub("", nfc(version.name))


def org_context(org_id: int, on: dt.date) -> OrgContext:
    """The cell's version on ``on``, the committee directly above it that day and the place name.

    The place is the commune (ward, township) name without its "Đảng bộ xã " prefix, from the
    nearest commune-level ancestor; failing that, the cell's area name; failing that, the parent's
    name without "Đảng bộ ".
    """
    version = versions_on(on).filter(org_id=org_id).first()
    if version is None:  # a document dated outside the cell's life: use its latest name
        version = OrgVersion.objects.filter(org_id=org_id).order_by("-valid_from").first()
    assert version is not None
    committee = versions_on(on).filter(org_id=version.parent_id).first() if version.parent_id else None
    place = ""
    for above in reversed(ancestors(version, on=on)):
        if above.admin_unit:
            place = commune_place(above)
            break
    if not place and version.area_name:
        place = nfc(version.area_name)
    if not place and committee is not None:
        place = _BODY_PREFIX.sub("", nfc(committee.name))
    return OrgContext(cell=version, committee=committee, place=place)


def _header(ctx: OrgContext, *, number: str, day: dt.date | None) -> Header:
    committee = nfc(ctx.committee.name).upper() if ctx.committee else ""
    return Header(committee=committee, cell=ctx.cell_name.upper(), number=number, place=ctx.place, day=day)


def _secretary_signer(org_id: int, day: dt.date, chair: Member | None) -> Signer:
    on_behalf = _("T/M CHI BỘ")
    positions = Position.objects.filter(org_id=org_id, valid_from__lte=day, valid_to__gt=day).select_related("member")
    secretary = positions.filter(kind=PositionKind.SECRETARY).first()
    if secretary is not None:
        return Signer(_("BÍ THƯ"), secretary.member.full_name, on_behalf)
    if chair is not None and positions.filter(kind=PositionKind.DEPUTY_SECRETARY, member=chair).exists():
        return Signer(_("PHÓ BÍ THƯ"), chair.full_name, on_behalf)
    return Signer(_("BÍ THƯ"), "", on_behalf)


_TARGET_WORDS = {
    "minutes": gettext_lazy("Biên bản"),
    "resolution": gettext_lazy("Nghị quyết"),
    "attendance": gettext_lazy("Điểm danh"),
    "agenda": gettext_lazy("nội dung"),
    "item": gettext_lazy("mục"),
    "speech": gettext_lazy("ý kiến phát biểu"),
    "conclusion": gettext_lazy("kết luận"),
    "title": gettext_lazy("trích yếu"),
    "preamble": gettext_lazy("phần mở đầu"),
    "votes": gettext_lazy("kết quả biểu quyết"),
    "guest": gettext_lazy("khách mời"),
}


def correction_target(target: str) -> str:
    """"resolution.item.2" → "Nghị quyết, mục 2"; unknown words are kept as they are."""
    words: list[str] = []
    for part in target.split("."):
        if part.isdigit() and words:
            words[-1] += f" {part}"
        else:
            words.append(str(_TARGET_WORDS.get(part, part)))
    return ", ".join(words)


def _corrections(meeting: Meeting, *, prefix: str = "") -> list[Block]:
    rows = [c for c in meeting.corrections.all() if c.target.startswith(prefix)]
    if not rows:
        return []
    blocks = [Block("heading", _("ĐÍNH CHÍNH"))]
    for c in rows:
        made = local_date(c.made_at)
        blocks.append(
            Block(
                "para",
                _("Nội dung: %(target)s. Trước: “%(before)s”. Sau: “%(after)s”. Lý do: %(reason)s.")
                % {"target": correction_target(c.target), "before": c.before, "after": c.after, "reason": c.reason.rstrip(".")},
                label=_("Đính chính số %(n)s, ngày %(date)s.") % {"n": f"{c.number:02d}", "date": fmt_date(made)},
            )
        )
    return blocks


# The resolution ---------------------------------------------------------------------------------


def _meeting_day(meeting: Meeting) -> dt.date:
    return local_date(meeting.starts_at)


def _vote_counts(resolution: Resolution) -> tuple[int, int, int, int]:
    agree, disagree, abstain = resolution.votes_agree, resolution.votes_disagree, resolution.votes_abstain
    if not (agree or disagree or abstain):
        choices = list(resolution.votes.values_list("choice", flat=True))
        agree, disagree, abstain = (choices.count(c) for c in ("agree", "disagree", "abstain"))
    base = resolution.vote_base or resolution.meeting.attendance.exclude(
        standing__in=[Standing.TEMP_OUT, Standing.SUSPENDED]
    ).count()
    return agree, disagree, abstain, base


def _vote_sentence(resolution: Resolution) -> str:
    """"2/2 đồng chí tán thành (đạt 100%)." with the disagreeing and abstaining counts when there are any."""
    agree, disagree, abstain, base = _vote_counts(resolution)
    text = _("%(agree)s/%(base)s đồng chí tán thành") % {"agree": agree, "base": base}
    if base:
        text += _(" (đạt %(pct)s)") % {"pct": _percent(agree, base)}
    if disagree:
        text += _("; %(n)s đồng chí không tán thành") % {"n": disagree}
    if abstain:
        text += _("; %(n)s đồng chí không biểu quyết") % {"n": abstain}
    return text + "."


def resolution_document(resolution: Resolution) -> PartyDocument:
    meeting = resolution.meeting
    day = _meeting_day(meeting)
    ctx = org_context(meeting.org_id, day)
    blocks = [Block("para", line.strip()) for line in resolution.preamble.splitlines() if line.strip()]
    blocks.append(Block("center", _("CHI BỘ QUYẾT NGHỊ:")))
    blocks += [Block("para", item.text.strip(), label=f"{i}.") for i, item in enumerate(resolution.items.all(), start=1)]
    if resolution.adopted:
        blocks.append(
            Block(
                "para",
                _("Nghị quyết này được %(cell)s thông qua tại kỳ sinh hoạt ngày %(date)s, với %(votes)s")
                % {"cell": ctx.cell_name, "date": fmt_date(day), "votes": _vote_sentence(resolution)},
            )
        )
    blocks += _corrections(meeting, prefix="resolution")
    recipients = []
    if ctx.committee_body:
        recipients.append(_("- %(body)s (để báo cáo),") % {"body": ctx.committee_body})
    recipients.append(_("- Lưu chi bộ."))
    return PartyDocument(
        header=_header(ctx, number=resolution.code, day=day),
        title=_("NGHỊ QUYẾT"),
        subject=resolution.title.strip(),
        blocks=blocks,
        signers=[_secretary_signer(meeting.org_id, day, meeting.chair)],
        recipients=recipients,
        draft=not resolution.adopted or meeting.status != MeetingStatus.APPROVED,
    ).normalised()


# The minutes ------------------------------------------------------------------------------------


def _name(member: Member | None) -> str:
    return member.full_name if member is not None else "……………………"


def _member_order(member: Member) -> tuple[Any, ...]:
    return sort_key(member.given_name), sort_key(f"{member.surname} {member.middle_name}"), member.pk


def minutes_document(meeting: Meeting) -> PartyDocument:
    day = _meeting_day(meeting)
    ctx = org_context(meeting.org_id, day)
    kind = meeting.get_kind_display().lower() if meeting.kind != MeetingKind.REGULAR else _("thường kỳ")
    period = _("tháng %(month)s năm %(year)s") % {"month": meeting.month.month, "year": meeting.month.year}
    subject = _("Sinh hoạt chi bộ %(kind)s %(period)s") % {"kind": kind, "period": period}
    if meeting.topic:
        subject += f" — {meeting.topic}"
    place = meeting.place or "……………………"
    blocks = [
        Block(
            "para",
            _("Hồi %(time)s, %(date)s, tại %(place)s, %(cell)s tiến hành sinh hoạt %(kind)s %(period)s.")
            % {"time": clock(meeting.starts_at), "date": long_date(day), "place": place, "cell": ctx.cell_name, "kind": kind, "period": period},
        ),
        Block("heading", _("I. THÀNH PHẦN")),
        Block("dash", _name(meeting.chair), label=_("- Chủ trì: đồng chí"), label_bold=False),
        Block("dash", _name(meeting.minute_taker), label=_("- Thư ký: đồng chí"), label_bold=False),
    ]
    rows = sorted(meeting.attendance.select_related("member"), key=lambda a: _member_order(a.member))
    total = len(rows)
    present = sum(1 for a in rows if a.status == AttendanceStatus.PRESENT)
    absent = [a for a in rows if a.status in (AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED)]
    excused = sum(1 for a in absent if a.status == AttendanceStatus.EXCUSED)
    standings = [(s.label, sum(1 for a in rows if a.standing == s)) for s in Standing]
    breakdown = ", ".join(f"{label.lower()} {n}" for label, n in standings if n)
    blocks.append(
        Block(
            "dash",
            _("%(total)s đồng chí%(breakdown)s; có mặt %(present)s/%(total)s đồng chí; vắng mặt %(absent)s đồng chí (có lý do %(excused)s, không lý do %(unexcused)s).")
            % {
                "total": total,
                "breakdown": f" ({breakdown})" if breakdown else "",
                "present": present,
                "absent": len(absent),
                "excused": excused,
                "unexcused": len(absent) - excused,
            },
            label=_("- Tổng số đảng viên được triệu tập:"),
            label_bold=False,
        )
    )
    if absent:
        blocks.append(Block("para", "", label=_("Đảng viên vắng mặt:"), label_bold=False))
        for a in absent:
            reason = a.reason.strip().rstrip(".") or _("không báo lý do")
            blocks.append(
                Block("dash", f"{a.member.full_name} — {a.get_status_display().lower()}: {reason}.", label=_("- Đồng chí"), label_bold=False)
            )
    guests = list(meeting.guests.all())
    if guests:
        blocks.append(Block("para", "", label=_("Khách mời:"), label_bold=False))
        blocks += [Block("dash", f"{g.name}{', ' + g.title if g.title else ''}.", label=_("- Đồng chí"), label_bold=False) for g in guests]
    blocks.append(Block("heading", _("II. NỘI DUNG")))
    for i, item in enumerate(meeting.agenda.prefetch_related("speeches"), start=1):
        blocks.append(Block("subheading", item.title.strip(), label=f"{i}."))
        # Only what the user wrote: a template's hint ("ghi rõ họ tên") is guidance, not content.
        blocks += [Block("para", line.strip()) for line in content_of(item.details).splitlines() if line.strip()]
        speeches = list(item.speeches.all())
        if speeches:
            blocks.append(Block("para", "", label=_("Ý kiến phát biểu:"), label_bold=False))
            blocks += [Block("dash", s.text.strip(), label=_("- Đồng chí %(name)s:") % {"name": s.speaker_name}) for s in speeches]
        if item.conclusion.strip():
            blocks.append(Block("para", item.conclusion.strip(), label=_("Kết luận của đồng chí chủ trì:"), label_bold=False))
    checks = task_minutes_line(meeting)  # the chi ủy's checks of assigned tasks (chibo.tasks)
    if checks:
        blocks.append(Block("para", checks, label=_("Kiểm tra việc thực hiện nhiệm vụ được giao:"), label_bold=False))
    resolution = Resolution.objects.filter(meeting=meeting).first()
    if resolution is not None:
        blocks.append(Block("heading", _("III. BIỂU QUYẾT")))
        outcome = _("Nghị quyết được thông qua.") if resolution.adopted else _("Nghị quyết chưa được thông qua.")
        blocks.append(
            Block(
                "para",
                _("Chi bộ biểu quyết thông qua Nghị quyết %(code)s %(title)s: %(votes)s %(outcome)s")
                % {"code": resolution.code, "title": resolution.title.strip(), "votes": _vote_sentence(resolution), "outcome": outcome},
            )
        )
    if meeting.closed_at is not None:
        end = local_date(meeting.closed_at)
        same_day = _("cùng ngày") if end == day else long_date(end)
        closing = _("Buổi sinh hoạt kết thúc hồi %(time)s %(day)s.") % {"time": clock(meeting.closed_at), "day": same_day}
    else:
        closing = _("Buổi sinh hoạt kết thúc hồi …… giờ …… phút cùng ngày.")
    blocks.append(Block("para", closing))
    blocks += _corrections(meeting)
    return PartyDocument(
        header=_header(ctx, number="", day=day),
        title=_("BIÊN BẢN"),
        subject=subject,
        blocks=blocks,
        signers=[Signer(_("THƯ KÝ"), _name(meeting.minute_taker).strip("…")), Signer(_("CHỦ TRÌ"), _name(meeting.chair).strip("…"))],
        draft=meeting.status != MeetingStatus.APPROVED,
    ).normalised()


# The yearly book --------------------------------------------------------------------------------


def book_resolutions(org_id: int, year: int) -> QuerySet[Resolution]:
    """The cell's resolutions adopted at meetings held in ``year`` (local time), in number order."""
    return (
        Resolution.objects.filter(meeting__org_id=org_id, adopted=True, meeting__starts_at__year=year)
        .select_related("meeting", "meeting__chair", "term")
        .prefetch_related("items", "meeting__corrections")
        .order_by("term__starts_on", "number")
    )


@dataclass
class Book:
    header: Header
    year: int
    contents: list[tuple[str, str, str]]  # (code, dd/mm/yyyy, title)
    documents: list[PartyDocument]


def book(org_id: int, year: int) -> Book:
    resolutions = list(book_resolutions(org_id, year))
    documents = [resolution_document(r) for r in resolutions]
    last_day = min(dt.date(year, 12, 31), local_today())
    cover_day = _meeting_day(resolutions[-1].meeting) if resolutions else last_day
    ctx = org_context(org_id, cover_day)
    contents = [(r.code, fmt_date(_meeting_day(r.meeting)), nfc(r.title)) for r in resolutions]
    return Book(header=_header(ctx, number="", day=None), year=year, contents=contents, documents=documents)


# PDF --------------------------------------------------------------------------------------------


# "tháng 9", "Số 01-NQ/CB": a number stays on the line of the word it counts.
_NO_BREAK = re.compile(r"\b(ngày|tháng|năm|Số|số|lần) (?=\d)")


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported late: it loads pango and fontconfig

    html = _NO_BREAK.sub("\\1\u00a0", nfc(render_to_string(template, context)))
    return HTML(string=html, base_url=None).write_pdf()


def _single_pdf(d: PartyDocument) -> bytes:
    """One document; until its meeting is approved every page carries "DỰ THẢO" (a page margin box)."""
    return _pdf("meetings/docs_document.html", {"documents": [d], "draft_pages": d.draft, "draft_mark": DRAFT_MARK})


def document_pdf(d: PartyDocument) -> bytes:
    """Any PartyDocument (a briefing's record, an inspection's conclusion) in the same PDF layout."""
    with translation.override("vi"):
        return _single_pdf(d)


def minutes_pdf(meeting: Meeting) -> bytes:
    with translation.override("vi"):
        return _single_pdf(minutes_document(meeting))


def resolution_pdf(resolution: Resolution) -> bytes:
    with translation.override("vi"):
        return _single_pdf(resolution_document(resolution))


def book_pdf(org_id: int, year: int) -> bytes:
    with translation.override("vi"):
        b = book(org_id, year)
        return _pdf("meetings/docs_book.html", {"book": b, "documents": b.documents})


# DOCX -------------------------------------------------------------------------------------------


class _Docx:
    """A python-docx document in the Party format: A4, margins 20/20/30/15 mm, Times New Roman 14 pt."""

    def __init__(self) -> None:
        from docx import Document

        self.doc = Document()
        self._setup()

    def _setup(self) -> None:
        from docx.enum.section import WD_ORIENT
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt

        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        section.header_distance = section.footer_distance = Mm(10)
        # Page numbers at the top centre from the second page (36-HD/VPTW).
        section.different_first_page_header_footer = True
        para = section.header.paragraphs[0]
        para.alignment = 1
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), "PAGE")
        para._p.append(fld)

        def set_fonts(rpr: Any) -> None:
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                fonts = OxmlElement("w:rFonts")
                rpr.insert(0, fonts)
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attr), None)
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(attr), FONT)
            for tag in ("w:sz", "w:szCs"):
                el = rpr.find(qn(tag))
                if el is None:
                    el = OxmlElement(tag)
                    rpr.append(el)
                el.set(qn("w:val"), "28")
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                rpr.append(lang)
            lang.set(qn("w:val"), "vi-VN")

        styles = self.doc.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr_default = defaults.find(qn("w:rPrDefault"))
            if rpr_default is not None:
                rpr = rpr_default.find(qn("w:rPr"))
                if rpr is not None:
                    set_fonts(rpr)
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(14)
        set_fonts(normal.element.get_or_add_rPr())
        fmt = normal.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.1

    # building blocks

    def para(self, container: Any = None, *, align: int = 3, indent: bool = False, before: float = 0, after: float = 6) -> Any:
        from docx.shared import Cm, Pt

        p = (container or self.doc).add_paragraph()
        p.alignment = align  # 0 left, 1 centre, 3 justify
        fmt = p.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        if indent:
            fmt.first_line_indent = Cm(1)
        return p

    @staticmethod
    def run(p: Any, text: str, *, bold: bool = False, italic: bool = False, underline: bool = False, size: float | None = None) -> Any:
        from docx.shared import Pt

        r = p.add_run(nfc(text))
        r.bold, r.italic, r.underline = bold or None, italic or None, underline or None
        if size:
            r.font.size = Pt(size)
        return r

    def table(self, rows: int, widths_mm: tuple[float, float]) -> Any:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm

        t = self.doc.add_table(rows=rows, cols=2)
        t.autofit = False
        tbl_pr = t._tbl.tblPr
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:val"), "nil")
            borders.append(el)
        # CT_TblPr keeps its children in schema order: the borders go before the layout and the look.
        anchor = tbl_pr.find(qn("w:tblLayout"))
        if anchor is None:
            anchor = tbl_pr.find(qn("w:tblLook"))
        if anchor is None:
            tbl_pr.append(borders)
        else:
            anchor.addprevious(borders)
        for row in t.rows:
            for cell, width in zip(row.cells, widths_mm, strict=True):
                cell.width = Mm(width)
        for col, width in zip(t.columns, widths_mm, strict=True):
            col.width = Mm(width)
        return t

    @staticmethod
    def cell_para(cell: Any, *, first: bool = False, align: int = 1, after: float = 0) -> Any:
        from docx.shared import Pt

        p = cell.paragraphs[0] if first else cell.add_paragraph()
        p.alignment = align
        p.paragraph_format.space_before, p.paragraph_format.space_after = Pt(0), Pt(after)
        p.paragraph_format.first_line_indent = None
        return p

    def header(self, h: Header) -> None:
        t = self.table(2, (70, 95))
        left, right = t.cell(0, 0), t.cell(0, 1)
        if h.committee:
            self.run(self.cell_para(left, first=True), h.committee)
            self.run(self.cell_para(left), h.cell, bold=True)
        else:
            self.run(self.cell_para(left, first=True), h.cell, bold=True)
        self.run(self.cell_para(left), "*")
        self.run(self.cell_para(right, first=True), _("ĐẢNG CỘNG SẢN VIỆT NAM"), bold=True, underline=True, size=15)
        if h.number:
            self.run(self.cell_para(t.cell(1, 0), first=True), h.number)
        self.run(self.cell_para(t.cell(1, 1), first=True), h.date_line, italic=True)

    def document(self, d: PartyDocument, *, page_break: bool = False) -> None:
        if page_break:
            self.doc.add_page_break()
        self.header(d.header)
        self.run(self.para(align=1, before=18, after=0), d.title, bold=True, size=16)
        if d.subject:
            self.run(self.para(align=1, after=0), d.subject, bold=True)
        self.run(self.para(align=1, after=12), "-----")
        if d.draft:
            self.run(self.para(align=1), _("(Dự thảo)"), italic=True)
        for b in d.blocks:
            if b.style == "heading":
                p = self.para(align=0, before=6)
            elif b.style == "center":
                p = self.para(align=1, before=6)
            else:
                p = self.para(indent=True)
            if b.label:
                self.run(p, b.label + (" " if b.text else ""), bold=b.label_is_bold, italic=b.label_is_italic)
            if b.text:
                self.run(p, b.text, bold=b.style in ("heading", "subheading", "center"))
        self.signature(d)

    def signature(self, d: PartyDocument) -> None:
        self.para(after=0)
        t = self.table(1, (75, 90))
        left, right = t.cell(0, 0), t.cell(0, 1)

        def sign(cell: Any, s: Signer) -> None:
            first = True
            if s.on_behalf:
                self.run(self.cell_para(cell, first=True), s.on_behalf, bold=True)
                first = False
            self.run(self.cell_para(cell, first=first, after=72), s.title, bold=True)
            self.run(self.cell_para(cell), s.name, bold=True)

        if len(d.signers) == 2:
            sign(left, d.signers[0])
            sign(right, d.signers[1])
        else:
            if d.recipients:
                p = self.cell_para(left, first=True, align=0)
                self.run(p, _("Nơi nhận:"), bold=True, italic=True, size=12)
                for r in d.recipients:
                    self.run(self.cell_para(left, align=0), r, size=12)
            if d.signers:
                sign(right, d.signers[0])

    def cover(self, b: Book) -> None:
        self.header(b.header)
        self.run(self.para(align=1, before=48, after=0), _("SỔ NGHỊ QUYẾT"), bold=True, size=18)
        self.run(self.para(align=1, after=24), _("NĂM %(year)s") % {"year": b.year}, bold=True, size=16)
        if not b.contents:
            self.run(self.para(align=1), _("Chưa có nghị quyết nào được thông qua trong năm."), italic=True)
        for code, day, title in b.contents:
            p = self.para(align=0)
            self.run(p, f"{code}", bold=True)
            self.run(p, f" ({day}): {title}")

    def draft_mark(self) -> None:
        """"DỰ THẢO" at the top right of every page: in the section's header and its first page's."""
        section = self.doc.sections[0]
        for header in (section.first_page_header, section.header):
            p = header.add_paragraph()
            p.alignment = 2  # type: ignore[assignment]  # right (WD_ALIGN_PARAGRAPH.RIGHT)
            self.run(p, DRAFT_MARK, bold=True, size=13)

    def save(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def _single_docx(d: PartyDocument) -> bytes:
    w = _Docx()
    if d.draft:
        w.draft_mark()
    w.document(d)
    return w.save()


def minutes_docx(meeting: Meeting) -> bytes:
    with translation.override("vi"):
        return _single_docx(minutes_document(meeting))


def resolution_docx(resolution: Resolution) -> bytes:
    with translation.override("vi"):
        return _single_docx(resolution_document(resolution))


def book_docx(org_id: int, year: int) -> bytes:
    with translation.override("vi"):
        b = book(org_id, year)
        w = _Docx()
        w.cover(b)
        for d in b.documents:
            w.document(d, page_break=True)
        return w.save()
