"""A person's own pages: registration, email proof, login with second factor, profile, passwords."""

from __future__ import annotations

import base64
import io
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from praja.core.accounts import actions
from praja.core.accounts.decorators import has_confirmed_device, is_second_factor_verified
from praja.core.accounts.forms import (
    LoginForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
    ProfileForm,
    RegistrationForm,
    SetPasswordForm,
    TokenForm,
)
from praja.core.accounts.models import User
from praja.core.accounts.rules import mask_nik
from praja.core.accounts.selectors import (
    list_active_role_grants_with_org_units,
    list_active_roles_everywhere,
    list_tenants_by_id,
)
from praja.core.permissions.checks import requires_second_factor, roles_require_second_factor
from praja.core.permissions.roles import get_role
from praja.core.tenancy.urls import tenant_reverse

PENDING_LOGIN_KEY = "praja_pending_login"
PENDING_LOGIN_SECONDS = 300
_HOME_NAMES = ("my-files", "profile")
_OFFICIAL_HOME_NAMES = ("work-queue", "my-files", "profile")


def lockout_response(request, credentials, *args, **kwargs):
    minutes = max(1, round(settings.AXES_COOLOFF_TIME * 60))
    return render(
        request,
        "accounts/locked.html",
        {
            "message": _(
                "Terlalu banyak percobaan masuk yang gagal. Akun dikunci sementara; "
                "coba lagi %(minutes)d menit lagi."
            )
            % {"minutes": minutes}
        },
        status=429,
    )


def _ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _first_url(names: tuple[str, ...], tenant) -> str:
    for name in names:
        try:
            return tenant_reverse(name, tenant=tenant)
        except NoReverseMatch:
            continue
    return tenant_reverse("tenant-home", tenant=tenant)


def _home_url(request: HttpRequest, user) -> str:
    from praja.core.permissions.checks import active_roles

    return _first_url(_OFFICIAL_HOME_NAMES if active_roles(user) else _HOME_NAMES, request.tenant)


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _login_required(request: HttpRequest) -> HttpResponse | None:
    if request.user.is_authenticated:
        return None
    return HttpResponseRedirect(
        _with_next(tenant_reverse("login", tenant=request.tenant), request.get_full_path())
    )


def _set_language_cookie(response: HttpResponse, language: str) -> HttpResponse:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


