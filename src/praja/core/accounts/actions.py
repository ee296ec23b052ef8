"""Writers for a person's own account: registration, email proof, second factor, profile, passwords.

Each action runs in one transaction and records its audit event there; mail goes through the
notification outbox, which sends only after the transaction commits.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.accounts.models import EmailVerification, User
from praja.core.accounts.rules import mask_nik, normalize_phone, parse_nik
from praja.core.audit.actions import record
from praja.core.reference.models import AreaLevel
from praja.core.reference.selectors import area_exists
from praja.core.tenancy.context import use_tenant
from praja.core.tenancy.urls import tenant_reverse

if TYPE_CHECKING:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from praja.core.tenancy.models import Tenant

VERIFICATION_LIFETIME = datetime.timedelta(hours=48)
LANGUAGES = ("id", "en")
TOTP_DEVICE_NAME = "Aplikasi autentikator"


class VerificationFailed(Exception):
    """A verification link that is unknown, used or expired; `reason` says which."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def district_exists(code: str) -> bool:
    """True when `code` (PP.KK.CC) is a district (kecamatan) in the reference data."""
    return area_exists(code, AreaLevel.DISTRICT)


def clean_nik(value: str) -> str:
    """Return the 16-digit NIK or raise a ValidationError naming the part that is wrong."""
    return parse_nik(value, district_exists=district_exists).nik


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _absolute(path: str) -> str:
    return settings.PRAJA_PUBLIC_BASE_URL.rstrip("/") + path


def _notify(**kwargs) -> None:
    from praja.core.notifications.actions import notify

    notify(channels=("email",), **kwargs)


def _send_verification(*, user: User, tenant: Tenant, email: str) -> None:
    token = secrets.token_urlsafe(32)
    EmailVerification.objects.create(user=user, email=email, token_hash=hash_token(token))
    # The address comes from the recipient; an email change is proved at the new address.
    recipient = user
    if email != user.email:
        recipient = copy.copy(user)
        recipient.email = email
    _notify(
        recipient=recipient,
        template="accounts/verify_email",
        tenant=tenant,
        context={
            "verify_url": _absolute(tenant_reverse("verify-email", tenant=tenant, kwargs={"token": token})),
            "name": user.full_name,
        },
    )


def _identity_errors(*, nik: str | None, email: str, exclude: User | None = None) -> dict[str, list]:
    errors: dict[str, list] = {}
    others = User.objects.exclude(pk=exclude.pk) if exclude else User.objects.all()
    if nik and others.filter(nik=nik).exists():
        errors["nik"] = [
            ValidationError(
                _(
                    "NIK ini sudah terdaftar. Masuk dengan NIK tersebut, "
                    "atau atur ulang kata sandi bila lupa."
                ),
                code="nik_exists",
            )
        ]
    if others.filter(email__iexact=email).exists():
        errors["email"] = [
            ValidationError(
                _("Email %(email)s sudah dipakai akun lain.") % {"email": email}, code="email_exists"
            )
        ]
    return errors


def register_citizen(
    *, tenant: Tenant, nik: str, full_name: str, email: str, phone: str, password: str
) -> User:
    """Create a citizen's account in `tenant` and mail a link that proves the email address."""
    errors: dict[str, list] = {}
    email = User.objects.normalize_email((email or "").strip()).lower()
    full_name = (full_name or "").strip()
    try:
        nik = clean_nik(nik)
    except ValidationError as error:
        errors["nik"] = error.error_list
        nik = ""
    try:
        phone = normalize_phone(phone)
    except ValidationError as error:
        errors["phone"] = error.error_list
    if not full_name:
        errors["full_name"] = [ValidationError(_("Nama lengkap wajib diisi."), code="required")]
    if not email:
        errors["email"] = [ValidationError(_("Email wajib diisi."), code="required")]
    try:
        validate_password(password, User(email=email, full_name=full_name, nik=nik or None))
    except ValidationError as error:
        errors["password"] = error.error_list
    for field, field_errors in _identity_errors(nik=nik, email=email).items():
        errors.setdefault(field, field_errors)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic(), use_tenant(tenant):
            user = User.objects.create_user(
                email=email,
                password=password,
                full_name=full_name,
                phone=phone,
                nik=nik,
                home_tenant=tenant,
            )
            record(
                "accounts.citizen_registered",
                actor=user,
                obj=user,
                data={"user_id": user.pk, "nik": mask_nik(nik), "tenant": tenant.code},
            )
            _send_verification(user=user, tenant=tenant, email=email)
    except IntegrityError:
        # Someone registered the same NIK or email between the check and the insert.
        raise ValidationError(
            _identity_errors(nik=nik, email=email) or _("Pendaftaran gagal karena data berubah; coba lagi.")
        ) from None
    return user


