"""Reads of the audit chain: the public checkpoint list and a citizen's "who viewed my data"."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from django.apps import apps
from django.db.models import QuerySet

from praja.core.audit.actions import CITIZEN_OBJECT_TYPE, PERSONAL_DATA_VIEWED
from praja.core.audit.models import AuditCheckpoint, AuditEvent
from praja.core.audit.signing import CheckpointCheck, verify_checkpoint
from praja.core.tenancy.context import require_current_tenant
from praja.core.tenancy.keys import load_certificate


@dataclass(frozen=True)
class CheckpointRow:
    checkpoint: AuditCheckpoint
    check: CheckpointCheck


@dataclass(frozen=True)
class PersonalDataAccess:
    """One official access to a citizen's personal data, as the citizen sees it."""

    seq: int
    accessed_at: datetime.datetime
    official_name: str
    official_id: int | None
    office: str
    case_type: str
    case_type_label: str
    case_id: int | str | None
    case_label: str
    purpose: str


def list_checkpoints() -> QuerySet[AuditCheckpoint]:
    """The active tenant's signed checkpoints, newest first."""
    return AuditCheckpoint.objects.order_by("-date")


def with_signature_checks(checkpoints) -> list[CheckpointRow]:
    """Pair each checkpoint with whether its signature verifies against the tenant's certificate."""
    checkpoints = list(checkpoints)
    if not checkpoints:
        return []
    tenant = require_current_tenant()
    certificate = load_certificate(tenant)
    return [
        CheckpointRow(item, verify_checkpoint(item, tenant=tenant, certificate=certificate))
        for item in checkpoints
    ]


def _case_type_label(case_type: str) -> str:
    try:
        return str(apps.get_model(case_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return case_type


def list_personal_data_accesses(citizen, *, limit: int | None = None) -> list[PersonalDataAccess]:
    """Every recorded official access to `citizen`'s data in the active tenant, newest first.

    Read from the audit events themselves (the index on tenant, object type and id finds them).
    """
    tenant = require_current_tenant()
    events = (
        AuditEvent.objects.filter(
            tenant=tenant,
            object_type=CITIZEN_OBJECT_TYPE,
            object_id=str(citizen.pk),
            event_type=PERSONAL_DATA_VIEWED,
        )
        .order_by("-seq")
        .only("seq", "occurred_at", "actor_id", "actor_label", "data")
    )
    if limit is not None:
        events = events[:limit]
    entries = []
    for event in events:
        data = json.loads(event.data)
        if data.get("citizen_id") != citizen.pk:
            continue  # belt and braces: the event's own data must name the citizen too
        case_type = data.get("case_type", "")
        entries.append(
            PersonalDataAccess(
                seq=event.seq,
                accessed_at=event.occurred_at,
                official_name=event.actor_label,
                official_id=event.actor_id,
                office=data.get("office", ""),
                case_type=case_type,
                case_type_label=_case_type_label(case_type) if case_type else "",
                case_id=data.get("case_id"),
                case_label=data.get("case_label", ""),
                purpose=data.get("purpose", ""),
            )
        )
    return entries
