"""Short leases kept alive by a heartbeat, for work that may run longer than any fixed stale time.

A claim (a conditional UPDATE that hands out a token) says "this worker has it"; a fixed stale-claim
time then has to exceed the longest run, so a dead worker's work waits that long. A lease instead
is short and renewed: while the holder works, a thread of its own writes the heartbeat column every
`every` seconds (its own database connection, so the work's transactions do not matter); when the
worker dies the heartbeats stop, and the area's sweep takes the work over one lease later
(docs/adr/0013-redis-is-not-the-record.md).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections
from django.utils import timezone

logger = logging.getLogger("osms.leases")


@contextmanager
def heartbeat(queryset, *, field: str, every: float) -> Iterator[threading.Event]:
    """Set `field` to now on the rows of `queryset` every `every` seconds until the block ends.

    `queryset` should name the claim's token (filter(pk=..., claim_token=token)): a worker whose
    claim was taken over then stops renewing it. Yields an event set when the claim was lost.
    """
    stop, lost = threading.Event(), threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    if not queryset.update(**{field: timezone.now()}):
                        logger.warning("lease of %s lost: another worker holds it", queryset.model.__name__)
                        lost.set()
                        return
                except Exception as exc:  # a database blip: the next beat tries again
                    logger.warning("lease heartbeat of %s failed: %s", queryset.model.__name__, exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, name="lease-heartbeat", daemon=True)
    thread.start()
    try:
        yield lost
    finally:
        stop.set()
        thread.join(timeout=every + 5)
