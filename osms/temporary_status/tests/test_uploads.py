"""Every upload check through the pages: a refused file is explained on its own field, and every
other answer and file already given stays as it was."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from osms.core.uploads import MAX_FILE_BYTES
from osms.temporary_status import services
from osms.temporary_status.models import TemporaryStatusEvent
from tests.files import image_bytes

from .factories import draft, pdf, pdf_bytes

KINDS = ["Disability certificate", "The child's birth certificate", "Unemployment registration certificate"]


@pytest.fixture
def half_done(student, client):
    """Category 6 (three documents) with the first one uploaded."""
    started = draft(student, category=6, upload=False)
    services.temporary_status_document_upload(actor=student, request=started, kind=KINDS[0], file=pdf("first.pdf"))
    client.force_login(student)
    return started


def upload(client, started, **files):
    return client.post(reverse("temporary_status:documents", args=[started.pk]), files)


def kept(started) -> dict[str, str]:
    started.refresh_from_db()
    return {"category": started.category_id, **dict(started.documents.values_list("kind", "name"))}


def assert_refused(response, started, message: str, *, field: str = "document_2") -> None:
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page.replace("&#x27;", "'")
    assert f'href="#id_{field}"' in page  # the error summary links to the field
    assert f'id="id_{field}-error"' in page
    # The first document and the category are untouched, and the page still says it is uploaded.
    assert kept(started) == {"category": 6, KINDS[0]: "first.pdf"}
    assert "Uploaded: first.pdf" in page
    assert started.events.filter(kind=TemporaryStatusEvent.Kind.UPLOAD_REFUSED).exists()


def test_a_file_renamed_pdf_that_is_not_a_pdf(client, half_done):
    fake = SimpleUploadedFile("birth.pdf", b"MZ\x90\x00\x03 an executable renamed", content_type="application/pdf")
    assert_refused(upload(client, half_done, document_2=fake), half_done, "The file must be a PDF, JPEG or PNG.")
    html = SimpleUploadedFile("birth.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    assert_refused(upload(client, half_done, document_2=html), half_done, "The file must be a PDF, JPEG or PNG.")


def test_a_pdf_that_does_not_open(client, half_done):
    broken = SimpleUploadedFile("birth.pdf", b"%PDF-1.7\n not really a pdf at all")
    assert_refused(upload(client, half_done, document_2=broken), half_done, "The file is not a readable PDF.")


def test_an_oversized_file(client, half_done):
    big = SimpleUploadedFile("birth.pdf", b"%PDF-1.7\n" + b"0" * MAX_FILE_BYTES)
    assert_refused(upload(client, half_done, document_2=big), half_done, "The file is larger than 10 MB")


def test_all_files_together_over_the_limit(client, half_done, monkeypatch):
    used = half_done.documents.get().size
    monkeypatch.setattr(services.drafts, "REQUEST_BYTES_LIMIT", used + 100)
    assert_refused(
        upload(client, half_done, document_2=pdf("birth.pdf")), half_done, "All files together may be at most"
    )


def test_an_empty_file(client, half_done):
    empty = SimpleUploadedFile("birth.pdf", b"")
    assert_refused(upload(client, half_done, document_2=empty), half_done, "The file is empty.")


def test_a_polyglot_image_is_stored_without_what_was_hidden_in_it(client, half_done, private_media):
    payload = b"<html><script>alert('owned')</script></html>%PDF-1.7 /JavaScript"
    polyglot = SimpleUploadedFile("birth.jpg", image_bytes("JPEG") + payload)
    response = upload(client, half_done, document_2=polyglot)
    assert response.status_code == 302
    document = half_done.documents.get(kind=KINDS[1])
    stored = (private_media / document.file).read_bytes()
    assert b"<script>" not in stored and b"%PDF" not in stored
    Image.open(io.BytesIO(stored)).load()
    served = client.get(reverse("temporary_status:document_file", args=[document.pk]))
    body = b"".join(served.streaming_content)
    assert served["Content-Type"] == "image/jpeg" and b"<script>" not in body


def test_a_file_with_an_image_signature_that_is_html(client, half_done):
    fake = SimpleUploadedFile("birth.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>")
    assert_refused(upload(client, half_done, document_2=fake), half_done, "The file is not a readable image.")


def test_a_pdf_carrying_a_script_is_refused(client, half_done):
    content = pdf_bytes().replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    )
    assert_refused(
        upload(client, half_done, document_2=SimpleUploadedFile("birth.pdf", content)),
        half_done,
        "The PDF starts an action by itself when it is opened",
    )


def multipart(boundary: str, field: str, filename: str, content: bytes, token: str = "") -> bytes:
    """A request body written by hand: the test client would strip the path from the name itself."""
    return (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )


@pytest.mark.parametrize(
    ("filename", "shown"),
    [
        ("../../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\Асель\\Desktop\\справка 027.pdf", "справка 027.pdf"),
        ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
    ],
)
def test_a_name_with_a_path_in_it(client, half_done, private_media, filename, shown):
    boundary = "portalboundary"
    response = client.generic(
        "POST",
        reverse("temporary_status:documents", args=[half_done.pk]),
        multipart(boundary, "document_2", filename, pdf_bytes()),
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 302
    document = half_done.documents.get(kind=KINDS[1])
    assert document.name == shown
    # Stored under a random name inside the private folder, nowhere else.
    assert document.file.startswith("temporary_status/") and ".." not in document.file and shown not in document.file
    stored = (private_media / document.file).resolve()
    assert stored.is_file() and private_media.resolve() in stored.parents
    served = client.get(reverse("temporary_status:document_file", args=[document.pk]))
    assert (
        "attachment" in served["Content-Disposition"] and "/" not in served["Content-Disposition"].split("filename")[-1]
    )


def test_in_one_post_the_good_file_is_kept_and_the_bad_one_explained(client, student):
    started = draft(student, category=6, upload=False)
    client.force_login(student)
    response = upload(
        client,
        started,
        document_1=pdf("good.pdf"),
        document_2=SimpleUploadedFile("bad.pdf", b"not a pdf"),
        document_3=SimpleUploadedFile("photo.png", image_bytes("PNG")),
    )
    assert response.status_code == 200
    assert kept(started) == {"category": 6, KINDS[0]: "good.pdf", KINDS[2]: "photo.png"}
    page = response.content.decode()
    assert "Uploaded: good.pdf" in page and "Uploaded: photo.png" in page
    assert "The file must be a PDF, JPEG or PNG." in page


def test_with_the_antivirus_down_the_file_waits_and_nothing_else_is_lost(client, half_done, settings, tmp_path):
    settings.CLAMAV_URL = f"unix://{tmp_path / 'no-clamd.sock'}"
    settings.CLAMAV_REQUIRED = True
    assert_refused(
        upload(client, half_done, document_2=pdf("birth.pdf")),
        half_done,
        "We cannot check files for viruses just now. Everything you have entered and the documents already attached are kept: try again in a few minutes.",
    )
