"""The bulk payments import's chunks spilled to local files and COPYed straight into the table as
new rows (importers/spill.py, importers/apply.py, docs/adr/0110-payments-import-direct-copy.md):
the portable path's rows and counts, the merge when rows are stored already, and no file left."""

from __future__ import annotations

import pytest
from django.db import connection

from osms.coverage.importers import KIND_PAYMENTS, apply, bulk, run_import
from osms.coverage.models import Payment

from .factories import iin, payment_line, payment_lines_of_many, payments_file, stored_payments

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the bulk path is PostgreSQL's"),
    pytest.mark.django_db,
]


class Killed(Exception):
    pass


@pytest.fixture
def spills(tmp_path, settings):
    """The directory every spill directory of the test is made in (PAYMENTS_IMPORT_SPILL_DIR)."""
    where = tmp_path / "spills"
    where.mkdir()
    settings.PAYMENTS_IMPORT_SPILL_DIR = str(where)
    return where


@pytest.fixture
def paths(monkeypatch):
    """How each chunk was stored: "copy" (straight into the table) or "merge"."""
    seen: list[str] = []
    real_copy, real_merge = apply._copy_new, apply._merge

    def copy(cursor, data):
        stored = real_copy(cursor, data)
        if stored:
            seen.append("copy")
        return stored

    def merge(cursor):
        seen.append("merge")
        return real_merge(cursor)

    monkeypatch.setattr(apply, "_copy_new", copy)
    monkeypatch.setattr(apply, "_merge", merge)
    return seen


def _import(path, **kwargs):
    with path.open("rb") as stream:
        return run_import(KIND_PAYMENTS, stream, **kwargs).as_dict()


def _names():
    return list(Payment.objects.order_by("consumer_iin", "period", "number").values_list("number", "payer_name"))


def test_a_new_file_is_copied_straight_into_the_table_and_its_spill_files_are_removed(
    tmp_path, spills, paths, monkeypatch
):
    path = payments_file(tmp_path, payment_lines_of_many(60))
    portable = _import(path, bulk_path=False)
    expected = stored_payments()
    Payment.objects.all().delete()
    seen_files = []
    real = bulk.payments_apply

    def looking(**kwargs):
        seen_files.extend(p.name for p in spills.glob("*/*"))
        return real(**kwargs)

    monkeypatch.setattr(bulk, "payments_apply", looking)
    assert _import(path, batch_size=40) == portable
    assert stored_payments() == expected
    assert len(paths) > 1 and set(paths) == {"copy"}
    assert seen_files and all(name.startswith("chunk-") for name in seen_files)
    assert list(spills.iterdir()) == []


def test_text_that_copy_escapes_is_stored_as_the_portable_path_stores_it(tmp_path, paths):
    person = iin()
    lines = [
        payment_line(person, "012024", number="A\\1", payer_name="ТОО\\ «Ромашка»"),
        payment_line(person, "022024", number=" 7 ", payer_name=" Имя\tс табуляцией "),
        payment_line(person, "032024", number="7", payer_name="Имя\tс табуляцией", status="ВОЗВРАТ"),
    ]
    path = payments_file(tmp_path, lines)
    portable = _import(path, bulk_path=False)
    expected = stored_payments(), _names()
    Payment.objects.all().delete()
    assert _import(path) == portable
    assert (stored_payments(), _names()) == expected
    assert paths == ["copy"]


def test_a_chunk_copied_as_new_rows_stores_what_the_merge_stores(tmp_path, paths, monkeypatch):
    """Rows of one identity within the file, returns among them: the first row in the file,
    marked returned by the first ВОЗВРАТ that follows it, either way."""
    a, b = iin(), iin()
    lines = [
        *payment_lines_of_many(40),
        payment_line(a, "012024", "100.00", knp="122", number=" 5 ", payer_name=" Первый "),
        payment_line(a, "012024", "999.00", knp="124", number="5"),
        payment_line(a, "012024", number="5", status="ВОЗВРАТ", refund="12.00"),
        payment_line(a, "012024", number="5", status="ВОЗВРАТ", refund="13.00"),
        payment_line(b, "012024", status="ВОЗВРАТ", refund="10.00"),
        payment_line(b, "012024"),
    ]
    path = payments_file(tmp_path, lines)
    direct = _import(path, batch_size=40), stored_payments(), _names()
    assert set(paths) == {"copy"}
    Payment.objects.all().delete()
    paths.clear()
    monkeypatch.setattr(apply, "_copy_new", lambda cursor, data: False)
    assert (_import(path, batch_size=40), stored_payments(), _names()) == direct
    assert set(paths) == {"merge"}


def test_a_file_overlapping_stored_rows_falls_back_to_the_merge_with_the_portable_paths_result(tmp_path, paths):
    lines = payment_lines_of_many(60)
    earlier, path = payments_file(tmp_path, lines[1::4], name="earlier.csv"), payments_file(tmp_path, lines)
    results = {}
    for bulk_path in (False, True):
        Payment.objects.all().delete()
        _import(earlier, bulk_path=False)
        paths.clear()
        results[bulk_path] = (_import(path, bulk_path=bulk_path, batch_size=40), stored_payments())
    assert results[True] == results[False]
    assert results[True][0]["updated"] > 0 and results[True][0]["unchanged"] > 0
    assert paths and set(paths) == {"merge"}  # the first chunk met stored rows: the lane merges on


def test_the_spill_files_are_removed_when_the_import_fails(tmp_path, spills, monkeypatch):
    path = payments_file(tmp_path, payment_lines_of_many(30))
    real = bulk.payments_apply

    def dies(**kwargs):
        real(**kwargs)
        raise Killed

    monkeypatch.setattr(bulk, "payments_apply", dies)
    with pytest.raises(Killed):
        _import(path, batch_size=20)
    assert list(spills.iterdir()) == []

    def fails_while_reading(summary):
        if summary.read:
            raise Killed

    monkeypatch.setattr(bulk, "payments_apply", real)
    with path.open("rb") as stream, pytest.raises(Killed):
        run_import(KIND_PAYMENTS, stream, on_progress=fails_while_reading)
    assert list(spills.iterdir()) == []


def test_an_import_removes_the_spill_left_by_an_import_killed_outright(tmp_path, settings):
    """Rows that name people do not stay on disk: a directory nothing has written to for
    STALE_SECONDS is removed by the next import; a running import's directory is left alone."""
    import os
    import time

    from osms.coverage.importers import spill

    settings.PAYMENTS_IMPORT_SPILL_DIR = str(tmp_path)
    killed, running = tmp_path / "osms-payments-killed", tmp_path / "osms-payments-running"
    for directory in (killed, running):
        directory.mkdir()
        (directory / "chunk-0.tsv").write_text("1\t2026-11-05\n")
    old = time.time() - spill.STALE_SECONDS - 60
    for path in (killed / "chunk-0.tsv", killed):
        os.utime(path, (old, old))
    made = spill.Spill()
    try:
        assert not killed.exists() and running.exists() and made.directory.exists()
    finally:
        made.remove()
