"""Storing one batch of parsed register rows, idempotently, and counting what changed.

Each writer is called inside a transaction per batch (see `importers.run_import`), so a killed
import leaves whole batches or nothing of a batch; running the file again finds the stored rows
unchanged. Counting follows the rows in file order: a row whose identity is new is "added", a
row that changes what is stored is "updated", any other is "unchanged" - the same in the
portable ORM writer and the PostgreSQL COPY writer, which the tests check against each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from ..models import BenefitMembership, Payment, Person
from .parsing import BenefitRow, PaymentRow, PersonRow


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


# --- payments ------------------------------------------------------------------------------------


def payments_write_orm(rows: Sequence[PaymentRow]) -> Counts:
    """Portable path (SQLite, small files): look the batch's identities up, then bulk writes."""
    counts = Counts()
    iins = {row.consumer_iin for row in rows}
    periods = {row.period for row in rows}
    stored: dict[tuple, tuple[int | None, bool]] = {}  # identity -> (id or None if new in this batch, returned)
    for pk, iin, period, received, payer_id, number, status in Payment.objects.filter(
        consumer_iin__in=iins, period__in=periods
    ).values_list("id", "consumer_iin", "period", "received", "payer_id", "number", "status"):
        stored[(iin, period, received, payer_id, number)] = (pk, status == Payment.Status.RETURNED)

    new: dict[tuple, PaymentRow] = {}
    returns: dict[int, str] = {}  # stored id -> refund amount
    for row in rows:
        identity = row.identity
        known = stored.get(identity)
        if known is None:
            stored[identity] = (None, row.returned)
            new[identity] = row
            counts.added += 1
        elif row.returned and not known[1]:
            stored[identity] = (known[0], True)
            if known[0] is None:
                new[identity] = row  # accepted earlier in this very batch, returned now
            else:
                returns[known[0]] = row.refund or row.amount
            counts.updated += 1
        else:
            counts.unchanged += 1

    Payment.objects.bulk_create(
        [
            Payment(
                received=row.received,
                number=row.number,
                knp=row.knp,
                payer_name=row.payer_name,
                payer_id=row.payer_id,
                consumer_iin=row.consumer_iin,
                amount=Decimal(row.amount),
                status=Payment.Status.RETURNED if row.returned else Payment.Status.ACCEPTED,
                period=row.period,
                refund_amount=None if row.refund is None else Decimal(row.refund),
            )
            for row in new.values()
        ],
        batch_size=500,
    )
    for pk, refund in returns.items():
        Payment.objects.filter(pk=pk, status=Payment.Status.ACCEPTED).update(
            status=Payment.Status.RETURNED, refund_amount=Decimal(refund)
        )
    return counts


_LOAD_TABLE = "coverage_payment_load"
_COPY_COLUMNS = "line, received, number, knp, payer_name, payer_id, consumer_iin, amount, returned, period, refund"


def _copy_text(value: str) -> str:
    """Escape a free-text value for COPY's text format (the only fields that may hold \\ or a tab)."""
    if "\\" in value or "\t" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t")
    return value


