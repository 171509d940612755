"""The right to act for someone (DOMAIN §14) and the citizen's request for it where the
representation register (§13) lacks the link."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from osms.core.workflow import WorkflowEvent, WorkflowModel
from osms.coverage.models import ImportJob

from . import rules


class Ground(models.TextChoices):
    PARENT = rules.PARENT, _("parent")
    GUARDIAN = rules.GUARDIAN, _("guardian")
    TRUSTEE = rules.TRUSTEE, _("trustee")


class Representation(models.Model):
    """Who (representative_iin) may act for whom (ward), on which ground, from when to when."""

    class Source(models.TextChoices):
        REGISTER = "register", _("representation register")
        REQUEST = "request", _("approved request")

    # No database constraint: the registers arrive in any order, so a right may name a ward the
    # persons register has not brought yet; such a right is not offered until the person is known.
    ward = models.ForeignKey(
        "coverage.Person",
        verbose_name=_("ward"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_column="ward_iin",
        related_name="+",
    )
    representative_iin = models.CharField(_("representative's IIN"), max_length=12, db_index=True)
    ground = models.CharField(_("ground"), max_length=10, choices=Ground.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)  # empty: until 18 (parent) or open (guardian)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    request = models.OneToOneField(
        "representation.RepresentationRequest",
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="representation",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("right to act for someone")
        verbose_name_plural = _("rights to act for someone")
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "representative_iin", "ground", "start"], name="representation_identity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.representative_iin} → {self.ward_id} ({self.get_ground_display()})"

    def is_in_force(self, *, on: dt.date) -> bool:
        return rules.is_in_force(ground=self.ground, ward_iin=self.ward_id, start=self.start, end=self.end, on=on)

    @property
    def last_day(self) -> dt.date | None:
        return rules.last_day(ground=self.ground, ward_iin=self.ward_id, end=self.end)

    def get_additional_data(self) -> dict[str, str]:
        """Every audit entry of a right names the ward and the representative."""
        return {"ward_iin": self.ward_id, "representative_iin": self.representative_iin}


class RepresentationRequest(WorkflowModel):
    """A citizen asks to be recorded as a ward's representative, with the proving document. Its stage
    changes only through the workflow kernel (workflow.py)."""

    class Status(models.TextChoices):
        SUBMITTED = rules.SUBMITTED, _("Awaiting review")
        APPROVED = rules.APPROVED, _("Approved")
        REFUSED = rules.REFUSED, _("Refused")

    # The GOV.UK tag colour of each stage ({% status_tag %}).
    STATUS_TAGS = {Status.APPROVED: "green", Status.REFUSED: "red", Status.SUBMITTED: "blue"}

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("representative"),
        on_delete=models.PROTECT,
        related_name="representation_requests",
    )
    representative_iin = models.CharField(_("representative's IIN"), max_length=12)  # a copy, as on the right
    ward_iin = models.CharField(_("ward's IIN"), max_length=12)
    ground = models.CharField(_("ground"), max_length=10, choices=Ground.choices)
    document = models.CharField(_("document"), max_length=200)  # private storage name (osms/core/uploads.py)
    document_name = models.CharField(_("file name"), max_length=120)
    document_type = models.CharField(_("file type"), max_length=40)
    document_sha256 = models.CharField(max_length=64)
    status = models.CharField(_("stage"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("sent"))
    # rules.REVIEW_WORKING_DAYS working days after sending, on the business calendar.
    review_due_at = models.DateTimeField(_("review deadline"))
    overdue_at = models.DateTimeField(_("found overdue"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)

    class Meta:
        verbose_name = _("request to act for someone")
        verbose_name_plural = _("requests to act for someone")
        ordering = ["-submitted_at"]
        permissions = [("review_representationrequest", "Can approve or refuse requests to act for someone")]
        indexes = [models.Index(fields=["status", "review_due_at"], name="representation_review_due")]

    def __str__(self) -> str:
        return gettext("Request %(number)s") % {"number": self.number}

    @property
    def number(self) -> str:
        return f"П-{self.pk:06d}"

    def get_additional_data(self) -> dict[str, str]:
        return {"ward_iin": self.ward_iin, "representative_iin": self.representative_iin}


class RepresentationRequestEvent(WorkflowEvent):
    """One step in a request's story: sent, approved, refused (the kernel's one event model)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Sent")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    STATUSES = RepresentationRequest.Status

    request = models.ForeignKey(
        RepresentationRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("step"), max_length=16, choices=Kind.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("step of a request to act for someone")
        verbose_name_plural = _("steps of requests to act for someone")


class RepresentationImport(ImportJob):
    """The representation register's uploads: register imports of this one kind (coverage's machinery)."""

    class Meta:
        proxy = True
        verbose_name = _("representation register import")
        verbose_name_plural = _("representation register imports")

    def __str__(self) -> str:
        return gettext("Representation register #%(number)s") % {"number": self.pk}
