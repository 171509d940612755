"""Back office of the statement service: requests with their stage history (read-only), the issued
documents (read-only), complaints answered by fund officers, and the monitoring page."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from osms.core.admin_audit import AuditedReadMixin
from osms.core.querysets import breached_q
from osms.representation.admin_columns import RepresentativeFilter, RepresentativeMixin

from . import selectors, services
from .forms import RefuseForm
from .models import StatementComplaint, StatementDocument, StatementRequest, StatementStage
from .workflow import COMPLAINT, REFUSE, REQUEST, StatementError, request_roles

MONITORING_PERMISSION = "statements.view_monitoring"


class ReadOnlyAdmin(AuditedReadMixin, admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StageInline(admin.TabularInline):
    model = StatementStage
    extra = 0
    can_delete = False
    fields = ["at", "kind", "actor", "acting_for", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BreachedFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("breached", _("Past the deadline")), ("stuck", _("Stuck (to be queued again)"))]

    def queryset(self, request, queryset):
        from django.utils import timezone

        if self.value() == "breached":
            return queryset.filter(breached_q("due_at", timezone.now()))
        if self.value() == "stuck":
            stuck = selectors.requests_to_requeue(now=timezone.now()).values("pk")
            return queryset.filter(pk__in=stuck)
        return queryset


@admin.register(StatementRequest)
class StatementRequestAdmin(RepresentativeMixin, ReadOnlyAdmin):
    list_display = [
        "number",
        "iin",
        "representative_iin",
        "status",
        "received_at",
        "due_at",
        "finished_at",
        "attempts",
        "overdue_at",
    ]
    list_filter = ["status", BreachedFilter, RepresentativeFilter, "signature", "language"]
    search_fields = ["=number", "=iin"]
    date_hierarchy = "received_at"
    list_select_related = ["user"]
    show_full_result_count = False
    fields = [
        "number",
        "user",
        "iin",
        "representative",
        "status",
        "period_from",
        "period_to",
        "language",
        "consent",
        "signature",
        "signer_iin",
        "refusal_ground",
        "created_at",
        "received_at",
        "due_at",
        "finished_at",
        "queued_at",
        "claimed_at",
        "attempts",
        "overdue_at",
        "last_error",
    ]
    readonly_fields = fields
    inlines = [StageInline]

    def get_urls(self):
        urls = [
            path(
                "monitoring/",
                self.admin_site.admin_view(self.monitoring_view),
                name="statements_statementrequest_monitoring",
            ),
            path(
                "<int:pk>/refuse/",
                self.admin_site.admin_view(self.refuse_view),
                name="statements_statementrequest_refuse",
            ),
        ]
        return urls + super().get_urls()

    @staticmethod
    def may_refuse(request, statement: StatementRequest) -> bool:
        return REFUSE in REQUEST.actions_allowed(statement.status, request_roles(statement, request.user))

    def refuse_view(self, request, pk: int):
        """A fund officer refuses an open request on a ground of Приложение 1 item 9, with a reason."""
        statement = get_object_or_404(StatementRequest.objects.select_related("user"), pk=pk)
        if not self.has_view_permission(request, statement) or not self.may_refuse(request, statement):
            raise PermissionDenied
        form = RefuseForm(request.POST or None, grounds=services.OFFICER_GROUNDS)
        if request.method == "POST" and form.is_valid():
            try:
                services.statement_refuse(actor=request.user, request=statement, **form.cleaned_data)
            except StatementError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The request was refused; the citizen has the motivated refusal."))
                return redirect("admin:statements_statementrequest_change", statement.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Refuse request %(number)s") % {"number": statement.number},
            "opts": self.model._meta,
            "original": statement,
            "form": form,
        }
        return TemplateResponse(request, "statements/admin/refuse.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        statement = self.get_object(request, object_id)
        may = statement is not None and self.may_refuse(request, statement)
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "may_refuse": may})

    def monitoring_view(self, request):
        """Today's service: requests, median and 95th percentile of the time to issue, breaches, stuck ones."""
        if not request.user.has_perm(MONITORING_PERMISSION):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Monitoring of the statement service"),
            "opts": self.model._meta,
            "data": selectors.monitoring(),
        }
        return TemplateResponse(request, "statements/admin/monitoring.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_monitor": request.user.has_perm(MONITORING_PERMISSION)}
        return super().changelist_view(request, extra_context)

    change_list_template = "statements/admin/request_change_list.html"
    change_form_template = "statements/admin/request_change_form.html"


@admin.register(StatementDocument)
class StatementDocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "holder_iin", "issued_at", "language", "size"]
    list_filter = ["kind", "language"]
    search_fields = ["=number", "=holder_iin"]
    date_hierarchy = "issued_at"
    fields = ["number", "request", "kind", "language", "holder_iin", "issued_at", "sha256", "size", "content"]
    readonly_fields = fields


# What a fund officer may do with a complaint, and the status each step moves it to (workflow.COMPLAINT).
COMPLAINT_STEPS = [
    ("", _("— record nothing —")),
    ("satisfy", _("Satisfy in full (answer the citizen)")),
    ("forward", _("Forward with the case to the reviewing body")),
    ("decision", _("Record the reviewing body's decision")),
]
STEP_TARGET = {"satisfy": "satisfied", "forward": "forwarded", "decision": "answered"}


class ComplaintAdminForm(forms.ModelForm):
    step = forms.ChoiceField(label=_("Step"), choices=COMPLAINT_STEPS, required=False)
    reply = forms.CharField(
        label=_("Answer or decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The citizen reads this in the cabinet."),
    )
    body = forms.CharField(
        label=_("Reviewing body"),
        required=False,
        initial="Агентство Республики Казахстан по делам государственной службы",
        help_text=_("When forwarding: the body that controls the quality of state services."),
    )

    class Meta:
        model = StatementComplaint
        fields = []

    def clean(self):
        cleaned = super().clean()
        step = cleaned.get("step")
        if step and not COMPLAINT.can_move(self.instance.status, STEP_TARGET[step]):
            self.add_error(
                "step",
                _("The complaint is “%(status)s”: this step is not possible.")
                % {"status": self.instance.get_status_display()},
            )
        if step in ("satisfy", "decision") and not (cleaned.get("reply") or "").strip():
            self.add_error("reply", _("Write the answer."))
        if step == "forward" and not (cleaned.get("body") or "").strip():
            self.add_error("body", _("Name the reviewing body."))
        return cleaned


class ComplaintOverdueFilter(admin.SimpleListFilter):
    title = _("deadlines")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("A deadline passed"))]

    def queryset(self, request, queryset):
        from django.db.models import Q

        if self.value() == "yes":
            return queryset.filter(
                Q(forward_overdue_at__isnull=False)
                | Q(answer_overdue_at__isnull=False)
                | Q(review_overdue_at__isnull=False)
            )
        return queryset


@admin.register(StatementComplaint)
class StatementComplaintAdmin(AuditedReadMixin, admin.ModelAdmin):
    form = ComplaintAdminForm
    list_display = ["number", "request", "status", "registered_at", "forward_due_at", "answer_due_at", "review_due_at"]
    list_filter = ["status", ComplaintOverdueFilter]
    search_fields = ["=number", "=request__number", "=user__iin"]
    list_select_related = ["request"]
    readonly_fields = [
        "number",
        "request",
        "user",
        "text",
        "status",
        "registered_at",
        "forward_due_at",
        "answer_due_at",
        "forwarded_at",
        "reviewing_body",
        "review_due_at",
        "fund_answer",
        "fund_answered_at",
        "review_answer",
        "review_answered_at",
        "handled_by",
        "forward_overdue_at",
        "answer_overdue_at",
        "review_overdue_at",
    ]
    fieldsets = [
        (None, {"fields": ["number", "request", "user", "text", "status", "registered_at"]}),
        (
            _("Deadlines"),
            {
                "fields": [
                    "forward_due_at",
                    "answer_due_at",
                    "review_due_at",
                    "forward_overdue_at",
                    "answer_overdue_at",
                    "review_overdue_at",
                ]
            },
        ),
        (
            _("Answers"),
            {
                "fields": [
                    "fund_answer",
                    "fund_answered_at",
                    "forwarded_at",
                    "reviewing_body",
                    "review_answer",
                    "review_answered_at",
                    "handled_by",
                ]
            },
        ),
        (_("Next step"), {"fields": ["step", "reply", "body"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # A decided complaint is read-only: its answer is what the citizen has read.
        if obj is not None and obj.is_final:
            return False
        return super().has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            return fieldsets[:-1]
        return fieldsets

    def save_model(self, request, obj, form, change):
        """The step goes through the service, which checks the move and notifies the citizen."""
        step = form.cleaned_data.get("step")
        reply = form.cleaned_data.get("reply") or ""
        try:
            if step == "satisfy":
                services.complaint_satisfy(actor=request.user, complaint=obj, answer=reply)
            elif step == "forward":
                services.complaint_forward(
                    actor=request.user, complaint=obj, reviewing_body=form.cleaned_data.get("body") or "", answer=reply
                )
            elif step == "decision":
                services.complaint_record_decision(actor=request.user, complaint=obj, answer=reply)
        except services.StatementError as exc:
            messages.error(request, str(exc))

    def save_related(self, request, form, formsets, change):
        """Nothing related is edited here."""
