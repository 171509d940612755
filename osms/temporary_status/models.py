"""Temporary-status requests (docs/domain.md §7): a citizen of a benefit category whose benefit is missing
from the Fund's database asks for one month of status, sending the documents of the category
(§5); fund officers approve or refuse.

A request is a draft while the citizen fills it in (it lives in the database, so a refused upload
or a closed browser loses nothing), then is confirmed by an SMS code. Every deadline the sweep acts
on is a stored column, computed when the record reaches the stage that starts it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from osms.core.workflow import WorkflowEvent, WorkflowModel


class TemporaryStatusRequest(WorkflowModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")  # being filled in; only the citizen sees it
        SUBMITTED = "submitted", _("Awaiting review")  # confirmed by SMS code; in the fund officers' queue
        APPROVED = "approved", _("Approved")  # one month of the category granted (a temporary membership)
        REFUSED = "refused", _("Refused")  # a reason given; the citizen may send a new request
        EXPIRED = "expired", _("Ended")  # the month of temporary status is over
        CANCELLED = "cancelled", _("Cancelled")  # a draft the citizen gave up

    class RefusalReason(models.TextChoices):
        UNREADABLE = "unreadable", _("The documents cannot be read")  # blurred, cut off, wrong pages
        INCOMPLETE = "incomplete", _("Not every required document was sent")  # e.g. one page of two
        NOT_CONFIRMING = "not_confirming", _("The documents do not confirm the category")  # another document
        OTHER_PERSON = "other_person", _("The documents are about another person")  # name or IIN differ
        OUT_OF_DATE = "out_of_date", _("The documents are out of date")  # expired certificate
        ALREADY_INSURED = "already_insured", _("You are already insured")  # status came by another way
        OTHER = "other", _("Another reason")  # explained in the text

    number = models.CharField(_("number"), max_length=20, unique=True, null=True, blank=True)  # given when sent
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("citizen"),
        on_delete=models.PROTECT,
        related_name="temporary_status_requests",
    )
    # The membership is granted to this IIN: a copy, so the request reads the same if the account changes.
    iin = models.CharField(_("IIN"), max_length=12)
    # Blank when the citizen acts for themself; for a ward (docs/adr/0701-representation.md): the IIN of
    # the representative who acted (the account above), while the IIN is the ward's.
    representative_iin = models.CharField(_("representative's IIN"), max_length=12, blank=True, db_index=True)
    category = models.ForeignKey(
        "coverage.BenefitCategory", verbose_name=_("benefit category"), on_delete=models.PROTECT, related_name="+"
    )
    # The applicant's answer that decides the documents of category 9 (rules.CONDITIONAL_DOCUMENTS):
    # only a WWII veteran is asked for the veteran's certificate. Empty for the other categories.
    wwii_veteran = models.BooleanField(_("veteran of the Great Patriotic War"), null=True, blank=True)
    status = models.CharField(_("stage"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The GOV.UK tag colour of each stage ({% status_tag %}).
    STATUS_TAGS = {
        Status.DRAFT: "grey",
        Status.CANCELLED: "grey",
        Status.EXPIRED: "grey",
        Status.SUBMITTED: "blue",
        Status.APPROVED: "green",
        Status.REFUSED: "red",
    }
    # The review's deadline runs while the request waits in the queue (DeadlineQuerySet.overdue).
    OPEN_STATUSES = (Status.SUBMITTED,)
    DEADLINE_FIELD = "review_due_at"
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    # A draft nobody sends is deleted with its files after this (rules.DRAFT_KEPT_DAYS): the Fund keeps
    # no citizen's documents it was never asked to read.
    draft_expires_at = models.DateTimeField(_("draft deleted after"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # 3 working days after submission on the business calendar (docs/adr/0401-temporary-status-review-deadline.md).
    review_due_at = models.DateTimeField(_("review deadline"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("found overdue"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    refusal_reason = models.CharField(_("reason for refusal"), max_length=20, choices=RefusalReason.choices, blank=True)
    refusal_text = models.TextField(_("explanation"), blank=True)
    membership = models.OneToOneField(
        "coverage.BenefitMembership",
        verbose_name=_("temporary membership"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="temporary_status_request",
    )
    status_from = models.DateField(_("status from"), null=True, blank=True)
    status_until = models.DateField(_("status until (last day)"), null=True, blank=True)
    # Set at approval: when the citizen is told the month is ending, and when the sweep closes it.
    expiry_notice_due_at = models.DateTimeField(_("expiry notice due"), null=True, blank=True)
    expiry_notice_sent_at = models.DateTimeField(_("expiry notice sent"), null=True, blank=True)
    ends_at = models.DateTimeField(_("closes"), null=True, blank=True)
    ended_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("temporary-status request")
        verbose_name_plural = _("temporary-status requests")
        ordering = ["-created_at"]
        permissions = [("review_temporarystatusrequest", _("Can approve or refuse temporary-status requests"))]
        constraints = [
            # One request at a time: a draft being filled in, or one waiting for its answer.
            # Per person: a parent may have their own request and one for each child at the same time.
            models.UniqueConstraint(
                fields=["user", "iin"],
                condition=Q(status__in=["draft", "submitted"]),
                name="temporary_status_one_open_request",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="temporary_status_queue"),
            models.Index(fields=["status", "review_due_at"], name="temporary_status_review_due"),
            models.Index(fields=["status", "expiry_notice_due_at"], name="temporary_status_notice_due"),
            models.Index(fields=["status", "ends_at"], name="temporary_status_ends"),
            models.Index(fields=["status", "draft_expires_at"], name="temporary_status_draft_expiry"),
        ]

    def __str__(self) -> str:
        return self.number or gettext("Draft of %(date)s") % {"date": f"{timezone.localtime(self.created_at):%d.%m.%Y}"}

    def get_additional_data(self) -> dict[str, str] | None:
        """A record made for a ward: every audit entry names the ward and the representative."""
        if self.representative_iin:
            return {"ward_iin": self.iin, "representative_iin": self.representative_iin}
        return None

    @property
    def required_documents(self) -> list[str]:
        """The documents this applicant is asked for (the category's, less those their answers rule out)."""
        from . import rules

        return rules.documents_for(
            category=self.category_id, documents=self.category.documents, answers={"wwii_veteran": self.wwii_veteran}
        )

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class TemporaryStatusDocument(models.Model):
    """One of the documents the request's category needs, as the citizen uploaded it."""

    request = models.ForeignKey(
        TemporaryStatusRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="documents"
    )
    # The document's English msgid in the category's list (osms/coverage/categories.py).
    kind = models.CharField(_("document"), max_length=255)
    name = models.CharField(_("file name"), max_length=110)  # sanitised, as shown to people
    file = models.CharField(_("stored file"), max_length=255)  # name in the private storage
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["request", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "kind"], name="temporary_status_one_file_per_document")
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.name}"

    @property
    def label(self) -> str:
        return gettext(self.kind)


