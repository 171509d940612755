"""The language switcher links to the same page on this site, whatever path the request came with."""

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.test import RequestFactory

from osms.core.context_processors import portal

pytestmark = pytest.mark.django_db


def links_for(path: str, query: str = "") -> list[str]:
    environ = RequestFactory()._base_environ(PATH_INFO=path, QUERY_STRING=query)
    request = WSGIRequest(environ)
    return [link["url"] for link in portal(request)["language_links"]()]


@pytest.mark.parametrize("path", ["//evil.example/ru/", "///evil.example/ru/", "/\\evil.example/ru/", "//evil.example"])
def test_a_path_that_looks_like_another_host_never_gives_a_link_there(path):
    for url in links_for(path):
        assert url.startswith("/") and not url.startswith(("//", "/\\")) and "evil.example" not in url.split("/")[2:3]


def test_the_links_translate_the_page_and_keep_the_query():
    assert links_for("/ru/status/", "a=1") == ["/kk/status/?a=1", "/ru/status/?a=1", "/en/status/?a=1"]


def test_a_page_requested_with_a_double_slash_links_only_to_this_site(client):
    response = client.get("/ru/", PATH_INFO="//evil.example/ru/")
    page = response.content.decode()
    assert 'href="/evil.example/ru/"' in page or 'href="/kk/' in page  # the switcher is on the page
    assert 'href="//' not in page
