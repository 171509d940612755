"""The citizen's pages: my clinic, the application one question a page, check your answers, the SMS
code, the confirmation, the application's page. Thin: form -> service -> redirect with a message.

The answers live in the session until the citizen asks for the code; then the application is
created (unsigned) so that the code can be bound to it ("attachment:<id>")."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from osms.accounts.codes import CodeError
from osms.accounts.forms import CodeForm
from osms.accounts.identity import mask_phone
from osms.core.querysets import is_overdue
from osms.representation.acting import acting_subject

from . import rules, selectors, services
from .forms import AddressForm, ClinicForm, ClinicSearchForm, PhoneForm, ReasonForm, RegionForm
from .models import AttachmentApplication, Clinic, Reason, Region
from .views_signing import confirm_with_eds
from .wards import representative_clinic_first, ward_answers

SESSION = "clinics.apply"
SESSION_APPLICATION = "clinics.apply.application"
STEPS = ("region", "clinic", "reason", "address", "phone")
FIELDS = {
    "region": ("region",),
    "clinic": ("clinic",),
    "reason": ("reason",),
    "address": ("locality", "street", "house", "flat"),
    "phone": ("phone",),
}
Status = AttachmentApplication.Status


def _code_rate(group, request) -> str:
    return settings.RATELIMITS["code_request"]


class Situation:
    """The attachment of the person applied for (the citizen, or the ward they act for), the rules in
    force, read once a request."""

    def __init__(self, subject) -> None:
        self.subject = subject
        self.user = subject.representative
        self.today = selectors.local_today()
        self.attachment = selectors.attachment_current(iin=subject.iin)
        self.current = selectors.attachment_facts(self.attachment, today=self.today)
        self.policy = selectors.policy_current()

    def clinic_verdict(self, clinic: Clinic) -> rules.Verdict:
        return rules.clinic_verdict(selectors.clinic_facts(clinic), current=self.current, today=self.today)

    def reason_verdicts(self) -> dict[str, rules.Verdict]:
        return rules.reason_verdicts(current=self.current, policy=self.policy, today=self.today)


def _answers(request: HttpRequest) -> dict:
    return request.session.setdefault(SESSION, {})


def _save(request: HttpRequest, **values) -> None:
    answers = _answers(request)
    answers.update(values)
    request.session.modified = True


def _first_missing(request: HttpRequest, situation: Situation) -> str | None:
    answers = _answers(request)
    if situation.current is None and answers.get("reason") != Reason.FIRST:
        _save(request, reason=Reason.FIRST)  # attached nowhere: nothing to ask
    for step in STEPS:
        if any(name not in answers for name in FIELDS[step]):
            return step
    return None


def _next(request: HttpRequest, situation: Situation) -> HttpResponse:
    missing = _first_missing(request, situation)
    return redirect(f"clinics:apply_{missing}" if missing else "clinics:apply_check")


def _back(step: str, situation: Situation) -> str:
    steps = [name for name in STEPS if not (name == "reason" and situation.current is None)]
    index = steps.index(step) if step in steps else 0
    return reverse(f"clinics:apply_{steps[index - 1]}") if index else reverse("clinics:my_attachment")


def applying(step: str | None):
    """A step of the application: signed in, no application already with a clinic, earlier steps done."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            subject = acting_subject(request)
            if selectors.application_pending(iin=subject.iin) is not None:
                messages.info(request, _("You already have an application with a clinic. Wait for its answer."))
                return redirect("clinics:my_attachment")
            situation = Situation(subject)
            missing = _first_missing(request, situation)
            if step is not None and missing is not None and STEPS.index(missing) < STEPS.index(step):
                return redirect(f"clinics:apply_{missing}")
            if step is None and missing is not None:
                return redirect(f"clinics:apply_{missing}")
            return view(request, situation, *args, **kwargs)

        return wrapper

    return decorate


# --- my clinic -------------------------------------------------------------------------------------------


@login_required
def my_attachment(request: HttpRequest) -> HttpResponse:
    user = request.user
    subject = acting_subject(request)
    attachment = selectors.attachment_current(iin=subject.iin)
    applications = list(selectors.applications_of(user=user, iin=subject.iin)[:5])
    pending = next((item for item in applications if item.status == Status.PENDING), None)
    latest = applications[0] if applications else None
    context = {
        "attachment": attachment,
        "history": [item for item in selectors.attachment_history(iin=subject.iin) if item.ended_at],
        "subject": subject,
        "pending": pending,
        "refused": latest if latest is not None and latest.status == Status.REFUSED else None,
        "overdue": pending is not None and is_overdue(pending.due_at, timezone.now()),
        "appeal_url": selectors.appeal_url(application=pending) if pending else "",
    }
    return render(request, "clinics/my_attachment.html", context)