def resend_verification(*, actor: User, tenant: Tenant) -> None:
    """Mail a fresh verification link to an account whose email is not yet proved."""
    if actor.has_verified_email:
        return
    with transaction.atomic(), use_tenant(tenant):
        _send_verification(user=actor, tenant=tenant, email=actor.email)


def verify_email(*, token: str, tenant: Tenant) -> User:
    """Mark the address behind `token` as proved; raise VerificationFailed when it cannot be."""
    with transaction.atomic(), use_tenant(tenant):
        verification = (
            EmailVerification.objects.select_for_update()
            .select_related("user")
            .filter(token_hash=hash_token(token))
            .first()
        )
        if verification is None:
            raise VerificationFailed("unknown")
        user = verification.user
        email = verification.email or user.email
        if verification.used_at is not None:
            raise VerificationFailed("used")
        if timezone.now() - verification.created_at > VERIFICATION_LIFETIME:
            raise VerificationFailed("expired")
        if email != user.email and User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
            raise VerificationFailed("taken")
        verification.used_at = timezone.now()
        verification.save(update_fields=["used_at"])
        before = user.email
        user.email, user.email_verified_at = email, timezone.now()
        user.save(update_fields=["email", "email_verified_at"])
        record(
            "accounts.email_verified",
            actor=user,
            obj=user,
            data={"user_id": user.pk, "email": email, "changed_from": before if before != email else None},
        )
    return user


def update_profile(
    *, actor: User, tenant: Tenant, full_name: str, email: str, phone: str, preferred_language: str
) -> bool:
    """Save the actor's own details; return True when a new email address waits for proof.

    A new email address replaces the old one only once the link sent to it is opened.
    """
    email = User.objects.normalize_email((email or "").strip()).lower()
    full_name = (full_name or "").strip()
    errors: dict[str, list] = {}
    if not full_name:
        errors["full_name"] = [ValidationError(_("Nama lengkap wajib diisi."), code="required")]
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationError as error:
            errors["phone"] = error.error_list
    if preferred_language not in LANGUAGES:
        errors["preferred_language"] = [
            ValidationError(_("Pilih Bahasa Indonesia atau English."), code="invalid")
        ]
    email_changes = email != actor.email
    if email_changes:
        errors.update(_identity_errors(nik=None, email=email, exclude=actor))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), use_tenant(tenant):
        user = User.objects.select_for_update().get(pk=actor.pk)
        before = {
            "full_name": user.full_name,
            "phone": user.phone,
            "preferred_language": user.preferred_language,
        }
        user.full_name, user.phone, user.preferred_language = full_name, phone, preferred_language
        user.save(update_fields=["full_name", "phone", "preferred_language"])
        after = {"full_name": full_name, "phone": phone, "preferred_language": preferred_language}
        record(
            "accounts.profile_updated",
            actor=user,
            obj=user,
            data={
                "before": before,
                "after": after,
                "email_change_requested": email if email_changes else None,
            },
        )
        if email_changes:
            _send_verification(user=user, tenant=tenant, email=email)
    actor.full_name, actor.phone, actor.preferred_language = full_name, phone, preferred_language
    return email_changes


