"""Clinics, their doctors and districts (участки), their imports, and the re-attachment policy."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def fold(text: str) -> str:
    """Text as search compares it: lower case, ё as е, single spaces."""
    return " ".join((text or "").lower().replace("ё", "е").split())


class Region(models.TextChoices):
    """Regions and cities of republican significance of Kazakhstan."""

    ASTANA = "astana", _("Astana")
    ALMATY_CITY = "almaty_city", _("Almaty")
    SHYMKENT = "shymkent", _("Shymkent")
    ABAI = "abai", _("Abai Region")
    AKMOLA = "akmola", _("Akmola Region")
    AKTOBE = "aktobe", _("Aktobe Region")
    ALMATY = "almaty", _("Almaty Region")
    ATYRAU = "atyrau", _("Atyrau Region")
    EAST_KAZAKHSTAN = "east_kazakhstan", _("East Kazakhstan Region")
    ZHAMBYL = "zhambyl", _("Zhambyl Region")
    ZHETYSU = "zhetysu", _("Zhetysu Region")
    WEST_KAZAKHSTAN = "west_kazakhstan", _("West Kazakhstan Region")
    KARAGANDA = "karaganda", _("Karaganda Region")
    KOSTANAY = "kostanay", _("Kostanay Region")
    KYZYLORDA = "kyzylorda", _("Kyzylorda Region")
    MANGYSTAU = "mangystau", _("Mangystau Region")
    PAVLODAR = "pavlodar", _("Pavlodar Region")
    NORTH_KAZAKHSTAN = "north_kazakhstan", _("North Kazakhstan Region")
    TURKISTAN = "turkistan", _("Turkistan Region")
    ULYTAU = "ulytau", _("Ulytau Region")


class Clinic(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name_kk = models.CharField(_("name in Kazakh"), max_length=255)
    name_ru = models.CharField(_("name in Russian"), max_length=255)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, db_index=True)
    city = models.CharField(_("city or district"), max_length=100)
    address = models.CharField(_("address"), max_length=255)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    working_hours = models.CharField(_("working hours"), max_length=255, blank=True)
    is_fund_supplier = models.BooleanField(_("supplier of the Fund"), default=True)
    supplier_from = models.DateField(_("supplier from"), null=True, blank=True)
    supplier_until = models.DateField(_("supplier until"), null=True, blank=True)
    # Code, names, city and address folded for search (lower case, ё as е): the same in every database,
    # whereas SQLite's LIKE folds only Latin letters.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["region", "name_ru"]
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")
        permissions = [("import_clinics", _("Can import clinics from a CSV file"))]

    def __str__(self) -> str:
        return f"{self.name_ru} ({self.code})"

    def save(self, *args, **kwargs) -> None:
        self.fill_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def fill_search_text(self) -> None:
        self.search_text = fold(" ".join([self.code, self.name_ru, self.name_kk, self.city, self.address]))

    @property
    def name(self) -> str:
        """The name in the reader's language: Kazakh for Kazakh, Russian otherwise (no English name exists)."""
        return self.name_kk if translation.get_language() == "kk" else self.name_ru


class Doctor(models.Model):
    """A doctor of a clinic who may be the doctor of an attached person (участковый врач)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="doctors", verbose_name=_("clinic"))
    full_name = models.CharField(_("full name"), max_length=255)
    is_active = models.BooleanField(_("works at the clinic"), default=True)

    class Meta:
        ordering = ["clinic", "full_name"]
        constraints = [models.UniqueConstraint(fields=["clinic", "full_name"], name="one_doctor_name_per_clinic")]
        verbose_name = _("doctor")
        verbose_name_plural = _("doctors")

    def __str__(self) -> str:
        return self.full_name


class District(models.Model):
    """An участок of a clinic: its number, the addresses it serves and its doctor."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="districts", verbose_name=_("clinic"))
    number = models.PositiveIntegerField(_("district number"))
    streets = models.TextField(
        _("streets and addresses served"),
        blank=True,
        help_text=_('One street a line, optionally with house numbers: "ул. Абая: 1-25, 27".'),
    )
    doctor = models.ForeignKey(
        Doctor,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="districts",
        verbose_name=_("district doctor"),
    )

    class Meta:
        ordering = ["clinic", "number"]
        constraints = [models.UniqueConstraint(fields=["clinic", "number"], name="one_district_number_per_clinic")]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        doctor = self.doctor.full_name if self.doctor_id else "—"
        return f"№{self.number}: {doctor}"


class ClinicImport(models.Model):
    """One load of the clinics file: who, when, what it did and which lines it rejected. The audit
    trail's record of the rows it added in bulk (docs/adr/0004); changed rows are audited one by one."""

    created_at = models.DateTimeField(_("imported"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    counts = models.JSONField(_("what it did"), default=dict)
    rejections = models.JSONField(_("rejected lines"), default=list, help_text=_("[line, reason], at most 1000."))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("clinics import")
        verbose_name_plural = _("clinics imports")

    def __str__(self) -> str:
        return f"{self.file_name or '—'} {self.created_at:%d.%m.%Y %H:%M}"


class AttachmentPolicy(models.Model):
    """How often a person may choose another clinic; one row, edited by fund officers (docs/adr/0301)."""

    choice_interval_months = models.PositiveSmallIntegerField(
        _("months between free choices of a clinic"),
        default=12,
        help_text=_("A person may choose another clinic this many months after the last attachment; 0: any time."),
    )
    campaign_starts = models.DateField(_("attachment campaign from"), null=True, blank=True)
    campaign_ends = models.DateField(
        _("attachment campaign until"),
        null=True,
        blank=True,
        help_text=_("During the campaign anyone may choose another clinic, however recent the last attachment."),
    )

    class Meta:
        verbose_name = _("re-attachment rules")
        verbose_name_plural = _("re-attachment rules")

    def __str__(self) -> str:
        return str(_("Re-attachment rules"))
