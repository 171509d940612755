"""Signing the online application with an EDS (docs/adr/0303-attachment-signing.md): the page that
shows the application's XML for NCALayer and sends the signature to the service, which has NCANode
check it (osms/core/eds.py). The SMS code's page stays in views.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from osms.core.eds import EdsRejected

from . import services
from .forms import SignedApplicationForm
from .models import AttachmentApplication


def confirm_with_eds(
    request: HttpRequest, application: AttachmentApplication, *, session_keys: tuple[str, ...]
) -> HttpResponse:
    """Sign with the EDS: NCALayer signs the application's XML, NCANode checks it (osms/core/eds.py)."""
    form = SignedApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(
                actor=request.user,
                application=application,
                method=services.SIGN_BY_EDS,
                signature=form.cleaned_data["signature"],
            )
        except EdsRejected as exc:
            form.add_error("signature", str(exc))
        except services.AttachmentError as exc:
            messages.error(request, str(exc))
            return redirect("clinics:apply_check")
        else:
            for key in session_keys:
                request.session.pop(key, None)
            return redirect("clinics:application_sent", number=application.number)
    context = {
        "form": form,
        "application": application,
        "data_to_sign": services.application_data_to_sign(application),
        "back_url": reverse("clinics:apply_check"),
    }
    return render(request, "clinics/apply_confirm_eds.html", context)
