"""API routes of grant funds, included by the grants module's api_urls (/t/<slug>/api/v1/grants/…)."""

from django.urls import path

from praja.modules.grants.funds import api

urlpatterns = [
    path(
        "funds/proposals/<int:proposal_id>/tranches/",
        api.ProposalTranchesView.as_view(),
        name="api-grants-funds-tranches",
    ),
    path(
        "funds/tranches/<int:tranche_id>/verify/",
        api.TrancheVerifyView.as_view(),
        name="api-grants-funds-tranche-verify",
    ),
    path(
        "funds/tranches/<int:tranche_id>/approve/",
        api.TrancheApproveView.as_view(),
        name="api-grants-funds-tranche-approve",
    ),
    path(
        "funds/tranches/<int:tranche_id>/cancel/",
        api.TrancheCancelView.as_view(),
        name="api-grants-funds-tranche-cancel",
    ),
    path(
        "funds/tranches/<int:tranche_id>/disburse/",
        api.TrancheDisburseView.as_view(),
        name="api-grants-funds-tranche-disburse",
    ),
    path("funds/transfer-batches/", api.TransferBatchesView.as_view(), name="api-grants-funds-batches"),
    path(
        "funds/transfer-batches/<int:batch_id>/",
        api.TransferBatchView.as_view(),
        name="api-grants-funds-batch",
    ),
    path(
        "funds/transfer-batches/<int:batch_id>/confirmations/",
        api.BatchConfirmationView.as_view(),
        name="api-grants-funds-batch-confirmations",
    ),
    path(
        "funds/disbursements/<int:disbursement_id>/confirm/",
        api.DisbursementConfirmView.as_view(),
        name="api-grants-funds-disbursement-confirm",
    ),
    path("funds/proposals/<int:proposal_id>/lpj/", api.LpjView.as_view(), name="api-grants-funds-lpj"),
    path(
        "funds/proposals/<int:proposal_id>/lpj/review/",
        api.LpjReviewView.as_view(),
        name="api-grants-funds-lpj-review",
    ),
    path("public/recipients/", api.PublicRecipientsView.as_view(), name="api-grants-public-recipients"),
    path("public/stages/", api.PublicStagesView.as_view(), name="api-grants-public-stages"),
    path("public/report/<int:year>/", api.PublicReportView.as_view(), name="api-grants-public-report"),
    path(
        "public/grants/<int:proposal_id>/complaints/",
        api.PublicComplaintView.as_view(),
        name="api-grants-public-complaint",
    ),
]
