import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import new_iin
from osms.accounts.models import Role
from osms.coverage.models import Person
from osms.representation.models import Representation
from tests.files import pdf_bytes

TODAY = dt.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def _in_english_with_private_media(english, private_media):
    """Every representation test runs in English with its own private folder (the root fixtures)."""


def pdf(name: str = "свидетельство.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def person(birth: dt.date, *, first_name: str, last_name: str = "Серикова", iin: str | None = None) -> Person:
    return Person.objects.create(
        iin=iin or new_iin(birth), last_name=last_name, first_name=first_name, birth_date=birth
    )


def right(ward: Person, representative_iin: str, *, ground="parent", start=None, end=None) -> Representation:
    return Representation.objects.create(
        ward=ward,
        representative_iin=representative_iin,
        ground=ground,
        start=start or ward.birth_date,
        end=end,
        source=Representation.Source.REGISTER,
    )


@pytest.fixture
def parent(make_user):
    return make_user(birth=dt.date(1988, 3, 27), last_name="Серикова", first_name="Асель")


@pytest.fixture
def child(parent):
    kid = person(dt.date(2018, 6, 1), first_name="Айлин")
    right(kid, parent.iin)
    return kid


@pytest.fixture
def stranger_child(make_user):
    other = make_user(birth=dt.date(1985, 1, 1), last_name="Жанов", first_name="Марат")
    kid = person(dt.date(2016, 2, 3), first_name="Тимур", last_name="Жанов")
    right(kid, other.iin)
    return kid


@pytest.fixture
def officer(make_user):
    return make_user(role=Role.FUND_OFFICER, last_name="Фондов", first_name="Ерлан", phone="+77010000009")


@pytest.fixture
def officer_client(staff_client, officer):
    return staff_client(officer)
