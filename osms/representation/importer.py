"""The representation register (DOMAIN §13) through the coverage area's import machinery:
`ИИН подопечного;ИИН представителя;Основание;Начало;Окончание`, idempotent by
(ward, representative, ground, start); a changed end is an update."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from django.utils.translation import gettext as _

from osms.coverage.importers.parsing import Line, RowError, parse_date, parse_iin, split
from osms.coverage.importers.writers import Counts, changed_rows

from . import rules
from .models import Representation

KIND = "wards"  # ImportJob.kind (at most 10 characters)
HEADER = ("ИИН подопечного", "ИИН представителя", "Основание", "Начало", "Окончание")


class RepresentationRow(NamedTuple):
    line: int
    ward_iin: str
    representative_iin: str
    ground: str
    start: dt.date
    end: dt.date | None


def _column(column: str, parse, value: str):
    try:
        return parse(value)
    except RowError as exc:
        raise RowError(f"{column}: {exc}") from None


def parse_row(line: Line, *, today: dt.date) -> RepresentationRow:
    ward, representative, ground_text, start_text, end_text = split(line, len(HEADER))
    ward = _column(HEADER[0], parse_iin, ward)
    representative = _column(HEADER[1], parse_iin, representative)
    ground = rules.REGISTER_GROUNDS.get(ground_text.casefold())
    if ground is None:
        raise RowError(
            _("Основание: %(value)s is not one of родитель, опекун, попечитель") % {"value": repr(ground_text)}
        )
    start = _column(HEADER[3], parse_date, start_text)
    end = _column(HEADER[4], parse_date, end_text) if end_text else None
    if end is not None and end < start:
        raise RowError(_("Окончание: %(end)s is before the start %(start)s") % {"end": end_text, "start": start_text})
    problem = rules.ground_problem(ground=ground, ward_iin=ward, representative_iin=representative, start=start)
    if problem == "self":
        raise RowError(_("ИИН представителя: the same person as the ward"))
    if problem == "adult":
        raise RowError(
            _("Основание: the ward was already 18 on %(start)s; a parent acts only for a minor") % {"start": start_text}
        )
    return RepresentationRow(line.number, ward, representative, ground, start, end)


def write(rows: Sequence[RepresentationRow]) -> Counts:
    """One batch, inside the caller's transaction: new identities created, changed ends updated."""
    counts = Counts()
    stored: dict[tuple, tuple[int | None, dt.date | None]] = {
        (ward, representative, ground, start): (pk, end)
        for pk, ward, representative, ground, start, end in Representation.objects.filter(
            ward_id__in={row.ward_iin for row in rows}
        ).values_list("pk", "ward_id", "representative_iin", "ground", "start", "end")
    }
    final = changed_rows(
        rows, stored, counts, identity=lambda row: (row.ward_iin, row.representative_iin, row.ground, row.start)
    )
    creates, updates = [], []
    for identity, row in final.items():
        pk = stored[identity][0]
        right = Representation(
            pk=pk,
            ward_id=row.ward_iin,
            representative_iin=row.representative_iin,
            ground=row.ground,
            start=row.start,
            end=row.end,
            source=Representation.Source.REGISTER,
        )
        (creates if pk is None else updates).append(right)
    Representation.objects.bulk_create(creates, batch_size=500)
    Representation.objects.bulk_update(updates, ["end"], batch_size=500)
    return counts
