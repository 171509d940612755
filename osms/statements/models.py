"""Tables of the statement service (order ҚР ДСМ-26/2020, docs/domain.md §8): requests with their stage
history, the issued documents (Приложение 2 or a motivated refusal), and complaints about the service.

The database, not the broker, is the source of truth: every request carries its deadline and the
marks the sweep needs (when its task was last queued, when and by which attempt it was claimed).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osms.core.querysets import is_overdue
from osms.core.uploads import get_private_storage
from osms.core.workflow import WorkflowEvent, WorkflowModel


class Language(models.TextChoices):
    """The languages the form is published in (form_text.py)."""

    KAZAKH = "kk", "Қазақша"  # the state language
    RUSSIAN = "ru", "Русский"  # the official language


class StatementRequest(WorkflowModel):
    """A citizen's request for the statement: from draft to an issued document or a refusal."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Waiting for your confirmation")  # filled in, not yet signed: not received
        RECEIVED = "received", _("Received")  # signed; reached the system, the 15-minute clock runs
        PROCESSING = "processing", _("Being prepared")  # a worker has claimed it and builds the document
        ISSUED = "issued", _("Issued")  # the statement is in the cabinet; final
        REFUSED = "refused", _("Refused")  # refused on a ground of the rules; the refusal names it; final

    class Signature(models.TextChoices):
        SMS = "sms", _("One-time code by SMS")  # a code sent to the phone registered to the account
        NCANODE = "ncanode", _("Electronic digital signature (EDS)")  # NCALayer signature checked by NCANode

    class RefusalGround(models.TextChoices):
        """Приложение 1, item 9 of the rules: the grounds for refusing the service."""

        UNRELIABLE_DATA = "unreliable_data", _("Unreliable documents or data")  # 1)
        REQUIREMENTS_NOT_MET = "requirements_not_met", _("The person or data do not meet legal requirements")  # 2)
        COURT_BAN = "court_ban", _("A court decision prohibits the activity")  # 3)
        COURT_DEPRIVATION = "court_deprivation", _("A court decision deprives of the special right")  # 4)
        NO_CONSENT = "no_consent", _("No consent to access personal data")  # 5)

    number = models.CharField(_("request number"), max_length=20, unique=True, null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="statement_requests", verbose_name=_("citizen")
    )
    iin = models.CharField(_("IIN"), max_length=12, db_index=True)
    # Blank when the citizen acts for themself; for a ward (docs/adr/0701-representation.md): the IIN of
    # the representative who acted (the account above), while the IIN is the ward's.
    representative_iin = models.CharField(_("representative's IIN"), max_length=12, blank=True, db_index=True)
    period_from = models.PositiveIntegerField(_("first month (YYYYMM)"))
    period_to = models.PositiveIntegerField(_("last month (YYYYMM)"))
    language = models.CharField(_("language of the document"), max_length=2, choices=Language.choices)
    consent = models.BooleanField(_("consent to access personal data"))
    status = models.CharField(_("stage"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The GOV.UK tag colour of each stage ({% status_tag %}).
    STATUS_TAGS = {Status.ISSUED: "green", Status.REFUSED: "red", Status.PROCESSING: "yellow", Status.RECEIVED: "blue"}
    # The 15 working minutes run while the request is open (DeadlineQuerySet.overdue).
    OPEN_STATUSES = (Status.RECEIVED, Status.PROCESSING)
    signature = models.CharField(_("confirmed by"), max_length=8, choices=Signature.choices, blank=True)
    signer_iin = models.CharField(_("IIN of the signer"), max_length=12, blank=True)
    refusal_ground = models.CharField(_("refusal ground"), max_length=24, choices=RefusalGround.choices, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    # 15 working minutes after receipt on the business calendar, stored when the request is received.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    finished_at = models.DateTimeField(_("issued or refused"), null=True, blank=True)
    # When the processing task was last put on the queue: a received request untouched long after
    # that lost its message, and the sweep queues it again.
    queued_at = models.DateTimeField(null=True, blank=True)
    # The claim of the worker processing it: only the holder of the token may finish it, and a claim
    # this old belongs to a worker that died (the sweep hands the request to another).
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("processing attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    overdue_at = models.DateTimeField(_("found past its deadline"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("statement request")
        verbose_name_plural = _("statement requests")
        permissions = [("view_monitoring", _("Can see the monitoring of the statement service"))]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="statement_user_recent"),
            models.Index(fields=["received_at"], name="statement_received"),
            # The sweep's questions: open requests by stage and age.
            models.Index(
                fields=["status", "queued_at"],
                name="statement_open",
                condition=Q(status__in=["received", "processing"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(period_from__lte=models.F("period_to")), name="statement_period_order"),
        ]

    def get_additional_data(self) -> dict[str, str] | None:
        """A record made for a ward: every audit entry names the ward and the representative."""
        if self.representative_iin:
            return {"ward_iin": self.iin, "representative_iin": self.representative_iin}
        return None

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def is_final(self) -> bool:
        return self.status in (self.Status.ISSUED, self.Status.REFUSED)

    @property
    def breached(self) -> bool:
        """Past its deadline: finished late, or still open after it."""
        if self.due_at is None:
            return False
        if self.finished_at is None:
            return is_overdue(self.due_at, timezone.now())
        return self.finished_at >= self.due_at  # finished at or after the deadline (osms/core/querysets.py)


class StatementStage(WorkflowEvent):
    """The story of a request (monitoring of state services): each stage it entered, with its time,
    and what the sweep did to it."""

    class Stage(models.TextChoices):
        DRAFT = "draft", _("Filled in")  # the citizen filled in the request
        RECEIVED = "received", _("Received")  # signed and received by the system
        PROCESSING = "processing", _("Processing")  # claimed by a worker
        ISSUED = "issued", _("Issued")  # the statement was issued
        REFUSED = "refused", _("Refused")  # the request was refused
        REQUEUED = "requeued", _("Queued again")  # the sweep found it stuck or its message lost
        RETRY = "retry", _("Attempt failed")  # processing failed and will be tried again
        OVERDUE = "overdue", _("Past the deadline")  # the sweep found it open after its deadline

    request = models.ForeignKey(StatementRequest, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("stage"), max_length=10, choices=Stage.choices)

    STATUSES = StatementRequest.Status

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("stage of a statement request")
        verbose_name_plural = _("stages of statement requests")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d.%m.%Y %H:%M:%S}"


class StatementDocument(models.Model):
    """The result of a request: the statement (Приложение 2) or a motivated refusal, as issued.

    One per request (the one-to-one key makes a second impossible). `content` keeps what the
    document says, so the cabinet page shows exactly what the PDF shows whatever later happens to
    the registers; `sha256` is the hash of the stored PDF that the public check confirms.
    """

    class Kind(models.TextChoices):
        STATEMENT = "statement", _("Statement (Appendix 2)")  # the information on payments and status
        REFUSAL = "refusal", _("Motivated refusal")  # names the ground of the refusal

    request = models.OneToOneField(StatementRequest, on_delete=models.PROTECT, related_name="document")
    number = models.CharField(_("document number"), max_length=24, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    issued_at = models.DateTimeField(_("issued"))
    holder_iin = models.CharField(_("IIN of the holder"), max_length=12)
    content = models.JSONField(_("content"))
    pdf = models.FileField(_("PDF"), storage=get_private_storage, upload_to="statements/", max_length=200)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")

    def __str__(self) -> str:
        return self.number


class StatementComplaint(WorkflowModel):
    """A complaint about the statement service (docs/domain.md §8), with its three stored deadlines."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")  # with the Fund: to satisfy or forward within 3 working days
        SATISFIED = "satisfied", _("Satisfied by the Fund")  # fully satisfied with an answer; final
        FORWARDED = "forwarded", _("Forwarded to the reviewing body")  # sent with the case; 15 working days there
        ANSWERED = "answered", _("Decided by the reviewing body")  # the body's decision recorded; final

    number = models.CharField(_("complaint number"), max_length=20, unique=True, null=True, blank=True)
    request = models.ForeignKey(
        StatementRequest, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("request")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="statement_complaints",
        verbose_name=_("citizen"),
    )
    text = models.TextField(_("complaint"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REGISTERED)
    # The GOV.UK tag colour of each status ({% status_tag %}): final ones green, the others blue.
    STATUS_TAGS = {
        Status.REGISTERED: "blue",
        Status.FORWARDED: "blue",
        Status.SATISFIED: "green",
        Status.ANSWERED: "green",
    }
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    # Stored when the complaint is registered, on the business calendar:
    answer_due_at = models.DateTimeField(_("the Fund answers by"))  # 5 working days
    forward_due_at = models.DateTimeField(_("forwarded, unless satisfied, by"))  # 3 working days
    forwarded_at = models.DateTimeField(_("forwarded"), null=True, blank=True)
    review_due_at = models.DateTimeField(_("the reviewing body decides by"), null=True, blank=True)  # 15 working days
    reviewing_body = models.CharField(_("reviewing body"), max_length=255, blank=True)
    fund_answer = models.TextField(_("answer of the Fund"), blank=True)
    fund_answered_at = models.DateTimeField(_("answered by the Fund"), null=True, blank=True)
    review_answer = models.TextField(_("decision of the reviewing body"), blank=True)
    review_answered_at = models.DateTimeField(_("decided by the reviewing body"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fund officer"),
    )
    # Set by the sweep when a deadline passes with the step not done.
    forward_overdue_at = models.DateTimeField(_("not forwarded in time"), null=True, blank=True)
    answer_overdue_at = models.DateTimeField(_("not answered in time"), null=True, blank=True)
    review_overdue_at = models.DateTimeField(_("not decided in time"), null=True, blank=True)

    class Meta:
        ordering = ["-registered_at", "-id"]
        verbose_name = _("complaint about the statement service")
        verbose_name_plural = _("complaints about the statement service")
        indexes = [models.Index(fields=["status", "answer_due_at"], name="statement_complaint_due")]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def is_final(self) -> bool:
        return self.status in (self.Status.SATISFIED, self.Status.ANSWERED)

    @property
    def overdue(self) -> bool:
        return bool(self.forward_overdue_at or self.answer_overdue_at or self.review_overdue_at)


class StatementComplaintEvent(WorkflowEvent):
    """The story of a complaint: each status it entered, with the fund officer who moved it."""

    complaint = models.ForeignKey(StatementComplaint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=10, choices=StatementComplaint.Status.choices)

    STATUSES = StatementComplaint.Status

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("step of a complaint")
        verbose_name_plural = _("steps of complaints")
