"""Identity-proof pages (DOMAIN §14): the EDS challenge, registration and sign-in with an EDS, and the
page where an account made before the proof existed proves its owner again."""

from __future__ import annotations

import base64

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from osms.core.eds import EdsRejected, EdsServiceUnavailable

from . import services
from .codes import CodeError
from .forms import CodeForm, EdsForm, LoginForm
from .identity import (
    eds_challenge_issue,
    eds_claimed_iin,
    eds_proof_check,
    mask_phone,
    masked_register_phone,
    register_phone,
)
from .models import EdsChallenge, User
from .views import (
    PENDING_REGISTRATION,
    PENDING_RESET,
    _safe_next,
    eds_context,
    lockout_response,
    signin_failed,
    signin_locked_out,
)

_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _limit(name: str) -> str:
    return settings.RATELIMITS[name]


def _challenge_iin(request: HttpRequest, purpose: str) -> str | None:
    """The IIN a challenge is bound to: the pending registration's or reset's, the signed-in person's,
    none at sign-in (the certificate names the person). None: no such challenge can be issued now."""
    if purpose == EdsChallenge.Purpose.LOGIN:
        return ""
    if purpose == EdsChallenge.Purpose.REPROVE:
        return request.user.iin if request.user.is_authenticated else None
    key = {EdsChallenge.Purpose.REGISTER: PENDING_REGISTRATION, EdsChallenge.Purpose.RESET: PENDING_RESET}.get(purpose)
    return request.session.get(key) if key else None


@require_POST
@ratelimit(key="ip", rate=lambda g, r: _limit("login"), method="POST", block=True)
def eds_challenge(request: HttpRequest) -> HttpResponse:
    """A new text to sign, as JSON: {"token": ..., "data": base64 of the exact bytes to sign}."""
    purpose = request.POST.get("purpose", "")
    iin = _challenge_iin(request, purpose)
    if iin is None:
        return JsonResponse({"error": _("Start again from the beginning.")}, status=400)
    if not request.session.session_key:
        request.session.save()
    challenge = eds_challenge_issue(session_key=request.session.session_key, purpose=purpose, iin=iin)
    data = base64.b64encode(challenge.content.encode("utf-8")).decode("ascii")
    return JsonResponse({"token": challenge.token, "data": data, "text": challenge.content})


class _Unsigned(EdsRejected):
    """The form is incomplete (its own errors say how): nothing was signed, nothing to count."""


def _signer(request: HttpRequest, form: EdsForm, *, purpose: str, iin: str = "") -> str:
    """The signer's IIN; EdsRejected saying why not."""
    if not form.is_valid():
        raise _Unsigned
    return eds_proof_check(
        session_key=request.session.session_key or "",
        purpose=purpose,
        token=form.cleaned_data["eds_token"],
        cms=form.cleaned_data["eds_cms"],
        iin=iin,
    )


def _check(request: HttpRequest, form: EdsForm, *, purpose: str, iin: str = "") -> str | None:
    """The signer's IIN, or None with the reason added to the form."""
    try:
        return _signer(request, form, purpose=purpose, iin=iin)
    except _Unsigned:
        return None
    except EdsRejected as exc:
        form.add_error(None, str(exc))
        return None


def _signin_refused(request: HttpRequest, form: EdsForm, exc: EdsRejected, *, iin: str) -> bool:
    """A refused EDS on a path that signs in counts towards the lockout of the IIN it was made for, as
    a wrong password does: True when that IIN is locked out now. NCANode not answering is not the
    signer's failure and counts for nothing."""
    if isinstance(exc, _Unsigned):
        return False
    form.add_error(None, str(exc))
    if isinstance(exc, EdsServiceUnavailable):
        return False
    return signin_failed(request, iin)


