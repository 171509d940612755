"""Demo data: a student who is not insured and may ask for temporary status, a pensioner who is not a
WWII veteran (asks with the identity document alone), and a person with disability whose request waits
in the fund officers' queue. Idempotent."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from osms.accounts.demo import DEMO_PASSWORD, demo_user
from osms.accounts.models import Role

from . import services
from .models import TemporaryStatusRequest


def _scan(title: str) -> SimpleUploadedFile:
    """A small PNG standing in for a scanned certificate."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 400), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 589, 389), outline="black", width=3)
    draw.text((40, 60), "DEMO", fill="black")
    draw.text((40, 100), title, fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile("scan.png", out.getvalue(), content_type="image/png")


def _citizen(**fields):
    user = demo_user(phone_verified_at=timezone.now(), **fields)
    user.groups.add(Group.objects.get_or_create(name=Role.CITIZEN)[0])
    return user


def load(*, out) -> list[tuple[str, str, str]]:
    student = _citizen(
        birth=dt.date(2005, 9, 14),
        female=True,
        last_name="Студентова",
        first_name="Аружан",
        patronymic="Ерланқызы",
        phone="+77075550101",
        email="aruzhan@example.kz",
    )
    waiting = _citizen(
        birth=dt.date(1979, 2, 8),
        female=False,
        last_name="Жақсылықов",
        first_name="Бауыржан",
        patronymic="Серікұлы",
        phone="+77075550102",
    )
    # Not in the benefit register yet, so not insured: category 9 asks only the identity document of her.
    pensioner = _citizen(
        birth=dt.date(1960, 3, 3),
        female=True,
        last_name="Зейнетова",
        first_name="Күләш",
        patronymic="Әбдіқызы",
        phone="+77075550103",
    )
    if not TemporaryStatusRequest.objects.filter(user=waiting).exists():
        request = services.temporary_status_start(actor=waiting, category=8)  # persons with disability
        for kind in request.required_documents:
            services.temporary_status_document_upload(actor=waiting, request=request, kind=kind, file=_scan(kind))
        services._submit_confirmed(actor=waiting, request=request)
        out.write(
            f"temporary status: request {TemporaryStatusRequest.objects.get(pk=request.pk).number} waits for review\n"
        )
    return [
        ("Citizen (student, may ask for temporary status)", student.iin, f"password {DEMO_PASSWORD}"),
        ("Citizen (temporary-status request waiting for review)", waiting.iin, f"password {DEMO_PASSWORD}"),
        ("Citizen (pensioner, not a war veteran: temporary status)", pensioner.iin, f"password {DEMO_PASSWORD}"),
    ]
