"""Insured status, debt, recommendation and the JSON answer, sentence by sentence from docs/domain.md §4, §13.

Expected values are computed by hand from the specification, with the shipped МЗП (§3):
2022: 60 000 -> 5% = 3 000; 2023: 70 000 -> 3 500; 2024 and 2025: 85 000 -> 4 250;
a prepayment in 2024 is 12 x 4 250 = 51 000.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

import pytest

from osms.coverage.periods import Period
from osms.coverage.rules import (
    DEFAULT_MZP,
    MembershipFact,
    PaymentFact,
    StatusAnswer,
    monthly_contribution,
    mzp_for_year,
    payer_is_organisation,
    status_on,
)

PERSON = "900101300018"  # the insured person, also paying for themself
RELATIVE = "650315400127"  # another individual (IIN: index 4 is the first digit of the day)
EMPLOYER = "990440001234"  # an organisation (BIN: index 4 is the type digit 4)


def per(code: str) -> Period:
    return Period.parse(code)


def codes(periods: Iterable[Period]) -> list[str]:
    return [p.code for p in periods]


def pay(
    period: str,
    amount: str = "4250",
    *,
    payer: str = PERSON,
    knp: str = "122",
    received: date | None = None,
    returned: bool = False,
) -> PaymentFact:
    """One payment; by default an individual's взнос received on the first day of its period."""
    month = per(period)
    return PaymentFact(
        received=received or month.first_day,
        period=month,
        amount=Decimal(amount),
        knp=knp,
        payer_id=payer,
        returned=returned,
    )


def employer_months(first: str, last: str, *, skip: Sequence[str] = ()) -> list[PaymentFact]:
    """An employer's monthly отчисления, small salary: organisations cover at any amount."""
    return [
        pay(p.code, "1500", payer=EMPLOYER, knp="121")
        for p in Period.range(per(first), per(last))
        if p.code not in skip
    ]


def prepaid_year(first: str, *, received: date, months: int = 12) -> list[PaymentFact]:
    """The Fund's recipe: 12 separate взносы of 5% of МЗП, one per period, paid together."""
    return [
        pay(p.code, str(monthly_contribution(mzp=DEFAULT_MZP, year=p.year)), received=received)
        for p in Period.range(per(first), per(first) + (months - 1))
    ]


def status(
    on: date,
    payments: Iterable[PaymentFact] = (),
    memberships: Iterable[MembershipFact] = (),
    mzp: dict[int, Decimal] | None = None,
) -> StatusAnswer:
    return status_on(iin=PERSON, on=on, payments=payments, memberships=memberships, mzp=mzp or DEFAULT_MZP)


# --- МЗП and payer kind ----------------------------------------------------------------------


def test_default_mzp_is_the_shipped_table() -> None:
    assert dict(DEFAULT_MZP) == {
        2020: Decimal("42500"),
        2021: Decimal("42500"),
        2022: Decimal("60000"),
        2023: Decimal("70000"),
        2024: Decimal("85000"),
        2025: Decimal("85000"),
        2026: Decimal("85000"),
    }


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2024, "85000"),  # known
        (2022, "42500"),  # missing: latest known year not after it is 2021 in this table
        (2030, "85000"),  # after the table: the last known
        (2015, "42500"),  # before the table: the earliest known (decision)
    ],
)
def test_missing_mzp_year_takes_latest_known_not_after_it(year: int, expected: str) -> None:
    table = {2021: Decimal("42500"), 2024: Decimal("85000")}
    assert mzp_for_year(mzp=table, year=year) == Decimal(expected)


def test_empty_mzp_table_is_an_error() -> None:
    with pytest.raises(ValueError):
        mzp_for_year(mzp={}, year=2024)


@pytest.mark.parametrize(
    ("year", "expected"), [(2020, "2125.00"), (2022, "3000.00"), (2023, "3500.00"), (2024, "4250.00")]
)
def test_monthly_contribution_is_five_percent_of_mzp(year: int, expected: str) -> None:
    assert monthly_contribution(mzp=DEFAULT_MZP, year=year) == Decimal(expected)


