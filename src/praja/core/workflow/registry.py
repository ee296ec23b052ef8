"""Which workflows exist: declared in module manifests (`workflows=`) or by `register_workflow()`.

Registering a workflow also protects its model's status field: saving a status that was assigned
outside `transition()` raises StatusChangeOutsideWorkflow, and a new case must start in the
workflow's initial state. Demo loaders and data imports that must write other states wrap the
writes in `allow_status_assignment()`.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models.signals import post_init, pre_save

from praja.core.workflow.definitions import Workflow
from praja.core.workflow.errors import StatusChangeOutsideWorkflow

_WORKFLOWS: dict[str, Workflow] = {}
_BY_MODEL: dict[str, Workflow] = {}
_status_assignment_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "praja_status_assignment_allowed", default=False
)
_LOADED_STATUS = "_workflow_loaded_status"


def register_workflow(workflow: Workflow) -> Workflow:
    """Add `workflow` to the registry (idempotent) and protect its model's status field."""
    existing = _WORKFLOWS.get(workflow.name)
    if existing is workflow:
        return workflow
    if existing is not None:
        raise ValueError(f"workflow {workflow.name} registered twice with different definitions")
    other = _BY_MODEL.get(workflow.model_label)
    if other is not None and other.status_field == workflow.status_field:
        raise ValueError(f"{workflow.model_label}.{workflow.status_field} already has workflow {other.name}")
    _WORKFLOWS[workflow.name] = workflow
    _BY_MODEL[workflow.model_label] = workflow
    # A string sender connects lazily, once the model class exists.
    post_init.connect(
        _remember_status, sender=workflow.model, weak=False, dispatch_uid=f"workflow-init-{workflow.name}"
    )
    pre_save.connect(
        _refuse_direct_status_change,
        sender=workflow.model,
        weak=False,
        dispatch_uid=f"workflow-save-{workflow.name}",
    )
    return workflow


def _sync_manifests() -> None:
    from praja.core.modules.registry import all_manifests

    for manifest in all_manifests():
        for workflow in manifest.workflows:
            if _WORKFLOWS.get(workflow.name) is not workflow:
                register_workflow(workflow)


def all_workflows() -> list[Workflow]:
    _sync_manifests()
    return [_WORKFLOWS[name] for name in sorted(_WORKFLOWS)]


def get_workflow(name: str) -> Workflow:
    if name not in _WORKFLOWS:
        _sync_manifests()
    return _WORKFLOWS[name]


def get_workflow_for(case_or_model) -> Workflow:
    """Return the workflow of a case instance or model class; KeyError when it has none."""
    label = case_or_model._meta.label_lower
    if label not in _BY_MODEL:
        _sync_manifests()
    return _BY_MODEL[label]


def undeclared_audit_events(workflows: list[Workflow] | None = None) -> list[str]:
    """Return "workflow.transition" for every registered transition that names no audit event.

    The architecture test asserts this is empty: every status change must be on the audit chain.
    """
    missing = []
    for workflow in all_workflows() if workflows is None else workflows:
        for item in workflow.transitions:
            event = (item.audit_event or "").strip()
            if not event or "." not in event:
                missing.append(f"{workflow.name}.{item.name}")
    return missing


@contextmanager
def allow_status_assignment() -> Iterator[None]:
    """Let the enclosed code save statuses directly: `transition()` itself, demo data, imports."""
    token = _status_assignment_allowed.set(True)
    try:
        yield
    finally:
        _status_assignment_allowed.reset(token)


def _remember_status(sender, instance, **kwargs) -> None:
    workflow = _BY_MODEL.get(sender._meta.label_lower)
    if workflow is not None:
        instance.__dict__[_LOADED_STATUS] = instance.__dict__.get(workflow.status_field)


def mark_status_saved(instance, workflow: Workflow) -> None:
    instance.__dict__[_LOADED_STATUS] = instance.__dict__.get(workflow.status_field)


def _refuse_direct_status_change(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    workflow = _BY_MODEL.get(sender._meta.label_lower)
    if workflow is None or raw or _status_assignment_allowed.get():
        return
    field = workflow.status_field
    if update_fields is not None and field not in update_fields:
        return
    if field not in instance.__dict__:  # deferred and never loaded: not being written
        return
    status = str(instance.__dict__[field])
    if instance._state.adding:
        if status != workflow.initial:
            raise StatusChangeOutsideWorkflow(
                f"{sender._meta.label} must be created in state {workflow.initial!r}, not {status!r}; "
                "later states are reached through praja.core.workflow.transition()"
            )
        return
    loaded = instance.__dict__.get(_LOADED_STATUS)
    if loaded is not None and str(loaded) == status:
        return
    # refresh_from_db() copies a newer status without post_init: confirm against the database.
    stored = sender._base_manager.filter(pk=instance.pk).values_list(field, flat=True).first()
    if stored is not None and str(stored) == status:
        instance.__dict__[_LOADED_STATUS] = stored
        return
    raise StatusChangeOutsideWorkflow(
        f"{sender._meta.label}.{field} changed from {stored!r} to {status!r} outside "
        "praja.core.workflow.transition()"
    )
