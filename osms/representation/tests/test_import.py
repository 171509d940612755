import datetime as dt
import io
from unittest import mock

import pytest
from django.core.management import call_command

from conftest import new_iin
from osms.coverage.importers import run_import
from osms.representation import importer
from osms.representation.models import Representation

HEADER = "ИИН подопечного;ИИН представителя;Основание;Начало;Окончание\n"
PARENT = new_iin(dt.date(1985, 4, 4))
GUARDIAN = new_iin(dt.date(1970, 7, 7))
KID = new_iin(dt.date(2015, 3, 10))
WARD = new_iin(dt.date(2012, 9, 9))
ADULT = new_iin(dt.date(1999, 1, 1))


def bad_check_digit(iin: str) -> str:
    return iin[:11] + str((int(iin[11]) + 1) % 10)


def run(text: str, **kwargs):
    rejected = []
    summary = run_import(importer.KIND, io.BytesIO(text.encode()), on_rejected=rejected.append, **kwargs)
    return summary, {r.line: r.reason for r in rejected}


@pytest.mark.django_db
def test_good_rows_are_kept_and_bad_ones_reported_with_their_line_numbers():
    text = (
        HEADER
        + f"{KID};{PARENT};родитель;10.03.2015;\n"  # 2
        + f"{bad_check_digit(KID)};{PARENT};родитель;10.03.2015;\n"  # 3
        + f"{WARD};{GUARDIAN};дядя;01.01.2020;\n"  # 4
        + f"{WARD};{GUARDIAN};Опекун;01.01.2020;31.12.2019\n"  # 5
        + f"{WARD};{GUARDIAN};опекун;31.02.2020;\n"  # 6
        + f"{ADULT};{PARENT};родитель;01.01.2020;\n"  # 7
        + f"{WARD};{GUARDIAN};опекун;01.01.2020;31.12.2029\n"  # 8
    )
    summary, rejected = run(text)
    assert summary.added == 2 and summary.rejected == 5
    assert set(rejected) == {3, 4, 5, 6, 7}
    assert rejected[3].startswith("ИИН подопечного:")
    assert "Основание" in rejected[4]
    assert "before the start" in rejected[5]
    assert "not a real date" in rejected[6]
    assert "18" in rejected[7]
    stored = Representation.objects.get(ward_id=WARD)
    assert (stored.ground, stored.end, stored.source) == ("guardian", dt.date(2029, 12, 31), "register")


@pytest.mark.django_db
def test_the_import_is_idempotent_and_a_changed_end_is_an_update():
    text = HEADER + f"{KID};{PARENT};родитель;10.03.2015;\n{WARD};{GUARDIAN};попечитель;01.01.2020;\n"
    assert run(text)[0].added == 2
    again, _ = run(text)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    changed, _ = run(HEADER + f"{WARD};{GUARDIAN};попечитель;01.01.2020;01.06.2026\n")
    assert changed.updated == 1
    assert Representation.objects.count() == 2
    assert Representation.objects.get(ward_id=WARD).end == dt.date(2026, 6, 1)


@pytest.mark.django_db(transaction=True)
def test_a_failure_mid_import_keeps_whole_batches_and_a_rerun_completes():
    text = HEADER + f"{KID};{PARENT};родитель;10.03.2015;\n{WARD};{GUARDIAN};опекун;01.01.2020;\n"
    real = importer.write
    calls = []

    def failing(rows):
        calls.append(rows)
        if len(calls) == 2:
            Representation.objects.create(  # half a batch written, then the worker dies
                ward_id=ADULT,
                representative_iin=PARENT,
                ground="guardian",
                start=dt.date(2020, 1, 1),
                source="register",
            )
            raise RuntimeError("worker killed")
        return real(rows)

    with (
        mock.patch.dict(
            "osms.coverage.importers._KINDS", {importer.KIND: (importer.HEADER, importer.parse_row, lambda: failing)}
        ),
        pytest.raises(RuntimeError),
    ):
        run(text, batch_size=1)
    assert list(Representation.objects.values_list("ward_id", flat=True)) == [KID]  # the second batch rolled back
    summary, _ = run(text, batch_size=1)
    assert (summary.added, summary.unchanged) == (1, 1)
    assert Representation.objects.count() == 2


@pytest.mark.django_db
def test_the_command_prints_the_rejected_lines(tmp_path):
    path = tmp_path / "representations.csv"
    path.write_text(
        HEADER + f"{KID};{PARENT};родитель;10.03.2015;\n{KID};{PARENT};брат;10.03.2015;\n", encoding="utf-8"
    )
    out = io.StringIO()
    call_command("import_representations", str(path), stdout=out)
    assert "line 3: Основание" in out.getvalue()
    assert "added: 1" in out.getvalue()
