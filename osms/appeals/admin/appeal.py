"""The appeal's back-office screens: the list and the record, and the officers' actions (register for a
caller, assign, start, record a contact, answer), each a thin call of a service."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from osms.core.admin_audit import AuditedReadMixin
from osms.core.audit import audit_read
from osms.core.calendar import working_time_between
from osms.core.errors import NotPermitted
from osms.core.uploads import private_file_response
from osms.representation.admin_columns import RepresentativeFilter, RepresentativeMixin

from .. import rules, selectors, services
from ..forms import AnswerForm, AssignForm, ContactForm, RegisterForCallerForm
from ..models import Appeal
from ..workflow import APPEAL
from .lists import AnswerInline, ContactInline, DeadlineFilter, EventInline, FileInline, HandlingFilter


@admin.register(Appeal)
class AppealAdmin(RepresentativeMixin, AuditedReadMixin, admin.ModelAdmin):
    representative_account = "applicant"
    change_form_template = "appeals/admin/change_form.html"
    change_list_template = "appeals/admin/change_list.html"
    list_display = ["number", "status_label", "deadline", "topic", "region", "clinic", "assigned_to", "channel"]
    list_filter = [HandlingFilter, DeadlineFilter, RepresentativeFilter, "region", "topic", "channel"]
    list_select_related = ["clinic", "assigned_to"]
    search_fields = ["=number", "=applicant_iin"]
    ordering = ["due_at", "id"]
    list_per_page = 50
    show_full_result_count = False
    actions = ["assign_to_me"]
    fieldsets = [
        (None, {"fields": ["number", "status_label", "deadline", "assigned_to", "assigned_at"]}),
        (
            _("Applicant"),
            {
                "fields": [
                    "applicant_name",
                    "applicant_iin",
                    "representative",
                    "contact_phone",
                    "contact_email",
                    "postal_address",
                    "answer_by",
                ]
            },
        ),
        (_("Appeal"), {"fields": ["channel", "topic", "region", "clinic", "link", "substance"]}),
        (
            _("Dates"),
            {
                "fields": [
                    "registered_at",
                    "registered_by",
                    "term_working_days",
                    "due_at",
                    "near_flagged_at",
                    "overdue_flagged_at",
                    "answered_at",
                    "reopen_until",
                    "reopened_count",
                    "closed_at",
                ]
            },
        ),
    ]
    readonly_fields = [field for _title, options in fieldsets for field in options["fields"]]

    # --- who sees what ------------------------------------------------------------------------------------

    def has_add_permission(self, request) -> bool:
        return request.user.has_perm("appeals.add_appeal")

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # the record is read-only; handling is the pages below, through the services

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_handle_permission(self, request) -> bool:
        return request.user.has_perm("appeals.change_appeal")

    def get_inlines(self, request, obj):
        inlines = [EventInline, AnswerInline]
        if self.has_handle_permission(request):
            inlines += [ContactInline, FileInline]
        return inlines

    # --- columns ------------------------------------------------------------------------------------------

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj: Appeal) -> str:
        return obj.get_status_display()

    @admin.display(description=_("answer due"), ordering="due_at")
    def deadline(self, obj: Appeal) -> str:
        state = selectors.deadline_state(appeal=obj)
        due = date_format(timezone.localtime(obj.due_at), "SHORT_DATETIME_FORMAT")
        if state == rules.DeadlineState.OVERDUE:
            return format_html('<strong class="errornote">{} · {}</strong>', due, _("past the deadline"))
        if state == rules.DeadlineState.NEAR:
            left = working_time_between(timezone.now(), obj.due_at)
            hours = int(left.total_seconds() // 3600)
            return format_html("<strong>{} · {}</strong>", due, _("%(hours)d working hours left") % {"hours": hours})
        return due

    @admin.display(description=_("linked to"))
    def link(self, obj: Appeal) -> str:
        if not obj.link_kind:
            return "—"
        return f"{obj.get_link_kind_display()} № {obj.link_reference}"

    # --- pages ----------------------------------------------------------------------------------------------

    def get_urls(self):
        own = [
            path("register/", self.admin_site.admin_view(self.register_view), name="appeals_appeal_register"),
            path("queues/", self.admin_site.admin_view(self.queues_view), name="appeals_appeal_queues"),
            path("file/<int:file_id>/", self.admin_site.admin_view(self.file_view), name="appeals_appeal_file"),
            path("<int:pk>/assign/", self.admin_site.admin_view(self.assign_view), name="appeals_appeal_assign"),
            path("<int:pk>/start/", self.admin_site.admin_view(self.start_view), name="appeals_appeal_start"),
            path("<int:pk>/contact/", self.admin_site.admin_view(self.contact_view), name="appeals_appeal_contact"),
            path("<int:pk>/answer/", self.admin_site.admin_view(self.answer_view), name="appeals_appeal_answer"),
        ]
        return own + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:appeals_appeal_register"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        appeal = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if appeal is not None and self.has_view_permission(request, appeal):
            kinds = services.actor_kinds(appeal=appeal, user=request.user)
            allowed = APPEAL.actions_allowed(appeal.status, kinds) if self.has_handle_permission(request) else set()
            context.update(
                may_assign=rules.Action.ASSIGN in allowed,
                may_start=rules.Action.START in allowed,
                may_answer=rules.Action.ANSWER in allowed,
                may_contact=rules.Actor.ASSIGNEE in kinds and appeal.status in rules.WORKING_STATUSES,
                assign_form=AssignForm() if rules.Action.ASSIGN in allowed else None,
                assigned_to_me=appeal.assigned_to_id == request.user.pk,
            )
        return super().change_view(request, object_id, form_url, context)

    def _appeal(self, request: HttpRequest, pk: int) -> Appeal:
        if not self.has_handle_permission(request):
            raise PermissionDenied
        return get_object_or_404(Appeal, pk=pk)

    def _back(self, appeal: Appeal) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:appeals_appeal_change", args=[appeal.pk]))

    def _page(self, request, template: str, title, **context) -> TemplateResponse:
        return TemplateResponse(
            request,
            template,
            {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **context},
        )

    def register_view(self, request: HttpRequest):
        """A call-centre operator (or a fund officer) registers an appeal for a caller."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = RegisterForCallerForm(
            request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                drafts = [services.appeal_draft_file_add(actor=request.user, checked=item) for item in data["files"]]
                appeal = services.appeal_register(
                    actor=request.user,
                    channel=data["channel"],
                    applicant_iin=data["applicant_iin"],
                    applicant_name=data["applicant_name"],
                    contact_phone=data["contact_phone"],
                    contact_email=data["contact_email"],
                    postal_address=data["postal_address"],
                    topic=data["topic"],
                    region=data["region"],
                    clinic=data["clinic"],
                    substance=data["substance"],
                    answer_by=data["answer_by"],
                    draft_file_ids=[draft.pk for draft in drafts],
                )
            except ValidationError as exc:
                services.appeal_draft_files_discard(actor=request.user)
                form.add_error(None, exc)
            except NotPermitted as exc:
                raise PermissionDenied from exc
            else:
                messages.success(
                    request,
                    _("Appeal № %(number)s registered. Tell the caller the number and the date of the answer: %(due)s.")
                    % {
                        "number": appeal.number,
                        "due": date_format(timezone.localtime(appeal.due_at), "SHORT_DATE_FORMAT"),
                    },
                )
                if self.has_view_permission(request, appeal):
                    return self._back(appeal)
                return HttpResponseRedirect(reverse("admin:appeals_appeal_register"))
        return self._page(request, "appeals/admin/register.html", _("Register an appeal for a caller"), form=form)

    def queues_view(self, request: HttpRequest):
        if not self.has_view_permission(request):
            raise PermissionDenied
        queues = selectors.officer_queues()
        return self._page(request, "appeals/admin/queues.html", _("Queues of appeals"), queues=queues)

    def file_view(self, request: HttpRequest, file_id: int):
        if not request.user.has_perm("appeals.view_appealfile"):
            raise PermissionDenied
        document = selectors.staff_file(file_id=file_id)
        if document is None:
            raise Http404
        audit_read(instance=document)
        return private_file_response(
            document.file.name, download_name=document.name, content_type=document.content_type
        )

    def _run(self, request, appeal: Appeal, call, success, *, form=None) -> HttpResponseRedirect | None:
        """Call the service; back to the appeal with its message, or None (with `form` showing the
        input's errors) so that the page is shown again."""
        try:
            call()
        except services.MoveRefused as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            if form is None:
                raise
            form.add_error(None, exc)
            return None
        else:
            messages.success(request, success)
        return self._back(appeal)

    def assign_view(self, request: HttpRequest, pk: int):
        appeal = self._appeal(request, pk)
        if request.method != "POST":
            return self._back(appeal)
        if "to_me" in request.POST:
            officer = request.user
        else:
            form = AssignForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose an officer."))
                return self._back(appeal)
            officer = form.cleaned_data["officer"]
        return self._run(
            request,
            appeal,
            lambda: services.appeal_assign(actor=request.user, appeal=appeal, officer=officer),
            _("The appeal is assigned to %(name)s.") % {"name": officer.get_full_name()},
        )

    def start_view(self, request: HttpRequest, pk: int):
        appeal = self._appeal(request, pk)
        if request.method != "POST":
            return self._back(appeal)
        return self._run(
            request, appeal, lambda: services.appeal_start(actor=request.user, appeal=appeal), _("Work has started.")
        )

    def contact_view(self, request: HttpRequest, pk: int):
        appeal = self._appeal(request, pk)
        form = ContactForm(request.POST if request.method == "POST" else None, appeal=appeal)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            call = lambda: services.appeal_contact_record(actor=request.user, appeal=appeal, **data)  # noqa: E731
            if (done := self._run(request, appeal, call, _("The contact is recorded."), form=form)) is not None:
                return done
        title = _("Contact with the medical organisation: appeal № %(number)s") % {"number": appeal.number}
        return self._page(request, "appeals/admin/action_form.html", title, form=form, appeal=appeal)

    def answer_view(self, request: HttpRequest, pk: int):
        appeal = self._appeal(request, pk)
        posted = request.method == "POST"
        form = AnswerForm(request.POST if posted else None, request.FILES if posted else None)
        if posted and form.is_valid():
            data = form.cleaned_data
            call = lambda: services.appeal_answer(  # noqa: E731
                actor=request.user, appeal=appeal, text=data["text"], uploads=data["files"]
            )
            success = _("The answer is sent; the applicant is notified.")
            if (done := self._run(request, appeal, call, success, form=form)) is not None:
                return done
        title = _("Answer: appeal № %(number)s") % {"number": appeal.number}
        return self._page(request, "appeals/admin/action_form.html", title, form=form, appeal=appeal, multipart=True)

    # --- list action ------------------------------------------------------------------------------------------

    @admin.action(description=_("Assign the selected appeals to me"), permissions=["handle"])
    def assign_to_me(self, request, queryset):
        done, refused = 0, 0
        for appeal in queryset.order_by("due_at"):
            try:
                services.appeal_assign(actor=request.user, appeal=appeal, officer=request.user)
            except services.MoveRefused:
                refused += 1
            else:
                done += 1
        if done:
            self.message_user(request, _("Assigned to you: %(count)d.") % {"count": done}, messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                _("Not assigned (answered, closed or already yours): %(count)d.") % {"count": refused},
                messages.WARNING,
            )
