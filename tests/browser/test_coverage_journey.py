"""Insured status in a real browser: the public check by IIN, the contribution calculator and
"My status" in the cabinet, in Russian and Kazakh, with an axe-core check on every page visited.

The clock stands at 15 March 2024 in Almaty, so that the sums are the ones docs/domain.md §3 and §4 give
(МЗП 70 000 in 2023 and 85 000 in 2024). The people are the coverage demo citizens, one per status
rule, whose payments the demo loader dates relative to that day:

- employee: employer deductions for 02.2023–02.2024, insured through May 2024, no debt;
- grace: 01.2023–01.2024, insured in the three months after the last paid one (through April
  2024) while February 2024 is already debt;
- debt: 07.2022–09.2023, not insured, 5 unpaid months: 3 × 3 500 + 2 × 4 250 = 19 000 tenge,
  less than prepaying a year (12 × 4 250 = 51 000), so paying the debt is recommended;
- never: nothing paid, so prepaying the coming year is recommended.

Words are compared with the portal's own catalogue (gettext in the page's language), sums by their
digits (Russian and Kazakh group thousands with a no-break space).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zoneinfo

import pytest
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from conftest import new_iin
from osms.accounts.demo import DEMO_PASSWORD
from osms.coverage import demo
from osms.coverage.models import StatusLookup
from osms.temporary_status.tests.factories import categories_ensure

from .helpers import axe_check
from .helpers import keyboard_check as tab_through

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
NOW = dt.datetime(2024, 3, 15, 11, 0, tzinfo=ALMATY)
CHECK = "status/"
MINE = "status/mine/"
CALCULATOR = "calculator/"


def url(path: str) -> re.Pattern[str]:
    """The page at this path (query and fragment aside), whatever the live server's address."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(?:[?#].*)?$")


def assert_page(page, path: str, lang: str) -> None:
    """The browser shows `path` in language `lang`, with one main heading, and axe finds nothing."""
    page.wait_for_url(url(path))
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("main h1").count() == 1
    axe_check(page)


def say(lang: str, msgid: str) -> str:
    """The portal's wording of `msgid` in `lang`."""
    with translation.override(lang):
        return gettext(msgid)


def month(lang: str, day: dt.date) -> str:
    """A month as the pages write it ("F Y"), in `lang`."""
    with translation.override(lang):
        return date_format(day, "F Y")


def digits(text: str) -> str:
    """The text without its spaces, so that "19 000,00" (no-break space) reads "19000,00"."""
    return re.sub(r"\s+", "", text)


def amount(text: str) -> str:
    """The first sum in tenge in the text ("айына 5 950,00 теңге" gives "5950,00")."""
    found = re.search(r"\d[\d\s]*,\d\d", text)
    assert found, f"no sum in {text!r}"
    return digits(found.group(0))


def text(page, selector: str) -> str:
    return page.locator(selector).inner_text()


def submit(page, selector: str = "#main-content form [type=submit]") -> None:
    """Send the page's form and wait for the answer (which may be the same address again)."""
    with page.expect_navigation():
        page.locator(selector).first.click()


