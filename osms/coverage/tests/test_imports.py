"""Register imports (docs/domain.md §13): formats, idempotency, ВОЗВРАТ, bad rows with line numbers,
unreadable files, and an import killed midway."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import random
from decimal import Decimal

import polars as pl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from osms.core.iin import make_bin
from osms.coverage.importers import KIND_PAYMENTS, bulk, columnar, run_import, writers
from osms.coverage.importers.parsing import PAYMENTS_HEADER
from osms.coverage.models import BenefitMembership, Payment, Person

from .factories import (
    EMPLOYER_BIN,
    benefits_file,
    iin,
    payment_line,
    payment_lines_of_many,
    payments_file,
    persons_file,
    stored_payments,
)

pytestmark = pytest.mark.django_db


def run(command: str, path) -> tuple[str, dict[str, int]]:
    out = io.StringIO()
    call_command(command, str(path), stdout=out)
    text = out.getvalue()
    summary_line = text.strip().splitlines()[-1]
    summary = {name: int(value) for name, value in (part.split(": ") for part in summary_line.split(", "))}
    return text, summary


# --- payments ----------------------------------------------------------------------------------------


def test_payments_imported_and_reimport_changes_nothing(tmp_path):
    person = iin()
    path = payments_file(
        tmp_path,
        [
            payment_line(person, "012024"),
            payment_line(person, "022024", "4250,00", number="2"),
            payment_line(person, "032024", "1500", knp="121", payer=EMPLOYER_BIN, payer_name='ТОО "Ромашка"'),
        ],
        bom=True,
    )
    _, summary = run("import_payments", path)
    assert summary == {"read": 3, "added": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    stored = Payment.objects.get(consumer_iin=person, period=202402)
    assert stored.amount == Decimal("4250.00") and stored.received == dt.date(2024, 2, 1)
    employer = Payment.objects.get(consumer_iin=person, period=202403)
    assert (employer.knp, employer.payer_id, employer.payer_name) == ("121", EMPLOYER_BIN, 'ТОО "Ромашка"')
    assert employer.status == Payment.Status.ACCEPTED and employer.refund_amount is None

    _, again = run("import_payments", path)
    assert again == {"read": 3, "added": 0, "updated": 0, "unchanged": 3, "rejected": 0}
    assert Payment.objects.count() == 3


def test_a_later_return_row_marks_the_payment_returned(tmp_path):
    person = iin()
    run("import_payments", payments_file(tmp_path, [payment_line(person, "012024")], name="a.csv"))
    returned = payment_line(person, "012024", status="ВОЗВРАТ", refund="4250.00")
    _, summary = run("import_payments", payments_file(tmp_path, [returned], name="b.csv"))
    assert summary == {"read": 1, "added": 0, "updated": 1, "unchanged": 0, "rejected": 0}
    payment = Payment.objects.get(consumer_iin=person)
    assert payment.status == Payment.Status.RETURNED and payment.refund_amount == Decimal("4250.00")
    # The same return again, and the original accepted row again, change nothing.
    _, summary = run(
        "import_payments", payments_file(tmp_path, [returned, payment_line(person, "012024")], name="c.csv")
    )
    assert summary["unchanged"] == 2 and summary["updated"] == 0
    assert Payment.objects.get(consumer_iin=person).status == Payment.Status.RETURNED


def test_return_without_sum_refunds_the_whole_payment_and_unknown_return_is_stored(tmp_path):
    person = iin()
    lines = [
        payment_line(person, "012024"),
        payment_line(person, "012024", status="возврат"),
        payment_line(person, "022024", status="ВОЗВРАТ", refund="100.50"),
    ]
    _, summary = run("import_payments", payments_file(tmp_path, lines))
    assert summary == {"read": 3, "added": 2, "updated": 1, "unchanged": 0, "rejected": 0}
    january, february = Payment.objects.filter(consumer_iin=person).order_by("period")
    assert january.status == Payment.Status.RETURNED and january.refund_amount == Decimal("4250.00")
    assert february.status == Payment.Status.RETURNED and february.refund_amount == Decimal("100.50")


def test_identity_is_the_five_columns(tmp_path):
    person = iin()
    base = payment_line(person, "012024")
    lines = [
        base,
        payment_line(person, "012024", number="2"),  # another order number
        payment_line(person, "012024", received="02.01.2024"),  # another day
        payment_line(person, "012024", payer=EMPLOYER_BIN, knp="121"),  # another payer
        payment_line(person, "022024", received="01.01.2024"),  # another period
        payment_line(iin(), "012024"),  # another person
        payment_line(person, "012024", "9999.00", knp="124"),  # same identity: amount and KNP do not count
    ]
    _, summary = run("import_payments", payments_file(tmp_path, lines))
    assert summary == {"read": 7, "added": 6, "updated": 0, "unchanged": 1, "rejected": 0}


BAD_ROWS = [
    # (the row, words the reason must contain)
    (
        lambda p: payment_line(p[:-1] + str((int(p[-1]) + 1) % 10), "012024", payer=EMPLOYER_BIN, knp="121"),
        "ИИН потребителя",
    ),
    (lambda p: payment_line(p, "012024", payer=EMPLOYER_BIN[:-1] + str((int(EMPLOYER_BIN[-1]) + 1) % 10)), "ИИН/БИН"),
    (lambda p: payment_line(p, "012024", received="31.02.2024"), "Дата поступления"),
    (lambda p: payment_line(p, "012024", received="2024-01-05"), "Дата поступления"),
    (lambda p: payment_line(p, "132024", received="05.01.2024"), "Период"),
    (lambda p: payment_line(p, "1.2024", received="05.01.2024"), "Период"),
    (lambda p: payment_line(p, "012024", knp="125"), "КНП"),
    (lambda p: payment_line(p, "012024", "-4250.00"), "negative"),
    (lambda p: payment_line(p, "012024", "4 250"), "Сумма"),
    (lambda p: payment_line(p, "012024", "42.5"), "Сумма"),
    (lambda p: payment_line(p, "012024", status="ПРИНЯТ"), "Статус"),
    (lambda p: payment_line(p, "012024", number=""), "№"),
    (lambda p: payment_line(p, "012024", refund="abc"), "Сумма возврата"),
    (lambda p: payment_line(p, "012024") + ";extra", "columns"),
    (lambda p: ";".join(payment_line(p, "012024").split(";")[:9]), "columns"),
    (lambda p: payment_line(p, "012024", received="01.01.2099"), "future"),
    (lambda p: payment_line(p, "012026", received="01.01.2024"), "months after"),
]


@pytest.mark.parametrize(("make", "words"), BAD_ROWS)
def test_each_bad_row_is_reported_with_line_number_and_reason_and_good_rows_kept(tmp_path, make, words):
    person = iin()
    lines = [payment_line(person, "112023"), make(person), payment_line(person, "122023")]
    text, summary = run("import_payments", payments_file(tmp_path, lines))
    assert summary == {"read": 3, "added": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    rejection = [line for line in text.splitlines() if line.startswith("line ")]
    assert len(rejection) == 1 and rejection[0].startswith("line 3: ")  # the header is line 1
    assert words in rejection[0]
    assert sorted(Payment.objects.values_list("period", flat=True)) == [202311, 202312]


def test_a_line_not_in_utf8_is_rejected_and_the_rest_kept(tmp_path):
    person = iin()
    path = payments_file(tmp_path, [payment_line(person, "012024")])
    with path.open("ab") as stream:
        stream.write(payment_line(person, "022024", payer_name="Оплата").encode("cp1251") + b"\n")
        stream.write((payment_line(person, "032024") + "\r\n").encode("utf-8"))
    text, summary = run("import_payments", path)
    assert summary == {"read": 3, "added": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    assert "line 3: the line is not valid UTF-8 text" in text


def test_a_file_not_in_utf8_cannot_be_read(tmp_path):
    path = tmp_path / "cp1251.csv"
    path.write_bytes(
        ("Дата поступления;№;КНП;Отправитель;ИИН/БИН;ИИН потребителя;Сумма;Статус;Период;Сумма возврата\n").encode(
            "cp1251"
        )
    )
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_payments", str(path), stdout=io.StringIO())


def test_a_wrong_header_or_a_missing_file_cannot_be_read(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("ИИН;Категория;Начало;Окончание\n", encoding="utf-8")
    with pytest.raises(CommandError, match="header"):
        call_command("import_payments", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("import_payments", str(tmp_path / "missing.csv"), stdout=io.StringIO())
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="empty"):
        call_command("import_payments", str(empty), stdout=io.StringIO())


def test_report_option_writes_rejected_rows_as_csv(tmp_path):
    person = iin()
    path = payments_file(tmp_path, [payment_line(person, "012024", knp="999"), payment_line(person, "022024")])
    report = tmp_path / "report.csv"
    call_command("import_payments", str(path), "--report", str(report), stdout=io.StringIO())
    lines = report.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "line,reason,text"
    assert lines[1].startswith("2,\"КНП: unknown code '999'")


class Killed(Exception):
    pass


PATHS = [False]  # bulk_path: the batched ORM path everywhere, and the bulk path on PostgreSQL
if connection.vendor == "postgresql":
    PATHS.append(True)


def _path_id(bulk_path: bool) -> str:
    return "bulk" if bulk_path else "portable"


@pytest.mark.parametrize("bulk_path", PATHS, ids=_path_id)
def test_an_import_killed_midway_leaves_whole_batches_and_can_be_run_again(tmp_path, monkeypatch, bulk_path):
    lines = [payment_line(iin(dt.date(1960 + n, 1, 1)), f"{n + 1:02d}2024", number=str(n)) for n in range(7)]
    path = payments_file(tmp_path, lines)
    calls = {"n": 0}

    def dies_in_second_batch(real):
        def write(*args, **kwargs):
            calls["n"] += 1
            result = real(*args, **kwargs)  # the batch is written...
            if calls["n"] == 2:
                raise Killed  # ...and the process dies before its transaction commits
            return result

        return write

    if bulk_path:
        monkeypatch.setattr(bulk, "payments_apply", dies_in_second_batch(bulk.payments_apply))
    else:
        real = writers.payments_writer()
        monkeypatch.setattr(writers, "payments_writer", lambda: dies_in_second_batch(real))
    with path.open("rb") as stream, pytest.raises(Killed):
        run_import(KIND_PAYMENTS, stream, batch_size=3, bulk_path=bulk_path)
    kept = Payment.objects.count()
    assert 0 < kept < 7  # the first batch, whole; nothing of the second

    monkeypatch.undo()
    with path.open("rb") as stream:
        summary = run_import(KIND_PAYMENTS, stream, batch_size=3, bulk_path=bulk_path)
    assert summary.as_dict() == {"read": 7, "added": 7 - kept, "updated": 0, "unchanged": kept, "rejected": 0}
    assert Payment.objects.count() == 7


@pytest.mark.parametrize("bulk_path", PATHS, ids=_path_id)
def test_paths_count_alike_within_one_batch(tmp_path, bulk_path):
    """Duplicates and returns inside one batch: the first row of an identity is stored, a later
    ВОЗВРАТ of it is an update - the same on the portable and the PostgreSQL bulk path."""
    a, b = iin(), iin()
    lines = [
        payment_line(a, "012024"),
        payment_line(a, "012024"),  # duplicate: unchanged
        payment_line(a, "012024", status="ВОЗВРАТ"),  # return of the row above: updated
        payment_line(b, "012024", status="ВОЗВРАТ", refund="10.00"),  # unknown return: added as returned
        payment_line(b, "012024", status="ВОЗВРАТ", refund="20.00"),  # the same return again: unchanged
        payment_line(b, "012024"),  # the accepted row after its return: unchanged
        payment_line(b, "022024", payer_name="Tab\there \\ backslash\rreturn"),
        payment_line(b, "032024", "100.00", received="10.03.2024"),
        payment_line(b, "032024", "999.00", received="10.03.2024", knp="124"),  # same identity: the first wins
    ]
    with payments_file(tmp_path, lines).open("rb") as stream:
        summary = run_import(KIND_PAYMENTS, stream, bulk_path=bulk_path)
    assert summary.as_dict() == {"read": 9, "added": 4, "updated": 1, "unchanged": 4, "rejected": 0}
    statuses = dict(Payment.objects.values_list("consumer_iin", "status").filter(period=202401))
    assert statuses == {a: Payment.Status.RETURNED, b: Payment.Status.RETURNED}
    assert Payment.objects.get(consumer_iin=b, period=202402).payer_name == "Tab\there \\ backslash\rreturn"
    assert Payment.objects.get(consumer_iin=b, period=202401).refund_amount == Decimal("10.00")
    assert Payment.objects.get(consumer_iin=a, period=202401).refund_amount == Decimal("4250.00")
    assert Payment.objects.get(consumer_iin=b, period=202403).amount == Decimal("100.00")


@pytest.mark.parametrize("bulk_path", PATHS, ids=_path_id)
def test_crlf_blank_lines_and_a_last_line_without_end(tmp_path, bulk_path):
    person = iin()
    body = "\r\n".join(
        [";".join(PAYMENTS_HEADER), payment_line(person, "012024"), "", "  ", payment_line(person, "022024")]
    )
    path = tmp_path / "crlf.csv"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8") + b"\r\n" + payment_line(person, "x").encode())
    text_summary = {}
    rejected = []
    with path.open("rb") as stream:
        text_summary = run_import(KIND_PAYMENTS, stream, bulk_path=bulk_path, on_rejected=rejected.append)
    assert text_summary.as_dict() == {"read": 3, "added": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    assert [r.line for r in rejected] == [6]
    if bulk_path:  # the portable path leaves blank lines out of its byte count (progress only)
        assert text_summary.bytes_read == path.stat().st_size


def test_payer_iin_and_bin_of_other_types_are_accepted(tmp_path):
    person = iin()
    state_body = make_bin(dt.date(1999, 12, 1), serial=7)  # type digit 4
    lines = [
        payment_line(person, "012024", payer=iin(dt.date(1965, 3, 15))),  # a relative pays
        payment_line(person, "022024", payer=state_body, knp="121"),
    ]
    _, summary = run("import_payments", payments_file(tmp_path, lines))
    assert summary["added"] == 2


# --- persons -----------------------------------------------------------------------------------------


def test_persons_imported_updated_and_bad_rows_rejected(tmp_path):
    birth = dt.date(1990, 1, 15)
    a, b = iin(birth), iin(birth, female=True)
    first = [
        f"{a};Сериков;Арман;Болатович;15.01.1990;8 701 234 56 78",
        f"{b};Серикова;Асель;;15.01.1990;",
        f"{iin(birth)};Сериков;Арман;;16.01.1990;",  # birth date does not match the IIN
        f"{iin(birth)};;Арман;;15.01.1990;",  # no surname
        f"{iin(birth)};Сериков;Арман;;15.01.1990;12345",  # not a mobile number
        f"{a[:-1]}{(int(a[-1]) + 1) % 10};Сериков;Арман;;15.01.1990;",  # check digit
    ]
    text, summary = run("import_persons", persons_file(tmp_path, first, name="p1.csv"))
    assert summary == {"read": 6, "added": 2, "updated": 0, "unchanged": 0, "rejected": 4}
    assert [line[:7] for line in text.splitlines() if line.startswith("line ")] == [
        "line 4:",
        "line 5:",
        "line 6:",
        "line 7:",
    ]
    assert "Дата рождения" in text and "Фамилия" in text and "Телефон" in text
    person = Person.objects.get(iin=a)
    assert (person.full_name, person.phone) == ("Сериков Арман Болатович", "+77012345678")

    second = [f"{a};Сериков;Арман;Болатович;15.01.1990;+77012345678", f"{b};Ахметова;Асель;;15.01.1990;"]
    _, summary = run("import_persons", persons_file(tmp_path, second, name="p2.csv"))
    assert summary == {"read": 2, "added": 0, "updated": 1, "unchanged": 1, "rejected": 0}
    assert Person.objects.get(iin=b).last_name == "Ахметова"


# --- benefits ----------------------------------------------------------------------------------------------


def test_benefits_imported_end_date_updates_and_bad_rows_rejected(tmp_path):
    a = iin()
    first = [
        f"{a};8;01.01.2024;",
        f"{a};10;01.09.2023;30.06.2024",
        f"{a};16;01.01.2024;",  # no such category
        f"{a};8;01.13.2024;",  # bad start
        f"{a};8;01.01.2024;31.12.2023",  # ends before it starts
        f"{a};8;01.01.2024",  # a column missing
    ]
    text, summary = run("import_benefits", benefits_file(tmp_path, first, name="b1.csv"))
    assert summary == {"read": 6, "added": 2, "updated": 0, "unchanged": 0, "rejected": 4}
    assert "line 4: Категория" in text and "line 5: Начало" in text and "line 6: Окончание" in text
    assert "line 7: expected 4 columns" in text
    assert BenefitMembership.objects.get(iin=a, category=8).end is None

    second = [f"{a};8;01.01.2024;31.12.2025", f"{a};10;01.09.2023;30.06.2024"]
    _, summary = run("import_benefits", benefits_file(tmp_path, second, name="b2.csv"))
    assert summary == {"read": 2, "added": 0, "updated": 1, "unchanged": 1, "rejected": 0}
    assert BenefitMembership.objects.get(iin=a, category=8).end == dt.date(2025, 12, 31)


def _variants(person: str) -> list[str]:
    """Rows in and out of the register's exact shape: spaces, case, commas, both payer kinds."""
    good = [
        payment_line(person, "012024"),
        payment_line(person, "012024", "4250,00"),
        payment_line(person, "012024", "4250"),
        payment_line(person, "022024", "1500.50", knp="121", payer=EMPLOYER_BIN, payer_name='ТОО "Ромашка"'),
        payment_line(person, "122024", received="05.01.2024"),  # a prepaid month
        payment_line(person, "012024", status="ВОЗВРАТ"),
        payment_line(person, "012024", status="возврат", refund="100,00"),
        payment_line(person, "012024", status="ВОЗВРАТ", refund="1.00"),
        payment_line(person, "012024", number=" 7 ", payer_name="  Имя  "),
        payment_line(person, "012024", number="x" * 32, payer_name="я" * 255),
        payment_line(person, "012024", number="x" * 33),
        payment_line(person, "012024", payer_name="я" * 256),
        payment_line(person, "012024", knp=" 121"),
        payment_line(person, " 012024"),
        payment_line(person, "012024", " 4250.00"),
        payment_line(person, "012024", received=" 01.01.2024"),
        payment_line(person, "012024", payer=" " + person),
        payment_line(person, "012024", refund=" "),
        payment_line(person, "012024", status=" ОБРАБОТАННЫЕ"),
        payment_line(" " + person, "012024", payer=person),
        payment_line(person, "012024", payer_name="a\x00b"),
        payment_line(person, "012024", payer_name="back\\slash\ttab"),
        payment_line(person, "012024", received="23.11.2026"),  # today
        payment_line(person, "012024", received="24.11.2026"),  # tomorrow
    ]
    return good + [make(person) for make, _ in BAD_ROWS]