@pytest.mark.parametrize(
    ("payer_id", "organisation"),
    [
        ("990440001234", True),  # type digit 4
        ("050540000123", True),  # type digit 5
        ("180660012345", True),  # type digit 6
        ("900101300018", False),  # IIN, born on the 01st
        ("851231400123", False),  # IIN, born on the 31st: day digit 3
        ("", False),
        ("99044", False),  # not 12 digits: treated as an individual
    ],
)
def test_payer_is_organisation_by_the_bin_type_digit(payer_id: str, organisation: bool) -> None:
    assert payer_is_organisation(payer_id) is organisation


# --- a covered month -------------------------------------------------------------------------
# Probe: on 15.06.2024 with facts only for 062024, L is 062024 exactly when June is covered.

ON_JUNE = date(2024, 6, 15)


@pytest.mark.parametrize(
    ("payments", "covered"),
    [
        pytest.param([pay("062024", "1", payer=EMPLOYER, knp="121")], True, id="organisation-1-tenge-121"),
        pytest.param([pay("062024", "1", payer=EMPLOYER, knp="122")], True, id="organisation-withheld-122"),
        pytest.param([pay("062024", "4250")], True, id="individual-5-percent"),
        pytest.param([pay("062024", "5000")], True, id="individual-above-5-percent"),
        pytest.param([pay("062024", "4249.99")], False, id="individual-one-tiyn-short"),
        pytest.param([pay("062024", "4250", payer=RELATIVE)], True, id="relative-pays"),
        pytest.param([pay("062024", "4250", knp="121")], True, id="individual-121-at-5-percent"),
        pytest.param(
            [pay("062024", "2000"), pay("062024", "2250", payer=RELATIVE)], True, id="two-individuals-sum-reaches"
        ),
        pytest.param([pay("062024", "2000"), pay("062024", "2249.99")], False, id="two-individuals-sum-short"),
        pytest.param([pay("062024", "100000", payer=EMPLOYER, knp="123")], False, id="penalty-123"),
        pytest.param([pay("062024", "10000", knp="124")], False, id="penalty-124"),
        pytest.param([pay("062024", "2000"), pay("062024", "2250", knp="124")], False, id="penalty-no-top-up"),
        pytest.param([pay("062024", "9999", knp="911")], False, id="unknown-knp"),
        pytest.param([pay("062024", "1", payer=EMPLOYER, knp="121", returned=True)], False, id="returned-org"),
        pytest.param([pay("062024", "4250", returned=True)], False, id="returned-individual"),
        pytest.param([pay("062024", "4250", returned=True), pay("062024", "1000")], False, id="returned-not-summed"),
        pytest.param([pay("062024", "4250", received=date(2024, 6, 16))], False, id="received-after-D"),
        pytest.param([pay("062024", "4250", received=ON_JUNE)], True, id="received-on-D"),
    ],
)
def test_covered_month(payments: list[PaymentFact], covered: bool) -> None:
    answer = status(ON_JUNE, payments)
    assert answer.last_covered_period == (per("062024") if covered else None)


def test_individual_threshold_uses_the_mzp_of_the_periods_year() -> None:
    # 3 500 is 5% of 2023's МЗП but short of 2024's 4 250: December covers, January does not.
    answer = status(date(2024, 1, 10), [pay("122023", "3500"), pay("012024", "3500")])
    assert answer.last_covered_period == per("122023")


def test_one_day_of_benefit_membership_covers_the_month() -> None:
    one_day = MembershipFact(category=11, start=date(2024, 3, 31), end=date(2024, 3, 31), temporary=True)
    answer = status(ON_JUNE, memberships=[one_day])
    assert answer.rule == "none"
    assert answer.last_covered_period == per("032024")
    # window 062023..052024 without March: 7 x 3 500 + 4 x 4 250 = 24 500 + 17 000
    assert "032024" not in codes(answer.debt_periods)
    assert len(answer.debt_periods) == 11
    assert answer.debt_amount == Decimal("41500.00")


# --- rule 1: benefit category ----------------------------------------------------------------


