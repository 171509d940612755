"""The 15 benefit categories the state pays for (docs/domain.md §5), with the documents the Fund needs
for a temporary status (seed 004).

This is the shipped data: the data migration copies it into the BenefitCategory table, where the
temporary-status service reads it. Names and documents are English msgids marked with
gettext_noop, so `makemessages` collects them and the pages translate the stored text with
gettext at display time (the table holds the msgid, never a translation).
"""

from __future__ import annotations

from typing import Final

from django.utils.translation import gettext_noop

# (number, code, name, documents for a temporary status, may be requested by application)
CATEGORIES: Final[tuple[tuple[int, str, str, tuple[str, ...], bool], ...]] = (
    (1, "children", gettext_noop("Children under 18"), (gettext_noop("Birth certificate"),), True),
    (2, "pregnant", gettext_noop("Non-working pregnant women"), (gettext_noop("Certificate form 027/u"),), True),
    (
        3,
        "raising_child_under_3",
        gettext_noop("Non-working persons raising a child under 3"),
        (gettext_noop("The child's birth certificate"),),
        True,
    ),
    (
        4,
        "childcare_leave",
        gettext_noop("Persons on maternity, adoption or childcare leave (child under 3)"),
        (gettext_noop("The child's birth certificate"),),
        True,
    ),
    (
        5,
        "mothers_of_many",
        gettext_noop(
            "Mothers of many children with awards (“Altyn alqa”, “Kumis alqa”, “Mother-heroine”, orders “Maternal glory” I and II)"
        ),
        (gettext_noop("Document confirming the award"),),
        True,
    ),
    (
        6,
        "caring_disabled_child",
        gettext_noop("Non-working persons caring for a child with disability"),
        (
            gettext_noop("Disability certificate"),
            gettext_noop("The child's birth certificate"),
            gettext_noop("Unemployment registration certificate"),
        ),
        True,
    ),
    (
        7,
        "caring_group_1",
        gettext_noop("Persons caring for a person with group I disability since childhood"),
        (gettext_noop("Disability certificate"), gettext_noop("Identity document")),
        True,
    ),
    (8, "disability", gettext_noop("Persons with disability"), (gettext_noop("Disability certificate"),), True),
    (
        9,
        "pensioners_veterans",
        gettext_noop("Pensioners and veterans of the Great Patriotic War"),
        (gettext_noop("Identity document"), gettext_noop("Veteran's certificate")),
        True,
    ),
    (
        10,
        "students",
        gettext_noop("Full-time students (secondary, technical and vocational, post-secondary, higher, postgraduate)"),
        (gettext_noop("Certificate from the place of study or student card"),),
        True,
    ),
    (
        11,
        "unemployed",
        gettext_noop("Persons registered as unemployed"),
        (gettext_noop("Unemployment registration certificate"),),
        True,
    ),
    (
        12,
        "targeted_assistance",
        gettext_noop("Non-working recipients of targeted social assistance (ASP)"),
        (gettext_noop("Certificate confirming targeted social assistance"),),
        True,
    ),
    (
        13,
        "kandases",
        gettext_noop("Non-working kandases"),
        (gettext_noop("Kandas certificate"), gettext_noop("Unemployment registration certificate")),
        True,
    ),
    (14, "convicts", gettext_noop("Persons serving sentences (except minimum-security institutions)"), (), False),
    (15, "pretrial_detention", gettext_noop("Persons held in pre-trial detention"), (), False),
)
