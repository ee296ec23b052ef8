"""API of the satisfaction survey and complaints under /t/<slug>/api/v1/licensing/."""

from django.urls import path

from praja.modules.licensing.feedback import api

urlpatterns = [
    path("ikm/", api.IkmView.as_view(), name="api-licensing-ikm"),
    path("surveys/", api.SurveyView.as_view(), name="api-licensing-survey"),
    path("surveys/kiosk/", api.KioskSurveyView.as_view(), name="api-licensing-survey-kiosk"),
    path("complaints/", api.ComplaintListView.as_view(), name="api-licensing-complaints"),
    path("complaints/track/", api.ComplaintTrackView.as_view(), name="api-licensing-complaint-track"),
    path(
        "complaints/register/", api.ComplaintRegisterView.as_view(), name="api-licensing-complaint-register"
    ),
    path("complaints/<int:complaint_id>/", api.ComplaintDetailView.as_view(), name="api-licensing-complaint"),
    path(
        "complaints/<int:complaint_id>/transition/",
        api.ComplaintTransitionView.as_view(),
        name="api-licensing-complaint-transition",
    ),
]
