"""Cabinet pages: whom I may act for (and the switch), and the request for a missing link."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from . import acting, links, selectors, services
from .forms import RequestForm


@login_required
@never_cache
def wards(request: HttpRequest) -> HttpResponse:
    context = {
        "wards": selectors.wards_of(user=request.user, on=timezone.localdate()),
        "requests": selectors.requests_of(user=request.user),
        "subject": acting.acting_subject(request),
    }
    return render(request, "representation/wards.html", context)


@login_required
@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    """Act for a ward (`ward` = their IIN) or for oneself (empty). A ward not theirs is 404."""
    ward_iin = request.POST.get("ward", "").strip()
    ward = None
    if ward_iin:
        ward = selectors.representation_for(user=request.user, ward_iin=ward_iin, on=timezone.localdate())
        if ward is None:
            raise Http404
        services.acting_record(representative=request.user, ward=ward, what="chosen")
    acting.choose(request, ward)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("coverage:my_status")
    return redirect(target)


@login_required
@never_cache
def open_for_ward(request: HttpRequest, token: str) -> HttpResponse:
    """A notification's link to a ward's record (links.py): choose the ward, as the cabinet's switch
    does, only if the signed-in person holds a right for them today; then open the record. Otherwise
    a page that says so and names nobody, the session unchanged."""
    opened = links.ward_link_opened(token)
    ward = None
    if opened is not None:
        ward = selectors.representation_for(user=request.user, ward_iin=opened[0], on=timezone.localdate())
    if ward is None:
        return render(request, "representation/link_refused.html", status=403)
    services.acting_record(representative=request.user, ward=ward, what="chosen from a notification")
    acting.choose(request, ward)
    return redirect(opened[1])


def _upload_rate(group, request) -> str:
    # The same limit as appeal documents: each request carries an upload (RATELIMIT_APPEAL_UPLOAD).
    return settings.RATELIMITS.get("appeal_upload", "60/h")


@login_required
@never_cache
@ratelimit(key="user", rate=_upload_rate, method="POST", block=True)
def request_new(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.request_submit(
                actor=request.user,
                ward_iin=form.cleaned_data["ward_iin"],
                ground=form.cleaned_data["ground"],
                document=form.cleaned_data["document"],
            )
        except ValidationError as exc:  # the upload check (osms/core/uploads.py)
            form.add_error("document", exc)
        except services.RepresentationError as exc:
            form.add_error("ward_iin", str(exc))
        else:
            messages.success(
                request,
                _("Request %(number)s is sent. A fund officer answers by %(deadline)s; you will get an SMS.")
                % {
                    "number": sent.number,
                    "deadline": timezone.localtime(sent.review_due_at).strftime("%d.%m.%Y %H:%M"),
                },
            )
            return redirect("representation:wards")
    return render(request, "representation/request.html", {"form": form})
