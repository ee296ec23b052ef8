from django.urls import path

from praja.core.web import views
from praja.core.web.views import platform

urlpatterns = [
    path("", views.portal_home, name="portal-home"),
    path("login/", views.platform_login, name="platform-login"),
    path("logout/", views.platform_logout, name="platform-logout"),
    path("platform/", platform.platform_home, name="platform-home"),
    path("platform/2fa/setup/", platform.platform_totp_setup, name="platform-totp-setup"),
    path("platform/tenants/<int:tenant_id>/active/", platform.tenant_active, name="platform-tenant-active"),
]
