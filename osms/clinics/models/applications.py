"""Attachment applications (a workflow: osms/clinics/workflow.py), their events, and attachments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from osms.core.workflow import WorkflowEvent, WorkflowModel

from .clinics import Clinic, District, Doctor


class Reason(models.TextChoices):
    """Why the person applies; decides whether the once-a-year limit applies (rules.reason_verdicts)."""

    FIRST = "first", _("First attachment")  # the person is attached nowhere
    RESIDENCE = "residence", _("Change of residence")  # any time
    CHOICE = "choice", _("Choice of another clinic")  # once in the policy's interval, or in the campaign
    CLINIC_LEFT = "clinic_left", _("My clinic no longer serves the Fund's patients")  # any time, when it is true


class Channel(models.TextChoices):
    """Where the application was made."""

    ONLINE = "online", _("Online, on the portal")  # signed by the citizen with an SMS code
    IN_CLINIC = "in_clinic", _("At the clinic")  # entered by a registrar with a supporting document


class InClinicGroup(models.TextChoices):
    """Who may apply at the clinic instead of online (docs/domain.md §6; seed 002)."""

    PENSIONER = "pensioner", _("Pensioner")
    DISABILITY = "disability", _("Person with disability")
    CHILD_DISABILITY_REPRESENTATIVE = "child_disability", _("Legal representative of a child with disability")
    GUARDIAN = "guardian", _("Foster carer or guardian")
    CONVICT = "convict", _("Convict in a colony")
    CONSCRIPT = "conscript", _("Conscript")
    STUDENT_FROM_ELSEWHERE = "student", _("Student from another city")
    MADRASA_STUDENT = "madrasa", _("Madrasa student")
    CHILD_BORN_ABROAD = "born_abroad", _("Child born abroad")
    CARE_HOME_RESIDENT = "care_home", _("Resident of an infant home, boarding school or care home")
    POWER_OF_ATTORNEY = "attorney", _("Attaching by power of attorney")


class RefusalReason(models.TextChoices):
    """The motivated refusal's ground, chosen from this list; an explanation is always written too."""

    CAPACITY = "capacity", _("The clinic has reached the number of people it may serve")
    ADDRESS = "address", _("The address is outside the area the clinic serves")
    DATA_MISMATCH = "data", _("The details do not match the identity document or the state databases")
    DOCUMENTS = "documents", _("The supporting document is missing or not valid")
    TOO_SOON = "too_soon", _("The person changed clinic less than a year ago, without a change of residence")
    OTHER = "other", _("Other ground (explained below)")


