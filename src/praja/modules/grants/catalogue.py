"""Adoption of the grants configuration: another tenant starts from this one's programmes
(eligibility rules as data, TU checklist, budget line, window) and its funding exemptions."""

from __future__ import annotations

from django.utils.translation import gettext as _

from praja.core.audit.actions import record
from praja.core.tenancy.context import require_current_tenant, use_tenant
from praja.modules.grants.actions import ensure_builtin_exemptions
from praja.modules.grants.models import FundingExemption, Programme

ADOPTED_PROGRAMME_FIELDS = (
    "code",
    "name",
    "description",
    "budget_year",
    "kind",
    "is_planned",
    "envelope",
    "budget_line_code",
    "max_amount_per_proposal",
    "eligibility_rules",
    "required_documents",
    "social_data_source",
    "opens_at",
    "closes_at",
    "lpj_deadline",
)


def adopt_configuration(*, source, target, actor=None) -> list[str]:
    """Copy `source`'s programmes (unpublished, for the target to set its own envelope) and its
    tenant-added exemptions into `target` (the active tenant). What the target already has (same
    code) is left alone, so a second run changes nothing. Returns what changed."""
    require_current_tenant()
    with use_tenant(source):
        programmes = list(Programme.objects.order_by("code"))
        exemptions = list(FundingExemption.objects.filter(is_builtin=False).order_by("code"))
    changes: list[str] = []
    ensure_builtin_exemptions()
    for exemption in exemptions:
        if FundingExemption.objects.filter(code=exemption.code).exists():
            continue
        FundingExemption.objects.create(
            code=exemption.code, name=exemption.name, legal_basis=exemption.legal_basis
        )
        changes.append(
            _("Pengecualian %(name)s (%(basis)s)") % {"name": exemption.name, "basis": exemption.legal_basis}
        )
    for programme in programmes:
        if Programme.objects.filter(code=programme.code).exists():
            continue
        values = {name: getattr(programme, name) for name in ADOPTED_PROGRAMME_FIELDS}
        copy = Programme.objects.create(**values, is_published=False)
        changes.append(_("Program %(name)s (belum diumumkan)") % {"name": copy.name})
    if changes:
        record(
            "grants.configuration_adopted",
            actor=actor,
            object_type="tenancy.tenant",
            object_id=target.pk,
            data={"source": source.slug, "changes": changes},
        )
    return changes
