"""The statement tests read messages by their English msgids, whatever the catalogues say."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield
