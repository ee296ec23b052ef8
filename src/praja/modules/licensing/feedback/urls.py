"""Pages of the satisfaction survey and complaints under /t/<slug>/licensing/."""

from django.urls import path

from praja.modules.licensing.feedback import views

urlpatterns = [
    path("survey/<int:application_id>/", views.survey, name="licensing-survey"),
    path("survey/kiosk/", views.kiosk_survey, name="licensing-kiosk-survey"),
    path("ikm/", views.ikm_dashboard, name="licensing-ikm"),
    path("ikm/report/", views.ikm_report_issue, name="licensing-ikm-report"),
    path("complaints/new/", views.complaint_new, name="licensing-complaint-new"),
    path("complaints/track/", views.complaint_track, name="licensing-complaint-track"),
    path("complaints/mine/", views.my_complaints, name="licensing-my-complaints"),
    path("complaints/register/", views.complaint_register, name="licensing-complaint-register"),
    path("complaints/", views.complaint_queue, name="licensing-complaint-queue"),
    path("complaints/<int:complaint_id>/", views.complaint_detail, name="licensing-complaint-detail"),
]
