"""Resolve the tenant of each request from its host name or its `/t/<slug>/` prefix."""

from __future__ import annotations

import re

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

from praja.core.tenancy.context import activate_tenant, deactivate_tenant
from praja.core.tenancy.selectors import get_active_tenant_by_host, get_active_tenant_by_slug

_TENANT_PREFIX = re.compile(r"^/t/(?P<slug>[-a-z0-9]+)(?:/|$)")
# Paths that never belong to a tenant, even on a tenant's own host.
_GLOBAL_PREFIXES = ("/static/", "/healthz", "/api/v1/schema", "/api/v1/docs")


def _host_name(http_host: str) -> str:
    """`example.org:8000` -> `example.org`; `[::1]:8000` -> `::1`."""
    host = http_host.lower()
    if host.startswith("["):
        return host[1:].split("]")[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def not_found_response(request: HttpRequest) -> HttpResponse:
    """The one 404 for unknown tenants, other tenants' objects and missing pages alike."""
    from praja.core.web.views import page_not_found

    return page_not_found(request)


class TenantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.platform_hosts = {host.strip("[]").lower() for host in settings.PRAJA_PLATFORM_HOSTS}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.tenant = None
        host = _host_name(request.get_host())
        path = request.path_info
        tenant = None
        match = _TENANT_PREFIX.match(path)
        if match:
            tenant = get_active_tenant_by_slug(match["slug"])
            if tenant is None:
                return not_found_response(request)
        if host not in self.platform_hosts:
            host_tenant = get_active_tenant_by_host(host)
            if host_tenant is None or (tenant is not None and tenant != host_tenant):
                return not_found_response(request)
            if tenant is None and not path.startswith(_GLOBAL_PREFIXES):
                # A tenant's own host serves the same routes without the prefix.
                tenant = host_tenant
                request.path_info = f"/t/{tenant.slug}{path}"
        request.tenant = tenant
        token = activate_tenant(tenant)
        try:
            return self.get_response(request)
        finally:
            deactivate_tenant(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.pop("tenant_slug", None)
        if slug is not None and (request.tenant is None or request.tenant.slug != slug):
            raise Http404
        return
