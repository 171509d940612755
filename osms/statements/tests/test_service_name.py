"""One name for the statement service (locale/README.md, "The service's name"): the short name the
same in headings and links of every language, the order's full name on the service's page, and the
other names people used before ("выписка", "үзінді көшірме", "extract") nowhere."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ..form_text import official_service_name

ROOT = Path(settings.BASE_DIR)
SHORT = {"en": "Statement of payments", "ru": "Справка о платежах", "kk": "Төлемдер туралы анықтама"}
NEVER = {"en": r"\bextracts?\b|certificate of payments", "ru": r"выписк", "kk": r"үзінді көшірме"}


def texts(language: str) -> list[tuple[str, str, str]]:
    found = []
    for entry in polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po")):
        strings = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        found.extend(("catalogue", entry.msgid, text) for text in strings)
    for page in sorted((ROOT / "templates" / "pages" / "content" / language).glob("*.html")):
        found.append((f"page {page.stem}", "", page.read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_no_other_name_for_the_service(language):
    never = re.compile(NEVER[language], re.IGNORECASE)
    wrong = [
        (where, text[:80]) for where, source, text in texts(language) if never.search(text) and not never.search(source)
    ]
    assert not wrong, wrong


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_service_page_has_the_short_name_and_the_full_name_of_the_order(client, citizen, language):
    client.force_login(citizen)
    with translation.override(language):
        page = client.get(reverse("statements:list"), HTTP_ACCEPT_LANGUAGE=language)
        full = official_service_name(language)
    assert page.status_code == 200
    assert f'<h1 class="govuk-heading-l">{SHORT[language]}</h1>' in page.text
    assert full in page.text.replace("&quot;", '"')


def test_the_full_name_is_the_orders_in_russian_and_kazakh():
    assert official_service_name("ru").startswith("Предоставление информации об участии в качестве потребителя")
    assert official_service_name("kk").startswith("Міндетті әлеуметтік медициналық сақтандыру жүйесінде")
    assert official_service_name("ru").endswith("медицинского страхования")