def test_open_ended_benefit_is_insured_owes_nothing_and_holds_indefinitely() -> None:
    disability = MembershipFact(category=8, start=date(2019, 5, 1), end=None, temporary=False)
    answer = status(ON_JUNE, memberships=[disability])
    assert (answer.insured, answer.rule, answer.benefit_category) == (True, "benefit", 8)
    assert answer.last_covered_period == per("062024")
    assert answer.covered_until_period is None  # an open-ended benefit holds it
    assert answer.debt_periods == ()
    assert answer.debt_amount == Decimal("0.00")
    assert answer.recommendation == "none"


def test_temporary_status_counts_like_a_registry_membership() -> None:
    # One month granted by the Fund on 10.06: insured at once; 1 July still inside it, 1 August
    # not, and with no history there is no grace.
    temporary = MembershipFact(category=11, start=date(2024, 6, 10), end=date(2024, 7, 9), temporary=True)
    answer = status(ON_JUNE, memberships=[temporary])
    assert (answer.rule, answer.benefit_category) == ("benefit", 11)
    assert answer.covered_until_period == per("072024")


def test_benefit_decides_before_a_prepaid_run() -> None:
    student = MembershipFact(category=10, start=date(2020, 9, 1), end=None, temporary=False)
    answer = status(date(2024, 6, 20), prepaid_year("062024", received=date(2024, 6, 20)), [student])
    assert answer.rule == "benefit"


def test_of_two_active_memberships_the_longer_lasting_one_is_shown() -> None:
    temporary = MembershipFact(category=11, start=date(2024, 6, 10), end=date(2024, 7, 9), temporary=True)
    student = MembershipFact(category=10, start=date(2023, 9, 1), end=date(2025, 6, 30), temporary=False)
    answer = status(ON_JUNE, memberships=[temporary, student])
    assert answer.benefit_category == 10
    # June 2025 by the benefit; then L = 062025 with 092023..062025 covered: grace to 092025.
    assert answer.covered_until_period == per("092025")


def test_membership_starting_after_D_is_not_a_fact_on_D() -> None:
    later = MembershipFact(category=11, start=date(2024, 6, 20), end=None, temporary=False)
    assert status(ON_JUNE, memberships=[later]).rule == "none"
    assert status(ON_JUNE, memberships=[later]).last_covered_period is None
    assert status(date(2024, 6, 20), memberships=[later]).rule == "benefit"


@pytest.mark.parametrize(
    ("end", "until"),
    [
        (date(2024, 6, 30), "062024"),  # 1 July is already after it
        (date(2024, 7, 1), "072024"),  # active on 1 July: July is judged on its first day
        (date(2024, 7, 31), "072024"),
        (date(2024, 8, 1), "082024"),
    ],
)
def test_short_benefit_holds_through_the_last_month_whose_first_day_it_covers(end: date, until: str) -> None:
    # Started in May, no payments: after it, rule 3 fails (no 12 covered months), so no grace.
    membership = MembershipFact(category=2, start=date(2024, 5, 10), end=end, temporary=False)
    answer = status(ON_JUNE, memberships=[membership])
    assert answer.covered_until_period == per(until)


# --- a long benefit that ends: the grace of rule 3 follows it --------------------------------

PENSION_TO_MID_MARCH = MembershipFact(category=8, start=date(2015, 1, 1), end=date(2024, 3, 15), temporary=False)


def test_benefit_ending_mid_month_covers_that_month_and_grace_follows() -> None:
    # On 10.03 the benefit holds. March is covered (one day suffices); April-June: L = 032024,
    # the 12 months before are covered, so rule 3's grace; July: L < July - 3.
    answer = status(date(2024, 3, 10), memberships=[PENSION_TO_MID_MARCH])
    assert (answer.rule, answer.benefit_category) == ("benefit", 8)
    assert answer.covered_until_period == per("062024")


def test_after_the_benefit_ends_the_person_is_in_grace_with_accruing_debt() -> None:
    answer = status(ON_JUNE, memberships=[PENSION_TO_MID_MARCH])
    assert (answer.insured, answer.rule, answer.grace) == (True, "regular", True)
    assert answer.benefit_category is None
    assert answer.last_covered_period == per("032024")
    assert codes(answer.debt_periods) == ["042024", "052024"]
    assert answer.debt_amount == Decimal("8500.00")  # 2 x 4 250
    assert answer.covered_until_period == per("062024")
    assert answer.recommendation == "none"


