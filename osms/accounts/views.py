"""Account pages: registration with phone verification, sign-in, password reset, the cabinet."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from osms.core.eds import EdsRejected, ncanode_enabled
from osms.core.notifications import notification_mark_read
from osms.core.page_cache import anonymous_get
from osms.representation.acting import acting_subject

from . import services
from .cabinet import cabinet_tiles
from .cabinet import my_requests as citizen_requests
from .codes import CodeError
from .forms import (
    CodeForm,
    EdsForm,
    LoginForm,
    PasswordResetFinishForm,
    PasswordResetStartForm,
    ProfileForm,
    RegistrationForm,
)
from .identity import eds_proof_check, mask_phone, masked_register_phone
from .models import EdsChallenge, User

PENDING_REGISTRATION = "pending_registration_iin"
PENDING_RESET = "pending_reset_iin"


def _limit(name: str) -> str:
    return settings.RATELIMITS[name]


def eds_context(purpose: str) -> dict:
    """What templates/accounts/_eds.html needs: whether EDS is offered, and for which purpose."""
    return {"eds_available": ncanode_enabled(), "eds_purpose": purpose, "eds_form": EdsForm()}


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes: too many failed sign-ins for this IIN from this address."""
    form = LoginForm()
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "locked_out": True,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME * 60),
            **eds_context("login"),
        },
        status=429,
    )


def signin_locked_out(request: HttpRequest, iin: str) -> bool:
    """django-axes' lockout of this IIN from this address, asked on every path that signs a person in,
    not only the password's (whose backend asks it itself)."""
    return bool(iin) and AxesProxyHandler.is_locked(request, credentials={"username": iin})


def signin_failed(request: HttpRequest, iin: str) -> bool:
    """A refused sign-in other than a wrong password (an EDS), counted by django-axes against the IIN as
    a wrong password is. True when the IIN is now locked out from this address."""
    if not iin:
        return False  # nothing names a person: no one to guess at, no one to lock
    user_login_failed.send(sender=__name__, credentials={"username": iin}, request=request)
    return bool(getattr(request, "axes_locked_out", False)) or signin_locked_out(request, iin)


@ratelimit(key="ip", rate=lambda g, r: _limit("code_request"), method="POST", block=True)
@anonymous_get
def register(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.citizen_register(
            iin=data["iin"],
            last_name=data["last_name"],
            first_name=data["first_name"],
            patronymic=data["patronymic"],
            birth_date=data["birth_date"],
            email=data["email"],
            password=data["password1"],
            language=get_language() or settings.LANGUAGE_CODE,
        )
        # The same next page whether or not the IIN has an account or a number in the register.
        request.session[PENDING_REGISTRATION] = data["iin"]
        return redirect("accounts:register_verify")
    return render(request, "accounts/register.html", {"form": form})


def register_verify(request: HttpRequest) -> HttpResponse:
    iin = request.session.get(PENDING_REGISTRATION)
    if not iin:
        messages.info(request, _("Start the registration again."))
        return redirect("accounts:register")
    if request.method == "POST" and signin_locked_out(request, iin):
        return lockout_response(request)  # the registration ends in a sign-in: the same lockout holds
    form = CodeForm(request.POST or None, submit_label=_("Confirm"))
    if request.method == "POST" and form.is_valid():
        user = services.pending_registration(iin)
        try:
            if user is None:
                raise CodeError(_("The code is wrong. Check the SMS and try again."))
            services.citizen_phone_verify(user=user, code=form.cleaned_data["code"])
        except CodeError as exc:
            form.add_error("code", str(exc))
        else:
            del request.session[PENDING_REGISTRATION]
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your identity is confirmed and your account is ready."))
            return redirect("accounts:cabinet")
    return render(
        request,
        "accounts/register_verify.html",
        {"form": form, "phone": masked_register_phone(iin), **eds_context("register")},
    )


@require_POST
@ratelimit(key="ip", rate=lambda g, r: _limit("code_request"), method="POST", block=True)
def register_resend(request: HttpRequest) -> HttpResponse:
    iin = request.session.get(PENDING_REGISTRATION)
    if not iin:
        return redirect("accounts:register")
    services.registration_code_resend(iin=iin)
    messages.info(request, _("If the register holds a number for this IIN, we have sent a new code to it."))
    return redirect("accounts:register_verify")


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return None


@ratelimit(key="ip", rate=lambda g, r: _limit("login"), method="POST", block=True)
@anonymous_get(varies=lambda: (ncanode_enabled(),))
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if user is not None:
            login(request, user)
            return redirect(_safe_next(request) or settings.LOGIN_REDIRECT_URL)
        form.add_error(None, _("The IIN or the password is wrong."))
    return render(
        request, "accounts/login.html", {"form": form, "next": _safe_next(request) or "", **eds_context("login")}
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@ratelimit(key="ip", rate=lambda g, r: _limit("code_request"), method="POST", block=True)
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_start(iin=form.cleaned_data["iin"])
        # The same answer whether or not the IIN is registered: the page reveals no accounts.
        request.session[PENDING_RESET] = form.cleaned_data["iin"]
        return redirect("accounts:password_reset_finish")
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_finish(request: HttpRequest) -> HttpResponse:
    iin = request.session.get(PENDING_RESET)
    if not iin:
        return redirect("accounts:password_reset")
    user = User.objects.filter(iin=iin, is_active=True).first()
    form = PasswordResetFinishForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if form.signed():
                signer = eds_proof_check(
                    session_key=request.session.session_key or "",
                    purpose=EdsChallenge.Purpose.RESET,
                    token=data["eds_token"],
                    cms=data["eds_cms"],
                    iin=iin,
                )
                if user is None or signer != user.iin:
                    raise EdsRejected(_("There is no account with this IIN. Create one."))
                services.password_reset_by_eds(user=user, password=data["password1"])
            else:
                services.password_reset_finish(user=user, code=data["code"], password=data["password1"])
        except CodeError as exc:
            form.add_error("code", str(exc))
        except EdsRejected as exc:
            form.add_error(None, str(exc))
        else:
            del request.session[PENDING_RESET]
            messages.success(request, _("Your password has been changed. Sign in with the new password."))
            return redirect("accounts:login")
    return render(
        request,
        "accounts/password_reset_finish.html",
        {"form": form, "phone": masked_register_phone(iin), **eds_context("reset")},
    )


@login_required
def cabinet(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/cabinet.html", {"sections": cabinet_tiles()})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, initial={"email": user.email, "language": user.language})
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=user, email=form.cleaned_data["email"], language=form.cleaned_data["language"])
        messages.success(request, _("Your details have been saved."))
        return redirect("accounts:profile")
    return render(
        request, "accounts/profile.html", {"form": form, "phone": mask_phone(user.phone) if user.phone else ""}
    )


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(request.user.notifications.all(), 20).get_page(request.GET.get("page"))
    return render(request, "accounts/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    notification_mark_read(user=request.user)
    return redirect("accounts:notifications")


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    """Every request the citizen made to any service, newest first, with its stage."""
    subject = acting_subject(request)
    return render(
        request,
        "accounts/requests.html",
        {"requests": citizen_requests(user=request.user, iin=subject.iin), "subject": subject},
    )
