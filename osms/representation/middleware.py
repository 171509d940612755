"""Re-check the "acting for" choice on every request (see acting.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from .acting import SESSION_KEY, check


class ActingForMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.acting = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_staff and SESSION_KEY in request.session:
            try:
                subject = check(request)
            except PermissionDenied:
                from django.views.defaults import permission_denied

                messages.error(
                    request, _("You can no longer act for this person: the right has ended. You now see your own data.")
                )
                if _chooses_anew(request):  # a notification's link chooses its own ward (links.py)
                    return self.get_response(request)
                return permission_denied(request, PermissionDenied())
            request.acting = subject if subject.for_ward else None
        return self.get_response(request)


def _chooses_anew(request) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name == "representation:open"
