"""The four services for a ward (docs/adr/0702-services-for-a-ward.md): each record names the ward and
the representative, its events record `acting_for`, lists show the ward's records while acting for
them; every refusal (another family's record by URL, an adult child, a decision that ended, a right
that ends midway) for each service."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from osms.appeals import services as appeals
from osms.appeals.models import Channel, Topic
from osms.clinics.models import AttachmentApplication
from osms.clinics.tests.factories import make_clinic
from osms.coverage.periods import Period
from osms.representation import selectors
from osms.representation.acting import ActingSubject
from osms.statements import services as statements
from osms.temporary_status import services as temporary
from osms.temporary_status.tests.factories import categories_ensure

from .conftest import person, right

pytestmark = pytest.mark.django_db

SERVICES = ("statements", "clinics", "temporary_status", "appeals")
LISTS = {
    "statements": "statements:list",
    "clinics": "clinics:my_attachment",
    "temporary_status": "temporary_status:list",
    "appeals": "appeals:list",
}


def subject_for(user, ward_iin: str) -> ActingSubject:
    ward = selectors.representation_for(user=user, ward_iin=ward_iin, on=timezone.localdate())
    assert ward is not None
    return ActingSubject(iin=ward.iin, name=ward.name, representative=user, ward=ward)


def act_for(client, ward_iin: str):
    return client.post(reverse("representation:switch"), {"ward": ward_iin})


def make_record(service: str, user, subject: ActingSubject):
    """A record of `service` made by `user` for `subject`, and the URL of its page."""
    if service == "statements":
        record = statements.statement_request_create(
            actor=user,
            period_from=Period(2026, 1),
            period_to=Period(2026, 3),
            language="ru",
            consent=True,
            subject=subject,
        )
        return record, reverse("statements:detail", kwargs={"number": record.number})
    if service == "clinics":
        clinic = make_clinic()
        record = AttachmentApplication.objects.create(
            iin=subject.iin,
            user=user,
            representative_iin=subject.representative_iin,
            created_by=user,
            last_name="Серикова",
            first_name=subject.name,
            clinic=clinic,
            reason="first",
            locality="Астана",
            street="пр. Абая",
            house="1",
            phone="+77011234567",
            number=f"AT-9{AttachmentApplication.objects.count():06d}",
            status=AttachmentApplication.Status.PENDING,
        )
        return record, reverse("clinics:application", args=[record.number])
    if service == "temporary_status":
        categories_ensure()
        record = temporary.temporary_status_start(actor=user, category=1, subject=subject)
        return record, reverse("temporary_status:detail", args=[record.pk])
    record = appeals.appeal_register(
        actor=user,
        channel=Channel.PORTAL,
        applicant_iin=subject.iin,
        applicant_name=subject.name,
        topic=Topic.values[0],
        region="astana",
        substance="Вопрос о ребёнке",
        subject=subject,
    )
    return record, reverse("appeals:detail", kwargs={"number": record.number})


def ward_iin_of(service: str, record) -> str:
    return record.applicant_iin if service == "appeals" else record.iin


@pytest.mark.parametrize("service", SERVICES)
def test_a_record_for_a_ward_names_the_ward_and_the_representative(service, parent, child):
    record, _url = make_record(service, parent, subject_for(parent, child.iin))
    assert ward_iin_of(service, record) == child.iin
    assert record.representative_iin == parent.iin


@pytest.mark.parametrize("service", ("statements", "temporary_status", "appeals"))
def test_the_first_event_records_acting_for(service, parent, child):
    record, _url = make_record(service, parent, subject_for(parent, child.iin))
    events = {"statements": "stages", "temporary_status": "events", "appeals": "events"}[service]
    assert [event.acting_for for event in getattr(record, events).all()] == [child.iin]


@pytest.mark.parametrize("service", SERVICES)
def test_lists_show_the_wards_records_while_acting_and_ones_own_otherwise(service, client, parent, child):
    _record, url = make_record(service, parent, subject_for(parent, child.iin))
    client.force_login(parent)
    assert client.get(url).status_code == 404  # not acting for the child: one's own pages only
    act_for(client, child.iin)
    assert client.get(url).status_code == 200
    listing = client.get(reverse(LISTS[service])).content.decode()
    assert "You are acting for: Серикова Айлин" in listing
    client.post(reverse("representation:switch"), {"ward": ""})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("service", SERVICES)
def test_another_familys_record_by_url_is_404_and_nothing_leaks(service, client, parent, child, stranger_child):
    from osms.accounts.models import User

    stranger = User.objects.get(iin=selectors.Representation.objects.get(ward=stranger_child).representative_iin)
    _record, url = make_record(service, stranger, subject_for(stranger, stranger_child.iin))
    client.force_login(parent)
    act_for(client, child.iin)
    response = client.get(url)
    assert response.status_code == 404
    assert stranger_child.first_name not in response.content.decode()
    assert stranger_child.iin not in response.content.decode()


@pytest.mark.parametrize("service", SERVICES)
def test_an_adult_child_is_refused_on_every_service(service, client, parent):
    grown = person(dt.date(2000, 5, 5), first_name="Даулет")
    right(grown, parent.iin)
    client.force_login(parent)
    assert act_for(client, grown.iin).status_code == 404
    page = client.get(reverse(LISTS[service]))
    assert page.status_code == 200 and grown.first_name not in page.content.decode()


@pytest.mark.parametrize("service", SERVICES)
def test_a_ward_whose_decision_ended_is_refused_on_every_service(service, client, make_user):
    guardian = make_user(birth=dt.date(1970, 1, 1), last_name="Омарова", first_name="Гульнар")
    ward = person(dt.date(2015, 4, 4), first_name="Нурсултан", last_name="Омаров")
    held = right(ward, guardian.iin, ground="guardian", start=dt.date(2020, 1, 1), end=timezone.localdate())
    client.force_login(guardian)
    assert act_for(client, ward.iin).status_code == 302
    held.end = timezone.localdate() - dt.timedelta(days=1)
    held.save()
    response = client.get(reverse(LISTS[service]))
    assert response.status_code == 403
    assert ward.first_name not in response.content.decode()
    assert client.get(reverse(LISTS[service])).status_code == 200  # the choice is dropped: one's own page


@pytest.mark.parametrize("service", SERVICES)
def test_a_right_ended_midway_refuses_the_next_step(service, client, make_user):
    """The child turns 18 (midnight in Almaty) between two steps: the next page is refused (403)."""
    mother = make_user(birth=dt.date(1980, 2, 2), last_name="Ахметова", first_name="Сауле")
    teen = person(dt.date(2008, 12, 20), first_name="Мадина", last_name="Ахметова")
    right(teen, mother.iin)
    with time_machine.travel(dt.datetime(2026, 12, 19, 18, 55, tzinfo=dt.UTC), tick=False):
        _record, url = make_record(service, mother, subject_for(mother, teen.iin))
        client.force_login(mother)
        act_for(client, teen.iin)
        assert client.get(url).status_code == 200
    with time_machine.travel(dt.datetime(2026, 12, 19, 19, 5, tzinfo=dt.UTC), tick=False):
        response = client.get(url)
        assert response.status_code == 403
        assert client.get(url).status_code == 404  # back to her own data: the child's record is not hers


@pytest.mark.parametrize("service", SERVICES)
def test_a_child_who_is_not_theirs_is_refused_on_every_service(service, client, parent, child, stranger_child):
    """By the switch (404) and by a tampered session (403): nothing about the child in either answer."""
    from osms.representation.acting import SESSION_KEY

    client.force_login(parent)
    switched = act_for(client, stranger_child.iin)
    assert switched.status_code == 404
    session = client.session
    session[SESSION_KEY] = stranger_child.iin
    session.save()
    response = client.get(reverse(LISTS[service]))
    assert response.status_code == 403
    for answer in (switched, response):
        assert stranger_child.first_name not in answer.content.decode()
        assert stranger_child.iin not in answer.content.decode()


def test_my_requests_shows_the_wards_while_acting_and_ones_own_otherwise(client, parent, child, make_user):
    from osms.representation.acting import for_user

    for_child, _url = make_record("appeals", parent, subject_for(parent, child.iin))
    own, _url = make_record("appeals", parent, for_user(parent))
    client.force_login(parent)
    mine = client.get(reverse("accounts:requests")).content.decode()
    assert own.number in mine and for_child.number not in mine
    act_for(client, child.iin)
    theirs = client.get(reverse("accounts:requests")).content.decode()
    assert for_child.number in theirs and own.number not in theirs


@pytest.mark.parametrize("service", SERVICES)
def test_the_other_parent_sees_only_what_they_filed_for_the_child(service, client, parent, child, make_user):
    """Both parents act for the child; what one of them filed (with their own address and phone) is
    not shown to the other: statements, temporary status, online applications and appeals alike."""
    other_parent = make_user(birth=dt.date(1986, 5, 5), last_name="Сериков", first_name="Ерлан")
    right(child, other_parent.iin)
    _record, url = make_record(service, parent, subject_for(parent, child.iin))
    client.force_login(other_parent)
    act_for(client, child.iin)
    assert client.get(url).status_code == 404
    client.force_login(parent)
    act_for(client, child.iin)
    assert client.get(url).status_code == 200
