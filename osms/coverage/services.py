"""Every write of the coverage area: register imports, the МЗП table, partners' keys, the log of
status lookups, temporary memberships. Changes to audited models are recorded by django-auditlog
(osms/coverage/audit.py) with the acting user the middleware sets."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import hmac
import io
import logging
import secrets
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import connections, router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from osms.core import csv_safe
from osms.core.leases import heartbeat
from osms.core.outbox import enqueue_on_commit

from .importers import FileUnreadable, ImportSummary, Rejection, run_import
from .models import (
    BenefitCategory,
    BenefitMembership,
    ContributionRates,
    ImportJob,
    MinimumWage,
    PartnerApiKey,
    StatusLookup,
)
from .periods import Period
from .rates import YearRates, rates_problems
from .selectors import mzp_table_forget, rates_table_forget

logger = logging.getLogger("osms.coverage")


# --- register imports ------------------------------------------------------------------------------


def register_import_file(
    *,
    kind: str,
    path: str | Path,
    on_rejected: Callable[[Rejection], None] = lambda rejection: None,
    on_progress: Callable[[ImportSummary], None] = lambda summary: None,
) -> ImportSummary:
    """Import a register file from disk (the management commands). Raises FileUnreadable/OSError."""
    with open(path, "rb") as stream:
        summary = run_import(kind, stream, on_rejected=on_rejected, on_progress=on_progress)
    logger.info("register import %s from %s: %s", kind, path, summary.as_dict())
    return summary


def import_job_create(*, actor, kind: str, file: File) -> ImportJob:
    """Store an uploaded register under the private media root and queue its import."""
    job = ImportJob(kind=kind, created_by=actor, size=file.size or 0)
    job.file.save(Path(file.name or "register.csv").name, file, save=False)
    job.save()
    _queue(job.pk)
    return job


def _queue(job_id: int) -> None:
    from .tasks import import_job_run as task

    enqueue_on_commit(task, job_id)


# A running import renews its lease this often; a lease not renewed for IMPORT_LEASE belongs to a
# worker that died, and the requeue sweep hands the job to another (ADR 0013).
IMPORT_HEARTBEAT_SECONDS = 10
IMPORT_LEASE = dt.timedelta(seconds=45)


def _claim(job_id: int, *, now: dt.datetime) -> uuid.UUID | None:
    """Take the job for this worker: queued, or running under a lease its worker stopped renewing.
    A redelivered message of a job that is being read finds it claimed and leaves it alone."""
    token = uuid.uuid4()
    claimable = Q(status=ImportJob.Status.QUEUED) | Q(
        status=ImportJob.Status.RUNNING, heartbeat_at__lt=now - IMPORT_LEASE
    )
    claimed = ImportJob.objects.filter(claimable, pk=job_id).update(
        status=ImportJob.Status.RUNNING, claim_token=token, heartbeat_at=now, started_at=now, error=""
    )
    return token if claimed else None


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a queued import (the Celery task), once at a time: the job is claimed with a token, and
    only its holder writes counters and the result. A job whose worker died midway is read again
    (the import is idempotent) once the requeue sweep finds its lease expired."""
    token = _claim(job_id, now=timezone.now())
    job = ImportJob.objects.filter(pk=job_id).first()
    if token is None or job is None:
        return job
    mine = ImportJob.objects.filter(pk=job_id, claim_token=token)
    report = io.StringIO()
    writer = csv_safe.writer(report)  # a spreadsheet opens it: no cell may start a formula
    writer.writerow(["line", "reason", "text"])

    def rejected(rejection: Rejection) -> None:
        writer.writerow([rejection.line, rejection.reason, rejection.text])

    def progress(summary: ImportSummary) -> None:
        mine.update(heartbeat_at=timezone.now(), **_counters(summary))

    try:
        with heartbeat(mine, field="heartbeat_at", every=IMPORT_HEARTBEAT_SECONDS), job.file.open("rb") as stream:
            summary = run_import(job.kind, stream, on_rejected=rejected, on_progress=progress)
    except (FileUnreadable, OSError) as exc:
        mine.update(status=ImportJob.Status.FAILED, error=str(exc), finished_at=timezone.now(), claim_token=None)
        job.refresh_from_db()
        return job
    name = job.report.storage.save(
        job.report.field.generate_filename(job, f"import-{job.pk}-rejected.csv"),
        ContentFile(report.getvalue().encode("utf-8")),
    )
    if not mine.update(
        status=ImportJob.Status.DONE, finished_at=timezone.now(), report=name, claim_token=None, **_counters(summary)
    ):
        logger.warning("import job %s was taken over by another worker; its result stands", job_id)
    job.refresh_from_db()
    return job


