"""Import members from .xlsx: a dry run that lists every bad row, and an all-or-nothing commit.

The sheet's first row holds the headers below (order does not matter; extra columns are ignored).
Dates are dd/mm/yyyy text or real Excel dates. "Mã chi bộ" names the cell by its code; when the
column is absent or empty, the cell chosen on the import page (or ``--org``) is used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from chibo.core.access import Action, Policy
from chibo.core.dates import parse_date
from chibo.core.errors import ChiboError
from chibo.members import services
from chibo.members.models import Member, Sex, TheoryLevel
from chibo.orgs.models import CELL_KINDS, Organisation, OrgVersion


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
_BY_HEADER = {c.header.lower(): c for c in COLUMNS}


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any, key: str) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return parse_date(_cell_text(value), field=key, required=False)


def _sex(value: str) -> str:
    folded = value.strip().lower()
    if folded in {"nam", "male", "m"}:
        return Sex.MALE
    if folded in {"nữ", "nu", "female", "f"}:
        return Sex.FEMALE
    raise ChiboError(_("Giới tính phải là Nam hoặc Nữ."), field="sex")


def _theory(value: str) -> str:
    if not value:
        return ""
    with translation.override("vi"):  # the file format is Vietnamese, whatever the interface language
        choices = [(key, str(label)) for key, label in TheoryLevel.choices]
    for key, label in choices:
        if value.strip().lower() in {str(label).lower(), key}:
            return key
    raise ChiboError(_("Trình độ lý luận chính trị không hợp lệ: %(v)s.") % {"v": value}, field="theory_level")


def read_rows(file: Any) -> list[tuple[int, dict[str, Any]]]:
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
        raise ChiboError(_("Tệp không phải là bảng tính Excel (.xlsx) hợp lệ.")) from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header_row = None
    header_index = 0
    for header_index, row in enumerate(rows, start=1):
        texts = [_cell_text(v).lower() for v in row]
        if "họ" in texts and "tên" in texts:
            header_row = texts
            break
        if header_index >= 5:
            break
    if header_row is None:
        raise ChiboError(_("Không tìm thấy dòng tiêu đề (cần có các cột Họ, Tên, Ngày sinh...) trong 5 dòng đầu."))
    missing = [c.header for c in COLUMNS if c.required and c.header.lower() not in header_row]
    if missing:
        raise ChiboError(_("Thiếu cột: %(cols)s.") % {"cols": ", ".join(missing)})
    out = []
    for number, row in enumerate(rows, start=header_index + 1):
        values = {header_row[i]: v for i, v in enumerate(row) if i < len(header_row)}
        if all(_cell_text(v) == "" for v in values.values()):
            continue
        out.append((number, {c.key: values.get(c.header.lower()) for c in COLUMNS}))
    wb.close()
    return out


def _row_data(raw: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for column in COLUMNS:
        value = raw.get(column.key)
        if column.kind == "date":
            data[column.key] = _date(value, column.key)
        elif column.kind == "sex":
            data[column.key] = _sex(_cell_text(value))
        elif column.kind == "theory":
            data[column.key] = _theory(_cell_text(value))
        else:
            data[column.key] = _cell_text(value)
        if column.required and data[column.key] in ("", None):
            raise ChiboError(_("Cột %(col)s không được để trống.") % {"col": column.header}, field=column.key)
    return data


class _DryRun(Exception):
    pass


def import_members(*, actor: Any, policy: Policy, file: Any, default_org: Organisation | None, commit: bool) -> ImportResult:
    """Check every row; with ``commit`` and no bad row, create all members in one transaction."""
    result = ImportResult()
    if getattr(file, "size", 0) and file.size > settings.CHIBO_IMPORT_MAX_BYTES:
        raise ChiboError(_("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": settings.CHIBO_IMPORT_MAX_BYTES // (1024 * 1024)})
    rows = read_rows(file)
    result.rows = len(rows)
    if not rows:
        raise ChiboError(_("Tệp không có dòng dữ liệu nào."))
    cells = {v.org.code: v.org for v in policy.versions(action=Action.EDIT_MEMBER).filter(kind__in=CELL_KINDS).select_related("org")}
    seen_ids: dict[str, int] = {}
    try:
        with transaction.atomic():
            for number, raw in rows:
                try:
                    data = _row_data(raw)
                    code = data.pop("cell_code")
                    data.pop("cell_name")
                    org = cells.get(code) if code else default_org
                    if org is None:
                        raise ChiboError(
                            _("Không có chi bộ mã %(code)s trong phạm vi của bạn.") % {"code": code}
                            if code
                            else _("Chưa chọn chi bộ: hãy điền cột Mã chi bộ hoặc chọn chi bộ khi nhập.")
                        )
                    if data["citizen_id"] in seen_ids:
                        raise ChiboError(_("Số căn cước trùng với dòng %(row)s.") % {"row": seen_ids[data["citizen_id"]]})
                    seen_ids[data["citizen_id"]] = number
                    with transaction.atomic():
                        services.member_create(actor=actor, org=org, data=data)
                    result.created += 1
                except ChiboError as exc:
                    result.errors.append(RowError(row=number, message=exc.message))
            if result.errors or not commit:
                raise _DryRun
    except _DryRun:
        result.created = 0 if result.errors or not commit else result.created
        if not commit and not result.errors:
            result.created = len(rows)
        return result
    result.committed = True
    return result
