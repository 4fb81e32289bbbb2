from django.core.mail import send_mail


def test_mail_goes_through_a_real_smtp_server(smtp_inbox):
    send_mail("Thông báo sinh hoạt chi bộ", "Chi bộ họp ngày 03/12/2026.", "chibo@localhost", ["bithu@example.vn"])
    (message,) = smtp_inbox.messages
    assert message["Subject"] == "Thông báo sinh hoạt chi bộ"
    assert "03/12/2026" in message.get_content()
