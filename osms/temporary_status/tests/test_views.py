"""The citizen's pages: who may ask (and is told why not), each category's documents, the whole flow."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from conftest import new_iin
from osms.accounts.models import Role
from osms.coverage.models import BenefitCategory, BenefitMembership
from osms.temporary_status.models import TemporaryStatusRequest
from tests.files import image_bytes

from .factories import draft, last_code, pdf, pdf_bytes, submitted

Status = TemporaryStatusRequest.Status


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- eligibility -------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for name in ("temporary_status:list", "temporary_status:start"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_citizen_not_insured_sees_the_start_button_and_the_categories(client, student):
    client.force_login(student)
    page = client.get(reverse("temporary_status:list"))
    assert reverse("temporary_status:start") in page.content.decode()
    response = client.get(reverse("temporary_status:start"))
    assert response.status_code == 200
    values = re.findall(r'name="category"[^>]*?value="(\d+)"', response.content.decode(), flags=re.S)
    assert sorted(map(int, values)) == list(range(1, 14))


def test_an_insured_citizen_is_told_why_not(client, student):
    BenefitMembership.objects.create(iin=student.iin, category_id=8, start=dt.date(2020, 1, 1))
    client.force_login(student)
    response = client.get(reverse("temporary_status:start"))
    assert "You are insured today, so you do not need temporary status" in text_of(response)
    assert 'name="category"' not in response.content.decode()
    assert reverse("temporary_status:start") not in client.get(reverse("temporary_status:list")).content.decode()
    # And a POST straight at the page changes nothing.
    client.post(reverse("temporary_status:start"), {"category": "10"})
    assert not TemporaryStatusRequest.objects.exists()


def test_a_staff_account_is_told_why_not(client, officer):
    client.force_login(officer)
    response = client.get(reverse("temporary_status:start"))
    assert "This is a staff account" in text_of(response)


def test_a_citizen_waiting_for_an_answer_is_told_why_not(client, student, sms_outbox):
    sent = submitted(student, sms_outbox)
    client.force_login(student)
    response = client.get(reverse("temporary_status:start"))
    assert "You have already sent a request" in text_of(response)
    assert sent.number in text_of(response)


def test_a_category_the_iin_contradicts_is_refused_with_a_reason(client, student):
    client.force_login(student)
    response = client.post(reverse("temporary_status:start"), {"category": "1"})
    assert "This category is for children under 18" in text_of(response)
    assert not TemporaryStatusRequest.objects.exists()


def test_categories_14_and_15_are_not_offered(client, student):
    client.force_login(student)
    for number in ("14", "15"):
        response = client.post(reverse("temporary_status:start"), {"category": number})
        assert response.status_code == 200 and "Choose one of the categories in the list" in text_of(response)
    assert not TemporaryStatusRequest.objects.exists()


# --- each category's documents ---------------------------------------------------------------------


def citizen_for(make_user, number: int):
    """A person the category's definition fits: a child for 1, a woman for 2 and 5."""
    birth = dt.date(2012, 3, 4) if number == 1 else dt.date(1992, 3, 4)
    return make_user(iin=new_iin(birth, female=number in (2, 5)), birth=birth)


@pytest.mark.parametrize("number", range(1, 14))
def test_the_page_asks_for_exactly_the_documents_of_the_category(client, make_user, number):
    category = BenefitCategory.objects.get(number=number)
    citizen = citizen_for(make_user, number)
    client.force_login(citizen)
    answers = {"category": str(number), **({"wwii_veteran": "yes"} if number == 9 else {})}
    response = client.post(reverse("temporary_status:start"), answers)
    created = TemporaryStatusRequest.objects.get(user=citizen)
    assert response["Location"] == reverse("temporary_status:documents", args=[created.pk])
    page = client.get(response["Location"]).content.decode()
    inputs = re.findall(
        r'<input class="govuk-file-upload[^"]*" id="id_document_(\d+)" name="document_\1" type="file"', page
    )
    assert inputs == [str(slot) for slot in range(1, len(category.documents) + 1)]
    labels = re.findall(r'<label class="govuk-label govuk-label--m" for="id_document_\d+">\s*(.*?)\s*</label>', page)
    assert [label.replace("&#x27;", "'") for label in labels] == category.documents
    # The task list has one task per document, all missing, and sending cannot start yet.
    tasks = client.get(reverse("temporary_status:detail", args=[created.pk])).content.decode()
    assert tasks.count("Not uploaded yet") == len(category.documents)
    assert "govuk-task-list__status--cannot-start-yet" in tasks


# --- the whole request -----------------------------------------------------------------------------------