def _counters(summary: ImportSummary) -> dict[str, int]:
    return {
        "bytes_done": summary.bytes_read,
        "rows_read": summary.read,
        "rows_added": summary.added,
        "rows_updated": summary.updated,
        "rows_unchanged": summary.unchanged,
        "rows_rejected": summary.rejected,
    }


# A job still queued this long after upload lost its task (broker restart): queue it again.
IMPORT_REQUEUE_AFTER = dt.timedelta(seconds=60)


def import_jobs_requeue(*, now: dt.datetime | None = None) -> list[int]:
    """The periodic sweep, the only second chance of a job: the database, not the broker, says which
    imports are still to run — queued ones whose message was lost, and running ones whose worker
    stopped renewing the lease."""
    now = now or timezone.now()
    ids = list(
        ImportJob.objects.filter(
            Q(status=ImportJob.Status.QUEUED, created_at__lte=now - IMPORT_REQUEUE_AFTER)
            | Q(status=ImportJob.Status.RUNNING, heartbeat_at__lt=now - IMPORT_LEASE)
        ).values_list("pk", flat=True)
    )
    for job_id in ids:
        _queue(job_id)
    return ids


# --- the МЗП table -------------------------------------------------------------------------------


def minimum_wage_set(*, actor, year: int, amount: Decimal) -> MinimumWage:
    """Set the МЗП of a year (fund officers, from the budget law); every status answer uses it."""
    wage, _ = MinimumWage.objects.update_or_create(year=year, defaults={"amount": amount})
    transaction.on_commit(mzp_table_forget)
    mzp_table_forget()
    return wage


# --- contribution rates by year ----------------------------------------------------------------


def contribution_rates_set(*, actor, rates: YearRates) -> ContributionRates:
    """Set one year's rates and their source (administrators, from the law); the calculator and
    the who-pays page use them at once. Audited by django-auditlog with the actor of the request."""
    problems = rates_problems(rates)
    if problems:
        raise ValidationError({field: gettext(message) for field, message in problems})
    values = {item.name: getattr(rates, item.name) for item in dataclasses.fields(rates) if item.name != "year"}
    row, _ = ContributionRates.objects.update_or_create(year=rates.year, defaults=values)
    transaction.on_commit(rates_table_forget)
    rates_table_forget()
    return row


# --- partners' API keys ---------------------------------------------------------------------------------

API_KEY_PREFIX_LENGTH = 8


