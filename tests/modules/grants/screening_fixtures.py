"""Fixtures of the grants screening tests (G2)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def screening_routes():
    """Mount the screening routes under grants/ when G1's urls.py does not include them yet (no-op after)."""
    from django.urls import clear_url_caches, include, path

    from praja.modules.grants import api_urls, urls

    added = []
    for module, route, target in (
        (urls, "screening/", "praja.modules.grants.screening.urls"),
        (api_urls, "", "praja.modules.grants.screening.api_urls"),
    ):
        if not any(
            getattr(getattr(p, "urlconf_name", None), "__name__", "") == target for p in module.urlpatterns
        ):
            entry = path(route, include(target))
            module.urlpatterns.append(entry)
            added.append((module, entry))
    clear_url_caches()
    yield
    for module, entry in added:
        module.urlpatterns.remove(entry)
    clear_url_caches()