@login_required
def apply_start(request: HttpRequest) -> HttpResponse:
    subject = acting_subject(request)
    # For a ward the answers start from the representative's own: the region of their clinic and
    # the address of their last application (a child usually lives with the parent).
    request.session[SESSION] = ward_answers(subject) if subject.for_ward else {}
    request.session.pop(SESSION_APPLICATION, None)
    # The check page sends back to the first question not answered yet (all of them for oneself).
    return redirect("clinics:apply_check" if subject.for_ward else "clinics:apply_region")


def _step_page(request, situation, *, step: str, form, template="clinics/apply_step.html", **extra) -> HttpResponse:
    return render(request, template, {"form": form, "back_url": _back(step, situation), "step": step, **extra})


@applying("region")
def apply_region(request: HttpRequest, situation: Situation) -> HttpResponse:
    answers = _answers(request)
    form = RegionForm(request.POST or None, initial={"region": answers.get("region")})
    if request.method == "POST" and form.is_valid():
        region = form.cleaned_data["region"]
        if region != answers.get("region"):
            answers.pop("clinic", None)  # the clinic was of the other region
        _save(request, region=region)
        return _next(request, situation)
    return _step_page(request, situation, step="region", form=form, title=_("Where do you live?"))


@applying("clinic")
def apply_clinic(request: HttpRequest, situation: Situation) -> HttpResponse:
    answers = _answers(request)
    search = ClinicSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    found, total = selectors.clinics_for_choice(region=answers["region"], query=query, today=situation.today)
    if situation.subject.for_ward and not query:
        found = representative_clinic_first(found, representative=situation.user, today=situation.today)
    if request.method == "POST":
        chosen = selectors.clinic_for_choice(clinic_id=request.POST.get("clinic") or 0, today=situation.today)
        if chosen is not None and chosen.region == answers["region"] and chosen not in found:
            found = [chosen, *found]
    form = ClinicForm(
        request.POST or None,
        clinics=found,
        verdict=situation.clinic_verdict,
        initial={"clinic": answers.get("clinic")},
    )
    if request.method == "POST" and form.is_valid():
        _save(request, clinic=form.cleaned_data["clinic"].pk)
        return _next(request, situation)
    return _step_page(
        request,
        situation,
        step="clinic",
        form=form,
        template="clinics/apply_clinic.html",
        search=search,
        query=query,
        total=total,
        shown=len(found),
        region=Region(answers["region"]).label,
        attachment=situation.attachment,
    )


@applying("reason")
def apply_reason(request: HttpRequest, situation: Situation) -> HttpResponse:
    if situation.current is None:
        return _next(request, situation)
    form = ReasonForm(
        request.POST or None, verdicts=situation.reason_verdicts(), initial={"reason": _answers(request).get("reason")}
    )
    if request.method == "POST" and form.is_valid():
        _save(request, reason=form.cleaned_data["reason"])
        return _next(request, situation)
    return _step_page(
        request,
        situation,
        step="reason",
        form=form,
        title=_("Why do you want to change your clinic?"),
        attachment=situation.attachment,
    )


@applying("address")
def apply_address(request: HttpRequest, situation: Situation) -> HttpResponse:
    answers = _answers(request)
    initial = {name: answers.get(name, "") for name in FIELDS["address"]}
    if not initial["locality"]:
        clinic = Clinic.objects.filter(pk=answers.get("clinic")).first()
        initial["locality"] = clinic.city if clinic else ""
    form = AddressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        _save(request, **{name: form.cleaned_data[name].strip() for name in FIELDS["address"]})
        return _next(request, situation)
    return _step_page(request, situation, step="address", form=form, title=_("Address of residence"))


@applying("phone")
def apply_phone(request: HttpRequest, situation: Situation) -> HttpResponse:
    form = PhoneForm(request.POST or None, initial={"phone": _answers(request).get("phone") or request.user.phone})
    if request.method == "POST" and form.is_valid():
        _save(request, phone=form.cleaned_data["phone"])
        return _next(request, situation)
    title = _("Which phone may the clinic call?")
    return _step_page(request, situation, step="phone", form=form, title=title, heading=title)


