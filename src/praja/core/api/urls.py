"""Core API routes, included under the tenant prefix at `api/v1/`."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from praja.core.api import views

router = SimpleRouter(use_regex_path=False)
router.register("org-units", views.OrgUnitViewSet, basename="api-org-unit")
router.register("people", views.PersonViewSet, basename="api-person")
router.register("roles", views.RoleGrantViewSet, basename="api-role-grant")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api-me"),
    path("tenant/", views.TenantView.as_view(), name="api-tenant"),
    *router.urls,
]
