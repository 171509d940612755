"""The payments register checked a block of lines at a time, in columns (polars), for the bulk path.

A month's register has millions of rows in one exact shape. Checking them one by one in Python
costs ~6 µs a row, more than storing them; here each check runs once per block over a whole
column, in compiled code that leaves the interpreter free (docs/adr/0103-payments-import-in-columns-and-lanes.md):

- a line is split into its 10 cells only when it has exactly 9 separators and no NUL;
- the IIN and BIN rules of docs/domain.md §2 (12 ASCII digits, the birth date or the registration month,
  the century or type digit, the check digit with its second weights) are integer arithmetic over
  the column;
- dates and periods repeat (a register has a few dozen of each), so each distinct value is judged
  once by the parsing module's own functions and the verdicts are joined back;
- amounts, КНП, status and the free-text cells are matched by anchored patterns.

A row passes only when every cell is exactly in the register's shape; anything else — a bad row,
but also a row with a space to trim or a status in lower case — goes to `parsing.parse_payment`,
the one authority on §13, which rejects it with its reason or accepts it. So this path only ever
accepts what parse_payment accepts, with the same values (tested row for row).
"""

from __future__ import annotations

import datetime as dt
import io

import polars as pl

from osms.core.iin import WEIGHTS_FIRST, WEIGHTS_SECOND

from . import parsing
from .parsing import KNP_CODES, MAX_MONTHS_AHEAD, STATUS_ACCEPTED, STATUS_RETURNED, RowError

FIELDS = ("received", "number", "knp", "payer_name", "payer_id", "consumer_iin", "amount", "status", "period", "refund")
# The staged columns, in the order of bulk's load table.
COPY_COLUMNS = ("line", *FIELDS)