def payments_write_postgresql(rows: Sequence[PaymentRow]) -> Counts:
    """Bulk path: COPY the batch into a session temp table, then one INSERT ... ON CONFLICT DO
    NOTHING (in file order, so the first row of an identity wins, as in the ORM path) and one
    UPDATE per returned row (rare; each an index probe, sent as one pipeline)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_LOAD_TABLE} ("
            " line integer, received date, number varchar(32), knp varchar(3), payer_name varchar(255),"
            " payer_id varchar(12), consumer_iin varchar(12), amount numeric(14,2), returned boolean,"
            " period integer, refund numeric(14,2))"
        )
        cursor.execute(f"TRUNCATE {_LOAD_TABLE}")
        parts = []
        for row in rows:
            parts.append(
                f"{row.line}\t{row.received.isoformat()}\t{_copy_text(row.number)}\t{row.knp}\t"
                f"{_copy_text(row.payer_name)}\t{row.payer_id}\t{row.consumer_iin}\t{row.amount}\t"
                f"{'t' if row.returned else 'f'}\t{row.period}\t{row.refund if row.refund is not None else '\\N'}\n"
            )
        with cursor.cursor.copy(f"COPY {_LOAD_TABLE} ({_COPY_COLUMNS}) FROM STDIN") as copy:
            copy.write("".join(parts))
        cursor.execute(
            "INSERT INTO coverage_payment"
            " (received, number, knp, payer_name, payer_id, consumer_iin, amount, status, period, refund_amount)"
            " SELECT received, number, knp, payer_name, payer_id, consumer_iin, amount,"
            " CASE WHEN returned THEN %s ELSE %s END, period, refund"
            " FROM coverage_payment_load ORDER BY line"
            " ON CONFLICT (consumer_iin, period, received, payer_id, number) DO NOTHING",
            [Payment.Status.RETURNED, Payment.Status.ACCEPTED],
        )
        added = cursor.rowcount
        returned = [row for row in rows if row.returned]
        updated = 0
        if returned:
            cursor.executemany(
                "UPDATE coverage_payment SET status = %s, refund_amount = %s"
                " WHERE consumer_iin = %s AND period = %s AND received = %s AND payer_id = %s AND number = %s"
                " AND status = %s",
                [
                    (
                        Payment.Status.RETURNED,
                        Decimal(row.refund or row.amount),
                        *row.identity,
                        Payment.Status.ACCEPTED,
                    )
                    for row in returned
                ],
            )
            updated = max(cursor.rowcount, 0)
    return Counts(added=added, updated=updated, unchanged=len(rows) - added - updated)


def payments_writer():
    return payments_write_postgresql if connection.vendor == "postgresql" else payments_write_orm


# --- benefit memberships -----------------------------------------------------------------------------


def benefits_write(rows: Sequence[BenefitRow]) -> Counts:
    """Identity: (IIN, category, start) from the register; a changed end date is an update."""
    counts = Counts()
    source = BenefitMembership.Source.REGISTRY
    stored: dict[tuple, tuple[int | None, object]] = {}
    for pk, iin, category, start, end in BenefitMembership.objects.filter(
        iin__in={row.iin for row in rows}, source=source
    ).values_list("id", "iin", "category_id", "start", "end"):
        stored[(iin, category, start)] = (pk, end)
    final: dict[tuple, BenefitRow] = {}
    for row in rows:
        identity = (row.iin, row.category, row.start)
        known = stored.get(identity)
        if known is None:
            counts.added += 1
        elif known[1] != row.end:
            counts.updated += 1
        else:
            counts.unchanged += 1
            continue
        stored[identity] = (None if known is None else known[0], row.end)
        final[identity] = row
    creates, updates = [], []
    for identity, row in final.items():
        pk = stored[identity][0]
        membership = BenefitMembership(
            pk=pk, iin=row.iin, category_id=row.category, start=row.start, end=row.end, source=source
        )
        (creates if pk is None else updates).append(membership)
    BenefitMembership.objects.bulk_create(creates, batch_size=500)
    BenefitMembership.objects.bulk_update(updates, ["end"], batch_size=500)
    return counts


# --- persons -------------------------------------------------------------------------------------------

_PERSON_FIELDS = ("last_name", "first_name", "patronymic", "birth_date", "phone")


def persons_write(rows: Sequence[PersonRow]) -> Counts:
    """Identity: the IIN; any changed field is an update (the register is the source of truth)."""
    counts = Counts()
    stored: dict[str, tuple] = {
        iin: tuple(values)
        for iin, *values in Person.objects.filter(iin__in={row.iin for row in rows}).values_list("iin", *_PERSON_FIELDS)
    }
    existed = set(stored)
    final: dict[str, tuple] = {}
    for row in rows:
        values = (row.last_name, row.first_name, row.patronymic, row.birth_date, row.phone)
        known = stored.get(row.iin)
        if known is None:
            counts.added += 1
        elif known != values:
            counts.updated += 1
        else:
            counts.unchanged += 1
            continue
        stored[row.iin] = values
        final[row.iin] = values
    creates, updates = [], []
    for iin, values in final.items():
        person = Person(iin=iin, **dict(zip(_PERSON_FIELDS, values, strict=True)))
        (updates if iin in existed else creates).append(person)
    Person.objects.bulk_create(creates, batch_size=500)
    Person.objects.bulk_update(updates, list(_PERSON_FIELDS), batch_size=500)
    return counts
