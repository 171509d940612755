"""Search over the information pages of one language: a small in-memory index (docs/adr/0602).

Pure Python, no database: the pages are a few dozen kilobytes of text per language, so an index
built from their rendered text on first use answers in microseconds on SQLite and PostgreSQL
alike, and always matches what the pages say today (their sums change with the МЗП table).

Matching is forgiving the way a citizen types:
- case, "ё" and the Kazakh letters are folded (ә→а, ғ→г, қ→к, ң→н, ө→о, ұ/ү→у, һ→х, і→и), so
  "сактандыру" finds "сақтандыру" on a keyboard without Kazakh letters;
- a word of the query matches the words of the pages that share its stem, taken as the first
  three quarters of the word (at least four letters): "статуса" finds "статус", "сақтандыруды"
  finds "сақтандырылған". Short words (up to three letters) must match whole, so "на" or "и"
  do not match everything. Every word of the query must occur somewhere in a page.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_WORD: Final = re.compile(r"\w+", re.UNICODE)
_FOLD: Final = str.maketrans("ёәғқңөұүһі", "еагкноуухи")
MIN_STEM: Final = 4
SHORT_WORD: Final = 3  # words this short match only whole
MAX_QUERY_WORDS: Final = 10
MAX_QUERY_LENGTH: Final = 200
SNIPPET_WORDS: Final = 30
# Where a word is found counts: the page title most, a section heading more than its text.
WEIGHT_TITLE: Final = 8
WEIGHT_SUMMARY: Final = 3
WEIGHT_HEADING: Final = 4
WEIGHT_TEXT: Final = 1


def fold(word: str) -> str:
    return word.casefold().translate(_FOLD)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def query_words(query: str) -> list[str]:
    """The distinct folded words of a query, at most MAX_QUERY_WORDS of them."""
    found: list[str] = []
    for word in words(query[:MAX_QUERY_LENGTH]):
        folded = fold(word)
        if folded not in found and len(folded) >= 2:
            found.append(folded)
    return found[:MAX_QUERY_WORDS]


def stem(word: str) -> str:
    """The prefix a query word must share with a page's word (the whole word when short)."""
    if len(word) <= SHORT_WORD:
        return word
    return word[: max(MIN_STEM, math.ceil(len(word) * 0.75))]


@dataclass(frozen=True, slots=True)
class Unit:
    """One searchable part of a page: its opening (anchor "") or one section."""

    slug: str
    page_title: str
    summary: str
    anchor: str
    heading: str
    text: str


@dataclass(frozen=True, slots=True)
class Hit:
    slug: str
    title: str
    summary: str
    anchor: str  # the best section of the page, "" for the page's top
    heading: str
    snippet: SafeString  # the text around the first match, matches in <mark>
    score: float


@dataclass(slots=True)
class _PageScore:
    """What one query has found in one page so far."""

    best: Unit  # the section that matched best: the result links to it
    best_score: float = -1.0
    score: float = 0.0
    seen: set[int] = field(default_factory=set)  # which words of the query occur in the page


class Index:
    """The units of one language's pages, with a sorted vocabulary for stem lookups."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self.units: list[Unit] = list(units)
        # Per unit, how often each folded word occurs in each weighted field.
        self._counts: list[tuple[Counter[str], ...]] = []
        vocabulary: set[str] = set()
        for unit in self.units:
            fields = tuple(
                Counter(fold(w) for w in words(text))
                for text in (unit.page_title, unit.summary, unit.heading, unit.text)
            )
            self._counts.append(fields)
            for counter in fields:
                vocabulary.update(counter)
        self._vocabulary = sorted(vocabulary)
        self._vocabulary_set = frozenset(vocabulary)

    def expand(self, word: str) -> set[str]:
        """The indexed words a query word matches."""
        prefix = stem(word)
        if len(word) <= SHORT_WORD:
            return {word} if word in self._vocabulary_set else set()
        start = bisect_left(self._vocabulary, prefix)
        matched = set()
        for candidate in self._vocabulary[start:]:
            if not candidate.startswith(prefix):
                break
            matched.add(candidate)
        return matched

    def search(self, query: str, *, limit: int = 20) -> list[Hit]:
        """Pages containing every word of the query, best first, each with its best section."""
        wanted = query_words(query)
        if not wanted:
            return []
        expansions = [self.expand(word) for word in wanted]
        if not all(expansions):
            return []
        weights = (WEIGHT_TITLE, WEIGHT_SUMMARY, WEIGHT_HEADING, WEIGHT_TEXT)
        pages: dict[str, _PageScore] = {}
        for unit, fields in zip(self.units, self._counts, strict=True):
            unit_score = 0.0
            seen: set[int] = set()
            for i, matches in enumerate(expansions):
                found = sum(
                    weight * counter[w] for weight, counter in zip(weights, fields, strict=True) for w in matches
                )
                if found:
                    seen.add(i)
                    unit_score += 1 + math.log(found)
            if not seen:
                continue
            # Every query word in this one section is worth more than words scattered over the page.
            unit_score *= len(seen)
            page = pages.setdefault(unit.slug, _PageScore(best=unit))
            page.score += unit_score
            page.seen |= seen
            if unit_score > page.best_score:
                page.best, page.best_score = unit, unit_score
        matched = set().union(*expansions)
        hits = [
            Hit(
                slug=slug,
                title=page.best.page_title,
                summary=page.best.summary,
                anchor=page.best.anchor,
                heading=page.best.heading,
                snippet=snippet(page.best.text or page.best.summary, matched),
                score=page.score,
            )
            for slug, page in pages.items()
            if len(page.seen) == len(wanted)
        ]
        hits.sort(key=lambda hit: (-hit.score, hit.slug))
        return hits[:limit]


def snippet(text: str, matched: set[str], *, size: int = SNIPPET_WORDS) -> SafeString:
    """About `size` words of `text` around the first matched word, matches wrapped in <mark>."""
    tokens = re.split(r"(\w+)", text)  # odd items are words, even items what lies between
    positions = [i for i in range(1, len(tokens), 2) if fold(tokens[i]) in matched]
    word_indexes = list(range(1, len(tokens), 2))
    if not word_indexes:
        return mark_safe("")  # nosec B308 # an empty string
    first = positions[0] if positions else word_indexes[0]
    at = word_indexes.index(first)
    start_word = max(0, at - size // 3)
    end_word = min(len(word_indexes), start_word + size)
    begin = word_indexes[start_word] if start_word > 0 else 0
    end = word_indexes[end_word - 1] + 1
    parts: list[str] = ["… "] if start_word > 0 else []
    for i in range(begin, end):
        piece = escape(tokens[i])
        parts.append(f"<mark>{piece}</mark>" if i % 2 == 1 and fold(tokens[i]) in matched else piece)
    if end_word < len(word_indexes):
        parts.append(" …")
    return mark_safe("".join(parts).strip())  # noqa: S308 - every piece escaped above  # nosec B308 B703 # every piece is escaped above
