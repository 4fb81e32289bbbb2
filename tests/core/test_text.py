from chibo.core.text import fold, sort_key


def test_fold_removes_diacritics_and_d_stroke():
    assert fold("Đặng Thị Hồng") == "dang thi hong"
    assert fold("  Nguyễn   Văn Hùng ") == "nguyen van hung"
    assert fold("ĐỖ ĐỨC") == "do duc"


def test_vietnamese_sort_order():
    words = ["Đức", "Dũng", "Anh", "Ân", "Ăn", "Bình", "Ơn", "Ông", "Uyên", "Ưng", "Oanh"]
    assert sorted(words, key=sort_key) == ["Anh", "Ăn", "Ân", "Bình", "Dũng", "Đức", "Oanh", "Ông", "Ơn", "Uyên", "Ưng"]


def test_tones_order_after_letters():
    assert sorted(["má", "ma", "mà", "mả", "mã", "mạ"], key=sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]
