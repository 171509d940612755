"""The 15 benefit categories the state pays for (DOMAIN §5), with the documents the Fund needs
for a temporary status (seed 004).

This is the shipped data: the data migration copies it into the BenefitCategory table, where the
temporary-status service reads it. Names and documents are English msgids marked with
gettext_noop, so `makemessages` collects them and the pages translate the stored text with
gettext at display time (the table holds the msgid, never a translation).
"""

from __future__ import annotations

from typing import Final

from django.utils.translation import gettext_noop as N_

# (number, code, name, documents for a temporary status, may be requested by application)
CATEGORIES: Final[tuple[tuple[int, str, str, tuple[str, ...], bool], ...]] = (
    (1, "children", N_("Children under 18"), (N_("Birth certificate"),), True),
    (2, "pregnant", N_("Non-working pregnant women"), (N_("Certificate form 027/u"),), True),
    (
        3,
        "raising_child_under_3",
        N_("Non-working persons raising a child under 3"),
        (N_("The child's birth certificate"),),
        True,
    ),
    (
        4,
        "childcare_leave",
        N_("Persons on maternity, adoption or childcare leave (child under 3)"),
        (N_("The child's birth certificate"),),
        True,
    ),
    (
        5,
        "mothers_of_many",
        N_(
            "Mothers of many children with awards (\u201cAltyn alqa\u201d, \u201cKumis alqa\u201d, \u201cMother-heroine\u201d, orders \u201cMaternal glory\u201d I and II)"
        ),
        (N_("Document confirming the award"),),
        True,
    ),
    (
        6,
        "caring_disabled_child",
        N_("Non-working persons caring for a child with disability"),
        (
            N_("Disability certificate"),
            N_("The child's birth certificate"),
            N_("Unemployment registration certificate"),
        ),
        True,
    ),
    (
        7,
        "caring_group_1",
        N_("Persons caring for a person with group I disability since childhood"),
        (N_("Disability certificate"), N_("Identity document")),
        True,
    ),
    (8, "disability", N_("Persons with disability"), (N_("Disability certificate"),), True),
    (
        9,
        "pensioners_veterans",
        N_("Pensioners and veterans of the Great Patriotic War"),
        (N_("Identity document"), N_("Veteran's certificate")),
        True,
    ),
    (
        10,
        "students",
        N_("Full-time students (secondary, technical and vocational, post-secondary, higher, postgraduate)"),
        (N_("Certificate from the place of study or student card"),),
        True,
    ),
    (11, "unemployed", N_("Persons registered as unemployed"), (N_("Unemployment registration certificate"),), True),
    (
        12,
        "targeted_assistance",
        N_("Non-working recipients of targeted social assistance (ASP)"),
        (N_("Certificate confirming targeted social assistance"),),
        True,
    ),
    (
        13,
        "kandases",
        N_("Non-working kandases"),
        (N_("Kandas certificate"), N_("Unemployment registration certificate")),
        True,
    ),
    (14, "convicts", N_("Persons serving sentences (except minimum-security institutions)"), (), False),
    (15, "pretrial_detention", N_("Persons held in pre-trial detention"), (), False),
)
