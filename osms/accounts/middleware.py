"""Sessions end after SESSION_IDLE_TIMEOUT seconds without a request (to the minute)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.translation import gettext as _

_KEY = "last_activity"


class IdleSessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(_KEY)
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity. Sign in again."))
                return redirect("accounts:login")
            if last is None or now - last >= 60:  # one session write a minute at most
                request.session[_KEY] = now
        return self.get_response(request)


# Pages a signed-in citizen may open before proving identity again: nothing personal is on them.
_OPEN_NAMESPACES = {"core", "pages"}
_OPEN_VIEWS = {
    "accounts:logout",
    "accounts:login",
    "accounts:login_eds",
    "accounts:eds_challenge",
    "accounts:identity_prove",
    "accounts:identity_code_send",
    "accounts:identity_prove_eds",
    "coverage:status_check",
    "coverage:calculator",
    "set_language",
}


class IdentityProofMiddleware:
    """A citizen's account that must prove identity again (docs/adr/0008-identity-proof.md) sees no
    personal data: every other page sends it to the proof page. Staff are proven by TOTP in the back
    office and are not held here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_staff or not user.identity_proof_required:
            return None
        match = request.resolver_match
        if match is None or match.namespace in _OPEN_NAMESPACES or match.view_name in _OPEN_VIEWS:
            return None
        if match.view_name == "accounts:cabinet" or request.method == "GET":
            messages.info(request, _("Before you see your data, confirm that you are the owner of this IIN."))
        return redirect("accounts:identity_prove")