_DIGITS12 = r"^[0-9]{12}$"
_AMOUNT = r"^[0-9]{1,12}(?:[.,][0-9]{2})?$"
# Free text that needs neither trimming (Python's str.strip: Unicode White_Space and the
# separators \x1c-\x1f) nor COPY escaping (backslash, tab, CR, LF), and is not empty.
_PLAIN_TEXT = r"^[^\s\x1c-\x1f\\](?:[^\t\r\n\\]*[^\s\x1c-\x1f\\])?$"
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def digit_columns(name: str) -> list[pl.Expr]:
    """The 12 digits of a column as columns `<name>_0` .. `<name>_11` (meaningful only where the
    value is 12 ASCII digits); computed once, then read by the checks below."""
    number = pl.col(name).str.to_integer(strict=False)
    return [((number // 10 ** (11 - i)) % 10).alias(f"{name}_{i}") for i in range(12)]


def _digits(name: str) -> list[pl.Expr]:
    return [pl.col(f"{name}_{i}") for i in range(12)]


def _check_digit_ok(d: list[pl.Expr]) -> pl.Expr:
    first = sum((w * d[i] for i, w in enumerate(WEIGHTS_FIRST)), pl.lit(0)) % 11
    second = sum((w * d[i] for i, w in enumerate(WEIGHTS_SECOND)), pl.lit(0)) % 11
    control = pl.when(first != 10).then(first).otherwise(second)
    return (control != 10) & (control == d[11])


def _real_date(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    lengths = pl.lit(list(_MONTH_DAYS)).list.get((month - 1).clip(0, 11))
    length = lengths + ((month == 2) & leap).cast(pl.Int64)
    return (month >= 1) & (month <= 12) & (day >= 1) & (day <= length)


def iin_ok(name: str) -> pl.Expr:
    """What cells._iin_plausible (and so validate_iin) accepts: 12 ASCII digits, a century
    digit 1-6, a real birth date, the check digit. Needs digit_columns(name)."""
    d = _digits(name)
    century = d[6]
    year = pl.when(century <= 2).then(1800).when(century <= 4).then(1900).otherwise(2000) + d[0] * 10 + d[1]
    return (
        pl.col(name).str.contains(_DIGITS12)
        & (century >= 1)
        & (century <= 6)
        & _real_date(year, d[2] * 10 + d[3], d[4] * 10 + d[5])
        & _check_digit_ok(d)
    ).fill_null(False)


def payer_ok(name: str) -> pl.Expr:
    """What parsing.parse_payer_id accepts from 12 ASCII digits: a valid IIN, or a BIN (a month
    01-12 in digits 3-4, type digit 4, 5 or 6, the check digit). Needs digit_columns(name)."""
    d = _digits(name)
    month = d[2] * 10 + d[3]
    bin_ok = (
        pl.col(name).str.contains(_DIGITS12)
        & (d[4] >= 4)
        & (d[4] <= 6)
        & (month >= 1)
        & (month <= 12)
        & _check_digit_ok(d)
    )
    return (iin_ok(name) | bin_ok).fill_null(False)


class Verdicts:
    """Dates and periods judged once per distinct value by the parsing module, for the whole import."""

    def __init__(self, *, today: dt.date):
        self.today = today
        self.dates: dict[str, tuple[str, int] | None] = {}
        self.periods: dict[str, tuple[int, int] | None] = {}

    def _date(self, text: str) -> tuple[str, int] | None:
        try:
            day = parsing.parse_date(text)
        except RowError:
            return None
        if day > self.today:
            return None
        return day.isoformat(), day.year * 12 + day.month

    @staticmethod
    def _period(text: str) -> tuple[int, int] | None:
        try:
            value = parsing.parse_period(text)
        except RowError:
            return None
        return value, (value // 100) * 12 + value % 100

    def mapping(self, values: pl.Series, kind: str) -> tuple[list[str], list[str | None], list[int | None]]:
        """(value, normalised value or None, month index or None) for the distinct values given."""
        known, judge = (self.dates, self._date) if kind == "date" else (self.periods, self._period)
        if len(known) > 100_000:
            known.clear()
        keys, normal, months = [], [], []
        for value in values.drop_nulls().unique().to_list():
            verdict = known.get(value, False)
            if verdict is False:
                verdict = known[value] = judge(value)
            keys.append(value)
            normal.append(None if verdict is None else str(verdict[0]))
            months.append(None if verdict is None else verdict[1])
        return keys, normal, months


# long: one columnar expression over the block (the §13 rules side by side, as parsing.parse_payment has them).
def check_block(
    first_number: int, texts: pl.Series | list[str | None], verdicts: Verdicts
) -> tuple[pl.DataFrame, list[int]]:
    """Check a block of lines (line numbers from first_number; None for a line not in UTF-8).

    Returns the rows in the register's exact shape as the load table's columns (strings, ready
    for COPY), and the positions in `texts` of every other line, for the full parser."""
    frame = (
        pl.DataFrame({"text": texts}, schema={"text": pl.String})
        .with_columns(
            pl.int_range(first_number, first_number + len(texts), dtype=pl.Int64).alias("line"),
            pl.int_range(0, len(texts), dtype=pl.Int64).alias("at"),
            pl.col("text").str.split_exact(";", 9).struct.rename_fields(list(FIELDS)).alias("cells"),
        )
        .unnest("cells")
        .with_columns(*digit_columns("payer_id"), *digit_columns("consumer_iin"))
    )
    dates = verdicts.mapping(frame["received"], "date")
    periods = verdicts.mapping(frame["period"], "period")
    text, received, period, amount, refund, status = (
        pl.col(name) for name in ("text", "received", "period", "amount", "refund", "status")
    )
    returned = status == STATUS_RETURNED
    received_iso = received.replace_strict(dates[0], dates[1], default=None, return_dtype=pl.String)
    received_month = received.replace_strict(dates[0], dates[2], default=None, return_dtype=pl.Int64)
    period_value = period.replace_strict(periods[0], periods[1], default=None, return_dtype=pl.String)
    period_month = period.replace_strict(periods[0], periods[2], default=None, return_dtype=pl.Int64)
    ok = (
        (text.str.count_matches(";", literal=True) == 9)
        & ~text.str.contains("\x00", literal=True)
        & received_iso.is_not_null()
        & period_value.is_not_null()
        & (period_month - received_month <= MAX_MONTHS_AHEAD)
        & pl.col("knp").is_in(sorted(KNP_CODES))
        & amount.str.contains(_AMOUNT)
        & ((status == STATUS_ACCEPTED) | returned)
        & ((refund == "") | refund.str.contains(_AMOUNT))
        & payer_ok("payer_id")
        & iin_ok("consumer_iin")
        & pl.col("number").str.contains(_PLAIN_TEXT)
        & (pl.col("number").str.len_chars() <= 32)
        & ((pl.col("payer_name") == "") | pl.col("payer_name").str.contains(_PLAIN_TEXT))
        & (pl.col("payer_name").str.len_chars() <= 255)
    ).fill_null(False)
    money = amount.str.replace(",", ".", literal=True)
    checked = (
        frame.lazy()
        .with_columns(ok.alias("ok"))
        .select(
            pl.col("ok"),
            pl.col("at"),
            pl.col("line").cast(pl.String),
            received_iso.alias("received"),
            pl.col("number"),
            pl.col("knp"),
            pl.col("payer_name"),
            pl.col("payer_id"),
            pl.col("consumer_iin"),
            money.alias("amount"),
            pl.when(returned).then(pl.lit("returned")).otherwise(pl.lit("accepted")).alias("status"),
            period_value.alias("period"),
            pl.when(refund != "")
            .then(refund.str.replace(",", ".", literal=True))
            .when(returned)
            .then(money)
            .otherwise(pl.lit(None, dtype=pl.String))
            .alias("refund"),
        )
        .collect()
    )
    slow = checked.filter(~pl.col("ok"))["at"].to_list()
    good = checked.filter(pl.col("ok")).select(COPY_COLUMNS)
    return good, slow


def copy_rows(frame: pl.DataFrame) -> bytes:
    """The rows as COPY text (tab-separated, \\N for none). Every value is plain: the checks above
    let through no tab, newline or backslash."""
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False, separator="\t", quote_style="never", null_value="\\N")
    return buffer.getvalue()


def split_by_chunk(frame: pl.DataFrame, plan) -> dict[int, pl.DataFrame]:
    """The rows of each chunk of the plan (plan.Plan) that has any; counts them into plan.rows."""
    if not plan.bounds:
        plan.rows[0] += frame.height
        return {0: frame} if frame.height else {}
    chunk = pl.Series(plan.bounds, dtype=pl.String).search_sorted(frame["consumer_iin"], side="right")
    parts = frame.with_columns(chunk.alias("chunk")).partition_by("chunk", as_dict=True, include_key=False)
    for (value,), part in parts.items():
        plan.rows[value] += part.height
    return {value: part for (value,), part in parts.items()}
