"""Periodic jobs: a small registry and the scheduler's tick.

`praja scheduler` calls `run_due_jobs()` in a loop. A due job is not run in the scheduler: it is
enqueued as a task (one per active tenant for tenant jobs, with `tenant_id` first), so the work
lands on the same workers as everything else. Each job's next run is kept in PeriodicJobState and
claimed with a conditional UPDATE, so two schedulers started by mistake still enqueue it once.

Register a job (in an AppConfig.ready() or at import of a module listed in PERIODIC_JOB_MODULES):
    register_periodic("workflow.sla_checks", "praja.core.workflow.sla.check_sla_breaches",
                      every_seconds=900, per_tenant=True)
"""

from __future__ import annotations

import datetime
import logging
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from praja.core.notifications.models import PeriodicJobState

logger = logging.getLogger(__name__)

JobFunction = Callable[..., Any] | str | Sequence[str]


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    func: JobFunction
    every_seconds: int | None = None
    daily_at: datetime.time | None = None
    per_tenant: bool = False

    def next_run_after(self, moment: datetime.datetime) -> datetime.datetime:
        """Return the first scheduled moment strictly after `moment`."""
        if self.every_seconds is not None:
            return moment + datetime.timedelta(seconds=self.every_seconds)
        assert self.daily_at is not None
        # Daily jobs follow the platform's clock (Asia/Jakarta by default), not the server's.
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        local = moment.astimezone(zone)
        candidate = datetime.datetime.combine(local.date(), self.daily_at, tzinfo=zone)
        if candidate <= local:
            candidate = datetime.datetime.combine(
                local.date() + datetime.timedelta(days=1), self.daily_at, tzinfo=zone
            )
        return candidate

    def first_run(self, now: datetime.datetime) -> datetime.datetime:
        # Interval jobs start at once; daily jobs wait for their time of day.
        return now if self.every_seconds is not None else self.next_run_after(now)


_registry: dict[str, PeriodicJob] = {}


def register_periodic(
    name: str,
    func: JobFunction,
    *,
    every_seconds: int | None = None,
    daily_at: str | datetime.time | None = None,
    per_tenant: bool = False,
) -> PeriodicJob:
    """Register (or replace) the periodic job `name`.

    `func` is a callable or a dotted path (or several candidate paths, the first importable one
    wins); it is imported when the job runs, so a helper that does not exist yet only logs.
    Give exactly one of `every_seconds` and `daily_at` ("HH:MM", platform time zone). Tenant jobs
    (`per_tenant=True`) are called as `func(tenant)` with the tenant active, once per active tenant.
    """
    if (every_seconds is None) == (daily_at is None):
        raise ValueError("Give exactly one of every_seconds and daily_at")
    if every_seconds is not None and every_seconds <= 0:
        raise ValueError("every_seconds must be positive")
    if isinstance(daily_at, str):
        daily_at = datetime.time.fromisoformat(daily_at)
    job = PeriodicJob(
        name=name, func=func, every_seconds=every_seconds, daily_at=daily_at, per_tenant=per_tenant
    )
    _registry[name] = job
    return job


def unregister_periodic(name: str) -> None:
    _registry.pop(name, None)


def registered_jobs() -> dict[str, PeriodicJob]:
    return dict(_registry)


def get_job(name: str) -> PeriodicJob:
    try:
        return _registry[name]
    except KeyError:
        raise LookupError(f"No periodic job named {name!r} is registered") from None


def resolve_job_function(job: PeriodicJob) -> Callable[..., Any] | None:
    """Import the job's function; return None (and log why) when no candidate exists yet."""
    if callable(job.func):
        return job.func
    candidates = [job.func] if isinstance(job.func, str) else list(job.func)
    errors = []
    for path in candidates:
        try:
            return import_string(path)
        except ImportError as exc:
            errors.append(f"{path} ({exc})")
    logger.warning(
        "Periodic job %s skipped: its function is not available yet: %s", job.name, "; ".join(errors)
    )
    return None


def run_job_for_tenant(tenant_id: int, job_name: str) -> str:
    """Run a tenant job for one tenant with that tenant active (the body of `run_tenant_job`)."""
    from praja.core.tenancy.context import use_tenant
    from praja.core.tenancy.models import Tenant

    job = get_job(job_name)
    tenant = Tenant.objects.get(pk=tenant_id)
    func = resolve_job_function(job)
    if func is None:
        return "unavailable"
    with use_tenant(tenant):
        func(tenant)
    return "done"


def run_platform_job(job_name: str) -> str:
    """Run a platform-wide job (the body of the `run_platform_job` task)."""
    job = get_job(job_name)
    func = resolve_job_function(job)
    if func is None:
        return "unavailable"
    func()
    return "done"


def _claim_run(job: PeriodicJob, now: datetime.datetime) -> bool:
    state = PeriodicJobState.objects.filter(name=job.name).first()
    if state is None:
        try:
            with transaction.atomic():
                state = PeriodicJobState.objects.create(name=job.name, next_run_at=job.first_run(now))
        except IntegrityError:
            state = PeriodicJobState.objects.get(name=job.name)
    if state.next_run_at > now:
        return False
    return bool(
        PeriodicJobState.objects.filter(pk=state.pk, next_run_at=state.next_run_at).update(
            last_run_at=now, next_run_at=job.next_run_after(now)
        )
    )


def enqueue_job(job: PeriodicJob) -> int:
    """Enqueue one run of `job` now (a task per active tenant for tenant jobs); return how many."""
    from praja.core.notifications.tasks import run_platform_job as platform_task
    from praja.core.notifications.tasks import run_tenant_job
    from praja.core.tenancy.models import Tenant

    if not job.per_tenant:
        platform_task.enqueue(job.name)
        return 1
    tenant_ids = list(Tenant.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
    for tenant_id in tenant_ids:
        run_tenant_job.enqueue(tenant_id, job.name)
    return len(tenant_ids)


def run_due_jobs(now: datetime.datetime | None = None) -> dict[str, int]:
    """Enqueue every registered job whose time has come; return job name → tasks enqueued."""
    now = now or timezone.now()
    enqueued: dict[str, int] = {}
    for job in sorted(_registry.values(), key=lambda job: job.name):
        if _claim_run(job, now):
            enqueued[job.name] = enqueue_job(job)
            logger.info("Periodic job %s: %s task(s) enqueued", job.name, enqueued[job.name])
    return enqueued


def register_default_jobs() -> None:
    """Register the platform's own periodic jobs (SLA checks, audit checkpoints, outbox retries)."""
    register_periodic(
        "notifications.send_due_messages",
        "praja.core.notifications.sending.deliver_due_messages",
        every_seconds=int(getattr(settings, "PRAJA_OUTBOX_SWEEP_SECONDS", 60)),
    )
    register_periodic(
        "workflow.check_sla_breaches",
        (
            "praja.core.workflow.sla.check_sla_breaches",
            "praja.core.workflow.actions.check_sla_breaches",
            "praja.core.workflow.check_sla_breaches",
        ),
        every_seconds=int(getattr(settings, "PRAJA_SLA_CHECK_SECONDS", 900)),
        per_tenant=True,
    )
    register_periodic(
        "audit.daily_checkpoints",
        (
            "praja.core.audit.checkpoints.create_daily_checkpoints_for_all_tenants",
            "praja.core.audit.actions.create_daily_checkpoints_for_all_tenants",
            "praja.core.audit.create_daily_checkpoints_for_all_tenants",
        ),
        daily_at=getattr(settings, "PRAJA_CHECKPOINT_DAILY_AT", "00:05"),
    )