@require_POST
@ratelimit(key="ip", rate=lambda g, r: _limit("login"), method="POST", block=True)
def register_eds(request: HttpRequest) -> HttpResponse:
    iin = request.session.get(PENDING_REGISTRATION)
    if not iin:
        return redirect("accounts:register")
    if signin_locked_out(request, iin):
        return lockout_response(request)  # the registration ends in a sign-in: the same lockout holds
    form = EdsForm(request.POST)
    try:
        _signer(request, form, purpose=EdsChallenge.Purpose.REGISTER, iin=iin)
    except EdsRejected as exc:
        if _signin_refused(request, form, exc, iin=iin):
            return lockout_response(request)
        return render(
            request,
            "accounts/register_verify.html",
            {"form": CodeForm(), "phone": masked_register_phone(iin), **_eds(form, "register")},
            status=400,
        )
    del request.session[PENDING_REGISTRATION]
    user = services.pending_registration(iin)
    if user is None:  # the signer owns the IIN, so saying it has an account reveals nothing to a stranger
        messages.info(request, _("An account with this IIN already exists. Sign in with your EDS or the password."))
        return redirect("accounts:login")
    services.citizen_register_by_eds(user=user)
    login(request, user, backend=_BACKEND)
    messages.success(request, _("Your identity is confirmed and your account is ready."))
    return redirect("accounts:cabinet")


def _eds(form: EdsForm, purpose: str) -> dict:
    return {**eds_context(purpose), "eds_form": form}


@require_POST
@ratelimit(key="ip", rate=lambda g, r: _limit("login"), method="POST", block=True)
def login_eds(request: HttpRequest) -> HttpResponse:
    """Sign-in with an EDS: the certificate names the person. Locked out and counted like the password."""
    form = EdsForm(request.POST)
    try:
        iin = _signer(request, form, purpose=EdsChallenge.Purpose.LOGIN)
    except EdsRejected as exc:
        if _signin_refused(request, form, exc, iin=eds_claimed_iin(request.POST.get("eds_cms", ""))):
            return lockout_response(request)
        return _login_page(request, form)
    if signin_locked_out(request, iin):
        return lockout_response(request)
    user = User.objects.filter(iin=iin, is_active=True).first()
    if user is None:  # a proven person with no account: not a failed sign-in
        form.add_error(None, _("There is no account for the IIN of this EDS. Create an account first."))
        return _login_page(request, form)
    login(request, user, backend=_BACKEND)
    if not user.is_staff:
        services.identity_prove_by_eds(user=user)  # the EDS is a proof of identity as well
    return redirect(_safe_next(request) or settings.LOGIN_REDIRECT_URL)


def _login_page(request: HttpRequest, form: EdsForm) -> HttpResponse:
    context = {"form": LoginForm(), "next": _safe_next(request) or ""} | _eds(form, "login")
    return render(request, "accounts/login.html", context, status=400)


@login_required
def identity_prove(request: HttpRequest) -> HttpResponse:
    """An account that must prove identity again: a code to the register's number, or an EDS."""
    user = request.user
    if not user.identity_proof_required:
        return redirect("accounts:cabinet")
    phone = register_phone(user.iin)
    form = CodeForm(request.POST or None, submit_label=_("Confirm"))
    if request.method == "POST" and form.is_valid():
        try:
            services.identity_prove_by_code(user=user, code=form.cleaned_data["code"])
        except CodeError as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(request, _("Your identity is confirmed. Thank you."))
            return redirect("accounts:cabinet")
    return render(
        request,
        "accounts/identity_prove.html",
        {"form": form, "register_phone": mask_phone(phone) if phone else "", **eds_context("reprove")},
    )


@login_required
@require_POST
@ratelimit(key="ip", rate=lambda g, r: _limit("code_request"), method="POST", block=True)
def identity_code_send(request: HttpRequest) -> HttpResponse:
    if services.identity_code_send(user=request.user):
        messages.info(request, _("We have sent a code to the number the register holds for you."))
    return redirect("accounts:identity_prove")


@login_required
@require_POST
@ratelimit(key="ip", rate=lambda g, r: _limit("login"), method="POST", block=True)
def identity_prove_eds(request: HttpRequest) -> HttpResponse:
    form = EdsForm(request.POST)
    if _check(request, form, purpose=EdsChallenge.Purpose.REPROVE, iin=request.user.iin) is None:
        phone = register_phone(request.user.iin)
        context = {"form": CodeForm(), "register_phone": mask_phone(phone) if phone else ""}
        return render(request, "accounts/identity_prove.html", context | _eds(form, "reprove"), status=400)
    services.identity_prove_by_eds(user=request.user)
    messages.success(request, _("Your identity is confirmed. Thank you."))
    return redirect("accounts:cabinet")
