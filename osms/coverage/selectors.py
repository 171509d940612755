"""Reads of the coverage area shared by the pages, the API, the command line and the admin."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from django.core.cache import cache
from django.db import connections

from osms.core import page_cache
from osms.core.db_router import read_alias

from .models import BenefitMembership, ImportJob, MinimumWage, PartnerApiKey, Payment, Person, int_to_period
from .periods import Period
from .rules import DEFAULT_MZP, MembershipFact, PaymentFact, StatusAnswer, status_on

_MZP_CACHE_KEY = "coverage:mzp:v1"
_MZP_CACHE_SECONDS = 60 * 60
# Each process keeps the table this long before asking the shared cache again: the status
# answer is on the hot path and the table changes once a year. An edit reaches every process
# within this time (minimum_wage_set clears the shared cache and this process's copy at once).
_MZP_LOCAL_SECONDS = 30.0
_mzp_local: tuple[float, Mapping[int, Decimal]] | None = None


def mzp_table() -> Mapping[int, Decimal]:
    """МЗП by year as fund staff keep it (the shipped values if the table is empty)."""
    global _mzp_local
    now = time.monotonic()
    if _mzp_local is not None and now - _mzp_local[0] < _MZP_LOCAL_SECONDS:
        return _mzp_local[1]
    table = cache.get(_MZP_CACHE_KEY)
    if table is None:
        table = dict(MinimumWage.objects.values_list("year", "amount")) or dict(DEFAULT_MZP)
        cache.set(_MZP_CACHE_KEY, table, _MZP_CACHE_SECONDS)
    frozen = MappingProxyType(dict(table))
    _mzp_local = (now, frozen)
    return frozen


def mzp_table_forget() -> None:
    """Drop the cached table in this process and the shared cache (after an edit)."""
    global _mzp_local
    _mzp_local = None
    cache.delete(_MZP_CACHE_KEY)
    page_cache.forget()  # the pages that show МЗП figures


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
    alias = read_alias(Payment)
    if connections[alias].vendor == "postgresql":
        payments, memberships = _facts_postgresql(alias, iin, on)
    else:
        payments, memberships = _payment_facts(iin, on), _membership_facts(iin, on)
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
