"""The request's life through the services: draft, confirmation, processing once, refusal, the sweep."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from osms.accounts.models import OneTimeCode
from osms.core.calendar import ALMATY
from osms.core.models import Notification
from osms.core.workflow import status_changes_allowed
from osms.coverage.periods import Period
from osms.coverage.tests.factories import EMPLOYER_BIN

from .. import rendering, rules, selectors, services, signing
from ..models import StatementDocument, StatementRequest, StatementStage
from .factories import draft, import_payments, import_person, last_code, payment_line, submit

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ALMATY)  # a Monday, 10:00 in Almaty


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


def text_of(document: StatementDocument) -> str:
    with document.pdf.open("rb") as stream:
        reader = PdfReader(io.BytesIO(stream.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_a_confirmed_request_is_issued_once_with_its_deadline_and_stages(
    citizen, now, tmp_path, django_capture_on_commit_callbacks, settings
):
    import_payments(
        tmp_path,
        [
            payment_line(citizen.iin, "102026", "4250.00", received="05.10.2026", number="11"),
            payment_line(
                citizen.iin, "092026", "7500.00", received="10.10.2026", number="77", knp="121", payer=EMPLOYER_BIN
            ),
        ],
    )
    request = submit(citizen, django_capture_on_commit_callbacks, first=Period(2025, 11), last=Period(2026, 11))

    assert request.status == StatementRequest.Status.ISSUED
    assert request.number.startswith("ST-2026-")
    assert request.received_at == now
    assert request.due_at == now + dt.timedelta(minutes=15)
    assert request.signature == "sms" and request.signer_iin == citizen.iin
    assert [stage.kind for stage in request.stages.all()] == ["draft", "received", "processing", "issued"]
    document = request.document
    assert document.kind == "statement" and document.number == f"P2-20261123-{request.pk:08d}"
    assert len(document.content["rows"]) == 2
    text = text_of(document)
    assert "Информация об участии в качестве потребителя медицинских услуг" in text
    assert "4 250,00" in text and "7 500,00" in text
    assert Notification.objects.filter(user=citizen, subject__contains=request.number).exists()


def test_a_request_made_after_hours_is_due_fifteen_working_minutes_after_the_next_opening(
    citizen, time_machine, django_capture_on_commit_callbacks
):
    friday_evening = dt.datetime(2026, 11, 27, 20, 30, tzinfo=ALMATY)
    time_machine.move_to(friday_evening, tick=False)
    request = submit(citizen, django_capture_on_commit_callbacks, first=Period(2026, 1), last=Period(2026, 11))
    assert request.due_at == dt.datetime(2026, 11, 30, 9, 15, tzinfo=ALMATY)  # Monday 9:15
    # The portal answers around the clock anyway.
    assert request.status == StatementRequest.Status.ISSUED


def test_without_consent_the_request_is_refused_with_a_document_naming_the_ground(
    citizen, now, django_capture_on_commit_callbacks
):
    request = submit(
        citizen, django_capture_on_commit_callbacks, first=Period(2026, 1), last=Period(2026, 11), consent=False
    )
    assert request.status == StatementRequest.Status.REFUSED
    assert request.refusal_ground == "no_consent"
    assert [stage.kind for stage in request.stages.all()] == ["draft", "received", "processing", "refused"]
    document = request.document
    assert document.kind == "refusal" and document.number.startswith("RF-20261123-")
    text = text_of(document)
    assert "Мотивированный отказ в оказании государственной услуги" in text
    assert "отсутствие согласия услугополучателя" in text and "О персональных данных и их защите" in text
    notification = Notification.objects.get(user=citizen)
    assert "refused" in notification.subject or request.number in notification.subject


def test_the_pdf_has_every_column_heading_every_payment_row_and_the_footnote(
    citizen, now, tmp_path, django_capture_on_commit_callbacks
):
    lines = [
        payment_line(citizen.iin, f"{month:02d}2026", "4250.00", received=f"03.{month:02d}.2026", number=f"{month}")
        for month in range(1, 11)
    ] + [
        payment_line(
            citizen.iin, "102026", "25500.00", received="15.11.2026", number="900", knp="121", payer=EMPLOYER_BIN
        ),
        payment_line(citizen.iin, "082026", "4250.00", received="20.08.2026", number="901", status="ВОЗВРАТ"),
        payment_line(citizen.iin, "102025", "4250.00", received="01.10.2025", number="5"),  # before the period
        payment_line(citizen.iin, "092026", "95.00", received="05.10.2026", number="6", knp="124"),  # пеня
    ]
    import_payments(tmp_path, lines)
    for language in ("ru", "kk"):
        request = submit(
            citizen,
            django_capture_on_commit_callbacks,
            first=Period(2025, 11),
            last=Period(2026, 11),
            language=language,
        )
        document = request.document
        text = text_of(document)
        form = __import__("osms.statements.form_text", fromlist=["APPENDIX_2"]).APPENDIX_2[language]
        flat = lambda value: " ".join(value.split())  # noqa: E731
        for heading in form["columns"]:
            assert flat(heading) in text, heading
        for key in ("title", "issued_to", "issue_date", "status", "note", "form"):
            assert flat(form[key]) in text, key
        assert flat(form["footnote"]) in text
        assert flat(form["corner"]) in text
        assert f"{citizen.get_full_name()}, {form['iin']} {citizen.iin}" in text
        assert "23.11.2026" in text
        rows = document.content["rows"]
        assert len(rows) == 12  # 10 contributions, the deduction, the returned one; not the пеня or the old one
        for row in rows:
            kind = form["kind_deduction"] if row["kind"] == "deduction" else form["kind_contribution"]
            date = dt.date.fromisoformat(row["date"]).strftime("%d.%m.%Y")
            refund = f" {rules.format_amount(row['refund'])}" if row["refund"] else ""
            printed = (
                f"{row['n']}. {date} {rules.format_amount(row['amount'])} {kind} {row['period']} {row['payer']}{refund}"
            )
            assert printed.replace("\u00a0", " ") in text.replace("\u00a0", " "), printed
        assert "95,00" not in text and "01.10.2025" not in text
        assert document.sha256 == rendering.sha256(document.pdf.open("rb").read())


def test_the_status_line_follows_the_status_rules_on_the_issue_date(
    citizen, now, tmp_path, django_capture_on_commit_callbacks
):
    request = submit(citizen, django_capture_on_commit_callbacks, first=Period(2026, 1), last=Period(2026, 11))
    assert request.document.content["insured"] is False
    assert "Статус в системе ОСМС: Не потребитель ОСМС" in text_of(request.document)

    import_payments(
        tmp_path,
        [
            payment_line(citizen.iin, f"{p.month:02d}{p.year}", "4250.00", received="01.11.2026", number=f"{i}")
            for i, p in enumerate(Period.range(Period(2025, 11), Period(2026, 11)))
        ],
        name="paid.csv",
    )
    request = submit(citizen, django_capture_on_commit_callbacks, first=Period(2026, 1), last=Period(2026, 11))
    assert request.document.content["insured"] is True
    assert "Статус в системе ОСМС: Потребитель ОСМС" in text_of(request.document)


def test_the_holder_is_named_as_the_persons_register_names_them(
    citizen, now, tmp_path, django_capture_on_commit_callbacks
):
    import_person(
        tmp_path, iin=citizen.iin, last="Серікова", first="Әйгерім", patronymic="Қайратқызы", birth="15.01.1990"
    )
    request = submit(citizen, django_capture_on_commit_callbacks, first=Period(2026, 1), last=Period(2026, 11))
    assert request.document.content["holder_name"] == "Серікова Әйгерім Қайратқызы"


def test_processing_twice_issues_one_document(citizen, now, django_capture_on_commit_callbacks):
    request = submit(citizen, django_capture_on_commit_callbacks, first=Period(2026, 1), last=Period(2026, 11))
    assert services.statement_process(request_id=request.pk) == "skipped"
    assert StatementDocument.objects.filter(request=request).count() == 1
    assert Notification.objects.filter(user=citizen).count() == 1


def test_a_worker_that_lost_its_claim_does_not_issue(citizen, now, time_machine):
    request = draft(citizen, first=Period(2026, 1), last=Period(2026, 11))
    with status_changes_allowed():  # the state a worker or a lost message leaves
        StatementRequest.objects.filter(pk=request.pk).update(
            status="received", received_at=now, due_at=now, queued_at=now
        )
    slow = services._claim(request.pk)
    request.refresh_from_db()
    built = services._build(request, issued_at=now)
    time_machine.move_to(now + selectors.STALE_CLAIM + dt.timedelta(seconds=1), tick=False)
    fast = services._claim(request.pk)  # the sweep handed it to another worker
    assert fast is not None and fast != slow
    assert services._finish(request.pk, slow, built) == "superseded"
    assert services._finish(request.pk, fast, built) == "issued"
    assert StatementDocument.objects.filter(request=request).count() == 1


def test_a_failed_attempt_gives_the_request_back_and_the_next_one_issues(
    citizen, now, monkeypatch, django_capture_on_commit_callbacks
):
    request = draft(citizen, first=Period(2026, 1), last=Period(2026, 11))
    with status_changes_allowed():  # the state a worker or a lost message leaves
        StatementRequest.objects.filter(pk=request.pk).update(
            status="received", received_at=now, due_at=now, queued_at=now
        )

    def broken(view):
        raise OSError("disk full")

    monkeypatch.setattr(rendering, "render_pdf", broken)
    with pytest.raises(OSError):
        services.statement_process(request_id=request.pk)
    request.refresh_from_db()
    assert request.status == StatementRequest.Status.RECEIVED and "disk full" in request.last_error
    assert request.stages.filter(kind="received", note__contains="disk full").exists()
    monkeypatch.undo()
    assert services.statement_process(request_id=request.pk) == "issued"


def test_a_code_sent_for_one_request_does_not_confirm_another(citizen, now, django_capture_on_commit_callbacks):
    first = draft(citizen, first=Period(2026, 1), last=Period(2026, 11))
    second = draft(citizen, first=Period(2025, 1), last=Period(2025, 12))
    with django_capture_on_commit_callbacks(execute=True):
        services.statement_confirmation_begin(actor=citizen, request=first, method="sms")
    code = last_code(citizen.phone)
    with pytest.raises(signing.SignatureRejected):
        services.statement_request_confirm(actor=citizen, request=second, method="sms", proof=code)
    assert OneTimeCode.objects.filter(subject=f"statement:{first.pk}", used_at__isnull=True).exists()


def test_a_code_is_used_up_only_with_the_submission_it_confirms(
    citizen, now, monkeypatch, django_capture_on_commit_callbacks
):
    """A failure while the request is being received (the calendar or the database away) leaves the
    citizen's code good for the next try: it is consumed in the same transaction as the move."""
    from ..services import requests as request_services

    request = draft(citizen, first=Period(2026, 1), last=Period(2026, 11))
    with django_capture_on_commit_callbacks(execute=True):
        services.statement_confirmation_begin(actor=citizen, request=request, method="sms")
    code = last_code(citizen.phone)

    def calendar_away(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(request_services, "deadline_after", calendar_away)
    with pytest.raises(ConnectionError):
        services.statement_request_confirm(actor=citizen, request=request, method="sms", proof=code)
    request.refresh_from_db()
    assert request.status == StatementRequest.Status.DRAFT
    assert OneTimeCode.objects.filter(subject=f"statement:{request.pk}", used_at__isnull=True).exists()

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.statement_request_confirm(actor=citizen, request=request, method="sms", proof=code)
    request.refresh_from_db()
    assert request.status == StatementRequest.Status.ISSUED
    assert not OneTimeCode.objects.filter(subject=f"statement:{request.pk}", used_at__isnull=True).exists()


def test_a_request_is_confirmed_once_and_only_by_its_citizen(
    citizen, make_user, now, django_capture_on_commit_callbacks
):
    from django.core.exceptions import PermissionDenied

    request = submit(citizen, django_capture_on_commit_callbacks, first=Period(2026, 1), last=Period(2026, 11))
    with pytest.raises(services.StatementError):
        services.statement_request_confirm(actor=citizen, request=request, method="sms", proof="123456")
    other = draft(citizen, first=Period(2026, 1), last=Period(2026, 11))
    with pytest.raises(PermissionDenied):
        services.statement_confirmation_begin(actor=make_user(), request=other, method="sms")


def test_a_period_the_service_does_not_answer_for_is_not_accepted(citizen, now):
    with pytest.raises(services.StatementError):
        draft(citizen, first=Period(2020, 1), last=Period(2026, 11))


# --- The sweep --------------------------------------------------------------------------------------------------
def received(citizen, at):
    request = draft(citizen, first=Period(2026, 1), last=Period(2026, 11))
    with status_changes_allowed():  # the state a worker or a lost message leaves
        StatementRequest.objects.filter(pk=request.pk).update(
            status="received", received_at=at, due_at=at + dt.timedelta(minutes=15), queued_at=at
        )
    return request


def test_the_sweep_queues_again_a_request_whose_message_was_lost(citizen, now, django_capture_on_commit_callbacks):
    lost = received(citizen, now - selectors.LOST_MESSAGE - dt.timedelta(seconds=1))
    fresh = received(citizen, now)  # still in the queue: left alone
    with django_capture_on_commit_callbacks(execute=True):
        result = services.statements_sweep(now=now)
    assert result["requeued"] == 1
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == StatementRequest.Status.ISSUED
    assert fresh.status == StatementRequest.Status.RECEIVED
    assert [s.kind for s in lost.stages.all()] == ["draft", "requeued", "processing", "issued"]


def test_the_sweep_hands_a_dead_workers_request_to_another_and_it_is_issued_once(
    citizen, now, django_capture_on_commit_callbacks
):
    request = received(citizen, now - dt.timedelta(minutes=10))
    with status_changes_allowed():  # the state a worker or a lost message leaves
        StatementRequest.objects.filter(pk=request.pk).update(
            status="processing",
            claimed_at=now - dt.timedelta(minutes=9),
            claim_token="00000000-0000-0000-0000-000000000001",
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.statements_sweep(now=now)["requeued"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.statements_sweep(now=now)["requeued"] == 0  # nothing left; safe to run again
    request.refresh_from_db()
    assert request.status == StatementRequest.Status.ISSUED and request.attempts == 1
    assert StatementDocument.objects.filter(request=request).count() == 1


def test_a_request_requeued_once_is_not_requeued_every_minute(citizen, now):
    request = received(citizen, now - dt.timedelta(minutes=10))
    with status_changes_allowed():  # the state a worker or a lost message leaves
        StatementRequest.objects.filter(pk=request.pk).update(
            status="processing", claimed_at=now - dt.timedelta(minutes=9)
        )
    # Without a worker (nothing runs on commit), the first sweep queues it; the next minute's does not.
    assert services.statements_sweep(now=now)["requeued"] == 1
    assert services.statements_sweep(now=now + dt.timedelta(minutes=1))["requeued"] == 0
    assert services.statements_sweep(now=now + selectors.LOST_MESSAGE + dt.timedelta(minutes=1))["requeued"] == 1


def test_the_sweep_flags_a_request_past_its_deadline_once(citizen, now):
    late = received(citizen, now - dt.timedelta(hours=2))
    first = services.statements_sweep(now=now)
    second = services.statements_sweep(now=now)
    assert first["overdue"] == 1 and second["overdue"] == 0
    late.refresh_from_db()
    assert late.overdue_at == now and late.breached
    assert late.stages.filter(kind=StatementStage.Stage.OVERDUE).count() == 1


def test_the_task_retries_a_failed_attempt(citizen, now, monkeypatch):
    """The Celery task: a failure is retried (eagerly here) and the request is issued."""
    from .. import tasks

    request = received(citizen, now)
    calls = []
    real = rendering.render_pdf

    def flaky(view):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("storage hiccup")
        return real(view)

    monkeypatch.setattr(rendering, "render_pdf", flaky)
    result = tasks.statement_process.apply(args=(request.pk,), throw=False)
    assert result.get() == "issued"
    request.refresh_from_db()
    assert request.status == StatementRequest.Status.ISSUED and request.attempts == 2


def test_the_document_is_issued_in_kazakh_or_russian_only(citizen, now):
    with pytest.raises(services.StatementError):
        draft(citizen, first=Period(2026, 1), last=Period(2026, 11), language="en")


def test_no_code_can_be_sent_to_an_account_without_a_phone(make_user, now):
    user = make_user(phone="")
    request = draft(user, first=Period(2026, 1), last=Period(2026, 11))
    with pytest.raises(services.StatementError, match="no mobile phone"):
        services.statement_confirmation_begin(actor=user, request=request, method="sms")
