"""Landing pages, health check and the error pages."""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render

from praja.core.tenancy.selectors import list_active_tenants


def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def page_not_found(request: HttpRequest, exception=None):
    return render(request, "404.html", status=404)


def portal_home(request: HttpRequest):
    return render(request, "web/portal_home.html", {"tenants": list_active_tenants()})


def tenant_home(request: HttpRequest):
    return render(request, "web/tenant_home.html", {})
