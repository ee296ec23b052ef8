"""API routes of the grants module under /t/<slug>/api/v1/grants/ (funds and screening APIs included)."""

from django.urls import include, path

from praja.modules.grants import api

urlpatterns = [
    path("programmes/", api.ProgrammeListView.as_view(), name="grants-api-programmes"),
    path("programmes/<slug:programme_code>/", api.ProgrammeDetailView.as_view(), name="grants-api-programme"),
    path("organisations/", api.OrganisationListView.as_view(), name="grants-api-organisations"),
    path(
        "organisations/<int:organisation_id>/",
        api.OrganisationDetailView.as_view(),
        name="grants-api-organisation",
    ),
    path(
        "organisations/<int:organisation_id>/board-members/",
        api.BoardMemberView.as_view(),
        name="grants-api-board-members",
    ),
    path(
        "organisations/<int:organisation_id>/bank-account/",
        api.BankAccountView.as_view(),
        name="grants-api-bank-account",
    ),
    path(
        "organisations/<int:organisation_id>/submit/",
        api.OrganisationSubmitView.as_view(),
        name="grants-api-organisation-submit",
    ),
    path("proposals/", api.ProposalListView.as_view(), name="grants-api-proposals"),
    path("proposals/<int:proposal_id>/", api.ProposalDetailView.as_view(), name="grants-api-proposal"),
    path("proposals/<int:proposal_id>/rab/", api.RabView.as_view(), name="grants-api-rab"),
    path("proposals/<int:proposal_id>/submit/", api.SubmitView.as_view(), name="grants-api-submit"),
    path("proposals/<int:proposal_id>/resubmit/", api.ResubmitView.as_view(), name="grants-api-resubmit"),
    path("proposals/<int:proposal_id>/withdraw/", api.WithdrawView.as_view(), name="grants-api-withdraw"),
    path("proposals/<int:proposal_id>/checklist/", api.ChecklistView.as_view(), name="grants-api-checklist"),
    path("proposals/<int:proposal_id>/return/", api.ReturnView.as_view(), name="grants-api-return"),
    path("proposals/<int:proposal_id>/review/", api.ReviewView.as_view(), name="grants-api-review"),
    path("proposals/<int:proposal_id>/route/", api.RouteView.as_view(), name="grants-api-route"),
    path("proposals/<int:proposal_id>/evaluate/", api.EvaluateView.as_view(), name="grants-api-evaluate"),
    path(
        "proposals/<int:proposal_id>/verify-amount/",
        api.VerifyAmountView.as_view(),
        name="grants-api-verify-amount",
    ),
    path("proposals/<int:proposal_id>/tapd/", api.TapdView.as_view(), name="grants-api-tapd"),
    path("proposals/<int:proposal_id>/cancel/", api.CancelView.as_view(), name="grants-api-cancel"),
    path("queue/", api.QueueView.as_view(), name="grants-api-queue"),
    path("bansos/", api.BansosCaseListView.as_view(), name="grants-api-bansos"),
    path("bansos/<int:case_id>/", api.BansosCaseDetailView.as_view(), name="grants-api-bansos-case"),
    path("bansos/<int:case_id>/verify/", api.BansosVerifyView.as_view(), name="grants-api-bansos-verify"),
    path("bansos/<int:case_id>/screen/", api.BansosScreenView.as_view(), name="grants-api-bansos-screen"),
    path("bansos/<int:case_id>/cancel/", api.BansosCancelView.as_view(), name="grants-api-bansos-cancel"),
]

# G3's funds API lives under the same prefix.
urlpatterns.append(path("", include("praja.modules.grants.funds.api_urls")))
urlpatterns.append(path("", include("praja.modules.grants.screening.api_urls")))
