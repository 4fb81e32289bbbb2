"""Import members from .xlsx files as commune offices send them.

A dry run reads every row and lists every problem (nothing is written); a commit writes all rows in
one transaction, or none when any row is bad (a row checked again at commit time may have become bad:
another user added the same citizen ID meanwhile).

What the reader accepts (docs/architecture.md, "Member imports", lists the columns):

- The header row may sit under a title or two; headers are matched folded (no diacritics, case,
  spaces or punctuation), with the usual variants ("Họ và tên" / "Họ tên", "Số CCCD" / "CCCD" ...).
  A header that means nothing to the import is listed in the dry run, not silently dropped.
- "Chi bộ" names each row's cell (by name with or without diacritics, or by code); the cell chosen
  on the page (``--org``) narrows the scope and is the default for rows that name none.
- Text is stored in Unicode NFC; names typed in capitals get proper case; text in the legacy TCVN3 or
  VNI encodings is converted with a notice, or refused (chibo.members.legacy_text).
- A citizen ID that lost its leading zero in Excel gets it back when the result passes every check.
- Dates are real date cells, Excel serial numbers or dd/mm/yyyy text (also d/m/yyyy, dd-mm-yyyy,
  dd.mm.yyyy).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import CharField
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from chibo.core.access import Action, Policy
from chibo.core.dates import parse_dmy
from chibo.core.errors import ChiboError
from chibo.core.text import fold
from chibo.members import legacy_text, services, validation
from chibo.members.models import Member, Sex, TheoryLevel
from chibo.orgs.models import CELL_KINDS, Organisation, OrgVersion, path_segment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_SCAN_ROWS = 30  # title rows offices put above the header
MAX_ROWS = 20000

# --- The export's columns (chibo.members.exports); the import reads them back ----------------------

@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool = False
    kind: str = "text"  # text | date | sex | theory
    export: Callable[[Member, OrgVersion | None], Any] = lambda m, c: ""


def _attr(name: str) -> Callable[[Member, OrgVersion | None], Any]:
    def get(m: Member, c: OrgVersion | None) -> Any:
        value = getattr(m, name)
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y")
        return value

    return get


COLUMNS: list[Column] = [
    Column("Họ", "surname", True, export=_attr("surname")),
    Column("Tên đệm", "middle_name", export=_attr("middle_name")),
    Column("Tên", "given_name", True, export=_attr("given_name")),
    Column("Ngày sinh", "date_of_birth", True, "date", export=_attr("date_of_birth")),
    Column("Giới tính", "sex", True, "sex", export=lambda m, c: m.get_sex_display()),
    Column("Số căn cước", "citizen_id", True, export=_attr("citizen_id")),
    Column("Ngày vào Đảng", "admitted_on", True, "date", export=_attr("admitted_on")),
    Column("Ngày chính thức", "official_on", False, "date", export=lambda m, c: m.official_on.strftime("%d/%m/%Y") if m.official_on else ""),
    Column("Số thẻ đảng", "party_card_number", export=_attr("party_card_number")),
    Column("Mã chi bộ", "cell_code", export=lambda m, c: c.org.code if c else ""),
    Column("Chi bộ", "cell_name", export=lambda m, c: c.name if c else ""),
    Column("Điện thoại", "phone", export=_attr("phone")),
    Column("Email", "email", export=_attr("email")),
    Column("Dân tộc", "ethnicity", export=_attr("ethnicity")),
    Column("Tôn giáo", "religion", export=_attr("religion")),
    Column("Quê quán", "hometown", export=_attr("hometown")),
    Column("Trình độ học vấn", "education", export=_attr("education")),
    Column("Lý luận chính trị", "theory_level", False, "theory", export=lambda m, c: m.get_theory_level_display() if m.theory_level else ""),
    Column("Nghề nghiệp", "occupation", export=_attr("occupation")),
]

# --- The columns the import reads ---------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    key: str
    header: str  # the name in the template and the docs
    aliases: tuple[str, ...]  # other names offices use, folded like headers (see fold_header)
    kind: str = "text"  # text | name | date | sex | citizen_id | phone | card | theory | cell | ignore
    guide: Any = ""  # how to fill the column (the template's "Hướng dẫn" sheet, the import page)
    example: str = ""
    width: int = 14

    @property
    def other_names(self) -> list[str]:
        return alias_examples(self)


FIELDS: list[Field] = [
    Field("stt", "STT", ("tt", "so tt", "so thu tu"), "ignore", gettext_lazy("Số thứ tự; không dùng khi nhập. Ghi “Ví dụ” để bỏ qua một dòng."), "Ví dụ", 7),
    Field("full_name", "Họ và tên", ("ho ten", "ho va ten dang vien", "ho ten dang vien"), "name",
          gettext_lazy("Bắt buộc (hoặc ba cột Họ, Tên đệm, Tên). Chữ đầu là họ, chữ cuối là tên, ở giữa là tên đệm."), "Trần Thị Mẫu", 26),
    Field("surname_middle", "Họ đệm", ("ho va ten dem", "ho va dem", "ho lot", "ho va chu dem"), "name",
          gettext_lazy("Thay cho Họ và Tên đệm, đi cùng cột Tên."), width=18),
    Field("surname", "Họ", (), "name", gettext_lazy("Thay cho Họ và tên, đi cùng cột Tên."), width=10),
    Field("middle_name", "Tên đệm", ("ten lot", "chu dem", "dem"), "name", gettext_lazy("Có thể để trống."), width=12),
    Field("given_name", "Tên", ("ten goi",), "name", gettext_lazy("Đi cùng cột Họ hoặc Họ đệm."), width=10),
    Field("date_of_birth", "Ngày sinh", ("ngay thang nam sinh", "sinh ngay", "nam sinh"), "date", gettext_lazy("Bắt buộc. dd/mm/yyyy."), "15/08/1985", 12),
    Field("sex", "Giới tính", ("gioi", "nam nu", "nam hay nu"), "sex", gettext_lazy("Bắt buộc. Nam hoặc Nữ."), "Nữ", 10),
    # Forms that mark the sex with an "x" (or the year of birth) under a "Nam" or a "Nữ" column.
    Field("sex_male", "Nam", (), "sexmark"),
    Field("sex_female", "Nữ", (), "sexmark"),
    Field("citizen_id", "Số CCCD", ("cccd", "so can cuoc", "can cuoc", "so can cuoc cong dan", "can cuoc cong dan", "so dinh danh",
                                    "so dinh danh ca nhan", "ma dinh danh", "ma so dinh danh ca nhan", "so cmnd cccd", "so cccd cmnd", "cmnd cccd", "cccd cmnd"),
          "citizen_id", gettext_lazy("Bắt buộc. 12 chữ số; để cột ở dạng Văn bản (Text) để Excel không bỏ số 0 đầu."), "022185000123", 16),
    Field("phone", "Số điện thoại", ("dien thoai", "sdt", "so dt", "dt", "di dong", "so di dong", "dien thoai di dong"), "phone",
          gettext_lazy("Có thể để trống."), "0912345678", 14),
    Field("admitted_on", "Ngày vào Đảng", ("ngay ket nap", "ngay ket nap dang", "ngay ket nap vao dang", "ngay vao dang du bi"), "date",
          gettext_lazy("Bắt buộc. dd/mm/yyyy."), "03/02/2010", 14),
    Field("official_on", "Ngày chính thức", ("ngay cong nhan chinh thuc", "ngay chuyen chinh thuc", "ngay dang chinh thuc", "ngay vao dang chinh thuc"),
          "date", gettext_lazy("dd/mm/yyyy; để trống nếu còn dự bị."), "03/02/2011", 14),
    Field("party_card_number", "Số thẻ đảng viên", ("so the dang", "the dang vien", "the dang", "so the"), "card",
          gettext_lazy("8 chữ số; có thể để trống."), "", 14),
    Field("cell", "Chi bộ", ("ten chi bo", "chi bo sinh hoat", "noi sinh hoat"), "cell",
          gettext_lazy("Tên chi bộ (có dấu hay không dấu) hoặc mã chi bộ. Để trống thì dùng chi bộ chọn khi nhập."), "", 24),
    Field("cell_code", "Mã chi bộ", (), "cell", gettext_lazy("Thay cho cột Chi bộ."), width=12),
    Field("ethnicity", "Dân tộc", (), "text", gettext_lazy("Để trống là Kinh."), "Kinh", 10),
    Field("religion", "Tôn giáo", (), "text", gettext_lazy("Để trống là Không."), "Không", 10),
    Field("hometown", "Quê quán", ("que",), "text", gettext_lazy("Có thể để trống."), "Quảng Ninh", 18),
    Field("education", "Trình độ học vấn", ("hoc van", "trinh do van hoa", "van hoa", "trinh do giao duc pho thong", "giao duc pho thong"),
          "text", gettext_lazy("Ví dụ 12/12."), "12/12", 12),
    Field("theory_level", "Lý luận chính trị", ("trinh do ly luan chinh tri", "trinh do llct", "llct", "ly luan"), "theory",
          gettext_lazy("Sơ cấp, Trung cấp, Cao cấp, Cử nhân, hoặc để trống."), "Sơ cấp", 14),
    Field("occupation", "Nghề nghiệp", ("cong viec",), "text", gettext_lazy("Có thể để trống."), "Giáo viên", 16),
    Field("email", "Email", ("e mail", "thu dien tu", "dia chi email"), "text", gettext_lazy("Có thể để trống."), "", 20),
]
FIELD_BY_KEY = {f.key: f for f in FIELDS}
TEMPLATE_KEYS = [
    "stt", "full_name", "date_of_birth", "sex", "citizen_id", "phone", "admitted_on", "official_on", "party_card_number",
    "cell", "ethnicity", "religion", "hometown", "education", "theory_level", "occupation", "email",
]
REQUIRED_KEYS = ["date_of_birth", "sex", "citizen_id", "admitted_on"]
_NAME_SETS = (("full_name",), ("surname", "given_name"), ("surname_middle", "given_name"))
_PUNCTUATION = re.compile(r"[^a-z0-9]+")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def fold_header(text: str) -> str:
    """ "Số CCCD:" → "so cccd", "SĐT" → "sdt", "Ngày sinh (dd/mm/yyyy) *" → "ngay sinh"."""
    return _PUNCTUATION.sub(" ", fold(_PARENTHESES.sub(" ", text))).strip()


_BY_ALIAS: dict[str, Field] = {}
for _f in FIELDS:
    for _alias in (fold_header(_f.header), *_f.aliases):
        _BY_ALIAS[_alias] = _f
# Export headers that differ from the import's names still read back.
for _c in COLUMNS:
    _BY_ALIAS.setdefault(fold_header(_c.header), FIELD_BY_KEY[_c.key] if _c.key in FIELD_BY_KEY else FIELD_BY_KEY["cell"])


# --- Results ----------------------------------------------------------------------------------------------


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class RowNotice:
    row: int
    message: str


@dataclass
class PreviewRow:
    row: int
    full_name: str
    citizen_id: str
    date_of_birth: dt.date
    cell: str


@dataclass
class ImportResult:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    notices: list[RowNotice] = field(default_factory=list)
    unused_columns: list[str] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)
    header_row: int = 0
    created: int = 0
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


# --- Reading the sheet -------------------------------------------------------------------------------------


@dataclass
class Sheet:
    header_row: int
    columns: dict[int, Field]  # column index → field
    unused: list[str]
    rows: list[tuple[int, dict[str, Any]]]  # (row number in the sheet, field key → raw cell value)
    skipped: list[RowNotice]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _match_header(values: Iterable[Any]) -> tuple[dict[int, Field], list[str]]:
    columns: dict[int, Field] = {}
    unused: list[str] = []
    for index, value in enumerate(values):
        text = _cell_text(value)
        if not text:
            continue
        found = _BY_ALIAS.get(fold_header(text))
        if found is None or found in columns.values():
            unused.append(text)
        else:
            columns[index] = found
    return columns, unused


def _has_names(keys: set[str]) -> bool:
    return any(set(names) <= keys for names in _NAME_SETS)


_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")


def read_sheet(file: Any) -> Sheet:
    """Find the header row (under any title rows) of the first sheet that has one, and read the rows."""
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
        raise ChiboError(_("Tệp không phải là bảng tính Excel (.xlsx) hợp lệ."), field="file") from exc
    try:
        for ws in wb.worksheets:
            sheet = _read_worksheet(ws)
            if sheet is not None:
                return sheet
    finally:
        wb.close()
    raise ChiboError(
        _("Không tìm thấy dòng tiêu đề trong %(n)s dòng đầu của tệp: cần có các cột như Họ và tên, Ngày sinh, Số CCCD, Ngày vào Đảng.")
        % {"n": HEADER_SCAN_ROWS},
        field="file",
    )


# Under a merged parent ("Ngày tháng năm", "Năm sinh"), the second header row says only the rest.
_SUB_HEADERS = {"sinh": "date_of_birth", "vao dang": "admitted_on", "ket nap": "admitted_on", "chinh thuc": "official_on", "nam": "sex_male", "nu": "sex_female"}


def _sub_header(header_values: tuple[Any, ...], below: tuple[Any, ...], columns: dict[int, Field], unused: list[str]) -> tuple[dict[int, Field], list[str]] | None:
    """The columns once a second header row is read, or None when the row under the header is data."""
    columns, unused = dict(columns), list(unused)
    parent, matched, unknown = "", 0, 0
    for i in range(max(len(header_values), len(below))):
        head = _cell_text(header_values[i]) if i < len(header_values) else ""
        parent = head or parent
        text = _cell_text(below[i]) if i < len(below) else ""
        if not text:
            continue
        folded = fold_header(text)
        key = _SUB_HEADERS.get(folded)
        found = FIELD_BY_KEY[key] if key else _BY_ALIAS.get(folded) or _BY_ALIAS.get(fold_header(f"{parent} {text}"))
        if found is None or found.kind == "ignore":
            unknown += 1
            continue
        matched += 1
        if parent in unused:
            unused.remove(parent)
        columns = {j: f for j, f in columns.items() if f is not found}
        columns[i] = found
    if matched < 2 or unknown > matched:
        return None
    return columns, unused


def _read_worksheet(ws: Any) -> Sheet | None:
    rows = ws.iter_rows(values_only=True)
    header: tuple[dict[int, Field], list[str]] | None = None
    header_values: tuple[Any, ...] = ()
    header_number = 0
    for header_number, values in enumerate(rows, start=1):
        columns, unused = _match_header(values)
        keys = {f.key for f in columns.values()}
        if _has_names(keys) and len(keys) >= 3:
            header, header_values = (columns, unused), tuple(values)
            break
        if header_number >= HEADER_SCAN_ROWS:
            return None
    if header is None:
        return None
    columns, unused = header
    data_start = header_number + 1
    below = next(rows, None)
    two_rows = _sub_header(header_values, below, columns, unused) if below is not None else None
    if two_rows is not None:  # a second header row under merged cells: "Ngày tháng năm" over "Sinh | Vào Đảng"
        columns, unused = two_rows
        header_values = tuple(_cell_text(a) or _cell_text(b) for a, b in itertools.zip_longest(header_values, below or ()))
        data_start += 1
    elif below is not None:
        rows = itertools.chain([below], rows)
    keys = {f.key for f in columns.values()}
    if {"sex_male", "sex_female"} <= keys:
        keys |= {"sex", "date_of_birth"}  # "Năm sinh" over "Nam | Nữ": the date sits under the person's sex
    missing = [FIELD_BY_KEY[k].header for k in REQUIRED_KEYS if k not in keys]
    if missing:
        raise ChiboError(
            _("Dòng tiêu đề (dòng %(row)s) thiếu cột: %(cols)s.") % {"row": header_number, "cols": ", ".join(missing)}, field="file"
        )
    named = {i for i, value in enumerate(header_values) if _cell_text(value)}
    # "Họ và tên" merged over two columns: "Nguyễn Văn" | "An", the second column without a header.
    name_index = next((i for i, f in columns.items() if f.key == "full_name"), None)
    tail = name_index + 1 if name_index is not None and name_index + 1 not in named else None
    out: list[tuple[int, dict[str, Any]]] = []
    skipped: list[RowNotice] = []
    unnamed_with_data: set[int] = set()
    for number, values in enumerate(rows, start=data_start):
        texts = [_cell_text(v) for v in values]
        if not any(texts):
            continue  # an empty row
        if not out and all(_NUMBERING.match(t) for t in texts if t) and sum(1 for t in texts if t) >= 3:
            continue  # the column numbers (1) (2) (3) ... printed under a header
        raw = {f.key: values[i] for i, f in columns.items() if i < len(values)}
        if tail is not None and tail < len(values) and texts[tail]:  # surname and middle name | given name
            raw["surname_middle"], raw["given_name"] = raw.pop("full_name", None), values[tail]
        unnamed_with_data |= {i for i, t in enumerate(texts) if t and i not in named and i != tail}
        stt = fold(_cell_text(raw.get("stt")))
        if stt in {"vi du", "vd", "mau"}:
            skipped.append(RowNotice(number, _("Dòng ví dụ, bỏ qua.")))
            continue
        if all(_cell_text(v) == "" for k, v in raw.items() if k != "stt"):
            skipped.append(RowNotice(number, _("Không có dữ liệu ở các cột được nhận, bỏ qua.")))
            continue
        out.append((number, raw))
        if len(out) > MAX_ROWS:
            raise ChiboError(_("Tệp có quá %(n)s dòng; hãy chia thành nhiều tệp.") % {"n": MAX_ROWS}, field="file")
    unused += [_("(cột %(col)s, không có tiêu đề)") % {"col": get_column_letter(i + 1)} for i in sorted(unnamed_with_data)]
    return Sheet(header_row=header_number, columns=columns, unused=unused, rows=out, skipped=skipped)


# --- One row ---------------------------------------------------------------------------------------------


class _Row:
    """A row being read: its values, and every problem and notice found, all at once."""

    def __init__(self, number: int, raw: dict[str, Any]) -> None:
        self.number = number
        self.raw = raw
        self.errors: list[str] = []
        self.notices: list[str] = []
        self.text: dict[str, str] = {}

    def error(self, key: str, message: str) -> None:
        self.errors.append(f"{_label(key)}: {message}")


def _label(key: str) -> str:
    return FIELD_BY_KEY[key].header if key in FIELD_BY_KEY else key


_TEXT_KINDS = {"text", "name", "sex", "theory", "cell"}


def _read_texts(row: _Row) -> None:
    """Every text cell in Unicode NFC; legacy TCVN3/VNI text converted (with a notice) or refused."""
    detections: dict[str, legacy_text.Detection] = {}
    for key, value in row.raw.items():
        kind = FIELD_BY_KEY[key].kind
        if kind in _TEXT_KINDS and isinstance(value, str):
            detections[key] = legacy_text.detect(_cell_text(value))
    seen = {d.encoding for d in detections.values() if d.converted}
    if len(seen) == 1:  # a tie in one cell is settled by the encoding of the row's other cells
        prefer = next(iter(seen))
        for key, d in list(detections.items()):
            if d.refused == "ambiguous":
                detections[key] = legacy_text.detect(_cell_text(row.raw[key]), prefer=prefer)
    converted: dict[str, list[str]] = {}
    for key, d in detections.items():
        if d.refused == "ambiguous":
            row.error(key, _("“%(text)s” có vẻ gõ bằng phông chữ cũ nhưng không rõ là mã TCVN3 hay VNI; hãy chuyển mã sang Unicode (Unikey: công cụ chuyển mã) rồi nhập lại.") % {"text": d.text})
        elif d.refused:
            row.error(key, _("“%(text)s” có ký tự lạ của phông chữ cũ (TCVN3/VNI) mà không chuyển được sạch sang Unicode; hãy sửa ô này hoặc chuyển mã sang Unicode rồi nhập lại.") % {"text": d.text})
        elif d.converted:
            converted.setdefault(d.encoding, []).append(_label(key))
        row.text[key] = d.text
    for encoding, labels in converted.items():
        row.notices.append(_("Đã chuyển mã %(enc)s sang Unicode (%(cols)s).") % {"enc": encoding, "cols": ", ".join(labels)})
    for key, value in row.raw.items():
        if key not in row.text:
            row.text[key] = unicodedata.normalize("NFC", _cell_text(value))


_WORD_START = re.compile(r"(^|[\s\-'’])(\w)")


def proper_case(name: str) -> str:
    """ "NGUYỄN VĂN AN" → "Nguyễn Văn An"; every word of a Vietnamese name starts with a capital."""
    name = " ".join(name.split())
    letters = [c for c in name if c.isalpha()]
    if letters and (all(c.isupper() for c in letters) or all(c.islower() for c in letters)):
        name = name.lower()
    return _WORD_START.sub(lambda m: m.group(1) + m.group(2).upper(), name)


def _names(row: _Row) -> dict[str, str]:
    t = row.text
    given = t.get("given_name", "")
    if t.get("surname_middle") and given:
        words = t["surname_middle"].split()
        surname, middle = words[0], " ".join(words[1:] + t.get("middle_name", "").split())
    elif t.get("surname") and given or not t.get("full_name") and ("surname" in t or "given_name" in t):
        surname, middle = t.get("surname", ""), t.get("middle_name", "")
    else:  # "Họ và tên" (a "Tên" column beside it only serves to sort the sheet)
        words = t.get("full_name", "").split()
        if len(words) < 2:
            if words:
                row.error("full_name", _("“%(name)s” cần có cả họ và tên.") % {"name": " ".join(words)})
            else:
                row.error("full_name", _("không được để trống."))
            return {}
        surname, middle, given = words[0], " ".join(words[1:-1]), words[-1]
    return {"surname": proper_case(surname), "middle_name": proper_case(middle), "given_name": proper_case(given)}


_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1/1/1900; Excel counts a 29/2/1900 that never was


def excel_serial_date(serial: float) -> dt.date:
    days = int(serial)
    if days == 60:
        raise ChiboError(_("%(value)s không phải ngày có thật.") % {"value": "29/02/1900"})
    if not 1 <= days <= 2958465:
        raise ChiboError(_("“%(value)s” không phải một ngày.") % {"value": _cell_text(serial)})
    return _EXCEL_EPOCH + dt.timedelta(days=days if days > 60 else days + 1)


def read_date(value: Any) -> dt.date | None:
    """A real date cell, an Excel serial number or dd/mm/yyyy text (d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _cell_text(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) or re.fullmatch(r"\d+(\.\d+)?", text):
        number = float(text)
        if number.is_integer() and 1900 <= number <= 2100:
            raise ChiboError(_("chỉ có năm %(year)s; cần đủ ngày/tháng/năm (dd/mm/yyyy).") % {"year": int(number)})
        return excel_serial_date(number)
    text = re.sub(r"\s*(0?0:00(:00)?)$", "", text)  # "05/06/1990 00:00:00" pasted from another program
    try:
        return parse_dmy(text)
    except ValidationError as exc:
        raise ChiboError(" ".join(exc.messages)) from None


def _dates(row: _Row) -> dict[str, dt.date | None]:
    out: dict[str, dt.date | None] = {}
    for key in ("date_of_birth", "admitted_on", "official_on"):
        value = row.raw.get(key)
        if key == "date_of_birth" and key not in row.raw:  # "Năm sinh" over "Nam | Nữ": the date is the mark
            marks = [row.raw.get(k) for k in ("sex_male", "sex_female") if _cell_text(row.raw.get(k))]
            value = marks[0] if len(marks) == 1 and fold(_cell_text(marks[0])) not in {"x", "v", "✓", "1"} else None
        try:
            out[key] = read_date(value)
        except ChiboError as exc:
            row.error(key, exc.message)
            out[key] = None
            continue
        if out[key] is None and key != "official_on":
            row.error(key, _("không được để trống."))
    return out


def _sex(row: _Row) -> str | None:
    value = fold(row.text.get("sex", ""))
    if not value and ("sex_male" in row.raw or "sex_female" in row.raw):
        male, female = bool(_cell_text(row.raw.get("sex_male"))), bool(_cell_text(row.raw.get("sex_female")))
        if male != female:
            return str(Sex.MALE if male else Sex.FEMALE)
        row.error("sex", _("hãy đánh dấu một trong hai cột Nam, Nữ.") if not male else _("có dấu ở cả cột Nam và cột Nữ."))
        return None
    if value in {"nam", "male", "m"}:
        return str(Sex.MALE)
    if value in {"nu", "female", "f"}:
        return str(Sex.FEMALE)
    row.error("sex", _("“%(v)s”: phải là Nam hoặc Nữ.") % {"v": row.text.get("sex", "")} if value else _("không được để trống."))
    return None


def _theory(row: _Row) -> str:
    value = fold(row.text.get("theory_level", ""))
    if not value:
        return ""
    with translation.override("vi"):  # the file format is Vietnamese, whatever the interface language
        choices = [(str(key), fold(str(label))) for key, label in TheoryLevel.choices]
    for key, label in choices:
        if value in {label, key}:
            return key
    row.error("theory_level", _("“%(v)s” không phải trình độ nào (Sơ cấp, Trung cấp, Cao cấp, Cử nhân).") % {"v": row.text["theory_level"]})
    return ""


_SCIENTIFIC = re.compile(r"^\d(?:[.,](\d+))?[eE]\+?(\d+)$")


def _digits(value: Any, key: str, row: _Row) -> str | None:
    """The digits of an ID typed as text or read as a number (int, float, "2.2085E+10")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _cell_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        row.error(key, _("“%(v)s” không phải dãy chữ số.") % {"v": value})
        return None
    text = str(value).strip()
    match = _SCIENTIFIC.match(text)
    if match:
        number = Decimal(text.replace(",", "."))
        digits = str(int(number))
        significant = 1 + len(match.group(1) or "")
        if number != int(number) or significant < len(digits):
            row.error(key, _("“%(v)s” đã bị Excel đổi sang dạng số mũ và mất chữ số; hãy để cột ở dạng Văn bản (Text) rồi gõ lại số.") % {"v": text})
            return None
        return digits
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]  # "22085000123.0"
    return re.sub(r"[\s.\-]", "", text)  # "022 085 000 123", "022.085.000.123"


def _citizen_id(row: _Row, *, date_of_birth: dt.date | None, sex: str | None) -> str:
    digits = _digits(row.raw.get("citizen_id"), "citizen_id", row)
    if digits is None:
        return ""
    if len(digits) == 11 and digits.isdigit():
        restored = "0" + digits
        if date_of_birth is None or sex is None:
            row.error("citizen_id", _("“%(v)s” chỉ có 11 chữ số; không kiểm tra được số khôi phục %(id)s vì thiếu ngày sinh hoặc giới tính.") % {"v": digits, "id": restored})
            return ""
        try:
            validation.check_citizen_id(restored, date_of_birth=date_of_birth, sex=sex)
        except ChiboError as exc:
            row.error("citizen_id", _("“%(v)s” chỉ có 11 chữ số; thêm số 0 đầu thành %(id)s vẫn không hợp lệ: %(why)s") % {"v": digits, "id": restored, "why": exc.message})
            return ""
        row.notices.append(_("Số CCCD %(v)s mất số 0 đầu (Excel lưu thành số); đã khôi phục thành %(id)s.") % {"v": digits, "id": restored})
        return restored
    return digits


def _phone(row: _Row) -> str:
    value = row.raw.get("phone")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = _digits(value, "phone", row) or ""
        if len(digits) in (9, 10) and not digits.startswith("0"):
            row.notices.append(_("Số điện thoại %(v)s mất số 0 đầu (Excel lưu thành số); đã khôi phục thành %(p)s.") % {"v": digits, "p": "0" + digits})
            return "0" + digits
        return digits
    return row.text.get("phone", "")


def _card(row: _Row) -> str:
    value = row.raw.get("party_card_number")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = _digits(value, "party_card_number", row) or ""
        if len(digits) == 7:
            row.notices.append(_("Số thẻ đảng %(v)s mất số 0 đầu (Excel lưu thành số); đã khôi phục thành %(c)s.") % {"v": digits, "c": "0" + digits})
            return "0" + digits
        return digits
    return row.text.get("party_card_number", "").replace(" ", "")


# --- Which cell --------------------------------------------------------------------------------------------


def _name_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _short(folded: str) -> str:
    return folded.removeprefix("chi bo ").strip()


class CellFinder:
    """The cells a row may name: those the user may edit members in, narrowed to ``scope``."""

    def __init__(self, *, policy: Policy, scope: Organisation | None) -> None:
        versions = list(policy.versions(action=Action.EDIT_MEMBER).filter(kind__in=CELL_KINDS).select_related("org"))
        self.scope_version = OrgVersion.objects.filter(org=scope).order_by("-valid_from").first() if scope else None
        segment = "/" + path_segment(scope.pk) if scope else ""
        self.in_scope = {v.org_id for v in versions if not segment or segment in v.path}
        self.default = scope if scope is not None and self.scope_version is not None and self.scope_version.is_cell else None
        self.names = {v.org_id: v.name for v in versions}
        self.by_code: dict[str, list[OrgVersion]] = {}
        self.levels: list[dict[str, list[OrgVersion]]] = [{}, {}, {}]
        for v in versions:
            self.by_code.setdefault(v.org.code.casefold(), []).append(v)
            for level, key in enumerate((_name_key(v.name), fold(v.name), _short(fold(v.name)))):
                self.levels[level].setdefault(key, []).append(v)

    def find(self, *, name: str, code: str) -> tuple[Organisation | None, str]:
        """(the cell, "") or (None, why not)."""
        if code:
            matches = self.by_code.get(code.casefold(), [])
            if not matches:
                return None, _("Không có chi bộ mã “%(code)s” trong phạm vi của bạn.") % {"code": code}
            return self._in_scope(matches[0])
        if not name:
            if self.default is None:
                return None, _("Chưa rõ chi bộ: hãy ghi cột Chi bộ, hoặc chọn một chi bộ khi nhập.")
            return self.default, ""
        candidates = self.by_code.get(name.casefold(), [])
        for level, key in enumerate((_name_key(name), fold(name), _short(fold(name)))):
            if candidates:
                break
            candidates = self.levels[level].get(key, [])
        if not candidates:
            return None, _("Không có chi bộ “%(name)s” trong phạm vi của bạn.") % {"name": name}
        narrowed = [v for v in candidates if v.org_id in self.in_scope] or candidates
        if len(narrowed) > 1:
            codes = ", ".join(sorted(v.org.code for v in narrowed))
            return None, _("Có %(n)s chi bộ tên “%(name)s” (mã %(codes)s); hãy ghi mã chi bộ.") % {"n": len(narrowed), "name": name, "codes": codes}
        return self._in_scope(narrowed[0])

    def _in_scope(self, version: OrgVersion) -> tuple[Organisation | None, str]:
        if version.org_id not in self.in_scope:
            scope = self.scope_version.name if self.scope_version else ""
            return None, _("Chi bộ “%(cell)s” không thuộc %(scope)s đã chọn khi nhập.") % {"cell": version.name, "scope": scope}
        return version.org, ""


# --- The import ---------------------------------------------------------------------------------------------


def parse_row(row: _Row, cells: CellFinder) -> tuple[Organisation | None, dict[str, Any]]:
    """The row's cell and the data for ``services.member_create``; problems go to ``row.errors``."""
    _read_texts(row)
    data: dict[str, Any] = _names(row)
    dates = _dates(row)
    data.update(dates)
    sex = _sex(row)
    data["sex"] = sex
    data["citizen_id"] = _citizen_id(row, date_of_birth=dates["date_of_birth"], sex=sex)
    data["phone"] = _phone(row)
    data["party_card_number"] = _card(row)
    data["theory_level"] = _theory(row)
    for key in ("ethnicity", "religion", "hometown", "education", "occupation", "email"):
        data[key] = row.text.get(key, "")
    if not data["citizen_id"] and not any(e.startswith(_label("citizen_id")) for e in row.errors):
        row.error("citizen_id", _("không được để trống."))
    for key, value in data.items():  # the columns' lengths, so nothing is cut or refused by the database
        limit = _MAX_LENGTHS.get(key)
        if isinstance(value, str) and limit and len(value) > limit:
            row.error(key, _("dài %(n)s ký tự, quá %(max)s ký tự cho phép.") % {"n": len(value), "max": limit})
    if data["email"]:
        try:
            validate_email(data["email"])
        except ValidationError:
            row.error("email", _("“%(v)s” không phải địa chỉ email.") % {"v": data["email"]})
    org, why = cells.find(name=row.text.get("cell", ""), code=row.text.get("cell_code", ""))
    if org is None:
        row.errors.append(why)
    return org, data


_MAX_LENGTHS = {f.name: f.max_length for f in Member._meta.get_fields() if isinstance(f, CharField) and f.max_length and f.name not in {"citizen_id", "phone", "party_card_number"}}
# (citizen IDs, phones and card numbers get the service's own, more precise, messages)


class _DryRun(Exception):
    pass


def import_members(*, actor: Any, policy: Policy, file: Any, org: Organisation | None, commit: bool) -> ImportResult:
    """Check every row; with ``commit`` and no bad row, create all members in one transaction.

    ``org`` narrows the cells that rows may name (a committee: its cells; a cell: that cell) and is
    the cell of rows that name none. Rows are checked again at commit time, inside the transaction.
    """
    if getattr(file, "size", 0) and file.size > settings.CHIBO_IMPORT_MAX_BYTES:
        raise ChiboError(_("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": settings.CHIBO_IMPORT_MAX_BYTES // (1024 * 1024)}, field="file")
    sheet = read_sheet(file)
    result = ImportResult(rows=len(sheet.rows), header_row=sheet.header_row, unused_columns=sheet.unused)
    result.notices.extend(sheet.skipped)
    if not sheet.rows:
        raise ChiboError(_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề (dòng %(row)s).") % {"row": sheet.header_row}, field="file")
    cells = CellFinder(policy=policy, scope=org)
    seen_ids: dict[str, int] = {}
    try:
        with transaction.atomic():
            for number, raw in sheet.rows:
                row = _Row(number, raw)
                cell, data = parse_row(row, cells)
                result.notices.extend(RowNotice(number, n) for n in row.notices)
                cid = data.get("citizen_id")
                if cid and cid in seen_ids:
                    row.errors.append(_("Số CCCD %(id)s trùng với dòng %(row)s.") % {"id": cid, "row": seen_ids[cid]})
                elif cid:
                    seen_ids[cid] = number
                if not row.errors and cell is not None:
                    try:
                        with transaction.atomic():
                            member = services.member_create(actor=actor, org=cell, data=data)
                    except ChiboError as exc:
                        row.errors.append(f"{_label(exc.field)}: {exc.message}" if exc.field in FIELD_BY_KEY else exc.message)
                    else:
                        result.created += 1
                        result.preview.append(PreviewRow(number, member.full_name, member.citizen_id, member.date_of_birth, cells.names.get(cell.pk, cell.code)))
                result.errors.extend(RowError(number, e) for e in row.errors)
            if result.errors or not commit:
                raise _DryRun
    except _DryRun:
        if result.errors:
            result.created = 0
            result.preview = []
    else:
        result.committed = True
    result.notices.sort(key=lambda n: n.row)
    return result




# --- The template offices download ---------------------------------------------------------------------------


def template_xlsx() -> bytes:
    """The import template: the documented columns, a header row, one made-up example row (skipped
    on import: its STT says "Ví dụ"), and a "Hướng dẫn" sheet explaining each column. The file
    format is Vietnamese, whatever the interface language."""
    with translation.override("vi"):
        return _template_xlsx()


def _template_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws.append(["DANH SÁCH ĐẢNG VIÊN"])
    ws["A1"].font = Font(bold=True, size=14)
    fields = [FIELD_BY_KEY[k] for k in TEMPLATE_KEYS]
    ws.append([f.header for f in fields])
    ws.append([f.example for f in fields])
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    for index, f in enumerate(fields, start=1):
        letter = ws.cell(row=2, column=index).column_letter
        head = ws.cell(row=2, column=index)
        head.font = Font(bold=True)
        head.fill = header_fill
        head.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[letter].width = f.width
        example = ws.cell(row=3, column=index)
        example.font = Font(italic=True, color="666666")
        if f.kind in {"date", "citizen_id", "phone", "card"}:
            # Text, so Excel neither drops leading zeros nor turns 05/06 into 6 May.
            for r in range(3, 503):
                ws.cell(row=r, column=index).number_format = "@"
        if f.key in {"sex", "theory_level"}:
            options = "Nam,Nữ" if f.key == "sex" else "Sơ cấp,Trung cấp,Cao cấp,Cử nhân"
            rule = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
            ws.add_data_validation(rule)
            rule.add(f"{letter}3:{letter}502")
    ws.freeze_panes = "B3"
    guide = wb.create_sheet("Hướng dẫn")
    guide.append(["HƯỚNG DẪN ĐIỀN DANH SÁCH ĐẢNG VIÊN"])
    guide["A1"].font = Font(bold=True, size=14)
    guide.append([
        "Mỗi dòng dưới dòng tiêu đề là một đảng viên. Có thể giữ tiêu đề phía trên và thêm, bớt hay đổi thứ tự cột. "
        "Dòng có STT là “Ví dụ” được bỏ qua. Khi nhập, hệ thống kiểm tra thử cả tệp trước và chỉ nhập khi mọi dòng đều đúng."
    ])
    guide.append([])
    guide.append(["Cột", "Cách ghi", "Tên cột khác cũng được nhận"])
    for cell in guide[4]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
    for f in [*fields, FIELD_BY_KEY["surname"], FIELD_BY_KEY["middle_name"], FIELD_BY_KEY["given_name"], FIELD_BY_KEY["cell_code"]]:
        guide.append([f.header, str(f.guide), ", ".join(alias_examples(f))])
    for letter, width in (("A", 20), ("B", 70), ("C", 50)):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_ALIAS_SPELLING = {
    "ho ten": "Họ tên", "so can cuoc": "Số căn cước", "cccd": "CCCD", "so dinh danh ca nhan": "Số định danh cá nhân",
    "dien thoai": "Điện thoại", "sdt": "SĐT", "so the dang": "Số thẻ đảng", "ngay ket nap": "Ngày kết nạp",
    "ho dem": "Họ đệm", "ten lot": "Tên lót", "ten chi bo": "Tên chi bộ", "trinh do ly luan chinh tri": "Trình độ lý luận chính trị",
    "llct": "LLCT", "trinh do van hoa": "Trình độ văn hóa", "que": "Quê", "tt": "TT", "ngay cong nhan chinh thuc": "Ngày công nhận chính thức",
    "ho va ten dem": "Họ và tên đệm", "gioi": "Giới", "ngay thang nam sinh": "Ngày tháng năm sinh",
}


def alias_examples(f: Field) -> list[str]:
    """The other header names of a column, spelt as people write them (the guide and the docs)."""
    return [_ALIAS_SPELLING[a] for a in f.aliases if a in _ALIAS_SPELLING]