# Registration and email proof


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return HttpResponseRedirect(tenant_reverse("profile", tenant=request.tenant))
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = actions.register_citizen(
                tenant=request.tenant,
                nik=data["nik"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                password=data["password"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session["praja_registered_email"] = user.email
            return HttpResponseRedirect(tenant_reverse("register-done", tenant=request.tenant))
    return render(request, "accounts/register.html", {"form": form})


def register_done(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/register_done.html", {"email": request.session.get("praja_registered_email")}
    )


_VERIFICATION_MESSAGES = {
    "unknown": gettext_lazy("Tautan verifikasi ini tidak dikenal. Periksa kembali tautan di email Anda."),
    "used": gettext_lazy(
        "Tautan verifikasi ini sudah dipakai. Bila email Anda sudah terverifikasi, silakan masuk."
    ),
    "expired": gettext_lazy(
        "Tautan verifikasi ini sudah kedaluwarsa (berlaku 48 jam). "
        "Masuk, lalu minta tautan baru dari halaman profil."
    ),
    "taken": gettext_lazy("Alamat email ini sudah dipakai akun lain; email Anda tidak diubah."),
}


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = actions.verify_email(token=token, tenant=request.tenant)
    except actions.VerificationFailed as failure:
        return render(
            request,
            "accounts/verify_email.html",
            {"failed": True, "message": _VERIFICATION_MESSAGES[failure.reason]},
            status=400,
        )
    return render(request, "accounts/verify_email.html", {"failed": False, "verified_user": user})


@require_POST
def verify_email_resend(request: HttpRequest) -> HttpResponse:
    if response := _login_required(request):
        return response
    actions.resend_verification(actor=request.user, tenant=request.tenant)
    messages.success(
        request, _("Tautan verifikasi baru telah dikirim ke %(email)s.") % {"email": request.user.email}
    )
    return HttpResponseRedirect(_safe_next(request) or tenant_reverse("profile", tenant=request.tenant))


# Login, second factor, logout


def _complete_login(request: HttpRequest, user, *, backend: str, next_url: str, device=None) -> HttpResponse:
    from django_otp import login as otp_login

    auth_login(request, user, backend=backend)
    if device is not None:
        otp_login(request, device)
    actions.record_login(user=user, tenant=request.tenant, request=request)
    if device is None and requires_second_factor(user):
        messages.info(
            request, _("Peran Anda mewajibkan verifikasi dua langkah. Pasang aplikasi autentikator dulu.")
        )
        target = _with_next(tenant_reverse("totp-setup", tenant=request.tenant), next_url)
    else:
        target = next_url or _home_url(request, user)
    return _set_language_cookie(HttpResponseRedirect(target), user.preferred_language or "id")


def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    if request.method == "GET" and request.user.is_authenticated:
        return HttpResponseRedirect(next_url or _home_url(request, request.user))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, identifier=form.cleaned_data["identifier"], password=form.cleaned_data["password"]
        )
        if user is None:
            # A locked-out request is answered by the axes middleware with the lockout page.
            form.add_error(None, _("Email/NIK/NIP atau kata sandi salah."))
        else:
            from django_otp.plugins.otp_totp.models import TOTPDevice

            if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                request.session[PENDING_LOGIN_KEY] = {
                    "user_id": user.pk,
                    "backend": user.backend,
                    "at": time.time(),
                    "next": next_url,
                }
                return HttpResponseRedirect(tenant_reverse("login-otp", tenant=request.tenant))
            return _complete_login(request, user, backend=user.backend, next_url=next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


def _pending_login(request: HttpRequest) -> dict | None:
    pending = request.session.get(PENDING_LOGIN_KEY)
    if pending and time.time() - pending["at"] <= PENDING_LOGIN_SECONDS:
        return pending
    request.session.pop(PENDING_LOGIN_KEY, None)
    return None


def login_otp(request: HttpRequest) -> HttpResponse:
    """Second step of login (pending password login) or step-up for a logged-in person."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    pending = _pending_login(request)
    if pending:
        user = User.objects.filter(pk=pending["user_id"], is_active=True).first()
        next_url = pending["next"]
    elif request.user.is_authenticated:
        user, next_url = request.user, _safe_next(request)
        if is_second_factor_verified(user):
            return HttpResponseRedirect(next_url or _home_url(request, user))
    else:
        user = None
    if user is None:
        messages.error(request, _("Sesi masuk Anda berakhir; silakan masuk lagi."))
        return HttpResponseRedirect(tenant_reverse("login", tenant=request.tenant))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        return HttpResponseRedirect(_with_next(tenant_reverse("totp-setup", tenant=request.tenant), next_url))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            form.add_error(
                "otp_token", _("Terlalu banyak kode salah. Tunggu beberapa detik, lalu coba lagi.")
            )
        elif actions.verify_second_factor(
            user=user,
            tenant=request.tenant,
            device=device,
            token=form.cleaned_data["otp_token"],
            ip_address=_ip(request),
        ):
            if pending:
                request.session.pop(PENDING_LOGIN_KEY, None)
                return _complete_login(
                    request, user, backend=pending["backend"], next_url=next_url, device=device
                )
            otp_login(request, device)
            return HttpResponseRedirect(next_url or _home_url(request, user))
        else:
            form.add_error("otp_token", _("Kode autentikator salah atau kedaluwarsa. Coba kode yang baru."))
    return render(request, "accounts/login_otp.html", {"form": form, "next": next_url if not pending else ""})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.success(request, _("Anda telah keluar."))
    return HttpResponseRedirect(tenant_reverse("tenant-home", tenant=request.tenant))


def _qr_data_uri(text: str) -> str:
    import qrcode

    image = qrcode.make(text, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def totp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: QR code and secret, then one code to confirm."""
    if response := _login_required(request):
        return response
    next_url = _safe_next(request)
    return enrol_totp(
        request,
        tenant=request.tenant,
        next_url=next_url,
        verify_url=_with_next(tenant_reverse("login-otp", tenant=request.tenant), next_url),
        installed_url=tenant_reverse("profile", tenant=request.tenant),
        done_url=_home_url(request, request.user),
    )


def enrol_totp(
    request: HttpRequest, *, tenant, next_url: str, verify_url: str, installed_url: str, done_url: str
) -> HttpResponse:
    """The enrolment page of a logged-in person, in a tenant or (`tenant` None) on the platform.

    A person whose app is already confirmed goes to `verify_url` when this session has not proved
    it yet, else to `next_url` or `installed_url`; a confirmed enrolment goes to `next_url` or
    `done_url`, with the session verified.
    """
    from django_otp import login as otp_login

    user = request.user
    if has_confirmed_device(user):
        if not is_second_factor_verified(user):
            return HttpResponseRedirect(verify_url)
        messages.info(request, _("Aplikasi autentikator Anda sudah terpasang."))
        return HttpResponseRedirect(next_url or installed_url)
    device = actions.start_totp_enrolment(actor=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            form.add_error(
                "otp_token", _("Terlalu banyak kode salah. Tunggu beberapa detik, lalu coba lagi.")
            )
        elif actions.confirm_totp_device(
            actor=user,
            tenant=tenant,
            device=device,
            token=form.cleaned_data["otp_token"],
            ip_address=_ip(request),
        ):
            device.refresh_from_db()
            otp_login(request, device)
            messages.success(
                request, _("Verifikasi dua langkah aktif. Mulai sekarang, masuk dengan kode dari aplikasi.")
            )
            return HttpResponseRedirect(next_url or done_url)
        else:
            form.add_error("otp_token", _("Kode autentikator salah atau kedaluwarsa. Coba kode yang baru."))
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": next_url,
        "qr_data_uri": _qr_data_uri(device.config_url),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
    }
    return render(request, "accounts/totp_setup.html", context)


# Profile and passwords


def _profile_context(request: HttpRequest, form: ProfileForm) -> dict:
    user = request.user
    grants = [
        {
            "label": (role.label if (role := get_role(grant.role)) else grant.role),
            "org_unit": grant.org_unit.name if grant.org_unit_id else "",
        }
        for grant in list_active_role_grants_with_org_units(user)
    ]
    # One read of the person's grants in every tenant answers both "where else do I work" and
    # "do my roles need a second factor"; the home tenant joins the same tenant query.
    roles_everywhere = list_active_roles_everywhere(user)
    tenant_ids = {tenant_id for tenant_id, _role in roles_everywhere}
    if user.home_tenant_id:
        tenant_ids.add(user.home_tenant_id)
    tenants = sorted(list_tenants_by_id(tenant_ids), key=lambda tenant: tenant.name)
    roles = {role for _tenant, role in roles_everywhere}
    return {
        "form": form,
        "person": user,
        "masked_nik": mask_nik(user.nik) if user.nik else "",
        "grants": grants,
        "tenants": tenants,
        "has_device": has_confirmed_device(user),
        "needs_second_factor": roles_require_second_factor(user, roles),
    }


def profile(request: HttpRequest) -> HttpResponse:
    if response := _login_required(request):
        return response
    user = request.user
    initial = {
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        "preferred_language": user.preferred_language or "id",
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            email_pending = actions.update_profile(
                actor=user,
                tenant=request.tenant,
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                preferred_language=data["preferred_language"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Profil Anda telah disimpan."))
            if email_pending:
                messages.info(
                    request,
                    _(
                        "Kami mengirim tautan verifikasi ke %(email)s. Email lama tetap dipakai "
                        "sampai tautan itu dibuka."
                    )
                    % {"email": data["email"]},
                )
            response = HttpResponseRedirect(tenant_reverse("profile", tenant=request.tenant))
            return _set_language_cookie(response, data["preferred_language"])
    return render(request, "accounts/profile.html", _profile_context(request, form))


def password_reset_request(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.request_password_reset(tenant=request.tenant, email=form.cleaned_data["email"])
        return HttpResponseRedirect(tenant_reverse("password-reset-sent", tenant=request.tenant))
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")


def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist, ValidationError):
        user = None
    from django.contrib.auth.tokens import default_token_generator

    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/password_reset_confirm.html", {"invalid": True}, status=400)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.reset_password(
                user=user, token=token, tenant=request.tenant, new_password=form.cleaned_data["new_password"]
            )
        except ValidationError as error:
            form.add_error("new_password", error)
        else:
            messages.success(request, _("Kata sandi baru tersimpan. Silakan masuk."))
            return HttpResponseRedirect(tenant_reverse("login", tenant=request.tenant))
    return render(request, "accounts/password_reset_confirm.html", {"form": form, "invalid": False})


def password_change(request: HttpRequest) -> HttpResponse:
    if response := _login_required(request):
        return response
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.change_password(
                actor=request.user,
                tenant=request.tenant,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error(None, error)
            else:
                form.add_error("new_password", error)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Kata sandi Anda telah diganti."))
            return HttpResponseRedirect(tenant_reverse("profile", tenant=request.tenant))
    return render(request, "accounts/password_change.html", {"form": form})
