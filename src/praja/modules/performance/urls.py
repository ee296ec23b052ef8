"""Pages of the performance module under /t/<slug>/performance/ (P2's tpp/ pages included)."""

from importlib.util import find_spec

from django.urls import include, path

from praja.modules.performance import views

urlpatterns = [
    path("", views.my_month_page, name="performance-my-month"),
    path("day/", views.my_day_page, name="performance-my-day"),
    path("entries/<int:entry_id>/edit/", views.edit_entry_page, name="performance-entry-edit"),
    path("entries/<int:entry_id>/delete/", views.delete_entry_page, name="performance-entry-delete"),
    path("attendance/", views.attendance_page, name="performance-attendance"),
    path("requests/", views.requests_page, name="performance-requests"),
    path("team/", views.team_page, name="performance-team"),
    path("team/validate/", views.validate_page, name="performance-validate"),
    path(
        "team/requests/<slug:kind>/<int:request_id>/",
        views.decide_request_page,
        name="performance-decide-request",
    ),
    path("employees/", views.employees_page, name="performance-employees"),
    path("employees/new/", views.employee_new_page, name="performance-employee-new"),
    path("employees/<int:employee_id>/edit/", views.employee_edit_page, name="performance-employee-edit"),
    path("apel/", views.apel_page, name="performance-apel"),
    path("corrections/", views.corrections_page, name="performance-corrections"),
    path("employees/<int:employee_id>/", views.employee_month_page, name="performance-employee-month"),
    path("config/", views.configs_page, name="performance-configs"),
    path("config/<int:config_id>/", views.config_page, name="performance-config"),
]

if find_spec("praja.modules.performance.tpp.urls") is not None:
    urlpatterns.append(path("tpp/", include("praja.modules.performance.tpp.urls")))
