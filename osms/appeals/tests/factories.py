"""Test data built through the same services people use."""

from __future__ import annotations

import datetime as dt
import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from osms.appeals import services
from osms.appeals.models import Appeal, Channel, Topic
from osms.clinics.models import Clinic, Region
from osms.core.uploads import upload_check
from tests.files import pdf_bytes

_codes = itertools.count(1)


def clinic_make(*, region: str = Region.ASTANA, name: str = "Городская поликлиника № 7") -> Clinic:
    code = f"TEST-{next(_codes):04d}"
    return Clinic.objects.create(
        code=code, name_kk=name, name_ru=name, region=region, city="Астана", address="пр. Абая, 10"
    )


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def pdf_upload(name: str = "направление.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def checked_pdf(name: str = "ответ.pdf"):
    return upload_check(pdf_upload(name))


def appeal_file(
    *,
    citizen,
    now: dt.datetime | None = None,
    topic: str = Topic.SERVICE_QUALITY,
    region: str = Region.ASTANA,
    clinic: Clinic | None = None,
    substance: str = "Терапевт отказал в приёме без записи.",
    **extra,
) -> Appeal:
    """A citizen files an appeal in the cabinet."""
    return services.appeal_register(
        actor=citizen,
        channel=Channel.PORTAL,
        applicant_iin=citizen.iin,
        applicant_name=citizen.get_full_name(),
        topic=topic,
        region=region,
        clinic=clinic,
        substance=substance,
        now=now,
        **extra,
    )


def appeal_answered(*, citizen, officer, now: dt.datetime | None = None, text: str = "Приём организован.") -> Appeal:
    appeal = appeal_file(citizen=citizen, now=now)
    services.appeal_assign(actor=officer, appeal=appeal, officer=officer, now=now)
    services.appeal_start(actor=officer, appeal=appeal, now=now)
    services.appeal_answer(actor=officer, appeal=appeal, text=text, now=now)
    appeal.refresh_from_db()
    return appeal
