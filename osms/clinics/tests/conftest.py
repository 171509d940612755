"""The clinic tests read the English msgids: pages, messages and commands run in English here."""

import pytest


@pytest.fixture(autouse=True)
def _in_english(english):
    """The root fixture `english`, for every clinic test."""