def test_once_the_grace_is_over_the_debt_is_due() -> None:
    answer = status(date(2024, 7, 1), memberships=[PENSION_TO_MID_MARCH])
    assert (answer.insured, answer.rule) == (False, "none")
    assert codes(answer.debt_periods) == ["042024", "052024", "062024"]
    assert answer.debt_amount == Decimal("12750.00")  # 3 x 4 250 < 51 000
    assert answer.recommendation == "pay_debt"
    assert answer.covered_until_period is None


def test_benefit_then_prepaid_year_then_grace_chain_in_covered_until() -> None:
    # Benefit to 30.06.2024; a year prepaid 072024..062025 already received; then 3 months grace.
    student = MembershipFact(category=10, start=date(2021, 9, 1), end=date(2024, 6, 30), temporary=False)
    answer = status(ON_JUNE, prepaid_year("072024", received=date(2024, 6, 10)), [student])
    assert answer.rule == "benefit"
    assert answer.covered_until_period == per("092025")


# --- rule 2: a prepaid year of 12 separate payments ------------------------------------------

PAID_ON = date(2024, 6, 20)


def test_prepaid_year_starting_with_the_current_month_insures_at_once() -> None:
    answer = status(PAID_ON, prepaid_year("062024", received=PAID_ON))
    assert (answer.insured, answer.rule, answer.grace) == (True, "prepaid", False)
    assert answer.prepaid_run == (per("062024"), per("052025"))
    assert answer.last_covered_period == per("062024")
    # run to 052025, then 3 months of grace (062025..082025, each judged on its 1st day)
    assert answer.covered_until_period == per("082025")
    assert answer.debt_periods == ()  # nothing paid before, and nothing owed: rule 2
    assert answer.debt_amount == Decimal("0.00")
    assert answer.recommendation == "none"


def test_prepaid_year_from_next_month_insures_from_next_month() -> None:
    payments = prepaid_year("072024", received=PAID_ON)
    today = status(PAID_ON, payments)
    assert (today.insured, today.rule) == (False, "none")
    assert today.last_covered_period is None  # covered months are all after M0
    assert today.covered_until_period is None
    next_month = status(date(2024, 7, 1), payments)
    assert (next_month.insured, next_month.rule) == (True, "prepaid")
    assert next_month.covered_until_period == per("092025")  # 062025 + 3


def test_prepaid_person_owes_nothing_for_last_years_gaps() -> None:
    payments = employer_months("012023", "062023") + prepaid_year("062024", received=PAID_ON)
    answer = status(PAID_ON, payments)
    assert answer.rule == "prepaid"
    assert (answer.debt_periods, answer.debt_amount) == ((), Decimal("0.00"))


def test_lump_sum_of_51000_covers_only_its_own_period() -> None:
    lump = [pay("062024", "51000", received=PAID_ON)]
    answer = status(PAID_ON, lump)
    assert (answer.insured, answer.rule) == (False, "none")
    assert answer.last_covered_period == per("062024")
    # nothing covered in 062023..052024: 7 x 3 500 + 5 x 4 250 = 45 750
    assert answer.debt_amount == Decimal("45750.00")
    assert answer.recommendation == "prepay"
    assert status(date(2024, 7, 15), lump).last_covered_period == per("062024")


def _replace(payments: list[PaymentFact], period: str, *new: PaymentFact) -> list[PaymentFact]:
    return [p for p in payments if p.period != per(period)] + list(new)


_YEAR = prepaid_year("062024", received=PAID_ON)


