"""The coverage timeline, "Was I insured on …?" and "How to pay" in a real browser, at 1280 and 360 px,
with an axe-core check on every page, and the screenshots of docs/screenshots/ taken on the way.

The clock stands at 20 November 2026 in Almaty. The citizen is the demo debtor: employer deductions
for 03.2025–05.2026, then nothing, so June to October 2026 are debt (5 × 4 250 tenge), paying the
debt is recommended and prepaying 12 months is the other way.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zoneinfo
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext
from pypdf import PdfReader

from osms.accounts.demo import DEMO_PASSWORD
from osms.coverage import demo
from osms.temporary_status.tests.factories import categories_ensure

from .helpers import axe_check

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
NOW = dt.datetime(2026, 11, 20, 11, 0, tzinfo=ALMATY)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 800}


def say(lang: str, msgid: str, context: str | None = None) -> str:
    with translation.override(lang):
        return pgettext(context, msgid) if context else gettext(msgid)


def url(path: str) -> re.Pattern[str]:
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(?:[?#].*)?$")


def assert_page(page, path: str, lang: str) -> None:
    page.wait_for_url(url(path))
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("main h1").count() == 1
    axe_check(page)
    # Nothing wider than the window: the strip wraps by year, the tables fit a phone (WCAG 1.4.10).
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def debtor(transactional_db, time_machine):
    from osms.accounts.models import User

    categories_ensure()
    time_machine.move_to(NOW)
    rows = demo.load(out=io.StringIO())
    scenarios = [person[-1] for person in demo.PEOPLE]
    return {scenario: User.objects.get(iin=row[1]) for scenario, row in zip(scenarios, rows, strict=True)}["debt"]


def sign_in(page, user, lang: str) -> None:
    page.goto(f"/{lang}/accounts/login/")
    page.fill("#id_username", user.iin)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("#main-content form [type=submit]").first.click()
    page.wait_for_url(url(f"/{lang}/accounts/cabinet/"))


def shot(locator, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    locator.screenshot(path=str(SCREENSHOTS / name), animations="disabled", scale="css")


@pytest.mark.parametrize(("viewport", "lang"), [(DESKTOP, "ru"), (PHONE, "kk")], ids=["1280-ru", "360-kk"])
def test_timeline_past_date_and_how_to_pay(page, debtor, viewport, lang):
    width = viewport["width"]
    sign_in(page, debtor, lang)
    page.goto(f"/{lang}/status/mine/")
    assert_page(page, f"/{lang}/status/mine/", lang)

    # The strip: 24 months back, this month, 6 ahead; each month with a letter besides its colour.
    cells = page.locator("[data-testid=timeline-strip] li")
    assert cells.count() == 31
    states = cells.evaluate_all("cells => cells.map(c => c.dataset.state)")
    assert states.count("debt") == 5 and states.count("paid") == 15 and states[24] == "none"
    debt_letter = say(lang, "D", "timeline letter: debt")
    assert page.locator('[data-testid=timeline-strip] li[data-period="062026"]').inner_text().startswith(debt_letter)
    assert say(lang, "Debt") in page.locator("#timeline-legend").inner_text()
    # Colour is not the only signal: the debt and paid boxes differ in pattern too.
    paid_bg, debt_bg = (
        page.locator(f'[data-testid=timeline-strip] li[data-period="{period}"] .osms-timeline__box').evaluate(
            "box => getComputedStyle(box).backgroundImage"
        )
        for period in ("012026", "062026")
    )
    assert paid_bg == "none" and "gradient" in debt_bg

    shot(page.locator("#timeline"), f"coverage-timeline-{width}.png")

    # The same facts as a table, for screen readers and anyone who opens it.
    page.locator("#timeline-details summary").click()
    rows = page.locator("#timeline-table tbody tr")
    assert rows.count() == 31
    assert page.locator('#timeline-table tr[data-state="debt"]').count() == 5
    axe_check(page)

    # Was I insured on …? A day in March 2026: yes, the last three months kept the status.
    page.fill("#id_on", "2026-03-10")
    with page.expect_navigation():
        page.locator("#insured-on-submit").click()
    assert_page(page, f"/{lang}/status/mine/", lang)
    answer = page.locator("#insured-on-answer").inner_text()
    with translation.override(lang):
        expected = gettext("On %(day)s you were insured.") % {"day": "10.03.2026"}
    assert expected in answer
    assert (
        page.locator('[data-testid=timeline-strip] li.osms-timeline__month--asked[data-period="032026"]').count() == 1
    )
    shot(page.locator("#insured-on"), f"coverage-insured-on-{width}.png")

    # A future date is refused in the page's language and nothing typed is lost.
    page.fill("#id_on", "2027-01-05")
    with page.expect_navigation():
        page.locator("#insured-on-submit").click()
    assert page.locator("#id_on").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_on").input_value() == "2027-01-05"
    axe_check(page)

    # How to pay: the recommended way first, one line per month, КНП 122, the recipient's BIN.
    with page.expect_navigation():
        page.locator("#how-to-pay-link").click()
    assert_page(page, f"/{lang}/status/mine/how-to-pay/", lang)
    plans = page.locator("section.osms-plan")
    assert plans.nth(0).get_attribute("id") == "plan-pay_debt" and plans.nth(1).get_attribute("id") == "plan-prepay"
    assert page.locator("#plan-pay_debt-table tbody tr[data-period]").count() == 5
    assert page.locator("#plan-prepay-table tbody tr[data-period]").count() == 12
    assert "160440007161" in page.locator("#plan-pay_debt-table").inner_text()
    assert page.locator("#lump-sum-warning").is_visible()
    for href in ("https://kaspi.kz", "https://post.kz"):
        assert page.locator(f'#channels + ul a[href="{href}"]').count() == 1
    shot(page.locator("#plan-pay_debt"), f"coverage-how-to-pay-{width}.png")

    with page.expect_download() as download:
        page.locator("#how-to-pay-pdf").click()
    text = " ".join(
        page_.extract_text() for page_ in PdfReader(io.BytesIO(Path(download.value.path()).read_bytes())).pages
    )
    assert "062026" in text and "122" in text and "160440007161" in text
    assert say(lang, "How to pay") in text
