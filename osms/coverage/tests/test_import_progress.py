"""A register import's live progress in the back office (docs/adr/0015): rows done of the total, rejected so
far and the time left from the rate so far; the counters the job's page polls, for staff only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from osms.accounts.models import Role
from osms.accounts.roles import roles_sync
from osms.coverage import services
from osms.coverage.import_progress import import_progress
from osms.coverage.importers.parsing import PAYMENTS_HEADER
from osms.coverage.models import ImportJob

from .factories import iin, payment_line, register

START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
Status = ImportJob.Status


def job(**fields) -> ImportJob:
    return ImportJob(**{"kind": "payments", "size": 1000, "started_at": START, **fields})


def test_before_a_byte_is_read_nothing_is_estimated():
    progress = import_progress(job(status=Status.QUEUED, started_at=None), now=START)
    assert (progress.rows_done, progress.rows_total, progress.percent, progress.seconds_left) == (0, None, 0, None)
    assert not progress.final


def test_reading_and_storing_together_estimate_the_total_from_the_bytes_and_the_time_from_the_rate():
    # The portable path: a quarter of the file read and stored in 30 s.
    progress = import_progress(
        job(status=Status.RUNNING, bytes_done=250, rows_read=50, rows_added=45, rows_rejected=5),
        now=START + dt.timedelta(seconds=30),
    )
    assert (progress.rows_done, progress.rows_total, progress.total_exact) == (50, 200, False)
    assert progress.rejected == 5 and progress.percent == 25
    assert progress.seconds_left == 90  # three more quarters at the same rate


def test_once_the_file_is_read_the_total_is_exact_and_the_apply_is_most_of_the_work():
    # The PostgreSQL payments path: the whole file read and checked, half of its rows applied.
    progress = import_progress(
        job(status=Status.RUNNING, bytes_done=1000, rows_read=400, rows_added=190, rows_rejected=10),
        now=START + dt.timedelta(seconds=60),
    )
    assert (progress.rows_done, progress.rows_total, progress.total_exact) == (200, 400, True)
    assert progress.percent == 60  # 20 % for reading, 40 % of the 80 % for applying
    assert progress.seconds_left == 40


def test_a_finished_import_is_final_with_nothing_left():
    done = import_progress(job(status=Status.DONE, bytes_done=1000, rows_read=400, rows_added=400), now=START)
    assert (done.final, done.percent, done.seconds_left, done.rows_total) == (True, 100, None, 400)
    failed = import_progress(job(status=Status.FAILED), now=START)
    assert failed.final and failed.seconds_left is None


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.mark.django_db
def test_the_job_page_follows_the_import_and_only_staff_read_its_counters(
    make_user, staff_client, client, django_capture_on_commit_callbacks
):
    roles_sync()
    officer_user = make_user(role=Role.FUND_OFFICER)
    officer = staff_client(officer_user)
    lines = [payment_line(iin(), "012024") for _ in range(3)] + [payment_line(iin(), "022024", knp="999")]
    upload = SimpleUploadedFile("payments.csv", register(PAYMENTS_HEADER, lines), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=False):  # the task waits on the queue
        queued = services.import_job_create(actor=officer_user, kind="payments", file=upload)
    page_url = reverse("admin:coverage_importjob_change", args=[queued.pk])
    progress_url = reverse("admin:coverage_importjob_progress", args=[queued.pk])

    answer = officer.get(progress_url)
    assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]
    assert answer.json()["state"] == "queued" and answer.json()["final"] is False
    page = officer.get(page_url).content.decode()
    assert f'data-progress-url="{progress_url}"' in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page

    # Halfway, as the importer leaves the counters after a batch.
    ImportJob.objects.filter(pk=queued.pk).update(
        status=Status.RUNNING, started_at=timezone.now(), bytes_done=queued.size // 2, rows_read=2, rows_added=2
    )
    halfway = officer.get(progress_url).json()
    assert halfway["state"] == "running" and halfway["rows_done"] == 2 and halfway["rejected"] == 0
    assert halfway["version"] != answer.json()["version"]
    page = officer.get(page_url).content.decode()
    assert 'id="import-progress-rows">2 of about' in page
    region = officer.get(progress_url, {"fragment": "region"})
    assert "no-store" in region["Cache-Control"]
    assert region.content.decode().lstrip().startswith("<div data-progress-region>")
    assert 'id="import-progress-rows">2 of about' in region.content.decode()

    # That halfway state was drawn by hand, with no worker's claim behind it: the job goes back to the
    # queue, and the real run takes it from there.
    ImportJob.objects.filter(pk=queued.pk).update(
        status=Status.QUEUED, started_at=None, bytes_done=0, rows_read=0, rows_added=0
    )
    services.import_job_run(job_id=queued.pk)
    done = officer.get(progress_url).json()
    assert (done["state"], done["final"], done["rows_done"], done["rows_total"], done["rejected"]) == (
        "done",
        True,
        4,
        4,
        1,
    )
    page = officer.get(page_url).content.decode()
    assert 'id="import-progress-rows">4 of 4<' in page and "data-progress-url" not in page
    assert 'http-equiv="refresh"' not in page

    # A citizen, or nobody signed in, gets the back office's sign-in instead of the counters.
    client.logout()
    assert client.get(progress_url).status_code == 302
    client.force_login(make_user())
    assert client.get(progress_url).status_code == 302
