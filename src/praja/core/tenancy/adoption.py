"""Adopting another tenant's module configuration: how one region shares its applications.

What is copied is what each module declares adoptable: its TenantModule row (switched on or off,
and the parameters its manifest declares) and whatever the module's own `adopt` hook copies
(a permit catalogue, an activity list). Cases and people are never copied.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from praja.core.audit.actions import record
from praja.core.modules.registry import Manifest, get_manifest, is_secret_parameter
from praja.core.tenancy.context import use_tenant
from praja.core.tenancy.models import Tenant, TenantModule


@dataclass
class ModuleAdoption:
    """What adopting one module changed in the target tenant."""

    module: str
    created: bool = False  # the target had no configuration row for the module yet
    enabled_before: bool | None = None
    enabled_after: bool = False
    parameters_changed: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> before/after
    hook_changes: list[str] = field(default_factory=list)  # what the module's own adopt() reported

    @property
    def changed(self) -> bool:
        return (
            self.created
            or self.enabled_before != self.enabled_after
            or bool(self.parameters_changed or self.hook_changes)
        )

    def as_audit_data(self) -> dict[str, Any]:
        return {
            "module": self.module,
            "created": self.created,
            "enabled": {"before": self.enabled_before, "after": self.enabled_after},
            "parameters": self.parameters_changed,
            "module_changes": self.hook_changes,
        }


@dataclass
class AdoptionReport:
    source: Tenant
    target: Tenant
    modules: list[ModuleAdoption] = field(default_factory=list)
    audit_event_seq: int | None = None  # sequence number on the target's chain, when recorded

    @property
    def changed(self) -> bool:
        return any(item.changed for item in self.modules)

    @property
    def changed_modules(self) -> list[str]:
        return [item.module for item in self.modules if item.changed]


def _check_actor(actor, target: Tenant) -> None:
    """None is the command line (the machine's operator); a person must run the platform or the target."""
    if actor is None or (getattr(actor, "is_platform_operator", False) and actor.is_active):
        return
    from praja.core.permissions.checks import require
    from praja.core.permissions.roles import MANAGE_MODULES, MANAGE_PARAMETERS

    with use_tenant(target):
        require(actor, MANAGE_MODULES)
        require(actor, MANAGE_PARAMETERS)


def _chosen_modules(source: Tenant, modules: Iterable[str] | None) -> list[tuple[Manifest, TenantModule]]:
    """Pair each requested module with the source's configuration row; refuse what cannot be adopted."""
    rows = {row.module: row for row in TenantModule.all_tenants.filter(tenant=source)}
    if modules is None:
        # Everything the source has configured that this deployment still knows.
        names = [name for name in sorted(rows) if get_manifest(name) is not None]
    else:
        names = list(dict.fromkeys(name.strip() for name in modules if name.strip()))
    chosen = []
    errors = []
    for name in names:
        manifest = get_manifest(name)
        if manifest is None:
            errors.append(_("Modul %(module)s tidak dikenal.") % {"module": name})
        elif name not in rows:
            errors.append(
                _("Modul %(module)s belum diatur di %(tenant)s, jadi tidak ada yang dapat diadopsi.")
                % {"module": name, "tenant": source.name}
            )
        else:
            chosen.append((manifest, rows[name]))
    if errors:
        raise ValidationError(errors, code="module_not_adoptable")
    return chosen


def _describe_hook_result(result: Any) -> list[str]:
    """A module's adopt() reports what it changed: nothing (None/0/[]), a count, a text or a list."""
    if not result:
        return []
    if isinstance(result, bool):
        return [_("konfigurasi modul diperbarui")]
    if isinstance(result, int):
        return [_("%(count)d butir konfigurasi modul disalin") % {"count": result}]
    if isinstance(result, str):
        return [result]
    return [str(item) for item in result]


def _adopt_module(
    manifest: Manifest, source_row: TenantModule, source: Tenant, target: Tenant, actor
) -> ModuleAdoption:
    declared = manifest.default_parameters
    # Only parameters the manifest declares travel; stale keys of an older version stay behind,
    # and so do secrets (each tenant agrees its own with its bank).
    adoptable = {
        key: value
        for key, value in source_row.parameters.items()
        if key in declared and not is_secret_parameter(key)
    }
    row = TenantModule.objects.select_for_update().filter(module=manifest.name).first()
    report = ModuleAdoption(module=manifest.name, enabled_after=source_row.is_enabled)
    if row is None:
        report.created = True
        row = TenantModule(module=manifest.name, parameters=dict(declared))
    else:
        report.enabled_before = row.is_enabled
    before = {**declared, **row.parameters}
    after = {**before, **adoptable}
    report.parameters_changed = {
        key: {"before": before.get(key), "after": after[key]}
        for key in sorted(after)
        if before.get(key) != after[key]
    }
    if report.created or report.enabled_before != report.enabled_after or report.parameters_changed:
        row.is_enabled = source_row.is_enabled
        row.parameters = after
        row.save()
    if manifest.adopt is not None:
        report.hook_changes = _describe_hook_result(manifest.adopt(source, target, actor=actor))
    return report


def adopt_configuration(
    *, actor, source: Tenant, target: Tenant, modules: Iterable[str] | None = None
) -> AdoptionReport:
    """Copy `source`'s adoptable module configuration into `target`; never its cases or people.

    `modules` None adopts every module the source has configured. Running it again changes
    nothing and records nothing. Each module's `adopt(source, target, actor=...)` hook runs with
    the target tenant active and returns what it changed (see `_describe_hook_result`).
    """
    if source.pk == target.pk:
        raise ValidationError(
            _("Daerah sumber dan tujuan sama (%(tenant)s); pilih daerah lain sebagai sumber.")
            % {"tenant": source.name},
            code="same_tenant",
        )
    _check_actor(actor, target)
    chosen = _chosen_modules(source, modules)
    report = AdoptionReport(source=source, target=target)
    with use_tenant(target), transaction.atomic():
        for manifest, source_row in chosen:
            report.modules.append(_adopt_module(manifest, source_row, source, target, actor))
        if report.changed:
            event = record(
                "tenant.configuration_adopted",
                actor=actor,
                obj=target,
                data={
                    "source": {"code": source.code, "slug": source.slug, "name": source.name},
                    "modules": [item.module for item in report.modules],
                    "changes": [item.as_audit_data() for item in report.modules if item.changed],
                },
            )
            report.audit_event_seq = event.seq
    return report
