"""Thin Celery tasks of the coverage area: an id in, a service call, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(name="osms.coverage.tasks.import_job_run")
def import_job_run(job_id: int) -> str | None:
    job = services.import_job_run(job_id=job_id)
    return None if job is None else job.status


@shared_task(name="osms.coverage.tasks.import_jobs_requeue")
def import_jobs_requeue() -> int:
    return len(services.import_jobs_requeue())
