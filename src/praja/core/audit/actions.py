"""Writers of the audit chain. `record()` is the only code that appends an event; call it inside
the business transaction so the event and the change commit (or roll back) together."""

from __future__ import annotations

import datetime
import logging
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from praja.core.audit.canonical import (
    GENESIS_HASH,
    canonical_bytes,
    canonical_data,
    chain_hash,
    format_occurred_at,
)
from praja.core.audit.models import AuditChainHead, AuditCheckpoint, AuditEvent
from praja.core.tenancy.context import get_current_tenant, require_current_tenant, use_tenant

logger = logging.getLogger(__name__)

PERSONAL_DATA_VIEWED = "personal_data.viewed"
OFFICIAL_LOGIN = "auth.official_login"
CITIZEN_OBJECT_TYPE = "accounts.user"


class AuditChainBroken(Exception):
    """The chain failed verification, so its head must not be signed."""

    def __init__(self, result) -> None:
        super().__init__(result.reason)
        self.result = result


def _format_time(moment) -> str:
    return format_occurred_at(moment)


def _lock_head(tenant) -> AuditChainHead:
    """Lock the chain's head row, creating it for a chain's first event."""
    heads = AuditChainHead.objects.select_for_update()
    head = heads.filter(tenant=tenant).first()
    if head is None:
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(tenant=tenant, seq=0, hash=GENESIS_HASH)
        except IntegrityError:
            pass  # a concurrent first event created it; wait for its lock below
        head = heads.get(tenant=tenant)
    return head


def record(
    event_type: str,
    *,
    actor=None,
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    data: dict[str, Any] | None = None,
    ip_address: str = "",
    tenant=None,
    platform: bool = False,
) -> AuditEvent:
    """Append one event to the active tenant's chain (or the platform chain with `platform=True`)."""
    tenant = None if platform else (tenant or get_current_tenant())
    if tenant is None and not platform:
        raise RuntimeError("audit.record needs an active tenant or platform=True")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    actor_id = (
        getattr(actor, "pk", None)
        if actor is not None and getattr(actor, "is_authenticated", False)
        else None
    )
    actor_label = str(actor)[:200] if actor_id else ""
    object_id, ip_address = str(object_id)[:64], (ip_address or "")[:45]
    data_text = canonical_data(data or {})
    with transaction.atomic():
        head = _lock_head(tenant)
        # Taken under the lock, so time never runs backwards along the chain.
        occurred_at = timezone.now()
        seq = head.seq + 1
        payload = canonical_bytes(
            seq,
            _format_time(occurred_at),
            event_type,
            actor_id,
            actor_label,
            object_type,
            object_id,
            ip_address,
            data_text,
        )
        event = AuditEvent.objects.create(
            tenant=tenant,
            seq=seq,
            occurred_at=occurred_at,
            event_type=event_type,
            actor_id=actor_id,
            actor_label=actor_label,
            object_type=object_type,
            object_id=object_id,
            ip_address=ip_address,
            data=data_text,
            prev_hash=head.hash,
            hash=chain_hash(head.hash, payload),
        )
        head.seq, head.hash = seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event


def _client_ip(request) -> str:
    return (request.META.get("REMOTE_ADDR", "") if request is not None else "")[:45]


# --- Logins and personal data ------------------------------------------------------------------


def record_official_login(user, tenant, request=None) -> AuditEvent:
    """Put an official's login on the tenant's chain, with whether a second factor was used."""
    is_verified = getattr(user, "is_verified", None)
    second_factor = getattr(user, "otp_device", None) is not None or bool(
        callable(is_verified) and is_verified()
    )
    return record(
        OFFICIAL_LOGIN,
        actor=user,
        obj=user,
        tenant=tenant,
        ip_address=_client_ip(request),
        data={"user_id": user.pk, "second_factor": second_factor},
    )


