"""The back office's service-level page (docs/adr/0015): per service, by day or week, the share answered
within the term, the queue and the oldest waiting item, as charts with their numbers beside them.
Fund staff who watch the services see every service, and attachment by region and by clinic; a clinic
registrar sees their own clinic's attachment applications only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import charts, service_level
from .service_level import DAYS, SERVICE, WEEKS, Figures

MONITORING_PERMISSION = "statements.view_monitoring"


def _clinic_of_registrar(request) -> int | None:
    """The clinic of a registrar bound to one; None for anyone else."""
    from osms.clinics.admin.scope import ALL, clinic_scope

    scope = clinic_scope(request)
    return None if scope in (ALL, None) else scope


def _waiting_scale(points) -> tuple[float, str]:
    """The unit the oldest-waiting chart counts in: minutes, hours or days, as fits its longest wait."""
    longest = max((p.oldest_waiting.total_seconds() for p in points if p.oldest_waiting is not None), default=0)
    if longest < 2 * 3600:
        return 60, _("minutes")
    if longest < 3 * 86400:
        return 3600, _("hours")
    return 86400, _("days")


def waited(delta: dt.timedelta | None) -> str:
    """How long the oldest item has waited, as people say it."""
    if delta is None:
        return "—"
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return _("%(minutes)d min") % {"minutes": minutes}
    if minutes < 48 * 60:
        return _("%(hours)d h %(minutes)d min") % {"hours": minutes // 60, "minutes": minutes % 60}
    return _("%(days)d days") % {"days": minutes // (24 * 60)}


def share(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def _label(point: service_level.Point) -> str:
    """The period's first day (a week is named by its Monday)."""
    return date_format(point.start.astimezone(service_level.ALMATY).date(), "d.m")


@dataclass(frozen=True)
class Series:
    key: str
    title: str
    term: str
    figures: Figures
    charts: list[tuple[str, str, charts.BarChart]]  # id, title, chart
    rows: list[dict[str, Any]]


def series(key: str, title: str, term, figures: Figures, kind: str) -> Series:
    points = figures.points
    labels = [_label(point) for point in points]
    shares = [point.share_in_time for point in points]
    unit_seconds, unit = _waiting_scale(points)
    waits = [None if p.oldest_waiting is None else p.oldest_waiting.total_seconds() / unit_seconds for p in points]
    at_end = _("at the end of the day") if kind == DAYS else _("at the end of the week")
    drawn = [
        (
            f"{key}-in-time",
            _("%(service)s: answered within the term, %%") % {"service": title},
            charts.bar_chart(
                [None if v is None else v * 100 for v in shares], labels, texts=[share(v) for v in shares], maximum=100
            ),
        ),
        (
            f"{key}-queue",
            _("%(service)s: waiting %(when)s") % {"service": title, "when": at_end},
            charts.bar_chart([p.queue for p in points], labels, texts=[str(p.queue) for p in points]),
        ),
        (
            f"{key}-oldest",
            _("%(service)s: the oldest waiting %(when)s, %(unit)s") % {"service": title, "when": at_end, "unit": unit},
            charts.bar_chart(waits, labels, texts=[waited(p.oldest_waiting) for p in points]),
        ),
    ]
    rows = [
        {
            "label": label,
            "received": point.received,
            "in_time": share(point.share_in_time),
            "judged": point.in_time + point.late,
            "queue": point.queue,
            "oldest": waited(point.oldest_waiting),
        }
        for label, point in zip(labels, points, strict=True)
    ]
    return Series(key=key, title=title, term=str(term), figures=figures, charts=drawn, rows=rows)


def _totals(figures: Figures) -> dict[str, Any]:
    in_time = sum(p.in_time for p in figures.points)
    judged = in_time + sum(p.late for p in figures.points)
    return {
        "received": sum(p.received for p in figures.points),
        "in_time": share(in_time / judged if judged else None),
        "queue": figures.current.queue,
        "oldest": waited(figures.current.oldest_waiting),
        "past_deadline": figures.past_deadline,
    }


def _attachment(request, kind: str, now, clinic_id: int | None) -> tuple[Series, list, list]:
    from osms.clinics.models import AttachmentApplication, Clinic, Region

    service = SERVICE["attachment"]
    applications = AttachmentApplication.objects.all()
    if clinic_id is not None:  # a registrar
        clinic = Clinic.objects.filter(pk=clinic_id).first()
        figures = service_level.service_figures(
            service, kind=kind, now=now, queryset=applications.filter(clinic_id=clinic_id)
        )
        title = f"{service.label}: {clinic.name if clinic else ''}"
        return series("attachment", title, service.term, figures, kind), [], []
    region = request.GET.get("region", "")
    regions = dict(Region.choices)
    by_region = service_level.service_figures_by(service, group="clinic__region", kind=kind, now=now)
    region_rows = [{"key": key, "name": regions.get(key, key), **_totals(f)} for key, f in sorted(by_region.items())]
    clinic_rows = []
    title = str(service.label)
    if region in regions:
        applications = applications.filter(clinic__region=region)
        title = f"{service.label}: {regions[region]}"
        by_clinic = service_level.service_figures_by(
            service, group="clinic_id", kind=kind, now=now, queryset=applications
        )
        names = {clinic.pk: clinic.name for clinic in Clinic.objects.filter(pk__in=by_clinic)}
        clinic_rows = [{"name": names.get(pk, pk), **_totals(f)} for pk, f in by_clinic.items()]
        clinic_rows.sort(key=lambda row: str(row["name"]))
    figures = service_level.service_figures(service, kind=kind, now=now, queryset=applications)
    return series("attachment", title, service.term, figures, kind), region_rows, clinic_rows


def service_level_view(request):
    """GET ?period=days|weeks&region=<code>: the page; read-only, so no form to attack but its two choices."""
    clinic_id = _clinic_of_registrar(request)
    if clinic_id is None and not request.user.has_perm(MONITORING_PERMISSION):
        raise PermissionDenied
    kind = WEEKS if request.GET.get("period") == WEEKS else DAYS
    now = timezone.now()
    attachment, region_rows, clinic_rows = _attachment(request, kind, now, clinic_id)
    shown = [attachment]
    if clinic_id is None:
        shown = []
        for key in ("statements", "attachment", "temporary_status", "appeals"):
            if key == "attachment":
                shown.append(attachment)
                continue
            service = SERVICE[key]
            figures = service_level.service_figures(service, kind=kind, now=now)
            shown.append(series(key, str(service.label), service.term, figures, kind))
    from osms.clinics.models import Region

    context = {
        **admin.site.each_context(request),
        "title": _("Service level"),
        "kind": kind,
        "series": shown,
        "region_rows": region_rows,
        "clinic_rows": clinic_rows,
        "regions": Region.choices,
        "region": request.GET.get("region", ""),
        "registrar": clinic_id is not None,
    }
    return TemplateResponse(request, "core/admin/service_level.html", context)
