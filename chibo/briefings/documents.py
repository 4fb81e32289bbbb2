"""A briefing's record (biên bản hội nghị giao ban) as a PDF in the Party's layout (36-HD/VPTW), drawn
with the meeting documents' PartyDocument and renderer (chibo.meetings.documents)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from chibo.briefings import selectors as sel
from chibo.briefings.models import Briefing, BriefingStatus, IssueKind
from chibo.meetings.documents import (
    Block,
    Header,
    PartyDocument,
    Signer,
    clock,
    commune_place,
    document_pdf,
    long_date,
    nfc,
    org_context,
)
from chibo.meetings.models import AttendanceStatus


def briefing_document(briefing: Briefing) -> PartyDocument:
    day = sel.briefing_day(briefing)
    ctx = org_context(briefing.committee_id, day)  # the committee itself, the body above it, the place
    header = Header(
        committee=nfc(ctx.committee.name).upper() if ctx.committee else "",
        cell=nfc(ctx.cell.name).upper(),
        number="",
        place=commune_place(ctx.cell) if ctx.cell.admin_unit else ctx.place,
        day=day,
    )
    period = sel.period_phrase(briefing)
    place = briefing.place or "……………………"
    blocks = [
        Block(
            "para",
            _("Hồi %(time)s, %(date)s, tại %(place)s, %(body)s tổ chức hội nghị giao ban %(period)s với bí thư chi bộ và trưởng thôn, khu phố.")
            % {"time": clock(briefing.starts_at), "date": long_date(day), "place": place, "body": ctx.committee_body or ctx.cell_name, "period": period},
        ),
        Block("heading", _("I. THÀNH PHẦN")),
        Block("dash", briefing.chair_name or "……………………", label=_("- Chủ trì: đồng chí"), label_bold=False),
        Block("dash", briefing.recorder_name or "……………………", label=_("- Thư ký: đồng chí"), label_bold=False),
    ]
    rows = sel.attendance_rows(briefing)
    present = [a for a in rows if a.row.status == AttendanceStatus.PRESENT]
    absent = [a for a in rows if a.row.status in (AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED)]
    blocks.append(
        Block(
            "dash",
            _("%(total)s đồng chí; có mặt %(present)s đồng chí; vắng mặt %(absent)s đồng chí.") % {"total": len(rows), "present": len(present), "absent": len(absent)},
            label=_("- Số đồng chí được mời:"),
            label_bold=False,
        )
    )
    if present:
        blocks.append(Block("para", "", label=_("Đồng chí có mặt:"), label_bold=False))
        blocks += [Block("dash", f"{a.row.member.full_name}, {a.row.get_role_display().lower()} — {a.cell_name}.", label="-", label_bold=False) for a in present]
    if absent:
        blocks.append(Block("para", "", label=_("Đồng chí vắng mặt:"), label_bold=False))
        for a in absent:
            reason = a.row.reason.strip().rstrip(".") or _("không báo lý do")
            blocks.append(Block("dash", f"{a.row.member.full_name} — {a.cell_name}: {reason}.", label="-", label_bold=False))
    blocks.append(Block("heading", _("II. NỘI DUNG")))
    for i, item in enumerate(briefing.items.all(), start=1):
        blocks.append(Block("subheading", item.title.strip(), label=f"{i}."))
        blocks += [Block("para", line.strip()) for line in item.content.splitlines() if line.strip()]
        if item.conclusion.strip():
            blocks.append(Block("para", item.conclusion.strip(), label=_("Kết luận:"), label_bold=False))
    issues = list(briefing.issues.select_related("owner"))
    if issues:
        blocks.append(Block("heading", _("III. KIẾN NGHỊ, ĐỀ XUẤT")))
        for i, issue in enumerate(issues, start=1):
            who = issue.raised_by_name.strip()
            text = issue.text.strip() + (f" ({who})" if who else "")
            kind = _("giao nhiệm vụ") if issue.kind == IssueKind.TASK else _("kiến nghị lên cấp trên")
            owner = issue.owner.full_name if issue.owner else "……………………"
            blocks.append(Block("para", text, label=f"{i}."))
            blocks.append(Block("dash", _("%(kind)s; người phụ trách: đồng chí %(owner)s.") % {"kind": kind.capitalize(), "owner": owner}, label="-", label_bold=False))
    blocks.append(Block("para", _("Hội nghị kết thúc cùng ngày.")))
    return PartyDocument(
        header=header,
        title=_("BIÊN BẢN"),
        subject=_("Hội nghị giao ban %(period)s") % {"period": period},
        blocks=blocks,
        signers=[Signer(_("THƯ KÝ"), briefing.recorder_name), Signer(_("CHỦ TRÌ"), briefing.chair_name)],
        draft=briefing.status != BriefingStatus.HELD,
    ).normalised()


def briefing_pdf(briefing: Briefing) -> bytes:
    with translation.override("vi"):
        return document_pdf(briefing_document(briefing))