def start_totp_enrolment(*, actor: User) -> TOTPDevice:
    """Return the actor's pending (unconfirmed) TOTP device, creating it with a fresh key."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=actor, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def confirm_totp_device(
    *, actor: User, tenant: Tenant | None, device: TOTPDevice, token: str, ip_address: str = ""
) -> bool:
    """Confirm the pending device when `token` is its current code; record the enrolment.

    `tenant` None is a platform operator's enrolment at /platform/: it goes on the platform chain.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    on_platform = tenant is None
    with transaction.atomic(), use_tenant(tenant):
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=actor, confirmed=False)
        if not device.verify_token(token):
            record(
                "auth.second_factor_failed",
                actor=actor,
                obj=actor,
                ip_address=ip_address,
                data={"user_id": actor.pk, "stage": "enrolment"},
                platform=on_platform,
            )
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
        record(
            "accounts.totp_enrolled",
            actor=actor,
            obj=actor,
            ip_address=ip_address,
            data={"user_id": actor.pk, "device_id": device.pk},
            platform=on_platform,
        )
    return True


def verify_second_factor(
    *, user: User, tenant: Tenant, device: TOTPDevice, token: str, ip_address: str = ""
) -> bool:
    """Check a login code; a wrong one goes on the tenant's audit chain."""
    with transaction.atomic(), use_tenant(tenant):
        if device.verify_token(token):
            return True
        record(
            "auth.second_factor_failed",
            actor=user,
            obj=user,
            ip_address=ip_address,
            data={"user_id": user.pk, "stage": "login"},
        )
    return False


def record_login(*, user: User, tenant: Tenant, request) -> None:
    """Put an official's login on the tenant's audit chain (citizens' logins are not recorded)."""
    from praja.core.audit.actions import record_official_login
    from praja.core.permissions.checks import active_roles

    with use_tenant(tenant):
        if active_roles(user) or user.nip or user.is_platform_operator:
            with transaction.atomic():
                record_official_login(user, tenant, request)


def request_password_reset(*, tenant: Tenant, email: str) -> None:
    """Mail a reset link when `email` belongs to an active account; say nothing either way."""
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is None:
        return
    from praja.core.accounts.admin_actions import password_setup_url

    with transaction.atomic(), use_tenant(tenant):
        _notify(
            recipient=user,
            template="accounts/password_reset",
            tenant=tenant,
            context={
                "reset_url": password_setup_url(user, tenant),
                "tenant_name": tenant.name,
                "is_new_account": False,
            },
        )


def reset_password(*, user: User, token: str, tenant: Tenant, new_password: str) -> User:
    """Set a new password from an emailed reset link; the link also proves the email address."""
    if not default_token_generator.check_token(user, token):
        raise ValidationError(
            _("Tautan atur ulang kata sandi tidak berlaku lagi; minta tautan baru."),
            code="reset_token_invalid",
        )
    validate_password(new_password, user)
    with transaction.atomic(), use_tenant(tenant):
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(new_password)
        fields = ["password"]
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            fields.append("email_verified_at")
        user.save(update_fields=fields)
        record("accounts.password_reset", actor=user, obj=user, data={"user_id": user.pk})
    _unlock(user)
    return user


def change_password(*, actor: User, tenant: Tenant, old_password: str, new_password: str) -> User:
    """Replace the actor's password after checking the current one."""
    if not actor.check_password(old_password):
        raise ValidationError(
            {"old_password": [ValidationError(_("Kata sandi lama salah."), code="password_incorrect")]}
        )
    validate_password(new_password, actor)
    with transaction.atomic(), use_tenant(tenant):
        actor.set_password(new_password)
        actor.save(update_fields=["password"])
        record("accounts.password_changed", actor=actor, obj=actor, data={"user_id": actor.pk})
    return actor


def _unlock(user: User) -> None:
    """Lift a login lockout once the owner has proved themself by email."""
    from axes.utils import reset

    for identifier in filter(None, (user.email, user.nik, user.nip)):
        reset(username=identifier)