def _office_of(official, org_unit):
    """The office (perangkat daerah/unit) on whose behalf the official acts in the active tenant."""
    if org_unit is not None:
        return org_unit
    from praja.core.accounts.models import Position, RoleGrant

    position = Position.objects.filter(holder=official).select_related("org_unit").order_by("pk").first()
    if position is not None:
        return position.org_unit
    grant = (
        RoleGrant.objects.filter(user=official, revoked_at__isnull=True, org_unit__isnull=False)
        .select_related("org_unit")
        .order_by("pk")
        .first()
    )
    return grant.org_unit if grant is not None else None


def record_personal_data_access(
    *, official, citizen, case=None, purpose: str = "", org_unit=None, request=None
) -> AuditEvent | None:
    """Record that `official` opened `citizen`'s personal data (optionally within `case`).

    The event is the citizen's "who viewed my data" entry. A person opening their own data is not
    an official access and records nothing (returns None).
    """
    tenant = require_current_tenant()
    if official.pk == citizen.pk:
        return None
    office = _office_of(official, org_unit)
    data: dict[str, Any] = {
        "citizen_id": citizen.pk,
        "office": office.name if office is not None else "",
        "org_unit_id": office.pk if office is not None else None,
        "purpose": purpose,
    }
    if case is not None:
        data.update(case_type=case._meta.label_lower, case_id=case.pk, case_label=str(case)[:200])
    with transaction.atomic():
        return record(
            PERSONAL_DATA_VIEWED,
            actor=official,
            object_type=CITIZEN_OBJECT_TYPE,
            object_id=citizen.pk,
            data=data,
            ip_address=_client_ip(request),
            tenant=tenant,
        )


# --- Daily checkpoints ---------------------------------------------------------------------------


def tenant_today(tenant) -> datetime.date:
    return timezone.localdate(timezone=ZoneInfo(tenant.timezone))


def create_daily_checkpoint(tenant, date: datetime.date | None = None) -> AuditCheckpoint:
    """Sign the tenant's chain head for `date` (default: today in the tenant's timezone).

    Idempotent per day: the day's existing checkpoint is returned unchanged. The events since the
    previous checkpoint are verified first; a broken chain raises AuditChainBroken and is not signed.
    """
    from praja.core.audit.signing import sign_checkpoint
    from praja.core.audit.verification import verify_since_last_checkpoint

    date = date or tenant_today(tenant)
    with use_tenant(tenant):
        existing = AuditCheckpoint.objects.filter(date=date).first()
        if existing is not None:
            return existing
        head = AuditChainHead.objects.filter(tenant=tenant).values_list("seq", "hash").first()
        seq, head_hash = head or (0, GENESIS_HASH)
        result = verify_since_last_checkpoint(tenant, head_seq=seq, head_hash=head_hash)
        if not result.ok:
            raise AuditChainBroken(result)
        signature, fingerprint = sign_checkpoint(tenant, date=date, seq=seq, head_hash=head_hash)
        try:
            with transaction.atomic():
                return AuditCheckpoint.objects.create(
                    tenant=tenant,
                    date=date,
                    seq=seq,
                    head_hash=head_hash,
                    signature=signature,
                    signed_at=timezone.now(),
                    certificate_fingerprint=fingerprint,
                )
        except IntegrityError:
            return AuditCheckpoint.objects.get(date=date)  # signed concurrently by another worker


def create_daily_checkpoints_for_all_tenants(date: datetime.date | None = None) -> dict[str, str]:
    """Sign today's checkpoint of every active tenant; return {tenant code: "ok" or the reason}.

    One tenant's broken chain does not stop the others; it is logged and reported.
    """
    from praja.core.tenancy.models import Tenant

    outcome: dict[str, str] = {}
    for tenant in Tenant.objects.filter(is_active=True).order_by("code"):
        try:
            create_daily_checkpoint(tenant, date)
        except AuditChainBroken as broken:
            logger.error("audit chain of %s is broken, checkpoint not signed: %s", tenant.code, broken)
            outcome[tenant.code] = str(broken)
        else:
            outcome[tenant.code] = "ok"
    return outcome
