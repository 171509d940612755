"""The vocabulary of the status rules (docs/domain.md §4, §13): the КНП codes, the rules' names,
the facts a decision is made from (payments, benefit memberships) and the answer it gives.
`osms/coverage/rules.py` decides; this module only names what it decides over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final, Literal

from osms.coverage.periods import Period

from .mzp import _money

KNP_DEDUCTION: Final = "121"  # отчисления (employer)
KNP_CONTRIBUTION: Final = "122"  # взносы (employee, self-payer, entrepreneur, relative)
KNP_PENALTY_DEDUCTION: Final = "123"  # пеня on отчисления: never covers
KNP_PENALTY_CONTRIBUTION: Final = "124"  # пеня on взносы: never covers
_COVERING_KNP: Final = frozenset({KNP_DEDUCTION, KNP_CONTRIBUTION})

PREPAID_RULE_SINCE: Final = date(2022, 9, 5)  # the amendment that introduced prepaying a year
PREPAID_RUN_MONTHS: Final = 12
GRACE_MONTHS: Final = 3  # status kept three months after the last covered month
DEBT_WINDOW_MONTHS: Final = 12  # debt is counted over the 12 months before M0

RULE_BENEFIT: Final = "benefit"
RULE_PREPAID: Final = "prepaid"
RULE_REGULAR: Final = "regular"
RULE_NONE: Final = "none"
Rule = Literal["benefit", "prepaid", "regular", "none"]

RECOMMEND_PAY_DEBT: Final = "pay_debt"
RECOMMEND_PREPAY: Final = "prepay"
RECOMMEND_NONE: Final = "none"
Recommendation = Literal["pay_debt", "prepay", "none"]


def payer_is_organisation(payer_id: str) -> bool:
    """True when the payer id is a BIN (an organisation), False for an IIN (an individual).

    Decision: BIN iff the digit at index 4 is 4, 5 or 6 (docs/domain.md §2: BIN = YYMM + type digit).
    In an IIN that digit is the first digit of the birth day, 0-3, so the two never collide and
    no date parsing is needed on the hot path. Anything that is not 12 digits is treated as an
    individual: the conservative side, since an individual's payment must reach 5% of МЗП to
    cover a month while an organisation's covers it at any amount.
    """
    return len(payer_id) == 12 and payer_id.isdigit() and payer_id[4] in "456"


@dataclass(frozen=True, slots=True)
class PaymentFact:
    """One payment row for the person (docs/domain.md §13 payments register)."""

    received: date  # Дата поступления: only payments received on or before D count on D
    period: Period  # the month paid for
    amount: Decimal
    knp: str  # 121 отчисления, 122 взносы, 123/124 пеня
    payer_id: str  # IIN of an individual or BIN of an organisation
    returned: bool = False  # returned (Статус "возврат"): never counts


@dataclass(frozen=True, slots=True)
class MembershipFact:
    """A benefit-category membership (registry or temporary status granted by the Fund)."""

    category: int  # 1-15, docs/domain.md §5
    start: date
    end: date | None  # last day of membership, inclusive; None = open-ended
    temporary: bool = False

    def active_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class StatusAnswer:
    """The status of one person on one date: the §13 fields, then extras for explaining it."""

    iin: str
    on: date
    insured: bool
    rule: Rule
    benefit_category: int | None
    last_covered_period: Period | None  # L: the latest covered month <= M0
    covered_until_period: Period | None
    debt_periods: tuple[Period, ...]
    debt_amount: Decimal
    prepay_amount: Decimal
    recommendation: Recommendation
    # Not part of the JSON: what a page needs to explain the answer to a citizen.
    grace: bool = False  # insured by rule 3 while L < M0: status kept, debt accruing
    prepaid_run: tuple[Period, Period] | None = None  # first and last month of the run (rule 2)
    debt_breakdown: tuple[tuple[Period, Decimal], ...] = ()  # each debt month with its price

    def as_json_dict(self) -> dict[str, object]:
        """Exactly the §13 JSON shape: periods as "MMYYYY", money as "8500.00", date ISO."""

        def period(value: Period | None) -> str | None:
            return None if value is None else value.code

        return {
            "iin": self.iin,
            "on": self.on.isoformat(),
            "insured": self.insured,
            "rule": self.rule,
            "benefit_category": self.benefit_category,
            "last_covered_period": period(self.last_covered_period),
            "covered_until_period": period(self.covered_until_period),
            "debt_periods": [p.code for p in self.debt_periods],
            "debt_amount": format(_money(self.debt_amount), "f"),
            "prepay_amount": format(_money(self.prepay_amount), "f"),
            "recommendation": self.recommendation,
        }
