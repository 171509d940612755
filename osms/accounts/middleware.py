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
