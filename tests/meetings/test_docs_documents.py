"""Minutes, resolution and the yearly book as real PDF and DOCX files, opened and read back."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tempfile
import unicodedata
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from chibo.meetings.models import (
    AgendaItem,
    Attendance,
    Correction,
    Guest,
    Meeting,
    MeetingStatus,
    Resolution,
    ResolutionItem,
    Speech,
    Vote,
)
from tests.factories import make_member
from tests.meetings.factories import add_attendance, make_meeting, make_term

A4 = (595.28, 841.89)


@pytest.fixture
def docs_world(world):
    """A closed October 2026 meeting with agenda, speeches, an excused absentee, a guest, a voted
    resolution Số 01 and a correction; and a November meeting with resolution Số 02."""
    hang = make_member(world.cell, surname="Nguyễn", middle_name="Thị", given_name="Hằng", sex="female", born=dt.date(1978, 6, 6))
    term = make_term(world.cell)
    meeting = make_meeting(
        world.cell,
        at=dt.time(19, 30),
        status=MeetingStatus.CLOSED,
        chair=world.secretary_member,
        minute_taker=hang,
        opened_at=timezone.make_aware(dt.datetime(2026, 10, 3, 19, 30)),
        closed_at=timezone.make_aware(dt.datetime(2026, 10, 3, 21, 15)),
    )
    add_attendance(meeting, {world.secretary_member.pk: "present", hang.pk: "present", world.member.pk: "excused"})
    Attendance.objects.filter(meeting=meeting, member=world.member).update(reason="Đi công tác tỉnh Quảng Ngãi")
    Guest.objects.create(meeting=meeting, name="Lê Văn Dũng", title="Đảng ủy viên, Đảng ủy xã Quảng Tân")
    review = AgendaItem.objects.create(
        meeting=meeting, position=1, section="review", title="Kiểm điểm việc thực hiện nghị quyết tháng trước",
        conclusion="Chi bộ đánh giá hoàn thành tốt nhiệm vụ tháng 9.",
    )
    # typed on a keyboard that sends decomposed (NFD) text: the documents must come out NFC
    Speech.objects.create(agenda_item=review, member=hang, speaker_name=unicodedata.normalize("NFD", "Nguyễn Thị Hằng"), text="Đề nghị đẩy nhanh tiến độ làm đường bê tông liên xóm.", position=1)
    Speech.objects.create(agenda_item=review, member=world.secretary_member, speaker_name="Nguyễn Văn Hùng", text="Nhất trí, giao Chi hội Nông dân vận động hộ dân hiến đất.", position=2)
    AgendaItem.objects.create(meeting=meeting, position=2, section="next_tasks", title="Nhiệm vụ tháng 11", conclusion="Thống nhất 3 nhiệm vụ trọng tâm.")
    resolution = Resolution.objects.create(
        meeting=meeting, term=term, number=1, title="về nhiệm vụ tháng 11 năm 2026",
        preamble="Căn cứ Điều lệ Đảng và Nghị quyết của Đảng ủy xã Quảng Tân;\nCăn cứ kết quả thực hiện nhiệm vụ tháng 10 năm 2026,",
        adopted=True, votes_agree=2, votes_disagree=0, votes_abstain=0, vote_base=2,
    )
    ResolutionItem.objects.create(resolution=resolution, position=1, text="Hoàn thành thu thuế sử dụng đất phi nông nghiệp trước ngày 30 tháng 11.")
    ResolutionItem.objects.create(resolution=resolution, position=2, text="Vận động nhân dân tham gia ngày hội Đại đoàn kết toàn dân tộc.")
    Vote.objects.create(resolution=resolution, member=world.secretary_member, choice="agree")
    Vote.objects.create(resolution=resolution, member=hang, choice="agree")
    Correction.objects.create(meeting=meeting, number=1, target="minutes.agenda.2", before="3 nhiệm vụ", after="ba nhiệm vụ", reason="Viết số bằng chữ")

    november = make_meeting(world.cell, month=dt.date(2026, 11, 1), day=5, status=MeetingStatus.CLOSED, chair=world.secretary_member, minute_taker=hang)
    second = Resolution.objects.create(meeting=november, term=term, number=2, title="về nhiệm vụ tháng 12 năm 2026", adopted=True, votes_agree=3, vote_base=3)
    ResolutionItem.objects.create(resolution=second, position=1, text="Tổng kết công tác xây dựng Đảng năm 2026.")
    return meeting


def pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(content)
        f.flush()
        return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", f.name, "-"], check=True, capture_output=True, text=True).stdout


def pdf_fonts(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(content)
        f.flush()
        return subprocess.run(["pdffonts", f.name], check=True, capture_output=True, text=True).stdout


def check_pdf(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 1
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) <= 1 and abs(height - A4[1]) <= 1
    fonts = pdf_fonts(content)
    assert "Type 3" not in fonts
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:  # only the real serif face, embedded as TrueType: no fallback font, no Type 3 glyphs
        name = row[0].split("+", 1)[-1]
        assert name.startswith(("Liberation-Serif", "LiberationSerif", "TimesNewRoman", "Times-New-Roman")), row
        assert "TrueType" in row and row[-5] == "yes", row
    text = pdf_text(content)
    return unicodedata.normalize("NFC", text)


def docx_text(content: bytes):
    import docx

    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts += [p.text for p in cell.paragraphs]
    return document, "\n".join(parts)


def check_docx_format(document) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(0.5)
    for value, mm in ((section.top_margin, 20), (section.bottom_margin, 20), (section.left_margin, 30), (section.right_margin, 15)):
        assert abs(value - Mm(mm)) < Mm(0.1), (value, mm)  # stored in twips
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(a)) for a in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")} == {"Times New Roman"}
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    assert defaults.get(qn("w:ascii")) == "Times New Roman" and defaults.get(qn("w:asciiTheme")) is None


RESOLUTION_TEXTS = [
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "ĐẢNG BỘ XÃ QUẢNG TÂN",
    "CHI BỘ THÔN TRUNG SƠN",
    "Số 01-NQ/CB",
    "NGHỊ QUYẾT",
    "về nhiệm vụ tháng 11 năm 2026",
    "Quảng Tân, ngày 03 tháng 10 năm 2026",
    "Hoàn thành thu thuế sử dụng đất phi nông nghiệp",
    "T/M CHI BỘ",
    "BÍ THƯ",
    "Nguyễn Văn Hùng",
    "Nơi nhận:",
    "Đảng ủy xã Quảng Tân",
    "Lưu chi bộ",
]

MINUTES_TEXTS = [
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "CHI BỘ THÔN TRUNG SƠN",
    "BIÊN BẢN",
    "Hồi 19 giờ 30 phút, ngày 03 tháng 10 năm 2026, tại Nhà văn hóa thôn",
    "có mặt 2/3 đồng chí",
    "Đặng Thị Hồng",
    "Đi công tác tỉnh Quảng Ngãi",
    "Lê Văn Dũng",
    "Kiểm điểm việc thực hiện nghị quyết tháng trước",
    "Nguyễn Thị Hằng:",
    "Đề nghị đẩy nhanh tiến độ làm đường bê tông liên xóm.",
    "Chi bộ đánh giá hoàn thành tốt nhiệm vụ tháng 9.",
    "Số 01-NQ/CB",
    "2/2 đồng chí tán thành",
    "kết thúc hồi 21 giờ 15 phút cùng ngày",
    "ĐÍNH CHÍNH",
    "Viết số bằng chữ",
    "THƯ KÝ",
    "CHỦ TRÌ",
]


def _flat(text: str) -> str:
    """pdftotext -layout keeps line breaks and runs of spaces; compare on single-spaced text."""
    return " ".join(text.split())


def test_resolution_and_minutes_pdf_and_docx(docs_world, client_for, tmp_path: Path):
    meeting = docs_world
    client = client_for("member")

    response = client.get(reverse("meetings:resolution_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _flat(check_pdf(response.content))
    for expected in RESOLUTION_TEXTS:
        assert _flat(expected) in text, expected
    (tmp_path / "resolution.pdf").write_bytes(response.content)

    response = client.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    text = _flat(check_pdf(response.content))
    for expected in MINUTES_TEXTS:
        assert _flat(expected) in text, expected

    response = client.get(reverse("meetings:resolution_docx", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"].endswith("wordprocessingml.document")
    assert "attachment" in response["Content-Disposition"]
    document, text = docx_text(response.content)
    check_docx_format(document)
    assert unicodedata.is_normalized("NFC", text)
    for expected in RESOLUTION_TEXTS:
        assert expected in text, expected
    header = document.tables[0]
    assert header.cell(0, 1).paragraphs[0].runs[0].bold and header.cell(0, 1).paragraphs[0].runs[0].underline

    response = client.get(reverse("meetings:minutes_docx", args=[meeting.pk]))
    assert response.status_code == 200
    document, text = docx_text(response.content)
    check_docx_format(document)
    for expected in MINUTES_TEXTS:
        assert expected in text, expected


def test_yearly_book_has_both_resolutions_in_order(docs_world, world, client_for):
    client = client_for("secretary")
    response = client.get(reverse("meetings:book_pdf", args=[world.cell.pk, 2026]))
    assert response.status_code == 200
    text = _flat(check_pdf(response.content))
    first, second = text.index("Số 01-NQ/CB Quảng Tân"), text.index("Số 02-NQ/CB Quảng Tân")
    assert first < second
    assert "về nhiệm vụ tháng 12 năm 2026" in text and "Quảng Tân, ngày 05 tháng 11 năm 2026" in text

    response = client.get(reverse("meetings:book_docx", args=[world.cell.pk, 2026]))
    assert response.status_code == 200
    document, text = docx_text(response.content)
    check_docx_format(document)
    assert text.index("về nhiệm vụ tháng 11 năm 2026") < text.index("về nhiệm vụ tháng 12 năm 2026")
    body = "\n".join(p.text for p in document.paragraphs)
    assert body.count("NGHỊ QUYẾT") == 3  # the cover "SỔ NGHỊ QUYẾT" and two titles

    # another year: an empty book, not an error
    response = client.get(reverse("meetings:book_docx", args=[world.cell.pk, 2025]))
    assert response.status_code == 200
    assert "Chưa có nghị quyết nào" in docx_text(response.content)[1]


def test_outsider_gets_404_everywhere_member_gets_200(docs_world, world, client_for):
    meeting = docs_world
    urls = [reverse(f"meetings:{name}", args=[meeting.pk]) for name in ("minutes_pdf", "minutes_docx", "resolution_pdf", "resolution_docx")]
    books = [reverse(f"meetings:{name}", args=[world.cell.pk, 2026]) for name in ("book_pdf", "book_docx")]
    outsider = client_for("outsider")
    for url in urls + books:
        assert outsider.get(url).status_code == 404, url
    member = client_for("member")
    for url in (urls[1], urls[3], books[1]):  # the DOCX files: quick to build
        assert member.get(url).status_code == 200, url
    # a meeting without a resolution has minutes but no resolution document
    december = make_meeting(world.cell, month=dt.date(2026, 12, 1), status=MeetingStatus.OPEN, opened_at=timezone.now())
    assert member.get(reverse("meetings:minutes_docx", args=[december.pk])).status_code == 200
    assert member.get(reverse("meetings:resolution_docx", args=[december.pk])).status_code == 404
    # anonymous users go to the login page
    from django.test import Client

    assert Client().get(urls[0]).status_code == 302


def test_date_line_leading_zero_rules():
    from chibo.meetings.documents import long_date

    assert long_date(dt.date(2026, 10, 3)) == "ngày 03 tháng 10 năm 2026"
    assert long_date(dt.date(2026, 2, 14)) == "ngày 14 tháng 02 năm 2026"
    assert long_date(dt.date(2026, 3, 9)) == "ngày 09 tháng 3 năm 2026"


def test_links_template(docs_world, world):
    from django.template.loader import render_to_string

    html = render_to_string("meetings/docs_links.html", {"meeting": docs_world})
    for name in ("minutes_pdf", "minutes_docx", "resolution_pdf", "resolution_docx"):
        assert reverse(f"meetings:{name}", args=[docs_world.pk]) in html
    assert reverse("meetings:book_pdf", args=[world.cell.pk, 2026]) in html and "Số 01-NQ/CB" in html
    december = make_meeting(world.cell, month=dt.date(2026, 12, 1), status=MeetingStatus.OPEN, opened_at=timezone.now())
    html = render_to_string("meetings/docs_links.html", {"meeting": december})
    assert reverse("meetings:minutes_pdf", args=[december.pk]) in html
    december.status = MeetingStatus.PUBLISHED  # not open yet: no minutes to link to
    assert reverse("meetings:minutes_pdf", args=[december.pk]) not in render_to_string("meetings/docs_links.html", {"meeting": december})
    assert reverse("meetings:resolution_pdf", args=[december.pk]) not in html
    html = render_to_string("meetings/docs_book_links.html", {"org_id": world.cell.pk, "year": 2026})
    assert reverse("meetings:book_docx", args=[world.cell.pk, 2026]) in html and "năm 2026" in html


# Drafts: "DỰ THẢO" on every page until the meeting is approved; nothing before it opens -------


def _long_minutes(meeting) -> None:
    item = AgendaItem.objects.get(meeting=meeting, position=1)
    for n in range(40):  # enough to run over several pages
        Speech.objects.create(agenda_item=item, speaker_name="Nguyễn Văn Hùng", text=f"Ý kiến số {n}: " + "đề nghị chi bộ quan tâm " * 8, position=10 + n)


def _pages(content: bytes) -> list[str]:
    return [p for p in pdf_text(content).split("\f") if p.strip()]


def test_every_page_of_the_minutes_and_resolution_says_draft_until_approval(docs_world, client_for):
    meeting = docs_world
    _long_minutes(meeting)
    client = client_for("member")
    for name in ("minutes_pdf", "resolution_pdf"):
        pages = _pages(client.get(reverse(f"meetings:{name}", args=[meeting.pk])).content)
        assert all("DỰ THẢO" in unicodedata.normalize("NFC", p) for p in pages), name
        if name == "minutes_pdf":
            assert len(pages) >= 2
    for name in ("minutes_docx", "resolution_docx"):
        document, _text = docx_text(client.get(reverse(f"meetings:{name}", args=[meeting.pk])).content)
        section = document.sections[0]
        for header in (section.first_page_header, section.header):  # the first page and every following one
            assert "DỰ THẢO" in "\n".join(p.text for p in header.paragraphs), name

    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.APPROVED, approved_at=timezone.now())
    for name in ("minutes_pdf", "resolution_pdf"):
        pages = _pages(client.get(reverse(f"meetings:{name}", args=[meeting.pk])).content)
        assert not any("DỰ THẢO" in unicodedata.normalize("NFC", p) for p in pages), name
    for name in ("minutes_docx", "resolution_docx"):
        document, text = docx_text(client.get(reverse(f"meetings:{name}", args=[meeting.pk])).content)
        section = document.sections[0]
        assert "DỰ THẢO" not in "".join(p.text for h in (section.first_page_header, section.header) for p in h.paragraphs) + text


@pytest.mark.parametrize("status", [MeetingStatus.DRAFT, MeetingStatus.PUBLISHED])
def test_before_the_meeting_opens_its_documents_do_not_exist(world, client_for, status):
    meeting = make_meeting(world.cell, month=dt.date(2026, 9, 1), status=status)
    Resolution.objects.create(meeting=meeting, title="Dự thảo")
    for name in ("minutes_pdf", "minutes_docx", "resolution_pdf", "resolution_docx"):
        assert client_for("secretary").get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 404, name


def test_an_agenda_template_hint_is_never_printed_in_the_minutes(docs_world, client_for):
    meeting = docs_world
    hint = "Giao nhiệm vụ cụ thể cho từng đảng viên (ghi rõ họ tên)."
    AgendaItem.objects.filter(meeting=meeting, position=2).update(details=hint)
    AgendaItem.objects.filter(meeting=meeting, position=1).update(details="Đồng chí Hằng báo cáo.\nĐánh giá từng nhiệm vụ đã giao, người thực hiện, kết quả.")
    pdf = _flat(check_pdf(client_for("member").get(reverse("meetings:minutes_pdf", args=[meeting.pk])).content))
    _document, docx = docx_text(client_for("member").get(reverse("meetings:minutes_docx", args=[meeting.pk])).content)
    for text in (pdf, docx):
        assert "ghi rõ họ tên" not in text and "người thực hiện, kết quả" not in text
        assert "Đồng chí Hằng báo cáo." in text


def test_a_draft_resolution_has_no_number_in_its_file_name(world, client_for):
    meeting = make_meeting(world.cell, month=dt.date(2026, 9, 1), status=MeetingStatus.OPEN, opened_at=timezone.now())
    Resolution.objects.create(meeting=meeting, title="Dự thảo")
    response = client_for("member").get(reverse("meetings:resolution_docx", args=[meeting.pk]))
    assert response.status_code == 200 and "nghi-quyet-du-thao-" in response["Content-Disposition"]
