"""Shared by the statement tests: messages read by their English msgids whatever the catalogues say,
and issued PDFs written to a temporary private root (the root fixtures `english` and `private_media`)."""

import pytest


@pytest.fixture(autouse=True)
def _in_english_with_private_media(english, private_media):
    """Every statement test runs in English with its own private folder."""