def api_key_hash(secret: str) -> str:
    """SHA-256 is enough: the keys are 256 random bits, not passwords a dictionary could guess."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def api_key_issue(*, actor, name: str) -> tuple[PartnerApiKey, str]:
    """A new key for a partner. The returned key text is shown once and never stored."""
    while True:
        prefix = secrets.token_hex(API_KEY_PREFIX_LENGTH // 2)
        if not PartnerApiKey.objects.filter(prefix=prefix).exists():
            break
    raw = f"osms_{prefix}_{secrets.token_urlsafe(32)}"
    key = PartnerApiKey.objects.create(name=name, prefix=prefix, key_hash=api_key_hash(raw), created_by=actor)
    return key, raw


def api_key_check(raw: str) -> PartnerApiKey | None:
    """The active key that `raw` is, or None. Constant-time comparison of the hashes."""
    from .selectors import api_key_find

    parts = (raw or "").split("_")
    if len(parts) < 3 or parts[0] != "osms" or len(parts[1]) != API_KEY_PREFIX_LENGTH:
        return None
    key = api_key_find(prefix=parts[1])
    if key is None or not hmac.compare_digest(key.key_hash, api_key_hash(raw)):
        return None
    return key


def api_key_deactivate(*, actor, key: PartnerApiKey) -> PartnerApiKey:
    key.is_active = False
    key.save(update_fields=["is_active"])
    return key


# --- the log of status lookups ------------------------------------------------------------------------------


def status_lookup_log(
    *,
    channel: str,
    iin: str,
    on: dt.date,
    insured: bool | None,
    client: str = "",
    api_key: PartnerApiKey | None = None,
) -> None:
    """One row per question asked of the public check or the partner API: a single insert, written
    in SQL because the ORM's save machinery cost more than the insert on the busiest page; the
    values go through the fields' own conversion, so the row is the one `objects.create` wrote.

    On PostgreSQL, outside a transaction, the row's own transaction commits with
    `synchronous_commit` off (ADR 0105): the answer does not wait for the WAL flush. What a crash
    of the database server may lose is the lookups of its last ~0.6 s (3 × wal_writer_delay), never
    part of a row, never another transaction's write; a crash of the web server loses nothing.
    Inside a caller's transaction the plain insert is used, so that the caller's commit keeps its
    durability."""
    connection = connections[router.db_for_write(StatusLookup)]
    asynchronous = connection.vendor == "postgresql" and not connection.in_atomic_block
    fields, sql = _status_lookup_insert(connection.alias, asynchronous=asynchronous)
    values = {
        "at": timezone.now(),
        "channel": channel,
        "iin": iin[:12],
        "on": on,
        "insured": insured,
        "client": client[:45],
        "api_key": None if api_key is None else api_key.pk,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, [field.get_db_prep_save(values[field.name], connection) for field in fields])


@functools.cache
def _status_lookup_insert(alias: str, *, asynchronous: bool = False) -> tuple[list, str]:
    connection = connections[alias]
    fields = [
        StatusLookup._meta.get_field(name) for name in ("at", "channel", "iin", "on", "insured", "client", "api_key")
    ]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(StatusLookup._meta.db_table)
    placeholders = ", ".join(["%s"] * len(fields))
    if asynchronous:
        # set_config(..., true) holds for the statement's own (implicit) transaction only; the
        # setting is read when that transaction commits. One round trip, as the plain insert.
        return fields, (
            f"INSERT INTO {table} ({columns}) SELECT {placeholders}"  # noqa: S608  # nosec B608 # quoted model names, values bound as parameters
            " FROM (SELECT set_config('synchronous_commit', 'off', true)) AS lookup_durability"
        )
    return fields, f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608  # nosec B608 # quoted model names, values bound as parameters


# --- memberships ------------------------------------------------------------------------------------


def membership_grant_temporary(*, actor, iin: str, category: int, start: dt.date) -> BenefitMembership:
    """A temporary status granted by the Fund (docs/domain.md §7): the category for one month from `start`.

    For the temporary-status service; the status answer sees it at once (rule 1)."""
    BenefitCategory.objects.get(number=category)
    period = Period.of(start)
    following = period + 1
    end = dt.date(following.year, following.month, min(start.day, following.last_day.day)) - dt.timedelta(days=1)
    membership, _ = BenefitMembership.objects.get_or_create(
        iin=iin,
        category_id=category,
        start=start,
        source=BenefitMembership.Source.TEMPORARY_STATUS,
        defaults={"end": end, "temporary": True},
    )
    return membership
