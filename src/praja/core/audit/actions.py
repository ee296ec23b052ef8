"""`record()`: the only writer of the audit chain. Call it inside the business transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from praja.core.audit.canonical import canonical_bytes, canonical_data, chain_hash
from praja.core.audit.models import GENESIS_HASH, AuditChainHead, AuditEvent
from praja.core.tenancy.context import get_current_tenant


def _format_time(moment) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


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
    actor_id = getattr(actor, "pk", None) if actor is not None and getattr(actor, "is_authenticated", False) else None
    actor_label = str(actor) if actor_id else ""
    data_text = canonical_data(data or {})
    occurred_at = timezone.now()
    with transaction.atomic():
        head, _created = AuditChainHead.objects.get_or_create(tenant=tenant, defaults={"hash": GENESIS_HASH})
        head = AuditChainHead.objects.select_for_update().get(pk=head.pk)
        seq = head.seq + 1
        payload = canonical_bytes(
            seq, _format_time(occurred_at), event_type, actor_id, actor_label,
            object_type, str(object_id), ip_address, data_text,
        )
        event = AuditEvent.objects.create(
            tenant=tenant, seq=seq, occurred_at=occurred_at, event_type=event_type, actor_id=actor_id,
            actor_label=actor_label, object_type=object_type, object_id=str(object_id),
            ip_address=ip_address, data=data_text, prev_hash=head.hash,
            hash=chain_hash(head.hash, payload),
        )
        head.seq, head.hash = seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event
