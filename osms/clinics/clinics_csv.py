"""Reading the clinics file (docs/clinics-csv.md): clinics, their districts, streets and doctors.

No database here: the file becomes rows of plain values, and every bad line a rejection with its
number and reason, while the good lines are kept (the convention of docs/domain.md §13).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.utils.translation import gettext as _

from osms.coverage.importers.parsing import read_lines

from .models import Region
from .rules import StreetLineError, parse_street_line

SEPARATOR = ";"
BOM = b"\xef\xbb\xbf"
HEADER = (
    "Код",
    "Наименование на казахском",
    "Наименование на русском",
    "Регион",
    "Населённый пункт",
    "Адрес",
    "Телефон",
    "Режим работы",
    "Поставщик Фонда",
    "Поставщик с",
    "Поставщик по",
    "Участок",
    "Врач участка",
    "Адреса участка",
)
STREETS_SEPARATOR = "|"

# The Russian names of the regions as the Fund's registers write them; the codes are accepted too.
REGION_NAMES = {
    "г. астана": Region.ASTANA,
    "астана": Region.ASTANA,
    "г. алматы": Region.ALMATY_CITY,
    "алматы": Region.ALMATY_CITY,
    "г. шымкент": Region.SHYMKENT,
    "шымкент": Region.SHYMKENT,
    "абайская область": Region.ABAI,
    "акмолинская область": Region.AKMOLA,
    "актюбинская область": Region.AKTOBE,
    "алматинская область": Region.ALMATY,
    "атырауская область": Region.ATYRAU,
    "восточно-казахстанская область": Region.EAST_KAZAKHSTAN,
    "жамбылская область": Region.ZHAMBYL,
    "область жетісу": Region.ZHETYSU,
    "жетысуская область": Region.ZHETYSU,
    "западно-казахстанская область": Region.WEST_KAZAKHSTAN,
    "карагандинская область": Region.KARAGANDA,
    "костанайская область": Region.KOSTANAY,
    "кызылординская область": Region.KYZYLORDA,
    "мангистауская область": Region.MANGYSTAU,
    "павлодарская область": Region.PAVLODAR,
    "северо-казахстанская область": Region.NORTH_KAZAKHSTAN,
    "туркестанская область": Region.TURKISTAN,
    "область ұлытау": Region.ULYTAU,
    "улытауская область": Region.ULYTAU,
}
YES = {"да", "иә", "yes", "1"}
NO = {"нет", "жоқ", "no", "0"}


class FileUnreadable(Exception):
    """The file cannot be read at all: not UTF-8 at the start, or the header is not the documented one."""


@dataclass(frozen=True)
class ClinicRow:
    code: str
    name_kk: str
    name_ru: str
    region: str
    city: str
    address: str
    phone: str
    working_hours: str
    is_fund_supplier: bool
    supplier_from: dt.date | None
    supplier_until: dt.date | None

    def fields(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "code"}


@dataclass(frozen=True)
class DistrictRow:
    number: int
    doctor: str
    streets: str  # one line per street, as the District keeps them


@dataclass(frozen=True)
class Row:
    line: int
    clinic: ClinicRow
    district: DistrictRow | None


@dataclass(frozen=True)
class Rejection:
    line: int
    reason: str


@dataclass
class ParsedFile:
    rows: list[Row] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


class RowError(Exception):
    pass


def _date(value: str, column: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.datetime.strptime(value, "%d.%m.%Y").date()  # noqa: DTZ007 -- only the calendar date is kept
    except ValueError:
        raise RowError(
            _("%(column)s: “%(value)s” is not a date like 31.12.2026.") % {"column": column, "value": value}
        ) from None


def _required(value: str, column: str, max_length: int) -> str:
    if not value:
        raise RowError(_("%(column)s is empty.") % {"column": column})
    if len(value) > max_length:
        raise RowError(_("%(column)s is longer than %(limit)d characters.") % {"column": column, "limit": max_length})
    return value


def _optional(value: str, column: str, max_length: int) -> str:
    return _required(value, column, max_length) if value else ""


def parse_row(cells: list[str], *, line: int) -> Row:
    """One line of the file, or RowError saying which column is wrong and why."""
    if len(cells) != len(HEADER):
        raise RowError(
            _("The line has %(found)d fields, not %(expected)d.") % {"found": len(cells), "expected": len(HEADER)}
        )
    values = dict(zip(HEADER, (cell.strip() for cell in cells), strict=True))
    region_text = values["Регион"]
    region = region_text if region_text in Region.values else REGION_NAMES.get(region_text.lower())
    if region is None:
        raise RowError(_("Регион: “%(value)s” is not a region of Kazakhstan.") % {"value": region_text})
    supplier = values["Поставщик Фонда"].lower()
    if supplier not in YES | NO:
        raise RowError(_("Поставщик Фонда: write “да” or “нет”."))
    supplier_from = _date(values["Поставщик с"], "Поставщик с")
    supplier_until = _date(values["Поставщик по"], "Поставщик по")
    if supplier_from and supplier_until and supplier_until < supplier_from:
        raise RowError(_("Поставщик по is earlier than Поставщик с."))
    clinic = ClinicRow(
        code=_required(values["Код"], "Код", 20),
        name_kk=_required(values["Наименование на казахском"], "Наименование на казахском", 255),
        name_ru=_required(values["Наименование на русском"], "Наименование на русском", 255),
        region=region,
        city=_required(values["Населённый пункт"], "Населённый пункт", 100),
        address=_required(values["Адрес"], "Адрес", 255),
        phone=_optional(values["Телефон"], "Телефон", 40),
        working_hours=_optional(values["Режим работы"], "Режим работы", 255),
        is_fund_supplier=supplier in YES,
        supplier_from=supplier_from,
        supplier_until=supplier_until,
    )
    district = None
    if values["Участок"]:
        number_text = values["Участок"]
        if not number_text.isdigit() or int(number_text) == 0:
            raise RowError(_("Участок: “%(value)s” is not a district number.") % {"value": number_text})
        doctor = _required(values["Врач участка"], "Врач участка", 255)
        streets = []
        for piece in filter(None, (part.strip() for part in values["Адреса участка"].split(STREETS_SEPARATOR))):
            try:
                parse_street_line(piece)
            except StreetLineError as exc:
                raise RowError(_("Адреса участка: %(error)s") % {"error": exc}) from None
            streets.append(piece)
        district = DistrictRow(number=int(number_text), doctor=doctor, streets="\n".join(streets))
    elif values["Врач участка"] or values["Адреса участка"]:
        raise RowError(_("Участок is empty, but the line names a doctor or addresses."))
    return Row(line=line, clinic=clinic, district=district)


def _lines(stream: BinaryIO) -> Iterator[tuple[int, str | None]]:
    """(line number, text or None when not UTF-8), read as the registers are (BOM dropped, blanks skipped)."""
    return ((line.number, line.text) for line in read_lines(stream))


def parse_file(stream: BinaryIO) -> ParsedFile:
    """Every good row and every rejection. A clinic repeated on several lines (one per district) must
    say the same of the clinic each time; a district given twice is rejected the second time."""
    lines = _lines(stream)
    first = next(lines, None)
    if first is None or first[1] is None:
        raise FileUnreadable(_("The file is empty or not in UTF-8."))
    header = tuple(cell.strip() for cell in first[1].split(SEPARATOR))
    if header != HEADER:
        raise FileUnreadable(_("The header must be: %(header)s") % {"header": SEPARATOR.join(HEADER)})
    parsed = ParsedFile()
    clinics: dict[str, tuple[int, ClinicRow]] = {}
    districts: dict[tuple[str, int], int] = {}
    for number, text in lines:
        if text is None:
            parsed.rejections.append(Rejection(number, _("The line is not in UTF-8.")))
            continue
        try:
            row = parse_row(text.split(SEPARATOR), line=number)
            seen = clinics.get(row.clinic.code)
            if seen is not None and seen[1] != row.clinic:
                raise RowError(
                    _("The clinic %(code)s is described differently on line %(line)d.")
                    % {"code": row.clinic.code, "line": seen[0]}
                )
            if row.district is not None:
                key = (row.clinic.code, row.district.number)
                if key in districts:
                    raise RowError(
                        _("District %(number)d of %(code)s is already given on line %(line)d.")
                        % {"number": row.district.number, "code": row.clinic.code, "line": districts[key]}
                    )
                districts[key] = number
        except RowError as exc:
            parsed.rejections.append(Rejection(number, str(exc)))
            continue
        clinics.setdefault(row.clinic.code, (number, row.clinic))
        parsed.rows.append(row)
    return parsed