@applying(None)
@ratelimit(key="user_or_ip", rate=_code_rate, method="POST", block=True)
def apply_check(request: HttpRequest, situation: Situation) -> HttpResponse:
    answers = _answers(request)
    clinic = selectors.clinic_for_choice(clinic_id=answers["clinic"], today=situation.today)
    error = ""
    if clinic is None:
        _answers(request).pop("clinic", None)
        request.session.modified = True
        messages.info(request, _("The clinic you chose no longer takes applications. Choose another one."))
        return redirect("clinics:apply_clinic")
    methods = services.signing_methods()
    method = request.POST.get("method", services.SIGN_BY_CODE)
    if request.method == "POST" and method not in methods:
        method, error = services.SIGN_BY_CODE, _("Choose how to sign the application.")
    elif request.method == "POST":
        try:
            application = services.application_create(
                actor=request.user,
                clinic=clinic,
                reason=answers["reason"],
                locality=answers["locality"],
                street=answers["street"],
                house=answers["house"],
                flat=answers["flat"],
                phone=answers["phone"],
                subject=situation.subject,
                method=method,
            )
        except services.AttachmentError as exc:
            error = str(exc)
        else:
            request.session[SESSION_APPLICATION] = application.pk
            suffix = f"?method={method}" if method != services.SIGN_BY_CODE else ""
            return redirect(reverse("clinics:apply_confirm") + suffix)
    context = {
        "answers": answers,
        "clinic": clinic,
        "region": Region(answers["region"]).label,
        "reason": Reason(answers["reason"]).label,
        "reason_asked": situation.current is not None,
        "attachment": situation.attachment,
        "error": error,
        "eds_offered": services.SIGN_BY_EDS in methods,
        "method": method,
        "back_url": reverse("clinics:apply_phone"),
    }
    return render(request, "clinics/apply_check.html", context)


def _unconfirmed(request: HttpRequest) -> AttachmentApplication | None:
    return selectors.application_unconfirmed(user=request.user, application_id=request.session.get(SESSION_APPLICATION))


@login_required
def apply_confirm(request: HttpRequest) -> HttpResponse:
    application = _unconfirmed(request)
    if application is None:
        return redirect("clinics:my_attachment")
    if request.GET.get("method") == services.SIGN_BY_EDS and services.SIGN_BY_EDS in services.signing_methods():
        return confirm_with_eds(request, application, session_keys=(SESSION, SESSION_APPLICATION))
    form = CodeForm(request.POST or None, submit_label=_("Sign and send the application"))
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(actor=request.user, application=application, code=form.cleaned_data["code"])
        except CodeError as exc:
            form.add_error("code", str(exc))
        except services.AttachmentError as exc:
            messages.error(request, str(exc))
            return redirect("clinics:apply_check")
        else:
            request.session.pop(SESSION, None)
            request.session.pop(SESSION_APPLICATION, None)
            return redirect("clinics:application_sent", number=application.number)
    masked = mask_phone(request.user.phone)
    return render(
        request,
        "clinics/apply_confirm.html",
        {"form": form, "application": application, "phone": masked, "back_url": reverse("clinics:apply_check")},
    )


@login_required
@require_POST
@ratelimit(key="user_or_ip", rate=_code_rate, method="POST", block=True)
def apply_resend(request: HttpRequest) -> HttpResponse:
    application = _unconfirmed(request)
    if application is None:
        return redirect("clinics:my_attachment")
    try:
        services.application_code_resend(actor=request.user, application=application)
    except services.AttachmentError as exc:
        messages.error(request, str(exc))
        return redirect("clinics:apply_check")
    messages.info(request, _("We have sent a new code."))
    return redirect("clinics:apply_confirm")


# --- the application's pages ------------------------------------------------------------------------------


def _application(request: HttpRequest, number: str) -> AttachmentApplication:
    application = selectors.application_of(user=request.user, number=number, iin=acting_subject(request).iin)
    if application is None:
        raise Http404
    return application


@login_required
def application_sent(request: HttpRequest, number: str) -> HttpResponse:
    application = _application(request, number)
    return render(request, "clinics/application_sent.html", {"application": application})


@login_required
def application_detail(request: HttpRequest, number: str) -> HttpResponse:
    application = _application(request, number)
    overdue = application.status == Status.PENDING and is_overdue(application.due_at, timezone.now())
    context = {
        "application": application,
        "events": [event for event in application.events.all() if event.kind != "created"],
        "overdue": overdue,
        "appeal_url": selectors.appeal_url(application=application) if overdue else "",
    }
    return render(request, "clinics/application_detail.html", context)


@login_required
@require_POST
def application_withdraw(request: HttpRequest, number: str) -> HttpResponse:
    application = _application(request, number)
    try:
        services.application_withdraw(actor=request.user, application=application)
    except services.AttachmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("You have withdrawn application %(number)s.") % {"number": application.number})
    return redirect("clinics:my_attachment")
