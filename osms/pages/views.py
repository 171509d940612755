"""The information pages: the list, one page, the search. Public, read-only."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from osms.core.db_router import replica_reads
from osms.core.page_cache import anonymous_get

from . import catalogue, selectors
from .forms import SearchForm


@replica_reads
@anonymous_get
def information_index(request: HttpRequest) -> HttpResponse:
    language = catalogue.current_language()
    return render(
        request,
        "pages/index.html",
        {"pages": selectors.page_headings(language=language)},
    )


@replica_reads
@anonymous_get
def information_page(request: HttpRequest, slug: str) -> HttpResponse:
    language = catalogue.current_language()
    try:
        page = selectors.page_render(slug=slug, language=language, on=timezone.localdate())
    except LookupError:
        raise Http404 from None
    return render(
        request,
        "pages/page.html",
        {"page": page, "pages": selectors.page_headings(language=language)},
    )


@replica_reads
@anonymous_get
def information_search(request: HttpRequest) -> HttpResponse:
    language = catalogue.current_language()
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = selectors.pages_search(query=query, language=language, on=timezone.localdate()) if query else []
    return render(
        request,
        "pages/search.html",
        {"search_form": form, "query": query, "results": results, "pages": selectors.page_headings(language=language)},
    )
