"""Pages of the coverage area: the public status check, "My status" in the cabinet, the calculator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from osms.core.client_address import client_ip
from osms.core.db_router import replica_reads
from osms.core.page_cache import anonymous_get, cached_page
from osms.representation.acting import acting_subject

from . import calculator, services
from .forms import CalculatorForm, InsuredOnForm, StatusCheckForm
from .models import BenefitCategory, StatusLookup
from .periods import Period
from .rates import known_years, latest_complete_year
from .rules import DEBT_WINDOW_MONTHS, PREPAID_RUN_MONTHS, RECOMMEND_PREPAY, monthly_contribution
from .selectors import mzp_table, payments_received_since, rates_table, status_answer, timeline_of
from .timeline import labelled
from .timeline import legend as timeline_legend


def _limit(name: str) -> str:
    return settings.RATELIMITS[name]


def client_address(request: HttpRequest) -> str:
    return client_ip(request)


@never_cache
@ratelimit(key="ip", rate=lambda g, r: _limit("public_lookup"), method="POST", block=True)
@replica_reads
def status_check(request: HttpRequest) -> HttpResponse:
    """Public: an IIN in; out only insured or not and the month it holds until (docs/domain.md §13).
    The empty form and each of the few possible answers are whole pages rendered once per process
    for anonymous visitors (osms/core/page_cache.py); a form with errors is always rendered."""
    if request.method != "POST":
        return cached_page(
            request, ("form",), lambda: render(request, _STATUS_CHECK, {"form": StatusCheckForm(), "result": None})
        )
    form = StatusCheckForm(request.POST)
    if form.is_valid():
        today = timezone.localdate()
        answer = status_answer(iin=form.cleaned_data["iin"], on=today)
        services.status_lookup_log(
            channel=StatusLookup.Channel.PUBLIC,
            iin=answer.iin,
            on=today,
            insured=answer.insured,
            client=client_address(request),
        )
        # Only these three facts leave the server: no name, rule, category, payment or debt.
        result = {
            "insured": answer.insured,
            "until": None if answer.covered_until_period is None else answer.covered_until_period.first_day,
            "on": today,
        }
        # the IIN is not echoed back into the page: the form under the answer is empty
        return cached_page(
            request,
            ("result", result["insured"], result["until"]),
            lambda: render(request, _STATUS_CHECK, {"form": StatusCheckForm(), "result": result}),
        )
    return render(request, _STATUS_CHECK, {"form": form, "result": None})


_STATUS_CHECK = "coverage/status_check.html"


@dataclass(frozen=True)
class DebtLine:
    month: dt.date
    amount: Decimal


@login_required
@never_cache
@replica_reads
def my_status(request: HttpRequest) -> HttpResponse:
    """The cabinet: the whole answer explained, the last 12 months of payments, the ways back."""
    today = timezone.localdate()
    subject = acting_subject(request)
    iin = subject.iin  # the ward's, when a representative acts for them
    asked_form = InsuredOnForm(request.GET if "on" in request.GET else None, today=today)
    asked = asked_form.cleaned_data["on"] if asked_form.is_bound and asked_form.is_valid() else None
    answer = status_answer(iin=iin, on=today)
    mzp = mzp_table()
    m0 = Period.of(today)
    year_ago = (m0 - DEBT_WINDOW_MONTHS).first_day
    category = None
    if answer.benefit_category is not None:
        category = BenefitCategory.objects.filter(number=answer.benefit_category).first()
    monthly_now = monthly_contribution(mzp=mzp, year=today.year)
    context = {
        "answer": answer,
        "today": today,
        "category": category,
        "last_covered": None if answer.last_covered_period is None else answer.last_covered_period.first_day,
        "covered_until": None if answer.covered_until_period is None else answer.covered_until_period.first_day,
        "prepaid_from": answer.prepaid_run[0].first_day if answer.prepaid_run else None,
        "prepaid_to": answer.prepaid_run[1].first_day if answer.prepaid_run else None,
        "payments": payments_received_since(iin=iin, since=year_ago, until=today),
        "payments_since": year_ago,
        "debt": [DebtLine(month=period.first_day, amount=price) for period, price in answer.debt_breakdown],
        "debt_months": len(answer.debt_periods),
        "monthly_now": monthly_now,
        "prepay_each": (answer.prepay_amount / PREPAID_RUN_MONTHS).quantize(Decimal("0.01")),
        "prepay_first": m0.first_day,
        "prepay_last": (m0 + (PREPAID_RUN_MONTHS - 1)).first_day,
        "prepay_next_first": (m0 + 1).first_day,
        "nothing_paid_last_year": len(answer.debt_periods) == DEBT_WINDOW_MONTHS,
        "recommend_prepay": answer.recommendation == RECOMMEND_PREPAY,
        "timeline": labelled(timeline_of(answer=answer, asked=asked)),
        "timeline_legend": timeline_legend(),
        "asked_form": asked_form,
        "asked": None if asked is None else status_answer(iin=iin, on=asked),
        # While acting for a ward the page speaks of them by name ("Аяла is insured").
        "ward_name": subject.ward.person.first_name if subject.for_ward else "",
    }
    if context["asked"] is not None and context["asked"].benefit_category is not None:
        context["asked_category"] = BenefitCategory.objects.filter(number=context["asked"].benefit_category).first()
    return render(request, "coverage/my_status.html", context)


def _money(value: Decimal) -> str:
    return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def _step_text(step: calculator.CalculationStep, result: calculator.Calculation) -> str:
    value = _money(step.value)
    params = step.params
    if step.code == calculator.STEP_MZP:
        return _("The minimum monthly wage (MZP) of %(year)s is %(value)s tenge.") % {
            "year": params["year"],
            "value": value,
        }
    if step.code == calculator.STEP_INCOME:
        return _("Income from job %(job)s: %(value)s tenge.") % {"job": params["job"], "value": value}
    if step.code == calculator.STEP_INCOME_TOTAL:
        return _("Income from all %(jobs)s jobs together: %(value)s tenge.") % {"jobs": params["jobs"], "value": value}
    if step.code == calculator.STEP_CAP:
        return _("The base is at most %(times)s MZP: %(value)s tenge.") % {
            "times": params["mzp_multiplier"],
            "value": value,
        }
    if step.code == calculator.STEP_BASE:
        if "mzp_multiplier" in params:
            return _("The law fixes the base at %(times)s MZP: %(value)s tenge.") % {
                "times": number_format(params["mzp_multiplier"], use_l10n=True),
                "value": value,
            }
        if params.get("capped"):
            return _("The income is above the cap, so the payment is computed on the cap: %(value)s tenge.") % {
                "value": value
            }
        return _("The income is below the cap, so the payment is computed on the income: %(value)s tenge.") % {
            "value": value
        }
    if step.code == calculator.STEP_RATE:
        return _("The rate is %(percent)s%% of the base.") % {
            "percent": number_format(step.value * 100, use_l10n=True).rstrip("0").rstrip(".,")
        }
    if step.code == calculator.STEP_AMOUNT:
        return _("Each month: %(base)s × %(percent)s%% = %(value)s tenge.") % {
            "base": _money(result.base),
            "percent": number_format(result.rate * 100, use_l10n=True).rstrip("0").rstrip(".,"),
            "value": value,
        }
    return value


@replica_reads
@anonymous_get
def contribution_calculator(request: HttpRequest) -> HttpResponse:
    """Public: who pays how much a month (docs/domain.md §3), with the caps and how it was computed.

    Only years with a known МЗП and sourced rates are offered; the result names its year."""
    mzp = mzp_table()
    rates = rates_table()
    offered = {year: rates[year] for year in known_years(rates=rates, mzp=mzp)}
    this_year = timezone.localdate().year
    default = this_year if this_year in offered else latest_complete_year(rates=rates, mzp=mzp)
    data = request.GET if "payer_type" in request.GET else None
    form = CalculatorForm(data, rates=offered, initial={"year": default})
    result = steps = None
    if data is not None and form.is_valid():
        cleaned = form.cleaned_data
        income = cleaned.get("income")
        if cleaned.get("second_income") is not None and income is not None:
            income = [income, cleaned["second_income"]]
        result = calculator.contribution(
            payer_type=cleaned["payer_type"], year=cleaned["year"], income=income, mzp=mzp, rates=rates
        )
        steps = [_step_text(step, result) for step in result.steps]
    context = {"form": form, "result": result, "steps": steps, "this_year": this_year, "offered": list(offered)}
    return render(request, "coverage/calculator.html", context)
