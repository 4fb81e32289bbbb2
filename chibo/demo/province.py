"""The province dataset: Quảng Ninh before the 2025 reorganisation, sized by the seed figures.

One snapshot tree from 01/01/2022 (docs/seed_figures.md):
- 20 directly subordinate committees: 13 district-level (city, town, district) and 7 sector ones;
- 696 grassroots organisations, of which 177 commune, ward and township committees;
- 4,971 cells under grassroots committees (partial committees included), 1,452 of them
  residential (village, hamlet, quarter) cells under the 177 commune-level committees;
- Đảng bộ Khối các cơ quan tỉnh: 39 grassroots committees + 24 grassroots cells, over 4,500 members;
- Đảng bộ Than Quảng Ninh: 40 grassroots organisations, 8 partial committees, 899 cells, over 18,800 members;
- 107,000 members (counted statuses); over 1,400 residential-cell secretaries are also village heads.

Commune names follow the pre-2025 map as far as I know it; village names are plausible, not a
gazetteer. ``factor`` (hidden, for tests) shrinks the number of units; the totals are exact only at 1.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from chibo.core.models import OPEN
from chibo.demo import district as dh
from chibo.demo.plan import (
    START,
    OrgSpec,
    People,
    Person,
    Plan,
    assign_leadership,
    plain_member,
    populate_cell,
)

TOTAL_MEMBERS = 107_000
RESIDENTIAL_CELLS = 1_452
CELLS = 4_971
COAL_CELLS = 899
COAL_MEMBERS = 19_050
AGENCY_MEMBERS = 4_700
RESIDENTIAL_MEMBERS = 48_000
# Residential cells whose secretary is village head / head of the Front work committee (the rest: neither).
NOT_VILLAGE_HEAD = 40
FRONT_HEADS = 12

# code, name, committee title ("Thành ủy" ...), commune-level units ("p:" ward, "t:" township, else commune),
# other grassroots organisations, ethnic shares
DISTRICTS: list[tuple[str, str, str, list[str], int, dict[str, float]]] = [
    ("HL", "thành phố Hạ Long", "Thành ủy", [
        "p:Bãi Cháy", "p:Cao Thắng", "p:Cao Xanh", "p:Đại Yên", "p:Giếng Đáy", "p:Hà Khánh", "p:Hà Khẩu",
        "p:Hà Lầm", "p:Hà Phong", "p:Hà Trung", "p:Hà Tu", "p:Hoành Bồ", "p:Hồng Gai", "p:Hồng Hà",
        "p:Hồng Hải", "p:Hùng Thắng", "p:Trần Hưng Đạo", "p:Tuần Châu", "p:Việt Hưng", "p:Bạch Đằng",
        "p:Yết Kiêu", "Bằng Cả", "Dân Chủ", "Đồng Lâm", "Đồng Sơn", "Hòa Bình", "Kỳ Thượng", "Lê Lợi",
        "Quảng La", "Sơn Dương", "Tân Dân", "Thống Nhất", "Vũ Oai"], 60, {"Dao": 0.03}),
    ("CP", "thành phố Cẩm Phả", "Thành ủy", [
        "p:Cẩm Bình", "p:Cẩm Đông", "p:Cẩm Phú", "p:Cẩm Sơn", "p:Cẩm Tây", "p:Cẩm Thạch", "p:Cẩm Thành",
        "p:Cẩm Thịnh", "p:Cẩm Thủy", "p:Cẩm Trung", "p:Cửa Ông", "p:Mông Dương", "p:Quang Hanh",
        "Cẩm Hải", "Cộng Hòa", "Dương Huy"], 30, {"Dao": 0.02, "Sán Dìu": 0.02}),
    ("UB", "thành phố Uông Bí", "Thành ủy", [
        "p:Bắc Sơn", "p:Nam Khê", "p:Phương Đông", "p:Phương Nam", "p:Quang Trung", "p:Thanh Sơn",
        "p:Trưng Vương", "p:Vàng Danh", "p:Yên Thanh", "Thượng Yên Công"], 25, {"Dao": 0.02}),
    ("MC", "thành phố Móng Cái", "Thành ủy", [
        "p:Bình Ngọc", "p:Hải Hòa", "p:Hải Yên", "p:Hòa Lạc", "p:Ka Long", "p:Ninh Dương", "p:Trà Cổ",
        "p:Trần Phú", "Hải Đông", "Hải Sơn", "Hải Tiến", "Hải Xuân", "Quảng Nghĩa", "Vạn Ninh",
        "Vĩnh Thực", "Vĩnh Trung", "Bắc Sơn"], 25, {"Dao": 0.05}),
    ("QY", "thị xã Quảng Yên", "Thị ủy", [
        "p:Cộng Hòa", "p:Đông Mai", "p:Hà An", "p:Minh Thành", "p:Nam Hòa", "p:Phong Cốc", "p:Phong Hải",
        "p:Quảng Yên", "p:Tân An", "p:Yên Giang", "p:Yên Hải", "Cẩm La", "Hiệp Hòa", "Hoàng Tân",
        "Liên Hòa", "Liên Vị", "Sông Khoai", "Tiền An", "Tiền Phong"], 20, {}),
    ("DT", "thị xã Đông Triều", "Thị ủy", [
        "p:Đông Triều", "p:Đức Chính", "p:Hồng Phong", "p:Hưng Đạo", "p:Kim Sơn", "p:Mạo Khê", "p:Tràng An",
        "p:Xuân Sơn", "p:Yên Thọ", "p:Hoàng Quế", "An Sinh", "Bình Dương", "Bình Khê", "Hồng Thái Đông",
        "Hồng Thái Tây", "Nguyễn Huệ", "Tân Việt", "Thủy An", "Tràng Lương", "Việt Dân", "Yên Đức"], 22,
     {"Dao": 0.02}),
    ("VD", "huyện Vân Đồn", "Huyện ủy", [
        "t:Cái Rồng", "Bản Sen", "Bình Dân", "Đài Xuyên", "Đoàn Kết", "Đông Xá", "Hạ Long", "Minh Châu",
        "Ngọc Vừng", "Quan Lạn", "Thắng Lợi", "Vạn Yên"], 15, {"Sán Dìu": 0.05, "Dao": 0.03}),
    ("TY", "huyện Tiên Yên", "Huyện ủy", [
        "t:Tiên Yên", "Đại Dực", "Đại Thành", "Điền Xá", "Đông Hải", "Đông Ngũ", "Hà Lâu", "Hải Lạng",
        "Phong Dụ", "Yên Than", "Tiên Lãng"], 12, {"Dao": 0.20, "Tày": 0.15, "Sán Chỉ": 0.08, "Sán Dìu": 0.05}),
    ("BL", "huyện Bình Liêu", "Huyện ủy", [
        "t:Bình Liêu", "Đồng Tâm", "Đồng Văn", "Hoành Mô", "Húc Động", "Lục Hồn", "Vô Ngại"], 8,
     {"Tày": 0.50, "Dao": 0.25, "Sán Chỉ": 0.15}),
    ("DH", "huyện Đầm Hà", "Huyện ủy", [], 10, {"Dao": 0.10, "Sán Chỉ": 0.04}),  # communes from chibo.demo.district
    ("HH", "huyện Hải Hà", "Huyện ủy", [
        "t:Quảng Hà", "Cái Chiên", "Đường Hoa", "Quảng Chính", "Quảng Đức", "Quảng Long", "Quảng Minh",
        "Quảng Phong", "Quảng Sơn", "Quảng Thành", "Quảng Thịnh"], 12, {"Dao": 0.12, "Sán Chỉ": 0.05, "Tày": 0.03}),
    ("BC", "huyện Ba Chẽ", "Huyện ủy", [
        "t:Ba Chẽ", "Đạp Thanh", "Đồn Đạc", "Lương Mông", "Minh Cầm", "Nam Sơn", "Thanh Lâm", "Thanh Sơn"], 8,
     {"Dao": 0.40, "Tày": 0.15, "Sán Chỉ": 0.12}),
    ("CT", "huyện Cô Tô", "Huyện ủy", ["t:Cô Tô", "Đồng Tiến", "Thanh Lân"], 5, {}),
]

VILLAGE_NAMES = [
    "Đồng Tâm", "Tân Hợp", "Bình Minh", "Đông Sơn", "Tây Sơn", "Nam Sơn", "Trung Tâm", "Thành Công",
    "Hải Hòa", "Tân Tiến", "Quyết Tiến", "Đoàn Kết", "Thống Nhất", "Hợp Thành", "Phú Hải", "Đồng Cầu",
    "Khe Lạc", "Cái Tăn", "Đồng Rùa", "Tân Lập", "Yên Hòa", "Hòa Bình", "Quang Trung", "Đồng Bắc",
    "Đồng Vải", "Khe Tâm", "Vĩnh Tuy", "Làng Dạ", "Đồng Cháy", "Xóm Giữa", "Xóm Bãi", "Đá Bạc",
    "Tân Thành", "Hải Tân", "An Biên", "Bến Châu", "Cống Mương", "Đồng Hồ", "Khe Hùm", "Bằng Xăm",
    "Nà Lộc", "Khe Và", "Lục Ngù", "Phai Lầu", "Nà Áng", "Pắc Pò", "Khe Lánh", "Đồng Giang",
]
COMMUNE_CELL_TYPES = [
    ("Chi bộ Cơ quan", "agency", "agency"),
    ("Chi bộ Công an", "police", "police"),
    ("Chi bộ Quân sự", "armed_forces", "armed_forces"),
    ("Chi bộ Trường Mầm non", "school", "school"),
    ("Chi bộ Trường Tiểu học", "school", "school"),
    ("Chi bộ Trạm Y tế", "other", "other"),
]
# name template ({u}: "Thành ủy Hạ Long" / unit name), grassroots committee?, sector, profile
DISTRICT_UNITS = [
    ("Đảng bộ Cơ quan {t}", True, "agency", "agency"),
    ("Đảng bộ Cơ quan HĐND và UBND {u}", True, "agency", "agency"),
    ("Chi bộ Cơ quan Mặt trận Tổ quốc và các đoàn thể {u}", False, "agency", "agency"),
    ("Đảng bộ Trung tâm Y tế {u}", True, "other", "other"),
    ("Chi bộ Trung tâm Chính trị {u}", False, "agency", "agency"),
    ("Chi bộ Ban Quản lý dự án đầu tư xây dựng {u}", False, "agency", "agency"),
    ("Chi bộ Trung tâm Văn hóa - Thể thao và Truyền thông {u}", False, "agency", "agency"),
    ("Chi bộ Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên {u}", False, "school", "school"),
    ("Chi bộ Chi cục Thuế {u}", False, "agency", "agency"),
    ("Chi bộ Kho bạc Nhà nước {u}", False, "agency", "agency"),
    ("Chi bộ Bảo hiểm xã hội {u}", False, "agency", "agency"),
    ("Chi bộ Tòa án nhân dân {u}", False, "agency", "agency"),
    ("Chi bộ Viện Kiểm sát nhân dân {u}", False, "agency", "agency"),
    ("Chi bộ Chi cục Thi hành án dân sự {u}", False, "agency", "agency"),
    ("Chi bộ Phòng Giao dịch Ngân hàng Chính sách xã hội {u}", False, "agency", "agency"),
    ("Đảng bộ Công ty Cổ phần Môi trường đô thị {u}", True, "enterprise", "enterprise"),
    ("Chi bộ Trường THPT {s}", False, "school", "school"),
]
AGENCY_COMMITTEES = [
    "Văn phòng UBND tỉnh", "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Sở Giáo dục và Đào tạo", "Sở Y tế",
    "Sở Xây dựng", "Sở Giao thông vận tải", "Sở Nông nghiệp và Phát triển nông thôn", "Sở Tài nguyên và Môi trường",
    "Sở Công Thương", "Sở Văn hóa và Thể thao", "Sở Du lịch", "Sở Lao động - Thương binh và Xã hội", "Sở Nội vụ",
    "Sở Tư pháp", "Sở Khoa học và Công nghệ", "Sở Thông tin và Truyền thông", "Thanh tra tỉnh", "Cục Thuế tỉnh",
    "Cục Hải quan tỉnh", "Kho bạc Nhà nước tỉnh", "Bảo hiểm xã hội tỉnh", "Ngân hàng Nhà nước Chi nhánh tỉnh",
    "Cục Thống kê tỉnh", "Tòa án nhân dân tỉnh", "Viện Kiểm sát nhân dân tỉnh", "Cục Thi hành án dân sự tỉnh",
    "Trường Đại học Hạ Long", "Trường Chính trị Nguyễn Văn Cừ", "Bệnh viện Đa khoa tỉnh", "Bệnh viện Sản Nhi",
    "Bệnh viện Bãi Cháy", "Trung tâm Truyền thông tỉnh", "Ban Quản lý Khu kinh tế tỉnh",
    "Cơ quan Mặt trận Tổ quốc và các đoàn thể tỉnh", "Văn phòng Tỉnh ủy", "Trường Cao đẳng Y tế Quảng Ninh",
    "Bệnh viện Lao và Phổi", "Văn phòng Đoàn ĐBQH và HĐND tỉnh",
]
AGENCY_CELLS = [
    "Ban Dân tộc tỉnh", "Sở Ngoại vụ", "Liên minh Hợp tác xã tỉnh", "Hội Nông dân tỉnh", "Tỉnh Đoàn",
    "Hội Liên hiệp Phụ nữ tỉnh", "Hội Cựu chiến binh tỉnh", "Liên đoàn Lao động tỉnh", "Hội Văn học Nghệ thuật tỉnh",
    "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh", "Hội Chữ thập đỏ tỉnh", "Bảo tàng - Thư viện tỉnh",
    "Trung tâm Phục vụ hành chính công tỉnh", "Quỹ Bảo vệ môi trường tỉnh", "Trường THPT Chuyên Hạ Long",
    "Trường Cao đẳng Việt - Hàn Quảng Ninh", "Ban Xúc tiến và Hỗ trợ đầu tư tỉnh", "Trung tâm Kiểm soát bệnh tật tỉnh",
    "Bệnh viện Y dược cổ truyền tỉnh", "Bệnh viện Phục hồi chức năng tỉnh", "Ban Quản lý dự án đầu tư xây dựng tỉnh",
    "Vườn quốc gia Bái Tử Long", "Ban Quản lý Vịnh Hạ Long", "Trung tâm Lưu trữ lịch sử tỉnh",
]
# Coal units: name, grassroots committee?, partial committees under it
COAL_UNITS: list[tuple[str, bool, int]] = [
    ("Công ty Than Hà Lầm - TKV", True, 1), ("Công ty Than Mông Dương - Vinacomin", True, 1),
    ("Công ty Than Vàng Danh - Vinacomin", True, 1), ("Công ty Than Nam Mẫu - TKV", True, 1),
    ("Công ty Than Khe Chàm - TKV", True, 1), ("Công ty Than Dương Huy - TKV", True, 1),
    ("Công ty Than Quang Hanh - TKV", True, 1), ("Công ty Than Mạo Khê - TKV", True, 1),
    ("Công ty Than Hạ Long - TKV", True, 0), ("Công ty Than Hòn Gai - TKV", True, 0),
    ("Công ty Than Uông Bí - TKV", True, 0), ("Công ty Than Thống Nhất - TKV", True, 0),
    ("Công ty Cổ phần Than Cao Sơn - TKV", True, 0), ("Công ty Cổ phần Than Cọc Sáu - Vinacomin", True, 0),
    ("Công ty Cổ phần Than Đèo Nai - Vinacomin", True, 0), ("Công ty Cổ phần Than Núi Béo - Vinacomin", True, 0),
    ("Công ty Cổ phần Than Hà Tu - Vinacomin", True, 0), ("Công ty Tuyển than Cửa Ông - TKV", True, 0),
    ("Công ty Tuyển than Hòn Gai - Vinacomin", True, 0), ("Công ty Kho vận Đá Bạc - Vinacomin", True, 0),
    ("Công ty Kho vận và Cảng Cẩm Phả - Vinacomin", True, 0), ("Công ty Kho vận Hòn Gai - Vinacomin", True, 0),
    ("Công ty Xây dựng mỏ Hầm lò 1 - TKV", True, 0), ("Công ty Xây dựng mỏ Hầm lò 2 - TKV", True, 0),
    ("Công ty Cổ phần Chế tạo máy - Vinacomin", True, 0), ("Công ty Cổ phần Cơ khí Mạo Khê - Vinacomin", True, 0),
    ("Công ty Cơ điện Uông Bí - Vinacomin", True, 0), ("Công ty Cổ phần Vật tư, Vận tải và Xếp dỡ - Vinacomin", True, 0),
    ("Công ty Cổ phần Địa chất mỏ - TKV", True, 0), ("Công ty Môi trường - TKV", True, 0),
    ("Công ty Cổ phần Than Tây Nam Đá Mài - Vinacomin", True, 0), ("Công ty Than Hà Ráng - TKV", True, 0),
    ("Công ty Cổ phần Than Vàng Danh - Vinacomin", True, 0), ("Trường Cao đẳng Than - Khoáng sản Việt Nam", True, 0),
    ("Bệnh viện Than - Khoáng sản", True, 0), ("Công ty Cổ phần Than Mông Dương - Vinacomin", True, 0),
    ("Trung tâm Cấp cứu mỏ - Vinacomin", False, 0), ("Ban Quản lý dự án than Hạ Long - TKV", False, 0),
    ("Công ty Cổ phần Tin học, Công nghệ, Môi trường - Vinacomin", False, 0), ("Văn phòng đại diện TKV tại Quảng Ninh", False, 0),
]
COAL_WORKSHOPS = ["Khai thác", "Đào lò", "Cơ điện", "Vận tải lò", "Thông gió - Thoát nước", "Sàng tuyển", "Xây dựng mỏ", "Phục vụ"]
ENTERPRISES = [
    "Công ty Điện lực Quảng Ninh", "Viễn thông Quảng Ninh", "Bưu điện tỉnh Quảng Ninh", "Công ty Xăng dầu B12",
    "Cảng vụ Hàng hải Quảng Ninh", "Công ty Cổ phần Cảng Quảng Ninh", "Công ty Cổ phần Nước sạch Quảng Ninh",
    "Công ty Cổ phần Xi măng và Xây dựng Quảng Ninh", "Công ty Cổ phần Xi măng Thăng Long", "Công ty Cổ phần Nhiệt điện Quảng Ninh",
    "Công ty Nhiệt điện Uông Bí", "Công ty Nhiệt điện Mông Dương", "Công ty Cổ phần Đóng tàu Hạ Long",
    "Công ty Cổ phần Môi trường đô thị Hạ Long", "Công ty Cổ phần Du lịch Hạ Long", "Ngân hàng TMCP Ngoại thương Chi nhánh Quảng Ninh",
    "Ngân hàng TMCP Đầu tư và Phát triển Chi nhánh Quảng Ninh", "Ngân hàng Nông nghiệp và PTNT Chi nhánh Quảng Ninh",
    "Ngân hàng TMCP Công thương Chi nhánh Quảng Ninh", "Công ty Cổ phần Gốm Đất Việt", "Công ty TNHH MTV Lâm nghiệp Hoành Bồ",
    "Công ty TNHH MTV Lâm nghiệp Ba Chẽ", "Công ty Cổ phần Vận tải thủy Quảng Ninh", "Công ty Cổ phần Đầu tư Xây dựng Quảng Ninh",
    "Công ty Cổ phần Kinh doanh Nhà Quảng Ninh", "Công ty Cổ phần Giống cây trồng Quảng Ninh", "Công ty Xổ số kiến thiết Quảng Ninh",
    "Công ty Cổ phần Dịch vụ Môi trường và Công trình đô thị Uông Bí", "Công ty Cổ phần Vinaconex Quảng Ninh",
    "Công ty Cổ phần Thủy sản Quảng Ninh", "Báo Quảng Ninh điện tử", "Công ty Cổ phần Bến xe Quảng Ninh",
    "Công ty Truyền tải điện 1 - Chi nhánh Quảng Ninh", "Công ty Cổ phần Tư vấn Xây dựng Quảng Ninh",
    "Công ty Cổ phần Thương mại Quảng Ninh", "Công ty Cổ phần Quản lý đường thủy nội địa số 2",
]
MILITARY_UNITS = (
    [("Đảng bộ Cơ quan Bộ Chỉ huy Quân sự tỉnh", True), ("Đảng bộ Trung đoàn 244", True), ("Đảng bộ Trường Quân sự tỉnh", True)]
    + [(f"Đảng bộ Ban Chỉ huy Quân sự {d[1]}", True) for d in DISTRICTS]
    + [(f"Chi bộ {u}", False) for u in [
        "Đại đội Trinh sát", "Đại đội Công binh", "Đại đội Thông tin", "Đại đội Phòng không", "Đại đội Pháo binh",
        "Kho Vũ khí đạn", "Kho Kỹ thuật", "Trạm Sửa chữa", "Đội K69", "Hải đội Dân quân thường trực",
        "Đại đội Vận tải", "Đại đội Hóa học", "Nhà khách Quân sự", "Đại đội Kho", "Ban Chỉ huy Quân sự Khu kinh tế Vân Đồn",
        "Đại đội Bộ binh 1", "Đại đội Bộ binh 2", "Đại đội Bộ binh 3", "Đại đội Bộ binh 4"]]
)
POLICE_UNITS = (
    [(f"Đảng bộ Công an {d[1]}", True) for d in DISTRICTS]
    + [(f"Đảng bộ {u}", True) for u in ["Phòng Cảnh sát PCCC và CNCH", "Phòng Cảnh sát giao thông", "Phòng Tham mưu", "Phòng Cảnh sát cơ động", "Trại tạm giam"]]
    + [(f"Chi bộ {u}", False) for u in [
        "Phòng An ninh chính trị nội bộ", "Phòng An ninh kinh tế", "Phòng Cảnh sát hình sự", "Phòng Cảnh sát kinh tế",
        "Phòng Cảnh sát điều tra tội phạm về ma túy", "Phòng Kỹ thuật hình sự", "Phòng Quản lý xuất nhập cảnh",
        "Phòng Cảnh sát quản lý hành chính về trật tự xã hội", "Phòng Hồ sơ", "Phòng Tổ chức cán bộ", "Phòng Hậu cần",
        "Phòng Cảnh sát đường thủy"]]
)
BORDER_UNITS = (
    [(f"Đảng bộ Đồn Biên phòng {u}", True) for u in [
        "Hoành Mô", "Bắc Phong Sinh", "Pò Hèn", "Cửa khẩu Quốc tế Móng Cái", "Ka Long", "Trà Cổ", "Vạn Ninh",
        "Quảng Đức", "Cô Tô", "Quan Lạn", "Cửa khẩu cảng Cái Lân", "Cửa khẩu cảng Hòn Gai", "Cửa khẩu cảng Cẩm Phả",
        "Ngọc Vừng"]]
    + [("Đảng bộ Cơ quan Bộ Chỉ huy Bộ đội Biên phòng tỉnh", True), ("Đảng bộ Hải đội Biên phòng 2", True)]
    + [(f"Chi bộ {u}", False) for u in ["Tiểu đoàn Huấn luyện - Cơ động", "Đội Đặc nhiệm phòng chống ma túy và tội phạm", "Trạm Kiểm soát Biên phòng Dân Tiến", "Trạm Kiểm soát Biên phòng Bắc Luân"]]
)
DONGBAC_UNITS = [
    ("Đảng bộ Công ty TNHH MTV 35", True), ("Đảng bộ Công ty TNHH MTV 45", True), ("Đảng bộ Công ty TNHH MTV 86", True),
    ("Đảng bộ Công ty TNHH MTV 91", True), ("Đảng bộ Công ty Cơ khí Hóa chất 13", True), ("Đảng bộ Công ty Kho vận và Cảng Cẩm Phả - Đông Bắc", True),
    ("Đảng bộ Cơ quan Tổng công ty Đông Bắc", True), ("Chi bộ Công ty Tuyển than Đông Bắc", False), ("Chi bộ Ban Quản lý dự án Đông Bắc", False),
]
ENTERPRISE_GOS = 70


def _scaled(n: int, factor: float) -> int:
    return max(1, round(n * factor)) if factor < 1 else n


def distribute(total: int, weights: list[float], *, minimum: int = 0) -> list[int]:
    """``total`` split over ``weights`` (largest remainder), each part at least ``minimum``."""
    n = len(weights)
    if n == 0:
        return []
    rest = total - minimum * n
    assert rest >= 0, (total, n, minimum)
    wsum = sum(weights)
    exact = [rest * w / wsum for w in weights]
    parts = [math.floor(x) for x in exact]
    order = sorted(range(n), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: rest - sum(parts)]:
        parts[i] += 1
    return [p + minimum for p in parts]


def build_province(*, seed: int, today: dt.date, factor: float = 1.0) -> Plan:
    plan = Plan(scale="province", seed=seed, today=today)
    rng = plan.rng
    f = factor
    root = plan.add_org(code="QN", name="Đảng bộ tỉnh Quảng Ninh", kind="provincial", parent=None)
    cells: list[tuple[OrgSpec, dict[str, float]]] = []  # (cell, ethnic shares)
    residential: list[OrgSpec] = []
    other_gcs: list[tuple[OrgSpec, dict[str, float]]] = []  # grassroots committees whose cells are sized at the end
    gcells: list[tuple[OrgSpec, dict[str, float]]] = []

    # District-level committees, their communes and residential cells.
    communes: list[tuple[OrgSpec, str, str, str, dict[str, float], str]] = []  # spec, name, area kind, unit word, ethnic, district code
    districts: list[tuple[OrgSpec, str, str, int, dict[str, float], list[str]]] = []
    for code, name, title, units, n_other, ethnic in DISTRICTS:
        spec = plan.add_org(code=f"QN-{code}", name=f"Đảng bộ {name}", kind="direct", parent=root.key)
        unit_names = []
        if code == "DH":
            entries = [(n, a, k) for _s, n, a, k, _areas, _e in dh.COMMUNES]
        else:
            entries = []
            for u in units:
                if u.startswith("p:"):
                    entries.append((f"phường {u[2:]}", "ward", "quarter"))
                elif u.startswith("t:"):
                    entries.append((f"thị trấn {u[2:]}", "township", "quarter"))
                else:
                    entries.append((f"xã {u}", "commune", "hamlet" if code in ("BL", "BC") else "village"))
        for i, (unit, admin_unit, area_kind) in enumerate(entries[: _scaled(len(entries), f)], start=1):
            commune = plan.add_org(code=f"QN-{code}-X{i:02d}", name=f"Đảng bộ {unit}", kind="grassroots_committee", parent=spec.key, admin_unit=admin_unit)
            communes.append((commune, unit, area_kind, admin_unit, ethnic, code))
            unit_names.append(unit)
        districts.append((spec, name, title, _scaled(n_other, f), ethnic, unit_names))

    # Residential cells: Đầm Hà keeps its 70 villages (seed 004); the rest share what remains.
    merged_away = {(slug, area) for slug, sources, _t in dh.VILLAGE_MERGES for area in sources}
    fixed: dict[int, list[str]] = {}
    if f == 1:
        for commune, _unit, _ak, _au, _e, dcode in communes:
            if dcode == "DH":
                slug, _n, _a, _k, areas, _e2 = dh.COMMUNES[int(commune.code[-2:]) - 1]
                kept = [a for a in areas if (slug, a) not in merged_away]
                fixed[commune.key] = kept + [t for s, _src, t in dh.VILLAGE_MERGES if s == slug and t not in areas]
    total_res = round(RESIDENTIAL_CELLS * f) if f < 1 else RESIDENTIAL_CELLS
    free = [c for c in communes if c[0].key not in fixed]
    weights = [(1.35 if c[3] == "ward" else 1.15 if c[3] == "township" else 1.0) * rng.uniform(0.6, 1.4) for c in free]
    counts = dict(zip([c[0].key for c in free], distribute(total_res - sum(len(v) for v in fixed.values()), weights, minimum=2), strict=True))
    for commune, unit, area_kind, admin_unit, ethnic, _d in communes:
        area_list: list[tuple[str, str]]
        if commune.key in fixed:
            area_list = [(area_kind, a) for a in fixed[commune.key]]
        elif area_kind == "quarter":
            word = "Khu phố" if admin_unit == "township" else "Khu"
            area_list = [("quarter", f"{word} {i}") for i in range(1, counts[commune.key] + 1)]
        else:
            n = counts[commune.key]
            picked = rng.sample(VILLAGE_NAMES, min(n, len(VILLAGE_NAMES)))
            word = "Bản" if area_kind == "hamlet" else "Thôn"
            area_list = [(area_kind, a) for a in picked] + [(area_kind, f"{word} {i}") for i in range(len(picked) + 1, n + 1)]
        for j, (ak, area) in enumerate(area_list, start=1):
            cell = plan.add_org(
                code=f"{commune.code}-{j:02d}", name=f"Chi bộ {dh.area_label(ak, area)}", kind="cell", parent=commune.key,
                sector="residential", area_kind=ak, area_name=area, profile="residential",
            )
            residential.append(cell)
            cells.append((cell, ethnic))
        for j, (cname, sector, profile) in enumerate(COMMUNE_CELL_TYPES[: rng.randint(2, 6)], start=1):
            cell = plan.add_org(code=f"{commune.code}-C{j}", name=f"{cname} {unit}", kind="cell", parent=commune.key, sector=sector, profile=profile)
            cells.append((cell, ethnic))

    # The districts' other grassroots organisations.
    for spec, name, title, n_other, ethnic, unit_names in districts:
        short = _bare(name)
        unit_rows: list[tuple[str, bool, str, str]] = [
            (template.format(t=f"{title} {short}", u=name, s=short), committee, sector, profile)
            for template, committee, sector, profile in DISTRICT_UNITS
        ]
        k = 0
        while len(unit_rows) < n_other and unit_names:
            commune_name = _bare(unit_names[k % len(unit_names)])
            level = ["THCS", "Tiểu học", "Mầm non"][(k // len(unit_names)) % 3]
            unit_rows.append((f"Chi bộ Trường {level} {commune_name}", False, "school", "school"))
            k += 1
        for i, (uname, committee, sector, profile) in enumerate(unit_rows[:n_other], start=1):
            go = plan.add_org(code=f"{spec.code}-D{i:02d}", name=uname, kind="grassroots_committee" if committee else "grassroots_cell", parent=spec.key, sector=sector, profile=profile)
            (other_gcs if committee else gcells).append((go, ethnic))

    # Sector committees.
    agency = plan.add_org(code="QN-KCQ", name="Đảng bộ Khối các cơ quan tỉnh", kind="direct", parent=root.key, sector="agency")
    coal = plan.add_org(code="QN-TQN", name="Đảng bộ Than Quảng Ninh", kind="direct", parent=root.key, sector="enterprise")
    business = plan.add_org(code="QN-KDN", name="Đảng bộ Khối doanh nghiệp tỉnh", kind="direct", parent=root.key, sector="enterprise")
    military = plan.add_org(code="QN-QS", name="Đảng bộ Quân sự tỉnh", kind="direct", parent=root.key, sector="armed_forces")
    police = plan.add_org(code="QN-CA", name="Đảng bộ Công an tỉnh", kind="direct", parent=root.key, sector="police")
    border = plan.add_org(code="QN-BP", name="Đảng bộ Bộ đội Biên phòng tỉnh", kind="direct", parent=root.key, sector="armed_forces")
    dongbac = plan.add_org(code="QN-DB", name="Đảng bộ Tổng công ty Đông Bắc", kind="direct", parent=root.key, sector="enterprise")

    agency_gcs: list[tuple[OrgSpec, dict[str, float]]] = []
    agency_gcells: list[tuple[OrgSpec, dict[str, float]]] = []
    for i, name in enumerate(AGENCY_COMMITTEES[: _scaled(39, f)], start=1):
        agency_gcs.append((plan.add_org(code=f"QN-KCQ-{i:02d}", name=f"Đảng bộ {name}", kind="grassroots_committee", parent=agency.key, sector="agency", profile="agency"), {}))
    for i, name in enumerate(AGENCY_CELLS[: _scaled(24, f)], start=1):
        agency_gcells.append((plan.add_org(code=f"QN-KCQ-C{i:02d}", name=f"Chi bộ {name}", kind="grassroots_cell", parent=agency.key, sector="agency", profile="agency"), {}))

    coal_parents: list[OrgSpec] = []  # organisations that hold coal cells (committees and partial committees)
    coal_weights: list[float] = []
    coal_gcells: list[tuple[OrgSpec, dict[str, float]]] = []
    n_coal_gc = _scaled(36, f)
    n_coal_cells = _scaled(4, f)
    coal_units = [u for u in COAL_UNITS if u[1]][:n_coal_gc] + [u for u in COAL_UNITS if not u[1]][:n_coal_cells]
    for i, (name, is_committee, partials) in enumerate(coal_units, start=1):
        go = plan.add_org(
            code=f"QN-TQN-{i:02d}", name=f"{'Đảng bộ' if is_committee else 'Chi bộ'} {name}",
            kind="grassroots_committee" if is_committee else "grassroots_cell", parent=coal.key, sector="enterprise", profile="coal",
        )
        if not is_committee:
            coal_gcells.append((go, {}))
            continue
        coal_parents.append(go)
        coal_weights.append(rng.uniform(1.0, 2.0) if partials else rng.uniform(0.3, 1.0))
        for j in range(partials):
            workshop = COAL_WORKSHOPS[j % len(COAL_WORKSHOPS)]
            part = plan.add_org(code=f"{go.code}-P{j + 1}", name=f"Đảng bộ bộ phận Phân xưởng {workshop}", kind="partial_committee", parent=go.key, sector="enterprise", profile="coal")
            coal_parents.append(part)
            coal_weights.append(rng.uniform(0.8, 1.4))
    coal_cells: list[tuple[OrgSpec, dict[str, float]]] = []
    for parent, n in zip(coal_parents, distribute(round(COAL_CELLS * f) if f < 1 else COAL_CELLS, coal_weights, minimum=3), strict=True):
        for j in range(1, n + 1):
            workshop = COAL_WORKSHOPS[(j - 1) % len(COAL_WORKSHOPS)]
            cell = plan.add_org(code=f"{parent.code}-{j:03d}", name=f"Chi bộ Phân xưởng {workshop} {(j - 1) // len(COAL_WORKSHOPS) + 1}", kind="cell", parent=parent.key, sector="enterprise", profile="coal")
            coal_cells.append((cell, {}))

    sector_units: list[tuple[OrgSpec, list[tuple[str, bool]], str, str]] = [
        (business, _enterprise_units(ENTERPRISE_GOS), "enterprise", "enterprise"),
        (military, MILITARY_UNITS, "armed_forces", "armed_forces"),
        (police, POLICE_UNITS, "police", "police"),
        (border, BORDER_UNITS, "armed_forces", "armed_forces"),
        (dongbac, DONGBAC_UNITS, "enterprise", "enterprise"),
    ]
    for parent, sector_rows, sector, profile in sector_units:
        for i, (name, is_committee) in enumerate(sector_rows[: _scaled(len(sector_rows), f)], start=1):
            go = plan.add_org(code=f"{parent.code}-{i:02d}", name=name, kind="grassroots_committee" if is_committee else "grassroots_cell", parent=parent.key, sector=sector, profile=profile)
            (other_gcs if is_committee else gcells).append((go, {}))

    # Cells of agency committees, then of all the other committees: whatever remains of the 4,971.
    agency_cells: list[tuple[OrgSpec, dict[str, float]]] = []
    for go, _e in agency_gcs:
        agency_cells.extend(
            (plan.add_org(code=f"{go.code}-{j:02d}", name=f"Chi bộ Phòng {j}" if j > 1 else "Chi bộ Văn phòng", kind="cell", parent=go.key, sector="agency", profile="agency"), {})
            for j in range(1, rng.randint(3, 8) + 1)
        )
    so_far = sum(1 for s in plan.orgs if s.kind == "cell")
    target_cells = round(CELLS * f) if f < 1 else CELLS
    remaining = max(target_cells - so_far, 2 * len(other_gcs))
    for (go, ethnic), n in zip(other_gcs, distribute(remaining, [rng.uniform(0.4, 1.6) for _ in other_gcs], minimum=2), strict=True):
        for j in range(1, n + 1):
            name = f"Chi bộ {'Phòng' if go.profile in ('agency', 'other') else 'Đội' if go.profile in ('police', 'armed_forces') else 'Phân xưởng'} {j}"
            cells.append((plan.add_org(code=f"{go.code}-{j:02d}", name=name, kind="cell", parent=go.key, sector=go.sector, profile=go.profile), ethnic))

    # Members: exact totals by group, spread over the cells with random weights.
    total = round(TOTAL_MEMBERS * f) if f < 1 else TOTAL_MEMBERS
    coal_total = round(COAL_MEMBERS * f) if f < 1 else COAL_MEMBERS
    agency_total = round(AGENCY_MEMBERS * f) if f < 1 else AGENCY_MEMBERS
    res_total = round(RESIDENTIAL_MEMBERS * f) if f < 1 else RESIDENTIAL_MEMBERS
    res_cells = [(c, e) for c, e in cells if c.sector == "residential"]
    other_cells = [(c, e) for c, e in cells if c.sector != "residential"] + gcells
    rest_total = total - coal_total - agency_total - res_total
    people = People(rng, today=today, capacity=round(130_000 * f) + 2_000)
    members_of: dict[int, list[Person]] = {}
    groups = [
        (coal_cells + coal_gcells, coal_total, 3, (0.5, 1.6)),
        (agency_cells + agency_gcells, agency_total, 3, (0.5, 1.6)),
        (res_cells, res_total, 8, (0.5, 1.6)),
        (other_cells, rest_total, 3, (0.3, 1.8)),
    ]
    for group, group_total, minimum, (lo, hi) in groups:
        sizes = distribute(group_total, [rng.uniform(lo, hi) for _ in group], minimum=minimum)
        for (cell, ethnic), size in zip(group, sizes, strict=True):
            departed = sum(1 for _ in range(size) if rng.random() < 0.05)
            members_of[cell.key] = populate_cell(
                plan, people, org=cell.key, profile=cell.profile, active=size, departed=departed, new_share=0.09,
                arrivals=1 if rng.random() < 0.3 else 0, ethnic_share=ethnic or None, stable_min=min(5, size),
            )

    # Leadership; residential secretaries are village heads, except a few (heads of the Front work committee, or neither).
    res_keys = [c.key for c in residential]
    no_head = set(rng.sample(res_keys, min(round(NOT_VILLAGE_HEAD * f), len(res_keys))))
    front = set(rng.sample(sorted(no_head), min(round(FRONT_HEADS * f), len(no_head))))
    by_key = {s.key: s for s in plan.orgs}
    secretaries: dict[int, Person | None] = {}
    for key, members in members_of.items():
        spec = by_key[key]
        community: str | None = None
        if spec.sector == "residential":
            community = "front_head" if key in front else None if key in no_head else "village_head"
        secretaries[key] = assign_leadership(
            rng, org=key, area_name=spec.area_name, pool=[p for p in members if p.stable], size=len(members),
            start=START, end=OPEN, community_kind=community,
        )

    # Personas in Chi bộ thôn Trung Sơn, xã Quảng Tân, Đầm Hà (as in the district dataset).
    village = next((c for c in residential if c.area_name == dh.PERSONA_VILLAGE and by_key[c.parent or 0].name == "Đảng bộ xã Quảng Tân"), None)
    if village is None or village.key in no_head:
        village = next(c for c in residential if c.key not in no_head)
    secretary = secretaries[village.key]
    assert secretary is not None
    plain = plain_member(members_of[village.key], org=village.key)
    index = {id(p): i for i, p in enumerate(plan.people)}
    plan.persona_people = {"dangvien": index[id(plain)], "bithu": index[id(secretary)]}
    assert village.parent is not None
    plan.persona_grants = {
        "dangvien": ("member", village.key),
        "bithu": ("secretary", village.key),
        "canboxa": ("staff", village.parent),
        "canbotinh": ("staff", root.key),
        "quantri": ("admin", None),
    }
    return plan


def _bare(name: str) -> str:
    """"Hạ Long" from "thành phố Hạ Long", "Cái Rồng" from "thị trấn Cái Rồng"."""
    for prefix in ("thành phố ", "thị xã ", "thị trấn ", "huyện ", "phường ", "xã "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _enterprise_units(n: int) -> list[tuple[str, bool]]:
    rng = random.Random(7)  # names only; fixed so the list is the same for every seed
    out = [(f"{'Đảng bộ' if i % 3 != 2 else 'Chi bộ'} {name}", i % 3 != 2) for i, name in enumerate(ENTERPRISES)]
    k = 1
    while len(out) < n:
        out.append((f"Chi bộ Công ty Cổ phần Xây dựng và Thương mại số {k}", False) if rng.random() < 0.5 else (f"Đảng bộ Công ty Cổ phần Đầu tư và Phát triển số {k}", True))
        k += 1
    return out[:n]
