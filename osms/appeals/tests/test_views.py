"""The citizen's pages: filing one question per page, documents, check and send, reading the answer,
agreeing or disagreeing, links from other services, "My requests"."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from osms.appeals import links, rules, services
from osms.appeals.links import LinkedRecord
from osms.appeals.models import AnswerBy, Appeal, AppealFile, Channel, LinkKind, Status, Topic
from osms.clinics.models import Region
from osms.core.models import Notification
from osms.coverage.periods import Period
from osms.statements.tests.factories import submit

from .factories import appeal_answered, appeal_file, checked_pdf, clinic_make, pdf_bytes, pdf_upload, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client


def url(name, **kwargs) -> str:
    return reverse(f"appeals:{name}", kwargs=kwargs)


def test_pages_need_signing_in(client):
    for name in ("list", "new", "new_topic", "new_check"):
        response = client.get(url(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_whole_filing_journey(signed_in, citizen, sms_outbox):
    clinic = clinic_make(region=Region.ALMATY_CITY)
    other_region = clinic_make(region=Region.ASTANA, name="Поликлиника Астаны")

    response = signed_in.get(url("new"))
    assert response["Location"] == url("new_topic")
    page = signed_in.get(url("new_topic"))
    assert page.status_code == 200
    assert 'name="topic"' in page.content.decode()
    # A step skipped sends back to the first unanswered one.
    assert signed_in.get(url("new_substance"))["Location"] == url("new_topic")

    response = signed_in.post(url("new_topic"), {})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert signed_in.post(url("new_topic"), {"topic": Topic.SERVICE_REFUSAL})["Location"] == url("new_region")
    assert signed_in.post(url("new_region"), {"region": Region.ALMATY_CITY})["Location"] == url("new_clinic")

    page = signed_in.get(url("new_clinic")).content.decode()
    assert clinic.name_ru in page and other_region.name_ru not in page  # the chosen region's only
    assert signed_in.post(url("new_clinic"), {"clinic": other_region.pk}).status_code == 200  # not offered
    assert signed_in.post(url("new_clinic"), {"clinic": clinic.pk})["Location"] == url("new_substance")
    assert signed_in.post(url("new_substance"), {"substance": "Отказали в МРТ по направлению."})["Location"] == url(
        "new_documents"
    )

    # Two documents at once, then one that is not a document.
    upload = [pdf_upload("направление.pdf"), SimpleUploadedFile("снимок.png", png_bytes())]
    assert signed_in.post(url("new_documents"), {"files": upload})["Location"] == url("new_documents")
    bad = signed_in.post(url("new_documents"), {"files": [SimpleUploadedFile("virus.pdf", b"MZ\x90\x00")]})
    assert bad.status_code == 200
    assert "virus.pdf" in bad.content.decode()
    page = signed_in.get(url("new_documents")).content.decode()
    assert "направление.pdf" in page and "снимок.png" in page

    response = signed_in.post(url("new_answer"), {"answer_by": AnswerBy.POST, "postal_address": ""})
    assert response.status_code == 200 and 'href="#id_postal_address"' in response.content.decode()
    response = signed_in.post(url("new_answer"), {"answer_by": AnswerBy.CABINET})
    assert response["Location"] == url("new_check")

    check = signed_in.get(url("new_check")).content.decode()
    for shown in ("Отказали в МРТ", clinic.name_ru, "направление.pdf", "снимок.png"):
        assert shown in check
    # Changing an answer from the check page comes back to it.
    signed_in.get(url("new_substance"))
    assert signed_in.post(url("new_substance"), {"substance": "Отказали в МРТ по направлению врача."})[
        "Location"
    ] == url("new_check")

    response = signed_in.post(url("new_check"))
    appeal = Appeal.objects.get()
    assert response["Location"] == url("done", number=appeal.number)
    assert appeal.topic == Topic.SERVICE_REFUSAL and appeal.clinic == clinic
    assert appeal.substance == "Отказали в МРТ по направлению врача."
    assert appeal.channel == Channel.PORTAL and appeal.answer_by == AnswerBy.CABINET
    assert appeal.files.count() == 2
    done = signed_in.get(response["Location"]).content.decode()
    assert "govuk-panel--confirmation" in done and appeal.number in done
    assert appeal.number in sms_outbox[-1]["text"]
    # The draft is gone: sending again starts over.
    assert signed_in.post(url("new_check"))["Location"] == url("new_topic")
    assert Appeal.objects.count() == 1


def test_changing_the_region_asks_for_the_organisation_again(signed_in):
    clinic = clinic_make(region=Region.ASTANA)
    signed_in.get(url("new"))
    signed_in.post(url("new_topic"), {"topic": Topic.OTHER})
    signed_in.post(url("new_region"), {"region": Region.ASTANA})
    signed_in.post(url("new_clinic"), {"clinic": clinic.pk})
    signed_in.post(url("new_substance"), {"substance": "Вопрос"})
    signed_in.post(url("new_answer"), {"answer_by": AnswerBy.CABINET})
    signed_in.get(url("new_check"))
    assert signed_in.post(url("new_region"), {"region": Region.KARAGANDA})["Location"] == url("new_check")
    assert signed_in.get(url("new_check"))["Location"] == url("new_clinic")


def test_at_most_five_documents(signed_in):
    signed_in.get(url("new"))
    signed_in.post(url("new_topic"), {"topic": Topic.OTHER})
    signed_in.post(url("new_region"), {"region": Region.ASTANA})
    signed_in.post(url("new_clinic"), {"clinic": ""})
    signed_in.post(url("new_substance"), {"substance": "Вопрос"})
    files = [SimpleUploadedFile(f"{n}.pdf", pdf_bytes()) for n in range(6)]
    response = signed_in.post(url("new_documents"), {"files": files})
    assert response.status_code == 200
    assert AppealFile.objects.count() == 0
    files = [SimpleUploadedFile(f"{n}.pdf", pdf_bytes()) for n in range(5)]  # the client read the others
    signed_in.post(url("new_documents"), {"files": files})
    assert AppealFile.objects.count() == 5
    page = signed_in.get(url("new_documents")).content.decode()
    assert 'name="files"' not in page  # no more uploads offered
    first = AppealFile.objects.order_by("id").first()
    signed_in.post(url("new_document_remove", file_id=first.pk))
    assert AppealFile.objects.count() == 4


def test_the_topic_can_be_suggested_by_a_link(signed_in):
    signed_in.get(url("new") + "?topic=medicines")
    page = signed_in.get(url("new_topic")).content.decode()
    assert re.search(r'value="medicines"[^>]*checked', page)


@pytest.fixture
def unchecked_links(monkeypatch):
    """The owning apps' resolvers stood in for: every well-formed number is the citizen's (the real
    resolvers, over the clinics' and statements' selectors, are tested with those apps' records)."""
    for kind in (LinkKind.CLINIC_APPLICATION, LinkKind.STATEMENT_REQUEST):
        monkeypatch.setitem(links._RESOLVERS, kind, lambda user, number, iin=None: LinkedRecord(reference=number))


def test_a_link_from_an_overdue_clinic_application(signed_in, unchecked_links):
    response = signed_in.get(url("new") + "?topic=access&attachment=CA-2026-000042")
    assert response["Location"] == url("new_region")  # the topic comes with the link
    assert signed_in.get(url("new_topic"))["Location"] == url("new_region")
    signed_in.post(url("new_region"), {"region": Region.ASTANA})
    page = signed_in.get(url("new_clinic")).content.decode()
    assert "CA-2026-000042" in page
    signed_in.post(url("new_clinic"), {"clinic": ""})
    signed_in.post(url("new_substance"), {"substance": "Заявку не рассмотрели за день."})
    signed_in.post(url("new_answer"), {"answer_by": AnswerBy.CABINET})
    signed_in.post(url("new_check"))
    appeal = Appeal.objects.get()
    assert appeal.topic == Topic.CLINIC_ATTACHMENT
    assert (appeal.link_kind, appeal.link_reference) == (LinkKind.CLINIC_APPLICATION, "CA-2026-000042")
    # One click again from the same application leads to the appeal already filed.
    again = signed_in.get(url("new") + "?attachment=CA-2026-000042")
    assert again["Location"] == url("detail", number=appeal.number)


def test_a_resolver_checks_the_record_and_prefills_region_and_organisation(signed_in, citizen, monkeypatch):
    clinic = clinic_make(region=Region.KARAGANDA)

    def resolve(user, number, iin=None):
        if user == citizen and number == "CA-2026-000007":
            return LinkedRecord(reference=number, label="Заявление", region=Region.KARAGANDA, clinic_id=clinic.pk)
        return None

    monkeypatch.setitem(links._RESOLVERS, LinkKind.CLINIC_APPLICATION, resolve)
    assert signed_in.get(url("new") + "?attachment=CA-2026-000999")["Location"] == url("new_topic")
    response = signed_in.get(url("new") + "?attachment=CA-2026-000007")
    assert response["Location"] == url("new_substance")
    signed_in.post(url("new_substance"), {"substance": "Заявление не рассмотрели вовремя."})
    signed_in.post(url("new_answer"), {"answer_by": AnswerBy.CABINET})
    check = signed_in.get(url("new_check")).content.decode()
    assert "Заявление" in check and clinic.name_ru in check
    signed_in.post(url("new_check"))
    appeal = Appeal.objects.get()
    assert (appeal.topic, appeal.region, appeal.clinic) == (Topic.CLINIC_ATTACHMENT, Region.KARAGANDA, clinic)
    assert appeal.term_working_days == 15


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_a_statement_link_leads_to_the_statement_complaint_not_to_an_appeal(
    signed_in, citizen, language, settings, tmp_path, django_capture_on_commit_callbacks
):
    """One route for complaints about the statement service (docs/adr/0205): the order's terms."""
    settings.NCANODE_URL = ""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    statement = submit(citizen, django_capture_on_commit_callbacks, first=Period(2026, 1), last=Period(2026, 3))
    with translation.override(language):
        response = signed_in.get(reverse("appeals:new") + f"?statement={statement.number}", follow=True)
        message = str(rules.STATEMENT_ROUTE_MESSAGE)
        complaint_url = reverse("statements:complaint_new", kwargs={"number": statement.number})
        topics = signed_in.get(reverse("appeals:new_topic")).content.decode()
    assert response.redirect_chain[-1][0] == complaint_url
    assert html.escape(message) in response.content.decode()
    assert ("5" in message and "3" in message and "15" in message) and not Appeal.objects.exists()
    assert 'value="statement_service"' not in topics


def test_an_earlier_statement_appeal_stays_readable_and_explains_the_route(signed_in, citizen):
    appeal = appeal_file(citizen=citizen)
    Appeal.objects.filter(pk=appeal.pk).update(  # a row filed before the route was one (no move: no kernel)
        topic=Topic.STATEMENT_SERVICE, link_kind=LinkKind.STATEMENT_REQUEST, link_reference="2026-000007"
    )
    page = signed_in.get(url("detail", number=appeal.number)).content.decode()
    assert str(Topic.STATEMENT_SERVICE.label) in page
    assert reverse("statements:detail", kwargs={"number": "2026-000007"}) in page


def test_a_malformed_link_is_refused(signed_in, unchecked_links):
    response = signed_in.get(url("new") + "?attachment=<script>")
    assert response["Location"] == url("new_topic")


@pytest.mark.parametrize("parameter", ["attachment", "statement"])
def test_the_built_in_resolvers_refuse_a_number_that_is_not_the_citizens(signed_in, parameter):
    response = signed_in.get(url("new") + f"?{parameter}=2026-000001")
    assert response["Location"] == url("new_topic")


def test_the_list_and_the_detail_show_only_ones_own(signed_in, citizen, make_user, officer):
    mine = appeal_file(citizen=citizen)
    other = make_user(birth=__import__("datetime").date(1971, 2, 3))
    theirs = appeal_file(citizen=other)
    page = signed_in.get(url("list")).content.decode()
    assert mine.number in page and theirs.number not in page
    assert signed_in.get(url("detail", number=theirs.number)).status_code == 404
    assert signed_in.get(url("detail", number=mine.number)).status_code == 200


def test_the_citizen_reads_the_answer_and_its_documents(signed_in, citizen, officer):
    appeal = appeal_file(citizen=citizen)
    services.appeal_assign(actor=officer, appeal=appeal, officer=officer)
    services.appeal_start(actor=officer, appeal=appeal)
    answer = services.appeal_answer(
        actor=officer, appeal=appeal, text="Вам выдадут лекарство.", uploads=[checked_pdf("письмо.pdf")]
    )
    page = signed_in.get(url("detail", number=appeal.number)).content.decode()
    assert "Вам выдадут лекарство." in page
    assert "письмо.pdf" in page
    document = answer.files.get()
    response = signed_in.get(url("file", file_id=document.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_document_of_another_persons_appeal_is_not_found(signed_in, make_user):
    import datetime as dt

    other = make_user(birth=dt.date(1972, 3, 4))
    draft = services.appeal_draft_file_add(actor=other, checked=checked_pdf())
    appeal_file(citizen=other, draft_file_ids=[draft.pk])
    assert signed_in.get(url("file", file_id=draft.pk)).status_code == 404


def test_the_timeline_shows_public_events_only(signed_in, citizen, officer):
    appeal = appeal_file(citizen=citizen)
    services.appeal_assign(actor=officer, appeal=appeal, officer=officer)
    services.appeal_contact_record(
        actor=officer,
        appeal=appeal,
        organisation_name="Поликлиника",
        method="phone",
        contacted_at=appeal.registered_at,
        findings="СЕКРЕТНЫЕ внутренние выводы",
    )
    page = signed_in.get(url("detail", number=appeal.number)).content.decode()
    assert "СЕКРЕТНЫЕ" not in page
    assert officer.last_name not in page  # officers are not named to the citizen


def test_agreeing_closes_the_appeal(signed_in, citizen, officer):
    appeal = appeal_answered(citizen=citizen, officer=officer)
    page = signed_in.get(url("detail", number=appeal.number)).content.decode()
    assert url("accept", number=appeal.number) in page
    signed_in.post(url("accept", number=appeal.number))
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED
    page = signed_in.get(url("detail", number=appeal.number)).content.decode()
    assert url("accept", number=appeal.number) not in page


def test_disagreeing_reopens_the_appeal(signed_in, citizen, officer):
    appeal = appeal_answered(citizen=citizen, officer=officer)
    response = signed_in.post(url("reopen", number=appeal.number), {"reason": ""})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    signed_in.post(url("reopen", number=appeal.number), {"reason": "Лекарство так и не выдали."})
    appeal.refresh_from_db()
    assert appeal.status == Status.REOPENED
    page = signed_in.get(url("detail", number=appeal.number)).content.decode()
    assert "Лекарство так и не выдали." in page
    # Too late or twice: a message, no change.
    signed_in.post(url("reopen", number=appeal.number), {"reason": "Ещё раз"})
    assert appeal.events.filter(kind="reopened").count() == 1


def test_nobody_else_can_accept_or_disagree(client, make_user, citizen, officer):
    import datetime as dt

    appeal = appeal_answered(citizen=citizen, officer=officer)
    client.force_login(make_user(birth=dt.date(1973, 5, 6)))
    assert client.post(url("accept", number=appeal.number)).status_code == 404
    assert client.post(url("reopen", number=appeal.number), {"reason": "x"}).status_code == 404
    appeal.refresh_from_db()
    assert appeal.status == Status.ANSWERED


def test_my_requests_lists_the_appeals(signed_in, citizen):
    appeal = appeal_file(citizen=citizen)
    page = signed_in.get(reverse("accounts:requests")).content.decode()
    assert appeal.number in page and url("detail", number=appeal.number) in page


def test_notifications_link_to_the_appeal(signed_in, citizen):
    appeal = appeal_file(citizen=citizen)
    assert Notification.objects.get(user=citizen).url == url("detail", number=appeal.number)


def test_documents_of_an_abandoned_draft_make_room(signed_in, citizen):
    for _ in range(2):  # the first appeal is abandoned after five documents
        signed_in.get(url("new"))
        signed_in.post(url("new_topic"), {"topic": Topic.OTHER})
        signed_in.post(url("new_region"), {"region": Region.ASTANA})
        signed_in.post(url("new_clinic"), {"clinic": ""})
        signed_in.post(url("new_substance"), {"substance": "Вопрос"})
        files = [SimpleUploadedFile(f"{n}.pdf", pdf_bytes()) for n in range(5)]
        assert signed_in.post(url("new_documents"), {"files": files})["Location"] == url("new_documents")
    assert AppealFile.objects.filter(uploaded_by=citizen).count() == 5
