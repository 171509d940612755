"""The citizen's pages: one step per page (category → documents → task list → check your answers →
SMS code → confirmation), the request's own page, and the access-checked document download."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from osms.accounts.codes import CodeError
from osms.accounts.forms import CodeForm
from osms.accounts.identity import mask_phone
from osms.core.audit import audit_read
from osms.core.uploads import MAX_FILE_BYTES, UploadRejected, private_file_response
from osms.representation.acting import acting_subject

from . import selectors, services
from .forms import CategoryForm, DocumentsForm
from .models import TemporaryStatusRequest
from .services import TemporaryStatusError


def _code_limit(group, request) -> str:
    return settings.RATELIMITS["code_request"]


def _own(request: HttpRequest, pk: int) -> TemporaryStatusRequest:
    found = selectors.request_of(user=request.user, pk=pk, iin=acting_subject(request).iin)
    if found is None:
        raise Http404
    return found


def _posted(request: HttpRequest):
    """The form's data on a POST (even an empty one, so that it is validated), None otherwise."""
    return request.POST if request.method == "POST" else None


@login_required
@never_cache
def request_list(request: HttpRequest) -> HttpResponse:
    """The citizen's requests and, when they may ask, the start button."""
    subject = acting_subject(request)
    context = {
        "requests": selectors.requests_of(user=request.user, iin=subject.iin),
        "check": selectors.eligibility_of(user=request.user, iin=subject.iin),
        "subject": subject,
    }
    return render(request, "temporary_status/list.html", context)


