"""The citizen's pages of the appeals register (file one, one question per page; read the answer; agree or
disagree), the documents, and the public check by number and IIN. Thin: form -> service -> redirect."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from osms.clinics.models import Clinic, Region
from osms.core.page_cache import anonymous_get
from osms.core.steps import Steps
from osms.core.uploads import private_file_response
from osms.representation.acting import acting_subject

from . import rules, selectors, services
from .forms import (
    AnswerByForm,
    ClinicForm,
    DocumentsForm,
    PublicCheckForm,
    RegionForm,
    ReopenForm,
    SubstanceForm,
    TopicForm,
)
from .links import QUERY_PARAMETERS, link_redirect, link_resolve
from .models import AnswerBy, AppealFile, Channel, LinkKind, Status, Topic
from .workflow import actions_allowed

DRAFT = "appeals.draft"


def _posted(request: HttpRequest):
    """The form data of a POST (even an empty one, which must show the errors), None otherwise."""
    return request.POST if request.method == "POST" else None


def _rate(name: str, default: str):
    return lambda group, request: settings.RATELIMITS.get(name, default)


# --- The citizen's appeals ------------------------------------------------------------------------------------


@login_required
@never_cache
def appeal_list(request: HttpRequest) -> HttpResponse:
    subject = acting_subject(request)
    appeals = selectors.appeals_of_citizen(user=request.user, iin=subject.iin)
    return render(request, "appeals/list.html", {"appeals": appeals, "subject": subject})


def _citizen_appeal(request: HttpRequest, number: str):
    appeal = selectors.appeal_of_citizen(user=request.user, number=number, iin=acting_subject(request).iin)
    if appeal is None:
        raise Http404
    return appeal


@login_required
@never_cache
def appeal_detail(request: HttpRequest, number: str) -> HttpResponse:
    appeal = _citizen_appeal(request, number)
    now = timezone.now()
    allowed = actions_allowed(appeal=appeal, user=request.user)
    may_reply = rules.Action.REOPEN in allowed and rules.reopen_open(reopen_until=appeal.reopen_until, now=now)
    context = {
        "appeal": appeal,
        "timeline": selectors.appeal_timeline(appeal=appeal),
        "answers": list(appeal.answers.all()),
        "documents": list(appeal.files.all()),
        "may_reply": may_reply,
        "late": selectors.deadline_state(appeal=appeal, now=now) == rules.DeadlineState.OVERDUE,
    }
    return render(request, "appeals/detail.html", context)


@login_required
@require_POST
def appeal_accept(request: HttpRequest, number: str) -> HttpResponse:
    appeal = _citizen_appeal(request, number)
    try:
        services.appeal_accept(actor=request.user, appeal=appeal)
    except services.MoveRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Thank you. The appeal is closed."))
    return redirect("appeals:detail", number=appeal.number)


@login_required
def appeal_reopen(request: HttpRequest, number: str) -> HttpResponse:
    appeal = _citizen_appeal(request, number)
    form = ReopenForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_reopen(actor=request.user, appeal=appeal, reason=form.cleaned_data["reason"])
        except services.MoveRefused as exc:
            messages.error(request, str(exc))
            return redirect("appeals:detail", number=appeal.number)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your disagreement is sent. The Fund will answer again."))
            return redirect("appeals:detail", number=appeal.number)
    return render(request, "appeals/reopen.html", {"form": form, "appeal": appeal})


@login_required
@never_cache
def appeal_file(request: HttpRequest, file_id: int) -> HttpResponse:
    """A document of one of the citizen's own appeals; anything else is "not found"."""
    document = selectors.citizen_file(user=request.user, file_id=file_id, iin=acting_subject(request).iin)
    if document is None:
        raise Http404
    return private_file_response(document.file.name, download_name=document.name, content_type=document.content_type)


# --- Filing, one question per page ----------------------------------------------------------------------------
# The answers so far live in the session (osms/core/steps.py); documents are stored at once as drafts of this citizen, and
# `services.appeal_register` attaches them. Each step sends back to the first one not yet answered.

FLOW = Steps(
    key=DRAFT,
    order=("topic", "region", "clinic", "substance", "answer"),
    url_of=lambda step: f"appeals:new_{step}",
    check="appeals:new_check",
    following={"substance": "appeals:new_documents"},  # the optional documents come before the answer
)


def _step(request: HttpRequest, form, *, title: str, back: str, template: str = "appeals/step.html", **extra):
    context = {"form": form, "title": title, "back": back, "draft": FLOW.answers(request), **extra}
    return render(request, template, context)


