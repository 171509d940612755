"""Loading clinics with their districts, streets and doctors from the documented CSV file
(docs/clinics-csv.md), by the `import_clinics` command or the admin's upload.

Idempotent: a clinic is found by its code, a district by (clinic, number), a doctor by (clinic,
full name); only what differs is written, so importing the same file twice changes nothing.
Nothing is deleted: a district missing from the file may still have attached people.

New rows are inserted in bulk (a national file has some 10 000 districts: one by one, with their
audit entries, it took minutes); the `ClinicImport` row, itself audited, is their record in the
audit trail (docs/adr/0004); an import that changes and rejects nothing leaves no record. Changed
rows are saved one by one, so each change is audited with the acting user.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import BinaryIO

from django.db import transaction

from ..clinics_csv import ParsedFile, Rejection, Row, parse_file
from ..models import Clinic, ClinicImport, District, Doctor

MAX_REJECTIONS_KEPT = 1000


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

    def did_anything(self) -> bool:
        return any(
            (
                self.clinics_added,
                self.clinics_updated,
                self.districts_added,
                self.districts_updated,
                self.doctors_added,
                self.rejected,
            )
        )

    def counts(self) -> dict[str, int]:
        data = asdict(self)
        data.pop("rejections")
        return data


def clinics_import(*, stream: BinaryIO, actor=None, file_name: str = "") -> ImportSummary:
    """Import the file; raises clinics_csv.FileUnreadable when it cannot be read at all."""
    parsed = parse_file(stream)
    summary = ImportSummary(rejected=len(parsed.rejections), rejections=list(parsed.rejections))
    with transaction.atomic():
        _write(parsed, summary)
        if not summary.did_anything():
            return summary  # nothing changed and nothing rejected: nothing to record
        ClinicImport.objects.create(
            created_by=actor if actor is not None and actor.is_authenticated else None,
            file_name=file_name[:255],
            counts=summary.counts(),
            rejections=[[item.line, item.reason] for item in parsed.rejections[:MAX_REJECTIONS_KEPT]],
        )
    return summary


def _write(parsed: ParsedFile, summary: ImportSummary) -> None:
    codes = {row.clinic.code for row in parsed.rows}
    clinics = {clinic.code: clinic for clinic in Clinic.objects.filter(code__in=codes)}
    _clinics(parsed.rows, clinics, summary)
    rows = [row for row in parsed.rows if row.district is not None]
    doctors = {(doctor.clinic_id, doctor.full_name): doctor for doctor in Doctor.objects.filter(clinic__code__in=codes)}
    _doctors(rows, clinics, doctors, summary)
    districts = {
        (district.clinic_id, district.number): district for district in District.objects.filter(clinic__code__in=codes)
    }
    new_districts = []
    for row in rows:
        clinic = clinics[row.clinic.code]
        wanted = {"streets": row.district.streets, "doctor_id": doctors[(clinic.pk, row.district.doctor)].pk}
        district = districts.get((clinic.pk, row.district.number))
        if district is None:
            new_districts.append(District(clinic=clinic, number=row.district.number, **wanted))
        elif _assign(district, wanted):
            district.save()
            summary.districts_updated += 1
        else:
            summary.districts_unchanged += 1
    District.objects.bulk_create(new_districts, batch_size=1000)
    summary.districts_added = len(new_districts)


def _clinics(rows: list[Row], clinics: dict[str, Clinic], summary: ImportSummary) -> None:
    new: dict[str, Clinic] = {}
    seen: set[str] = set()
    for row in rows:
        code = row.clinic.code
        if code in seen:
            continue  # a clinic's further lines say the same of it (checked when parsing)
        seen.add(code)
        clinic = clinics.get(code)
        if clinic is None:
            clinic = new[code] = Clinic(code=code, **row.clinic.fields())
            clinic.fill_search_text()
        elif _assign(clinic, row.clinic.fields()):
            clinic.save()
            summary.clinics_updated += 1
        else:
            summary.clinics_unchanged += 1
    for clinic in Clinic.objects.bulk_create(list(new.values()), batch_size=1000):
        clinics[clinic.code] = clinic
    summary.clinics_added = len(new)


def _doctors(rows: list[Row], clinics: dict[str, Clinic], doctors: dict, summary: ImportSummary) -> None:
    new: dict[tuple[int, str], Doctor] = {}
    for row in rows:
        key = (clinics[row.clinic.code].pk, row.district.doctor)
        doctor = doctors.get(key)
        if doctor is None and key not in new:
            new[key] = Doctor(clinic_id=key[0], full_name=key[1])
        elif doctor is not None and not doctor.is_active:
            doctor.is_active = True  # named again as a district's doctor: works at the clinic
            doctor.save(update_fields=["is_active"])
    for doctor in Doctor.objects.bulk_create(list(new.values()), batch_size=1000):
        doctors[(doctor.clinic_id, doctor.full_name)] = doctor
    summary.doctors_added = len(new)


def _assign(instance, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed
