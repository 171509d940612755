"""Pages of the statement service: the request (one question per page, check your answers, confirm),
the citizen's requests and documents, complaints, and the public check of a document."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from osms.accounts.identity import mask_phone
from osms.core.calendar import ALMATY
from osms.core.page_cache import anonymous_get
from osms.core.steps import Steps
from osms.core.uploads import private_file_response
from osms.coverage.periods import Period
from osms.representation.acting import acting_subject

from . import form_text, rendering, rules, selectors, services, signing
from .forms import ComplaintForm, ConsentForm, LanguageForm, PeriodForm, SendForm, SignedRequestForm, VerifyForm
from .models import StatementRequest

# The request's question pages (osms/core/steps.py): the answers wait in the session until "check your answers".
FLOW = Steps(
    key="statement_draft",
    order=("from", "language", "consent"),
    url_of={"from": "statements:start", "language": "statements:language", "consent": "statements:consent"}.get,
    check="statements:check",
)


def _limit(name: str) -> str:
    return settings.RATELIMITS[name]


def _today():
    return timezone.now().astimezone(ALMATY).date()


def _period(code: str) -> Period:
    return Period.parse(code)


# --- The citizen's list --------------------------------------------------------------------------------------
@login_required
def statement_list(request: HttpRequest) -> HttpResponse:
    """ "My statements": every request with its stage and a link to its document."""
    subject = acting_subject(request)
    return render(
        request,
        "statements/list.html",
        {
            "requests": selectors.requests_of(user=request.user, iin=subject.iin),
            "complaints": selectors.complaints_of(user=request.user, iin=subject.iin),
            "subject": subject,
        },
    )


# --- The request, one question per page ----------------------------------------------------------------------------
@login_required
def start(request: HttpRequest) -> HttpResponse:
    today = _today()
    draft = FLOW.answers(request)
    first, last = rules.default_period(today)
    if draft.get("from"):
        first, last = _period(draft["from"]), _period(draft["to"])
    form = PeriodForm(request.POST or None, today=today, initial={"period_from": first, "period_to": last})
    if request.method == "POST" and form.is_valid():
        FLOW.save(request, **{"from": form.cleaned_data["period_from"].code, "to": form.cleaned_data["period_to"].code})
        return FLOW.after(request, "from")
    return render(
        request,
        "statements/question.html",
        {
            "form": form,
            "title": _("Request a statement of payments"),
            "heading": _("Request a statement of payments"),
            "lead": _(
                "The statement lists the deductions and contributions that reached the Fund in the months you choose, "
                "and your insured status on the day it is issued. It is free and usually ready within a minute."
            ),
            "back": "statements:list",
        },
    )


@login_required
def language(request: HttpRequest) -> HttpResponse:
    if (early := FLOW.needs(request, "language")) is not None:
        return early
    draft = FLOW.answers(request)
    initial = draft.get("language") or form_text.document_language(get_language())
    form = LanguageForm(request.POST or None, initial={"language": initial})
    if request.method == "POST" and form.is_valid():
        FLOW.save(request, language=form.cleaned_data["language"])
        return FLOW.after(request, "language")
    return render(
        request,
        "statements/question.html",
        {"form": form, "title": _("Language of the statement"), "back": "statements:start"},
    )


@login_required
def consent(request: HttpRequest) -> HttpResponse:
    if (early := FLOW.needs(request, "consent")) is not None:
        return early
    draft = FLOW.answers(request)
    initial = {True: "yes", False: "no"}.get(draft.get("consent"))
    form = ConsentForm(request.POST or None, initial={"consent": initial})
    if request.method == "POST" and form.is_valid():
        FLOW.save(request, consent=form.cleaned_data["consent"] == "yes")
        return FLOW.after(request, "consent")
    return render(
        request,
        "statements/question.html",
        {"form": form, "title": _("Consent to access personal data"), "back": "statements:language"},
    )


@login_required
@ratelimit(key="user", rate=lambda g, r: _limit("code_request"), method="POST", block=True)
def check(request: HttpRequest) -> HttpResponse:
    """Check your answers, then send: the request is made and the confirmation begins."""
    draft = FLOW.answers(request)
    if (missing := FLOW.missing(draft)) is not None:
        return redirect(FLOW.url_of(missing))
    methods = signing.methods()
    form = SendForm(request.POST or None, methods=methods)
    if request.method == "POST" and form.is_valid():
        method = form.cleaned_data["method"]
        try:
            statement = services.statement_request_create(
                actor=request.user,
                period_from=_period(draft["from"]),
                period_to=_period(draft["to"]),
                language=draft["language"],
                consent=draft["consent"],
                subject=acting_subject(request),
            )
            services.statement_confirmation_begin(actor=request.user, request=statement, method=method)
        except (services.StatementError, signing.SignatureRejected) as exc:
            form.add_error(None, str(exc))
        else:
            FLOW.clear(request)
            url = reverse("statements:confirm", kwargs={"number": statement.number})
            return redirect(f"{url}?method={method}")
    return render(
        request,
        "statements/check.html",
        {
            "form": form,
            "period_from": _period(draft["from"]),
            "period_to": _period(draft["to"]),
            "language_label": dict(StatementRequest._meta.get_field("language").choices)[draft["language"]],
            "consent": draft["consent"],
        },
    )


def _own_request(request: HttpRequest, number: str, *, audit: bool = True) -> StatementRequest:
    """The request of the subject (the citizen, or the ward they act for); 404 otherwise. `audit=False`
    for the page's progress poll: the right is checked, the viewing was audited when the page opened."""
    subject = acting_subject(request, audit=audit)
    statement = selectors.request_of(user=request.user, number=number, iin=subject.iin)
    if statement is None:
        raise Http404
    return statement


@login_required
def confirm(request: HttpRequest, number: str) -> HttpResponse:
    statement = _own_request(request, number)
    if statement.status != StatementRequest.Status.DRAFT:
        return redirect("statements:detail", number=number)
    method = request.GET.get("method", "sms")
    if method not in signing.methods():
        method = "sms"
    if method == "sms":
        from osms.accounts.forms import CodeForm

        form = CodeForm(request.POST or None, submit_label=_("Confirm and send"))
        proof_field = "code"
    else:
        form = SignedRequestForm(request.POST or None)
        proof_field = "signature"
    if request.method == "POST" and form.is_valid():
        try:
            services.statement_request_confirm(
                actor=request.user, request=statement, method=method, proof=form.cleaned_data[proof_field]
            )
        except signing.SignatureRejected as exc:
            form.add_error(proof_field, str(exc))
        except services.StatementError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your request %(number)s has been received.") % {"number": number})
            return redirect("statements:detail", number=number)
    context = {"form": form, "statement": statement, "phone": mask_phone(request.user.phone), "method": method}
    if method == "ncanode":
        context["data_to_sign"] = signing.NcaNodeSignature.data_to_sign(statement)
        return render(request, "statements/confirm_eds.html", context)
    return render(request, "statements/confirm_code.html", context)


@login_required
@require_POST
@ratelimit(key="user", rate=lambda g, r: _limit("code_request"), method="POST", block=True)
def resend_code(request: HttpRequest, number: str) -> HttpResponse:
    statement = _own_request(request, number)
    try:
        services.statement_confirmation_begin(actor=request.user, request=statement, method="sms")
    except services.StatementError:
        return redirect("statements:detail", number=number)
    messages.info(request, _("We have sent a new code."))
    return redirect("statements:confirm", number=number)


# --- A request and its document ---------------------------------------------------------------------------------------
@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    statement = _own_request(request, number)
    document = getattr(statement, "document", None)
    view = None
    if document is not None:
        view = rendering.document_view(
            number=document.number, kind=document.kind, language=document.language, content=document.content
        )
    return render(
        request,
        "statements/detail.html",
        {
            "statement": statement,
            "document": document,
            "doc": view,
            "period_from": Period(statement.period_from // 100, statement.period_from % 100),
            "period_to": Period(statement.period_to // 100, statement.period_to % 100),
        },
    )


@login_required
def pdf(request: HttpRequest, number: str) -> HttpResponse:
    statement = _own_request(request, number)
    document = getattr(statement, "document", None)
    if document is None:
        raise Http404
    return private_file_response(
        document.pdf.name, download_name=f"{document.number}.pdf", content_type="application/pdf"
    )


# --- Complaints ----------------------------------------------------------------------------------------------------------
@login_required
def complaint_new(request: HttpRequest, number: str) -> HttpResponse:
    statement = _own_request(request, number)
    if statement.received_at is None:
        return redirect("statements:detail", number=number)
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_register(
                actor=request.user, request=statement, text=form.cleaned_data["text"]
            )
        except services.StatementError as exc:
            form.add_error("text", str(exc))
        else:
            return redirect("statements:complaint", number=complaint.number)
    return render(
        request,
        "statements/question.html",
        {
            "form": form,
            "title": _("Complain about the service"),
            "caption": _("Request %(number)s") % {"number": statement.number},
            "lead": _(
                "Your complaint goes to the head of the Fund. The Fund answers within 5 working days; unless it "
                "satisfies the complaint in full within 3 working days, it forwards it with your case to the body "
                "that controls the quality of state services, which decides within 15 working days."
            ),
            "back_url": reverse("statements:detail", kwargs={"number": number}),
        },
    )


@login_required
def complaint_detail(request: HttpRequest, number: str) -> HttpResponse:
    complaint = selectors.complaint_of(user=request.user, number=number, iin=acting_subject(request).iin)
    if complaint is None:
        raise Http404
    return render(request, "statements/complaint.html", {"complaint": complaint})


# --- The public check -------------------------------------------------------------------------------------------------
@ratelimit(key="ip", rate=lambda g, r: _limit("public_lookup"), method="POST", block=True)
@anonymous_get
def verify(request: HttpRequest) -> HttpResponse:
    """Number + IIN: authentic or not, the issue date and the PDF's SHA-256, nothing else."""
    form = VerifyForm(request.POST or None, initial={"number": request.GET.get("number", "")[:24]})
    result = None
    checked = False
    if request.method == "POST" and form.is_valid():
        checked = True
        result = selectors.document_verify(number=form.cleaned_data["number"], iin=form.cleaned_data["iin"])
    return render(request, "statements/verify.html", {"form": form, "checked": checked, "result": result})
