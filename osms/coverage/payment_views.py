""" "How to pay, exactly": the payments that bring the status back, as a page and as a printable PDF."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache

from osms.representation.acting import acting_subject

from .payment_plan import payment_plans, recipient
from .selectors import mzp_table, person_get, status_answer

PDF_FONTS = {"regular": "fonts/NotoSans-Regular.subset.ttf", "bold": "fonts/NotoSans-Bold.subset.ttf"}


def _context(request: HttpRequest) -> dict:
    today = timezone.localdate()
    subject = acting_subject(request)  # the ward's payments, when a representative acts for them
    answer = status_answer(iin=subject.iin, on=today)
    person = person_get(iin=subject.iin)
    return {
        "answer": answer,
        "today": today,
        "subject_iin": subject.iin,
        "subject_name": "" if person is None else person.full_name,
        "plans": payment_plans(answer=answer, mzp=mzp_table()),
        "recipient": recipient(),
        "contacts": settings.PORTAL_CONTACTS,
    }


@login_required
@never_cache
def how_to_pay(request: HttpRequest) -> HttpResponse:
    return render(request, "coverage/how_to_pay.html", _context(request))


@cache
def _font_uris() -> dict[str, str]:
    uris = {}
    for weight, name in PDF_FONTS.items():
        found = finders.find(name)
        if not found:
            raise RuntimeError(f"the PDF font {name} is missing from the static files")
        uris[weight] = Path(found).resolve().as_uri()
    return uris


def render_pdf(context: dict) -> bytes:
    """The same plans as the page, on A4 with the font embedded (it has the Kazakh letters), tagged."""
    from weasyprint import HTML

    html = render_to_string("coverage/how_to_pay_pdf.html", {**context, "fonts": _font_uris()})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_tags=True)


@login_required
@never_cache
def how_to_pay_pdf(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    context["language"] = translation.get_language()
    response = HttpResponse(render_pdf(context), content_type="application/pdf")
    day: dt.date = context["today"]
    response["Content-Disposition"] = f'attachment; filename="osms-how-to-pay-{day:%Y%m%d}.pdf"'
    return response
