"""Meeting materials: the type is decided by the content, never the name; downloads go through the policy."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from chibo.core.errors import ChiboError
from chibo.meetings import services_prep as services
from chibo.meetings.models import Material, Meeting
from chibo.meetings.selectors_prep import add_months, month_start
from tests.factories import World

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def office_zip(kind: str, *, extra: dict[str, bytes] | None = None, macro: bool = False) -> bytes:
    main = {
        "docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
        "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    }[kind]
    content_type = main[1].replace("document.main", "document.macroEnabled.main") if macro else main[1]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", f'<?xml version="1.0"?><Types><Override PartName="/{main[0]}" ContentType="{content_type}"/></Types>')
        z.writestr(main[0], "<x/>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def meeting(world: World) -> Meeting:
    month = add_months(month_start(timezone.localdate()), 2)
    return services.meeting_create(actor=None, cell=world.cell, month=month)


def test_a_pdf_is_accepted_with_its_sha256(world: World, meeting: Meeting) -> None:
    material = services.material_add(actor=world.users["secretary"], meeting=meeting, name="Dự thảo nghị quyết.pdf", data=PDF)
    assert material.content_type == "application/pdf"
    assert material.sha256 == hashlib.sha256(PDF).hexdigest()
    assert material.size == len(PDF)
    assert material.original_name == "Dự thảo nghị quyết.pdf"
    assert material.file.name.endswith(".pdf") and "Dự thảo" not in material.file.name


@pytest.mark.parametrize(("data", "kind"), [(PNG, "image/png"), (JPEG, "image/jpeg")])
def test_images_are_accepted(world: World, meeting: Meeting, data: bytes, kind: str) -> None:
    assert services.material_add(actor=None, meeting=meeting, name="anh", data=data).content_type == kind


def test_real_docx_and_xlsx_are_recognised_by_their_content(world: World, meeting: Meeting) -> None:
    assert services.material_add(actor=None, meeting=meeting, name="bao-cao.bin", data=office_zip("docx")).content_type.endswith("wordprocessingml.document")
    assert services.material_add(actor=None, meeting=meeting, name="so-lieu", data=office_zip("xlsx")).content_type.endswith("spreadsheetml.sheet")


def test_a_pdf_that_is_really_an_exe_is_refused(world: World, meeting: Meeting) -> None:
    with pytest.raises(ChiboError, match="chương trình"):
        services.material_add(actor=None, meeting=meeting, name="tai-lieu.pdf", data=EXE)
    assert not Material.objects.exists()


@pytest.mark.parametrize("data", [b"\x7fELF\x02\x01\x01" + b"\x00" * 20, b"#!/bin/sh\nrm -rf /\n"])
def test_elf_binaries_and_scripts_are_refused(world: World, meeting: Meeting, data: bytes) -> None:
    with pytest.raises(ChiboError, match="chương trình"):
        services.material_add(actor=None, meeting=meeting, name="x.docx", data=data)


def test_a_docx_that_is_really_plain_text_is_refused(world: World, meeting: Meeting) -> None:
    with pytest.raises(ChiboError, match="Chỉ nhận tệp PDF"):
        services.material_add(actor=None, meeting=meeting, name="bao-cao.docx", data="Báo cáo tháng 10".encode())
    assert not Material.objects.exists()


def test_a_zip_that_is_not_an_office_file_is_refused(world: World, meeting: Meeting) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(ChiboError, match="DOCX"):
        services.material_add(actor=None, meeting=meeting, name="a.docx", data=buf.getvalue())


def test_office_files_with_macros_or_programs_inside_are_refused(world: World, meeting: Meeting) -> None:
    with pytest.raises(ChiboError, match="macro"):
        services.material_add(actor=None, meeting=meeting, name="a.docx", data=office_zip("docx", extra={"word/vbaProject.bin": b"\x00"}))
    with pytest.raises(ChiboError, match="macro"):
        services.material_add(actor=None, meeting=meeting, name="a.docx", data=office_zip("docx", macro=True))
    with pytest.raises(ChiboError, match="macro"):
        services.material_add(actor=None, meeting=meeting, name="a.xlsx", data=office_zip("xlsx", extra={"xl/run.exe": EXE}))
    with pytest.raises(ChiboError, match="macro"):
        services.material_add(actor=None, meeting=meeting, name="a.xlsx", data=office_zip("xlsx", extra={"xl/a.js": b"alert(1)"}))


def test_an_oversize_file_is_refused(world: World, meeting: Meeting, settings) -> None:
    settings.CHIBO_MATERIAL_MAX_BYTES = 1024
    with pytest.raises(ChiboError, match="quá lớn"):
        services.material_add(actor=None, meeting=meeting, name="big.pdf", data=PDF + b"0" * 2000)
    assert not Material.objects.exists()


def test_the_secretary_uploads_and_a_member_downloads_through_the_policy(world: World, meeting: Meeting, client_for) -> None:
    secretary = client_for("secretary")
    response = secretary.post(reverse("meetings:material_upload", args=[meeting.pk]), {"file": SimpleUploadedFile("Tài liệu.pdf", PDF, content_type="application/octet-stream")})
    assert response.status_code == 302
    material = Material.objects.get()
    response = client_for("member").get(reverse("meetings:material_download", args=[material.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert client_for("outsider").get(reverse("meetings:material_download", args=[material.pk])).status_code == 404


def test_an_exe_upload_through_the_page_gets_a_vietnamese_error_not_a_500(world: World, meeting: Meeting, client_for) -> None:
    response = client_for("secretary").post(reverse("meetings:material_upload", args=[meeting.pk]), {"file": SimpleUploadedFile("a.pdf", EXE)})
    assert response.status_code == 400
    assert "chương trình chạy được" in response.content.decode()
    assert not Material.objects.exists()


def test_an_oversize_upload_through_the_page_is_refused(world: World, meeting: Meeting, client_for, settings) -> None:
    settings.CHIBO_MATERIAL_MAX_BYTES = 100
    response = client_for("secretary").post(reverse("meetings:material_upload", args=[meeting.pk]), {"file": SimpleUploadedFile("a.pdf", PDF + b"0" * 200)})
    assert response.status_code == 400
    assert "quá lớn" in response.content.decode()


def test_a_member_cannot_upload_or_delete(world: World, meeting: Meeting, client_for) -> None:
    member = client_for("member")
    assert member.post(reverse("meetings:material_upload", args=[meeting.pk]), {"file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 404
    material = services.material_add(actor=None, meeting=meeting, name="a.pdf", data=PDF)
    assert member.post(reverse("meetings:material_delete", args=[material.pk])).status_code == 404
    assert client_for("secretary").post(reverse("meetings:material_delete", args=[material.pk])).status_code == 302
    assert not Material.objects.exists()


def test_media_files_are_not_served_by_a_public_url(world: World, meeting: Meeting, client_for) -> None:
    material = services.material_add(actor=None, meeting=meeting, name="a.pdf", data=PDF)
    assert client_for("member").get("/media/" + material.file.name).status_code == 404
