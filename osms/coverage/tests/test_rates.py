"""Contribution rates per year (ADR 0603): the calculator offers only the years whose rates are
sourced and names the year of its figure; administrators keep the rates, audited."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import time_machine
from auditlog.models import LogEntry
from django.urls import reverse

from osms.accounts.models import Role
from osms.accounts.roles import roles_sync
from osms.coverage.models import ContributionRates
from osms.coverage.selectors import rates_table

pytestmark = pytest.mark.django_db

ROW_2026 = {
    "year": "2026",
    "source": "Закон об ОСМС, ст. 27, 28",
    "employer_rate": "0.03",
    "employee_rate": "0.02",
    "base_cap_mzp": "20",
    "entrepreneur_rate": "0.05",
    "entrepreneur_base_mzp": "1.4",
    "self_payer_rate": "0.05",
    "self_payer_base_mzp": "1",
    "state_contribution": "",
    "state_persons": "",
}


def calc(client, **params) -> str:
    return client.get(reverse("coverage:calculator"), params).content.decode()


def offered_years(html: str) -> list[str]:
    select = html[html.index('name="year"') : html.index("</select>", html.index('name="year"'))]
    return re.findall(r'<option value="(\d+)"', select)


@time_machine.travel("2026-11-23 10:00 +05:00", tick=False)
def test_the_calculator_offers_only_years_with_sourced_rates(client):
    html = calc(client)
    assert offered_years(html) == ["2025", "2024", "2023"]  # never 2026 or 2020–2022: no source
    assert re.search(r'<option value="2024"[^>]*selected', html)  # this year is not known: the newest complete one
    assert "self-payers only" in html  # 2023 and 2025 give the self-payer's sum only
    assert 'id="calculation-years-note"' in html and "2026" in html


@time_machine.travel("2026-11-23 10:00 +05:00", tick=False)
def test_the_figure_says_which_year_it_is_for(client):
    html = calc(client, payer_type="self_payer", year="2023")
    assert "3,500.00" in html
    year_line = html[html.index('id="calculation-year"') :]
    assert "2023" in year_line[:200]
    assert 'id="calculation-other-year"' in html  # not this year's figure, and it says so


def test_a_payer_without_a_sourced_rate_in_that_year_gets_no_sum(client):
    html = calc(client, payer_type="employer", year="2023", income="300000")
    assert "govuk-error-summary" in html and 'id="calculation-result"' not in html
    assert "no sourced rate of 2023" in html and "2024" in html
    assert 'value="300000"' in html  # what was entered is kept


def test_a_year_not_offered_is_refused_not_computed_with_another_years_rates(client):
    html = calc(client, payer_type="self_payer", year="2020")
    assert "govuk-error-summary" in html and 'id="calculation-result"' not in html


@pytest.fixture
def admin_client(make_user, staff_client):
    roles_sync()
    return staff_client(make_user(role=Role.ADMINISTRATOR))


@time_machine.travel("2026-11-23 10:00 +05:00", tick=False)
def test_an_administrator_adds_a_years_rates_audited_and_the_calculator_offers_it(admin_client, client):
    response = admin_client.post(reverse("admin:coverage_contributionrates_add"), ROW_2026)
    assert response.status_code == 302, response.content.decode()[:3000]
    row = ContributionRates.objects.get(year=2026)
    assert row.base_cap_mzp == 20 and row.source.startswith("Закон")
    entry = LogEntry.objects.get_for_object(row).get()
    assert entry.actor is not None and entry.actor.groups.filter(name=Role.ADMINISTRATOR).exists()
    assert rates_table()[2026].employer_rate == Decimal("0.03")
    html = client.get(reverse("coverage:calculator"), {"payer_type": "employer", "year": "2026", "income": "3000000"})
    html = html.content.decode()
    assert "51,000.00" in html  # 3% of 20 x 85 000, the new row's own cap
    assert 'id="calculation-other-year"' not in html


def test_an_edit_of_a_years_rates_is_audited_with_what_changed(admin_client):
    url = reverse("admin:coverage_contributionrates_change", args=[2024])
    form = admin_client.get(url).content.decode()
    assert "001_99b44c75e1ab6667.txt" in form  # the source is shown beside the rates
    data = {**ROW_2026, "year": "2024", "source": "001_99b44c75e1ab6667.txt", "base_cap_mzp": "10"}
    data |= {"employer_rate": "0.04", "state_contribution": "5800", "state_persons": "11000000"}
    assert admin_client.post(url, data).status_code == 302
    entry = LogEntry.objects.get_for_object(ContributionRates.objects.get(year=2024)).latest("timestamp")
    assert "employer_rate" in entry.changes_dict


def test_an_unusable_row_is_refused_with_a_reason(admin_client):
    data = {**ROW_2026, "employer_rate": "3", "base_cap_mzp": "", "source": ""}
    response = admin_client.post(reverse("admin:coverage_contributionrates_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "errorlist" in html and not ContributionRates.objects.filter(year=2026).exists()


def test_fund_officers_read_the_rates_but_do_not_change_them(make_user, staff_client):
    roles_sync()
    officer = staff_client(make_user(role=Role.FUND_OFFICER))
    assert officer.get(reverse("admin:coverage_contributionrates_changelist")).status_code == 200
    assert officer.post(reverse("admin:coverage_contributionrates_add"), ROW_2026).status_code == 403
    assert not ContributionRates.objects.filter(year=2026).exists()
