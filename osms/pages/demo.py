"""The information pages need no demo data: they read the МЗП table and the benefit categories the
coverage app ships. Loading the demo renders every page once in each language, so a broken page
shows up here rather than in front of a citizen, and says where the pages are."""

from __future__ import annotations

from django.utils import timezone

from . import catalogue, selectors


def load(*, out) -> list[tuple[str, str, str]]:
    today = timezone.localdate()
    for language in catalogue.languages():
        for slug in catalogue.PAGES:
            selectors.page_render(slug=slug, language=language, on=today)
    out.write(
        f"Information pages: {len(catalogue.PAGES)} in each of {', '.join(catalogue.languages())}, at /ru/information/\n"
    )
    return []
