"""Page routes of the licensing module under /t/<slug>/licensing/ (L2's and L3's included)."""

from django.urls import include, path

from praja.modules.licensing import views

urlpatterns = [
    # Public (no login)
    path("", views.catalogue_page, name="licensing-catalogue"),
    path("services/<slug:permit_type_code>/", views.standard_page, name="licensing-standard"),
    # Applicant
    path("services/<slug:permit_type_code>/apply/", views.apply_page, name="licensing-apply"),
    path("applications/", views.my_applications_page, name="licensing-my-applications"),
    path("applications/<int:application_id>/", views.application_page, name="licensing-application"),
    path(
        "applications/<int:application_id>/edit/",
        views.application_edit_page,
        name="licensing-application-edit",
    ),
    path(
        "applications/<int:application_id>/upload/<slug:requirement_code>/",
        views.upload_page,
        name="licensing-upload",
    ),
    path("applications/<int:application_id>/withdraw/", views.withdraw_page, name="licensing-withdraw"),
    path("applications/<int:application_id>/receipt/", views.receipt_page, name="licensing-receipt"),
    path("permits/<int:permit_id>/download/", views.permit_download_page, name="licensing-permit-download"),
    path("permits/<int:permit_id>/renew/", views.renew_page, name="licensing-renew"),
    # Officials
    path("queue/", views.queue_page, name="licensing-queue"),
    path(
        "files/<int:application_id>/", views.official_application_page, name="licensing-official-application"
    ),
    path("files/<int:application_id>/out-of-turn/", views.out_of_turn_page, name="licensing-out-of-turn"),
    path(
        "files/<int:application_id>/do/<slug:action>/",
        views.official_action_page,
        name="licensing-official-action",
    ),
    path("performance/", views.performance_page, name="licensing-performance"),
    # Catalogue administration
    path("catalogue/", views.admin_catalogue_page, name="licensing-admin-catalogue"),
    path("catalogue/new/", views.admin_permit_type_page, name="licensing-admin-permit-type-new"),
    path("catalogue/<int:permit_type_id>/", views.admin_permit_type_page, name="licensing-admin-permit-type"),
    path(
        "catalogue/<int:permit_type_id>/new-version/",
        views.admin_new_version_page,
        name="licensing-admin-new-version",
    ),
    path(
        "catalogue/versions/<int:requirement_set_id>/",
        views.admin_version_page,
        name="licensing-admin-version",
    ),
    # L3 (payments simulator, public tracking and statistics) and L2 (survey, complaints)
    path("", include("praja.modules.licensing.public.urls")),
    path("", include("praja.modules.licensing.payments.urls")),
    path("", include("praja.modules.licensing.feedback.urls")),
]
