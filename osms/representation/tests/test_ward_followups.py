"""Acting for a ward, the follow-ups: a notification's link that chooses the ward, the statement's
live progress polled without an audit row per poll."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from osms.coverage.periods import Period
from osms.representation.acting import SESSION_KEY, for_user
from osms.statements import services as statements

from .conftest import person, right
from .test_ward_services import SERVICES, act_for, make_record, subject_for

pytestmark = pytest.mark.django_db


def guardianship_ending_today(make_user):
    """A guardian, their ward and the guardianship, whose last day is today."""
    guardian = make_user(birth=dt.date(1970, 1, 1), last_name="Омарова", first_name="Гульнар")
    ward = person(dt.date(2015, 4, 4), first_name="Нурсултан", last_name="Омаров")
    held = right(ward, guardian.iin, ground="guardian", start=dt.date(2020, 1, 1), end=timezone.localdate())
    return guardian, ward, held


def ward_statement(user, ward_iin):
    return statements.statement_request_create(
        actor=user,
        period_from=Period(2026, 1),
        period_to=Period(2026, 3),
        language="ru",
        consent=True,
        subject=subject_for(user, ward_iin),
    )


def test_polling_a_wards_statement_progress_writes_no_audit_row_per_poll(client, parent, child):
    statement = ward_statement(parent, child.iin)
    client.force_login(parent)
    act_for(client, child.iin)
    assert client.get(reverse("statements:detail", kwargs={"number": statement.number})).status_code == 200
    before = LogEntry.objects.count()
    progress = reverse("statements:progress", kwargs={"number": statement.number})
    for _poll in range(5):
        response = client.get(progress)
        assert response.status_code == 200 and response.json()["state"] == statement.status
    assert LogEntry.objects.count() == before


def test_polling_is_refused_once_the_right_has_ended(client, make_user):
    guardian, ward, held = guardianship_ending_today(make_user)
    statement = ward_statement(guardian, ward.iin)
    client.force_login(guardian)
    act_for(client, ward.iin)
    progress = reverse("statements:progress", kwargs={"number": statement.number})
    assert client.get(progress).status_code == 200
    held.end = timezone.localdate() - dt.timedelta(days=1)
    held.save()
    response = client.get(progress)
    assert response.status_code == 403 and ward.first_name not in response.content.decode()
    assert SESSION_KEY not in client.session
    assert client.get(progress).status_code == 404  # one's own data now: the ward's request is not there


def notify_about(service: str, record) -> None:
    """The notification each service sends about `record` (the answer, the refusal, a step)."""
    if service == "statements":
        from osms.statements.models import StatementDocument
        from osms.statements.services import processing

        processing._notify_finished(record, StatementDocument.Kind.REFUSAL)
    elif service == "clinics":
        from osms.clinics.services import answers

        answers._notify_answer(record)
    elif service == "temporary_status":
        from osms.temporary_status.services import moves

        moves.notify(record, subject="Step", body="A step of request %(number)s.")
    else:
        from osms.appeals.services import common

        common.notify(record, "Appeal %(number)s", "A step.")


def latest_link(user) -> str:
    from osms.core.models import Notification

    return Notification.objects.filter(user=user).latest("id").url


@pytest.mark.parametrize("service", SERVICES)
def test_a_notification_about_a_wards_record_opens_it_without_choosing_the_ward_first(service, client, parent, child):
    parent.language = "en"
    parent.save(update_fields=["language"])
    record, page = make_record(service, parent, subject_for(parent, child.iin))
    notify_about(service, record)
    link = latest_link(parent)
    assert link != page and child.iin not in link  # the ward's IIN is not written in a link sent by email
    client.force_login(parent)
    assert SESSION_KEY not in client.session  # the parent sees their own data
    opened = client.get(link)
    assert opened.status_code == 302 and opened.url == page
    assert client.session[SESSION_KEY] == child.iin
    shown = client.get(opened.url)
    assert shown.status_code == 200 and "You are acting for: Серикова Айлин" in shown.content.decode()
    chosen = LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, additional_data__acting_for="chosen from a notification"
    ).get()
    assert chosen.additional_data["ward_iin"] == child.iin
    assert chosen.additional_data["representative_iin"] == parent.iin


def test_a_notification_about_ones_own_record_links_to_it_directly(parent):
    record, page = make_record("statements", parent, for_user(parent))
    notify_about("statements", record)
    assert latest_link(parent).split("/")[2:] == page.split("/")[2:]  # in the reader's language


def test_the_link_after_the_right_ended_shows_a_clear_page_and_no_data(client, make_user):
    guardian, ward, held = guardianship_ending_today(make_user)
    guardian.language = "en"
    guardian.save(update_fields=["language"])
    record, _page = make_record("temporary_status", guardian, subject_for(guardian, ward.iin))
    notify_about("temporary_status", record)
    held.end = timezone.localdate() - dt.timedelta(days=1)
    held.save()
    client.force_login(guardian)
    response = client.get(latest_link(guardian))
    body = response.content.decode()
    assert response.status_code == 403
    assert "You cannot act for this person now" in body
    assert ward.first_name not in body and ward.iin not in body
    assert SESSION_KEY not in client.session


def test_the_link_opens_the_ward_even_while_the_session_acts_for_one_whose_right_ended(client, parent, child):
    """The session still names a ward whose right has ended: the link says so and opens its own
    ward's record at the first click."""
    ended = person(dt.date(2012, 2, 2), first_name="Ержан", last_name="Сериков")
    held = right(ended, parent.iin, ground="parent", start=dt.date(2012, 2, 2), end=timezone.localdate())
    parent.language = "en"
    parent.save(update_fields=["language"])
    record, page = make_record("appeals", parent, subject_for(parent, child.iin))
    notify_about("appeals", record)
    client.force_login(parent)
    act_for(client, ended.iin)
    held.end = timezone.localdate() - dt.timedelta(days=1)
    held.save()
    opened = client.get(latest_link(parent))
    assert opened.status_code == 302 and opened.url == page
    assert client.session[SESSION_KEY] == child.iin
    assert client.get(page).status_code == 200


