"""Vietnamese personal names and profile details for demo members.

Names are built as surname + middle name + given name, with middle and given names that match
the person's sex and generation (older men are mostly "Văn", older women mostly "Thị"), and
surnames weighted roughly as they occur in northern Vietnam. Members of ethnic minorities that
live in Quảng Ninh (Dao, Tày, Sán Chỉ, Sán Dìu) get surnames usual among them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from itertools import accumulate

# Surname, weight (per mille, approximate).
KINH_SURNAMES: list[tuple[str, int]] = [
    ("Nguyễn", 360), ("Trần", 110), ("Lê", 90), ("Phạm", 75), ("Hoàng", 45), ("Vũ", 45),
    ("Đặng", 25), ("Bùi", 25), ("Đỗ", 22), ("Phan", 20), ("Ngô", 16), ("Dương", 12),
    ("Hồ", 10), ("Đinh", 12), ("Lương", 8), ("Trịnh", 9), ("Đào", 9), ("Mai", 7), ("Lý", 6),
    ("Cao", 6), ("Tạ", 4), ("Lưu", 4), ("Hà", 5), ("Tô", 3), ("Phùng", 4), ("Đoàn", 5),
    ("Vương", 2), ("Kiều", 2), ("Quách", 2), ("Chu", 3), ("Lã", 2), ("Nghiêm", 2),
]
ETHNIC_SURNAMES: dict[str, list[tuple[str, int]]] = {
    "Dao": [("Triệu", 30), ("Bàn", 25), ("Đặng", 20), ("Lý", 15), ("Chìu", 5), ("Phùn", 5)],
    "Tày": [("Hoàng", 25), ("Nông", 20), ("Lành", 15), ("Vi", 10), ("Hà", 10), ("Lương", 10), ("Lục", 10)],
    "Sán Chỉ": [("Chíu", 20), ("Voòng", 20), ("Tằng", 15), ("Sằn", 15), ("Lỷ", 15), ("Phùn", 15)],
    "Sán Dìu": [("Lý", 25), ("Tạ", 20), ("Trương", 15), ("Dương", 15), ("Lam", 15), ("Diệp", 10)],
}

MALE_MIDDLE_OLD: list[tuple[str, int]] = [
    ("Văn", 55), ("Đức", 8), ("Minh", 5), ("Quang", 5), ("Hữu", 6), ("Xuân", 4), ("Công", 4),
    ("Đình", 5), ("Ngọc", 3), ("Trọng", 2), ("Bá", 2), ("Quốc", 1),
]
MALE_MIDDLE_YOUNG: list[tuple[str, int]] = [
    ("Văn", 25), ("Đức", 10), ("Minh", 10), ("Quang", 7), ("Hữu", 5), ("Xuân", 4), ("Công", 5),
    ("Đình", 4), ("Ngọc", 3), ("Trọng", 3), ("Quốc", 5), ("Duy", 5), ("Anh", 3), ("Tiến", 3),
    ("Mạnh", 3), ("Thành", 3), ("Việt", 2),
]
FEMALE_MIDDLE_OLD: list[tuple[str, int]] = [
    ("Thị", 75), ("Thu", 5), ("Ngọc", 4), ("Thanh", 4), ("Kim", 3), ("Minh", 2), ("Hồng", 3),
    ("Bích", 2), ("Thị Thu", 2),
]
FEMALE_MIDDLE_YOUNG: list[tuple[str, int]] = [
    ("Thị", 35), ("Thu", 8), ("Ngọc", 7), ("Thanh", 7), ("Thùy", 6), ("Minh", 5), ("Phương", 5),
    ("Hồng", 4), ("Kim", 3), ("Mai", 3), ("Thị Thu", 4), ("Thị Thanh", 3), ("Thị Ngọc", 3),
    ("Hải", 2), ("Khánh", 2), ("Diệu", 1),
]
MALE_GIVEN = [
    "Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Hải", "Sơn", "Thắng", "Long", "Cường", "Quang",
    "Hưng", "Trung", "Đức", "Bình", "Thành", "Tùng", "Hiếu", "Phong", "Khánh", "Toàn", "Huy",
    "Kiên", "Lâm", "Hòa", "Thịnh", "Tiến", "Vinh", "Quân", "Phúc", "Đạt", "Công", "Tâm",
    "Hoàng", "Việt", "Lợi", "Thái", "Tài", "Chiến", "Hà", "Hậu", "Quý", "Thuận", "Trường",
    "Nghĩa", "Bằng", "Hạnh", "Thanh", "Tú", "Lộc", "Phương", "Sáng", "Thọ", "Hợp", "Khoa",
    "Cảnh", "Doanh", "Hoan", "Lực", "Ninh", "Tuyến", "Vượng", "Xuân", "Yên", "Điệp", "Định",
]
FEMALE_GIVEN = [
    "Lan", "Hương", "Hoa", "Mai", "Hằng", "Hà", "Linh", "Nga", "Thảo", "Trang", "Huyền",
    "Loan", "Thủy", "Dung", "Hạnh", "Yến", "Nhung", "Phương", "Oanh", "Hồng", "Thúy", "Liên",
    "Vân", "Ngọc", "Anh", "Giang", "Hiền", "Tuyết", "Quyên", "Nhàn", "Thu", "Lý", "Huệ",
    "Xuân", "Nguyệt", "Chi", "Duyên", "Hải", "Tâm", "Bích", "Lệ", "Thơm", "Quỳnh", "Ánh",
    "Minh", "Sen", "Hậu", "Diệp", "Thanh", "Luyến", "Hòa", "Vui", "Thắm", "Tươi",
]


def _cum(pairs: list[tuple[str, int]]) -> tuple[list[str], list[int]]:
    return [p[0] for p in pairs], list(accumulate(p[1] for p in pairs))


_TABLES = {
    "kinh": _cum(KINH_SURNAMES),
    "m_old": _cum(MALE_MIDDLE_OLD),
    "m_young": _cum(MALE_MIDDLE_YOUNG),
    "f_old": _cum(FEMALE_MIDDLE_OLD),
    "f_young": _cum(FEMALE_MIDDLE_YOUNG),
    **{key: _cum(pairs) for key, pairs in ETHNIC_SURNAMES.items()},
}


def _pick(rng: random.Random, table: str) -> str:
    names, cum = _TABLES[table]
    return rng.choices(names, cum_weights=cum)[0]


@dataclass(frozen=True, slots=True)
class Name:
    surname: str
    middle: str
    given: str

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.surname, self.middle, self.given) if p)


def person_name(rng: random.Random, *, sex: str, born: dt.date, ethnicity: str = "Kinh") -> Name:
    surname = _pick(rng, ethnicity if ethnicity in ETHNIC_SURNAMES else "kinh")
    generation = "old" if born.year < 1975 else "young"
    middle = _pick(rng, ("m_" if sex == "male" else "f_") + generation)
    pool = MALE_GIVEN if sex == "male" else FEMALE_GIVEN
    given = rng.choice(pool)
    while given == middle.split()[-1]:
        given = rng.choice(pool)
    return Name(surname, middle, given)


# Hometowns (quê quán): most members are from Quảng Ninh; many families came from the delta
# provinces to work the mines. The citizen ID province code is the place of birth registration.
OTHER_HOMETOWNS: list[tuple[str, str]] = [
    ("Kiến Xương, Thái Bình", "034"), ("Quỳnh Phụ, Thái Bình", "034"), ("Thái Thụy, Thái Bình", "034"),
    ("Hải Hậu, Nam Định", "036"), ("Vụ Bản, Nam Định", "036"), ("Kinh Môn, Hải Dương", "030"),
    ("Kim Thành, Hải Dương", "030"), ("Thủy Nguyên, Hải Phòng", "031"), ("Tiên Lãng, Hải Phòng", "031"),
    ("Hoằng Hóa, Thanh Hóa", "038"), ("Ân Thi, Hưng Yên", "033"), ("Lý Nhân, Hà Nam", "035"),
    ("Nghi Lộc, Nghệ An", "040"), ("Lục Ngạn, Bắc Giang", "024"),
]

EDUCATION_GENERAL_OLD = ["7/10", "10/10", "10/10", "10/10", "12/12"]
PROFESSIONAL = ["Trung cấp", "Cao đẳng", "Đại học", "Đại học", "Đại học", "Thạc sĩ"]
PHONE_PREFIXES = ["090", "091", "094", "096", "097", "098", "086", "088", "032", "033", "034",
                  "035", "036", "037", "038", "039", "081", "082", "083", "084", "085", "070",
                  "076", "077", "078", "079", "093", "089"]


def phone_number(rng: random.Random) -> str:
    return rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10_000_000):07d}"


OCCUPATIONS: dict[str, list[str]] = {
    "residential": ["Nông dân", "Nông dân", "Kinh doanh", "Lao động tự do", "Công nhân", "Ngư dân",
                    "Nuôi trồng thủy sản", "Buôn bán nhỏ"],
    "residential_old": ["Hưu trí", "Hưu trí", "Hưu trí", "Nông dân", "Cán bộ hưu trí"],
    "agency": ["Công chức", "Công chức", "Viên chức", "Chuyên viên"],
    "school": ["Giáo viên", "Giáo viên", "Giáo viên", "Cán bộ quản lý giáo dục", "Nhân viên"],
    "coal": ["Công nhân khai thác hầm lò", "Công nhân khai thác hầm lò", "Thợ cơ điện mỏ",
             "Kỹ sư khai thác mỏ", "Công nhân vận tải mỏ", "Thợ sửa chữa cơ khí", "Cán bộ kỹ thuật",
             "Nhân viên văn phòng"],
    "enterprise": ["Công nhân", "Nhân viên", "Kỹ sư", "Cán bộ quản lý", "Kế toán"],
    "police": ["Sĩ quan Công an", "Hạ sĩ quan Công an"],
    "armed_forces": ["Sĩ quan Quân đội", "Quân nhân chuyên nghiệp", "Hạ sĩ quan"],
    "other": ["Bác sĩ", "Điều dưỡng", "Dược sĩ", "Nhân viên", "Viên chức"],
}