@pytest.mark.parametrize(
    ("payments", "prepaid"),
    [
        pytest.param(_YEAR, True, id="twelve-separate"),
        pytest.param(prepaid_year("062024", received=PAID_ON, months=24), True, id="twenty-four"),
        pytest.param(prepaid_year("062024", received=PAID_ON, months=11), False, id="only-eleven"),
        pytest.param(_replace(_YEAR, "092024", pay("092024", "5000", received=PAID_ON)), True, id="overpaid-month"),
        pytest.param(
            _replace(_YEAR, "092024", pay("092024", payer=RELATIVE, received=PAID_ON)), True, id="relative-pays-a-month"
        ),
        pytest.param(_replace(_YEAR, "092024", pay("092024", "4000", received=PAID_ON)), False, id="underpaid-month"),
        pytest.param(
            _replace(_YEAR, "092024", pay("092024", "2125", received=PAID_ON), pay("092024", "2125", received=PAID_ON)),
            False,
            id="month-in-two-halves",  # covers the month, but no single payment of 5% (decision)
        ),
        pytest.param(
            _replace(_YEAR, "092024", pay("092024", payer=EMPLOYER, received=PAID_ON)),
            False,
            id="employer-pays-a-month",
        ),
        pytest.param(_replace(_YEAR, "092024", pay("092024", knp="121", received=PAID_ON)), False, id="knp-121"),
        pytest.param(
            _replace(_YEAR, "092024", pay("092024", received=PAID_ON, returned=True)), False, id="returned-month"
        ),
        pytest.param(
            _replace(_YEAR, "052025", pay("052025", received=date(2024, 6, 21))), False, id="last-received-after-D"
        ),
    ],
)
def test_prepaid_run_needs_twelve_consecutive_separate_individual_payments(
    payments: list[PaymentFact], prepaid: bool
) -> None:
    answer = status(PAID_ON, payments)
    assert answer.rule == ("prepaid" if prepaid else "none")


def test_prepaid_rule_exists_from_5_september_2022() -> None:
    # 2022 months at 3 000, 2023 months at 3 500
    payments = prepaid_year("092022", received=date(2022, 9, 1))
    assert status(date(2022, 9, 4), payments).rule == "none"
    answer = status(date(2022, 9, 5), payments)
    assert answer.rule == "prepaid"
    assert answer.covered_until_period == per("112023")  # 082023 + 3


def test_month_inside_a_longer_run_with_its_grace() -> None:
    payments = prepaid_year("012024", received=date(2023, 12, 20), months=24)
    answer = status(date(2025, 3, 10), payments)
    assert answer.rule == "prepaid"
    assert answer.prepaid_run == (per("012024"), per("122025"))
    assert answer.covered_until_period == per("032026")


# --- rule 3: regular payments, the 3-month grace and no debt ---------------------------------


def test_regular_payer_paid_through_current_month() -> None:
    answer = status(ON_JUNE, employer_months("062023", "062024"))
    assert (answer.insured, answer.rule, answer.grace) == (True, "regular", False)
    assert answer.last_covered_period == per("062024")
    assert answer.debt_periods == ()
    assert answer.covered_until_period == per("092024")  # L + 3
    assert answer.recommendation == "none"


def test_regular_payer_not_yet_paid_this_month_is_in_grace_without_debt() -> None:
    answer = status(ON_JUNE, employer_months("062023", "052024"))
    assert (answer.insured, answer.rule, answer.grace) == (True, "regular", True)
    assert answer.debt_periods == ()  # 062023..052024 all covered
    assert answer.covered_until_period == per("082024")


def test_three_month_grace_keeps_status_while_debt_accrues() -> None:
    # L = 032024 = M0 - 3; 062023..032024 covered
    answer = status(ON_JUNE, employer_months("042023", "032024"))
    assert (answer.insured, answer.rule, answer.grace) == (True, "regular", True)
    assert codes(answer.debt_periods) == ["042024", "052024"]
    assert answer.debt_amount == Decimal("8500.00")
    assert answer.covered_until_period == per("062024")
    assert answer.recommendation == "none"


def test_fourth_month_without_payment_loses_the_status() -> None:
    answer = status(ON_JUNE, employer_months("062023", "022024"))  # L = M0 - 4
    assert (answer.insured, answer.rule) == (False, "none")
    assert codes(answer.debt_periods) == ["032024", "042024", "052024"]
    assert answer.debt_amount == Decimal("12750.00")
    assert answer.recommendation == "pay_debt"


def test_one_unpaid_month_in_the_year_is_debt_and_no_status() -> None:
    answer = status(ON_JUNE, employer_months("062023", "062024", skip=["092023"]))
    assert (answer.insured, answer.rule) == (False, "none")
    assert answer.last_covered_period == per("062024")
    assert codes(answer.debt_periods) == ["092023"]
    assert answer.debt_amount == Decimal("3500.00")  # a 2023 month at 2023's price
    assert answer.recommendation == "pay_debt"
    assert answer.covered_until_period is None


