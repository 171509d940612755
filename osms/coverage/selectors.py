"""Reads of the coverage area shared by the pages, the API, the command line and the admin."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from django.core.cache import cache
from django.db import connections

from osms.core import page_cache
from osms.core.db_router import read_alias

from .models import (
    BenefitMembership,
    ContributionRates,
    ImportJob,
    MinimumWage,
    PartnerApiKey,
    Payment,
    Person,
    int_to_period,
)
from .periods import Period
from .rates import DEFAULT_RATES, YearRates
from .rules import DEFAULT_MZP, MembershipFact, PaymentFact, StatusAnswer, status_on
from .timeline import TimelineMonth, coverage_timeline

_MZP_CACHE_KEY = "coverage:mzp:v1"
_RATES_CACHE_KEY = "coverage:rates:v1"
_SHARED_SECONDS = 60 * 60
# Each process keeps a table this long before asking the shared cache again: the status answer
# is on the hot path and the tables change once a year. An edit reaches every process within this
# time (the services that save them clear the shared cache and this process's copy at once).
_LOCAL_SECONDS = 30.0


class _KeptTable:
    """A small table read on the hot path: kept in each process for _LOCAL_SECONDS and in the shared
    cache for _SHARED_SECONDS, loaded from the database when neither has it."""

    def __init__(self, key: str, load: Callable[[], dict]):
        self.key = key
        self.load = load
        self.local: tuple[float, Mapping] | None = None

    def get(self) -> Mapping:
        now = time.monotonic()
        if self.local is not None and now - self.local[0] < _LOCAL_SECONDS:
            return self.local[1]
        table = cache.get(self.key)
        if table is None:
            table = self.load()
            cache.set(self.key, table, _SHARED_SECONDS)
        frozen = MappingProxyType(dict(table))
        self.local = (now, frozen)
        return frozen

    def forget(self) -> None:
        """Drop the table in this process and the shared cache (after an edit)."""
        self.local = None
        cache.delete(self.key)


RATES_FIELDS = (
    "year",
    "source",
    "employer_rate",
    "employee_rate",
    "base_cap_mzp",
    "entrepreneur_rate",
    "entrepreneur_base_mzp",
    "self_payer_rate",
    "self_payer_base_mzp",
    "state_contribution",
    "state_persons",
)


def year_rates(row: ContributionRates) -> YearRates:
    return YearRates(**{name: getattr(row, name) for name in RATES_FIELDS})


def _load_rates() -> dict[int, YearRates]:
    rows = ContributionRates.objects.all()
    return {row.year: year_rates(row) for row in rows} if rows else dict(DEFAULT_RATES)


_mzp = _KeptTable(_MZP_CACHE_KEY, lambda: dict(MinimumWage.objects.values_list("year", "amount")) or dict(DEFAULT_MZP))
_rates = _KeptTable(_RATES_CACHE_KEY, _load_rates)


def mzp_table() -> Mapping[int, Decimal]:
    """МЗП by year as fund staff keep it (the shipped values if the table is empty)."""
    return _mzp.get()


def mzp_table_forget() -> None:
    """Drop the cached table in this process and the shared cache (after an edit)."""
    _mzp.forget()
    page_cache.forget()  # the pages that show МЗП figures


def rates_table() -> Mapping[int, YearRates]:
    """Contribution rates by year as administrators keep them, kept and forgotten like the МЗП table."""
    return _rates.get()


def rates_table_forget() -> None:
    """Drop the cached rates in this process and the shared cache (after an edit)."""
    _rates.forget()
    page_cache.forget()  # the pages that show the rates


def _payment_facts(iin: str, on: dt.date) -> list[PaymentFact]:
    rows = Payment.objects.filter(consumer_iin=iin, received__lte=on).values_list(
        "received", "period", "amount", "knp", "payer_id", "status"
    )
    returned = Payment.Status.RETURNED
    return [
        PaymentFact(
            received=received,
            period=Period(period // 100, period % 100),
            amount=amount,
            knp=knp,
            payer_id=payer_id,
            returned=status == returned,
        )
        for received, period, amount, knp, payer_id, status in rows
    ]


def _membership_facts(iin: str, on: dt.date) -> list[MembershipFact]:
    rows = BenefitMembership.objects.filter(iin=iin, start__lte=on).values_list(
        "category_id", "start", "end", "temporary"
    )
    return [
        MembershipFact(category=category, start=start, end=end, temporary=temporary)
        for category, start, end, temporary in rows
    ]


# The status answer's one round trip on PostgreSQL: the person's payments (an index-only scan
# of the covering identity index, ADR 0102) and memberships, told apart by the first column.
_FACTS_SQL = (
    "SELECT true, received, NULL::date, period, amount, knp, payer_id, status = %s"
    " FROM coverage_payment WHERE consumer_iin = %s AND received <= %s"
    " UNION ALL"
    ' SELECT false, start, "end", category_id, NULL, NULL, NULL, temporary'
    " FROM coverage_benefitmembership WHERE iin = %s AND start <= %s"
)


def _facts_postgresql(alias: str, iin: str, on: dt.date) -> tuple[list[PaymentFact], list[MembershipFact]]:
    """The same facts as _payment_facts and _membership_facts, in one query and without the ORM:
    this is every status answer's cost (public check, cabinet, partners, bot)."""
    payments: list[PaymentFact] = []
    memberships: list[MembershipFact] = []
    with connections[alias].cursor() as cursor:
        cursor.execute(_FACTS_SQL, [Payment.Status.RETURNED, iin, on, iin, on])
        for is_payment, day, end, number, amount, knp, payer_id, flag in cursor.fetchall():
            if is_payment:
                payments.append(
                    PaymentFact(
                        received=day,
                        period=Period(number // 100, number % 100),
                        amount=amount,
                        knp=knp,
                        payer_id=payer_id,
                        returned=flag,
                    )
                )
            else:
                memberships.append(MembershipFact(category=number, start=day, end=end, temporary=flag))
    return payments, memberships


def status_answer(*, iin: str, on: dt.date) -> StatusAnswer:
    """The §4 status of a (valid) IIN on a date: the person's facts (one query on PostgreSQL,
    two through the ORM elsewhere), then the pure rules. From a replica in the views that allow it
    (osms/core/db_router.py): the raw query goes where the router sends reads of payments."""
    payments, memberships = _facts(iin, on)
    return status_on(iin=iin, on=on, payments=payments, memberships=memberships, mzp=mzp_table())


def person_get(*, iin: str) -> Person | None:
    return Person.objects.filter(iin=iin).first()


@dataclass(frozen=True)
class PaymentLine:
    """A payment as the cabinet shows it."""

    received: dt.date
    number: str
    amount: Decimal
    knp: str
    kind: str
    period: Period
    payer_name: str
    payer_id: str
    returned: bool
    refund_amount: Decimal | None


def payments_received_since(*, iin: str, since: dt.date, until: dt.date) -> list[PaymentLine]:
    """The person's payments received from `since` to `until`, newest first."""
    rows = Payment.objects.filter(consumer_iin=iin, received__gte=since, received__lte=until).order_by(
        "-received", "-period", "number"
    )
    return [
        PaymentLine(
            received=p.received,
            number=p.number,
            amount=p.amount,
            knp=p.knp,
            kind=p.get_knp_display(),
            period=int_to_period(p.period),
            payer_name=p.payer_name,
            payer_id=p.payer_id,
            returned=p.is_returned,
            refund_amount=p.refund_amount,
        )
        for p in rows
    ]


def memberships_of(*, iin: str) -> list[BenefitMembership]:
    return list(BenefitMembership.objects.filter(iin=iin).select_related("category").order_by("-start"))


def api_key_find(*, prefix: str) -> PartnerApiKey | None:
    return PartnerApiKey.objects.filter(prefix=prefix, is_active=True).first()


def import_job_get(*, job_id: int) -> ImportJob | None:
    return ImportJob.objects.filter(pk=job_id).first()


def _facts(iin: str, on: dt.date) -> tuple[list[PaymentFact], list[MembershipFact]]:
    """The person's payments and memberships known on `on`, from where reads of payments go."""
    alias = read_alias(Payment)
    if connections[alias].vendor == "postgresql":
        return _facts_postgresql(alias, iin, on)
    return _payment_facts(iin, on), _membership_facts(iin, on)


def timeline_of(*, answer: StatusAnswer, asked: dt.date | None = None) -> list[TimelineMonth]:
    """The coverage timeline (osms.coverage.timeline) of the person and date of a status answer."""
    payments, memberships = _facts(answer.iin, answer.on)
    return coverage_timeline(answer=answer, payments=payments, memberships=memberships, mzp=mzp_table(), asked=asked)
