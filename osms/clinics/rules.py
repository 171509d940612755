"""The rules of clinic attachment as pure functions over plain values: no database here.

- whether a person may apply for a reason today (once-a-year choice, change of residence, campaign);
- whether a clinic may be chosen (a supplier of the Fund, not the clinic one is attached to);
- which district serves an address (the suggestion shown to the registrar);
- the Fund's figures (median, share in time).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import AttachmentApplication, Reason

Status = AttachmentApplication.Status

# --- who may apply, for which reason, to which clinic ----------------------------------------------


@dataclass(frozen=True)
class Policy:
    """The re-attachment rules in force (AttachmentPolicy's row as plain values)."""

    choice_interval_months: int = 12
    campaign_starts: dt.date | None = None
    campaign_ends: dt.date | None = None

    def in_campaign(self, today: dt.date) -> bool:
        return bool(self.campaign_starts and self.campaign_ends and self.campaign_starts <= today <= self.campaign_ends)


@dataclass(frozen=True)
class CurrentAttachment:
    """What the rules need of the person's current attachment."""

    clinic_id: int
    started_on: dt.date
    clinic_is_supplier: bool


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    message: str = ""


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the 31st becomes the month's last day when it has none."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def free_choice_from(current: CurrentAttachment, policy: Policy) -> dt.date:
    return add_months(current.started_on, policy.choice_interval_months)


def reason_verdict(reason: str, *, current: CurrentAttachment | None, policy: Policy, today: dt.date) -> Verdict:
    """May the person apply today for this reason? The message says why not, and what to do."""
    if current is None:
        if reason == Reason.FIRST:
            return Verdict(True)
        return Verdict(False, _("You are not attached to any clinic: this is your first attachment."))
    if reason == Reason.FIRST:
        return Verdict(False, _("You are already attached to a clinic: choose why you want to change it."))
    if reason == Reason.RESIDENCE:
        return Verdict(True)
    if reason == Reason.CLINIC_LEFT:
        if not current.clinic_is_supplier:
            return Verdict(True)
        return Verdict(
            False,
            _("Your clinic still serves the Fund's patients. Choose another reason if you want to change it."),
        )
    if reason == Reason.CHOICE:
        allowed_from = free_choice_from(current, policy)
        if today >= allowed_from or policy.in_campaign(today):
            return Verdict(True)
        return Verdict(
            False,
            _(
                "You may choose another clinic once in %(months)d months: from %(date)s. "
                "If you have moved, choose “Change of residence”: that is possible at any time."
            )
            % {"months": policy.choice_interval_months, "date": date_format(allowed_from, "SHORT_DATE_FORMAT")},
        )
    return Verdict(False, _("Choose a reason from the list."))


def reason_verdicts(*, current: CurrentAttachment | None, policy: Policy, today: dt.date) -> dict[str, Verdict]:
    return {reason: reason_verdict(reason, current=current, policy=policy, today=today) for reason in Reason.values}


@dataclass(frozen=True)
class ClinicFacts:
    id: int
    is_fund_supplier: bool
    supplier_from: dt.date | None
    supplier_until: dt.date | None


def is_supplier_on(clinic: ClinicFacts, day: dt.date) -> bool:
    """A supplier of the Fund on that day (flag on, and the day inside the supply period when one is set)."""
    if not clinic.is_fund_supplier:
        return False
    if clinic.supplier_from and day < clinic.supplier_from:
        return False
    return not (clinic.supplier_until and day > clinic.supplier_until)


def clinic_verdict(clinic: ClinicFacts, *, current: CurrentAttachment | None, today: dt.date) -> Verdict:
    if current is not None and current.clinic_id == clinic.id:
        return Verdict(False, _("You are already attached to this clinic. Choose another clinic."))
    if not is_supplier_on(clinic, today):
        return Verdict(False, _("This clinic does not serve the Fund's patients now. Choose another clinic."))
    return Verdict(True)


# --- which district serves an address ----------------------------------------------------------------

# Kinds of street written before or after the name; they do not tell streets apart.
_STREET_KINDS = {
    "ул",
    "улица",
    "пр",
    "пр-т",
    "прт",
    "проспект",
    "пер",
    "переулок",
    "б-р",
    "бульвар",
    "мкр",
    "мкрн",
    "микрорайон",
    "ш",
    "шоссе",
    "пл",
    "площадь",
    "көшесі",
    "көш",
    "даңғылы",
    "даң",
    "шағын",
    "ауданы",
    "шағынаудан",
    "st",
    "street",
    "ave",
    "avenue",
}
_WORD = re.compile(r"[0-9a-zа-яёәғқңөұүһі-]+", re.IGNORECASE)
_HOUSE = re.compile(r"\d+")


def normalise_street(text: str) -> str:
    """'ул. Абая', 'Абая көшесі' and 'АБАЯ' all become 'абая'."""
    words = [word.strip("-") for word in _WORD.findall((text or "").lower().replace("ё", "е"))]
    return " ".join(word for word in words if word and word not in _STREET_KINDS)


def house_number(text: str) -> int | None:
    """The number a house is found by: '10А' and '10/2' are both in house 10's range."""
    match = _HOUSE.search(text or "")
    return int(match.group()) if match else None


@dataclass(frozen=True)
class StreetLine:
    street: str  # normalised
    houses: tuple[tuple[int, int], ...]  # inclusive ranges; empty = the whole street


class StreetLineError(ValueError):
    pass


def parse_street_line(line: str) -> StreetLine:
    """'ул. Абая: 1-25, 27' → StreetLine('абая', ((1, 25), (27, 27))). Raises StreetLineError."""
    name, _sep, houses_text = line.partition(":")
    street = normalise_street(name)
    if not street:
        raise StreetLineError(_("“%(line)s”: the street name is missing.") % {"line": line.strip()})
    houses: list[tuple[int, int]] = []
    for part in filter(None, (piece.strip() for piece in houses_text.split(","))):
        low, dash, high = part.partition("-")
        try:
            first = int(low.strip())
            last = int(high.strip()) if dash else first
        except ValueError:
            raise StreetLineError(_("“%(line)s”: write house numbers as 1-25, 27.") % {"line": line.strip()}) from None
        if first <= 0 or last < first:
            raise StreetLineError(
                _("“%(line)s”: the range %(range)s is empty.") % {"line": line.strip(), "range": part}
            )
        houses.append((first, last))
    return StreetLine(street=street, houses=tuple(houses))


def parse_streets(text: str) -> list[StreetLine]:
    """Lines of a district's streets; bad lines are skipped here (the import and the admin reject them)."""
    lines = []
    for raw in (text or "").splitlines():
        if raw.strip():
            try:
                lines.append(parse_street_line(raw))
            except StreetLineError:
                continue
    return lines


def suggest_districts(*, street: str, house: str, districts: Iterable[tuple[int, str]]) -> list[int]:
    """Ids of the districts serving the address, best first: a matching house range beats a whole street."""
    wanted, number = normalise_street(street), house_number(house)
    if not wanted:
        return []
    by_range, by_street = [], []
    for district_id, streets in districts:
        for line in parse_streets(streets):
            if line.street != wanted:
                continue
            if not line.houses:
                by_street.append(district_id)
                break
            if number is not None and any(low <= number <= high for low, high in line.houses):
                by_range.append(district_id)
                break
    return list(dict.fromkeys(by_range + by_street))


# --- figures -------------------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
