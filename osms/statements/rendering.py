"""The issued document as people see it: one template (`statements/document.html`) for the cabinet page
and for the PDF (WeasyPrint, A4, Noto Sans embedded: it has the Kazakh letters), a QR code that links
to the public check, and the SHA-256 the check confirms.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from . import form_text, rules

# WeasyPrint reports each of its seven steps at INFO: seven log lines per statement, of no use in
# production. Its warnings (a missing font, bad CSS) still come through.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FONT_FILES = {"regular": "fonts/NotoSans-Regular.subset.ttf", "bold": "fonts/NotoSans-Bold.subset.ttf"}


@dataclass(frozen=True)
class DocumentView:
    """Everything the document template prints, already in the document's language and format."""

    number: str
    kind: str
    language: str
    content: dict
    verify_url: str
    qr_data_uri: str
    text: dict = field(default_factory=dict)
    electronic: dict = field(default_factory=dict)
    refusal: dict = field(default_factory=dict)
    rows: list[dict[str, str]] = field(default_factory=list)

    @property
    def holder_name(self) -> str:
        return self.content["holder_name"]

    @property
    def holder_iin(self) -> str:
        return self.content["holder_iin"]

    @property
    def issue_date(self) -> str:
        return rules.format_date(self.content["issue_date"])

    @property
    def status_label(self) -> str:
        return self.text["status_insured"] if self.content.get("insured") else self.text["status_not_insured"]

    @property
    def period_label(self) -> str:
        first, last = self.content["period_from"], self.content["period_to"]
        return f"{first[:2]}.{first[2:]} – {last[:2]}.{last[2:]}"

    @property
    def ground_text(self) -> str:
        return form_text.REFUSAL_GROUNDS[self.language].get(self.content.get("ground", ""), "")

    @property
    def received_date(self) -> str:
        return rules.format_date(self.content["received_date"])

    @property
    def title(self) -> str:
        return self.text["title"] if self.kind == "statement" else self.refusal["title"]


def verification_url(*, number: str, language: str) -> str:
    """The public check of a document, with its number filled in (never the IIN: the holder types it)."""
    with translation.override(language):
        path = reverse("statements:verify")
    return f"{settings.SITE_URL}{path}?{urlencode({'number': number})}"


def qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=3, border=2, dark="#000")


def document_view(*, number: str, kind: str, language: str, content: dict) -> DocumentView:
    url = verification_url(number=number, language=language)
    lang = form_text.document_language(language)
    rows = []
    text = form_text.APPENDIX_2[lang]
    for row in content.get("rows", []):
        rows.append(
            {
                "n": f"{row['n']}.",
                "date": rules.format_date(row["date"]),
                "amount": rules.format_amount(row["amount"]),
                "kind": text["kind_deduction"] if row["kind"] == "deduction" else text["kind_contribution"],
                "period": row["period"],
                "payer": row["payer"],
                "refund": rules.format_amount(row["refund"]) if row["refund"] else "",
            }
        )
    return DocumentView(
        number=number,
        kind=kind,
        language=lang,
        content=content,
        verify_url=url,
        qr_data_uri=qr_data_uri(url),
        text=text,
        electronic=form_text.ELECTRONIC[lang],
        refusal=form_text.REFUSAL[lang],
        rows=rows,
    )


@cache
def _font_uris() -> dict[str, str]:
    uris = {}
    for weight, name in FONT_FILES.items():
        found = finders.find(name)
        if not found:
            raise RuntimeError(f"the statement font {name} is missing from the static files")
        uris[weight] = Path(found).resolve().as_uri()
    return uris


@cache
def _font_config():
    """One font configuration per process: WeasyPrint loads each @font-face into it once and reuses it
    for every later document."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_pdf(view: DocumentView) -> bytes:
    """The PDF of the document: A4, the font embedded (subset), tagged (accessible), in the document's language."""
    from weasyprint import HTML

    html = render_to_string("statements/document_pdf.html", {"doc": view, "fonts": _font_uris()})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        font_config=_font_config(), pdf_identifier=view.number.encode(), pdf_tags=True
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
