"""The shipped data migration matches the Python definitions the translators read."""

from decimal import Decimal

import pytest

from osms.coverage.categories import CATEGORIES
from osms.coverage.models import BenefitCategory, MinimumWage
from osms.coverage.rules import DEFAULT_MZP

pytestmark = pytest.mark.django_db


def test_fifteen_categories_shipped_with_their_documents():
    stored = {c.number: c for c in BenefitCategory.objects.all()}
    assert sorted(stored) == list(range(1, 16))
    for number, code, name, documents, by_application in CATEGORIES:
        category = stored[number]
        assert (category.code, category.name, category.documents, category.by_application) == (
            code,
            name,
            list(documents),
            by_application,
        )
    assert stored[6].document_labels == [
        "Disability certificate",
        "The child's birth certificate",
        "Unemployment registration certificate",
    ]
    assert stored[14].documents == [] and not stored[14].by_application


def test_minimum_wage_2020_to_2026_shipped():
    assert {w.year: w.amount for w in MinimumWage.objects.all()} == {
        year: Decimal(amount) for year, amount in DEFAULT_MZP.items()
    }
