"""Reads of the information pages: their context, their rendered text, their list and the search.

The pages read the same data the calculator and the status rules read (`mzp_table`, the
BenefitCategory table, settings.PORTAL_CONTACTS), through `figures.py`; nothing they print about
money is typed into a template.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.safestring import SafeString

from osms.core import page_cache
from osms.coverage.models import BenefitCategory
from osms.coverage.selectors import mzp_table, rates_table

from . import catalogue, rendering, search
from .figures import Figures, figures_for

# The other services' pages the information pages and the home page send a citizen to, each with
# the URL names to try in turn. A service that has not shipped yet is simply not linked.
SERVICE_URLS: Final[dict[str, tuple[str, ...]]] = {
    "public_check": ("coverage:public_check", "coverage:status_check"),
    "my_status": ("coverage:my_status",),
    "calculator": ("coverage:calculator",),
    "statements": ("statements:list",),
    "attachment": ("clinics:my_attachment",),
    "temporary_status": ("temporary_status:list",),
    "appeal_new": ("appeals:new",),
    "appeals": ("appeals:list",),
    "cabinet": ("accounts:cabinet",),
    "register": ("accounts:register",),
    "login": ("accounts:login",),
}


def optional_url(*names: str) -> str:
    """The URL of the first of `names` that is installed, in the active language; "" if none is."""
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


def service_links() -> dict[str, str]:
    return {key: optional_url(*names) for key, names in SERVICE_URLS.items()}


def benefit_categories() -> list[BenefitCategory]:
    """The 15 categories as the temporary-status service reads them (one source, docs/domain.md §5)."""
    return list(BenefitCategory.objects.order_by("number"))


def page_figures(*, on: dt.date) -> Figures:
    return figures_for(on=on, mzp=mzp_table(), rates=rates_table())


def _inputs(*, on: dt.date) -> dict[str, Any]:
    """What the pages read besides the figures (cheap: one query for the categories)."""
    return {
        "categories": benefit_categories(),
        "contacts": settings.PORTAL_CONTACTS,
        "links": service_links(),
        "today": on,
    }


def page_context(*, on: dt.date) -> dict[str, Any]:
    """What every content template may use. Links are reversed in the active language."""
    return _inputs(on=on) | {"figures": page_figures(on=on)}


@dataclass(frozen=True)
class PageHeading:
    slug: str
    title: str
    summary: str
    url: str


@lru_cache(maxsize=8)
def _headings(language: str) -> tuple[tuple[str, str, str], ...]:
    # Titles and summaries are plain text that needs no data: rendered once per process.
    found = []
    for slug in catalogue.PAGES:
        blocks = rendering.render_blocks(
            catalogue.template_name(slug=slug, language=language),
            (catalogue.BLOCK_TITLE, catalogue.BLOCK_SUMMARY),
            {},
        )
        found.append(
            (slug, rendering.plain(blocks[catalogue.BLOCK_TITLE]), rendering.plain(blocks[catalogue.BLOCK_SUMMARY]))
        )
    return tuple(found)


def page_headings(*, language: str) -> list[PageHeading]:
    """Every information page of `language`, in the portal's order, with its URL."""
    with translation.override(language):
        return [
            PageHeading(slug=slug, title=title, summary=summary, url=reverse("pages:page", args=[slug]))
            for slug, title, summary in _headings(language)
        ]


@dataclass(frozen=True)
class RenderedPage:
    slug: str
    title: str
    summary: str
    body: SafeString
    sections: list[rendering.Section]

    @property
    def contents(self) -> list[rendering.Section]:
        """The top-level sections, for the page's contents list."""
        return [section for section in self.sections if section.level == 2]


