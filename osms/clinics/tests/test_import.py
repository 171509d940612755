"""The clinics file (docs/clinics-csv.md): the command and the admin upload, idempotent, bad lines reported."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from osms.clinics.clinics_csv import FileUnreadable
from osms.clinics.models import Clinic, District, Doctor
from osms.clinics.services import clinics_import

from .factories import csv_bytes, csv_row, make_clinic, make_fund_officer, make_registrar

pytestmark = pytest.mark.django_db


def run(data: bytes):
    return clinics_import(stream=io.BytesIO(data))


GOOD = csv_bytes(
    csv_row(district="1", doctor="Иванова Мария Петровна", streets="пр. Абая: 1-40|ул. Кенесары"),
    csv_row(district="2", doctor="Абдрахманов Серик Болатович", streets="пр. Абая: 41-120"),
    csv_row(
        code="PMSP-9002",
        name_ru="Поликлиника № 2 г. Алматы",
        region="г. Алматы",
        city="Алматы",
        supplier="нет",
        district="",
        doctor="",
        streets="",
    ),
    bom=True,
)


def test_clinics_districts_streets_and_doctors_are_loaded():
    summary = run(GOOD)
    assert summary.counts() == {
        "clinics_added": 2,
        "clinics_updated": 0,
        "clinics_unchanged": 0,
        "districts_added": 2,
        "districts_updated": 0,
        "districts_unchanged": 0,
        "doctors_added": 2,
        "rejected": 0,
    }
    clinic = Clinic.objects.get(code="PMSP-9001")
    assert clinic.region == "astana" and clinic.is_fund_supplier
    district = District.objects.get(clinic=clinic, number=1)
    assert district.streets == "пр. Абая: 1-40\nул. Кенесары"
    assert district.doctor.full_name == "Иванова Мария Петровна"
    other = Clinic.objects.get(code="PMSP-9002")
    assert other.region == "almaty_city" and not other.is_fund_supplier and not other.districts.exists()


def test_importing_the_same_file_twice_changes_nothing():
    from auditlog.models import LogEntry

    run(GOOD)
    entries = LogEntry.objects.count()
    summary = run(GOOD)
    assert summary.clinics_added == summary.clinics_updated == summary.districts_added == 0
    assert summary.clinics_unchanged == 2 and summary.districts_unchanged == 2 and summary.doctors_added == 0
    assert LogEntry.objects.count() == entries
    assert Clinic.objects.count() == 2 and District.objects.count() == 2 and Doctor.objects.count() == 2


def test_changes_are_applied_and_counted():
    run(GOOD)
    changed = csv_bytes(
        csv_row(phone="+7 7172 99 99 99", district="1", doctor="Новикова Анна Ивановна", streets="пр. Абая: 1-50"),
        csv_row(
            phone="+7 7172 99 99 99", district="2", doctor="Абдрахманов Серик Болатович", streets="пр. Абая: 41-120"
        ),
    )
    summary = run(changed)
    assert (summary.clinics_updated, summary.districts_updated, summary.districts_unchanged) == (1, 1, 1)
    assert summary.doctors_added == 1
    district = District.objects.get(clinic__code="PMSP-9001", number=1)
    assert district.doctor.full_name == "Новикова Анна Ивановна" and district.streets == "пр. Абая: 1-50"
    assert Clinic.objects.get(code="PMSP-9001").phone == "+7 7172 99 99 99"


def test_bad_lines_are_reported_with_their_number_and_the_good_ones_kept():
    data = csv_bytes(
        csv_row(district="1"),
        csv_row(region="Марс"),
        csv_row(district="2", supplier_from="2026-01-01"),
        csv_row(district="1"),  # the same district again
        csv_row(name_ru="Другое имя", district="3"),  # the clinic said differently
        csv_row(district="4", streets="ул. Абая: 5-1"),
        csv_row(district="x"),
        csv_row(district="", doctor="Врач без участка"),
        csv_row(code="", district="5"),
        "PMSP-9003;только;три поля",
    ) + "PMSP-9004;\xff\n".encode("latin-1")
    summary = run(data)
    lines = {rejection.line: rejection.reason for rejection in summary.rejections}
    assert sorted(lines) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert "Регион" in lines[3]
    assert "Поставщик с" in lines[4]
    assert "line 2" in lines[5]
    assert "line 2" in lines[6]
    assert "5-1" in lines[7]
    assert "Участок" in lines[8]
    assert "Участок" in lines[9]
    assert "Код" in lines[10]
    assert "fields" in lines[11]
    assert "UTF-8" in lines[12]
    assert summary.districts_added == 1 and summary.rejected == 10


def test_a_file_with_another_header_is_refused_whole():
    with pytest.raises(FileUnreadable):
        run(csv_bytes(csv_row(), header="code;name"))
    with pytest.raises(FileUnreadable):
        run(b"")


def test_the_command_prints_rejections_and_the_summary(tmp_path):
    path = tmp_path / "clinics.csv"
    path.write_bytes(csv_bytes(csv_row(), csv_row(region="Марс", district="2")))
    out = io.StringIO()
    call_command("import_clinics", str(path), stdout=out)
    text = out.getvalue()
    assert "line 3:" in text and "clinics_added: 1" in text and "rejected: 1" in text
    with pytest.raises(CommandError):
        call_command("import_clinics", str(tmp_path / "missing.csv"), stdout=io.StringIO())


def test_fund_officers_import_in_the_admin(staff_client, make_user):
    officer = make_fund_officer(make_user)
    client = staff_client(officer)
    url = reverse("admin:clinics_clinic_import")
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": SimpleUploadedFile("clinics.csv", GOOD, content_type="text/csv")})
    assert response.status_code == 200
    assert response.context["summary"].clinics_added == 2
    assert Clinic.objects.filter(code="PMSP-9001").exists()


def test_registrars_cannot_import(staff_client, make_user):
    registrar = make_registrar(make_user, make_clinic())
    client = staff_client(registrar)
    response = client.post(reverse("admin:clinics_clinic_import"), {"file": SimpleUploadedFile("clinics.csv", GOOD)})
    assert response.status_code == 403
    assert not Clinic.objects.filter(code="PMSP-9001").exists()


def test_a_district_edited_in_the_admin_must_have_readable_streets():
    from django.forms import modelform_factory

    from osms.clinics.admin.forms import DistrictForm

    clinic = make_clinic()
    form_class = modelform_factory(District, form=DistrictForm, fields=["number", "streets"])
    form = form_class({"number": 7, "streets": "ул. Абая: 1-10\nул. Абая: 9-1"}, instance=District(clinic=clinic))
    assert not form.is_valid() and "9-1" in str(form.errors["streets"])


def test_each_import_that_did_something_is_recorded_with_who_and_what(staff_client, make_user):
    from osms.clinics.models import ClinicImport

    officer = make_fund_officer(make_user)
    client = staff_client(officer)
    data = csv_bytes(csv_row(), csv_row(region="Марс", district="2"))
    client.post(reverse("admin:clinics_clinic_import"), {"file": SimpleUploadedFile("clinics.csv", data)})
    record = ClinicImport.objects.get()
    assert record.created_by == officer and record.file_name == "clinics.csv"
    assert record.counts["clinics_added"] == 1 and record.rejections[0][0] == 3
    run(csv_bytes(csv_row()))  # the same clinic again: nothing changed, nothing recorded
    assert ClinicImport.objects.count() == 1
    assert client.get(reverse("admin:clinics_clinicimport_changelist")).status_code == 200
