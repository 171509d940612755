"""An application a parent or guardian makes at the clinic for a child or ward: the registrar records
the representative, checked against the representation register, as an online one records them."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from osms.clinics.models import AttachmentApplication
from osms.clinics.services import AttachmentError
from osms.clinics.services.answers import application_refuse
from osms.core.models import Notification
from osms.representation.tests.conftest import person, right

from .factories import in_clinic, make_clinic, make_registrar, png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours():
    return make_clinic()


@pytest.fixture
def registrar(make_user, ours):
    return make_registrar(make_user, ours)


@pytest.fixture
def mother(make_user):
    return make_user(birth=dt.date(1988, 3, 27), last_name="Серикова", first_name="Асель", phone="+77017770000")


@pytest.fixture
def kid(mother):
    child = person(dt.date(2019, 6, 1), first_name="Айлин")
    right(child, mother.iin)
    return child


def form_data(kid, **extra):
    return {
        "iin": kid.iin,
        "last_name": kid.last_name,
        "first_name": kid.first_name,
        "patronymic": "",
        "phone": "8 701 777 00 00",
        "group": "born_abroad",
        "reason": "first",
        "locality": "Астана",
        "street": "ул. Кенесары",
        "house": "3",
        "flat": "",
        "document": SimpleUploadedFile("свидетельство.png", png_upload().read(), content_type="image/png"),
        **extra,
    }


def test_the_registrar_records_the_parent_who_applies_for_the_child(staff_client, registrar, mother, kid):
    client = staff_client(registrar)
    grouped = f"{mother.iin[:6]}\u00a0{mother.iin[6:9]} {mother.iin[9:]}"
    response = client.post(
        reverse("admin:clinics_attachmentapplication_add"), form_data(kid, representative_iin=grouped)
    )
    assert response.status_code == 302
    application = AttachmentApplication.objects.get(iin=kid.iin)
    assert application.representative_iin == mother.iin
    event = application.events.get()
    assert event.acting_for == kid.iin
    assert "parent" in event.note and mother.iin in event.note
    page = client.get(reverse("admin:clinics_attachmentapplication_change", args=[application.pk]))
    assert f"Серикова Асель, IIN {mother.iin} (parent or guardian)" in page.content.decode()


def test_a_person_without_a_right_in_force_is_refused_with_a_clear_error(staff_client, registrar, kid, make_user):
    neighbour = make_user(birth=dt.date(1975, 5, 5), last_name="Жанов", first_name="Марат")
    client = staff_client(registrar)
    response = client.post(
        reverse("admin:clinics_attachmentapplication_add"), form_data(kid, representative_iin=neighbour.iin)
    )
    assert response.status_code == 200
    assert "no right in force" in response.content.decode()
    assert not AttachmentApplication.objects.filter(iin=kid.iin).exists()


def test_a_right_that_has_ended_is_refused_by_the_service(registrar, make_user):
    guardian = make_user(birth=dt.date(1970, 1, 1), last_name="Омарова", first_name="Гульнар")
    ward = person(dt.date(2014, 4, 4), first_name="Нурсултан", last_name="Омаров")
    right(ward, guardian.iin, ground="guardian", start=dt.date(2020, 1, 1), end=dt.date(2021, 1, 1))
    with pytest.raises(AttachmentError, match="no right in force"):
        in_clinic(registrar, iin=ward.iin, group="guardian", representative_iin=guardian.iin)
    assert not AttachmentApplication.objects.exists()


def test_without_a_representative_nothing_changes(registrar, kid):
    application = in_clinic(registrar, iin=kid.iin, group="born_abroad")
    assert application.representative_iin == "" and application.events.get().acting_for == ""


def test_the_parent_is_told_the_answer_for_a_child_without_an_account(registrar, mother, kid):
    application = in_clinic(registrar, iin=kid.iin, group="born_abroad", representative_iin=mother.iin)
    application_refuse(actor=registrar, application=application, reason="documents", explanation="Нет справки")
    told = Notification.objects.get(user=mother)
    assert told.body.startswith("For Серикова Айлин.") or "Серикова Айлин" in told.body
    assert "/representation/open/" in told.url