class AttachmentApplication(WorkflowModel):
    """An application to attach to a clinic: online (signed by SMS code) or entered at the clinic."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for the SMS code")  # filled in online, not yet signed
        PENDING = "pending", _("With the clinic")  # submitted; the clinic answers within 1 working day
        APPROVED = "approved", _("Attached")  # the clinic attached the person
        REFUSED = "refused", _("Refused")  # motivated refusal
        WITHDRAWN = "withdrawn", _("Withdrawn")  # the citizen withdrew it before the answer
        ABANDONED = "abandoned", _("Not confirmed")  # never signed; closed by the sweep

    OPEN = (Status.UNCONFIRMED, Status.PENDING)
    # The clinic's answer is due while the application is with it (DeadlineQuerySet.overdue).
    OPEN_STATUSES = (Status.PENDING,)
    # The GOV.UK tag colour of each status ({% status_tag %}).
    STATUS_TAGS = {Status.APPROVED: "green", Status.REFUSED: "red", Status.PENDING: "blue"}

    number = models.CharField(_("number"), max_length=20, unique=True, null=True, blank=True)
    iin = models.CharField(_("IIN"), max_length=12, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachment_applications",
        verbose_name=_("portal account"),
    )
    # Blank when the citizen acts for themself; for a ward (docs/adr/0701-representation.md): the IIN of
    # the representative who acted (the account above), while the IIN is the ward's.
    representative_iin = models.CharField(_("representative's IIN"), max_length=12, blank=True, db_index=True)
    last_name = models.CharField(_("surname"), max_length=100)
    first_name = models.CharField(_("name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    phone = models.CharField(_("contact phone"), max_length=12)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="applications", verbose_name=_("clinic"))
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    locality = models.CharField(_("city or village"), max_length=100)
    street = models.CharField(_("street, avenue or microdistrict"), max_length=150)
    house = models.CharField(_("house"), max_length=20)
    flat = models.CharField(_("flat"), max_length=20, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    group = models.CharField(
        _("group applying at the clinic"), max_length=20, choices=InClinicGroup.choices, blank=True
    )
    document = models.CharField(_("supporting document (stored name)"), max_length=255, blank=True)
    document_name = models.CharField(_("supporting document"), max_length=120, blank=True)
    document_type = models.CharField(max_length=40, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UNCONFIRMED, db_index=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    # An unconfirmed application not signed by then is closed by the sweep.
    confirm_by = models.DateTimeField(_("to be confirmed by"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # 1 working day after submission on the business calendar, stored when submitted (docs/domain.md §6).
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True, db_index=True)
    # When the sweep next reminds the registrars (first at due_at, then every working day).
    remind_at = models.DateTimeField(null=True, blank=True, db_index=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    # Working time from submission to answer, kept for the Fund's figures.
    answer_seconds = models.PositiveIntegerField(_("working time to answer (seconds)"), null=True, blank=True)
    answered_in_time = models.BooleanField(_("answered in time"), null=True, blank=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("district")
    )
    doctor = models.ForeignKey(
        Doctor, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("doctor")
    )
    refusal_reason = models.CharField(_("refusal ground"), max_length=12, choices=RefusalReason.choices, blank=True)
    refusal_explanation = models.TextField(_("explanation of the refusal"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # At most one open application per person (docs/domain.md §6 Decision).
            models.UniqueConstraint(
                fields=["iin"],
                condition=Q(status__in=["unconfirmed", "pending"]),
                name="one_open_application_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["clinic", "status", "due_at"], name="clinic_queue"),
            models.Index(fields=["status", "remind_at"], name="application_reminders"),
        ]
        permissions = [
            ("answer_application", _("Can answer attachment applications of one's clinic")),
            ("view_figures", _("Can view the attachment figures per clinic")),
        ]
        verbose_name = _("attachment application")
        verbose_name_plural = _("attachment applications")

    def get_additional_data(self) -> dict[str, str] | None:
        """A record made for a ward: every audit entry names the ward and the representative."""
        if self.representative_iin:
            return {"ward_iin": self.iin, "representative_iin": self.representative_iin}
        return None

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    def get_full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    @property
    def address(self) -> str:
        parts = [self.locality, self.street, self.house]
        text = ", ".join(part for part in parts if part)
        return f"{text}, {_('flat')} {self.flat}" if self.flat else text


class ApplicationEvent(WorkflowEvent):
    """The story of an application: what happened, when, and who did it."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Filled in")  # online, before the SMS code
        SUBMITTED = "submitted", _("Submitted")  # signed by code, or entered at the clinic
        APPROVED = "approved", _("Attached")  # the clinic attached the person
        REFUSED = "refused", _("Refused")  # the clinic refused with a motivated reason
        WITHDRAWN = "withdrawn", _("Withdrawn")  # the citizen withdrew it
        ABANDONED = "abandoned", _("Not confirmed")  # closed unsigned by the sweep
        ESCALATED = "escalated", _("Overdue: escalated")  # no answer in 1 working day: Fund, clinic, citizen told
        REMINDED = "reminded", _("Clinic reminded")  # registrars reminded again while still unanswered

    application = models.ForeignKey(
        AttachmentApplication, on_delete=models.CASCADE, related_name="events", verbose_name=_("application")
    )
    kind = models.CharField(_("event"), max_length=12, choices=Kind.choices)

    STATUSES = AttachmentApplication.Status

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("application event")
        verbose_name_plural = _("application events")


class Attachment(models.Model):
    """A person's attachment to a clinic, from approval until the next one ends it."""

    class EndReason(models.TextChoices):
        REATTACHED = "reattached", _("Attached to another clinic")  # a newer attachment ended it

    iin = models.CharField(_("IIN"), max_length=12, db_index=True)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("clinic"))
    district = models.ForeignKey(
        District, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("district")
    )
    doctor = models.ForeignKey(
        Doctor, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("doctor")
    )
    # As they were on the day of attachment: the history keeps them when the clinic's data change.
    district_number = models.PositiveIntegerField(_("district number"))
    doctor_name = models.CharField(_("district doctor"), max_length=255)
    application = models.OneToOneField(
        AttachmentApplication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachment",
        verbose_name=_("application"),
    )
    started_at = models.DateTimeField(_("attached from"))
    ended_at = models.DateTimeField(_("attached until"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=12, choices=EndReason.choices, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # A person has at most one current attachment (docs/domain.md §6 Decision).
            models.UniqueConstraint(
                fields=["iin"], condition=Q(ended_at__isnull=True), name="one_current_attachment_per_person"
            ),
        ]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return f"{self.iin} → {self.clinic.code} №{self.district_number}"


class OverdueApplication(AttachmentApplication):
    """The Fund's list of applications still unanswered past their deadline (a view of the same rows)."""

    class Meta:
        proxy = True
        verbose_name = _("overdue application")
        verbose_name_plural = _("overdue applications")
