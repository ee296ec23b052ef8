"""Rows of one tenant, marked with a text, for the tenant-isolation walker (tests/test_tenant_isolation.py).

A module makes its rows known by registering a factory for each tenant-owned model whose rows need
more than the generic filler below can guess (valid states, related rows, files):

    from praja.core.testing.isolation import register_isolation_factory

    @register_isolation_factory("licensing.PermitApplication")
    def _application(tenant, marker, make_user):
        applicant = make_user(tenant, marker)
        return submit_application(actor=applicant, title=f"Izin {marker}", ...)

The factory runs inside `use_tenant(tenant)` and must put `marker` in some text the model's pages
and endpoints show (a title, a name). Put registrations in the module's `tests/factories.py` or
`testing.py`; modules listed in ISOLATION_FACTORY_MODULES (or named `<app>.testing`) are imported
by `load_isolation_factories()`. Models without a factory get a generic row: required text fields
get the marker, foreign keys a row of the same tenant, choices their first value. When even that
fails, the walker fails and names the model, so a new module is never silently uncovered.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import importlib
import itertools
import uuid
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from praja.core.tenancy.context import use_tenant
from praja.core.tenancy.models import Tenant, TenantScopedModel

Factory = Callable[..., Any]

_FACTORIES: dict[str, Factory] = {}
_serial = itertools.count(1)

# Modules whose import registers factories (besides each installed app's optional `testing` module).
ISOLATION_FACTORY_MODULES: list[str] = []


def register_isolation_factory(model_label: str) -> Callable[[Factory], Factory]:
    """Register `factory(tenant, marker, make_user) -> instance (or list)` for `app_label.Model`."""

    def decorator(factory: Factory) -> Factory:
        _FACTORIES[model_label.lower()] = factory
        return factory

    return decorator


def load_isolation_factories() -> None:
    for name in ISOLATION_FACTORY_MODULES:
        importlib.import_module(name)
    for config in apps.get_app_configs():
        with contextlib.suppress(ModuleNotFoundError):
            importlib.import_module(f"{config.name}.testing")


def tenant_scoped_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, TenantScopedModel) and not model._meta.abstract and not model._meta.proxy
    ]


def make_marked_user(tenant: Tenant, marker: str, **fields):
    """A person registered in `tenant` whose name and email carry the marker."""
    from praja.core.accounts.models import User

    number = next(_serial)
    fields.setdefault("email", f"{marker.lower()}-{number}@isolasi.contoh.id")
    fields.setdefault("full_name", f"Warga {marker} {number}")
    return User.objects.create_user(password=None, home_tenant=tenant, **fields)


def _text(marker: str, field: models.Field) -> str:
    value = f"{marker}-{next(_serial)}"
    if isinstance(field, models.EmailField):
        value = f"{marker.lower()}-{next(_serial)}@isolasi.contoh.id"
    if isinstance(field, models.SlugField):
        value = value.lower()
    max_length = field.max_length or 200
    return value[:max_length]


def _value_for(field: models.Field, tenant: Tenant, marker: str, made: dict, depth: int) -> Any:
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.ForeignKey | models.OneToOneField):
        related = field.related_model
        if related is Tenant:
            return tenant
        if issubclass(related, TenantScopedModel):
            rows = made.get(related._meta.label_lower) or [make_row(related, tenant, marker, made, depth + 1)]
            return rows[0]
        if related._meta.label_lower == "accounts.user":
            return make_marked_user(tenant, marker)
        existing = related._default_manager.order_by("pk").first()
        return existing if existing is not None else _generic(related, tenant, marker, made, depth + 1)
    if isinstance(field, models.CharField | models.TextField):
        return _text(marker, field)
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DecimalField):
        return decimal.Decimal("1")
    if isinstance(field, models.IntegerField | models.FloatField):
        return 1
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return datetime.date.today()
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.JSONField):
        return {"marker": marker}
    if isinstance(field, models.FileField):
        return f"isolasi/{marker}.txt"
    raise TypeError(f"no generic value for {field.model._meta.label}.{field.name} ({type(field).__name__})")


def _generic(model, tenant: Tenant, marker: str, made: dict, depth: int):
    if depth > 4:
        raise RecursionError(f"{model._meta.label}: related rows nest too deep for the generic filler")
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name == "tenant":
            continue
        if isinstance(field, models.CharField | models.TextField) and not field.choices:
            values[field.name] = _text(marker, field)  # mark every text, optional or not
            continue
        if (
            field.null
            or field.has_default()
            or getattr(field, "auto_now", False)
            or getattr(field, "auto_now_add", False)
        ):
            continue
        values[field.name] = _value_for(field, tenant, marker, made, depth)
    if issubclass(model, TenantScopedModel):
        values["tenant"] = tenant
    return _create_allowing_status(model, values)


def _create_allowing_status(model, values):
    try:
        from praja.core.workflow.registry import allow_status_assignment
    except ImportError:  # workflow package without the helper: create as is
        return model._default_manager.create(**values)
    with allow_status_assignment():
        return model._default_manager.create(**values)


def make_row(model, tenant: Tenant, marker: str, made: dict, depth: int = 0):
    """One row of `model` in `tenant` (registered factory first, else the generic filler)."""
    label = model._meta.label_lower
    factory = _FACTORIES.get(label)
    # A savepoint each, so one model's failure leaves the test's transaction usable (PostgreSQL).
    with use_tenant(tenant), transaction.atomic():
        if factory is not None:
            result = factory(tenant, marker, make_marked_user)
            rows = list(result) if isinstance(result, list | tuple) else [result]
        else:
            rows = [_generic(model, tenant, marker, made, depth)]
    made.setdefault(label, []).extend(rows)
    return rows[0]


def populate_tenant(tenant: Tenant, marker: str) -> dict[str, list]:
    """Create (or find) at least one row of every tenant-owned model in `tenant`.

    Returns {model label: [rows]}; raises with the model's name when a row cannot be made.
    """
    load_isolation_factories()
    made: dict[str, list] = {}
    failures = []
    for model in tenant_scoped_models():
        label = model._meta.label_lower
        if made.get(label):
            continue
        try:
            make_row(model, tenant, marker, made)
        except Exception as error:  # reported together below, with the model named
            failures.append(f"{model._meta.label}: {type(error).__name__}: {error}")
    if failures:
        raise AssertionError(
            "Cannot create isolation rows; register a factory with "
            "praja.core.testing.isolation.register_isolation_factory for:\n  " + "\n  ".join(failures)
        )
    return made