def test_the_request_from_category_to_confirmation(client, student, sms_outbox):
    client.force_login(student)
    response = client.post(reverse("temporary_status:start"), {"category": "6"}, follow=False)
    created = TemporaryStatusRequest.objects.get(user=student)
    documents_url = response["Location"]
    # One file now, the other two later: the task list shows what is missing.
    response = client.post(documents_url, {"document_1": pdf("инвалидность.pdf")})
    assert response["Location"] == reverse("temporary_status:detail", args=[created.pk])
    tasks = client.get(response["Location"]).content.decode()
    assert len(re.findall(r">\s*Uploaded\s*<", tasks)) == 1 and tasks.count("Not uploaded yet") == 2
    assert "инвалидность.pdf" in client.get(documents_url).content.decode()
    assert reverse("temporary_status:check", args=[created.pk]) not in tasks
    # Checking before everything is there sends the citizen back to the list.
    assert client.get(reverse("temporary_status:check", args=[created.pk]))["Location"] == response["Location"]
    # The second document from its own page, the third from the documents page.
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        reverse("temporary_status:document", args=[created.pk, 2]),
        {"document_2": SimpleUploadedFile("birth.png", image_bytes("PNG"))},
    )
    client.post(documents_url, {"document_3": SimpleUploadedFile("scan.jpg", image_bytes("JPEG"))})
    tasks = client.get(reverse("temporary_status:detail", args=[created.pk])).content.decode()
    assert "Not uploaded yet" not in tasks and reverse("temporary_status:check", args=[created.pk]) in tasks
    check = client.get(reverse("temporary_status:check", args=[created.pk]))
    for name in ("инвалидность.pdf", "birth.png", "scan.jpg"):
        assert name in check.content.decode()
    response = client.post(reverse("temporary_status:check", args=[created.pk]))
    assert response["Location"] == reverse("temporary_status:confirm", args=[created.pk])
    code = last_code(sms_outbox, student.phone)
    wrong = client.post(response["Location"], {"code": "000000" if code != "000000" else "111111"})
    assert "The code is wrong" in text_of(wrong)
    response = client.post(reverse("temporary_status:confirm", args=[created.pk]), {"code": code})
    assert response["Location"] == reverse("temporary_status:sent", args=[created.pk])
    created.refresh_from_db()
    assert created.status == Status.SUBMITTED
    panel = client.get(response["Location"])
    assert "govuk-panel--confirmation" in panel.content.decode() and created.number in panel.content.decode()
    # "My requests" and the list show it; the confirmation SMS went out.
    from osms.accounts.cabinet import my_requests

    assert [line.number for line in my_requests(user=student)] == [created.number]
    assert created.number in client.get(reverse("temporary_status:list")).content.decode()
    assert any(created.number in message["text"] for message in sms_outbox)
    # A sent request is no longer editable.
    assert client.get(documents_url)["Location"] == reverse("temporary_status:detail", args=[created.pk])


def test_a_draft_survives_signing_out(client, student):
    client.force_login(student)
    client.post(reverse("temporary_status:start"), {"category": "10"})
    created = TemporaryStatusRequest.objects.get(user=student)
    client.post(reverse("temporary_status:documents", args=[created.pk]), {"document_1": pdf()})
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("temporary_status:list")).status_code == 302
    client.force_login(student)
    page = client.get(reverse("temporary_status:list")).content.decode()
    assert reverse("temporary_status:detail", args=[created.pk]) in page
    assert "справка.pdf" in client.get(reverse("temporary_status:documents", args=[created.pk])).content.decode()


def test_the_documents_page_says_which_file_is_missing(client, student):
    created = draft(student, category=9, upload=False)
    client.force_login(student)
    response = client.post(reverse("temporary_status:documents", args=[created.pk]), {})
    assert response.status_code == 200
    assert "Choose the file of the document" in text_of(response) and "govuk-error-summary" in text_of(response)


def test_a_document_can_be_replaced_and_removed(client, student):
    created = draft(student, category=10)
    client.force_login(student)
    url = reverse("temporary_status:document", args=[created.pk, 1])
    client.post(url, {"document_1": pdf("новая.pdf")})
    assert list(created.documents.values_list("name", flat=True)) == ["новая.pdf"]
    client.post(reverse("temporary_status:document_remove", args=[created.pk, 1]))
    assert not created.documents.exists()


def test_a_draft_can_be_deleted(client, student, private_media):
    created = draft(student)
    stored = private_media / created.documents.get().file
    assert stored.exists()
    client.force_login(student)
    client.post(reverse("temporary_status:cancel", args=[created.pk]))
    created.refresh_from_db()
    assert created.status == Status.CANCELLED and not stored.exists()
    assert (
        reverse("temporary_status:detail", args=[created.pk])
        not in client.get(reverse("temporary_status:list")).content.decode()
    )


def test_another_citizen_cannot_see_or_change_a_request(client, student, make_user):
    created = draft(student)
    client.force_login(make_user())
    for name in ("detail", "documents", "check", "confirm", "sent"):
        assert client.get(reverse(f"temporary_status:{name}", args=[created.pk])).status_code == 404
    assert client.post(reverse("temporary_status:cancel", args=[created.pk])).status_code == 404
    assert (
        client.post(reverse("temporary_status:documents", args=[created.pk]), {"document_1": pdf()}).status_code == 404
    )


def test_the_refused_request_page_explains_and_offers_a_new_request(client, student, officer, sms_outbox):
    from osms.temporary_status import services

    sent = submitted(student, sms_outbox)
    services.temporary_status_refuse(actor=officer, request=sent, reason="out_of_date", text="Справка 2023 года")
    client.force_login(student)
    page = text_of(client.get(reverse("temporary_status:detail", args=[sent.pk])))
    assert "The documents are out of date" in page and "Справка 2023 года" in page
    assert reverse("temporary_status:start") in page
    assert client.get(reverse("temporary_status:start")).status_code == 200


def test_pdf_bytes_helper_is_a_pdf():
    assert pdf_bytes().startswith(b"%PDF-")


def test_roles_give_fund_officers_the_review(db):
    from osms.accounts.roles import role_permissions

    assert "temporary_status.review_temporarystatusrequest" in role_permissions()[Role.FUND_OFFICER]
    assert not any("temporary_status" in perm for perm in role_permissions()[Role.CLINIC_REGISTRAR])
