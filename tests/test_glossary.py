"""The Kazakh glossary of locale/README.md is the only Kazakh terminology in use: its rejected words
appear nowhere in the kk catalogue, the kk information pages or the kk text of the official form,
and every term it keeps is used somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from osms.statements.form_text import APPENDIX_2, ELECTRONIC

ROOT = Path(settings.BASE_DIR)
README = ROOT / "locale" / "README.md"


def glossary() -> list[tuple[str, list[str], list[str]]]:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("<!-- glossary:start -->") : text.index("<!-- glossary:end -->")]
    rows = []
    for line in table.splitlines()[3:]:
        if not line.startswith("|"):
            continue
        concept, terms, never = (cell.strip() for cell in line.strip("|").split("|"))
        rows.append((concept, [t.strip() for t in terms.split(";")], [n.strip() for n in never.split(";")]))
    return rows


def _form_text() -> str:
    values = []
    for mapping in (APPENDIX_2["kk"], ELECTRONIC["kk"]):
        for value in mapping.values():
            values.extend(value if isinstance(value, tuple) else [value])
    return "\n".join(values)


def kk_texts() -> list[tuple[str, str, str]]:
    """(where, msgid or "", Kazakh text) for every piece of Kazakh the portal shows."""
    found = []
    for entry in polib.pofile(str(ROOT / "locale" / "kk" / "LC_MESSAGES" / "django.po")):
        strings = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        source = entry.msgid + (entry.msgid_plural or "")
        found.extend(("kk catalogue", source, text) for text in strings)
    for page in sorted((ROOT / "templates" / "pages" / "content" / "kk").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"{% comment %}.*?{% endcomment %}", " ", text, flags=re.S)
        found.append((f"kk page {page.stem}", "", re.sub(r"\s+", " ", text)))
    found.append(("kk official form", "", _form_text()))
    return found


def test_the_glossary_is_in_the_readme_and_names_the_required_terms():
    terms = {term for _concept, kept, _never in glossary() for term in kept}
    for required in ("МӘМС", "ТМККК", "Қор", "ЖСН", "БСН", "ЭЦҚ", "ХҚКО", "ЕТЖ", "қызметкер", "анықтама"):
        assert required in terms, required


def word_pattern(word: str) -> re.Pattern[str]:
    """A word at the start of a word (so "Фонд" is not found in "телефонды"); an abbreviation also
    ends there ("БИН" is not found in "кабинет"), a phrase may go on with its case ending."""
    end = r"(?![^\W\d_])" if word.isupper() else ""
    return re.compile(r"(?<![^\W\d_])" + re.escape(word) + end, re.IGNORECASE)


@pytest.mark.parametrize(("concept", "kept", "never"), glossary(), ids=[row[0] for row in glossary()])
def test_only_the_glossarys_term_is_used(concept, kept, never):
    texts = kk_texts()
    wrong = [
        (where, word)
        for where, source, text in texts
        for word in never
        if word_pattern(word).search(text) and not word_pattern(word).search(source)
    ]
    assert not wrong, f"{concept}: use {kept[0]!r}, not {wrong[:5]}"
    corpus = "\n".join(text for _where, _source, text in texts).casefold()
    unused = [term for term in kept if term.casefold() not in corpus]
    assert not unused, f"{concept}: the glossary's term is used nowhere: {unused}"


GENITIVE_PERCENT = re.compile(
    r"(?:ның|нің|дың|дің|тың|тің)\s+(?:кемінде\s+)?(?:\d+|%\([a-z_]+\)s|{{[^}]*}})\s*(?:%%|%)(?![%\-\w])"
)


def test_a_percentage_after_a_genitive_takes_its_case_ending():
    wrong = [(where, match.group(0)) for where, _s, text in kk_texts() for match in GENITIVE_PERCENT.finditer(text)]
    assert not wrong, f"write «ЕТЖ-ның 5%-ы», not: {wrong[:5]}"
