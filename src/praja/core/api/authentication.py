"""Token authentication for API clients; a call that needs a second factor carries the code.

A token says which account calls, not that its person is present: it is a long-lived secret a
script keeps, so it is no second factor. A call that needs one (an approval, or any call of a
person whose role requires TOTP, as at login on the pages) sends the current code of that person's
authenticator app in the `X-OTP-Code` header. The code is checked as at login: once per time step
(a code seen before is refused), wrong codes go on the tenant's audit chain and are throttled.
Machine clients (a presence terminal, a SIMPEG integration) hold roles that need no TOTP and send
no header.
"""

from __future__ import annotations

import functools

from django.utils.translation import gettext_lazy as _
from django_otp.middleware import is_verified
from rest_framework import authentication, exceptions

OTP_HEADER = "X-OTP-Code"
_OTP_META_KEY = "HTTP_X_OTP_CODE"


class SecondFactorInvalid(exceptions.PermissionDenied):
    default_detail = _(
        "Kode autentikator di header X-OTP-Code salah, kedaluwarsa, atau sudah dipakai. "
        "Kirim kode yang baru dari aplikasi autentikator."
    )
    default_code = "second_factor_invalid"


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, plus the `X-OTP-Code` header as the call's second factor."""

    def authenticate(self, request):
        authenticated = super().authenticate(request)
        if authenticated is None:
            return None
        user, token = authenticated
        code = request.META.get(_OTP_META_KEY, "").strip()
        tenant = getattr(request, "tenant", None)
        user.otp_device = _device_accepting(request, user, tenant, code) if code and tenant else None
        # What django_otp's middleware gives a signed-in session user: pages, actions and the
        # workflow ask `user.is_verified()` the same way for both.
        user.is_verified = functools.partial(is_verified, user)
        return user, token


def _device_accepting(request, user, tenant, code: str):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from praja.core.accounts.actions import verify_second_factor

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        raise SecondFactorInvalid(
            _("Akun ini belum memasang aplikasi autentikator (TOTP). Pasang dulu di halaman profil.")
        )
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        raise SecondFactorInvalid(_("Terlalu banyak kode salah. Tunggu beberapa detik, lalu coba lagi."))
    if not verify_second_factor(
        user=user, tenant=tenant, device=device, token=code, ip_address=request.META.get("REMOTE_ADDR", "")
    ):
        raise SecondFactorInvalid()
    return device
