"""The demo logins `make run` prints. Demo data only; never used outside `chibo demo`."""

DEMO_PASSWORD = "chibo-demo-2025"

# username -> what the persona is, in Vietnamese (printed by `chibo serve`).
PERSONAS = {
    "dangvien": "Đảng viên (chi bộ thôn)",
    "bithu": "Bí thư chi bộ thôn",
    "canboxa": "Cán bộ Đảng ủy xã",
    "canbotinh": "Cán bộ Tỉnh ủy",
    "quantri": "Quản trị hệ thống",
}
