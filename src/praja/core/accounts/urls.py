"""A person's own pages under /t/<slug>/: English paths, Indonesian pages."""

from django.urls import path

from praja.core.accounts import views

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/done/", views.register_done, name="register-done"),
    path("verify-email/resend/", views.verify_email_resend, name="verify-email-resend"),
    path("verify-email/<str:token>/", views.verify_email, name="verify-email"),
    path("login/", views.login_view, name="login"),
    path("login/second-factor/", views.login_otp, name="login-otp"),
    path("logout/", views.logout_view, name="logout"),
    path("2fa/setup/", views.totp_setup, name="totp-setup"),
    path("profile/", views.profile, name="profile"),
    path("password/change/", views.password_change, name="password-change"),
    path("password/reset/", views.password_reset_request, name="password-reset"),
    path("password/reset/sent/", views.password_reset_sent, name="password-reset-sent"),
    path(
        "password/reset/<str:uidb64>/<str:token>/",
        views.password_reset_confirm,
        name="password-reset-confirm",
    ),
]
