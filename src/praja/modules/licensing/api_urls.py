"""API routes of the licensing module under /t/<slug>/api/v1/licensing/ (L2's and L3's included)."""

from django.urls import include, path

from praja.modules.licensing import api

urlpatterns = [
    # First: the public look-ups (tracking above all) are the most frequent requests here, and
    # Django pays for every pattern a path fails before it matches; no pattern below overlaps them.
    path("", include("praja.modules.licensing.payments.api_urls")),
    path("permit-types/", api.PermitTypeListView.as_view(), name="licensing-api-permit-types"),
    path(
        "permit-types/<slug:permit_type_code>/",
        api.PermitTypeDetailView.as_view(),
        name="licensing-api-permit-type",
    ),
    path("applications/", api.ApplicationListView.as_view(), name="licensing-api-applications"),
    path(
        "applications/<int:application_id>/",
        api.ApplicationDetailView.as_view(),
        name="licensing-api-application",
    ),
    path(
        "applications/<int:application_id>/documents/",
        api.DocumentUploadView.as_view(),
        name="licensing-api-documents",
    ),
    path("applications/<int:application_id>/submit/", api.SubmitView.as_view(), name="licensing-api-submit"),
    path(
        "applications/<int:application_id>/resubmit/",
        api.ResubmitView.as_view(),
        name="licensing-api-resubmit",
    ),
    path(
        "applications/<int:application_id>/withdraw/",
        api.WithdrawView.as_view(),
        name="licensing-api-withdraw",
    ),
    path(
        "applications/<int:application_id>/out-of-turn/",
        api.OutOfTurnView.as_view(),
        name="licensing-api-out-of-turn",
    ),
    path(
        "applications/<int:application_id>/complete/",
        api.CompleteView.as_view(),
        name="licensing-api-complete",
    ),
    path("applications/<int:application_id>/return/", api.ReturnView.as_view(), name="licensing-api-return"),
    path(
        "applications/<int:application_id>/register/",
        api.RegisterView.as_view(),
        name="licensing-api-register",
    ),
    path(
        "applications/<int:application_id>/assign-team/",
        api.AssignTeamView.as_view(),
        name="licensing-api-assign-team",
    ),
    path(
        "applications/<int:application_id>/inspection/",
        api.InspectionView.as_view(),
        name="licensing-api-inspection",
    ),
    path(
        "applications/<int:application_id>/recommend/",
        api.RecommendView.as_view(),
        name="licensing-api-recommend",
    ),
    path("applications/<int:application_id>/decide/", api.DecideView.as_view(), name="licensing-api-decide"),
    path("permits/<int:permit_id>/revoke/", api.RevokeView.as_view(), name="licensing-api-revoke"),
    path("queue/", api.QueueView.as_view(), name="licensing-api-queue"),
    path("performance/", api.PerformanceView.as_view(), name="licensing-api-performance"),
    path("", include("praja.modules.licensing.feedback.api_urls")),
]
