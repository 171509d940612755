"""The benchmark's floor view (bench ratios, docs/performance.md) is never one of the portal's URLs."""

import pytest
from django.urls import Resolver404, get_resolver, resolve


def test_the_floor_view_exists_only_in_the_benchmarks_urls():
    with pytest.raises(Resolver404):
        resolve("/bench/floor/")  # the portal's URLconf
    assert get_resolver("bench.urls").resolve("/bench/floor/").func.__name__ == "floor"
