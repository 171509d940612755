"""The page shell taken from the process cache (base.html, ADR 0104): the same page for everyone it
is cached for, per language and page; never a signed-in visitor's header; nonce and CSRF token
still per request."""

import re

import pytest
from django.core.cache import caches
from django.test import Client

pytestmark = pytest.mark.django_db

_NONCE = re.compile(r'<script nonce="([^"]+)"')
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _empty_shell_cache():
    caches["shell"].clear()
    yield
    caches["shell"].clear()


def test_anonymous_shell_from_the_cache_is_the_page_rendered_afresh(client):
    first = client.get("/ru/status/").content.decode()
    again = client.get("/ru/status/").content.decode()
    assert _NONCE.sub("", _TOKEN.sub("", first)) == _NONCE.sub("", _TOKEN.sub("", again))
    caches["shell"].clear()
    fresh = client.get("/ru/status/").content.decode()
    assert _NONCE.sub("", _TOKEN.sub("", fresh)) == _NONCE.sub("", _TOKEN.sub("", again))


def test_cached_shell_follows_the_language_and_the_page(client):
    client.get("/ru/status/")
    kazakh = client.get("/kk/status/").content.decode()
    assert '<html lang="kk"' in kazakh and 'href="/ru/status/"' in kazakh
    assert 'hreflang="kk" lang="kk" aria-current="true"' in kazakh
    login = client.get("/ru/accounts/login/").content.decode()
    assert 'href="/kk/accounts/login/"' in login and 'href="/kk/status/"' not in login


def test_signed_in_header_is_never_cached_nor_served_from_the_cache(client, citizen):
    anonymous = client.get("/ru/status/").content.decode()
    assert 'href="/ru/accounts/login/"' in anonymous
    client.force_login(citizen)
    signed_in = client.get("/ru/status/").content.decode()
    assert 'action="/ru/accounts/logout/"' in signed_in and 'href="/ru/accounts/login/"' not in signed_in
    other = Client()
    assert 'action="/ru/accounts/logout/"' not in other.get("/ru/status/").content.decode()


def test_nonce_and_csrf_token_stay_per_request(client):
    pages = [client.get("/ru/status/") for _ in range(2)]
    nonces = [_NONCE.search(page.content.decode()).group(1) for page in pages]
    assert nonces[0] != nonces[1]
    for page, nonce in zip(pages, nonces, strict=True):
        assert f"'nonce-{nonce}'" in page["Content-Security-Policy"]
    tokens = [_TOKEN.search(page.content.decode()).group(1) for page in pages]
    assert tokens[0] != tokens[1]  # masked afresh each time
