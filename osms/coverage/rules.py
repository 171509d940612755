"""Insured status (статус застрахованности), debt and the way back: docs/domain.md §4 and §13.

Pure functions over plain facts: no ORM, no database, no clock. The same decision serves the
public check, the cabinet, the statement, the partners' JSON and the command line, so it must
not depend on where the facts came from or on when it runs: the status date is an argument and
only payments that reached the Fund by that date count ("was this person insured on the day of
admission?" has one answer that later payments do not rewrite).

Months are handled as integer ordinals (`Period.ordinal`) and coverage as sorted runs of
consecutive months, so one answer costs O(n log n) in the person's payments; this is called for
random IINs at national scale.

Decisions on points the specification leaves open (each also noted where it acts):
- IIN or BIN payer: see `payer_is_organisation`.
- МЗП of a year missing from the table: see `mzp_for_year`.
- A membership's `end` is its last day (inclusive). Memberships starting after D are not facts
  yet on D and are ignored, as payments received after D are (the answer for D must not change
  when a registry later adds a membership that starts after D).
- Rule 2 applies on dates from 5 September 2022, when the law introduced it.
- Rule 2 needs, for every month of the run, one single payment of at least 5% of МЗП; two
  halves cover the month (rule 3) but do not make it a prepaid month ("each with its own
  separate payment ... of at least 5%").
- Unknown КНП codes are treated like пеня: they never cover a month.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final

from osms.coverage.periods import Period

# The rules' vocabulary and facts (osms/coverage/facts.py): callers read them here too.
from .facts import (  # noqa: F401
    _COVERING_KNP,
    DEBT_WINDOW_MONTHS,
    GRACE_MONTHS,
    KNP_CONTRIBUTION,
    KNP_DEDUCTION,
    KNP_PENALTY_CONTRIBUTION,
    KNP_PENALTY_DEDUCTION,
    PREPAID_RULE_SINCE,
    PREPAID_RUN_MONTHS,
    RECOMMEND_NONE,
    RECOMMEND_PAY_DEBT,
    RECOMMEND_PREPAY,
    RULE_BENEFIT,
    RULE_NONE,
    RULE_PREPAID,
    RULE_REGULAR,
    MembershipFact,
    PaymentFact,
    Recommendation,
    Rule,
    StatusAnswer,
    payer_is_organisation,
)

# The МЗП and the 5% share are part of the rules' vocabulary: callers read them here too.
from .mzp import CONTRIBUTION_SHARE, DEFAULT_MZP, _money, monthly_contribution, mzp_for_year  # noqa: F401

_FOREVER: Final = 10**9  # ordinal standing for "no end" of an open-ended membership
# Safety net only: with finite facts the covered-until scan ends by itself (see _covered_until).
_MAX_SCAN_STEPS: Final = 10_000
_LAST_ORDINAL: Final = Period(9999, 12).ordinal


# --- the facts of one person as of D, indexed for the decision -------------------------------


def _ordinal(day: date) -> int:
    return day.year * 12 + day.month - 1


def _first_day(ordinal: int) -> date:
    year, month0 = divmod(ordinal, 12)
    return date(year, month0 + 1, 1)


def _runs(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge month intervals into sorted, disjoint runs; adjacent months join one run."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1] + 1:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


class _Facts:
    """Covered months and prepaid months of one person, as known on D.

    Everything here is fixed once D is: the later first-of-month judgements behind
    covered_until use the same facts ("with no new payments or memberships").
    """

    __slots__ = ("covered", "covered_starts", "memberships", "prepaid", "prepaid_starts")

    def __init__(
        self,
        *,
        on: date,
        payments: Iterable[PaymentFact],
        memberships: Iterable[MembershipFact],
        mzp: Mapping[int, Decimal],
    ) -> None:
        thresholds: dict[int, Decimal] = {}

        def threshold(ordinal: int) -> Decimal:
            year = ordinal // 12
            if year not in thresholds:
                thresholds[year] = monthly_contribution(mzp=mzp, year=year)
            return thresholds[year]

        by_organisation: set[int] = set()
        by_individuals: dict[int, Decimal] = {}
        prepaid_months: set[int] = set()
        for payment in payments:
            # Returned, late (after D) and пеня rows never cover anything.
            if payment.returned or payment.received > on or payment.knp not in _COVERING_KNP:
                continue
            month = payment.period.ordinal
            if payment_by_org := payer_is_organisation(payment.payer_id):
                by_organisation.add(month)
            else:
                by_individuals[month] = by_individuals.get(month, Decimal(0)) + payment.amount
            if not payment_by_org and payment.knp == KNP_CONTRIBUTION and payment.amount >= threshold(month):
                prepaid_months.add(month)

        covered_months = by_organisation | {
            month for month, total in by_individuals.items() if total >= threshold(month)
        }
        # Memberships starting after D are not facts on D (module docstring).
        self.memberships = tuple(m for m in memberships if m.start <= on and (m.end is None or m.end >= m.start))
        intervals = [(month, month) for month in covered_months]
        intervals += [(_ordinal(m.start), _FOREVER if m.end is None else _ordinal(m.end)) for m in self.memberships]
        self.covered = _runs(intervals)
        self.covered_starts = [start for start, _ in self.covered]
        self.prepaid = [
            run
            for run in _runs((month, month) for month in prepaid_months)
            if run[1] - run[0] + 1 >= PREPAID_RUN_MONTHS
        ]
        self.prepaid_starts = [start for start, _ in self.prepaid]

    def is_covered(self, month: int) -> bool:
        i = bisect_right(self.covered_starts, month) - 1
        return i >= 0 and self.covered[i][1] >= month

    def latest_covered(self, month: int) -> tuple[int, int] | None:
        """(L, first month of the covered run ending at L) for the latest covered L <= month."""
        i = bisect_right(self.covered_starts, month) - 1
        if i < 0:
            return None
        start, end = self.covered[i]
        return min(end, month), start

    def prepaid_run_at(self, month: int) -> tuple[int, int] | None:
        i = bisect_right(self.prepaid_starts, month) - 1
        if i >= 0 and self.prepaid[i][1] >= month:
            return self.prepaid[i]
        return None

    def active_membership(self, day: date) -> MembershipFact | None:
        """The membership active on `day` that holds longest (open-ended first).

        Preferring the longest one makes covered_until exact; ties go to a permanent
        membership over a temporary one, then to the lower category number, so the category
        shown is stable.
        """
        active = [m for m in self.memberships if m.active_on(day)]
        if not active:
            return None
        return min(
            active,
            key=lambda m: (m.end is not None, -(m.end or date.max).toordinal(), m.temporary, m.category),
        )


@dataclass(frozen=True, slots=True)
class _Decision:
    rule: Rule
    membership: MembershipFact | None = None
    prepaid_run: tuple[int, int] | None = None


def _decide(facts: _Facts, day: date) -> _Decision:
    """Rules 1-3 of §4 in order, on one day, for facts already limited to what was known on D."""
    month = _ordinal(day)
    membership = facts.active_membership(day)
    if membership is not None:
        return _Decision(RULE_BENEFIT, membership=membership)
    if day >= PREPAID_RULE_SINCE:
        run = facts.prepaid_run_at(month)
        if run is not None:
            return _Decision(RULE_PREPAID, prepaid_run=run)
    latest = facts.latest_covered(month)
    if latest is not None:
        last, run_start = latest
        # L >= M0 - 3, and every month from M0 - 12 to L covered: L's covered run starts early enough.
        if last >= month - GRACE_MONTHS and run_start <= month - DEBT_WINDOW_MONTHS:
            return _Decision(RULE_REGULAR)
    return _Decision(RULE_NONE)


def _insured_through(decision: _Decision, month: int) -> int | None:
    """The last month surely insured given the decision for `month`; None = open-ended.

    Jumping over these months is exact because covered_until asks only whether each month is
    insured, not by which rule. A membership active on the first day of `month` is active on
    the first day of every month up to the month of its end (it began on or before D), so each
    of those months is insured by rule 1; a prepaid run holds each month inside it by rule 2.
    """
    if decision.rule == RULE_BENEFIT:
        assert decision.membership is not None  # nosec B101 # narrows the type: a benefit decision always has its membership
        if decision.membership.end is None:
            return None
        return max(month, _ordinal(decision.membership.end))
    if decision.rule == RULE_PREPAID:
        assert decision.prepaid_run is not None  # nosec B101 # narrows the type: a prepaid decision always has its run
        return decision.prepaid_run[1]
    return month


def _covered_until(facts: _Facts, on: date, decision: _Decision) -> int | None:
    """The last month M such that every month M0..M is insured with no new facts.

    M0 is judged on D itself (the answer's own decision); each later month is judged on its
    first day, by the very same `_decide`, so the 3-month grace after a prepaid run, after a
    benefit that ends, or after the last regular payment comes out of the rules themselves
    rather than being special-cased. Decisions this implies:
    - a benefit ending inside a month covers that month (one day suffices) and the person is
      insured on its first day by rule 1; the grace of rule 3 then runs from that month when
      the 12 months before are covered;
    - a membership ending on the last day of a month does not reach the next month's first day.
    The scan ends by itself: months insured by rule 1 or 2 are jumped over, and rule 3 holds
    at most 3 months past the last covered month, of which there are finitely many.
    """
    if decision.rule == RULE_NONE:
        return None
    through = _insured_through(decision, _ordinal(on))
    for _ in range(_MAX_SCAN_STEPS):
        if through is None:
            return None
        if through + 1 >= _LAST_ORDINAL:  # a far-future period in the data; nothing to judge past it
            return through
        later = _decide(facts, _first_day(through + 1))
        if later.rule == RULE_NONE:
            return through
        through = _insured_through(later, through + 1)
    return through


def status_on(
    *,
    iin: str,
    on: date,
    payments: Iterable[PaymentFact],
    memberships: Iterable[MembershipFact],
    mzp: Mapping[int, Decimal],
) -> StatusAnswer:
    """The insured status of the person `iin` on the date `on` (docs/domain.md §4), as §13 answers it.

    `payments` and `memberships` are all the facts stored for the person; this function
    filters them to what was known on `on`. The IIN is not validated here: an invalid IIN is
    the caller's error (osms.core checks it), an IIN with no facts is simply not insured.
    """
    facts = _Facts(on=on, payments=payments, memberships=memberships, mzp=mzp)
    decision = _decide(facts, on)
    m0 = _ordinal(on)
    insured = decision.rule != RULE_NONE

    latest = facts.latest_covered(m0)
    last_covered = None if latest is None else latest[0]

    # Rules 1 and 2 owe nothing: prepaying exists so that last year's debt need not be paid.
    debt: list[tuple[Period, Decimal]] = []
    if decision.rule in (RULE_REGULAR, RULE_NONE):
        for month in range(m0 - DEBT_WINDOW_MONTHS, m0):
            if not facts.is_covered(month):
                period = Period.from_ordinal(month)
                debt.append((period, monthly_contribution(mzp=mzp, year=period.year)))
    debt_amount = _money(sum((price for _, price in debt), Decimal(0)))
    prepay_amount = _money(PREPAID_RUN_MONTHS * monthly_contribution(mzp=mzp, year=on.year))

    if insured:
        recommendation: Recommendation = RECOMMEND_NONE
    elif len(debt) == DEBT_WINDOW_MONTHS or debt_amount >= prepay_amount:
        # Nothing paid in the last year ("не оплачивать весь предыдущий год"), or debt dearer.
        recommendation = RECOMMEND_PREPAY
    else:
        recommendation = RECOMMEND_PAY_DEBT

    until = _covered_until(facts, on, decision)
    run = decision.prepaid_run
    return StatusAnswer(
        iin=iin,
        on=on,
        insured=insured,
        rule=decision.rule,
        benefit_category=None if decision.membership is None else decision.membership.category,
        last_covered_period=None if last_covered is None else Period.from_ordinal(last_covered),
        covered_until_period=None if until is None else Period.from_ordinal(until),
        debt_periods=tuple(period for period, _ in debt),
        debt_amount=debt_amount,
        prepay_amount=prepay_amount,
        recommendation=recommendation,
        grace=decision.rule == RULE_REGULAR and last_covered is not None and last_covered < m0,
        prepaid_run=None if run is None else (Period.from_ordinal(run[0]), Period.from_ordinal(run[1])),
        debt_breakdown=tuple(debt),
    )


# --- month by month: the coverage timeline (docs/adr/0106) -----------------------------------


@dataclass(frozen=True, slots=True)
class MonthDecision:
    """How the rules see one month with the facts known on D: the unit of the coverage timeline."""

    period: Period
    judged_on: date  # the day the month was judged on (see months_decided)
    rule: Rule  # the rule that held on that day with the facts known on D
    covered: bool  # a payment or a benefit membership known on D covers the month (§4)
    benefit_category: int | None  # a membership covering at least one day of the month, if any


def months_decided(
    *,
    on: date,
    payments: Iterable[PaymentFact],
    memberships: Iterable[MembershipFact],
    mzp: Mapping[int, Decimal],
    first: Period,
    last: Period,
) -> tuple[MonthDecision, ...]:
    """Every month from `first` to `last` judged by the same `_decide` with the facts known on `on`.

    M0 is judged on `on` itself (so it agrees with status_on), a later month on its first day (as
    covered_until judges it), an earlier month on its last day (the month as it ended). The facts
    stay those known on `on`: an employer pays a month in the next one, so judging a past month
    with only what was known then would show every paid month as a grace month.
    """
    facts = _Facts(on=on, payments=payments, memberships=memberships, mzp=mzp)
    m0 = _ordinal(on)
    decided = []
    for period in Period.range(first, last):
        month = period.ordinal
        day = on if month == m0 else (period.first_day if month > m0 else period.last_day)
        overlapping = [
            m for m in facts.memberships if m.start <= period.last_day and (m.end is None or m.end >= period.first_day)
        ]
        category = min((m.category for m in overlapping), default=None)
        decision = _decide(facts, day)
        if decision.membership is not None:
            category = decision.membership.category
        decided.append(MonthDecision(period, day, decision.rule, facts.is_covered(month), category))
    return tuple(decided)
