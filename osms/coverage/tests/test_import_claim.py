"""A register import runs once at a time: the job is claimed with a token and kept by a heartbeat
lease; a redelivered message leaves a running job alone, and the requeue sweep alone takes over the
job of a worker that stopped beating."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from osms.coverage import services
from osms.coverage.importers.parsing import PAYMENTS_HEADER
from osms.coverage.models import ImportJob, Payment

from .factories import iin, payment_line, register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def job(tmp_path):
    upload = SimpleUploadedFile("p.csv", register(PAYMENTS_HEADER, [payment_line(iin(), "012024")]))
    return services.import_job_create(actor=None, kind="payments", file=upload)  # its task never ran


def test_a_redelivered_message_leaves_a_running_import_alone(job):
    ImportJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=timezone.now())
    assert services.import_job_run(job_id=job.pk).status == "running"
    assert Payment.objects.count() == 0 and services.import_jobs_requeue() == []


def test_the_sweep_takes_over_an_import_whose_worker_stopped_beating(job, django_capture_on_commit_callbacks):
    stale = timezone.now() - services.IMPORT_LEASE - dt.timedelta(seconds=1)
    ImportJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=stale, claim_token=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.import_jobs_requeue() == [job.pk]
    job.refresh_from_db()
    assert job.status == "done" and job.rows_added == 1 and job.claim_token is None
    assert services.import_jobs_requeue() == []


def test_a_queued_import_whose_message_was_lost_is_queued_again_within_a_minute(
    job, time_machine, django_capture_on_commit_callbacks
):
    assert services.import_jobs_requeue() == []
    time_machine.move_to(timezone.now() + services.IMPORT_REQUEUE_AFTER + dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.import_jobs_requeue() == [job.pk]
    job.refresh_from_db()
    assert job.status == "done" and Payment.objects.count() == 1


def test_a_superseded_worker_does_not_write_the_result(job, monkeypatch):
    real_run = services.run_import

    def taken_over_midway(kind, stream, **kwargs):
        summary = real_run(kind, stream, **kwargs)
        ImportJob.objects.filter(pk=job.pk).update(claim_token=None)  # another worker claimed it
        return summary

    monkeypatch.setattr(services, "run_import", taken_over_midway)
    assert services.import_job_run(job_id=job.pk).status == "running"
