"""Page routes of grant funds, included by the grants module's urls (/t/<slug>/grants/…)."""

from django.urls import path

from praja.modules.grants.funds import views
from praja.modules.grants.funds.public import views as public_views

urlpatterns = [
    # Public (no login)
    path("public/penerima/", public_views.recipients, name="grants-public-recipients"),
    path("public/penerima.csv", public_views.recipients_csv, name="grants-public-recipients-csv"),
    path("public/penerima.json", public_views.recipients_json, name="grants-public-recipients-json"),
    path("public/tahapan/", public_views.stages, name="grants-public-stages"),
    path("public/laporan/", public_views.report, name="grants-public-report"),
    path("public/laporan.csv", public_views.report_csv, name="grants-public-report-csv"),
    path("public/hibah/<int:proposal_id>/", public_views.grant, name="grants-public-grant"),
    # Officials and recipients
    path("funds/", views.queue_page, name="grants-funds-queue"),
    path("funds/proposals/<int:proposal_id>/", views.proposal_funds_page, name="grants-funds-proposal"),
    path(
        "funds/tranches/<int:tranche_id>/<slug:action>/",
        views.tranche_action,
        name="grants-funds-tranche-action",
    ),
    path("funds/batches/", views.batches_page, name="grants-funds-batches"),
    path("funds/batches/<int:batch_id>/", views.batch_page, name="grants-funds-batch"),
    path("funds/batches/<int:batch_id>/transfer.csv", views.batch_csv, name="grants-funds-batch-csv"),
    path("funds/proposals/<int:proposal_id>/lpj/", views.lpj_page, name="grants-funds-lpj"),
    path("funds/complaints/", views.complaints_page, name="grants-funds-complaints"),
    path("funds/complaints/<int:complaint_id>/", views.complaint_page, name="grants-funds-complaint"),
]
