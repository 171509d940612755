"""The coverage tests read the English msgids; pages and commands run in English here."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield
