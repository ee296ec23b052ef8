"""Architecture rules, checked over the code itself (ARCHITECTURE.md "Testing", STYLE.md rule 8).

- Every concrete model of Praja is tenant-owned (TenantScopedModel) or deliberately global
  (GlobalModelMixin); in core, the global ones are listed below, so a new one is a reviewed choice.
- In every tenant-owned model, `tenant` leads every unique constraint and index, and no single
  field is unique across tenants.
- `praja.core` never imports `praja.modules`; a module imports another module only through its
  `selectors`, `actions` or `constants`.
- Every transition of every registered workflow names the audit event it records.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from praja.core.tenancy.models import GlobalModelMixin, TenantScopedManager, TenantScopedModel

SRC = Path(__file__).resolve().parent.parent / "src"
PUBLIC_FACES = {"selectors", "actions", "constants"}

# Deliberately global core models: the tenant list itself, reference data, people (one account per
# person across tenants), the audit chain (chain-scoped, tenant NULL = platform chain) and the
# platform's own bookkeeping. Adding one here is a design decision: say why in the review.
CORE_GLOBAL_MODELS = {
    "tenancy.Tenant",
    "reference.Area",
    "reference.ReferenceDataset",
    "accounts.User",
    "accounts.EmailVerification",
    "audit.AuditEvent",
    "audit.AuditChainHead",
    "notifications.OutboxMessage",
    "notifications.PeriodicJobState",
}


def praja_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=False)
        if model.__module__.startswith("praja.") and not model._meta.proxy
    ]


def test_every_model_is_tenant_scoped_or_explicitly_global():
    problems = []
    for model in praja_models():
        label = model._meta.label
        scoped = issubclass(model, TenantScopedModel)
        declared_global = (
            issubclass(model, GlobalModelMixin) and getattr(model, "tenant_scoped", True) is False
        )
        if model.__module__.startswith("praja.modules."):
            if not (scoped or declared_global):
                problems.append(f"{label}: subclass TenantScopedModel or mark it GlobalModelMixin")
        elif not scoped:
            if label not in CORE_GLOBAL_MODELS:
                problems.append(f"{label}: a global core model missing from CORE_GLOBAL_MODELS")
            elif label != "tenancy.Tenant" and not declared_global:
                problems.append(f"{label}: listed as global but lacks GlobalModelMixin")
        if scoped and not isinstance(model._default_manager, TenantScopedManager):
            problems.append(f"{label}: default manager must stay the tenant-filtered TenantScopedManager")
    assert not problems, "\n".join(problems)
    # The allowlist is not stale: every name in it is a real model.
    assert {model._meta.label for model in praja_models()} >= CORE_GLOBAL_MODELS


def _leading_field(fields) -> str | None:
    fields = list(fields or [])
    return fields[0] if fields else None


def tenant_first_problems(model) -> list[str]:
    # Global models with a tenant column (the audit chain, the outbox) may index across tenants
    # on purpose, e.g. the platform chain (tenant NULL) or the sender scanning due messages.
    if not issubclass(model, TenantScopedModel):
        return []
    label, meta, problems = model._meta.label, model._meta, []
    for constraint in meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            if constraint.fields and _leading_field(constraint.fields) not in {"tenant", "tenant_id"}:
                problems.append(f"{label}: unique constraint {constraint.name} must start with tenant")
            if constraint.expressions:
                problems.append(
                    f"{label}: unique constraint {constraint.name} on expressions; lead with tenant"
                )
    for index in meta.indexes:
        leading = _leading_field(index.fields)
        if leading is None or leading.lstrip("-") not in {"tenant", "tenant_id"}:
            problems.append(f"{label}: index {index.name or index.fields} must start with tenant")
    for group in meta.unique_together:
        if group[0] not in {"tenant", "tenant_id"}:
            problems.append(f"{label}: unique_together {group} must start with tenant")
    for field in meta.concrete_fields:
        if field.unique and not field.primary_key and not isinstance(field, models.OneToOneField):
            problems.append(f"{label}.{field.name}: unique across tenants; use UniqueConstraint(tenant, ...)")
    return problems


def test_tenant_leads_every_unique_constraint_and_index():
    problems = [problem for model in praja_models() for problem in tenant_first_problems(model)]
    assert not problems, "\n".join(problems)


def test_the_tenant_first_check_catches_a_bad_model():
    class Meta:
        app_label = "caseapp"
        constraints = [models.UniqueConstraint(fields=["number", "tenant"], name="bad_number_unique")]
        indexes = [models.Index(fields=["number"], name="bad_number_idx")]

    bad = type(
        "BadArchitectureSample",
        (TenantScopedModel,),
        {
            "__module__": "praja.modules.sample.models",
            "Meta": Meta,
            "number": models.CharField(max_length=10),
            "serial": models.CharField(max_length=10, unique=True),
        },
    )
    try:
        assert tenant_first_problems(bad) == [
            "caseapp.BadArchitectureSample: unique constraint bad_number_unique must start with tenant",
            "caseapp.BadArchitectureSample: index bad_number_idx must start with tenant",
            "caseapp.BadArchitectureSample.serial: unique across tenants; use UniqueConstraint(tenant, ...)",
        ]
    finally:
        apps.all_models["caseapp"].pop("badarchitecturesample", None)
        apps.clear_cache()


# --- import boundaries -------------------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """Absolute dotted names imported by `source` (relative imports resolved against `module`)."""
    names = []
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            names += [f"{base}.{alias.name}" for alias in node.names]
            names.append(base)
    return names


def boundary_problems(module: str, names: list[str]) -> list[str]:
    problems = []
    own = module.split(".")[:3]  # praja.modules.<name>
    for name in names:
        parts = name.split(".")
        if module.startswith("praja.core") and name.startswith("praja.modules"):
            problems.append(f"{module} imports {name}: core never imports a module")
        if module.startswith("praja.modules.") and name.startswith("praja.modules.") and len(parts) >= 3:
            if parts[:3] == own:
                continue
            if len(parts) == 3:
                continue  # `from praja.modules.x import selectors` is judged by the dotted name below
            if parts[3] not in PUBLIC_FACES:
                problems.append(
                    f"{module} imports {name}: use {'.'.join(parts[:3])}.selectors/actions/constants"
                )
    return problems


def test_core_never_imports_a_module_and_modules_use_public_faces():
    problems = []
    for path in sorted((SRC / "praja").rglob("*.py")):
        module = _module_name(path)
        names = imported_names(path.read_text(), module, is_package=path.name == "__init__.py")
        problems += boundary_problems(module, names)
    assert not problems, "\n".join(problems)


def test_the_boundary_check_catches_violations():
    core = imported_names("from praja.modules.licensing import selectors\n", "praja.core.web.views")
    assert boundary_problems("praja.core.web.views", core)[0].startswith(
        "praja.core.web.views imports praja.modules"
    )
    source = (
        "from praja.modules.budgeting.models import Budget\n"
        "from praja.modules.budgeting import selectors\n"
        "from praja.modules.budgeting.actions import approve_budget\n"
        "from ..budgeting import views\n"
        "from .models import Permit\n"
    )
    names = imported_names(source, "praja.modules.licensing.actions")
    assert boundary_problems("praja.modules.licensing.actions", names) == [
        "praja.modules.licensing.actions imports praja.modules.budgeting.models.Budget: "
        "use praja.modules.budgeting.selectors/actions/constants",
        "praja.modules.licensing.actions imports praja.modules.budgeting.models: "
        "use praja.modules.budgeting.selectors/actions/constants",
        "praja.modules.licensing.actions imports praja.modules.budgeting.views: "
        "use praja.modules.budgeting.selectors/actions/constants",
    ]


# --- workflows ---------------------------------------------------------------------------------


def test_every_declared_transition_names_an_audit_event():
    from praja.core.workflow.registry import all_workflows

    workflows = all_workflows()
    assert workflows, "no workflow registered: the test app's sample workflow should be"
    missing = [
        f"{workflow.name}.{transition.name}"
        for workflow in workflows
        for transition in workflow.transitions
        if not str(transition.audit_event or "").strip()
    ]
    assert not missing, f"transitions without an audit event: {missing}"
    malformed = [
        f"{workflow.name}.{transition.name}: {transition.audit_event!r}"
        for workflow in workflows
        for transition in workflow.transitions
        if "." not in transition.audit_event
    ]
    assert not malformed, f"audit events are '<area>.<event>': {malformed}"


@pytest.mark.parametrize("label", sorted(CORE_GLOBAL_MODELS))
def test_global_core_models_do_not_pretend_to_be_tenant_scoped(label):
    model = apps.get_model(label)
    assert not issubclass(model, TenantScopedModel)
