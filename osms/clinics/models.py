"""Primary-care clinics (организации ПМСП) and their districts (участки) with the district doctor."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        ordering = ["region", "name_ru"]
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")

    def __str__(self) -> str:
        return f"{self.name_ru} ({self.code})"


class District(models.Model):
    """An участок of a clinic: its number, the addresses it serves and its doctor."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="districts", verbose_name=_("clinic"))
    number = models.PositiveIntegerField(_("district number"))
    streets = models.TextField(
        _("streets and addresses served"), blank=True, help_text=_("One street or address a line.")
    )
    doctor_name = models.CharField(_("district doctor"), max_length=255)

    class Meta:
        ordering = ["clinic", "number"]
        constraints = [models.UniqueConstraint(fields=["clinic", "number"], name="one_district_number_per_clinic")]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return f"№{self.number}: {self.doctor_name}"
