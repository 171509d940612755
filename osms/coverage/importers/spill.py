"""The checked rows of a bulk payments import kept on local disk, one file per chunk, until the
chunk is applied (importers/bulk.py, docs/adr/0110-payments-import-direct-copy.md).

While the file is read, each block's accepted rows are appended to their chunk's file as COPY
text (the columns of columnar.COPY_COLUMNS), so memory holds a block, never the file. A chunk is
then read back whole (about batch_size rows), sorted by the identity - text in byte order, as
COLLATE "C" sorts - then by line, and the first row of each identity kept: the rows a new chunk
stores, ready for `COPY coverage_payment FROM STDIN` in the identity index's order. A later
ВОЗВРАТ of an accepted row in the same chunk is folded into the row it returns, as the apply's
UPDATE would leave it, and counted as an update.

The directory is private (mkdtemp: mode 0700), made in PAYMENTS_IMPORT_SPILL_DIR (or the system's
temp directory) and removed when the import ends, however it ends. The rows name people: a
directory left by a process killed outright (no `finally` runs) is removed by the next import
once none of its files has been written for STALE_SECONDS, far longer than any import takes.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import time
from pathlib import Path

import polars as pl
from django.conf import settings

from .columnar import COPY_COLUMNS, FIELDS

IDENTITY = ("consumer_iin", "period", "received", "payer_id", "number")
# The columns of coverage_payment that a COPY of new rows fills, and where they come from.
STORED_COLUMNS = (
    "received",
    "number",
    "knp",
    "payer_name",
    "payer_id",
    "consumer_iin",
    "amount",
    "status",
    "period",
    "refund_amount",
)
_FROM = FIELDS  # in the order of STORED_COLUMNS
_READ_BYTES = 1 << 20
_PREFIX = "osms-payments-"
STALE_SECONDS = 6 * 3600  # a 15 M-row month takes minutes (docs/performance.md)


class Spill:
    """A private directory with one file of COPY text per chunk."""

    def __init__(self) -> None:
        where = getattr(settings, "PAYMENTS_IMPORT_SPILL_DIR", "") or None
        self.directory = Path(tempfile.mkdtemp(prefix=_PREFIX, dir=where))
        remove_stale(self.directory.parent, keep=self.directory)

    def path(self, chunk: int) -> Path:
        return self.directory / f"chunk-{int(chunk)}.tsv"

    def append(self, pieces: dict[int, bytes]) -> None:
        """Append each chunk's COPY text (whole lines) to its file."""
        for chunk, data in pieces.items():
            if data:
                with self.path(chunk).open("ab") as file:
                    file.write(data)

    def pieces(self, chunk: int):
        """The chunk's COPY text, a megabyte at a time."""
        path = self.path(chunk)
        if not path.exists():
            return
        with path.open("rb") as file:
            while data := file.read(_READ_BYTES):
                yield data

    def frame(self, chunk: int) -> pl.DataFrame:
        """The chunk's rows, every column as the text COPY reads (\\N included)."""
        path = self.path(chunk)
        schema = dict.fromkeys(COPY_COLUMNS, pl.String)
        if not path.exists() or not path.stat().st_size:
            return pl.DataFrame(schema=schema)
        return pl.read_csv(
            path,
            has_header=False,
            separator="\t",
            quote_char=None,
            schema=schema,
            empty_string_is_null=False,
            null_values=None,
            infer_schema=False,
        )

    def remove(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def remove_stale(parent: Path, *, keep: Path) -> None:
    """Remove the spill directories of imports killed outright: nothing written for STALE_SECONDS."""
    limit = time.time() - STALE_SECONDS
    for directory in parent.glob(f"{_PREFIX}*"):
        if directory == keep or not directory.is_dir():
            continue
        try:
            written = max([directory.stat().st_mtime, *(path.stat().st_mtime for path in directory.iterdir())])
        except OSError:
            continue  # another import removed it meanwhile
        if written < limit:
            shutil.rmtree(directory, ignore_errors=True)


def new_rows(frame: pl.DataFrame) -> tuple[bytes, int, int]:
    """The rows a chunk stores when none of its identities is stored yet, as COPY text in identity
    order (STORED_COLUMNS), with (added, updated) as the merge and the UPDATE would count them:
    the first row of each identity in line order; marked returned, with the refund of the first
    ВОЗВРАТ of its identity, when it is accepted and a ВОЗВРАТ of it follows."""
    keys = list(IDENTITY)
    ordered = frame.with_columns(pl.col("line").cast(pl.Int64)).sort([*keys, "line"])
    # Sorted, an identity's rows are consecutive: its first row is where a key changes.
    starts = pl.any_horizontal([pl.col(key) != pl.col(key).shift(1) for key in keys]).fill_null(True)
    ordered = ordered.with_columns(starts.cum_sum().alias("identity"))
    first = ordered.filter(pl.col("identity").is_first_distinct())
    returns = ordered.filter((pl.col("status") == "returned") & pl.col("identity").is_first_distinct().not_())
    update = (pl.col("status") == "accepted") & pl.col("back_refund").is_not_null()
    if returns.height:
        back = returns.filter(pl.col("identity").is_first_distinct()).select(
            "identity", pl.col("refund").alias("back_refund")
        )
        first = first.join(back, on="identity", how="left", maintain_order="left")
    else:
        first = first.with_columns(pl.lit(None, pl.String).alias("back_refund"))
    rows = first.with_columns(
        pl.when(update).then(pl.lit("returned")).otherwise(pl.col("status")).alias("status"),
        pl.when(update).then(pl.col("back_refund")).otherwise(pl.col("refund")).alias("refund"),
    ).select(_FROM)
    buffer = io.BytesIO()
    rows.write_csv(buffer, include_header=False, separator="\t", quote_style="never", null_value="\\N")
    updated = first.select(update.sum()).item()
    return buffer.getvalue(), first.height, int(updated or 0)
