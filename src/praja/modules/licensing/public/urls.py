"""Public page routes under /t/<slug>/licensing/ (no login)."""

from django.urls import path

from praja.modules.licensing.public import views

urlpatterns = [
    path("lacak/", views.track, name="licensing-track"),
    path("statistik/", views.statistics, name="licensing-statistics"),
    path(
        "statistik/<slug:permit_type_code>/",
        views.permit_type_statistics,
        name="licensing-permit-type-statistics",
    ),
]
