"""Citizens' documents: PDF, JPEG and PNG only, checked by content, stored outside any public URL.

A file is accepted when its first bytes are the signature of its type, and it really is that type
all the way through: a PDF opens and no object of it — in the cross-reference table or inside a
compressed object stream, with its names decoded — runs code, acts by itself or carries other files
(`inspect_pdf`); an image decodes, and is stored re-encoded, so bytes hidden after the picture (a
polyglot) never reach storage. Then ClamAV's clamd scans the bytes (`antivirus_scan`); the scan
fails closed: with the scanner unreachable the file is refused with `scan_unavailable`, and the
caller keeps everything already entered. The name shown to people is sanitised; the stored name
is random. Files are served only by views that check access, as attachments with `nosniff`
(docs/adr/0012-upload-pipeline.md).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_REQUEST_BYTES = 30 * 1024 * 1024
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"

_SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
logger = logging.getLogger("osms.uploads")


class UploadRejected(ValidationError):
    """The file is refused; the message says why, in the user's language."""


class ScannerUnavailable(UploadRejected):
    """The antivirus could not give an answer: the file is refused for now, nothing else is lost."""

    def __init__(self):
        super().__init__(
            _(
                "We cannot check files for viruses just now. Everything you have entered and the documents "
                "already attached are kept: try again in a few minutes."
            ),
            code="scan_unavailable",
        )


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    content_type: str
    extension: str
    name: str  # sanitised, for people
    size: int
    sha256: str


