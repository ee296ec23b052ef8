"""Background tasks (Django's Tasks API): outbox sending and the periodic-job runners.

Tasks take ids, never objects, so every backend (database, Celery, immediate) can carry them.
Tenant jobs take `tenant_id` first and run inside `use_tenant`.
"""

from __future__ import annotations

from django_tasks import task

from praja.core.notifications import sending


@task()
def send_outbox_message(message_id: int) -> str:
    """Send one outbox message if it is due and no other worker has claimed it."""
    return sending.deliver_message(message_id)


@task()
def send_due_messages() -> dict[str, int]:
    """Send every due outbox message: retries after backoff and sends the queue missed."""
    return sending.deliver_due_messages()


@task()
def run_tenant_job(tenant_id: int, job_name: str) -> str:
    """Run the registered periodic job `job_name` for one tenant, with that tenant active."""
    from praja.core.notifications.periodic import run_job_for_tenant

    return run_job_for_tenant(tenant_id, job_name)


@task()
def run_platform_job(job_name: str) -> str:
    """Run the registered platform-wide periodic job `job_name` (no tenant active)."""
    from praja.core.notifications.periodic import run_platform_job as run

    return run(job_name)
