"""Back office for attachment applications.

A registrar sees only their own clinic's applications (the queryset AND every object URL: the
answer page, approve, refuse, the document, the history), nearest deadline first with the working
time left; answers them (attach with district and doctor, or a motivated refusal); enters the
applications of the groups who apply at the clinic. Fund officers see every clinic's, read-only,
the overdue list and the figures per clinic. Every write is a service call.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, IntegerField, Value, When
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osms.core.admin_audit import AuditedReadMixin
from osms.core.audit import audit_read
from osms.core.querysets import is_overdue
from osms.core.uploads import private_file_response
from osms.representation.admin_columns import RepresentativeFilter, representative_name

from .. import selectors, services
from ..models import AttachmentApplication, OverdueApplication, Region
from ..templatetags.clinics_tags import duration
from .forms import ApproveForm, FiguresForm, InClinicApplicationForm, RefuseForm
from .scope import ALL, clinic_scope, in_scope, scoped

Status = AttachmentApplication.Status


class StatusFilter(admin.SimpleListFilter):
    """The statuses an application has once it reached the clinic (unsigned ones are not listed)."""

    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        hidden = {Status.UNCONFIRMED, Status.ABANDONED}
        return [(value, label) for value, label in Status.choices if value not in hidden]

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


class OverdueFilter(admin.SimpleListFilter):
    title = gettext_lazy("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", gettext_lazy("Overdue")), ("due", gettext_lazy("Not yet due"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "overdue":
            return queryset.overdue(now)
        if self.value() == "due":
            return queryset.in_time(now)
        return queryset


@admin.register(AttachmentApplication)
class AttachmentApplicationAdmin(AuditedReadMixin, admin.ModelAdmin):
    list_display = ["number", "person", "iin", "status_label", "submitted_at", "due_at", "time_left"]
    list_display_links = ["number"]
    list_filter = [StatusFilter, OverdueFilter, RepresentativeFilter, "channel", "reason"]
    search_fields = ["=number", "=iin", "last_name"]
    # Waiting applications first, the nearest deadline first among them.
    ordering = [
        Case(When(status=Status.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()).asc(),
        F("due_at").asc(nulls_last=True),
        F("submitted_at").desc(),
    ]
    actions = ["approve_suggested"]
    change_list_template = "clinics/admin/application_change_list.html"
    list_per_page = 50

    # --- scope and permissions ---

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .select_related("clinic")
            .exclude(status__in=[Status.UNCONFIRMED, Status.ABANDONED])
        )
        return scoped(request, queryset)

    def get_list_display(self, request):
        if clinic_scope(request) == ALL:
            return ["number", "person", "clinic", "status_label", "submitted_at", "due_at", "time_left"]
        return self.list_display

    def get_list_filter(self, request):
        if clinic_scope(request) == ALL:
            return [*self.list_filter, "clinic__region"]
        return self.list_filter

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (obj is None or in_scope(request, obj.clinic_id))

    def has_add_permission(self, request):
        return super().has_add_permission(request) and clinic_scope(request) not in (ALL, None)

    def has_change_permission(self, request, obj=None):
        return False  # answered through the answer page's services, never edited as a form

    def has_delete_permission(self, request, obj=None):
        return False

    def may_answer(self, request, obj=None) -> bool:
        user = request.user
        return user.has_perm("clinics.answer_application") and (obj is None or user.clinic_id == obj.clinic_id)

    def has_answer_permission(self, request) -> bool:
        """For the action below: only a registrar who answers applications sees it."""
        return self.may_answer(request)

    # --- columns ---

    @admin.display(description=gettext_lazy("person"), ordering="last_name")
    def person(self, obj):
        return obj.get_full_name()

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_label(self, obj):
        if obj.status == Status.PENDING and is_overdue(obj.due_at, timezone.now()):
            return _("%(status)s, overdue") % {"status": obj.get_status_display()}
        return obj.get_status_display()

    @admin.display(description=gettext_lazy("working time left"))
    def time_left(self, obj):
        left = selectors.working_time_left(obj)
        if left is None:
            return "—"
        if left.total_seconds() <= 0:
            return _("overdue by %(time)s") % {"time": duration(left)}
        return duration(left)

    # --- pages ---

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("figures/", wrap(self.figures_view), name="clinics_attachmentapplication_figures"),
            path("<path:object_id>/approve/", wrap(self.approve_view), name="clinics_attachmentapplication_approve"),
            path("<path:object_id>/refuse/", wrap(self.refuse_view), name="clinics_attachmentapplication_refuse"),
            path("<path:object_id>/document/", wrap(self.document_view), name="clinics_attachmentapplication_document"),
            *super().get_urls(),
        ]

    def _scoped_object(self, request, object_id) -> AttachmentApplication:
        """The application if this user may see it; 404 otherwise (another clinic's is not there)."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404
        return obj

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_see_figures": request.user.has_perm("clinics.view_figures")}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self._scoped_object(request, object_id)
        audit_read(instance=application)
        return self._answer_page(request, application)

    def _answer_page(self, request, application, *, approve_form=None, refuse_form=None, status=200):
        may_answer = application.status == Status.PENDING and self.may_answer(request, application)
        suggestions = selectors.district_suggestions(application=application) if may_answer else []
        if may_answer and approve_form is None:
            initial = {}
            if suggestions:
                initial = {"district": suggestions[0].pk, "doctor": suggestions[0].doctor_id}
            approve_form = self._approve_form(application, initial=initial)
        if may_answer and refuse_form is None:
            refuse_form = RefuseForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Application %(number)s") % {"number": application.number},
            "application": application,
            "events": application.events.select_related("actor"),
            "time_left": self.time_left(application),
            "representative": representative_name(application),
            "overdue": application.status == Status.PENDING and is_overdue(application.due_at, timezone.now()),
            "may_answer": may_answer,
            "suggestions": suggestions,
            "approve_form": approve_form,
            "refuse_form": refuse_form,
            "changelist_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"),
        }
        return TemplateResponse(request, "clinics/admin/application_answer.html", context, status=status)

    def _approve_form(self, application, data=None, initial=None) -> ApproveForm:
        return ApproveForm(
            data,
            initial=initial,
            districts=selectors.clinic_districts(clinic_id=application.clinic_id),
            doctors=selectors.clinic_doctors(clinic_id=application.clinic_id),
        )

    def _answer(self, request, object_id, form_class, call):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        application = self._scoped_object(request, object_id)
        if not self.may_answer(request, application):
            raise PermissionDenied
        approving = form_class is ApproveForm
        form = self._approve_form(application, request.POST) if approving else form_class(request.POST)
        forms = {"approve_form" if approving else "refuse_form": form}
        if not form.is_valid():
            return self._answer_page(request, application, **forms, status=400)
        try:
            message = call(application, form.cleaned_data)
        except services.AttachmentError as exc:
            form.add_error(None, str(exc))
            return self._answer_page(request, application, **forms, status=400)
        messages.success(request, message)
        return HttpResponseRedirect(reverse("admin:clinics_attachmentapplication_changelist"))

    def approve_view(self, request, object_id):
        def approve(application, data):
            services.application_approve(
                actor=request.user, application=application, district=data["district"], doctor=data["doctor"]
            )
            return _("%(person)s is attached: district №%(district)s, %(doctor)s.") % {
                "person": application.get_full_name(),
                "district": data["district"].number,
                "doctor": data["doctor"].full_name,
            }

        return self._answer(request, object_id, ApproveForm, approve)

    def refuse_view(self, request, object_id):
        def refuse(application, data):
            services.application_refuse(
                actor=request.user, application=application, reason=data["reason"], explanation=data["explanation"]
            )
            return _("Application %(number)s is refused.") % {"number": application.number}

        return self._answer(request, object_id, RefuseForm, refuse)

    def document_view(self, request, object_id):
        application = self._scoped_object(request, object_id)
        if not application.document:
            raise Http404
        audit_read(instance=application)
        return private_file_response(
            application.document, download_name=application.document_name, content_type=application.document_type
        )

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = InClinicApplicationForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                application = services.application_create_in_clinic(
                    actor=request.user,
                    iin=data["iin"],
                    last_name=data["last_name"].strip(),
                    first_name=data["first_name"].strip(),
                    patronymic=data["patronymic"].strip(),
                    phone=data["phone"],
                    group=data["group"],
                    reason=data["reason"],
                    locality=data["locality"].strip(),
                    street=data["street"].strip(),
                    house=data["house"].strip(),
                    flat=data["flat"].strip(),
                    document=data["document"],
                    representative_iin=data["representative_iin"],
                )
            except services.AttachmentError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("Application %(number)s is registered. Answer it now.") % {"number": application.number}
                )
                return redirect("admin:clinics_attachmentapplication_change", application.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Application at the clinic"),
            "form": form,
            "clinic": request.user.clinic,
            "changelist_url": reverse("admin:clinics_attachmentapplication_changelist"),
        }
        return TemplateResponse(request, "clinics/admin/application_add.html", context)

    def figures_view(self, request):
        if not request.user.has_perm("clinics.view_figures"):
            raise PermissionDenied
        today = selectors.local_today()
        first = {"date_from": today.replace(day=1).isoformat(), "date_to": today.isoformat(), "region": ""}
        form = FiguresForm(request.GET or first)
        rows = []
        if form.is_valid():
            rows = selectors.clinic_figures(
                date_from=form.cleaned_data["date_from"],
                date_to=form.cleaned_data["date_to"],
                region=form.cleaned_data["region"],
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Attachment figures per clinic"),
            "form": form,
            "rows": rows,
            "regions": dict(Region.choices),
            "changelist_url": reverse("admin:clinics_attachmentapplication_changelist"),
        }
        return TemplateResponse(request, "clinics/admin/figures.html", context)

    # --- actions ---

    @admin.action(description=gettext_lazy("Attach with the suggested district and its doctor"), permissions=["answer"])
    def approve_suggested(self, request, queryset):
        done, skipped = 0, 0
        for application in queryset.filter(status=Status.PENDING):
            suggestions = selectors.district_suggestions(application=application)
            if len(suggestions) != 1 or suggestions[0].doctor is None:
                skipped += 1
                continue
            try:
                services.application_approve(
                    actor=request.user,
                    application=application,
                    district=suggestions[0],
                    doctor=suggestions[0].doctor,
                )
            except (services.AttachmentError, PermissionDenied):
                skipped += 1
            else:
                done += 1
        if done:
            self.message_user(request, _("Attached: %(count)d.") % {"count": done}, messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                _(
                    "Not attached: %(count)d (no single suggested district, or not yours to answer); answer them one by one."
                )
                % {"count": skipped},
                messages.WARNING,
            )


@admin.register(OverdueApplication)
class OverdueApplicationAdmin(AttachmentApplicationAdmin):
    """The Fund's overdue list: pending applications past their deadline, the oldest first."""

    list_filter = ["clinic__region", "channel"]
    ordering = ["due_at"]
    actions = None
    change_list_template = None

    def get_queryset(self, request):
        return super().get_queryset(request).overdue(timezone.now())

    def get_list_display(self, request):
        return ["number", "person", "clinic", "submitted_at", "due_at", "time_left", "escalated_at"]

    def get_list_filter(self, request):
        return self.list_filter

    def has_add_permission(self, request):
        return False

    def may_answer(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        return admin.ModelAdmin.get_urls(self)
