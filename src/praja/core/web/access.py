"""Who may open a page: login, role in the request's tenant, and a verified second factor.

One answer per situation, the same on every page:
- not logged in: redirect to the login page, coming back afterwards;
- logged in, but a stranger to this tenant (no role here, registered elsewhere): the plain 404,
  so another region's admin learns nothing about this one;
- a member of this tenant without the permission: a 403 page saying so;
- the permission, but no verified second factor where one is needed: a 403 page saying what to do.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from praja.core.accounts.decorators import is_second_factor_verified
from praja.core.permissions.checks import active_roles, has_permission, requires_second_factor
from praja.core.tenancy.middleware import not_found_response
from praja.core.tenancy.urls import tenant_reverse

# Pages the accounts package owns; reversed softly so these guards work in a URLconf without them.
TENANT_LOGIN_NAMES = ("login",)
TOTP_SETUP_NAMES = ("totp-setup",)
REGISTER_NAMES = ("register",)


def first_tenant_url(names: tuple[str, ...], tenant) -> str | None:
    """Reverse the first of `names` that exists for `tenant`; None when none does."""
    for name in names:
        try:
            return tenant_reverse(name, tenant=tenant)
        except NoReverseMatch:
            continue
    return None


def login_url_for(request: HttpRequest) -> str:
    tenant = getattr(request, "tenant", None)
    base = (first_tenant_url(TENANT_LOGIN_NAMES, tenant) if tenant else None) or settings.LOGIN_URL
    return f"{base}?{urlencode({'next': request.get_full_path()})}"


def _with_next(url: str | None, request: HttpRequest) -> str | None:
    return f"{url}?{urlencode({'next': request.get_full_path()})}" if url else None


def is_member_of_tenant(user, tenant) -> bool:
    """Registered in the tenant or holding any role there (roles are read in the active tenant)."""
    return user.home_tenant_id == tenant.pk or bool(active_roles(user))


def forbidden_response(request: HttpRequest) -> HttpResponse:
    return render(request, "web/forbidden.html", status=403)


def second_factor_response(request: HttpRequest) -> HttpResponse:
    """Tell a user with the right role that they must prove their second factor first."""
    from django_otp import user_has_device

    user = request.user
    tenant = getattr(request, "tenant", None)
    if tenant is not None:
        setup_url = first_tenant_url(TOTP_SETUP_NAMES, tenant)
    else:
        setup_url = reverse("platform-totp-setup") if user.is_platform_operator else None
    context = {
        "has_device": user_has_device(user),
        "setup_url": _with_next(setup_url, request),
        "verify_action": request.get_full_path(),
    }
    return render(request, "web/second_factor_required.html", context, status=403)


def tenant_page_refusal(
    request: HttpRequest, allowed: Callable[[Any], bool] | None = None, *, second_factor: bool | None = None
) -> HttpResponse | None:
    """The answer for someone who may not open this tenant page, or None when they may.

    Login, membership, `allowed(user)` (any member when None), then the second factor: always
    (True), never (False) or when the person's roles need one (None). Every module's pages answer
    each situation the same way.
    """
    user = request.user
    if not user.is_authenticated:
        return HttpResponseRedirect(login_url_for(request))
    if not is_member_of_tenant(user, request.tenant):
        return not_found_response(request)
    if allowed is not None and not allowed(user):
        return forbidden_response(request)
    needs_second_factor = requires_second_factor(user) if second_factor is None else second_factor
    if needs_second_factor and not is_second_factor_verified(user):
        return second_factor_gate(request)
    return None


def tenant_page_required(
    allowed: Callable[[Any], bool] | None = None, *, second_factor: bool | None = None
) -> Callable:
    """Decorate a tenant page with `tenant_page_refusal`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            refused = tenant_page_refusal(request, allowed, second_factor=second_factor)
            return refused or view(request, *args, **kwargs)

        return wrapped

    return decorator


def holds_any_permission(*permissions: str) -> Callable[[Any], bool]:
    return lambda user: any(has_permission(user, permission) for permission in permissions)


def tenant_permission_required(*permissions: str, second_factor: bool | None = True) -> Callable:
    """Guard a tenant page: login, membership, any of `permissions` in this tenant, TOTP."""
    return tenant_page_required(holds_any_permission(*permissions), second_factor=second_factor)


def platform_operator_required(view: Callable) -> Callable:
    """Guard a platform page: logged in, platform operator, verified TOTP."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return HttpResponseRedirect(
                f"{settings.LOGIN_URL}?{urlencode({'next': request.get_full_path()})}"
            )
        if not user.is_platform_operator:
            return not_found_response(request)
        if not is_second_factor_verified(user):
            return second_factor_gate(request)
        return view(request, *args, **kwargs)

    return wrapped


def verify_second_factor(request: HttpRequest, token: str) -> bool:
    """Check a TOTP code typed on this request; when it matches, the session counts as verified."""
    from django_otp import login as otp_login
    from django_otp import match_token

    device = match_token(request.user, token.strip()) if token and token.strip() else None
    if device is None:
        return False
    otp_login(request, device)
    return True


def second_factor_gate(request: HttpRequest) -> HttpResponse:
    """Accept a TOTP code posted to the guarded page itself (step-up), else explain what to do."""
    if request.method == "POST" and "otp_token" in request.POST:
        from praja.core.accounts.forms import TokenForm

        form = TokenForm(request.POST)
        if form.is_valid() and verify_second_factor(request, form.cleaned_data["otp_token"]):
            return HttpResponseRedirect(request.get_full_path())
        from django.contrib import messages
        from django.utils.translation import gettext as _

        messages.error(request, _("Kode autentikator salah atau kedaluwarsa. Coba kode yang baru."))
    return second_factor_response(request)
