"""Global routes, and the tenant routes under /t/<slug>/ (or at the root of a tenant's host).

Django tries URL patterns in order and pays for every pattern a path fails, so the tenant routes are
grouped by their first segment: `api/v1/` first, then one prefix per module, then the core pages
(whose paths never start with `api/` or a module's name). A module's request is resolved after a
handful of prefix checks instead of after every core page's pattern.
"""

from django.urls import include, path

from praja.core.api.docs import DocsView, SchemaView
from praja.core.modules.registry import all_manifests
from praja.core.web.views import healthz

api_patterns = [
    *(path(f"{m.name}/", include(m.api_urls)) for m in all_manifests() if m.api_urls),
    path("", include("praja.core.api.urls")),
]
tenant_patterns = [
    path("api/v1/", include(api_patterns)),
    *(path(f"{m.name}/", include(m.urls)) for m in all_manifests() if m.urls),
    path("", include("praja.core.web.urls")),
    path("", include("praja.core.accounts.urls")),
    path("", include("praja.core.audit.urls")),
    path("", include("praja.core.documents.urls")),
    path("", include("praja.core.notifications.urls")),
]

# Tenants first: nearly every request is a tenant's; no other route starts with `t/`.
urlpatterns = [
    path("t/<slug:tenant_slug>/", include(tenant_patterns)),
    path("healthz", healthz, name="healthz"),
    path("api/v1/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/v1/docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("praja.core.web.urls_platform")),
]

handler404 = "praja.core.web.views.page_not_found"