@login_required
@never_cache
def request_start(request: HttpRequest) -> HttpResponse:
    """Step 1: the category (or a plain explanation of why the person may not ask)."""
    subject = acting_subject(request)
    check = selectors.eligibility_of(user=request.user, iin=subject.iin)
    if not check.eligibility.allowed:
        ward_name = subject.name if subject.for_ward else ""
        context = {"check": check, "ward_name": ward_name, "message": check.eligibility.message_about(ward_name)}
        return render(request, "temporary_status/not_eligible.html", context)
    draft = check.draft
    form = CategoryForm(
        _posted(request),
        categories=selectors.categories_by_application(),
        initial={"category": draft.category_id, "wwii_veteran": {True: "yes", False: "no"}.get(draft.wwii_veteran)}
        if draft
        else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            started = services.temporary_status_start(
                actor=request.user,
                category=form.cleaned_data["category"],
                subject=subject,
                wwii_veteran=form.cleaned_data.get("wwii_veteran"),
            )
        except TemporaryStatusError as exc:
            form.add_error("category", str(exc))
        else:
            return redirect("temporary_status:documents", pk=started.pk)
    return render(request, "temporary_status/category.html", {"form": form, "draft": draft})


def _document_rows(form: DocumentsForm, draft: TemporaryStatusRequest):
    uploaded = selectors.documents_by_kind(draft)
    return [
        {"slot": slot, "field": form[form.field_name(slot)], "uploaded": uploaded.get(kind)}
        for slot, kind, _label, _old in form.slots
    ]


def _ask_for_first_missing(form: DocumentsForm, slots: list) -> None:
    """Nothing chosen: the first document not uploaded yet is asked for (none missing: nothing to ask)."""
    first = next((item for item in slots if item[3] is None), None)
    if first is not None:
        form.add_error(
            form.field_name(first[0]),
            _("Choose the file of the document “%(document)s”.") % {"document": first[2]},
        )


@login_required
@never_cache
def documents(request: HttpRequest, pk: int, slot: int | None = None) -> HttpResponse:
    """Step 2: the category's documents, each its own upload (or one of them, from the task list).

    Each file is checked and kept on its own: a refused file leaves every other file and answer as
    it was, and the page says what is wrong with that one."""
    draft = _own(request, pk)
    if not draft.is_draft:
        return redirect("temporary_status:detail", pk=draft.pk)
    required = list(draft.required_documents)
    uploaded = selectors.documents_by_kind(draft)
    slots = [
        (number, kind, _(kind), uploaded.get(kind))
        for number, kind in enumerate(required, start=1)
        if slot is None or number == slot
    ]
    if not slots:
        raise Http404
    form = DocumentsForm(_posted(request), request.FILES if request.method == "POST" else None, slots=slots)
    if request.method == "POST" and form.is_valid():
        given = list(form.files_given())
        for number, kind, file in given:
            try:
                services.temporary_status_document_upload(actor=request.user, request=draft, kind=kind, file=file)
            except UploadRejected as exc:
                form.add_error(form.field_name(number), exc)
            except TemporaryStatusError as exc:
                form.add_error(form.field_name(number), str(exc))
        if not given:
            _ask_for_first_missing(form, slots)
        if not form.errors:
            if given:
                messages.success(request, _("The documents have been uploaded."))
            return redirect("temporary_status:detail", pk=draft.pk)
        draft = _own(request, pk)
    context = {
        "form": form,
        "draft": draft,
        "rows": _document_rows(form, draft),
        "single": slot is not None,
        "max_mb": MAX_FILE_BYTES // 2**20,
        "total_mb": services.REQUEST_BYTES_LIMIT // 2**20,
    }
    return render(request, "temporary_status/documents.html", context)


@login_required
@require_POST
def document_remove(request: HttpRequest, pk: int, slot: int) -> HttpResponse:
    draft = _own(request, pk)
    required = list(draft.required_documents)
    if not 1 <= slot <= len(required):
        raise Http404
    document = selectors.documents_by_kind(draft).get(required[slot - 1])
    if document is not None:
        try:
            services.temporary_status_document_remove(actor=request.user, request=draft, document=document)
        except TemporaryStatusError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The file has been removed."))
    return redirect("temporary_status:document", pk=draft.pk, slot=slot)


@login_required
@never_cache
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft: the task list of what is done and what is missing. A sent request: its stage."""
    found = _own(request, pk)
    uploaded = selectors.documents_by_kind(found)
    rows = [
        {"slot": number, "label": _(kind), "document": uploaded.get(kind)}
        for number, kind in enumerate(found.required_documents, start=1)
    ]
    if found.is_draft:
        complete = all(row["document"] for row in rows)
        return render(request, "temporary_status/tasks.html", {"draft": found, "rows": rows, "complete": complete})
    return render(request, "temporary_status/detail.html", {"item": found, "rows": rows})


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _own(request, pk)
    try:
        services.temporary_status_cancel(actor=request.user, request=draft)
    except TemporaryStatusError as exc:
        messages.error(request, str(exc))
        return redirect("temporary_status:detail", pk=draft.pk)
    messages.success(request, _("The draft has been deleted."))
    return redirect("temporary_status:list")


@login_required
@never_cache
@ratelimit(key="user_or_ip", rate=_code_limit, method="POST", block=True)
def check(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 3: check your answers; sending asks for the SMS code."""
    draft = _own(request, pk)
    if not draft.is_draft:
        return redirect("temporary_status:detail", pk=draft.pk)
    if services.missing_of(draft):
        messages.info(request, _("Upload every document the category needs first."))
        return redirect("temporary_status:detail", pk=draft.pk)
    error = None
    if request.method == "POST":
        try:
            services.temporary_status_code_send(actor=request.user, request=draft)
        except TemporaryStatusError as exc:
            error = str(exc)
        else:
            return redirect("temporary_status:confirm", pk=draft.pk)
    rows = [
        {"slot": number, "label": _(kind), "document": selectors.documents_by_kind(draft).get(kind)}
        for number, kind in enumerate(draft.required_documents, start=1)
    ]
    context = {"draft": draft, "rows": rows, "error": error, "subject": acting_subject(request)}
    return render(request, "temporary_status/check.html", context)


@login_required
@never_cache
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 4: the SMS code sends the request."""
    draft = _own(request, pk)
    if not draft.is_draft:
        return redirect("temporary_status:sent" if draft.number else "temporary_status:detail", pk=draft.pk)
    form = CodeForm(_posted(request), submit_label=_("Send the request"))
    if request.method == "POST" and form.is_valid():
        try:
            services.temporary_status_submit(actor=request.user, request=draft, code=form.cleaned_data["code"])
        except CodeError as exc:
            form.add_error("code", str(exc))
        except TemporaryStatusError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("temporary_status:sent", pk=draft.pk)
    return render(
        request,
        "temporary_status/confirm.html",
        {"form": form, "draft": draft, "phone": mask_phone(request.user.phone)},
    )


@login_required
@require_POST
@ratelimit(key="user_or_ip", rate=_code_limit, method="POST", block=True)
def code_resend(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _own(request, pk)
    try:
        services.temporary_status_code_send(actor=request.user, request=draft)
    except TemporaryStatusError as exc:
        messages.error(request, str(exc))
        return redirect("temporary_status:detail", pk=draft.pk)
    messages.info(request, _("We have sent a new code."))
    return redirect("temporary_status:confirm", pk=draft.pk)


@login_required
@never_cache
def sent(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 5: the confirmation with the request number."""
    found = _own(request, pk)
    if found.number is None:
        return redirect("temporary_status:detail", pk=found.pk)
    return render(request, "temporary_status/sent.html", {"item": found})


@login_required
@never_cache
def document_file(request: HttpRequest, document_id: int) -> HttpResponse:
    """A document, to its owner (as a download) or to a fund officer (inline on request, audited).
    Anybody else gets the same 404 as for a document that does not exist."""
    access = selectors.document_for_reader(user=request.user, document_id=document_id)
    if access is None:
        raise Http404
    document = access.document
    if access.as_officer:
        audit_read(instance=document)
        services.temporary_status_document_opened(actor=request.user, document=document)
    try:
        return private_file_response(
            document.file,
            download_name=document.name,
            content_type=document.content_type,
            inline=access.as_officer and request.GET.get("inline") == "1",
        )
    except FileNotFoundError:
        raise Http404 from None