def test_another_account_opening_the_link_sees_nothing_and_acts_for_nobody(client, parent, child, make_user):
    record, _page = make_record("appeals", parent, subject_for(parent, child.iin))
    notify_about("appeals", record)
    intruder = make_user(birth=dt.date(1990, 9, 9), last_name="Бөтен", first_name="Адам")
    client.force_login(intruder)
    response = client.get(latest_link(parent))
    assert response.status_code == 403
    assert child.first_name not in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_forged_link_is_refused(client, parent, child):
    client.force_login(parent)
    response = client.get(reverse("representation:open", args=["not-a-sealed-link"]))
    assert response.status_code == 403
    assert SESSION_KEY not in client.session


def test_the_link_asks_to_sign_in_first(client, parent, child):
    record, _page = make_record("statements", parent, subject_for(parent, child.iin))
    notify_about("statements", record)
    response = client.get(latest_link(parent))
    assert response.status_code == 302 and "next=" in response.url


def _refusal_for(refusal: str, parent, child, monkeypatch) -> None:
    """The child's state behind each refusal (the request's moves are the kernel's, not a test's)."""
    from osms.coverage.models import BenefitMembership
    from osms.temporary_status import selectors

    if refusal == "insured":
        BenefitMembership.objects.create(iin=child.iin, category_id=1, start=dt.date(2020, 1, 1))
    elif refusal == "pending":
        record, _page = make_record("temporary_status", parent, subject_for(parent, child.iin))
        monkeypatch.setattr(selectors, "pending_of", lambda *, user, iin=None: record)
    else:
        until = timezone.localdate() + dt.timedelta(days=40)
        monkeypatch.setattr(selectors, "temporary_until", lambda *, iin, on: until)


@pytest.mark.parametrize("refusal", ["insured", "pending", "temporary_active"])
def test_the_temporary_status_refusal_for_a_ward_names_the_ward_never_you(refusal, client, parent, child, monkeypatch):
    import re

    _refusal_for(refusal, parent, child, monkeypatch)
    client.force_login(parent)
    act_for(client, child.iin)
    response = client.get(reverse("temporary_status:start"))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode().split('id="main-content"')[-1]))
    assert "Серикова Айлин" in text.split("You are acting for")[0] or "Серикова Айлин" in text
    for sentence in ("You are insured", "You already have", "You have already sent", "Your temporary", "your status"):
        assert sentence not in text, sentence
    assert "for Серикова Айлин now" in text


def _text(response) -> str:
    import re

    main = response.content.decode().split('id="main-content"')[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


YOU = ("for you", "You belong", "your contributions", "Your last paid month", "You paid", "you were", "Was I insured")


@pytest.mark.parametrize("benefit", [False, True])
def test_my_status_for_a_ward_names_the_ward_in_every_sentence(benefit, client, parent, child):
    from osms.coverage.models import BenefitMembership

    if benefit:
        BenefitMembership.objects.create(iin=child.iin, category_id=1, start=dt.date(2020, 1, 1))
    client.force_login(parent)
    act_for(client, child.iin)
    text = _text(client.get(reverse("coverage:my_status"), {"on": "2025-01-15"}))
    for sentence in YOU:
        assert sentence not in text, text[max(text.find(sentence) - 150, 0) : text.find(sentence) + 100]
    assert "Was Айлин insured on" in text
    if benefit:
        assert "Айлин belongs to benefit category 1" in text and "On 15.01.2025 Айлин was insured." in text
    else:
        assert "No payment and no benefit category covers any month for Айлин." in text
        assert "No payments for Айлин reached the Fund in the last 12 months." in text
        assert "On 15.01.2025 Айлин was not insured." in text


def test_my_clinic_for_a_ward_without_an_attachment_names_the_ward(client, parent, child):
    client.force_login(parent)
    act_for(client, child.iin)
    text = _text(client.get(reverse("clinics:my_attachment")))
    assert "You are not attached" not in text
    assert "Айлин is not attached to a clinic. To get medical care, first attach Айлин" in text
