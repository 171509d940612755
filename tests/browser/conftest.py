"""End-to-end journeys in Debian's Chromium driven by Playwright, with an axe-core check on each page.

The portal runs in pytest-django's live server (a thread of this process: the SMS outbox is shared,
static files are served by the staticfiles finders, so the real CSS and fonts load). Each test gets a
fresh browser context; the browser itself is started once per session.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import AXE_JS, unwatch, watch

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (make browser installs Debian's)")
    if not AXE_JS.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread while the browser lives; the
    # tests' own ORM calls and the database flush after each test are synchronous code that Django
    # would refuse to run there.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def viewport() -> dict[str, int]:
    """The window size of the test's browser context; a test overrides it for a phone."""
    return {"width": 1280, "height": 800}


@pytest.fixture
def page(browser, live_server, viewport) -> Iterator[object]:
    """A page in a fresh context (no cookies), CSP bypassed so that axe can be injected."""
    context = browser.new_context(
        base_url=live_server.url,
        bypass_csp=True,
        viewport=viewport,
        locale="ru-RU",
        timezone_id="Asia/Almaty",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch(page, live_server.url)
    yield page
    unwatch(page)
    context.close()
