"""The OpenAPI schema and Swagger UI, served by Praja itself from vendored (sidecar) static files."""

from __future__ import annotations

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView


class SchemaView(SpectacularAPIView):
    """`/api/v1/schema/` (YAML; JSON with `?format=json`), covering every tenant route."""


class DocsView(SpectacularSwaggerView):
    """`/api/v1/docs/`: Swagger UI whose inline script and style carry the page's CSP nonce."""

    template_name = "api/swagger_ui.html"