def sanitise_name(name: str, *, extension: str) -> str:
    """The last path part, no control or reserved characters, at most 100 characters, the right extension."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r'[<>:"|?*\x00]', "_", base).strip(" .")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem[:90] or "document"
    return f"{stem}.{extension}"


def _read(uploaded, *, limit: int) -> bytes:
    uploaded.seek(0)
    content = uploaded.read(limit + 1)
    return content


def _check_pdf(content: bytes) -> bytes:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    from .pdf_inspection import PdfActiveContent, inspect_pdf

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise UploadRejected(
                _("The PDF is password-protected. Upload it without a password."), code="pdf_encrypted"
            )
        if len(reader.pages) == 0:
            raise UploadRejected(_("The PDF has no pages."), code="pdf_empty")
        reader.pages[0].mediabox  # noqa: B018 (touching the first page parses it)
        inspect_pdf(reader, content)
    except PdfActiveContent as found:
        raise UploadRejected(_PDF_MESSAGES[found.kind], code=f"pdf_{found.kind}") from found
    except UploadRejected:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise UploadRejected(_("The file is not a readable PDF."), code="pdf_broken") from exc
    return content


_AGAIN = _("Save it again as a plain PDF (for example with “Print to PDF”) and upload that file.")
_PDF_MESSAGES = {
    "javascript": _("The PDF contains a script (JavaScript), which a document for the fund may not have."),
    "auto_action": _("The PDF starts an action by itself when it is opened, which a document for the fund may not do."),
    "embedded_file": _("The PDF carries other files inside it, which a document for the fund may not do."),
    "launch": _("The PDF tries to start a program or open another file, which a document for the fund may not do."),
    "submit": _("The PDF sends or fetches form data over the internet, which a document for the fund may not do."),
    "xfa": _("The PDF is an interactive XFA form, which the portal cannot accept."),
    "rich_media": _("The PDF contains Flash, video or other rich media, which a document for the fund may not have."),
}
_PDF_MESSAGES = {kind: format_lazy("{} {}", message, _AGAIN) for kind, message in _PDF_MESSAGES.items()}


def _clamd():
    from clamav_client.clamd import ClamdNetworkSocket, ClamdUnixSocket

    url = settings.CLAMAV_URL
    timeout = settings.CLAMAV_TIMEOUT
    if url.startswith("tcp://"):
        host, _sep, port = url.removeprefix("tcp://").rstrip("/").rpartition(":")
        return ClamdNetworkSocket(host=host.strip("[]"), port=int(port), timeout=timeout)
    return ClamdUnixSocket(path=url.removeprefix("unix://"), timeout=timeout)


def antivirus_scan(content: bytes) -> None:
    """Scan with clamd (INSTREAM); raise UploadRejected (code `infected`) or ScannerUnavailable."""
    from clamav_client.clamd import ClamdError

    if not settings.CLAMAV_URL:
        if settings.CLAMAV_REQUIRED:
            logger.error("upload refused: CLAMAV_URL is not set and scanning is required")
            raise ScannerUnavailable()
        return  # development without clamd only: production settings refuse to start without it
    try:
        result = _clamd().instream(io.BytesIO(content))
    except (ClamdError, OSError, ValueError) as exc:
        logger.error("upload refused: the antivirus did not answer: %s", exc)
        raise ScannerUnavailable() from exc
    status, signature = result.get("stream", ("ERROR", None))
    if status == "FOUND":
        logger.warning("upload refused: the antivirus found %s", signature)
        raise UploadRejected(
            _(
                "The file contains a virus or other malicious code and was not accepted. Check your device "
                "with an antivirus and upload a clean copy of the document."
            ),
            code="infected",
        )
    if status != "OK":
        logger.error("upload refused: the antivirus answered %s %s", status, signature)
        raise ScannerUnavailable()


def _check_image(content: bytes, *, fmt: str) -> bytes:
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = 60_000_000  # a 10 MB scan is far below; a decompression bomb is not
    try:
        with Image.open(io.BytesIO(content)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(content)) as image:
            if image.format != fmt:
                raise UploadRejected(_("The file is not a readable image."), code="image_broken")
            image.load()
            out = io.BytesIO()
            if fmt == "JPEG":
                image.convert("RGB").save(out, format="JPEG", quality=92)
            else:
                image.save(out, format="PNG", optimize=False)
    except UploadRejected:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise UploadRejected(_("The file is not a readable image."), code="image_broken") from exc
    return out.getvalue()


def upload_check(
    uploaded, *, already_used: int = 0, max_bytes: int = MAX_FILE_BYTES, total_limit: int = MAX_REQUEST_BYTES
) -> CheckedUpload:
    """Check an uploaded file (Django UploadedFile or any file object with `.name`), or raise UploadRejected."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise UploadRejected(
            _("The file is larger than %(limit)d MB. Upload a smaller file."),
            code="too_big",
            params={"limit": max_bytes // 2**20},
        )
    content = _read(uploaded, limit=max_bytes)
    if not content:
        raise UploadRejected(_("The file is empty."), code="empty")
    if len(content) > max_bytes:
        raise UploadRejected(
            _("The file is larger than %(limit)d MB. Upload a smaller file."),
            code="too_big",
            params={"limit": max_bytes // 2**20},
        )
    if already_used + len(content) > total_limit:
        raise UploadRejected(
            _("All files together may be at most %(limit)d MB. Remove a file or upload a smaller one."),
            code="total_too_big",
            params={"limit": total_limit // 2**20},
        )
    detected = next(((ctype, ext) for signature, ctype, ext in _SIGNATURES if content.startswith(signature)), None)
    if detected is None:
        raise UploadRejected(_("The file must be a PDF, JPEG or PNG."), code="type")
    content_type, extension = detected
    if content_type == "application/pdf":
        stored = _check_pdf(content)
    else:
        stored = _check_image(content, fmt="JPEG" if extension == "jpg" else "PNG")
    antivirus_scan(content)
    return CheckedUpload(
        content=stored,
        content_type=content_type,
        extension=extension,
        name=sanitise_name(getattr(uploaded, "name", ""), extension=extension),
        size=len(stored),
        sha256=hashlib.sha256(stored).hexdigest(),
    )


class PrivateMediaStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT, with no URL; the root is read at each use, so a
    changed setting (tests, a mounted volume) takes effect without rebuilding the storage."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


private_storage = PrivateMediaStorage()


def get_private_storage():
    """For `FileField(storage=get_private_storage)`: files outside MEDIA_ROOT, with no URL."""
    return private_storage


def upload_store(checked: CheckedUpload, *, folder: str) -> str:
    """Save under a random name in `folder`; returns the storage name to keep on the record."""
    return private_storage.save(f"{folder}/{uuid.uuid4().hex}.{checked.extension}", ContentFile(checked.content))


def private_file_response(
    storage_name: str, *, download_name: str, content_type: str, inline: bool = False
) -> FileResponse:
    """Serve a private file to a caller whose access the view has checked."""
    response = FileResponse(
        private_storage.open(storage_name, "rb"),
        as_attachment=not inline,
        filename=download_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Opened inline (fund officers reviewing a document), it still may not run anything.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; object-src 'self'; sandbox"
    return response