def test_month_m0_minus_12_must_be_covered_too() -> None:
    answer = status(ON_JUNE, employer_months("072023", "062024"))
    assert answer.rule == "none"
    assert codes(answer.debt_periods) == ["062023"]


def test_paying_the_debt_restores_status_without_rewriting_the_past() -> None:
    payments = employer_months("062023", "062024", skip=["092023"])
    before = status(ON_JUNE, payments)
    debt_paid = [*payments, pay("092023", "3500", received=date(2024, 6, 20))]
    assert status(ON_JUNE, debt_paid) == before  # received after D: ignored on D
    after = status(date(2024, 6, 20), debt_paid)
    assert (after.insured, after.rule, after.debt_periods) == (True, "regular", ())
    assert after.covered_until_period == per("092024")


def test_later_payments_do_not_change_an_answer_for_a_past_date() -> None:
    payments = employer_months("042023", "032024")
    before = status(ON_JUNE, payments)
    arrived_later = [pay(p, "1500", payer=EMPLOYER, knp="121", received=date(2024, 7, 5)) for p in ("042024", "052024")]
    assert status(ON_JUNE, payments + arrived_later) == before


def test_payments_for_future_periods_extend_covered_until_but_not_L() -> None:
    payments = [
        *employer_months("062023", "062024"),
        pay("072024", "1500", payer=EMPLOYER, knp="121", received=date(2024, 6, 10)),
    ]
    answer = status(ON_JUNE, payments)
    assert answer.last_covered_period == per("062024")
    assert answer.covered_until_period == per("102024")  # 072024 + 3


# --- debt prices, the prepayment and the recommendation --------------------------------------


def test_an_iin_with_no_data_is_simply_not_insured() -> None:
    answer = status(ON_JUNE)
    assert (answer.insured, answer.rule, answer.benefit_category) == (False, "none", None)
    assert answer.last_covered_period is None
    assert answer.covered_until_period is None
    assert codes(answer.debt_periods) == [p.code for p in Period.range(per("062023"), per("052024"))]
    assert answer.debt_amount == Decimal("45750.00")  # 7 x 3 500 + 5 x 4 250
    assert answer.prepay_amount == Decimal("51000.00")
    assert answer.recommendation == "prepay"  # never paid: prepay rather than pay last year


def test_debt_is_priced_at_the_mzp_of_each_months_year() -> None:
    answer = status(date(2024, 3, 15))
    # 032023..122023: 10 x 3 500 = 35 000; 012024..022024: 2 x 4 250 = 8 500
    assert answer.debt_breakdown[0] == (per("032023"), Decimal("3500.00"))
    assert answer.debt_breakdown[-1] == (per("022024"), Decimal("4250.00"))
    assert answer.debt_amount == Decimal("43500.00")


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2022, 12, 31), "36000.00"),  # 12 x 3 000
        (date(2023, 1, 1), "42000.00"),  # 12 x 3 500
        (date(2024, 6, 15), "51000.00"),  # 12 x 4 250
        (date(2027, 2, 1), "51000.00"),  # 2027 unknown: 2026's МЗП
    ],
)
def test_prepay_amount_is_twelve_months_at_the_mzp_of_Ds_year(on: date, expected: str) -> None:
    assert status(on).prepay_amount == Decimal(expected)


def test_one_covered_month_makes_paying_the_debt_cheaper() -> None:
    # only 052024 covered: 7 x 3 500 + 4 x 4 250 = 41 500 < 51 000
    answer = status(ON_JUNE, [pay("052024", "4250")])
    assert answer.debt_amount == Decimal("41500.00")
    assert answer.recommendation == "pay_debt"


# A table where last year's МЗП was higher makes debt outgrow the prepayment: 2023 months at
# 5 000, 2024 months at 3 000, prepayment 12 x 3 000 = 36 000.
FALLING_MZP = {2023: Decimal("100000"), 2024: Decimal("60000")}


