"""Thin Celery tasks of the statement service: an id in, a service call, safe to run twice.

Late acknowledgement and reject-on-worker-lost are the project's settings (portal/settings/base.py):
a message is acknowledged only when the task has finished, so a worker killed mid-task leaves it to be
delivered again. The time limits bound how long a live worker can hold a claim (selectors.STALE_CLAIM).
docs/adr/0202-statement-processing.md.
"""

from celery import shared_task

from . import services


@shared_task(
    name="osms.statements.tasks.statement_process",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=50,
    time_limit=60,
    max_retries=3,
)
def statement_process(self, request_id: int) -> str:
    try:
        return services.statement_process(request_id=request_id)
    except Exception as exc:
        # The request is back to "received"; a short retry (well under the broker's visibility timeout),
        # and after the last one the sweep still finds it.
        raise self.retry(exc=exc, countdown=min(15 * 2**self.request.retries, 120)) from exc


@shared_task(name="osms.statements.tasks.statements_sweep")
def statements_sweep() -> dict[str, int]:
    return services.statements_sweep()
