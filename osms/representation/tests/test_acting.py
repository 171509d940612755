"""Acting for a ward: the switch, My status for the ward, and every refusal."""

import datetime as dt

import pytest
import time_machine
from auditlog.models import LogEntry
from django.urls import reverse

from osms.representation.acting import SESSION_KEY

from .conftest import person, right

pytestmark = pytest.mark.django_db


def act_for(client, ward_iin: str):
    return client.post(reverse("representation:switch"), {"ward": ward_iin})


def test_a_parent_switches_to_the_child_and_my_status_shows_the_childs_data(client, parent, child):
    client.force_login(parent)
    cabinet = client.get(reverse("accounts:cabinet"))
    assert child.first_name in cabinet.content.decode()
    response = act_for(client, child.iin)
    assert response.status_code == 302 and response.url == reverse("coverage:my_status")
    page = client.get(reverse("coverage:my_status")).content.decode()
    assert "You are acting for: Серикова Айлин" in page
    # Every cabinet page says whom one acts for.
    assert "You are acting for: Серикова Айлин" in client.get(reverse("accounts:cabinet")).content.decode()
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(child_right(child).pk))
    assert entries.exists()
    assert all(
        e.additional_data["ward_iin"] == child.iin and e.additional_data["representative_iin"] == parent.iin
        for e in entries
    )
    client.post(reverse("representation:switch"), {"ward": ""})
    assert "You are acting for" not in client.get(reverse("coverage:my_status")).content.decode()


def child_right(child):
    from osms.representation.models import Representation

    return Representation.objects.get(ward=child)


def test_my_status_reads_the_wards_iin(client, parent, child, monkeypatch):
    seen = []
    from osms.coverage import views

    real = views.status_answer

    def spy(*, iin, on):
        seen.append(iin)
        return real(iin=iin, on=on)

    monkeypatch.setattr(views, "status_answer", spy)
    client.force_login(parent)
    act_for(client, child.iin)
    client.get(reverse("coverage:my_status"))
    assert seen == [child.iin]


def test_another_familys_child_is_refused_and_nothing_leaks(client, parent, child, stranger_child):
    client.force_login(parent)
    response = act_for(client, stranger_child.iin)
    assert response.status_code == 404
    assert stranger_child.first_name not in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_tampered_session_is_refused_at_once(client, parent, child, stranger_child):
    client.force_login(parent)
    session = client.session
    session[SESSION_KEY] = stranger_child.iin
    session.save()
    response = client.get(reverse("coverage:my_status"))
    assert response.status_code == 403
    assert stranger_child.first_name not in response.content.decode()
    assert stranger_child.iin not in response.content.decode()
    # The choice is dropped: the next page is the citizen's own.
    page = client.get(reverse("coverage:my_status"))
    assert page.status_code == 200 and "You are acting for" not in page.content.decode()


def test_an_adult_child_cannot_be_chosen(client, parent):
    grown = person(dt.date(2000, 1, 1), first_name="Ерлан")
    right(grown, parent.iin)  # the register row from his childhood
    client.force_login(parent)
    assert act_for(client, grown.iin).status_code == 404
    assert grown.first_name not in client.get(reverse("representation:wards")).content.decode()


def test_a_ward_whose_decision_ended_cannot_be_chosen(client, make_user):
    guardian = make_user(birth=dt.date(1970, 7, 7))
    ward = person(dt.date(2012, 9, 9), first_name="Дамир")
    right(ward, guardian.iin, ground="guardian", start=dt.date(2020, 1, 1), end=dt.date(2025, 12, 31))
    client.force_login(guardian)
    assert act_for(client, ward.iin).status_code == 404


# Almaty is UTC+5: local midnight is 19:00 UTC. Ten minutes apart, so the session stays alive.
BEFORE_MIDNIGHT = dt.time(18, 55)
AFTER_MIDNIGHT = dt.time(19, 5)


def utc(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=dt.UTC)


def test_the_parents_right_ends_by_itself_on_the_18th_birthday(client, parent):
    teen = person(dt.date(2008, 12, 10), first_name="Алия")
    right(teen, parent.iin)
    with time_machine.travel(utc(dt.date(2026, 12, 9), BEFORE_MIDNIGHT), tick=False) as traveller:
        client.force_login(parent)
        assert act_for(client, teen.iin).status_code == 302
        assert "You are acting for: Серикова Алия" in client.get(reverse("coverage:my_status")).content.decode()
        traveller.move_to(utc(dt.date(2026, 12, 9), AFTER_MIDNIGHT))  # 10.12.2026 in Almaty: she is 18
        response = client.get(reverse("coverage:my_status"))
        assert response.status_code == 403
        assert teen.first_name not in response.content.decode()
        own = client.get(reverse("coverage:my_status"))
        assert own.status_code == 200 and "You are acting for" not in own.content.decode()
        assert act_for(client, teen.iin).status_code == 404


def test_the_guardians_right_ends_by_itself_at_the_decisions_end(client, make_user):
    guardian = make_user(birth=dt.date(1970, 7, 7))
    ward = person(dt.date(2012, 9, 9), first_name="Дамир")
    right(ward, guardian.iin, ground="trustee", start=dt.date(2020, 1, 1), end=dt.date(2027, 1, 31))
    with time_machine.travel(utc(dt.date(2027, 1, 31), BEFORE_MIDNIGHT), tick=False) as traveller:
        client.force_login(guardian)
        act_for(client, ward.iin)
        assert "You are acting for" in client.get(reverse("accounts:cabinet")).content.decode()
        traveller.move_to(utc(dt.date(2027, 1, 31), AFTER_MIDNIGHT))  # 01.02.2027 in Almaty
        assert client.get(reverse("accounts:cabinet")).status_code == 403


def test_switching_back_is_safe_against_open_redirects(client, parent, child):
    client.force_login(parent)
    response = client.post(reverse("representation:switch"), {"ward": "", "next": "https://evil.example/"})
    assert response.url == reverse("coverage:my_status")


def test_signed_out_visitors_cannot_switch(client, child):
    response = client.post(reverse("representation:switch"), {"ward": child.iin})
    assert response.status_code == 302 and "login" in response.url


def test_a_right_whose_ward_the_persons_register_lacks_is_not_offered(client, parent):
    from conftest import new_iin
    from osms.representation.models import Representation

    unknown = new_iin(dt.date(2020, 2, 2))
    Representation.objects.create(
        ward_id=unknown, representative_iin=parent.iin, ground="parent", start=dt.date(2020, 2, 2), source="register"
    )
    client.force_login(parent)
    assert client.get(reverse("accounts:cabinet")).status_code == 200
    assert act_for(client, unknown).status_code == 404
