"""Documents that depend on the person (docs/adr/0702-services-for-a-ward.md, seed 004): each
category's list as the seed says, category 9's veteran's certificate only of a WWII veteran, category 1
asked for a child by a representative and refused to an adult for themself."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import new_iin
from osms.coverage.models import BenefitCategory
from osms.representation.tests.conftest import person, right
from osms.temporary_status import rules, services
from osms.temporary_status.models import TemporaryStatusRequest

pytestmark = pytest.mark.django_db

# Seed 004 ("Вот какие документы нужны для получения временного статуса"), category by category.
SEED_004 = {
    1: ["Birth certificate"],  # Дети: свидетельство о рождении
    2: ["Certificate form 027/u"],  # беременные: справка по форме 027\у
    3: ["The child's birth certificate"],  # родитель ребенка до 3 лет
    4: ["The child's birth certificate"],  # отпуск по беременности, родам, усыновлению, уходу
    5: ["Document confirming the award"],  # многодетные матери с наградами
    6: ["Disability certificate", "The child's birth certificate", "Unemployment registration certificate"],
    7: ["Disability certificate", "Identity document"],  # ухаживающие за инвалидом I группы с детства
    8: ["Disability certificate"],  # инвалиды
    9: ["Identity document", "Veteran's certificate"],  # пенсионеры, включая ветеранов ВОВ
    10: ["Certificate from the place of study or student card"],
    11: ["Unemployment registration certificate"],
    12: ["Certificate confirming targeted social assistance"],
    13: ["Kandas certificate", "Unemployment registration certificate"],
}


@pytest.mark.parametrize("number", sorted(SEED_004))
def test_each_categorys_documents_are_those_of_seed_004(number):
    assert BenefitCategory.objects.get(number=number).documents == SEED_004[number]


@pytest.mark.parametrize("number", sorted(SEED_004))
def test_no_category_asks_a_document_the_answers_rule_out(number):
    documents = SEED_004[number]
    asked = rules.documents_for(category=number, documents=documents, answers={"wwii_veteran": False})
    if number == 9:
        assert asked == ["Identity document"]
    else:
        assert asked == documents


def test_a_pensioner_who_is_no_veteran_is_asked_only_the_identity_document(client, make_user):
    pensioner = make_user(birth=dt.date(1958, 6, 6), last_name="Касымов", first_name="Болат")
    client.force_login(pensioner)
    response = client.post(reverse("temporary_status:start"), {"category": "9", "wwii_veteran": "no"})
    created = TemporaryStatusRequest.objects.get(user=pensioner)
    assert response["Location"] == reverse("temporary_status:documents", args=[created.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Identity document" in page and "Veteran&#x27;s certificate" not in page
    assert created.required_documents == ["Identity document"]


def test_a_veteran_is_asked_both_documents(make_user):
    veteran = make_user(birth=dt.date(1925, 5, 9))
    started = services.temporary_status_start(actor=veteran, category=9, wwii_veteran=True)
    assert started.required_documents == ["Identity document", "Veteran's certificate"]


def test_category_9_without_the_answer_asks_the_question(client, make_user):
    pensioner = make_user(birth=dt.date(1958, 6, 6))
    client.force_login(pensioner)
    response = client.post(reverse("temporary_status:start"), {"category": "9"})
    assert response.status_code == 200
    assert "Say whether you are a veteran of the Great Patriotic War." in response.content.decode()
    assert not TemporaryStatusRequest.objects.filter(user=pensioner).exists()


def test_category_1_is_refused_to_an_adult_for_themself_with_a_clear_message(client, make_user):
    adult = make_user(birth=dt.date(1990, 1, 1))
    client.force_login(adult)
    response = client.post(reverse("temporary_status:start"), {"category": "1"})
    assert response.status_code == 200
    assert "A parent or guardian asks for a child" in response.content.decode()
    assert not TemporaryStatusRequest.objects.filter(user=adult).exists()


def test_category_1_is_asked_for_a_child_by_the_parent_with_the_birth_certificate(client, make_user):
    parent = make_user(birth=dt.date(1990, 1, 1), last_name="Серикова", first_name="Асель")
    baby = person(dt.date(2026, 5, 1), first_name="Аяла", iin=new_iin(dt.date(2026, 5, 1), female=True))
    right(baby, parent.iin)
    client.force_login(parent)
    client.post(reverse("representation:switch"), {"ward": baby.iin})
    response = client.post(reverse("temporary_status:start"), {"category": "1"})
    created = TemporaryStatusRequest.objects.get(user=parent)
    assert response["Location"] == reverse("temporary_status:documents", args=[created.pk])
    assert (created.iin, created.representative_iin) == (baby.iin, parent.iin)
    assert created.required_documents == ["Birth certificate"]
    assert "Birth certificate" in client.get(response["Location"]).content.decode()


def test_the_check_page_names_the_child_and_the_officer_sees_who_applied(client, make_user):
    from osms.temporary_status.tests.factories import pdf

    parent = make_user(birth=dt.date(1990, 1, 1), last_name="Серикова", first_name="Асель")
    baby = person(dt.date(2026, 5, 1), first_name="Аяла", iin=new_iin(dt.date(2026, 5, 1), female=True))
    right(baby, parent.iin)
    client.force_login(parent)
    client.post(reverse("representation:switch"), {"ward": baby.iin})
    client.post(reverse("temporary_status:start"), {"category": "1"})
    created = TemporaryStatusRequest.objects.get(user=parent)
    services.temporary_status_document_upload(actor=parent, request=created, kind="Birth certificate", file=pdf())
    page = client.get(reverse("temporary_status:check", args=[created.pk])).content.decode()
    assert "Серикова Аяла" in page and "Whom the request is for" in page