@login_required
def appeal_new(request: HttpRequest) -> HttpResponse:
    """The start: a fresh draft, pre-filled from `?topic=`, `?attachment=` or `?statement=` (issue 7)."""
    if (redirected := link_redirect(request)) is not None:
        return redirected
    draft: dict = {}
    for parameter, (kind, topic) in QUERY_PARAMETERS.items():
        reference = request.GET.get(parameter)
        if not reference:
            continue
        subject = acting_subject(request)
        record = link_resolve(kind=kind, reference=reference, user=request.user, iin=subject.iin)
        if record is None:
            messages.error(request, _("We could not find this record among yours. Choose the topic from the list."))
            break
        earlier = (
            selectors.appeals_of_citizen(user=request.user, iin=subject.iin)
            .filter(link_kind=kind, link_reference=record.reference)
            .exclude(status=Status.CLOSED)
            .first()
        )
        if earlier is not None:
            messages.info(request, _("You have already filed an appeal about this. Here it is."))
            return redirect("appeals:detail", number=earlier.number)
        draft.update(
            topic=topic,
            link_kind=kind,
            link_reference=record.reference,
            link_label=record.label,
            link_url=record.url,
        )
        if record.region in Region.values:
            draft["region"] = record.region
            if record.clinic_id and Clinic.objects.filter(pk=record.clinic_id, region=record.region).exists():
                draft["clinic"] = record.clinic_id
        break
    if "topic" not in draft and request.GET.get("topic") in rules.CHOOSABLE_TOPICS:
        draft["suggested_topic"] = request.GET["topic"]
    FLOW.replace(request, draft)
    return redirect(FLOW.url_of(FLOW.missing(draft) or "substance"))


@login_required
def appeal_new_topic(request: HttpRequest) -> HttpResponse:
    draft = FLOW.answers(request)
    if draft.get("link_kind"):
        return FLOW.after(request, "topic")  # a linked appeal's topic comes with the link
    form = TopicForm(_posted(request), initial={"topic": draft.get("topic") or draft.get("suggested_topic")})
    if request.method == "POST" and form.is_valid():
        draft["topic"] = form.cleaned_data["topic"]
        FLOW.replace(request, draft)
        return FLOW.after(request, "topic")
    return _step(request, form, title=_("What is your appeal about?"), back="appeals:list")


@login_required
def appeal_new_region(request: HttpRequest) -> HttpResponse:
    if (early := FLOW.needs(request, "region")) is not None:
        return early
    draft = FLOW.answers(request)
    form = RegionForm(_posted(request), initial={"region": draft.get("region")})
    if request.method == "POST" and form.is_valid():
        if draft.get("region") != form.cleaned_data["region"]:
            draft.pop("clinic", None)  # the organisation chosen belongs to the old region
        draft["region"] = form.cleaned_data["region"]
        FLOW.replace(request, draft)
        return FLOW.after(request, "region")
    title = _("In which region did it happen?")
    back = "appeals:list" if draft.get("link_kind") else "appeals:new_topic"  # a link brings its topic
    return _step(request, form, title=title, heading=title, back=back)


@login_required
def appeal_new_clinic(request: HttpRequest) -> HttpResponse:
    if (early := FLOW.needs(request, "clinic")) is not None:
        return early
    draft = FLOW.answers(request)
    form = ClinicForm(_posted(request), region=draft["region"], initial={"clinic": draft.get("clinic")})
    if request.method == "POST" and form.is_valid():
        clinic = form.cleaned_data["clinic"]
        draft["clinic"] = clinic.pk if clinic else None
        FLOW.replace(request, draft)
        return FLOW.after(request, "clinic")
    title = _("Which medical organisation is it about?")
    return _step(request, form, title=title, heading=title, back="appeals:new_region")


@login_required
def appeal_new_substance(request: HttpRequest) -> HttpResponse:
    if (early := FLOW.needs(request, "substance")) is not None:
        return early
    draft = FLOW.answers(request)
    form = SubstanceForm(_posted(request), initial={"substance": draft.get("substance", "")})
    if request.method == "POST" and form.is_valid():
        draft["substance"] = form.cleaned_data["substance"]
        FLOW.replace(request, draft)
        return FLOW.after(request, "substance")
    title = _("Describe your question")
    return _step(request, form, title=title, heading=title, back="appeals:new_clinic")


def _draft_documents(request: HttpRequest, draft: dict) -> list[AppealFile]:
    wanted = set(draft.get("files", []))
    return [item for item in services.draft_files(actor=request.user) if item.pk in wanted]


