"""The benchmark's floor views (bench ratios, docs/performance.md) are never among the portal's URLs."""

import pytest
from django.urls import Resolver404, get_resolver, resolve


@pytest.mark.parametrize(
    ("url", "view"), [("/bench/floor/", "floor"), ("/bench/floor/round-trips/", "floor_round_trips")]
)
def test_the_floor_views_exist_only_in_the_benchmarks_urls(url, view):
    with pytest.raises(Resolver404):
        resolve(url)  # the portal's URLconf
    assert get_resolver("bench.urls").resolve(url).func.__name__ == view
