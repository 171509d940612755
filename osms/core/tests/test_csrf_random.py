"""The CSRF secret and mask from one read of the random source (osms/core/csrf_random.py)."""

from __future__ import annotations

from collections import Counter

from django.middleware import csrf
from django.test import Client

from osms.core import csrf_random


def test_django_draws_its_csrf_strings_here():
    assert csrf._get_new_csrf_string is csrf_random.new_csrf_string


def test_the_strings_have_django_s_length_and_alphabet_and_never_repeat():
    drawn = [csrf._get_new_csrf_string() for _ in range(2000)]
    assert all(len(value) == csrf.CSRF_SECRET_LENGTH for value in drawn)
    assert set("".join(drawn)) <= set(csrf.CSRF_ALLOWED_CHARS)
    assert len(set(drawn)) == len(drawn)


def test_every_character_is_about_equally_likely():
    """64 000 characters over 62: each about 1 032 times; a biased draw (a byte modulo 62 without
    dropping 248-255) would give the first eight characters ~1 250."""
    counts = Counter("".join(csrf_random.random_string(64, csrf.CSRF_ALLOWED_CHARS) for _ in range(1000)))
    assert len(counts) == len(csrf.CSRF_ALLOWED_CHARS)
    assert max(counts.values()) < 1200 and min(counts.values()) > 870


def test_a_form_s_token_is_accepted_and_a_forged_one_is_not(db):
    import re

    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/ru/status/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert visitor.post("/ru/status/", {"iin": "123", "csrfmiddlewaretoken": token}).status_code == 200
    forged = csrf_random.random_string(64, csrf.CSRF_ALLOWED_CHARS)
    assert visitor.post("/ru/status/", {"iin": "123", "csrfmiddlewaretoken": forged}).status_code == 403
