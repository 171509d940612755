"""The information pages in a real browser: every page in Kazakh, Russian and English with an axe
check, reached the way a citizen reaches them (home page, list, side column, search, language switch)."""

from __future__ import annotations

import re

import pytest

from osms.pages import catalogue

from .helpers import axe_check, keyboard_check

LANGUAGES = ("kk", "ru", "en")


def url(path: str) -> re.Pattern[str]:
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(?:[?#].*)?$")


def assert_page(page, path: str, lang: str) -> None:
    page.wait_for_url(url(path))
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("main h1").count() == 1
    axe_check(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_information_page_in_each_language(page, lang):
    page.goto(f"/{lang}/")
    assert_page(page, f"/{lang}/", lang)

    # The home page links every information page; the first one is opened from there.
    for slug in catalogue.PAGES:
        assert page.locator(f'main a[href="/{lang}/information/{slug}/"]').count() >= 1, slug
    page.locator(f'main a[href="/{lang}/information/{catalogue.PAGES[0]}/"]').first.click()
    assert_page(page, f"/{lang}/information/{catalogue.PAGES[0]}/", lang)

    # Each next page through the side column; breadcrumbs lead back to the list.
    for slug in catalogue.PAGES[1:]:
        page.locator(f'main aside a[href="/{lang}/information/{slug}/"]').click()
        assert_page(page, f"/{lang}/information/{slug}/", lang)
        assert page.locator("main aside a[aria-current=page]").get_attribute("href") == f"/{lang}/information/{slug}/"
        assert page.locator(".govuk-breadcrumbs a").count() == 2

    page.locator(f'.govuk-breadcrumbs a[href="/{lang}/information/"]').click()
    assert_page(page, f"/{lang}/information/", lang)


def test_contents_links_jump_to_their_sections(page):
    page.goto("/ru/information/getting-status/")
    assert_page(page, "/ru/information/getting-status/", "ru")
    contents = page.locator('main nav[aria-labelledby="contents-heading"] a')
    assert contents.count() >= 8
    contents.nth(3).click()
    anchor = contents.nth(3).get_attribute("href")
    assert page.evaluate("location.hash") == anchor
    assert page.locator(f"main {anchor}").is_visible()
    stops = keyboard_check(page, max_stops=120)
    assert stops[0].startswith('a[href="#main-content"]'), stops


def test_search_from_the_home_page_and_the_language_switch(page):
    page.goto("/kk/")
    page.fill("#search-home", "алдын ала толем")  # typed without Kazakh letters
    page.locator("#search-home ~ button[type=submit]").click()
    assert_page(page, "/kk/information/search/", "kk")
    first = page.locator("main ol a").first
    assert first.get_attribute("href").startswith("/kk/information/getting-status/")
    assert page.locator("main ol mark").count() >= 1

    first.click()
    page.wait_for_url(re.compile(r".*/kk/information/getting-status/#\w"))
    axe_check(page)

    # The language switch keeps the page.
    for lang in ("ru", "en"):
        page.locator(f'header a[hreflang="{lang}"]').click()
        assert_page(page, f"/{lang}/information/getting-status/", lang)

    page.goto("/en/information/search/?q=nothing+matches+this+zzzz")
    assert_page(page, "/en/information/search/", "en")
    assert page.locator("main ol").count() == 0
    assert page.locator(f'main ul a[href="/en/information/{catalogue.FAQ}/"]').count() == 1


@pytest.mark.parametrize("viewport", [{"width": 360, "height": 740}])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_on_a_phone(page, lang):
    paths = [f"/{lang}/", f"/{lang}/information/", f"/{lang}/information/search/?q=1414"]
    paths += [f"/{lang}/information/{slug}/" for slug in catalogue.PAGES]
    for path in paths:
        page.goto(path)
        assert_page(page, path.split("?")[0], lang)
        # Nothing pushes the page sideways on a 360 px screen.
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path}: {overflow}px wider than the screen"
