"""The plan of a bulk payments import (importers/bulk.py): the file cut into chunks by ranges of
the consumer's IIN, and which lane (database session) applies which chunk."""

from __future__ import annotations

import bisect
from typing import BinaryIO

from django.db import connection


class Plan:
    """The file cut into chunks by ranges of the consumer's IIN (`bounds`: chunk j holds the
    consumers from bounds[j-1] inclusive to bounds[j] exclusive), each chunk one transaction of
    about batch_size rows; consecutive chunks go to the same lane, so each lane walks one range
    of the identity index from its start to its end."""

    def __init__(self, bounds: list[str], lanes: int):
        self.bounds = bounds
        self.chunks = len(bounds) + 1
        self.lanes = min(lanes, self.chunks)
        self.rows = [0] * self.chunks

    def chunk_of(self, consumer: str) -> int:
        return bisect.bisect_right(self.bounds, consumer)

    def lane_of(self, chunk: int) -> int:
        return chunk * self.lanes // self.chunks

    def lane_chunks(self, lane: int) -> list[int]:
        return [chunk for chunk in range(self.chunks) if self.lane_of(chunk) == lane]


def plan_chunks(stream: BinaryIO, first_block, first_size: int, lanes: int, batch_size: int) -> Plan:
    """Chunks of about batch_size rows: their number from the file's size, their bounds from the
    stored population (the table's statistics, whatever the order of the file) or, for a table
    without statistics, from the first block's consumers."""
    good, lines = first_block
    size = _stream_size(stream)
    estimate = lines if size is None or not first_size else size * lines // first_size
    chunks = max(lanes, -(-estimate // batch_size))
    bounds = _bounds_from_statistics(chunks) or _bounds_from_sample(good["consumer_iin"], chunks)
    return Plan(bounds, lanes)


def _stream_size(stream: BinaryIO) -> int | None:
    try:
        at = stream.tell()
        size = stream.seek(0, 2)
        stream.seek(at)
    except (AttributeError, OSError, ValueError):
        return None
    return size


def _bounds_from_statistics(chunks: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT histogram_bounds::text::text[] FROM pg_stats"
            " WHERE schemaname = current_schema() AND tablename = 'coverage_payment' AND attname = 'consumer_iin'"
        )
        row = cursor.fetchone()
    histogram = row[0] if row and row[0] else []
    if len(histogram) < 2 * chunks:
        return []  # too coarse for chunks of the size asked
    return sorted({histogram[len(histogram) * k // chunks] for k in range(1, chunks)})


def _bounds_from_sample(consumers, chunks: int) -> list[str]:
    if consumers.len() == 0 or chunks == 1:
        return []
    ordered = consumers.sort()
    return sorted({ordered[ordered.len() * k // chunks] for k in range(1, chunks)})
