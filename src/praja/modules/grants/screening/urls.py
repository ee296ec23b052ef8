"""Page routes of grants screening; G1 includes them under /t/<slug>/grants/screening/."""

from django.urls import path

from praja.modules.grants.screening import views

urlpatterns = [
    path("beneficiaries/", views.beneficiary_list_page, name="grants-screening-beneficiaries"),
    path("beneficiaries/new/", views.beneficiary_new_page, name="grants-screening-beneficiary-new"),
    path("beneficiaries/<int:beneficiary_id>/", views.beneficiary_page, name="grants-screening-beneficiary"),
    path("me/", views.citizen_registration_page, name="grants-screening-me"),
    path("imports/", views.import_page, name="grants-screening-imports"),
    path("imports/template.csv", views.import_template_csv, name="grants-screening-import-template"),
    path("imports/<int:batch_id>/", views.import_report_page, name="grants-screening-import"),
    path("imports/<int:batch_id>/status/", views.import_status_json, name="grants-screening-import-status"),
    path("imports/<int:batch_id>/file/", views.import_file_download, name="grants-screening-import-file"),
    path(
        "imports/<int:batch_id>/rejections.csv",
        views.import_rejections_csv,
        name="grants-screening-import-csv",
    ),
    path("flags/", views.flag_list_page, name="grants-screening-flags"),
    path("flags/<int:flag_id>/", views.flag_page, name="grants-screening-flag"),
    path("prices/", views.price_list_page, name="grants-screening-prices"),
]
