"""Praja's URLs plus `/bench/json`: the baseline a tenant page is compared with, in the same server."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from praja.config.urls import handler404  # noqa: F401
from praja.config.urls import urlpatterns as praja_urlpatterns


def bare_json(request: HttpRequest) -> JsonResponse:
    """The cheapest Django view: no tenant, no session, no database; every middleware still runs."""
    return JsonResponse({"status": "ok"})


urlpatterns = [path("bench/json", bare_json, name="bench-json"), *praja_urlpatterns]
