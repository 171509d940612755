"""Ship the 15 benefit categories (docs/domain.md §5) and the МЗП of 2020–2026 (docs/domain.md §3).

The data is copied here rather than imported, so that this migration means the same thing
whatever later edits the Python modules get.
"""

from decimal import Decimal

from django.db import migrations

CATEGORIES = [
    (1, "children", "Children under 18", ["Birth certificate"], True),
    (2, "pregnant", "Non-working pregnant women", ["Certificate form 027/u"], True),
    (3, "raising_child_under_3", "Non-working persons raising a child under 3", ["The child's birth certificate"], True),
    (
        4,
        "childcare_leave",
        "Persons on maternity, adoption or childcare leave (child under 3)",
        ["The child's birth certificate"],
        True,
    ),
    (
        5,
        "mothers_of_many",
        "Mothers of many children with awards (\u201cAltyn alqa\u201d, \u201cKumis alqa\u201d, \u201cMother-heroine\u201d, orders \u201cMaternal glory\u201d I and II)",
        ["Document confirming the award"],
        True,
    ),
    (
        6,
        "caring_disabled_child",
        "Non-working persons caring for a child with disability",
        ["Disability certificate", "The child's birth certificate", "Unemployment registration certificate"],
        True,
    ),
    (
        7,
        "caring_group_1",
        "Persons caring for a person with group I disability since childhood",
        ["Disability certificate", "Identity document"],
        True,
    ),
    (8, "disability", "Persons with disability", ["Disability certificate"], True),
    (
        9,
        "pensioners_veterans",
        "Pensioners and veterans of the Great Patriotic War",
        ["Identity document", "Veteran's certificate"],
        True,
    ),
    (
        10,
        "students",
        "Full-time students (secondary, technical and vocational, post-secondary, higher, postgraduate)",
        ["Certificate from the place of study or student card"],
        True,
    ),
    (11, "unemployed", "Persons registered as unemployed", ["Unemployment registration certificate"], True),
    (
        12,
        "targeted_assistance",
        "Non-working recipients of targeted social assistance (ASP)",
        ["Certificate confirming targeted social assistance"],
        True,
    ),
    (
        13,
        "kandases",
        "Non-working kandases",
        ["Kandas certificate", "Unemployment registration certificate"],
        True,
    ),
    (14, "convicts", "Persons serving sentences (except minimum-security institutions)", [], False),
    (15, "pretrial_detention", "Persons held in pre-trial detention", [], False),
]

MZP = {2020: "42500", 2021: "42500", 2022: "60000", 2023: "70000", 2024: "85000", 2025: "85000", 2026: "85000"}


def ship(apps, schema_editor):
    BenefitCategory = apps.get_model("coverage", "BenefitCategory")
    MinimumWage = apps.get_model("coverage", "MinimumWage")
    for number, code, name, documents, by_application in CATEGORIES:
        BenefitCategory.objects.update_or_create(
            number=number,
            defaults={"code": code, "name": name, "documents": documents, "by_application": by_application},
        )
    for year, amount in MZP.items():
        MinimumWage.objects.get_or_create(year=year, defaults={"amount": Decimal(amount)})


class Migration(migrations.Migration):
    dependencies = [("coverage", "0001_initial")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
