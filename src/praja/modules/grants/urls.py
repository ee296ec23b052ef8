"""Page routes of the grants module under /t/<slug>/grants/ (funds, public and screening pages included)."""

from django.urls import include, path

from praja.modules.grants import views

urlpatterns = [
    # Public (no login)
    path("", views.catalogue_page, name="grants-catalogue"),
    path("programmes/<slug:programme_code>/", views.programme_page, name="grants-programme"),
    # Organisations (representatives)
    path("organisations/", views.my_organisations_page, name="grants-my-organisations"),
    path("organisations/new/", views.organisation_new_page, name="grants-organisation-new"),
    path("organisations/<int:organisation_id>/", views.organisation_page, name="grants-organisation"),
    path(
        "organisations/<int:organisation_id>/board/",
        views.organisation_board_page,
        name="grants-organisation-board",
    ),
    path(
        "organisations/<int:organisation_id>/board/<int:member_id>/remove/",
        views.organisation_board_remove_page,
        name="grants-organisation-board-remove",
    ),
    path(
        "organisations/<int:organisation_id>/bank/",
        views.organisation_bank_page,
        name="grants-organisation-bank",
    ),
    path(
        "organisations/<int:organisation_id>/upload/<slug:code>/",
        views.organisation_upload_page,
        name="grants-organisation-upload",
    ),
    path(
        "organisations/<int:organisation_id>/submit/",
        views.organisation_submit_page,
        name="grants-organisation-submit",
    ),
    # Proposals (applicants)
    path("programmes/<slug:programme_code>/apply/", views.apply_page, name="grants-apply"),
    path("proposals/", views.my_proposals_page, name="grants-my-proposals"),
    path("proposals/<int:proposal_id>/", views.proposal_page, name="grants-proposal"),
    path("proposals/<int:proposal_id>/edit/", views.proposal_edit_page, name="grants-proposal-edit"),
    path(
        "proposals/<int:proposal_id>/upload/<slug:code>/",
        views.proposal_upload_page,
        name="grants-proposal-upload",
    ),
    path("proposals/<int:proposal_id>/photos/", views.proposal_photo_page, name="grants-proposal-photo"),
    path(
        "proposals/<int:proposal_id>/withdraw/", views.proposal_withdraw_page, name="grants-proposal-withdraw"
    ),
    path("proposals/<int:proposal_id>/nphd/sign/", views.nphd_recipient_sign_page, name="grants-nphd-sign"),
    path("proposals/<int:proposal_id>/nphd/download/", views.nphd_download_page, name="grants-nphd-download"),
    # Officials
    path("queue/", views.queue_page, name="grants-queue"),
    path("files/<int:proposal_id>/", views.official_proposal_page, name="grants-official-proposal"),
    path(
        "files/<int:proposal_id>/do/<slug:action>/", views.official_action_page, name="grants-official-action"
    ),
    path(
        "files/<int:proposal_id>/nphd/download/",
        views.official_nphd_download_page,
        name="grants-official-nphd-download",
    ),
    path("verification/", views.official_organisations_page, name="grants-official-organisations"),
    path(
        "verification/<int:organisation_id>/",
        views.official_organisation_page,
        name="grants-official-organisation",
    ),
    path(
        "verification/<int:organisation_id>/do/<slug:action>/",
        views.official_organisation_action_page,
        name="grants-official-organisation-action",
    ),
    path("decrees/", views.decrees_page, name="grants-decrees"),
    path("decrees/<int:decree_id>/", views.decree_page, name="grants-decree"),
    path("decrees/<int:decree_id>/download/", views.decree_download_page, name="grants-decree-download"),
    path("bansos/", views.bansos_page, name="grants-bansos"),
    # Programme administration
    path("admin/programmes/", views.admin_programmes_page, name="grants-admin-programmes"),
    path("admin/programmes/new/", views.admin_programme_page, name="grants-admin-programme-new"),
    path("admin/programmes/<int:programme_id>/", views.admin_programme_page, name="grants-admin-programme"),
]

# G3's funds pages (funds/..., public/...) live under the same prefix.
urlpatterns.append(path("", include("praja.modules.grants.funds.urls")))
urlpatterns.append(path("screening/", include("praja.modules.grants.screening.urls")))