def _render(*, slug: str, language: str, context: dict[str, Any]) -> RenderedPage:
    with translation.override(language):
        blocks = rendering.render_blocks(
            catalogue.template_name(slug=slug, language=language),
            (catalogue.BLOCK_TITLE, catalogue.BLOCK_SUMMARY, catalogue.BLOCK_BODY),
            context,
        )
    body = blocks[catalogue.BLOCK_BODY]
    return RenderedPage(
        slug=slug,
        title=rendering.plain(blocks[catalogue.BLOCK_TITLE]),
        summary=rendering.plain(blocks[catalogue.BLOCK_SUMMARY]),
        body=body,
        sections=rendering.sections(body),
    )


# --- the pages as they read today, and their search index -------------------------------------------------


@dataclass(frozen=True)
class _Edition:
    """Every page of one language rendered for one set of inputs, and the index of their text."""

    pages: dict[str, RenderedPage]
    index: search.Index


_EDITIONS_KEPT: Final = 6  # three languages, twice around midnight or an МЗП edit
_editions: OrderedDict[tuple, _Edition] = OrderedDict()
_editions_lock = threading.Lock()


def _signature(language: str, on: dt.date, inputs: dict[str, Any]) -> tuple:
    """What the pages' text depends on: a new МЗП, rate, category or installed service makes a new edition."""
    categories = tuple((c.number, c.name, tuple(c.documents), c.by_application) for c in inputs["categories"])
    return (
        language,
        on,
        tuple(sorted(mzp_table().items())),
        tuple(sorted(rates_table().items())),
        categories,
        tuple(sorted(inputs["links"].items())),
        tuple(sorted(inputs["contacts"].items())),
    )


def _edition(*, language: str, on: dt.date) -> _Edition:
    """The pages of `language` as they read on `on`: rendered on first use, then kept.

    Rendering all nine pages and indexing them costs a fifth of a second; a page view then costs
    one query (the categories, to notice a change) instead of computing the figures and
    rendering the page each time. Two requests racing on a miss both render; the second result
    simply replaces the first.
    """
    with translation.override(language):
        inputs = _inputs(on=on)
    key = _signature(language, on, inputs)
    with _editions_lock:
        edition = _editions.get(key)
        if edition is not None:
            _editions.move_to_end(key)
            return edition
    context = inputs | {"figures": page_figures(on=on)}
    pages = {slug: _render(slug=slug, language=language, context=context) for slug in catalogue.PAGES}
    units = [
        search.Unit(
            slug=slug,
            page_title=page.title,
            summary=page.summary,
            anchor=section.anchor,
            heading=section.heading,
            text=section.content,
        )
        for slug, page in pages.items()
        for section in page.sections
    ]
    edition = _Edition(pages=pages, index=search.Index(units))
    with _editions_lock:
        _editions[key] = edition
        while len(_editions) > _EDITIONS_KEPT:
            _editions.popitem(last=False)
    return edition


def page_render(*, slug: str, language: str, on: dt.date, context: dict[str, Any] | None = None) -> RenderedPage:
    """One page in one language as of `on` (rendered afresh with `context` when one is given).
    Raises LookupError for an unknown slug."""
    if slug not in catalogue.PAGES:
        raise LookupError(slug)
    if context is not None:
        return _render(slug=slug, language=language, context=context)
    return _edition(language=language, on=on).pages[slug]


def search_index(*, language: str, on: dt.date) -> search.Index:
    """The index of `language`'s pages as they read on `on`."""
    return _edition(language=language, on=on).index


def pages_forget() -> None:
    """Drop the rendered pages and indexes kept in this process (tests; a deployment starts with none)."""
    with _editions_lock:
        _editions.clear()
    page_cache.forget()


@dataclass(frozen=True)
class SearchResult:
    title: str
    url: str
    heading: str
    snippet: SafeString


def pages_search(*, query: str, language: str, on: dt.date) -> list[SearchResult]:
    """The pages of `language` that contain every word of `query`, best first."""
    hits = search_index(language=language, on=on).search(query)
    with translation.override(language):
        return [
            SearchResult(
                title=hit.title,
                url=reverse("pages:page", args=[hit.slug]) + (f"#{hit.anchor}" if hit.anchor else ""),
                heading=hit.heading,
                snippet=hit.snippet,
            )
            for hit in hits
        ]
