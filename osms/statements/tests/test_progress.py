"""The request page follows its request until the document is issued (docs/adr/0015): the JSON answer it
polls, who may read it, and what the page carries while the request is open and once it is final."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from osms.core.calendar import ALMATY
from osms.coverage.periods import Period

from .. import services
from ..models import StatementRequest
from .factories import draft, last_code

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ALMATY)
REFRESH = '<noscript><meta http-equiv="refresh" content="10"></noscript>'


@pytest.fixture(autouse=True)
def setup(settings, time_machine):
    settings.NCANODE_URL = ""
    time_machine.move_to(NOW, tick=False)


def url(name, **kwargs):
    with translation.override("en"):
        return reverse(f"statements:{name}", kwargs=kwargs or None)


def received(user, capture) -> StatementRequest:
    """A confirmed request whose processing has not run yet (its task still on the queue)."""
    with capture(execute=True):
        request = draft(user, first=Period(2026, 1), last=Period(2026, 11))
        services.statement_confirmation_begin(actor=user, request=request, method="sms")
    with capture(execute=False):
        services.statement_request_confirm(actor=user, request=request, method="sms", proof=last_code(user.phone))
    request.refresh_from_db()
    assert request.status == StatementRequest.Status.RECEIVED
    return request


def test_the_progress_answer_follows_the_request_to_its_document(client, citizen, django_capture_on_commit_callbacks):
    statement = received(citizen, django_capture_on_commit_callbacks)
    client.force_login(citizen)

    answer = client.get(url("progress", number=statement.number))
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]
    assert answer.json() == {
        "state": "received",
        "label": "Received",
        "final": False,
        "announcement": "The request has been received and waits for processing.",
    }
    page = client.get(url("detail", number=statement.number))
    assert REFRESH in page.text
    assert f'data-progress-url="{url("progress", number=statement.number)}"' in page.text
    assert 'role="status" aria-live="polite" data-progress-announce' in page.text

    services.statement_process(request_id=statement.pk)

    answer = client.get(url("progress", number=statement.number)).json()
    assert answer["state"] == "issued" and answer["final"] is True
    assert answer["announcement"] == "Your statement has been issued. It is shown on this page."
    page = client.get(url("detail", number=statement.number))
    assert REFRESH not in page.text and "data-progress-url" not in page.text
    assert "data-progress-region" in page.text and "statement-document" in page.text


def test_only_the_citizen_reads_the_progress_of_their_request(
    client, citizen, make_user, django_capture_on_commit_callbacks
):
    statement = received(citizen, django_capture_on_commit_callbacks)
    progress = url("progress", number=statement.number)

    anonymous = client.get(progress)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url

    client.force_login(make_user(phone="+77019998877"))
    assert client.get(progress).status_code == 404
    assert client.get(url("progress", number="ST-0000-000000")).status_code == 404
    assert client.post(progress).status_code in (404, 405)


def test_the_page_runs_no_inline_script_of_its_own(client, citizen, django_capture_on_commit_callbacks):
    """The Content-Security-Policy allows only the portal's files and the shell's one nonce'd line."""
    statement = received(citizen, django_capture_on_commit_callbacks)
    client.force_login(citizen)
    page = client.get(url("detail", number=statement.number)).text
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert '<script type="module" src="/static/core/progress.mjs">' in scripts
    assert all("src=" in tag or "nonce=" in tag for tag in scripts)
