"""The module registry: every government module declares itself with a manifest.

A manifest names the module's permissions and roles, its workflows, its page and API routes, the
tenant parameters it takes (and which of them another tenant may adopt), and its demo data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Manifest:
    name: str
    label: str
    description: str = ""
    urls: str | None = None  # dotted path of the module's page urlpatterns
    api_urls: str | None = None  # dotted path of its API urlpatterns
    roles: tuple = ()  # praja.core.permissions.roles.Role instances
    workflows: tuple = ()  # praja.core.workflow.Workflow instances
    default_parameters: dict[str, Any] = field(default_factory=dict)
    # Called as adopt(source_tenant, target_tenant, actor) to copy adoptable configuration.
    adopt: Callable | None = None
    # Called as load_demo(tenant) by `praja demo`.
    load_demo: Callable | None = None
    work_queue: Callable | None = None  # work_queue(user) -> list of queue items for the official


# A parameter named "*_secret" (a key agreed with a bank, say) is never shown on a page, never
# copied by adoption and never written in clear to the audit chain.
SECRET_PARAMETER_SUFFIX = "_secret"


def is_secret_parameter(key: str) -> bool:
    return key.endswith(SECRET_PARAMETER_SUFFIX)


_MANIFESTS: dict[str, Manifest] = {}


def register(manifest: Manifest) -> Manifest:
    from praja.core.permissions.roles import register_role
    from praja.core.workflow.registry import register_workflow

    _MANIFESTS[manifest.name] = manifest
    for role in manifest.roles:
        register_role(role)
    # Registering workflows at start-up puts the status guard in place before any request.
    for workflow in manifest.workflows:
        register_workflow(workflow)
    return manifest


def get_manifest(name: str) -> Manifest | None:
    return _MANIFESTS.get(name)


def all_manifests() -> list[Manifest]:
    return [_MANIFESTS[name] for name in sorted(_MANIFESTS)]
