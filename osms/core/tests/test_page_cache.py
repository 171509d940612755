"""Whole anonymous pages from the process store (osms/core/page_cache.py, ADR 0105): the same page
as rendered afresh, with this request's own nonce and a CSRF token that works; never a signed-in
visitor's page, never a form with errors, never another visitor's token."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from osms.core import page_cache
from osms.coverage.importers import KIND_PAYMENTS
from osms.coverage.periods import Period
from osms.coverage.tests.factories import iin, load, monthly_payments

pytestmark = pytest.mark.django_db

_NONCE = re.compile(r'<script nonce="([^"]+)"')
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _empty_store():
    caches["shell"].clear()
    yield
    caches["shell"].clear()


def _without_per_request_values(html: str) -> str:
    return _NONCE.sub("", _TOKEN.sub("", html))


_PAGES = [
    "/ru/status/",
    "/kk/",
    "/en/information/",
    "/ru/information/who-pays/",
    "/ru/calculator/",
    "/ru/accounts/login/",
    "/kk/accounts/register/",
    "/ru/appeals/check/",
    "/en/statements/verify/",
]


@pytest.mark.parametrize("path", _PAGES)
def test_a_stored_page_is_the_page_rendered_afresh_with_this_visitors_nonce_and_token(path):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    rendered = first.get(path)
    stored = second.get(path)
    assert stored.status_code == 200
    html = stored.content.decode()
    assert _without_per_request_values(html) == _without_per_request_values(rendered.content.decode())
    assert page_cache.NONCE_MARK not in html and page_cache.TOKEN_MARK not in html
    nonce = _NONCE.search(html).group(1)
    assert nonce != _NONCE.search(rendered.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in stored["Content-Security-Policy"]
    if _TOKEN.search(html):
        assert _TOKEN.search(html).group(1) != _TOKEN.search(rendered.content.decode()).group(1)
        assert "csrftoken" in stored.cookies


def test_the_token_of_a_stored_page_is_accepted_and_anothers_is_not():
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_token = _TOKEN.search(first.get("/ru/status/").content.decode()).group(1)
    second_token = _TOKEN.search(second.get("/ru/status/").content.decode()).group(1)
    answered = second.post("/ru/status/", {"iin": iin(), "csrfmiddlewaretoken": second_token})
    assert answered.status_code == 200 and 'id="status-result"' in answered.content.decode()
    refused = second.post("/ru/status/", {"iin": iin(), "csrfmiddlewaretoken": first_token})
    assert refused.status_code == 403


def test_answers_are_stored_per_result_and_show_no_iin():
    insured, not_insured = iin(), iin()
    start = Period.of(timezone.localdate()) - 12
    load(KIND_PAYMENTS, monthly_payments(insured, f"{start.month:02d}{start.year}", 13))
    pages = {}
    for person in (insured, not_insured, insured, not_insured):
        html = Client().post("/ru/status/", {"iin": person}).content.decode()
        assert person not in html and 'id="status-result"' in html
        pages.setdefault(person, []).append(_without_per_request_values(html))
    assert pages[insured][0] == pages[insured][1] and "govuk-panel--confirmation" in pages[insured][0]
    assert pages[not_insured][0] == pages[not_insured][1] and "govuk-panel--confirmation" not in pages[not_insured][0]


def test_errors_and_signed_in_visitors_get_their_own_page(client, citizen):
    client.get("/ru/status/")  # stored
    wrong = client.post("/ru/status/", {"iin": "123"}).content.decode()
    assert 'value="123"' in wrong and "govuk-error-summary" in wrong  # nothing entered is lost
    client.force_login(citizen)
    signed_in = client.get("/ru/status/").content.decode()
    assert 'action="/ru/accounts/logout/"' in signed_in and 'href="/ru/accounts/login/"' not in signed_in
    anonymous = Client().get("/ru/status/").content.decode()
    assert 'action="/ru/accounts/logout/"' not in anonymous


def test_a_new_mzp_reaches_the_stored_pages(make_user):
    from osms.coverage.services import minimum_wage_set

    year = timezone.localdate().year
    before = Client().get("/ru/information/getting-status/").content.decode()
    minimum_wage_set(actor=make_user(role="fund_officer"), year=year, amount=Decimal("123400"))
    after = Client().get("/ru/information/getting-status/").content.decode()
    assert "6\xa0170" in after and "6\xa0170" not in before  # 5 % of the new МЗП


@pytest.mark.parametrize("path", _PAGES)
def test_an_anonymous_form_page_starts_no_session(path):
    """A page that wrote the session would carry something of its visitor's: it must not be stored."""
    for _ in range(2):  # rendered, then from the store
        response = Client().get(path)
        assert response.status_code == 200 and "sessionid" not in response.cookies


def test_the_sign_in_form_from_the_store_signs_in(citizen):
    Client().get("/ru/accounts/login/")  # stored
    visitor = Client(enforce_csrf_checks=True)
    token = _TOKEN.search(visitor.get("/ru/accounts/login/").content.decode()).group(1)
    answered = visitor.post(
        "/ru/accounts/login/", {"username": citizen.iin, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert answered.status_code == 302 and "sessionid" in answered.cookies


def test_what_a_link_puts_in_the_form_is_never_stored():
    """?number= from a statement's QR code fills the form: such a page is rendered for its request only."""
    Client().get("/ru/statements/verify/")
    assert 'value="S-2026-000042"' in Client().get("/ru/statements/verify/?number=S-2026-000042").content.decode()
    assert 'value="S-2026-000042"' not in Client().get("/ru/statements/verify/").content.decode()
