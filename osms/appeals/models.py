"""The register of appeals (обращения, docs/domain.md §10): numbered appeals, their timeline, the officers'
contacts with medical organisations, the answers, and the documents on both sides.

Every write goes through `services.py`; the allowed status moves are the table in `rules.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from osms.clinics.models import Region
from osms.core.uploads import get_private_storage
from osms.core.workflow import WorkflowEvent, WorkflowModel


class Topic(models.TextChoices):
    """What the appeal is about; the last two come only from a link on another service's page."""

    ACCESS_TO_CARE = "access_to_care", _("Access to medical care")  # could not get care, a referral, a queue
    INSURED_STATUS = "insured_status", _("Insured status")  # the status is wrong or not recognised
    SERVICE_QUALITY = "service_quality", _("Quality of a medical service")  # care given badly
    SERVICE_REFUSAL = "service_refusal", _("Refusal of a medical service")  # care refused
    MEDICINES = "medicines", _("Medicines")  # free medicines and medical products
    PAYMENTS = "payments", _("Deductions and contributions")  # payments, refunds, debt
    OTHER = "other", _("Other question")  # anything else
    CLINIC_ATTACHMENT = "clinic_attachment", _("Clinic attachment application not answered in time")  # a late answer
    # Retired for new appeals: complaints about the statement service follow the order's route in the
    # statement service (5/3/15 working days); earlier appeals keep it and stay readable (docs/adr/0205).
    STATEMENT_SERVICE = "statement_service", _("Complaint about the statement service")


class Channel(models.TextChoices):
    """How the appeal reached the Fund (docs/domain.md §10)."""

    PORTAL = "portal", _("The portal (personal cabinet)")  # filed by the citizen online
    CALL_CENTRE = "call_centre_1414", _("Contact centre 1414")  # registered by an operator during a call
    QOLDAU = "qoldau", _("Qoldau 24/7 app")  # taken from the app by an operator
    TELEGRAM = "telegram", _("Telegram bot @SaqtandyryBot")  # taken from the bot by an operator
    IN_PERSON = "in_person", _("In person")  # at a Fund office
    FUND_SITE = "fund_site", _("The Fund's website")  # the site's "Подать обращение" form


class AnswerBy(models.TextChoices):
    """How the applicant wants the answer; it is always in the personal cabinet as well."""

    CABINET = "cabinet", _("In my personal cabinet, with an SMS when it is ready")  # the default
    EMAIL = "email", _("By email, and in my personal cabinet")  # the answer's text by email
    PHONE = "phone", _("By a phone call, and in my personal cabinet")  # the officer calls
    POST = "post", _("By post, and in my personal cabinet")  # a letter to the postal address


class Status(models.TextChoices):
    """Where the appeal is; the moves between them are `rules.MOVES`."""

    REGISTERED = "registered", _("Registered")  # in the register, waiting for an officer
    ASSIGNED = "assigned", _("Assigned to an officer")  # an officer of the Fund is responsible for it
    IN_PROGRESS = "in_progress", _("In progress")  # the officer is looking into it
    ANSWERED = "answered", _("Answered")  # the answer is in the cabinet; the applicant may disagree
    CLOSED = "closed", _("Closed")  # the answer was accepted, or the time to disagree has passed
    REOPENED = "reopened", _("Reopened")  # the applicant disagreed with the answer in time


class LinkKind(models.TextChoices):
    """Another service's record the appeal is about."""

    NONE = "", _("None")  # a free-standing appeal
    CLINIC_APPLICATION = "clinic_application", _("Clinic attachment application")  # osms.clinics
    STATEMENT_REQUEST = "statement_request", _("Statement request")  # osms.statements


