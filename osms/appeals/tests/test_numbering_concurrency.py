"""Registration numbers under concurrent filing, on PostgreSQL with real threads and connections: no
duplicate, no gap, even when the year's counter row does not exist yet and some registrations fail
after taking their number."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection, transaction

from osms.appeals.models import Appeal, AppealCounter
from osms.core.calendar import ALMATY

from .factories import appeal_file

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 24
EACH = 6


class Failed(Exception):
    """A registration that fails after its number was taken (the database, a file, anything)."""


def run_concurrently(work, count: int) -> list[BaseException]:
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def target(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            work(index)
        except BaseException as exc:  # collected and re-raised in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT ... FOR UPDATE) need PostgreSQL; SQLite serialises every writer anyway")


def test_concurrent_filing_gives_every_number_once_and_leaves_no_gap(postgresql, citizen):
    now = dt.datetime(2031, 2, 3, 10, 0, tzinfo=ALMATY)  # a year whose counter row does not exist yet
    assert not AppealCounter.objects.filter(year=2031).exists()
    rolled_back = []

    def work(index: int) -> None:
        for attempt in range(EACH):
            if (index + attempt) % 4 == 0:
                # Every fourth registration fails after taking its number: it must give it back.
                try:
                    with transaction.atomic():
                        appeal_file(citizen=citizen, now=now)
                        time.sleep(0.005)  # others queue on the counter meanwhile
                        raise Failed
                except Failed:
                    rolled_back.append(index)
            else:
                appeal_file(citizen=citizen, now=now)

    started = time.perf_counter()
    errors = run_concurrently(work, THREADS)
    elapsed = time.perf_counter() - started
    assert not errors, errors
    committed = THREADS * EACH - len(rolled_back)
    sequences = sorted(Appeal.objects.filter(year=2031).values_list("sequence", flat=True))
    assert len(sequences) == committed
    assert sequences == list(range(1, committed + 1))  # no duplicate, no gap
    numbers = list(Appeal.objects.filter(year=2031).values_list("number", flat=True))
    assert len(set(numbers)) == committed and all(n.startswith("2031-") for n in numbers)
    assert AppealCounter.objects.get(year=2031).last == committed
    print(f"\n{committed} appeals registered by {THREADS} threads in {elapsed:.2f} s")
