"""Global routes, and the tenant routes under /t/<slug>/ (or at the root of a tenant's host)."""

from django.urls import include, path

from praja.core.api.docs import DocsView, SchemaView
from praja.core.modules.registry import all_manifests
from praja.core.web.views import healthz

tenant_patterns = [
    path("", include("praja.core.web.urls")),
    path("", include("praja.core.accounts.urls")),
    path("", include("praja.core.audit.urls")),
    path("", include("praja.core.documents.urls")),
    path("", include("praja.core.notifications.urls")),
    path("api/v1/", include("praja.core.api.urls")),
]
for manifest in all_manifests():
    if manifest.urls:
        tenant_patterns.append(path(f"{manifest.name}/", include(manifest.urls)))
    if manifest.api_urls:
        tenant_patterns.append(path(f"api/v1/{manifest.name}/", include(manifest.api_urls)))

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/v1/docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("praja.core.web.urls_platform")),
    path("t/<slug:tenant_slug>/", include(tenant_patterns)),
]

handler404 = "praja.core.web.views.page_not_found"