class AppealCounter(models.Model):
    """The last sequence number given in a year; locked while a number is taken, so numbers have no gaps."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("appeal counter")
        verbose_name_plural = _("appeal counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Appeal(WorkflowModel):
    # The GOV.UK tag colour of each status ({% status_tag %}).
    STATUS_TAGS = {
        Status.REGISTERED: "grey",
        Status.ASSIGNED: "blue",
        Status.IN_PROGRESS: "light-blue",
        Status.ANSWERED: "green",
        Status.CLOSED: "grey",
        Status.REOPENED: "orange",
    }
    # The statuses in which the answer's term runs (DeadlineQuerySet.overdue).
    OPEN_STATUSES = (Status.REGISTERED, Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED)

    number = models.CharField(_("registration number"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))

    # The applicant is a person known by IIN; the account, when there is one, receives the notifications.
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("applicant's account"),
    )
    applicant_iin = models.CharField(_("applicant's IIN"), max_length=12, db_index=True)
    applicant_name = models.CharField(_("applicant"), max_length=300)
    # Blank when the citizen acts for themself; for a ward (docs/adr/0701-representation.md): the IIN of
    # the representative who acted (the applicant's account), while the IIN is the ward's.
    representative_iin = models.CharField(_("representative's IIN"), max_length=12, blank=True, db_index=True)
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    postal_address = models.CharField(_("postal address"), max_length=300, blank=True)

    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    clinic = models.ForeignKey(
        "clinics.Clinic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("medical organisation"),
    )
    substance = models.TextField(_("substance of the appeal"))
    answer_by = models.CharField(_("how to answer"), max_length=10, choices=AnswerBy.choices, default=AnswerBy.CABINET)
    link_kind = models.CharField(_("linked to"), max_length=20, choices=LinkKind.choices, blank=True)
    link_reference = models.CharField(_("linked record number"), max_length=40, blank=True)

    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="appeals_registered",
        verbose_name=_("registered by"),
    )
    registered_at = models.DateTimeField(_("registered"))
    # Stored when the appeal is registered (or reopened), on the business calendar of that moment.
    term_working_days = models.PositiveSmallIntegerField(_("term, working days"))
    due_at = models.DateTimeField(_("answer due"), db_index=True)
    warn_at = models.DateTimeField(_("deadline near from"))
    near_flagged_at = models.DateTimeField(_("flagged as near the deadline"), null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(_("flagged as overdue"), null=True, blank=True)

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals_assigned",
        verbose_name=_("officer"),
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    reopen_until = models.DateTimeField(_("may disagree until"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["-registered_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="appeal_one_sequence_per_year"),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="appeal_queue"),
            models.Index(fields=["region", "topic", "status"], name="appeal_region_topic"),
            models.Index(fields=["status", "reopen_until"], name="appeal_reopen_window"),
        ]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def get_additional_data(self) -> dict[str, str] | None:
        """A record made for a ward: every audit entry names the ward and the representative."""
        if self.representative_iin:
            return {"ward_iin": self.applicant_iin, "representative_iin": self.representative_iin}
        return None

    def __str__(self) -> str:
        return f"№ {self.number}"


class AppealEvent(WorkflowEvent):
    """One line of the appeal's timeline; `public` lines are the ones the applicant sees."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registered")  # entered into the register
        ASSIGNED = "assigned", _("Assigned to an officer")  # an officer made responsible
        STARTED = "started", _("Work started")  # the officer took it up
        CONTACT = "contact", _("Medical organisation contacted")  # details only in the back office
        ANSWERED = "answered", _("Answer given")  # the answer is in the cabinet
        ACCEPTED = "accepted", _("Answer accepted")  # the applicant accepted it: closed
        REOPENED = "reopened", _("Reopened: the applicant disagreed")  # with the applicant's reason
        CLOSED = "closed", _("Closed: the time to disagree has passed")  # closed by the sweep
        DEADLINE_NEAR = "deadline_near", _("Deadline near")  # back office only
        DEADLINE_PASSED = "deadline_passed", _("Deadline passed")  # the answer is late

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events", verbose_name=_("appeal"))
    kind = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    public = models.BooleanField(_("shown to the applicant"), default=True)

    STATUSES = Status

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("appeal event")
        verbose_name_plural = _("appeal events")

    def __str__(self) -> str:
        return f"{self.appeal} {self.get_kind_display()}"


class AppealContact(models.Model):
    """The officer's contact with a medical organisation and what was found (back office only)."""

    class Method(models.TextChoices):
        PHONE = "phone", _("Phone call")  # a call to the organisation
        LETTER = "letter", _("Official letter")  # a written request
        EMAIL = "email", _("Email")  # by email
        VISIT = "visit", _("Visit")  # an officer went there

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("appeal"))
    clinic = models.ForeignKey(
        "clinics.Clinic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("medical organisation"),
    )
    organisation_name = models.CharField(_("organisation (if not in the list)"), max_length=255, blank=True)
    method = models.CharField(_("how"), max_length=8, choices=Method.choices)
    contacted_at = models.DateTimeField(_("when"))
    person = models.CharField(_("contact person"), max_length=255, blank=True)
    findings = models.TextField(_("what was found"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["contacted_at", "id"]
        verbose_name = _("contact with a medical organisation")
        verbose_name_plural = _("contacts with medical organisations")

    def __str__(self) -> str:
        return f"{self.appeal} {self.get_method_display()} {self.contacted_at:%d.%m.%Y}"


class AppealAnswer(models.Model):
    """The Fund's answer; a reopened appeal gets another one, and the applicant sees them all."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="answers", verbose_name=_("appeal"))
    text = models.TextField(_("answer"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("officer")
    )
    created_at = models.DateTimeField(_("answered"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.appeal} {self.created_at:%d.%m.%Y}"


class AppealFile(models.Model):
    """A document: the applicant's (with the appeal) or the Fund's (with an answer).

    Uploaded before the appeal or answer exists (a draft: both links empty), then attached by the
    service that registers it; drafts left behind are removed by the sweep.
    """

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, null=True, blank=True, related_name="files", verbose_name=_("appeal")
    )
    answer = models.ForeignKey(
        AppealAnswer, on_delete=models.CASCADE, null=True, blank=True, related_name="files", verbose_name=_("answer")
    )
    file = models.FileField(_("file"), storage=get_private_storage, max_length=200)
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size, bytes"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded"))

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["uploaded_by", "appeal", "answer"], name="appeal_file_drafts")]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.appeal_id is None
