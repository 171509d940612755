"""The CSRF secret and mask drawn from one read of the system's random source (ADR 0107).

Django draws each of the 32 characters of a CSRF secret, and of the mask that each page's token
carries, with `secrets.choice`: one call to the system's random source per character, 64 per
page for a visitor without the cookie. On the anonymous pages served from the page store that
was a quarter of the page's CPU. Here the same 32 characters come from one `secrets.token_bytes`:
bytes at or above the largest multiple of the alphabet's size are dropped, so each remaining byte
modulo the size is uniform over the alphabet - the distribution and the source (the operating
system's CSPRNG) are those of Django's own function.
"""

from __future__ import annotations

import secrets

from django.middleware import csrf


def random_string(length: int, alphabet: str) -> str:
    """`length` characters drawn uniformly and independently from `alphabet` (≤ 256 of them)."""
    size = len(alphabet)
    limit = 256 - 256 % size  # bytes below this, modulo size, are uniform
    chosen: list[str] = []
    while len(chosen) < length:
        chosen.extend(alphabet[byte % size] for byte in secrets.token_bytes(length + 8) if byte < limit)
    return "".join(chosen[:length])


def new_csrf_string() -> str:
    return random_string(csrf.CSRF_SECRET_LENGTH, csrf.CSRF_ALLOWED_CHARS)


def install() -> None:
    """Use `new_csrf_string` for the CSRF secret and mask (Django's private function, which the
    secret's cookie and every masked token call by name); left alone if Django has changed it."""
    if callable(getattr(csrf, "_get_new_csrf_string", None)):
        csrf._get_new_csrf_string = new_csrf_string
