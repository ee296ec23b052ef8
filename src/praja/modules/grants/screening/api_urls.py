"""API routes of grants screening; G1 includes them under /t/<slug>/api/v1/grants/."""

from django.urls import path

from praja.modules.grants.screening import api

urlpatterns = [
    path("beneficiaries/", api.BeneficiaryListView.as_view(), name="grants-screening-api-beneficiaries"),
    path("beneficiaries/imports/", api.ImportListView.as_view(), name="grants-screening-api-imports"),
    path(
        "beneficiaries/imports/<int:batch_id>/",
        api.ImportDetailView.as_view(),
        name="grants-screening-api-import",
    ),
    path(
        "beneficiaries/imports/<int:batch_id>/file/",
        api.ImportFileView.as_view(),
        name="grants-screening-api-import-file",
    ),
    path(
        "beneficiaries/<int:beneficiary_id>/",
        api.BeneficiaryDetailView.as_view(),
        name="grants-screening-api-beneficiary",
    ),
    path(
        "beneficiaries/<int:beneficiary_id>/screen/",
        api.BeneficiaryScreenView.as_view(),
        name="grants-screening-api-beneficiary-screen",
    ),
    path("flags/", api.FlagListView.as_view(), name="grants-screening-api-flags"),
    path("flags/<int:flag_id>/", api.FlagDetailView.as_view(), name="grants-screening-api-flag"),
    path("flags/<int:flag_id>/clear/", api.FlagClearView.as_view(), name="grants-screening-api-flag-clear"),
]
