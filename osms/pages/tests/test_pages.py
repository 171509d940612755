"""The information pages in three languages, their figures, the home page and the search."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format

from osms.coverage import calculator
from osms.coverage.models import BenefitCategory
from osms.coverage.rules import DEFAULT_MZP, monthly_contribution
from osms.pages import catalogue, selectors

pytestmark = pytest.mark.django_db

LANGUAGES = ["kk", "ru", "en"]
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)  # 15:00 in Almaty
CONTENT = Path(settings.BASE_DIR) / "templates" / "pages" / "content"


@pytest.fixture(autouse=True)
def frozen_clock():
    selectors.pages_forget()
    with time_machine.travel(NOW, tick=False):
        yield


def page_url(slug: str, language: str) -> str:
    with translation.override(language):
        return reverse("pages:page", args=[slug])


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def tenge(amount: Decimal, language: str) -> str:
    """How the pages print a sum in a language: grouped, no kopecks when whole."""
    with translation.override(language):
        places = 0 if amount == amount.to_integral_value() else 2
        return number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)


# --- every page, every language ----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("slug", catalogue.PAGES)
def test_every_page_exists_in_every_language(client, slug, language):
    html = get(client, page_url(slug, language))
    assert f'<html lang="{language}"' in html
    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert len(headings) == 1
    page = selectors.page_render(slug=slug, language=language, on=NOW.date())
    assert headings[0].strip() == page.title and page.title and page.summary
    assert f"<title>{page.title} — " in html
    # Breadcrumbs: home, then the list of information pages.
    crumbs = re.search(r'<nav class="govuk-breadcrumbs".*?</nav>', html, re.S).group(0)
    assert f'href="/{language}/"' in crumbs and f'href="/{language}/information/"' in crumbs
    # The side column links every page; this one is marked current.
    assert html.count('aria-current="page"') == 1
    for other in catalogue.PAGES:
        assert f'href="/{language}/information/{other}/"' in html


@pytest.mark.parametrize("slug", catalogue.PAGES)
def test_each_page_has_the_same_sections_in_every_language(slug):
    anchors = {
        language: [s.anchor for s in selectors.page_render(slug=slug, language=language, on=NOW.date()).sections]
        for language in LANGUAGES
    }
    assert anchors["kk"] == anchors["ru"] == anchors["en"]
    assert len(anchors["en"]) > 2


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_are_written_in_their_language(language):
    """A Kazakh page has Kazakh letters, a Russian one Cyrillic without them, an English one Latin.
    (The category names are left out: they come from the coverage catalogue's own translations.)"""
    with translation.override(language):
        context = selectors.page_context(on=NOW.date()) | {"categories": []}
    for slug in catalogue.PAGES:
        page = selectors.page_render(slug=slug, language=language, on=NOW.date(), context=context)
        text = re.sub(r"<[^>]+>", " ", page.body)
        cyrillic = len(re.findall(r"[а-яё]", text, re.I))
        latin = len(re.findall(r"[a-z]", text, re.I))
        kazakh = len(re.findall(r"[әғқңөұүһі]", text, re.I))
        if language == "en":
            assert latin > 10 * cyrillic, slug
        else:
            assert cyrillic > 5 * latin, slug
            assert (kazakh > 20) == (language == "kk"), slug


def test_unknown_page_is_404(client):
    assert client.get("/ru/information/no-such-page/").status_code == 404


@pytest.mark.parametrize("language", LANGUAGES)
def test_index_lists_every_page(client, language):
    html = main(get(client, f"/{language}/information/"))
    for heading in selectors.page_headings(language=language):
        assert f'href="{heading.url}"' in html and heading.title in html and heading.summary in html


# --- one source of figures -----------------------------------------------------------------------------

MONEY_LITERAL = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d{4,}")
PERCENT_LITERAL = re.compile(r"\d+(?:[.,]\d+)?\s*%")


def template_sources() -> list[Path]:
    return sorted(CONTENT.glob("*/*.html"))


def test_content_templates_exist_for_every_page_and_language():
    assert {(p.parent.name, p.stem) for p in template_sources()} == {
        (language, slug) for language in LANGUAGES for slug in catalogue.PAGES
    }


@pytest.mark.parametrize("path", template_sources(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_rate_or_sum_is_typed_into_a_page(path):
    """Sums and rates come from the calculator's data: a literal one would drift from it."""
    text = re.sub(r"{%.*?%}|{{.*?}}", " ", path.read_text(encoding="utf-8"), flags=re.S)
    allowed = {"1414", "2015", "2020", "2026", "027"}  # the call centre, the law's year, the memo's year
    money = [m for m in MONEY_LITERAL.findall(text) if m not in allowed]
    assert not money, f"amounts typed into {path}: {money}"
    assert not PERCENT_LITERAL.findall(text), f"rates typed into {path}"
    assert not re.search(r"\b10\s*(МЗП|ЕТЖ|MZP)", text) and not re.search(r"\b1[.,]4\b", text)


def calculator_sums(year: int, mzp=DEFAULT_MZP) -> dict[str, Decimal]:
    kinds = calculator.PayerType
    self_payer = calculator.contribution(payer_type=kinds.SELF_PAYER, year=year, mzp=mzp)
    return {
        "mzp": self_payer.mzp,
        "self_payer": self_payer.monthly_amount,
        "entrepreneur": calculator.contribution(payer_type=kinds.ENTREPRENEUR, year=year, mzp=mzp).monthly_amount,
        "employee_max": calculator.contribution(
            payer_type=kinds.EMPLOYEE, year=year, income="9" * 9, mzp=mzp
        ).monthly_amount,
        "employer_max": calculator.contribution(
            payer_type=kinds.EMPLOYER, year=year, income="9" * 9, mzp=mzp
        ).monthly_amount,
        "cap": calculator.contribution(payer_type=kinds.EMPLOYEE, year=year, income="0", mzp=mzp).cap,
    }


def year_section(html: str, year: int) -> str:
    start = html.index(f'id="year-{year}"')
    return html[start : html.index("</tbody>", start)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_figures_on_the_pages_equal_the_calculators(client, language):
    sums = calculator_sums(2024)  # the newest year whose every rate is sourced (seed 001)
    rates = main(get(client, page_url("who-pays", language)))
    table = rates[rates.index('id="rates"') : rates.index('id="two-jobs"')]
    for key in ("self_payer", "entrepreneur", "employee_max", "employer_max", "cap"):
        assert tenge(sums[key], language) in table, key
    assert tenge(sums["mzp"], language) in rates
    for percent in ("3%", "2%", "5%"):
        assert percent in table
    assert "2024" in table and "2026" not in table
    # Every year with sourced rates, with its own sums; no sum for a rate no source gives.
    by_year = rates[rates.index('id="by-year"') :]
    assert "year-2026" not in by_year and "year-2022" not in by_year
    for year in (2023, 2024, 2025):
        section = year_section(by_year, year)
        assert tenge(DEFAULT_MZP[year], language) in section
        self_payer = calculator.contribution(payer_type="self_payer", year=year).monthly_amount
        assert tenge(self_payer, language) in section
    for year in (2023, 2025):  # seeds 000 and 004 give the self-payer's sum only
        assert "3%" not in year_section(by_year, year) and "2%" not in year_section(by_year, year)

    price = monthly_contribution(mzp=DEFAULT_MZP, year=2026)  # the status rules' price of a 2026 month
    status = main(get(client, page_url("getting-status", language)))
    prepay = status[status.index('id="prepay"') : status.index('id="which"')]
    assert prepay.count(f">{tenge(price, language)}</td>") == 12
    assert tenge(12 * price, language) in prepay
    for n in range(12):
        month = (11 + n - 1) % 12 + 1
        assert f">{month:02d}{2026 + (10 + n) // 12}</td>" in prepay  # the period to write on each payment
    debt = status[status.index('id="debt"') : status.index('id="prepay"')]
    assert tenge(5 * price, language) in debt  # the worked example: five months

    faq = main(get(client, page_url("faq", language)))
    assert tenge(price, language) in faq


@pytest.mark.parametrize(
    ("language", "state", "persons"),
    [("ru", "свыше", "11 млн"), ("kk", "астам", "11 млн"), ("en", "over", "11 million")],
)
def test_who_pays_names_the_states_contribution_for_the_benefit_categories(client, language, state, persons):
    html = main(get(client, page_url("who-pays", language)))
    section = html[html.index('id="state"') : html.index('id="two-jobs"')]
    assert tenge(Decimal(5800), language) in section and state in section and persons in section
    assert "2024" in section


def test_pages_follow_a_new_mzp(client, make_user):
    from osms.coverage.services import minimum_wage_set

    officer = make_user(role="fund_officer")
    minimum_wage_set(actor=officer, year=2024, amount=Decimal("100000"))
    minimum_wage_set(actor=officer, year=2026, amount=Decimal("100000"))
    rates = main(get(client, page_url("who-pays", "ru")))
    table = rates[rates.index('id="rates"') : rates.index('id="two-jobs"')]
    for amount in ("5 000", "7 000", "20 000", "30 000", "1 000 000"):
        assert amount.replace(" ", "\xa0") in table
    assert "4\xa0250" not in table
    status = main(get(client, page_url("getting-status", "ru")))
    assert "60\xa0000" in status[status.index('id="prepay"') :]
    # The search reads the pages as they read now.
    [hit] = [
        r for r in selectors.pages_search(query="предоплата", language="ru", on=NOW.date()) if "getting-status" in r.url
    ]
    assert hit


def test_pages_follow_new_rates_entered_by_an_administrator(client, make_user):
    from osms.coverage.rates import YearRates
    from osms.coverage.services import contribution_rates_set

    rates = YearRates(
        year=2026,
        source="law",
        employer_rate=Decimal("0.03"),
        employee_rate=Decimal("0.02"),
        base_cap_mzp=Decimal(20),
        entrepreneur_rate=Decimal("0.05"),
        entrepreneur_base_mzp=Decimal("1.4"),
        self_payer_rate=Decimal("0.05"),
        self_payer_base_mzp=Decimal(1),
    )
    contribution_rates_set(actor=make_user(role="administrator"), rates=rates)
    html = main(get(client, page_url("who-pays", "ru")))
    table = html[html.index('id="rates"') : html.index('id="two-jobs"')]
    assert "2026" in table and "51\xa0000" in table  # 3% of 20 x 85 000
    assert "year-2026" in html[html.index('id="by-year"') :]


@pytest.mark.parametrize("language", LANGUAGES)
def test_categories_come_from_the_table(client, language):
    html = main(get(client, page_url("benefit-categories", language)))
    categories = list(BenefitCategory.objects.order_by("number"))
    assert len(categories) == 15
    with translation.override(language):
        for category in categories:
            assert category.label.replace("'", "&#x27;") in html
            for document in category.document_labels:
                assert document.replace("'", "&#x27;") in html
    BenefitCategory.objects.filter(number=1).update(documents=["Birth certificate", "Passport"])
    selectors.pages_forget()
    assert "Passport" in get(client, page_url("benefit-categories", language))


# --- the home page -------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_links_every_information_page(client, language):
    html = main(get(client, f"/{language}/"))
    for heading in selectors.page_headings(language=language):
        assert f'href="{heading.url}"' in html and heading.title in html
    assert f'action="/{language}/information/search/"' in html and 'name="q"' in html


@override_settings(ROOT_URLCONF="osms.pages.tests.urls_stub_services")
def test_home_routes_each_task_to_its_service(client):
    html = main(get(client, "/ru/"))
    for url in (
        "/ru/coverage/public_check/",
        "/ru/statements/list/",
        "/ru/clinics/my_attachment/",
        "/ru/temporary-status/list/",
        "/ru/appeals/new/",
        "/ru/information/",
        "/ru/accounts/register/",
    ):
        assert f'href="{url}"' in html, url


@override_settings(ROOT_URLCONF="osms.pages.tests.urls_without_services")
def test_home_and_pages_work_before_the_services_ship(client):
    html = main(get(client, "/ru/"))
    for url in (
        "/ru/information/checking-status/",
        "/ru/information/checking-status/#payments",
        "/ru/information/care-in-2026/#attach",
        "/ru/information/getting-status/#temporary",
        "/ru/information/patient-rights/#channels",
    ):
        assert f'href="{url}"' in html, url
    for slug in catalogue.PAGES:
        get(client, page_url(slug, "ru"))
    assert "/statements/" not in get(client, page_url("checking-status", "ru"))


def test_signed_in_citizen_sees_no_register_task(client, citizen):
    client.force_login(citizen)
    assert 'href="/ru/accounts/register/"' not in main(get(client, "/ru/"))


# --- search --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "query", "slug"),
    [
        ("ru", "предоплата", "getting-status"),
        ("ru", "оплата вперёд", "getting-status"),
        ("kk", "алдын ала төлеу", "getting-status"),
        ("kk", "сактандырылу мартебесин тексеру", "checking-status"),
        ("en", "prepayment", "getting-status"),
        ("en", "Damumed", "checking-status"),
        ("ru", "иногородних студентов", "care-in-2026"),
        ("ru", "льготная категория временный статус", "benefit-categories"),
        ("ru", "сезонным работникам", "faq"),
        ("kk", "ТМККК", "free-care"),
        ("en", "posthumous donor", "insurance-package"),
        ("ru", "участкового врача", "care-in-2026"),
        ("en", "registration number", "patient-rights"),
        ("ru", "ГПХ", "who-pays"),
    ],
)
def test_search_finds_the_page_in_the_current_language(client, language, query, slug):
    html = main(get(client, f"/{language}/information/search/?q={query}"))
    links = re.findall(r'<h3[^>]*><a class="govuk-link" href="([^"]+)"', html)
    assert links, html
    assert any(link.startswith(f"/{language}/information/{slug}/") for link in links[:3]), links


def test_search_links_the_section_and_marks_the_words(client):
    html = main(get(client, "/ru/information/search/?q=предоплата"))
    first = re.search(r'<h3[^>]*><a class="govuk-link" href="([^"]+)"', html).group(1)
    assert first in ("/ru/information/getting-status/#prepay", "/ru/information/getting-status/#which")
    assert "<mark>предоплат" in html.lower()


def test_search_reads_only_the_current_language(client):
    html = main(get(client, "/ru/information/search/?q=prepayment"))
    assert 'id="results-heading"' in html and "<mark>" not in html
    assert selectors.pages_search(query="prepayment", language="ru", on=NOW.date()) == []
    assert selectors.pages_search(query="prepayment", language="en", on=NOW.date())


def test_search_escapes_the_query_and_says_when_nothing_is_found(client):
    html = main(get(client, "/en/information/search/?q=%3Cscript%3Ealert(1)%3C/script%3E"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="/en/information/faq/"' in html  # every page offered instead


def test_search_without_a_query_shows_only_the_box(client):
    html = main(get(client, "/kk/information/search/"))
    assert 'id="results-heading"' not in html and 'name="q"' in html


def test_search_index_is_built_once_per_language_and_day(django_assert_max_num_queries):
    selectors.search_index(language="ru", on=NOW.date())
    with django_assert_max_num_queries(2):  # the categories, to see whether they changed
        first = selectors.search_index(language="ru", on=NOW.date())
        assert selectors.search_index(language="ru", on=NOW.date()) is first
