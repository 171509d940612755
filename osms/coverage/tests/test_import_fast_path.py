"""The bulk payments import's chunks stored as new rows when none is stored yet, merged otherwise
(importers/apply.py, docs/adr/0108-payments-fast-path.md): the same rows and counts either way,
as the portable path stores and counts them."""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from osms.coverage.importers import KIND_PAYMENTS, bulk, run_import
from osms.coverage.models import Payment

from .factories import iin, payment_line, payment_lines_of_many, payments_file, stored_payments

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the bulk path is PostgreSQL's"),
    pytest.mark.django_db,
]


@pytest.fixture
def chunks(monkeypatch):
    """(tried as new, stored as new) of every chunk applied, in the order applied."""
    seen: list[tuple[bool, bool]] = []
    real = bulk.payments_apply

    def spy(*, chunk, new=True, **rest):
        added, updated, stored_as_new = real(chunk=chunk, new=new, **rest)
        seen.append((new, stored_as_new))
        return added, updated, stored_as_new

    monkeypatch.setattr(bulk, "payments_apply", spy)
    return seen


def _import(path, **kwargs):
    with path.open("rb") as stream:
        return run_import(KIND_PAYMENTS, stream, **kwargs).as_dict()


def test_a_new_file_is_stored_as_new_rows_exactly_as_the_portable_path_stores_it(tmp_path, chunks):
    path = payments_file(tmp_path, payment_lines_of_many(60))
    portable = _import(path, bulk_path=False)
    expected = stored_payments()
    Payment.objects.all().delete()

    assert _import(path, batch_size=40) == portable
    assert stored_payments() == expected
    assert len(chunks) > 1 and all(stored_as_new for _tried, stored_as_new in chunks)


def test_within_the_file_the_first_row_of_an_identity_wins_and_a_later_return_is_an_update(tmp_path, chunks):
    a, b = iin(), iin()
    lines = [
        payment_line(a, "012024", "100.00", knp="122"),
        payment_line(a, "012024", "999.00", knp="124"),  # the same identity: unchanged
        payment_line(a, "012024", status="ВОЗВРАТ"),  # returns the row above: updated
        payment_line(b, "012024", status="ВОЗВРАТ", refund="10.00"),  # an unknown return: added as returned
        payment_line(b, "012024"),  # the accepted row after its return: unchanged
    ]
    summary = _import(payments_file(tmp_path, lines))
    assert summary == {"read": 5, "added": 2, "updated": 1, "unchanged": 2, "rejected": 0}
    assert chunks == [(True, True)]
    first = Payment.objects.get(consumer_iin=a)
    assert (first.amount, first.knp, first.status) == (Decimal("100.00"), "122", Payment.Status.RETURNED)
    assert Payment.objects.get(consumer_iin=b).refund_amount == Decimal("10.00")


def test_a_file_imported_again_is_all_unchanged_and_its_lane_merges_after_the_first_stored_row(tmp_path, chunks):
    path = payments_file(tmp_path, payment_lines_of_many(60))
    first = _import(path, batch_size=20)
    stored = stored_payments()
    chunks.clear()

    again = _import(path, batch_size=20)
    assert again == {**first, "added": 0, "updated": 0, "unchanged": first["read"] - first["rejected"]}
    assert stored_payments() == stored
    # One lane (inside the test's transaction): the first chunk is tried and met stored rows;
    # the others are merged at once.
    assert len(chunks) > 2 and chunks == [(True, False)] + [(False, False)] * (len(chunks) - 1)


def test_a_file_overlapping_stored_rows_is_merged_with_the_portable_paths_rows_and_counts(tmp_path, chunks):
    lines = payment_lines_of_many(60)
    earlier, path = payments_file(tmp_path, lines[::3], name="earlier.csv"), payments_file(tmp_path, lines)
    results = {}
    for bulk_path in (False, True):
        Payment.objects.all().delete()
        _import(earlier, bulk_path=False)
        chunks.clear()
        results[bulk_path] = (_import(path, bulk_path=bulk_path, batch_size=40), stored_payments())
    assert results[True] == results[False]
    assert results[True][0]["added"] > 0 and results[True][0]["unchanged"] > 0
    assert chunks and chunks[0] == (True, False)


@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_of_overlapping_files_store_the_union(tmp_path, settings, monkeypatch):
    """The second import's new rows meet the first's, not yet committed: it waits, finds them
    stored, and merges its chunk instead."""
    settings.PAYMENTS_IMPORT_CONNECTIONS = 1
    people = [iin(dt.date(1960 + n, 1, 1)) for n in range(30)]
    one = payments_file(tmp_path, [payment_line(p, "012024") for p in people[:20]], name="one.csv")
    two = payments_file(tmp_path, [payment_line(p, "012024") for p in people[10:]], name="two.csv")
    real, seen, lock = bulk.payments_apply, [], threading.Lock()
    second_started = threading.Event()

    def overlapping(*, chunk, new=True, **rest):
        with lock:
            second = bool(seen)
            seen.append(None)
        if second:
            second_started.set()  # and now waits on the first's uncommitted rows
            result = real(chunk=chunk, new=new, **rest)
        else:
            result = real(chunk=chunk, new=new, **rest)  # the rows are in, the transaction not yet committed
            second_started.wait(timeout=10)
            time.sleep(0.3)
        seen[1 if second else 0] = result
        return result

    monkeypatch.setattr(bulk, "payments_apply", overlapping)
    summaries, errors = [], []

    def run(path):
        try:
            summaries.append(_import(path))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(path,)) for path in (one, two)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sorted(Payment.objects.values_list("consumer_iin", flat=True)) == sorted(people)
    assert sorted((s["added"], s["unchanged"]) for s in summaries) == [(10, 10), (20, 0)]
    assert sorted(stored_as_new for _added, _updated, stored_as_new in seen) == [False, True]
