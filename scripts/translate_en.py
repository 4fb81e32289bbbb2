"""Fill English translations for new msgids from a small table, then recompile (scripts/i18n.sh).

Usage: .venv/bin/python scripts/translate_en.py  — prints what is still missing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "chibo/locale/en/LC_MESSAGES/django.po"

TABLE = {
    "Ngày bắt đầu sinh hoạt": "Start of membership in the cell",
    "Địa bàn": "Area",
    "Loại địa bàn": "Area type",
    "Đơn vị hành chính": "Administrative unit",
    "Ngày giải thể": "Dissolution date",
    "Hợp nhất vào": "Merged into",
    "Tổ chức hợp nhất": "Merged organisations",
    "Tổ chức mới": "New organisations",
    "Sinh hoạt thường kỳ": "Regular meeting",
    "Sinh hoạt chuyên đề": "Thematic meeting",
    "Thường kỳ kết hợp chuyên đề": "Regular and thematic meeting",
    "Họp chi ủy": "Cell committee meeting",
    "Đang chuẩn bị": "In preparation",
    "Đã thông báo": "Announced",
    "Đang họp": "In session",
    "Đã kết thúc": "Ended",
    "Đã duyệt, khóa sổ": "Approved and locked",
    "Phần mở đầu": "Opening",
    "Thông tin thời sự, văn bản mới": "News and new directives",
    "Tình hình tư tưởng đảng viên": "Members' thinking",
    "Kiểm điểm tháng trước": "Review of last month",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh": "Studying and following Hồ Chí Minh's thought, ethics and style",
    "Nhiệm vụ tháng tới": "Next month's tasks",
    "Thảo luận": "Discussion",
    "Kết luận, biểu quyết nghị quyết": "Conclusion and vote on the resolution",
    "Nội dung khác": "Other business",
    "Có mặt": "Present",
    "Vắng có lý do": "Absent with reason",
    "Vắng không lý do": "Absent without reason",
    "Đình chỉ sinh hoạt": "Suspended",
    "Tán thành": "Agree",
    "Không tán thành": "Disagree",
    "Không biểu quyết": "Abstain",
    "Tốt": "Good",
    "Khá": "Fair",
    "Trung bình": "Average",
    "Kém": "Weak",
    "Không tìm thấy.": "Not found.",
}


def main() -> int:
    po = polib.pofile(str(PO))
    missing = []
    for entry in po:
        if entry.obsolete or entry.msgid_plural:
            continue
        if not entry.msgstr:
            if entry.msgid in TABLE:
                entry.msgstr = TABLE[entry.msgid]
            else:
                missing.append(entry.msgid)
    po.save(str(PO))
    for msgid in missing:
        print(repr(msgid))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