class TemporaryStatusEvent(WorkflowEvent):
    """The story of a request, one row per step, with who took it (None: the system)."""

    class Kind(models.TextChoices):
        STARTED = "started", _("Request started")  # the citizen chose a category
        CATEGORY_CHANGED = "category", _("Category changed")  # in the draft
        DOCUMENT_UPLOADED = "uploaded", _("Document uploaded")  # detail: document and file name
        UPLOAD_REFUSED = "upload_refused", _("Upload refused")  # detail: why (type, size, broken)
        DOCUMENT_REMOVED = "removed", _("Document removed")  # by the citizen, in the draft
        CODE_SENT = "code_sent", _("Confirmation code sent")  # by SMS
        SUBMITTED = "submitted", _("Request sent")  # confirmed with the code
        DOCUMENT_OPENED = "opened", _("Document opened by the Fund")  # an officer read a document
        APPROVED = "approved", _("Approved")  # temporary membership granted
        REFUSED = "refused", _("Refused")  # detail: the reason
        REVIEW_OVERDUE = "overdue", _("Review deadline passed")  # found by the sweep
        EXPIRY_NOTICE = "expiry_notice", _("Told the status ends soon")  # by the sweep
        EXPIRED = "expired", _("Temporary status ended")  # by the sweep
        CANCELLED = "cancelled", _("Draft cancelled")  # by the citizen

    request = models.ForeignKey(
        TemporaryStatusRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("step"), max_length=16, choices=Kind.choices)

    STATUSES = TemporaryStatusRequest.Status

    class Meta:
        verbose_name = _("step of a request")
        verbose_name_plural = _("steps of requests")
        ordering = ["request", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
