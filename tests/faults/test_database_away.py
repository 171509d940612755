"""PostgreSQL restarting: the citizen gets a 503 page in their language that says nothing sent is lost
and when to try again, not the generic error page; /healthz names the database (docs/adr/0013)."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_away(monkeypatch):
    def refuse(self):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    def away():
        monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)

    return away


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "The service is briefly unavailable"),
        ("ru", "Сервис ненадолго недоступен"),
        ("kk", "Сервис уақытша қолжетімсіз"),
    ],
)
def test_a_citizen_gets_the_503_page_in_their_language(citizen, database_away, language, heading):
    client = Client(raise_request_exception=False)
    client.force_login(citizen)
    with translation.override(language):
        cabinet = reverse("accounts:cabinet")
    database_away()
    response = client.get(cabinet)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert f'lang="{language}"' in response.text and heading in response.text
    assert "1414" in response.text


def test_a_form_sent_while_the_database_is_away_is_answered_503(database_away):
    client = Client(raise_request_exception=False)
    with translation.override("en"):
        login = reverse("accounts:login")
    database_away()
    response = client.post(login, {"username": "880327407777", "password": "x"})
    assert response.status_code == 503 and "Nothing you have sent is lost." in response.text


def test_other_errors_keep_the_plain_error_page(rf):
    from osms.core.unavailable import server_error

    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/en/"))
    assert response.status_code == 500 and "Retry-After" not in response


def test_healthz_names_the_database_when_it_is_away(db, database_away):
    database_away()
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.parametrize(
    ("path", "language", "heading", "lost"),
    [
        ("/en/accounts/cabinet/", "en", "The service is briefly unavailable", "Nothing you have sent is lost."),
        ("/ru/accounts/cabinet/", "ru", "Сервис ненадолго недоступен", None),
        ("/kk/accounts/cabinet/", "kk", "Сервис уақытша қолжетімсіз", None),
        ("/healthz-or-other", "ru", "Сервис ненадолго недоступен", None),  # no prefix: the default language
    ],
)
def test_when_the_503_page_itself_fails_a_last_resort_page_answers_in_the_language(
    rf, monkeypatch, django_assert_num_queries, path, language, heading, lost
):
    from django.core.cache import cache

    from osms.core import unavailable

    def broken(*args, **kwargs):
        raise RuntimeError("broken")

    monkeypatch.setattr(unavailable.loader, "get_template", broken)
    # Neither Django's translation machinery nor the cache is asked.
    monkeypatch.setattr(translation, "gettext", broken)
    monkeypatch.setattr(cache, "get", broken)
    with django_assert_num_queries(0):
        try:
            raise OperationalError("connection refused")
        except OperationalError:
            response = unavailable.server_error(rf.get(path))
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert f'<html lang="{language}">' in page and f"<h1>{heading}</h1>" in page and "<main>" in page
    assert "1414" in page
    if language != "en":
        assert "The service is briefly unavailable" not in page and "call the contact centre" not in page
    if lost:
        assert lost in page
    if language == "kk":
        assert "байланыс орталығына" in page
