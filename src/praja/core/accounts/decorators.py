"""Guards for pages: a verified email before applying, a verified second factor before approving.

Use on tenant views (function views take the decorators, class views the mixins):

    @verified_citizen_required          # citizens apply only with a proved email address
    @second_factor_required             # approval pages: TOTP verified in this session
    @otp_required_for_approvers         # any page: TOTP verified if the person's roles need it
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from praja.core.permissions.checks import requires_second_factor
from praja.core.tenancy.urls import tenant_reverse


def _redirect_to(name: str, request: HttpRequest) -> HttpResponseRedirect:
    url = tenant_reverse(name, tenant=request.tenant)
    return HttpResponseRedirect(f"{url}?{urlencode({'next': request.get_full_path()})}")


def is_second_factor_verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def has_confirmed_device(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_redirect(request: HttpRequest) -> HttpResponseRedirect:
    """Send a logged-in person to enrol TOTP, or to type a code when a device exists."""
    if has_confirmed_device(request.user):
        return _redirect_to("login-otp", request)
    return _redirect_to("totp-setup", request)


def _check_verified_citizen(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return _redirect_to("login", request)
    if not request.user.has_verified_email:
        return render(request, "accounts/verify_required.html", status=403)
    return None


def _check_second_factor(request: HttpRequest, *, only_when_required: bool) -> HttpResponse | None:
    user = request.user
    if not user.is_authenticated:
        return _redirect_to("login", request)
    if is_second_factor_verified(user):
        return None
    if only_when_required and not requires_second_factor(user):
        return None
    return second_factor_redirect(request)


def verified_citizen_required(view: Callable) -> Callable:
    """Let through only logged-in people whose email address is verified."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return _check_verified_citizen(request) or view(request, *args, **kwargs)

    return wrapped


def second_factor_required(view: Callable) -> Callable:
    """Let through only people who proved a TOTP code in this session (approval pages)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return _check_second_factor(request, only_when_required=False) or view(request, *args, **kwargs)

    return wrapped


def otp_required_for_approvers(view: Callable) -> Callable:
    """Let through logged-in people; those whose roles need a second factor must have proved it."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return _check_second_factor(request, only_when_required=True) or view(request, *args, **kwargs)

    return wrapped


class VerifiedCitizenRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        return _check_verified_citizen(request) or super().dispatch(request, *args, **kwargs)


class SecondFactorRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        return _check_second_factor(request, only_when_required=False) or super().dispatch(
            request, *args, **kwargs
        )