def error_links(page) -> list[str]:
    return page.locator(".govuk-error-summary__list a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def assert_field_in_error(page, field_id: str, value: str) -> None:
    """GOV.UK error pattern: the summary (focused) links to the field, which is marked, described by
    its message, and keeps what was typed."""
    assert error_links(page) == [f"#{field_id}"]
    page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
    field = page.locator(f"#{field_id}")
    assert "govuk-input--error" in field.get_attribute("class")
    assert field.get_attribute("aria-invalid") == "true"
    described_by = field.get_attribute("aria-describedby").split()
    assert any(page.locator(f"#{ref}.govuk-error-message").count() == 1 for ref in described_by)
    assert field.input_value() == value
    assert page.title().startswith(say(page.locator("html").get_attribute("lang"), "Error:"))


@pytest.fixture
def people(transactional_db, time_machine) -> dict[str, object]:
    """The demo citizens on 15 March 2024, by scenario."""
    from osms.accounts.models import User

    categories_ensure()  # an earlier transactional test may have emptied the shipped categories
    time_machine.move_to(NOW)
    rows = demo.load(out=io.StringIO())
    scenarios = [person[-1] for person in demo.PEOPLE]
    return {scenario: User.objects.get(iin=row[1]) for scenario, row in zip(scenarios, rows, strict=True)}


def keyboard_check(page) -> list[str]:
    """Tab through the page (helpers.keyboard_check), then let the focus go: a focused skip link
    takes room at the top and collapses on the next click, moving what the mouse aimed at."""
    stops = tab_through(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    return stops


def sign_in(page, user, lang: str) -> None:
    page.goto(f"/{lang}/accounts/login/")
    assert_page(page, f"/{lang}/accounts/login/", lang)
    page.fill("#id_username", user.iin)
    page.fill("#id_password", DEMO_PASSWORD)
    submit(page)
    assert_page(page, f"/{lang}/accounts/cabinet/", lang)


def sign_out(page, lang: str) -> None:
    with page.expect_navigation():
        page.locator("header form button[type=submit]").click()
    assert_page(page, f"/{lang}/", lang)
    # Let the favicon arrive: leaving at once aborts its request, which the page watch counts as broken.
    page.wait_for_load_state("networkidle")


def switch_language(page, lang: str, path: str) -> None:
    """The header's language switcher keeps the page."""
    page.locator(f'header a[hreflang="{lang}"]').click()
    assert_page(page, f"/{lang}/{path}", lang)


# --- The public check ---------------------------------------------------------------------------


def test_public_check_answers_insured_or_not_and_nothing_else(page, people):
    employee, grace, debtor = people["employee"], people["grace"], people["debt"]
    page.goto(f"/ru/{CHECK}")
    assert_page(page, f"/ru/{CHECK}", "ru")
    assert text(page, "main h1") == say("ru", "Check insured status")
    assert page.locator("#id_iin").get_attribute("autocomplete") == "off"

    # Insured: the confirmation panel with the month the status holds until (May 2024: February is
    # the last paid month, kept three more months).
    page.fill("#id_iin", employee.iin)
    submit(page)
    assert_page(page, f"/ru/{CHECK}", "ru")
    result = text(page, "#status-result.govuk-panel--confirmation")
    assert say("ru", "Insured") in result
    assert month("ru", dt.date(2024, 5, 1)) in result
    insured_main = text(page, "main")
    # Only the answer: no name, IIN, payer, payment, rule or table; the IIN is not echoed back.
    for secret in (employee.last_name, employee.first_name, employee.iin, demo.EMPLOYER_NAME, demo.EMPLOYER_BIN):
        assert secret not in insured_main
    assert "7650" not in digits(insured_main)
    assert page.locator("main table, main .govuk-summary-list").count() == 0
    assert page.locator("#id_iin").input_value() == ""
    # The way to the full answer is "My status" in the cabinet.
    assert page.locator(f'main a[href="/ru/{MINE}"]').count() == 1

    # Not insured: a notification banner, without the debt or its sums.
    page.fill("#id_iin", debtor.iin)
    submit(page)
    assert_page(page, f"/ru/{CHECK}", "ru")
    assert page.locator("#status-result.govuk-notification-banner").count() == 1
    assert page.locator("main .govuk-panel").count() == 0
    assert say("ru", "Not insured") in text(page, "#status-result")
    not_insured_result, not_insured_main = text(page, "#status-result"), text(page, "main")
    for secret in (debtor.last_name, debtor.first_name, debtor.iin, demo.EMPLOYER_NAME):
        assert secret not in not_insured_main
    for sum_ in ("19000", "3500", "4250", "51000", "7650"):
        assert sum_ not in digits(not_insured_main)
    assert month("ru", dt.date(2023, 9, 1)) not in not_insured_main  # not even the last paid month

    # A valid IIN nobody has data for reads exactly like a person with debt: the check tells no one
    # who is in the registers.
    page.fill("#id_iin", new_iin(dt.date(1977, 7, 7)))
    submit(page)
    assert_page(page, f"/ru/{CHECK}", "ru")
    assert text(page, "#status-result") == not_insured_result
    assert text(page, "main") == not_insured_main

    # In Kazakh: the person in the grace months is insured through April 2024.
    switch_language(page, "kk", CHECK)
    assert text(page, "main h1") == say("kk", "Check insured status")
    page.fill("#id_iin", grace.iin)
    submit(page)
    assert_page(page, f"/kk/{CHECK}", "kk")
    result = text(page, "#status-result.govuk-panel--confirmation")
    assert say("kk", "Insured") in result
    assert month("kk", dt.date(2024, 4, 1)) in result
    assert "4250" not in digits(text(page, "main"))  # the month of debt is not told
    assert grace.last_name not in text(page, "main")

    # Every answer was logged, and nothing else was.
    assert list(StatusLookup.objects.order_by("pk").values_list("channel", "insured")) == [
        ("public", True),
        ("public", False),
        ("public", False),
        ("public", True),
    ]


def test_public_check_refuses_an_invalid_iin_with_the_value_kept(page, people):
    employee = people["employee"]
    page.goto(f"/ru/{CHECK}")
    assert_page(page, f"/ru/{CHECK}", "ru")
    title = page.title()

    # A typo in the check digit.
    typo = employee.iin[:11] + str((int(employee.iin[11]) + 1) % 10)
    page.fill("#id_iin", typo)
    submit(page)
    assert_page(page, f"/ru/{CHECK}", "ru")
    assert_field_in_error(page, "id_iin", typo)
    assert page.title().endswith(title)
    assert page.locator("#status-result").count() == 0
    # Following the summary's link puts the cursor in the field.
    page.locator('.govuk-error-summary__list a[href="#id_iin"]').click()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_iin'")
    keyboard_check(page)

    # Too short, then nothing at all, in Kazakh.
    switch_language(page, "kk", CHECK)
    page.fill("#id_iin", "12345")
    submit(page)
    assert_page(page, f"/kk/{CHECK}", "kk")
    assert_field_in_error(page, "id_iin", "12345")
    page.fill("#id_iin", "")
    submit(page)
    assert_page(page, f"/kk/{CHECK}", "kk")
    assert_field_in_error(page, "id_iin", "")
    assert say("kk", "Enter the IIN: 12 digits.") in text(page, ".govuk-error-summary")

    # Once corrected, the answer comes.
    page.fill("#id_iin", employee.iin)
    submit(page)
    assert_page(page, f"/kk/{CHECK}", "kk")
    assert page.locator(".govuk-error-summary").count() == 0
    assert page.locator("#status-result.govuk-panel--confirmation").count() == 1
    assert StatusLookup.objects.count() == 1  # invalid IINs are not answered, nor logged


# --- The calculator -----------------------------------------------------------------------------

# (payer type, year, income, second job's income, monthly sum, number of steps shown)
CALCULATIONS = [
    # Employer: 3% of the salary, the base at most 10 МЗП = 850 000: at most 25 500.
    ("employer", "2024", "1 000 000", "", "25500,00", 6),
    ("employer", "2024", "300000", "", "9000,00", 6),
    # Employee: 2%, the same cap over all jobs together: at most 17 000.
    ("employee", "2024", "1200000", "", "17000,00", 6),
    ("employee", "2024", "500000", "400 000", "17000,00", 8),
    ("employee", "2024", "350 000,50", "", "7000,01", 6),
    # Entrepreneur: 5% of 1.4 МЗП; self-payer: 5% of МЗП; whatever they earn.
    ("entrepreneur", "2024", "", "", "5950,00", 4),
    ("self_payer", "2024", "", "", "4250,00", 4),
    ("self_payer", "2023", "", "", "3500,00", 4),
]


def calculate(page, lang: str, payer_type: str, year: str, income: str = "", second: str = "") -> None:
    page.check(f'input[name=payer_type][value="{payer_type}"]')
    page.select_option("#id_year", year)
    page.fill("#id_income", income)
    page.fill("#id_second_income", second)
    submit(page)
    assert_page(page, f"/{lang}/{CALCULATOR}", lang)


def test_calculator_gives_each_payer_type_its_sum_with_the_2024_caps(page, time_machine):
    time_machine.move_to(NOW)
    page.goto(f"/ru/{CALCULATOR}")
    assert_page(page, f"/ru/{CALCULATOR}", "ru")
    assert text(page, "main h1") == say("ru", "Contribution calculator")
    assert page.locator("#id_year").input_value() == "2024"  # this year by default
    assert page.locator("input[name=payer_type]").count() == 4
    # Every control is reached by keyboard, in reading order, and shows GOV.UK's yellow focus.
    stops = keyboard_check(page)
    assert stops[0].startswith('a[href="#main-content"]'), stops
    form_stops = [stop for stop in stops if stop.startswith(("input", "select"))]
    assert [stop.split('"')[0].strip() for stop in form_stops] == [
        "input#id_payer_type_1",  # a radio group is one tab stop
        "select#id_year",
        "input#id_income",
        "input#id_second_income",
        "input#submit-id-calculate",
    ], stops

    for payer_type, year, income, second, monthly, steps in CALCULATIONS:
        calculate(page, "ru", payer_type, year, income, second)
        assert page.locator(".govuk-error-summary").count() == 0
        panel = text(page, "#calculation-result")
        assert amount(panel) == monthly, (payer_type, income, panel)
        assert year in panel
        assert page.locator("#calculation-steps li").count() == steps
        # The answer's page keeps the question: the form shows what was asked.
        assert page.locator(f'input[name=payer_type][value="{payer_type}"]').is_checked()
        assert page.locator("#id_year").input_value() == year
    # The cap is shown and explained where it cut the base.
    calculate(page, "ru", "employer", "2024", "1000000")
    assert "850000,00" in digits(text(page, "#calculation-steps"))
    keyboard_check(page)

    # The same in Kazakh.
    page.goto(f"/kk/{CALCULATOR}")
    assert_page(page, f"/kk/{CALCULATOR}", "kk")
    assert text(page, "main h1") == say("kk", "Contribution calculator")
    calculate(page, "kk", "entrepreneur", "2024")
    assert amount(text(page, "#calculation-result")) == "5950,00"
    calculate(page, "kk", "employee", "2024", "2 000 000")
    assert amount(text(page, "#calculation-result")) == "17000,00"


def test_calculator_refuses_a_bad_income_with_the_value_kept(page):
    page.goto(f"/ru/{CALCULATOR}")
    assert_page(page, f"/ru/{CALCULATOR}", "ru")
    title = page.title()

    for bad in ("abc", "-5000", "100,555"):
        calculate(page, "ru", "employer", "2024", bad)
        assert_field_in_error(page, "id_income", bad)
        assert page.title().endswith(title)
        assert page.locator("#calculation-result").count() == 0
        assert page.locator('input[name=payer_type][value="employer"]').is_checked()

    # An employer's sum needs the salary.
    calculate(page, "ru", "employer", "2024", "")
    assert_field_in_error(page, "id_income", "")
    assert say("ru", "Enter the monthly salary or income in tenge.") in text(page, ".govuk-error-summary")
    keyboard_check(page)

    # Nobody chosen: one error, on the radios.
    page.goto(f"/kk/{CALCULATOR}?payer_type=&year=2024&income=")
    assert_page(page, f"/kk/{CALCULATOR}", "kk")
    assert len(error_links(page)) == 1
    assert say("kk", "Choose who pays.") in text(page, ".govuk-error-summary")
    assert page.locator("#div_id_payer_type.govuk-form-group--error .govuk-error-message").count() == 1

    # Corrected, the sum comes.
    calculate(page, "kk", "employer", "2024", "500000")
    assert page.locator(".govuk-error-summary").count() == 0
    assert amount(text(page, "#calculation-result")) == "15000,00"


def test_calculator_error_on_the_radios_takes_the_cursor_to_them(page):
    page.goto(f"/ru/{CALCULATOR}?payer_type=&year=2024&income=")
    assert_page(page, f"/ru/{CALCULATOR}", "ru")
    page.locator(".govuk-error-summary__list a").first.click()
    page.wait_for_function("document.activeElement && document.activeElement.name === 'payer_type'", timeout=2_000)


# --- My status ----------------------------------------------------------------------------------


def open_my_status(page, lang: str) -> None:
    """From the cabinet, through its link."""
    page.locator(f'main a[href="/{lang}/{MINE}"]').click()
    assert_page(page, f"/{lang}/{MINE}", lang)
    assert text(page, "main h1") == say(lang, "My status")


def summary_value(page, row: int) -> str:
    return text(page, f"#status-summary .govuk-summary-list__row:nth-child({row}) .govuk-summary-list__value")


def test_my_status_with_debt_shows_both_ways_back_with_their_sums(page, people):
    debtor = people["debt"]
    sign_in(page, debtor, "ru")
    open_my_status(page, "ru")

    assert page.locator("#status-headline.govuk-warning-text").count() == 1
    assert say("ru", "You are not insured") in text(page, "#status-headline")
    assert month("ru", dt.date(2023, 9, 1)) in text(page, "#status-reason")
    assert digits(summary_value(page, 4)).startswith("5") and "19000,00" in digits(summary_value(page, 4))

    # The five unpaid months, each at the МЗП of its own year, and their total.
    rows = page.locator("#debt-table tbody tr")
    assert rows.count() == 6
    months = [
        dt.date(2023, 10, 1),
        dt.date(2023, 11, 1),
        dt.date(2023, 12, 1),
        dt.date(2024, 1, 1),
        dt.date(2024, 2, 1),
    ]
    sums = ["3500,00", "3500,00", "3500,00", "4250,00", "4250,00"]
    for index, (when, sum_) in enumerate(zip(months, sums, strict=True)):
        cells = rows.nth(index).locator("td")
        assert cells.nth(0).inner_text() == month("ru", when)
        assert digits(cells.nth(1).inner_text()) == sum_
    assert digits(rows.nth(5).locator("td").inner_text()) == "19000,00"
    assert page.locator("#debt-table caption").count() == 1
    assert page.locator("#debt-table thead th[scope=col]").count() == 2

    # The debt (19 000) costs less than a prepaid year (51 000): pay the debt.
    recommendation = text(page, "#recommendation")
    assert say("ru", "We recommend paying the debt.") in recommendation
    assert "19000,00" in digits(recommendation) and "51000,00" in digits(recommendation)

    # Way 1: the debt's sum, then 4 250 a month. Way 2: 12 separate payments of 4 250, 51 000 in all,
    # with the warning that one lump sum does not give the status, and the current month first.
    way_debt = page.locator("#way-debt + p").inner_text()
    assert "19000,00" in digits(way_debt) and "4250,00" in digits(way_debt)
    way_prepay = page.locator("#way-prepay ~ p").first.inner_text()
    assert "4250,00" in digits(way_prepay) and "51000,00" in digits(way_prepay) and "12" in way_prepay
    warning = page.locator("#way-prepay ~ .govuk-warning-text").first.inner_text()
    assert "12" in warning and "51000,00" in digits(warning)
    order = page.locator("#way-prepay ~ p").nth(1).inner_text()
    for when in (dt.date(2024, 3, 1), dt.date(2025, 2, 1), dt.date(2024, 4, 1)):
        assert month("ru", when) in order

    # The payments that reached the Fund in the last 12 months (since 01.03.2023): the employer's
    # deductions for 02.2023–09.2023, newest first: the period and the day received, the sum and its
    # kind, the payer.
    payments = page.locator("#payments-table tbody tr")
    assert payments.count() == 8
    payment, sum_ = (payments.nth(0).locator("td").nth(column).inner_text() for column in range(2))
    assert payment.startswith("09.2023") and "01.10.2023" in payment
    assert demo.EMPLOYER_NAME in payment and demo.EMPLOYER_BIN in payment
    assert amount(sum_) == "7650,00"
    assert page.locator("#payments-table thead th[scope=col]").count() == 2

    # In Kazakh, the same answer.
    switch_language(page, "kk", MINE)
    assert text(page, "main h1") == say("kk", "My status")
    assert say("kk", "You are not insured") in text(page, "#status-headline")
    assert say("kk", "We recommend paying the debt.") in text(page, "#recommendation")
    assert digits(text(page, "#debt-table tbody tr:last-child td")) == "19000,00"
    assert text(page, "#debt-table tbody tr:first-child td:first-child") == month("kk", dt.date(2023, 10, 1))
    assert page.locator("#way-debt").count() == 1 and page.locator("#way-prepay").count() == 1

    # Back to the cabinet through the breadcrumbs.
    page.locator('.govuk-breadcrumbs a[href="/kk/accounts/cabinet/"]').click()
    page.wait_for_url(url("/kk/accounts/cabinet/"))


def test_my_status_when_nothing_was_paid_recommends_prepaying(page, people):
    sign_in(page, people["never"], "kk")
    open_my_status(page, "kk")
    assert say("kk", "You are not insured") in text(page, "#status-headline")
    assert say("kk", "No payment and no benefit category covers any month for you.") in text(page, "#status-reason")
    # Twelve unpaid months: 10 of 2023 at 3 500 and 2 of 2024 at 4 250.
    assert page.locator("#debt-table tbody tr").count() == 13
    assert digits(text(page, "#debt-table tbody tr:last-child td")) == "43500,00"
    recommendation = text(page, "#recommendation")
    assert say("kk", "We recommend prepaying 12 months.") in recommendation
    assert (
        say(
            "kk",
            "Nothing was paid in the last twelve months. You do not have to pay last year's debt: "
            "prepaying the coming year gives the status.",
        )
        in recommendation
    )
    assert page.locator("#payments-table").evaluate("e => e.tagName") == "P"  # no payments: a sentence


def test_my_status_insured_and_in_the_grace_months(page, people):
    # Insured, every month paid: through May 2024, no debt, no ways back to explain.
    sign_in(page, people["employee"], "ru")
    open_my_status(page, "ru")
    headline = text(page, "#status-headline.govuk-panel--confirmation")
    assert say("ru", "You are insured") in headline
    assert month("ru", dt.date(2024, 5, 1)) in headline
    assert summary_value(page, 2) == month("ru", dt.date(2024, 2, 1))
    assert summary_value(page, 3) == month("ru", dt.date(2024, 5, 1))
    assert summary_value(page, 4) == say("ru", "none")
    assert page.locator("#debt-table, #recommendation, #way-debt, #way-prepay").count() == 0
    assert page.locator("#payments-table tbody tr").count() == 13  # 02.2023 (received 01.03.2023) to 02.2024
    sign_out(page, "ru")

    # In the grace months: insured through April 2024, and told that February is already debt.
    sign_in(page, people["grace"], "kk")
    open_my_status(page, "kk")
    headline = text(page, "#status-headline.govuk-panel--confirmation")
    assert say("kk", "You are insured") in headline
    assert month("kk", dt.date(2024, 4, 1)) in headline
    assert month("kk", dt.date(2024, 1, 1)) in text(page, "#status-reason")
    assert summary_value(page, 3) == month("kk", dt.date(2024, 4, 1))
    assert "4250,00" in digits(summary_value(page, 4))
    debt = page.locator("#debt-table tbody tr")
    assert debt.count() == 2
    assert debt.nth(0).locator("td").nth(0).inner_text() == month("kk", dt.date(2024, 2, 1))
    assert page.locator("#recommendation, #way-debt, #way-prepay").count() == 0  # insured: nothing to win back

    # Signed out, "My status" asks to sign in first.
    sign_out(page, "kk")
    page.goto(f"/kk/{MINE}")
    page.wait_for_url(url("/kk/accounts/login/"))


# A common phone (360 px) and the width WCAG 1.4.10 (reflow) asks content to fit without scrolling sideways.
NARROW = [{"width": 360, "height": 740}, {"width": 320, "height": 640}]


@pytest.mark.parametrize("viewport", NARROW, ids=lambda size: f"{size['width']}px")
def test_narrow_screen(page, viewport, people):
    sign_in(page, people["debt"], "ru")
    for path in (
        f"/ru/{CHECK}",
        f"/ru/{CALCULATOR}?payer_type=employee&year=2024&income=500000&second_income=400000",
        f"/ru/{MINE}",
    ):
        page.goto(path)
        assert_page(page, path.split("?")[0], "ru")
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= viewport["width"], f"{path} scrolls sideways at {viewport['width']} px: {width} px wide"


def test_calculator_offers_only_years_with_sourced_rates_and_names_the_year(page, time_machine):
    """In November 2026 no source gives the 2026 rates: the calculator offers 2025, 2024 and 2023
    (the partial years labelled), defaults to 2024, and refuses an employer in 2023 with the
    question kept, instead of applying 2024's rates to it (docs/adr/0603)."""
    time_machine.move_to(dt.datetime(2026, 11, 23, 11, 0, tzinfo=ALMATY))
    page.goto(f"/ru/{CALCULATOR}")
    assert_page(page, f"/ru/{CALCULATOR}", "ru")
    options = page.locator("#id_year option").evaluate_all("options => options.map(o => o.value)")
    assert options == ["2025", "2024", "2023"]
    assert page.locator("#id_year").input_value() == "2024"
    assert "2026" in text(page, "#calculation-years-note")

    calculate(page, "ru", "employer", "2023", "300000")
    assert error_links(page) == ["#id_year"]
    assert page.locator("#calculation-result").count() == 0
    assert page.locator("#id_income").input_value() == "300000"

    calculate(page, "ru", "self_payer", "2023")
    assert amount(text(page, "#calculation-result")) == "3500,00"
    assert "2023" in text(page, "#calculation-year")
    assert "2026" in text(page, "#calculation-other-year")
    keyboard_check(page)
