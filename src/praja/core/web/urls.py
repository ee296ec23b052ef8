from django.urls import path

from praja.core.web import views
from praja.core.web.views import manage, queue

urlpatterns = [
    path("", views.tenant_home, name="tenant-home"),
    path("logo", views.tenant_logo, name="tenant-logo"),
    path("queue/", queue.work_queue, name="work-queue"),
    path("manage/", manage.manage_home, name="manage-home"),
    path("manage/people/", manage.people, name="manage-people"),
    path("manage/people/new/", manage.official_create, name="manage-official-create"),
    path("manage/people/<int:user_id>/", manage.person, name="manage-person"),
    path("manage/people/<int:user_id>/roles/", manage.role_grant, name="manage-role-grant"),
    path("manage/roles/<int:grant_id>/revoke/", manage.role_revoke, name="manage-role-revoke"),
    path("manage/organisation/", manage.org_units, name="manage-org-units"),
    path("manage/organisation/<int:unit_id>/", manage.org_unit_edit, name="manage-org-unit"),
    path("manage/organisation/<int:unit_id>/delete/", manage.org_unit_delete, name="manage-org-unit-delete"),
    path(
        "manage/organisation/<int:unit_id>/positions/new/",
        manage.position_create,
        name="manage-position-create",
    ),
    path("manage/positions/<int:position_id>/", manage.position, name="manage-position"),
    path("manage/modules/", manage.modules, name="manage-modules"),
    path("manage/modules/<slug:module>/switch/", manage.module_switch, name="manage-module-switch"),
    path(
        "manage/modules/<slug:module>/parameters/", manage.module_parameters, name="manage-module-parameters"
    ),
    path("manage/settings/", manage.tenant_settings, name="manage-settings"),
    path("manage/holidays/", manage.holidays, name="manage-holidays"),
    path("manage/holidays/remove/", manage.holiday_remove, name="manage-holiday-remove"),
]
