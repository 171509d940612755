"""Uploads: PDF, JPEG and PNG only, by content; size limits; sanitised names; polyglots neutralised."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from osms.core.uploads import (
    MAX_FILE_BYTES,
    UploadRejected,
    private_file_response,
    sanitise_name,
    upload_check,
    upload_store,
)
from tests.files import image_bytes, pdf_bytes


def rejected_code(name: str, content: bytes, **kwargs) -> str:
    with pytest.raises(UploadRejected) as caught:
        upload_check(SimpleUploadedFile(name, content), **kwargs)
    return caught.value.code


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        ("справка.pdf", pdf_bytes(), "application/pdf", "pdf"),
        ("scan.JPG", image_bytes("JPEG"), "image/jpeg", "jpg"),
        ("photo.png", image_bytes("PNG"), "image/png", "png"),
    ],
)
def test_accepted_types(name, content, content_type, extension):
    checked = upload_check(SimpleUploadedFile(name, content))
    assert (checked.content_type, checked.extension) == (content_type, extension)
    assert len(checked.sha256) == 64


def test_a_file_renamed_pdf_that_is_not_a_pdf():
    assert rejected_code("certificate.pdf", b"MZ\x90\x00 this is an executable") == "type"
    assert rejected_code("certificate.pdf", b"<html><script>alert(1)</script></html>") == "type"


def test_a_broken_pdf_with_the_right_signature():
    assert rejected_code("certificate.pdf", b"%PDF-1.7\n this is not really a pdf") == "pdf_broken"


def test_a_pdf_with_javascript_is_refused():
    content = pdf_bytes().replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    )
    assert rejected_code("certificate.pdf", content) in ("pdf_auto_action", "pdf_javascript")


def test_a_truncated_image_is_refused():
    assert rejected_code("scan.png", image_bytes("PNG")[:60]) == "image_broken"


def test_an_empty_file():
    assert rejected_code("empty.pdf", b"") == "empty"


def test_an_oversized_file():
    big = b"%PDF-1.7\n" + b"0" * MAX_FILE_BYTES
    assert rejected_code("big.pdf", big) == "too_big"


def test_the_total_per_request():
    assert rejected_code("scan.png", image_bytes("PNG"), already_used=30 * 1024 * 1024 - 10) == "total_too_big"


def test_a_polyglot_image_is_stored_without_its_payload():
    payload = b"<html><script>alert('owned')</script></html>%PDF-1.7"
    checked = upload_check(SimpleUploadedFile("scan.jpg", image_bytes("JPEG") + payload))
    assert b"<script>" not in checked.content and b"%PDF" not in checked.content
    Image.open(io.BytesIO(checked.content)).load()


def test_a_pdf_hidden_inside_a_png_is_neutralised():
    checked = upload_check(SimpleUploadedFile("scan.png", image_bytes("PNG") + pdf_bytes()))
    assert checked.content_type == "image/png" and b"%PDF" not in checked.content


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\Асель\\Справка 027-у.pdf", "Справка 027-у.pdf"),
        ("evil\x00name.pdf.exe", "evilname.pdf.pdf"),
        ("no-extension", "no-extension.pdf"),
        ("", "document.pdf"),
        ('a<b>c:"d|e?.pdf', "a_b_c__d_e_.pdf"),
    ],
)
def test_names_are_sanitised(name, expected):
    assert sanitise_name(name, extension="pdf") == expected


def test_stored_privately_and_served_as_an_attachment(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    checked = upload_check(SimpleUploadedFile("../справка.pdf", pdf_bytes()))
    name = upload_store(checked, folder="test")
    assert (tmp_path / name).exists() and "справка" not in name
    response = private_file_response(name, download_name=checked.name, content_type=checked.content_type)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