@pytest.mark.parametrize(
    ("covered", "debt", "recommendation"),
    [
        # uncovered 072023..122023 (6 x 5 000) + 042024, 052024 (2 x 3 000) = 36 000 = prepayment
        (["062023", "012024", "022024", "032024"], "36000.00", "prepay"),
        # also 122023 covered: 5 x 5 000 + 2 x 3 000 = 31 000 < 36 000
        (["062023", "122023", "012024", "022024", "032024"], "31000.00", "pay_debt"),
        # nothing covered: 7 x 5 000 + 5 x 3 000 = 50 000
        ([], "50000.00", "prepay"),
    ],
)
def test_recommendation_prepays_when_debt_costs_at_least_the_prepayment(
    covered: list[str], debt: str, recommendation: str
) -> None:
    payments = [pay(p, "1", payer=EMPLOYER, knp="121") for p in covered]
    answer = status(ON_JUNE, payments, mzp=FALLING_MZP)
    assert answer.insured is False
    assert answer.prepay_amount == Decimal("36000.00")
    assert answer.debt_amount == Decimal(debt)
    assert answer.recommendation == recommendation


def test_facts_may_be_one_pass_iterables() -> None:
    answer = status_on(
        iin=PERSON,
        on=ON_JUNE,
        payments=iter(employer_months("062023", "062024")),
        memberships=iter([]),
        mzp=DEFAULT_MZP,
    )
    assert answer.rule == "regular"


# --- the §13 JSON answer ---------------------------------------------------------------------

JSON_KEYS = [
    "iin",
    "on",
    "insured",
    "rule",
    "benefit_category",
    "last_covered_period",
    "covered_until_period",
    "debt_periods",
    "debt_amount",
    "prepay_amount",
    "recommendation",
]


def test_json_of_a_person_in_grace_with_debt() -> None:
    data = status(ON_JUNE, employer_months("042023", "032024")).as_json_dict()
    assert list(data) == JSON_KEYS
    assert data == {
        "iin": "900101300018",
        "on": "2024-06-15",
        "insured": True,
        "rule": "regular",
        "benefit_category": None,
        "last_covered_period": "032024",
        "covered_until_period": "062024",
        "debt_periods": ["042024", "052024"],
        "debt_amount": "8500.00",
        "prepay_amount": "51000.00",
        "recommendation": "none",
    }


def test_json_with_no_debt_has_zero_string_and_empty_list() -> None:
    data = status(ON_JUNE, employer_months("062023", "062024")).as_json_dict()
    assert data["debt_amount"] == "0.00"
    assert data["debt_periods"] == []


def test_json_of_a_benefit_holder() -> None:
    disability = MembershipFact(category=8, start=date(2019, 5, 1), end=None, temporary=False)
    data = status(ON_JUNE, memberships=[disability]).as_json_dict()
    assert (data["rule"], data["benefit_category"], data["covered_until_period"]) == ("benefit", 8, None)
    assert type(data["benefit_category"]) is int


def test_json_of_no_data() -> None:
    data = status(ON_JUNE).as_json_dict()
    assert list(data) == JSON_KEYS
    assert (data["insured"], data["rule"], data["recommendation"]) == (False, "none", "prepay")
    assert data["last_covered_period"] is None and data["covered_until_period"] is None
    assert data["debt_amount"] == "45750.00" and data["prepay_amount"] == "51000.00"
    assert data["debt_periods"][0] == "062023" and data["debt_periods"][-1] == "052024"


def test_json_types_and_serialisation() -> None:
    data = status(ON_JUNE, employer_months("062023", "062024", skip=["092023"])).as_json_dict()
    assert data["recommendation"] == "pay_debt"
    assert type(data["insured"]) is bool
    for key in ("iin", "on", "rule", "last_covered_period", "debt_amount", "prepay_amount", "recommendation"):
        assert type(data[key]) is str, key
    assert data["debt_periods"] == ["092023"]
    assert json.loads(json.dumps(data)) == data  # plain JSON types only, no Decimal or date


def test_explaining_extras_stay_out_of_the_json() -> None:
    answer = status(ON_JUNE, employer_months("042023", "032024"))
    assert answer.grace is True
    assert answer.debt_breakdown == ((per("042024"), Decimal("4250.00")), (per("052024"), Decimal("4250.00")))
    assert not {"grace", "prepaid_run", "debt_breakdown"} & set(answer.as_json_dict())
