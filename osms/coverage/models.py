"""Tables of the coverage area: the registers (persons, payments, benefit memberships), the МЗП
table, register imports, partners' API keys and the log of status lookups.

Built for national scale (20 M persons, 15 M payments a month) on PostgreSQL; see
docs/adr/0101-payments-table-layout.md for why the payments table looks the way it does.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from osms.core.uploads import get_private_storage
from osms.coverage.periods import Period


def private_storage() -> FileSystemStorage:
    """Uploaded registers and their reports: the portal's private storage, served by staff-only views."""
    return get_private_storage()


def period_to_int(period: Period) -> int:
    """The compact form of a month in the database: YYYYMM (202401), sortable and readable in SQL."""
    return period.year * 100 + period.month


def int_to_period(value: int) -> Period:
    return Period(value // 100, value % 100)


class Person(models.Model):
    """One row of the persons register (docs/domain.md §13): what the cabinet and the statement need."""

    iin = models.CharField(_("IIN"), max_length=12, primary_key=True)
    last_name = models.CharField(_("surname"), max_length=100)
    first_name = models.CharField(_("name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"))
    phone = models.CharField(_("mobile phone"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.iin})"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)


class Knp(models.TextChoices):
    """Payment purpose codes (КНП) of the payments register."""

    DEDUCTION = "121", _("deduction")  # отчисления: the employer's 3%
    CONTRIBUTION = "122", _("contribution")  # взносы: employee, entrepreneur, self-payer, relative
    PENALTY_DEDUCTION = "123", _("penalty on deductions")  # пеня: never covers a month
    PENALTY_CONTRIBUTION = "124", _("penalty on contributions")  # пеня: never covers a month


# The §13 identity of a payment, ordered for the reads: the consumer first, then the month.
PAYMENT_IDENTITY = ("consumer_iin", "period", "received", "payer_id", "number")
# Columns the status answer needs besides the identity, carried in the index on PostgreSQL.
PAYMENT_IDENTITY_INCLUDE = ("amount", "knp", "status")
PAYMENT_IDENTITY_SQL = (
    "ALTER TABLE coverage_payment ADD CONSTRAINT coverage_payment_identity"
    f" UNIQUE ({', '.join(PAYMENT_IDENTITY)}) INCLUDE ({', '.join(PAYMENT_IDENTITY_INCLUDE)})"
)


class Payment(models.Model):
    """One row of the payments register: one payment for one person and one month (docs/domain.md §13).

    Identity (§13): (received, number, payer_id, consumer_iin, period). The unique index leads
    with the consumer and the period, so it is also the index every read of one person's payments
    uses (the status answer, the cabinet's last 12 months, the statement). On PostgreSQL it also
    carries amount, KNP and status (INCLUDE, migration 0003), so the status answer is an
    index-only scan (docs/adr/0102-payments-covering-index.md). The consumer is not a foreign
    key: registers arrive in any order and a payment for an IIN the persons register does not
    hold yet is still a payment.
    """

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")  # ОБРАБОТАННЫЕ: counts for coverage
        RETURNED = "returned", _("returned")  # ВОЗВРАТ: refunded, never counts

    id = models.BigAutoField(primary_key=True)
    received = models.DateField(_("date received"))  # Дата поступления
    number = models.CharField(_("payment order number"), max_length=32)  # №
    knp = models.CharField(_("purpose code (KNP)"), max_length=3, choices=Knp.choices)
    payer_name = models.CharField(_("payer"), max_length=255, blank=True)  # Отправитель
    payer_id = models.CharField(_("payer IIN/BIN"), max_length=12)  # ИИН/БИН
    consumer_iin = models.CharField(_("IIN of the insured person"), max_length=12)  # ИИН потребителя
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACCEPTED)
    period = models.PositiveIntegerField(_("period (YYYYMM)"))  # Период, stored compactly
    refund_amount = models.DecimalField(_("refunded amount"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            # On PostgreSQL the same constraint INCLUDEs amount, knp, status (PAYMENT_IDENTITY_SQL).
            models.UniqueConstraint(fields=PAYMENT_IDENTITY, name="coverage_payment_identity"),
        ]

    def __str__(self) -> str:
        return f"{self.consumer_iin} {self.period_code} {self.amount}"

    @property
    def period_code(self) -> str:
        return int_to_period(self.period).code

    @property
    def is_returned(self) -> bool:
        return self.status == self.Status.RETURNED


class BenefitCategory(models.Model):
    """One of the 15 categories the state pays for (docs/domain.md §5). Shipped by a data migration.

    `name` and `documents` hold English msgids (osms/coverage/categories.py); `label` and
    `document_labels` translate them for the reader.
    """

    number = models.PositiveSmallIntegerField(_("number"), primary_key=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    documents = models.JSONField(_("documents for a temporary status"), default=list, blank=True)
    by_application = models.BooleanField(_("temporary status may be requested"), default=True)

    class Meta:
        verbose_name = _("benefit category")
        verbose_name_plural = _("benefit categories")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.label}"

    @property
    def label(self) -> str:
        return gettext(self.name)

    @property
    def document_labels(self) -> list[str]:
        return [gettext(document) for document in self.documents]


class BenefitMembership(models.Model):
    """A person's membership of a benefit category: from the benefit register or a temporary status."""

    class Source(models.TextChoices):
        REGISTRY = "registry", _("benefit register")  # imported from the state databases
        TEMPORARY_STATUS = "temporary", _("temporary status granted by the Fund")  # one month, docs/domain.md §7

    iin = models.CharField(_("IIN"), max_length=12)
    category = models.ForeignKey(
        BenefitCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="memberships"
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end (last day)"), null=True, blank=True, help_text=_("Empty: open-ended."))
    temporary = models.BooleanField(_("temporary"), default=False)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.REGISTRY)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("benefit membership")
        verbose_name_plural = _("benefit memberships")
        constraints = [
            models.UniqueConstraint(fields=["iin", "category", "start", "source"], name="coverage_membership_identity"),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="coverage_membership_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.iin}: {self.category_id} {self.start}–{self.end or '…'}"


class MinimumWage(models.Model):
    """МЗП (minimum monthly wage) of a year, fixed by the budget law; fund officers keep it current."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    amount = models.DecimalField(_("minimum monthly wage (tenge)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("minimum monthly wage")
        verbose_name_plural = _("minimum monthly wages")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"


def _share_field(label):
    return models.DecimalField(label, max_digits=6, decimal_places=4, null=True, blank=True)


def _mzp_field(label):
    return models.DecimalField(label, max_digits=6, decimal_places=2, null=True, blank=True)


class ContributionRates(models.Model):
    """The rates and caps of one year with their source (docs/domain.md §3, ADR 0603).

    Administrators keep it from the law; an empty field is a rate no source gives, and the
    calculator offers no sum for it. Read by the pure `rates.YearRates`."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("Where these rates are stated: a source document's file name, or the law and its article."),
    )
    employer_rate = _share_field(_("employer's deduction, share of the salary"))
    employee_rate = _share_field(_("employee's contribution, share of income"))
    base_cap_mzp = _mzp_field(_("cap of the employer's and employee's base, in MZP"))
    entrepreneur_rate = _share_field(_("entrepreneur's contribution, share of the base"))
    entrepreneur_base_mzp = _mzp_field(_("entrepreneur's base, in MZP"))
    self_payer_rate = _share_field(_("self-payer's contribution, share of the base"))
    self_payer_base_mzp = _mzp_field(_("self-payer's base, in MZP"))
    state_contribution = models.DecimalField(
        _("state's contribution per person a month, at least (tenge)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    state_persons = models.PositiveIntegerField(_("persons the state pays for, at least"), null=True, blank=True)

    class Meta:
        verbose_name = _("contribution rates of a year")
        verbose_name_plural = _("contribution rates by year")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class ImportJob(models.Model):
    """One register file uploaded in the back office and imported by a Celery task."""

    class Kind(models.TextChoices):
        PERSONS = "persons", _("persons register")
        BENEFITS = "benefits", _("benefit register")
        PAYMENTS = "payments", _("payments register")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")  # uploaded, waiting for a worker
        RUNNING = "running", _("running")  # a worker is reading it; counters grow
        DONE = "done", _("done")  # read to the end; rejected rows are in the report
        FAILED = "failed", _("failed")  # the file could not be read at all (see error)

    kind = models.CharField(_("register"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), storage=private_storage, upload_to="coverage/imports/%Y/%m/")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("file size (bytes)"), default=0)
    bytes_done = models.PositiveBigIntegerField(_("bytes read"), default=0)
    rows_read = models.PositiveBigIntegerField(_("read"), default=0)
    rows_added = models.PositiveBigIntegerField(_("added"), default=0)
    rows_updated = models.PositiveBigIntegerField(_("updated"), default=0)
    rows_unchanged = models.PositiveBigIntegerField(_("unchanged"), default=0)
    rows_rejected = models.PositiveBigIntegerField(_("rejected"), default=0)
    error = models.TextField(_("error"), blank=True)
    # The running worker's claim: only the holder of the token imports and finishes the job; its
    # heartbeat renews the lease while it reads (services.import_job_run, ADR 0013).
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    report = models.FileField(
        _("report of rejected rows"), storage=private_storage, upload_to="coverage/reports/", blank=True
    )

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.size:
            return 0
        return min(100, int(self.bytes_done * 100 / self.size))


class PartnerApiKey(models.Model):
    """A partner's (bank, bot) key to the status API. Only a hash is stored; the key is shown once."""

    name = models.CharField(_("partner"), max_length=200)
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("issued"), default=timezone.now)

    class Meta:
        verbose_name = _("partner API key")
        verbose_name_plural = _("partner API keys")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class StatusLookup(models.Model):
    """One status question asked of the portal by the public check or a partner: the audit of
    who asked about which IIN. Append-only and unindexed beyond its key so that logging costs
    one small insert per lookup."""

    class Channel(models.TextChoices):
        PUBLIC = "public", _("public status check")  # anonymous, by client address
        PARTNER = "partner", _("partner API")  # by API key

    at = models.DateTimeField(_("time"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    iin = models.CharField(_("IIN asked about"), max_length=12)
    on = models.DateField(_("status date"))
    insured = models.BooleanField(_("insured"), null=True)  # null: the question had no answer (invalid IIN)
    client = models.CharField(_("client address"), max_length=45, blank=True)
    api_key = models.ForeignKey(
        PartnerApiKey, verbose_name=_("API key"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("status lookup")
        verbose_name_plural = _("status lookups")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.channel} {self.iin}"
