"""The coverage tests read the English msgids; pages and commands run in English here."""

import pytest


@pytest.fixture(autouse=True)
def _in_english(english):
    """The root fixture `english`, for every coverage test."""
