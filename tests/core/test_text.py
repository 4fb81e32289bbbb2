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


def test_browser_language_does_not_override_vietnamese(world, client_for):
    client = client_for("staff")
    body = client.get(f"/org/{world.commune.pk}/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in body


def test_audit_details_are_shown_in_vietnamese_with_dates(world, client_for):
    import datetime as dt

    from chibo.members import services

    services.member_set_status(actor=world.users["secretary"], member=world.member, status="exempted", on=dt.date(2024, 4, 15), note="Sức khỏe", owner="discipline")
    body = client_for("secretary").get(f"/members/{world.member.pk}/history/").content.decode()
    assert "Trạng thái:</span> Chính thức → Miễn sinh hoạt" in body
    assert "15/04/2024" in body and "2024-04-15" not in body
