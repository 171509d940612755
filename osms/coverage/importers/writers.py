"""Storing one batch of parsed register rows, idempotently, and counting what changed.

Each writer is called inside a transaction per batch (see `importers.run_import`), so a killed
import leaves whole batches or nothing of a batch; running the file again finds the stored rows
unchanged. Counting follows the rows in file order: a row whose identity is new is "added", a
row that changes what is stored is "updated", any other is "unchanged" - the same in the
portable ORM writer here and the PostgreSQL bulk path (importers/bulk.py), which the tests check
against each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

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


def payments_writer():
    """The writer of the batched path (SQLite and small files; PostgreSQL uses importers/bulk.py)."""
    return payments_write_orm


def changed_rows(rows: Sequence, stored: dict[tuple, tuple], counts: Counts, *, identity) -> dict[tuple, object]:
    """The rows of a register whose identity is new or whose end date changed, by identity (the last
    row of an identity wins), counted as added, updated or unchanged. `stored` maps each stored
    identity to (pk, end) and is updated as rows are taken."""
    final: dict[tuple, object] = {}
    for row in rows:
        key = identity(row)
        known = stored.get(key)
        if known is None:
            counts.added += 1
        elif known[1] != row.end:
            counts.updated += 1
        else:
            counts.unchanged += 1
            continue
        stored[key] = (None if known is None else known[0], row.end)
        final[key] = row
    return final


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
    final = changed_rows(rows, stored, counts, identity=lambda row: (row.iin, row.category, row.start))
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
    before = {iin: values[_PERSON_FIELDS.index("phone")] for iin, values in stored.items()}
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
    _accounts_follow_phones(final, before)
    return counts


def _accounts_follow_phones(final: dict[str, tuple], before: dict[str, str]) -> None:
    """A number the register changed (or gave) is the account's new number (DOMAIN §14)."""
    from osms.accounts.services import account_phones_follow_register

    phone_at = _PERSON_FIELDS.index("phone")
    numbers = {iin: values[phone_at] for iin, values in final.items() if before.get(iin) != values[phone_at]}
    if numbers:
        account_phones_follow_register(numbers=numbers)
