"""How far a register import has come, for the back office's live progress (docs/adr/0015): rows done
of the total, rejected so far, and the time left estimated from the rate so far.

The job's counters are written by the importer after every batch or chunk (services.import_job_run's
`on_progress`). The file's row count is known only once it has been read to the end; until then it is
estimated from the bytes read. An import has two kinds of work: reading and checking the file (bytes)
and storing the rows (rows settled: added, updated, unchanged or rejected). The portable path does both
together; the PostgreSQL payments path reads the whole file first and then applies it in chunks, the
apply taking about four fifths of the time (docs/performance.md: check and stage 27.8 s, apply 104.1 s),
so the share of work done weighs the two accordingly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .models import ImportJob

READ_WEIGHT = 0.2  # the share of an import's time spent reading and checking the file
FINAL = (ImportJob.Status.DONE, ImportJob.Status.FAILED)


@dataclass(frozen=True)
class ImportProgress:
    state: str
    final: bool
    rows_done: int  # settled: added, updated, unchanged or rejected
    rows_total: int | None  # None until a byte has been read
    total_exact: bool  # the file has been read to the end
    rejected: int
    percent: int
    seconds_left: int | None  # None when it cannot be estimated yet (or the import is over)

    @property
    def version(self) -> str:
        """Changes whenever anything the page shows changes."""
        return f"{self.state}:{self.rows_done}:{self.rows_total}:{self.rejected}:{self.percent}"


def import_progress(job: ImportJob, *, now: dt.datetime) -> ImportProgress:
    settled = job.rows_added + job.rows_updated + job.rows_unchanged + job.rows_rejected
    read_all = job.status == ImportJob.Status.DONE or (job.size > 0 and job.bytes_done >= job.size)
    if read_all:
        total = max(job.rows_read, settled)
    elif job.bytes_done > 0 and job.size > 0:
        total = max(round(job.rows_read * job.size / job.bytes_done), settled)
    else:
        total = None
    if job.status == ImportJob.Status.DONE:
        share = 1.0
    else:
        read_share = min(1.0, job.bytes_done / job.size) if job.size else 0.0
        settled_share = min(1.0, settled / total) if total else 0.0
        share = READ_WEIGHT * read_share + (1 - READ_WEIGHT) * settled_share
    seconds_left = None
    if job.status == ImportJob.Status.RUNNING and job.started_at is not None and 0 < share < 1:
        elapsed = max(0.0, (now - job.started_at).total_seconds())
        seconds_left = round(elapsed * (1 - share) / share)
    return ImportProgress(
        state=job.status,
        final=job.status in FINAL,
        rows_done=settled,
        rows_total=total,
        total_exact=read_all,
        rejected=job.rows_rejected,
        percent=int(share * 100),
        seconds_left=seconds_left,
    )
