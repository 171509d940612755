"""A fund officer refuses a request on a ground of Приложение 1 item 9 (docs/adr/0205): through the
kernel with the officer's role, the motivated refusal naming the ground and the reason, the citizen
told; the consent check stays the system's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from osms.core.calendar import ALMATY
from osms.coverage.periods import Period

from .. import services
from ..form_text import REFUSAL, REFUSAL_GROUNDS
from ..models import StatementDocument, StatementRequest
from ..workflow import StatementError
from .factories import draft, last_code

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ALMATY)
REASON = "По данным суда в отношении заявителя действует решение о лишении специального права."


@pytest.fixture(autouse=True)
def setup(settings, time_machine):
    settings.NCANODE_URL = ""
    time_machine.move_to(NOW, tick=False)


def received(user, capture, *, language: str = "ru") -> StatementRequest:
    """A request signed and received, its processing not yet run (the officer's window)."""
    with capture(execute=True):
        request = draft(user, first=Period(2026, 1), last=Period(2026, 10), language=language)
        services.statement_confirmation_begin(actor=user, request=request, method="sms")
    with capture(execute=False):
        services.statement_request_confirm(actor=user, request=request, method="sms", proof=last_code(user.phone))
    request.refresh_from_db()
    assert request.status == StatementRequest.Status.RECEIVED
    return request


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_an_officer_refuses_in_the_back_office_and_the_citizen_reads_ground_and_reason(
    citizen, make_user, staff_client, django_capture_on_commit_callbacks, language
):
    request = received(citizen, django_capture_on_commit_callbacks, language=language)
    officer = make_user(role="fund_officer")
    admin = staff_client(officer)
    change = admin.get(reverse("admin:statements_statementrequest_change", args=[request.pk]))
    refuse_url = reverse("admin:statements_statementrequest_refuse", args=[request.pk])
    assert refuse_url in change.text
    page = admin.get(refuse_url)
    assert page.status_code == 200 and "no_consent" not in page.text  # the system checks consent itself

    empty = admin.post(refuse_url, {"ground": "court_deprivation", "reason": "  "})
    assert empty.status_code == 200 and "errorlist" in empty.text
    assert admin.post(refuse_url, {"ground": "court_deprivation", "reason": REASON}).status_code == 302

    request.refresh_from_db()
    assert request.status == StatementRequest.Status.REFUSED and request.refusal_ground == "court_deprivation"
    stage = request.stages.last()
    assert stage.kind == "refused" and stage.actor == officer
    document = request.document
    assert document.kind == StatementDocument.Kind.REFUSAL and document.content["reason"] == REASON
    assert services.statement_process(request_id=request.pk) == "skipped"  # the worker finds it done

    admin.logout()
    client = admin
    client.force_login(citizen)
    with translation.override(language):
        detail = client.get(reverse("statements:detail", kwargs={"number": request.number}))
    assert REASON in detail.text
    assert " ".join(REFUSAL_GROUNDS[language]["court_deprivation"].split()) in " ".join(detail.text.split())
    assert REFUSAL[language]["reason"] in detail.text


@pytest.mark.parametrize("ground", ["unreliable_data", "requirements_not_met", "court_ban", "court_deprivation"])
def test_every_ground_but_consent_is_the_officers(citizen, make_user, django_capture_on_commit_callbacks, ground):
    request = received(citizen, django_capture_on_commit_callbacks)
    officer = make_user(role="fund_officer")
    document = services.statement_refuse(actor=officer, request=request, ground=ground, reason="Основание проверено.")
    assert document.content["ground"] == ground


def test_consent_stays_automatic_and_others_may_not_refuse(citizen, make_user, django_capture_on_commit_callbacks):
    request = received(citizen, django_capture_on_commit_callbacks)
    officer = make_user(role="fund_officer")
    with pytest.raises(StatementError):
        services.statement_refuse(actor=officer, request=request, ground="no_consent", reason="—")
    for role in ("call_centre_operator", "clinic_registrar"):
        with pytest.raises(StatementError):
            services.statement_refuse(actor=make_user(role=role), request=request, ground="court_ban", reason="—")
    with pytest.raises(StatementError):
        services.statement_refuse(actor=citizen, request=request, ground="court_ban", reason="—")
    request.refresh_from_db()
    assert request.status == StatementRequest.Status.RECEIVED


def test_an_issued_request_is_not_refused_afterwards(citizen, make_user, django_capture_on_commit_callbacks):
    request = received(citizen, django_capture_on_commit_callbacks)
    assert services.statement_process(request_id=request.pk) == "issued"
    request.refresh_from_db()
    with pytest.raises(StatementError):
        services.statement_refuse(actor=make_user(role="fund_officer"), request=request, ground="court_ban", reason="x")
