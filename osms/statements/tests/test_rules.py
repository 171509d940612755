"""The service's rules as pure functions: the period, refusal, the moves, the rows and their printing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from osms.coverage.periods import Period

from .. import form_text, rules
from ..workflow import COMPLAINT, REQUEST


def test_the_default_period_is_the_twelve_months_before_the_current_one_and_the_current_one():
    assert rules.default_period(dt.date(2026, 11, 23)) == (Period(2025, 11), Period(2026, 11))
    assert rules.default_period(dt.date(2026, 1, 1)) == (Period(2025, 1), Period(2026, 1))


@pytest.mark.parametrize(
    ("first", "last", "error"),
    [
        (Period(2026, 11), Period(2026, 10), "order"),
        (Period(2026, 11), Period(2026, 12), "future"),
        (Period(2021, 11), Period(2026, 11), "too_long"),  # 61 months
    ],
)
def test_periods_the_service_does_not_answer_for(first, last, error):
    with pytest.raises(rules.PeriodError) as raised:
        rules.check_period(first, last, today=dt.date(2026, 11, 23))
    assert raised.value.code == error


def test_any_range_up_to_five_years_is_allowed():
    rules.check_period(Period(2021, 12), Period(2026, 11), today=dt.date(2026, 11, 23))  # 60 months
    rules.check_period(Period(2026, 11), Period(2026, 11), today=dt.date(2026, 11, 23))  # one month


def test_a_period_covers_its_days_but_not_past_the_issue_date():
    assert rules.period_dates(Period(2025, 11), Period(2026, 11), until=dt.date(2026, 11, 23)) == (
        dt.date(2025, 11, 1),
        dt.date(2026, 11, 23),
    )
    assert rules.period_dates(Period(2024, 1), Period(2024, 2), until=dt.date(2026, 11, 23)) == (
        dt.date(2024, 1, 1),
        dt.date(2024, 2, 29),
    )


def test_the_request_is_refused_without_consent_and_on_court_decisions():
    assert rules.refusal_ground(consent=True) is None
    assert rules.refusal_ground(consent=False) == "no_consent"
    assert rules.refusal_ground(consent=True, court_ban=True) == "court_ban"
    assert rules.refusal_ground(consent=True, court_deprivation=True) == "court_deprivation"


def test_every_refusal_ground_is_worded_in_both_languages():
    from ..models import StatementRequest

    for language in form_text.DOCUMENT_LANGUAGES:
        assert set(form_text.REFUSAL_GROUNDS[language]) == set(StatementRequest.RefusalGround.values)


def test_the_moves_of_a_request():
    moves = REQUEST
    assert moves.can_move("draft", "received")
    assert not moves.can_move("draft", "issued")
    assert not moves.can_move("issued", "processing")
    assert not moves.can_move("refused", "received")
    assert moves.sources_of("processing") == ["processing", "received"]
    assert moves.sources_of("issued") == ["processing"]


def test_the_moves_of_a_complaint():
    moves = COMPLAINT
    assert moves.can_move("registered", "satisfied")
    assert moves.can_move("registered", "forwarded")
    assert moves.can_move("forwarded", "answered")
    assert not moves.can_move("registered", "answered")
    assert not moves.can_move("satisfied", "forwarded")


JANUARY = Period(2026, 1)


def row(received, *, knp="122", amount="4250.00", period=JANUARY, payer="900101300018", **kw):
    return rules.PaymentRow(
        received=received,
        number=kw.get("number", "1"),
        knp=knp,
        amount=Decimal(amount),
        period=period,
        payer_id=payer,
        returned=kw.get("returned", False),
        refund_amount=kw.get("refund"),
    )


def test_rows_are_numbered_in_the_order_received_and_list_deductions_and_contributions_only():
    rows = rules.statement_rows(
        [
            row(dt.date(2026, 3, 5), period=Period(2026, 2)),
            row(dt.date(2026, 1, 10), knp="121", amount="7500.00", payer="050440000425"),
            row(dt.date(2026, 2, 1), knp="124", amount="120.00"),  # пеня: not listed
            row(dt.date(2026, 2, 2), returned=True),
            row(dt.date(2026, 2, 3), returned=True, refund=Decimal("1000.00"), number="2"),
        ]
    )
    assert [r["n"] for r in rows] == ["1", "2", "3", "4"]
    assert [r["date"] for r in rows] == ["2026-01-10", "2026-02-02", "2026-02-03", "2026-03-05"]
    assert rows[0] == {
        "n": "1",
        "date": "2026-01-10",
        "amount": "7500.00",
        "kind": "deduction",
        "period": "012026",
        "payer": "050440000425",
        "refund": "",
    }
    assert rows[1]["refund"] == "4250.00"  # returned, no refunded sum given: the whole amount
    assert rows[2]["refund"] == "1000.00"
    assert rows[3]["kind"] == "contribution" and rows[3]["period"] == "022026"


@pytest.mark.parametrize(
    ("value", "printed"),
    [("4250.00", "4\u00a0250,00"), ("0.5", "0,50"), ("1234567.89", "1\u00a0234\u00a0567,89"), ("-85", "-85,00")],
)
def test_amounts_are_printed_with_spaced_thousands_and_a_decimal_comma(value, printed):
    assert rules.format_amount(value) == printed


def test_numbers():
    assert rules.request_number(pk=42, created=dt.date(2026, 11, 23)) == "ST-2026-00000042"
    assert rules.document_number(pk=42, kind="statement", issued=dt.date(2026, 11, 23)) == "P2-20261123-00000042"
    assert rules.document_number(pk=42, kind="refusal", issued=dt.date(2026, 11, 23)) == "RF-20261123-00000042"
    assert rules.complaint_number(pk=7, registered=dt.date(2026, 11, 23)) == "SC-2026-000007"


def test_percentiles_interpolate_like_postgresql():
    assert rules.percentile([], 50) is None
    assert rules.percentile([3.0], 95) == 3.0
    assert rules.percentile([1, 2, 3, 4], 50) == 2.5
    assert rules.percentile(list(range(1, 101)), 95) == pytest.approx(95.05)


def test_the_russian_form_is_the_seed_word_for_word():
    """Приложение 2 as seed 003 prints it (line breaks of the PDF extraction aside)."""
    from pathlib import Path

    seed = Path("/work/shared/seeds/003_b0a037da2fd65f2d.txt")
    if not seed.exists():
        pytest.skip("the seeds are not on this machine")
    flat = " ".join(seed.read_text(encoding="utf-8").split())
    text = form_text.APPENDIX_2["ru"]
    for key in ("title", "footnote"):
        assert " ".join(text[key].split()) in flat, key
    assert " ".join(text["corner"].split()).replace("Приложение 2 к Правилам оказания", "") in flat.replace(
        "Приложение 2 к Правилам оказания", ""
    )
    for phrase in ("Выдана:", "Дата выдачи:", "Статус в системе ОСМС:", "Потребитель ОСМС", "Не потребитель ОСМС"):
        assert phrase in flat
    for heading in text["columns"]:
        assert all(word in flat for word in heading.split())
    for ground in form_text.REFUSAL_GROUNDS["ru"].values():
        assert " ".join(ground.split()[1:]) in flat, ground


def test_the_note_if_any_belongs_to_the_refund_column_not_to_the_payer():
    """Приложение 2's header cells (docs/domain.md §8): "(при наличии)" qualifies "Сумма возврата"."""
    ru = form_text.APPENDIX_2["ru"]["columns"]
    kk = form_text.APPENDIX_2["kk"]["columns"]
    assert ru[5:] == ("Плательщик БИН (ИИН)", "Сумма возврата (при наличии)")
    assert kk[5:] == ("Төлеуші БСН (ЖСН)", "Қайтару сомасы (бар болса)")
    assert ru[:5] == (
        "№",
        "Дата платежа*",
        "Сумма отчислений или взносов (тенге)",
        "Вид поступления (отчисление или взнос)",
        "Период",
    )
