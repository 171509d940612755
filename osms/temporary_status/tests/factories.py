"""Files and requests for the tests, built through the same services the pages call."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from osms.temporary_status import services
from osms.temporary_status.models import TemporaryStatusRequest
from tests.files import pdf_bytes


def categories_ensure() -> None:
    """Put back the 15 shipped categories: a transactional test (live server, real worker) empties
    every table when it ends, data migrations' rows included, and the tests after it need them."""
    from osms.coverage.categories import CATEGORIES
    from osms.coverage.models import BenefitCategory

    for number, code, name, documents, by_application in CATEGORIES:
        BenefitCategory.objects.get_or_create(
            number=number,
            defaults={"code": code, "name": name, "documents": list(documents), "by_application": by_application},
        )


def pdf(name: str = "справка.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


# Runs what a request queued on commit (the SMS of a code) when the block ends, as a real commit would.
on_commit_run = TestCase.captureOnCommitCallbacks


def code_send(user, request, *, now=None) -> None:
    with on_commit_run(execute=True):
        services.temporary_status_code_send(actor=user, request=request, now=now)


def last_code(outbox: list[dict[str, str]], phone: str) -> str:
    texts = [message["text"] for message in outbox if message["to"] == phone]
    assert texts, f"no SMS to {phone}"
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def draft(user, *, category: int = 10, upload: bool = True, wwii_veteran: bool = True) -> TemporaryStatusRequest:
    """A draft for the category, with every document uploaded (unless upload=False). Category 9 asks
    whether the applicant is a WWII veteran: by default yes (every document of the category)."""
    started = services.temporary_status_start(
        actor=user, category=category, wwii_veteran=wwii_veteran if category == 9 else None
    )
    if upload:
        for kind in started.required_documents:
            services.temporary_status_document_upload(actor=user, request=started, kind=kind, file=pdf())
    started.refresh_from_db()
    return started


def submitted(user, outbox, *, category: int = 10, now=None) -> TemporaryStatusRequest:
    """A request sent the way a citizen sends it: documents, SMS code, confirmation."""
    started = draft(user, category=category)
    code_send(user, started, now=now)
    return services.temporary_status_submit(actor=user, request=started, code=last_code(outbox, user.phone), now=now)