def test_the_columnar_check_accepts_only_what_the_full_parser_accepts_with_the_same_values():
    from osms.coverage.importers.parsing import Line, RowError, parse_payment

    today = dt.date(2026, 11, 23)
    verdicts = columnar.Verdicts(today=today)
    texts = _variants(iin()) + _variants(iin(dt.date(2001, 6, 30), female=True)) + [None, "", "  "]
    fast_taken = 0
    for _ in range(2):  # the second time from the remembered verdicts
        good, slow = columnar.check_block(2, texts, verdicts)
        assert good.height + len(slow) == len(texts)
        fast = dict(zip(good["line"].cast(int).to_list(), columnar.copy_rows(good).decode().splitlines(), strict=True))
        for at, text in enumerate(texts):
            number = 2 + at
            try:
                row = parse_payment(Line(number=number, text=text, size=0), today=today)
            except RowError:
                assert number not in fast, text
                continue
            if number in fast:
                fast_taken += 1
                assert fast[number] + "\n" == bulk.copy_line(row), text
    assert fast_taken >= 32  # the register's own shape takes the columnar path (9 rows of each 2 x 2)


def test_the_columnar_check_knows_the_iin_and_bin_rules():
    """Every IIN and BIN rule of docs/domain.md §2 in columns, against osms.core.iin on the same values."""
    from osms.core.iin import is_valid_bin, is_valid_iin, make_iin

    values = [
        make_iin(dt.date(1900 + y, 1 + y % 12, 1 + y % 28), female=y % 2 == 1, serial=y) for y in range(0, 126, 5)
    ]
    values += [v[:-1] + str((int(v[-1]) + 1) % 10) for v in values]  # a wrong check digit
    values += ["000229300012", "000229500019", "990230300010", "991301300017", "990101700018", "990101000010"]
    values += ["123456789012", "12345678901", "1234567890123", "99010130001a", "٩٩٠١٠١٣٠٠٠١٨", ""]
    values += [make_bin(dt.date(2000 + m, 1 + m % 12, 1), serial=m) for m in range(20)]
    values += ["051340000012", "050170000012", "050140000014"]
    frame = pl.DataFrame({"v": values}).with_columns(columnar.digit_columns("v"))
    verdict = frame.select(columnar.iin_ok("v").alias("iin"), columnar.payer_ok("v").alias("payer"))
    assert verdict["iin"].to_list() == [v.isascii() and is_valid_iin(v) for v in values]
    assert verdict["payer"].to_list() == [
        v.isascii() and (is_valid_iin(v) or (v[4:5] in ("4", "5", "6") and is_valid_bin(v))) for v in values
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bulk path's lanes are PostgreSQL sessions")
@pytest.mark.django_db(transaction=True)
def test_lanes_store_and_count_exactly_as_the_portable_path(tmp_path, settings):
    """Outside a transaction the bulk path shares the rows among several sessions at once; what
    it stores, counts and rejects is what the portable path stores, counts and rejects."""
    settings.PAYMENTS_IMPORT_CONNECTIONS = 3
    path = payments_file(tmp_path, payment_lines_of_many(150))
    results = {}
    for bulk_path in (True, False):
        Payment.objects.all().delete()
        rejected = []
        with path.open("rb") as stream:
            summary = run_import(KIND_PAYMENTS, stream, bulk_path=bulk_path, batch_size=40, on_rejected=rejected.append)
        results[bulk_path] = (summary.as_dict(), [(r.line, r.reason) for r in rejected], stored_payments())
    assert results[True] == results[False]
    counts, rejections, stored = results[True]
    bad = len(range(0, 150, 11))
    assert counts["read"] == len(payment_lines_of_many(150)) and counts["rejected"] == bad == len(rejections)
    assert counts["updated"] == len(range(0, 150, 4)) and counts["added"] == len(stored)

    with path.open("rb") as stream:
        again = run_import(KIND_PAYMENTS, stream, batch_size=40)
    assert again.as_dict() == {**counts, "added": 0, "updated": 0, "unchanged": counts["read"] - bad}
    assert stored_payments() == stored


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bulk path's lanes are PostgreSQL sessions")
@pytest.mark.django_db(transaction=True)
def test_lanes_killed_midway_leave_whole_chunks_and_the_file_can_be_run_again(tmp_path, settings, monkeypatch):
    settings.PAYMENTS_IMPORT_CONNECTIONS = 2
    path = payments_file(tmp_path, payment_lines_of_many(60))
    with path.open("rb") as stream:
        run_import(KIND_PAYMENTS, stream, bulk_path=False)
    expected = stored_payments()
    Payment.objects.all().delete()
    real = bulk.payments_apply
    calls = itertools.count(1)  # the lanes call at once: one count, taken before the call

    def dies_in_third_chunk(**kwargs):
        number = next(calls)
        result = real(**kwargs)  # the chunk is written...
        if number == 3:
            raise Killed  # ...and the session dies before its transaction commits
        return result

    monkeypatch.setattr(bulk, "payments_apply", dies_in_third_chunk)
    with path.open("rb") as stream, pytest.raises(Killed):
        run_import(KIND_PAYMENTS, stream, batch_size=20)
    partial = Payment.objects.count()
    assert partial < len(expected)  # the killed chunk left nothing

    monkeypatch.undo()
    with path.open("rb") as stream:
        summary = run_import(KIND_PAYMENTS, stream, batch_size=20)
    assert summary.added == len(expected) - partial
    assert stored_payments() == expected


def test_a_block_is_cut_into_the_same_lines_as_python_cuts_it():
    """The bulk path cuts a UTF-8 block into lines in polars; the lines must be Python's own:
    decode, split at "\\n" only (not at U+2028, U+0085 or a lone "\\r"), trailing "\\r"s removed;
    and a block that Python would not decode (a stray byte, a surrogate, an overlong form) is
    left to the line-by-line reading that rejects only its bad line."""
    from osms.coverage.importers.blocks import split_lines

    pieces = [b"\n", b"\r", b"\r\n", b";", b" ", b"\x00", b"a", "Ж".encode(), "\u2028".encode(), "\x85".encode()]
    broken = [b"\xff", b"\xed\xa0\x80", b"\xc0\xaf", b"\xd0", b"\xf4\x90\x80\x80"]
    rng = random.Random(13)
    for case in range(400):
        block = b"".join(rng.choice(pieces) for _ in range(rng.randrange(0, 40)))
        if case % 4 == 0:
            at = rng.randrange(len(block) + 1)
            block = block[:at] + rng.choice(broken) + block[at:]
        try:
            expected = [line.rstrip("\r") for line in block.decode("utf-8").split("\n")]
        except UnicodeDecodeError:
            expected = None
        lines = split_lines(block)
        assert (None if lines is None else lines.to_list()) == expected, block
