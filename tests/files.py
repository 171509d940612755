"""Files the tests upload: a valid one-page PDF and small images, as a citizen's scanner would make them."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfWriter


def pdf_bytes() -> bytes:
    """A valid PDF of one blank A4 page."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt: str = "PNG", *, size: tuple[int, int] = (40, 30), colour=(30, 120, 200)) -> bytes:
    """A one-colour image in the format given (PNG or JPEG)."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    return out.getvalue()