@login_required
@ratelimit(key="user", rate=_rate("appeal_upload", "60/h"), method="POST", block=True)
def appeal_new_documents(request: HttpRequest) -> HttpResponse:
    """Optional documents: upload (several at once, up to MAX_FILES), see them, remove one, continue."""
    if (early := FLOW.needs(request, "answer")) is not None:
        return early
    draft = FLOW.answers(request)
    documents = _draft_documents(request, draft)
    form = DocumentsForm(
        _posted(request),
        request.FILES if request.method == "POST" else None,
        already=len(documents),
        already_bytes=sum(item.size for item in documents),
    )
    if request.method == "POST" and form.is_valid():
        # Documents of an appeal started earlier and never sent make room for this one's.
        services.appeal_draft_files_discard(actor=request.user, keep=[item.pk for item in documents])
        added = []
        try:
            for checked in form.cleaned_data["files"]:
                added.append(services.appeal_draft_file_add(actor=request.user, checked=checked).pk)
        except ValidationError as exc:
            form.add_error("files", exc)
        draft["files"] = [item.pk for item in documents] + added
        FLOW.replace(request, draft)
        if not form.errors:
            return redirect("appeals:new_documents")
    next_url = FLOW.check if FLOW.checking(request) else "appeals:new_answer"
    return _step(
        request,
        form,
        title=_("Documents (optional)"),
        back="appeals:new_substance",
        template="appeals/documents.html",
        documents=documents,
        next_url=next_url,
        max_files=rules.MAX_FILES,
    )


@login_required
@require_POST
def appeal_new_document_remove(request: HttpRequest, file_id: int) -> HttpResponse:
    draft = FLOW.answers(request)
    if file_id in draft.get("files", []):
        services.appeal_draft_file_remove(actor=request.user, file_id=file_id)
        draft["files"] = [pk for pk in draft["files"] if pk != file_id]
        FLOW.replace(request, draft)
        messages.success(request, _("The document is removed."))
    return redirect("appeals:new_documents")


@login_required
def appeal_new_answer(request: HttpRequest) -> HttpResponse:
    if (early := FLOW.needs(request, "answer")) is not None:
        return early
    draft = FLOW.answers(request)
    user = request.user
    initial = {
        "answer_by": draft.get("answer", AnswerBy.CABINET),
        "contact_phone": draft.get("contact_phone", user.phone),
        "contact_email": draft.get("contact_email", user.email),
        "postal_address": draft.get("postal_address", ""),
    }
    form = AnswerByForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft.update(
            answer=data["answer_by"],
            contact_phone=data["contact_phone"],
            contact_email=data["contact_email"],
            postal_address=data["postal_address"],
        )
        FLOW.replace(request, draft)
        return FLOW.after(request, "answer")
    return _step(request, form, title=_("How do you want the answer?"), back="appeals:new_documents")


@login_required
@ratelimit(key="user", rate=_rate("appeal_file", "20/h"), method="POST", block=True)
def appeal_new_check(request: HttpRequest) -> HttpResponse:
    """Check your answers, then send: the appeal is registered and gets its number."""
    draft = FLOW.answers(request)
    if (missing := FLOW.missing(draft)) is not None:
        return redirect(FLOW.url_of(missing))
    draft = FLOW.begin_checking(request)
    clinic = Clinic.objects.filter(pk=draft.get("clinic")).first() if draft.get("clinic") else None
    documents = _draft_documents(request, draft)
    subject = acting_subject(request)
    if request.method == "POST":
        try:
            appeal = services.appeal_register(
                actor=request.user,
                channel=Channel.PORTAL,
                applicant_iin=subject.iin,
                applicant_name=subject.name,
                subject=subject,
                topic=draft["topic"],
                region=draft["region"],
                clinic=clinic,
                substance=draft["substance"],
                answer_by=draft["answer"],
                contact_phone=draft.get("contact_phone", ""),
                contact_email=draft.get("contact_email", ""),
                postal_address=draft.get("postal_address", ""),
                link_kind=draft.get("link_kind", LinkKind.NONE),
                link_reference=draft.get("link_reference", ""),
                draft_file_ids=[item.pk for item in documents],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            FLOW.clear(request)
            return redirect("appeals:done", number=appeal.number)
    context = {
        "draft": draft,
        "topic": Topic(draft["topic"]).label,
        "region": Region(draft["region"]).label,
        "clinic": clinic,
        "documents": documents,
        "answer_by": AnswerBy(draft["answer"]).label,
        "term": rules.term_working_days(draft["topic"]),
    }
    return render(request, "appeals/check.html", context)


@login_required
def appeal_done(request: HttpRequest, number: str) -> HttpResponse:
    appeal = _citizen_appeal(request, number)
    return render(request, "appeals/done.html", {"appeal": appeal})


# --- The public check ----------------------------------------------------------------------------------------------


@never_cache
@ratelimit(key="ip", rate=_rate("public_appeal_check", "10/m"), method="POST", block=True)
@anonymous_get
def public_check(request: HttpRequest) -> HttpResponse:
    """Anyone: a number and the applicant's IIN in; out only the status and the dates. A wrong IIN and a
    wrong number give the same answer."""
    form = PublicCheckForm(_posted(request))
    result = None
    not_found = False
    if request.method == "POST" and form.is_valid():
        result = selectors.appeal_public_status(number=form.cleaned_data["number"], iin=form.cleaned_data["iin"])
        not_found = result is None
        form = PublicCheckForm()  # the IIN is not echoed back into the page
    return render(request, "appeals/public_check.html", {"form": form, "result": result, "not_found": not_found})
