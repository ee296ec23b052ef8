"""API of the performance module under /t/<slug>/api/v1/performance/ (P2's tpp API included)."""

from importlib.util import find_spec

from django.urls import include, path

from praja.modules.performance import api

urlpatterns = [
    path("activities/", api.ActivityListView.as_view(), name="performance-api-activities"),
    path("entries/", api.EntryListView.as_view(), name="performance-api-entries"),
    path("entries/<int:entry_id>/", api.EntryDetailView.as_view(), name="performance-api-entry"),
    path("entries/<int:entry_id>/validate/", api.ValidateView.as_view(), name="performance-api-validate"),
    path("validation/", api.ValidationQueueView.as_view(), name="performance-api-validation"),
    path("validation/bulk/", api.BulkValidateView.as_view(), name="performance-api-validation-bulk"),
    path("month/", api.MonthView.as_view(), name="performance-api-month"),
    path("attendance/check/", api.CheckView.as_view(), name="performance-api-check"),
    path("attendance/events/", api.TerminalEventView.as_view(), name="performance-api-terminal-events"),
    path("absences/", api.AbsenceListView.as_view(), name="performance-api-absences"),
    path(
        "absences/<int:request_id>/decide/",
        api.AbsenceDecideView.as_view(),
        name="performance-api-absence-decide",
    ),
    path("corrections/", api.CorrectionListView.as_view(), name="performance-api-corrections"),
    path("employees/", api.EmployeeListView.as_view(), name="performance-api-employees"),
    path(
        "employees/<int:employee_id>/month/",
        api.EmployeeMonthView.as_view(),
        name="performance-api-employee-month",
    ),
    path("apel-absences/", api.ApelAbsenceView.as_view(), name="performance-api-apel"),
    path(
        "corrections/<int:correction_id>/decide/",
        api.CorrectionDecideView.as_view(),
        name="performance-api-correction-decide",
    ),
]

if find_spec("praja.modules.performance.tpp.api_urls") is not None:
    # P2's paths are relative ("results/me/") and land next to ours.
    urlpatterns.append(path("", include("praja.modules.performance.tpp.api_urls")))
