"""The information pages, in the order the portal lists them, and where each one's text lives.

Each page is written once per language as a template of three blocks (docs/adr/0601):
`templates/pages/content/<language>/<slug>.html` with `title` (plain text), `summary` (one plain
sentence for lists and search results) and `body` (the page). Slugs are English and the same in
every language, so the language switcher keeps the reader on the same page.
"""

from __future__ import annotations

from typing import Final

from django.conf import settings
from django.utils import translation

FREE_CARE: Final = "free-care"  # ГОБМП: who is entitled, what it covers
INSURANCE_PACKAGE: Final = "insurance-package"  # what OSMS adds for the insured
CARE_IN_2026: Final = "care-in-2026"  # the 2026 memo (seed 002)
WHO_PAYS: Final = "who-pays"  # rates and caps, how to pay
GETTING_STATUS: Final = "getting-status"  # debt, prepayment, categories, unemployed, Д and Е, temporary status
BENEFIT_CATEGORIES: Final = "benefit-categories"  # the 15 categories and their documents
CHECKING_STATUS: Final = "checking-status"  # every channel of docs/domain.md §12
PATIENT_RIGHTS: Final = "patient-rights"  # rights and the appeal channels of docs/domain.md §10
FAQ: Final = "faq"  # seed 004

PAGES: Final[tuple[str, ...]] = (
    GETTING_STATUS,
    CHECKING_STATUS,
    WHO_PAYS,
    BENEFIT_CATEGORIES,
    FREE_CARE,
    INSURANCE_PACKAGE,
    CARE_IN_2026,
    PATIENT_RIGHTS,
    FAQ,
)

BLOCK_TITLE: Final = "title"
BLOCK_SUMMARY: Final = "summary"
BLOCK_BODY: Final = "body"


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def current_language() -> str:
    """The active language if the portal has pages in it, else the default one."""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in languages() else settings.LANGUAGE_CODE


def template_name(*, slug: str, language: str) -> str:
    return f"pages/content/{language}/{slug}.html"
