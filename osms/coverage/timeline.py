"""The coverage timeline on "My status": the last 24 months and the months ahead, one state each.

Pure functions over what the rules decide (docs/adr/0106): each month's state comes from
`rules.months_decided` (the same `_decide` that answers the status) and from the status answer's
own debt months; nothing here re-states a rule. The states, in the order they are tried:

- benefit: a benefit membership covers at least one day of the month (rule 1);
- prepaid: the month is inside a prepaid run (rule 2);
- paid: a payment covers the month;
- debt: unpaid and owed now (the status answer's debt months);
- grace: unpaid, the status kept by the three grace months (rule 3);
- none: unpaid and not owed: before the 12 months the debt counts, or ahead when nothing holds it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .periods import Period
from .rules import (
    RULE_BENEFIT,
    RULE_NONE,
    RULE_PREPAID,
    MembershipFact,
    MonthDecision,
    PaymentFact,
    StatusAnswer,
    months_decided,
)

PAST_MONTHS: Final = 24  # the strip starts 24 months before the current one
AHEAD_MIN: Final = 6  # at least half a year ahead ...
AHEAD_MAX: Final = 15  # ... and far enough for a prepaid year and its grace

STATE_BENEFIT: Final = "benefit"
STATE_PREPAID: Final = "prepaid"
STATE_PAID: Final = "paid"
STATE_DEBT: Final = "debt"
STATE_GRACE: Final = "grace"
STATE_NONE: Final = "none"
STATES: Final = (STATE_PAID, STATE_BENEFIT, STATE_PREPAID, STATE_GRACE, STATE_DEBT, STATE_NONE)


@dataclass(frozen=True)
class StateLegend:
    code: str
    letter: str  # a second signal besides the colour and the pattern, shown in the cell
    label: str
    meaning: str


def legend() -> list[StateLegend]:
    """The legend in the current language, in the order the states are shown."""
    return [
        StateLegend(
            STATE_PAID,
            pgettext_lazy("timeline letter: paid", "P"),
            _("Paid"),
            _("a payment for the month reached the Fund"),
        ),
        StateLegend(
            STATE_BENEFIT,
            pgettext_lazy("timeline letter: benefit", "B"),
            _("Benefit"),
            _("a benefit category: the state pays"),
        ),
        StateLegend(
            STATE_PREPAID,
            pgettext_lazy("timeline letter: prepaid", "Y"),
            _("Prepaid year"),
            _("one of twelve months paid ahead, each separately"),
        ),
        StateLegend(
            STATE_GRACE,
            pgettext_lazy("timeline letter: grace", "G"),
            _("Grace month"),
            _("unpaid, the status kept for three months after the last paid month"),
        ),
        StateLegend(
            STATE_DEBT,
            pgettext_lazy("timeline letter: debt", "D"),
            _("Debt"),
            _("unpaid and owed now: one of the 12 months before this one"),
        ),
        StateLegend(
            STATE_NONE,
            pgettext_lazy("timeline letter: not covered", "–"),
            _("Not covered"),
            _("unpaid and not owed: outside the 12 months of debt, or ahead with nothing paid"),
        ),
    ]


@dataclass(frozen=True)
class TimelineMonth:
    period: Period
    state: str
    rule: str  # the rule that held when the month was judged (rules.RULE_*)
    judged_on: dt.date
    current: bool  # the month of the status date
    asked: bool  # the month of the date asked about ("Was I insured on …?")
    price: Decimal | None  # what a debt month costs

    @property
    def insured(self) -> bool:
        """Insured when the month was judged (a benefit month: on at least one of its days)."""
        return self.rule != RULE_NONE or self.state == STATE_BENEFIT

    @property
    def first_day(self) -> dt.date:
        return self.period.first_day


def month_state(decision: MonthDecision, *, owed: bool) -> str:
    """The state of one decided month; `owed` is whether the status answer counts it as debt."""
    if decision.benefit_category is not None or decision.rule == RULE_BENEFIT:
        return STATE_BENEFIT
    if decision.rule == RULE_PREPAID:
        return STATE_PREPAID
    if decision.covered:
        return STATE_PAID
    if owed:
        return STATE_DEBT
    if decision.rule != RULE_NONE:
        return STATE_GRACE
    return STATE_NONE


def window(*, answer: StatusAnswer) -> tuple[Period, Period]:
    """From 24 months back to at least 6 ahead, and one month past the status's end when it is near."""
    m0 = Period.of(answer.on)
    ahead = AHEAD_MIN
    if answer.covered_until_period is not None:
        ahead = max(ahead, min(AHEAD_MAX, (answer.covered_until_period - m0) + 1))
    return m0 - PAST_MONTHS, m0 + ahead


def coverage_timeline(
    *,
    answer: StatusAnswer,
    payments: Iterable[PaymentFact],
    memberships: Iterable[MembershipFact],
    mzp: Mapping[int, Decimal],
    asked: dt.date | None = None,
) -> list[TimelineMonth]:
    """The strip of months for the person of `answer`, as known on its date."""
    first, last = window(answer=answer)
    decisions = months_decided(
        on=answer.on, payments=payments, memberships=memberships, mzp=mzp, first=first, last=last
    )
    owed = dict(answer.debt_breakdown)
    m0 = Period.of(answer.on)
    asked_month = None if asked is None else Period.of(asked)
    return [
        TimelineMonth(
            period=decision.period,
            state=month_state(decision, owed=decision.period in owed),
            rule=decision.rule,
            judged_on=decision.judged_on,
            current=decision.period == m0,
            asked=decision.period == asked_month,
            price=owed.get(decision.period),
        )
        for decision in decisions
    ]


@dataclass(frozen=True)
class YearOfMonths:
    year: int
    months: list[tuple[TimelineMonth, StateLegend]]


def labelled(months: list[TimelineMonth]) -> list[YearOfMonths]:
    """The strip as the template draws it: cut at each January, each month with its legend entry."""
    entries = {entry.code: entry for entry in legend()}
    years: list[YearOfMonths] = []
    for month in months:
        if not years or years[-1].year != month.period.year:
            years.append(YearOfMonths(month.period.year, []))
        years[-1].months.append((month, entries[month.state]))
    return years
