"""Landing pages, health check, the platform login and the error pages."""

from urllib.parse import urlencode

from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from praja.core.tenancy.selectors import list_active_tenants
from praja.core.tenancy.urls import tenant_reverse
from praja.core.web.forms import PlatformLoginForm


def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def page_not_found(request: HttpRequest, exception=None):
    from praja.core.api.errors import is_api_path, json_not_found

    if is_api_path(request.path):
        return json_not_found(request, exception)
    return render(request, "404.html", status=404)


def portal_home(request: HttpRequest):
    return render(request, "web/portal_home.html", {"tenants": list_active_tenants()})


def _optional_tenant_url(name: str) -> str | None:
    try:
        return tenant_reverse(name)
    except NoReverseMatch:
        return None


def tenant_home(request: HttpRequest):
    """The tenant's front page: letterhead, its enabled services, and the ways in."""
    from praja.core.web.access import REGISTER_NAMES, TENANT_LOGIN_NAMES, first_tenant_url
    from praja.core.web.selectors import list_enabled_manifests

    home = tenant_reverse("tenant-home")
    modules = [
        {
            "label": manifest.label,
            "description": manifest.description,
            "url": f"{home}{manifest.name}/" if manifest.urls else None,
        }
        for manifest in list_enabled_manifests()
    ]
    context = {
        "modules": modules,
        "login_url": first_tenant_url(TENANT_LOGIN_NAMES, request.tenant) or "/login/",
        "register_url": first_tenant_url(REGISTER_NAMES, request.tenant),
        "checkpoints_url": _optional_tenant_url("audit-checkpoints"),
    }
    return render(request, "web/tenant_home.html", context)


def tenant_logo(request: HttpRequest):
    """Serve the tenant's checked logo (PNG or JPEG) from storage; no media URL is exposed."""
    logo = request.tenant.logo
    if not logo:
        raise Http404
    content_type = "image/png" if logo.name.endswith(".png") else "image/jpeg"
    response = FileResponse(logo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=300"
    return response


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def platform_login(request: HttpRequest) -> HttpResponse:
    """Log in with email/NIK/NIP and password, plus the TOTP code when the account has a device."""
    from django_otp import match_token, user_has_device

    form = PlatformLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, identifier=form.cleaned_data["identifier"], password=form.cleaned_data["password"]
        )
        device = None
        if user is None:
            form.add_error(None, _("Email/NIK/NIP atau kata sandi salah."))
        elif user_has_device(user):
            token = form.cleaned_data["otp_token"].strip()
            device = match_token(user, token) if token else None
            if device is None:
                form.add_error(
                    "otp_token", _("Akun ini memakai kode autentikator: isi kode 6 digit yang berlaku.")
                )
        if form.is_valid():
            if device is not None:
                user.otp_device = device  # django-otp keeps it in the session at login
            auth_login(request, user, backend="praja.core.accounts.backends.IdentifierBackend")
            _record_platform_login(request, user, second_factor=device is not None)
            default = "/platform/" if user.is_platform_operator else "/"
            target = _safe_next(request, default)
            if user.is_platform_operator and device is None:
                # Every platform page needs the second factor: enrol the authenticator app first.
                target = f"{reverse('platform-totp-setup')}?{urlencode({'next': target})}"
            return HttpResponseRedirect(target)
    return render(request, "web/login.html", {"form": form, "next": _safe_next(request, "")})


def _record_platform_login(request: HttpRequest, user, *, second_factor: bool) -> None:
    if user.is_platform_operator:
        from praja.core.audit.actions import record

        record(
            "platform.operator_login",
            actor=user,
            obj=user,
            platform=True,
            ip_address=request.META.get("REMOTE_ADDR", ""),
            data={"second_factor": second_factor},
        )


@require_POST
def platform_logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return HttpResponseRedirect("/")
