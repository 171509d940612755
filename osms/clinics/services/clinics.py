"""Loading clinics with their districts, streets and doctors from the documented CSV file
(docs/clinics-csv.md), by the `import_clinics` command or the admin's upload.

Idempotent: a clinic is found by its code, a district by (clinic, number), a doctor by (clinic,
full name); only what differs is written, so importing the same file twice changes nothing.
Nothing is deleted: a district missing from the file may still have attached people. Each change
is saved one by one so that the audit trail records it with the acting user.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import BinaryIO

from django.db import transaction

from ..clinics_csv import ParsedFile, Rejection, parse_file
from ..models import Clinic, District, Doctor


@dataclass
class ImportSummary:
    clinics_added: int = 0
    clinics_updated: int = 0
    clinics_unchanged: int = 0
    districts_added: int = 0
    districts_updated: int = 0
    districts_unchanged: int = 0
    doctors_added: int = 0
    rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        data = asdict(self)
        data.pop("rejections")
        return data


def clinics_import(*, stream: BinaryIO) -> ImportSummary:
    """Import the file; raises clinics_csv.FileUnreadable when it cannot be read at all."""
    parsed = parse_file(stream)
    summary = ImportSummary(rejected=len(parsed.rejections), rejections=list(parsed.rejections))
    with transaction.atomic():
        _write(parsed, summary)
    return summary


def _write(parsed: ParsedFile, summary: ImportSummary) -> None:
    codes = {row.clinic.code for row in parsed.rows}
    clinics = {clinic.code: clinic for clinic in Clinic.objects.filter(code__in=codes)}
    districts = {
        (district.clinic_id, district.number): district
        for district in District.objects.filter(clinic__code__in=codes).select_related("doctor")
    }
    doctors = {(doctor.clinic_id, doctor.full_name): doctor for doctor in Doctor.objects.filter(clinic__code__in=codes)}
    done: set[str] = set()
    for row in parsed.rows:
        clinic = clinics.get(row.clinic.code)
        if row.clinic.code not in done:
            done.add(row.clinic.code)
            if clinic is None:
                clinic = clinics[row.clinic.code] = Clinic.objects.create(code=row.clinic.code, **row.clinic.fields())
                summary.clinics_added += 1
            elif _assign(clinic, row.clinic.fields()):
                clinic.save()
                summary.clinics_updated += 1
            else:
                summary.clinics_unchanged += 1
        if row.district is None:
            continue
        doctor = doctors.get((clinic.pk, row.district.doctor))
        if doctor is None:
            doctor = doctors[(clinic.pk, row.district.doctor)] = Doctor.objects.create(
                clinic=clinic, full_name=row.district.doctor
            )
            summary.doctors_added += 1
        elif not doctor.is_active:
            doctor.is_active = True
            doctor.save(update_fields=["is_active"])
        district = districts.get((clinic.pk, row.district.number))
        wanted = {"streets": row.district.streets, "doctor": doctor}
        if district is None:
            District.objects.create(clinic=clinic, number=row.district.number, **wanted)
            summary.districts_added += 1
        elif _assign(district, wanted):
            district.save()
            summary.districts_updated += 1
        else:
            summary.districts_unchanged += 1


def _assign(instance, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed
