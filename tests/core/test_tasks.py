"""Background work: periodic jobs per tenant, the scheduler, and the database worker."""

from __future__ import annotations

import datetime
import io
import logging
import zoneinfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from praja.core.notifications import periodic
from praja.core.notifications.actions import notify
from praja.core.notifications.models import MessageStatus, OutboxMessage, PeriodicJobState
from praja.core.tenancy.context import get_current_tenant, use_tenant

pytestmark = pytest.mark.django_db

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
calls: list[tuple[str, str | None]] = []


def record_tenant_job(tenant) -> None:
    active = get_current_tenant()
    calls.append((tenant.code, active.code if active else None))


def record_platform_job() -> None:
    calls.append(("platform", None))


@pytest.fixture
def job_registry(monkeypatch):
    """An empty registry for the test, so only the jobs it registers run."""
    monkeypatch.setattr(periodic, "_registry", {})
    calls.clear()
    yield periodic
    calls.clear()


def test_tenant_job_runs_once_per_active_tenant_with_that_tenant_active(tenant_a, tenant_b, job_registry):
    job_registry.register_periodic("test.tenant_job", record_tenant_job, every_seconds=600, per_tenant=True)
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=JAKARTA)

    assert job_registry.run_due_jobs(now=start) == {"test.tenant_job": 2}
    assert calls == [("32.73", "32.73"), ("36.04", "36.04")]

    assert job_registry.run_due_jobs(now=start + datetime.timedelta(seconds=599)) == {}
    assert len(calls) == 2
    tenant_b.is_active = False
    tenant_b.save(update_fields=["is_active"])
    assert job_registry.run_due_jobs(now=start + datetime.timedelta(seconds=600)) == {"test.tenant_job": 1}
    assert calls[2:] == [("32.73", "32.73")]
    state = PeriodicJobState.objects.get(name="test.tenant_job")
    assert state.next_run_at == start + datetime.timedelta(seconds=1200)


def test_daily_job_waits_for_its_time_in_the_platform_timezone(job_registry):
    job = job_registry.register_periodic("test.daily", record_platform_job, daily_at="00:05")
    # 23:00 UTC on 1 March is 06:00 WIB on 2 March: the next 00:05 WIB is on 3 March.
    moment = datetime.datetime(2026, 3, 1, 23, 0, tzinfo=datetime.UTC)
    assert job.next_run_after(moment) == datetime.datetime(2026, 3, 3, 0, 5, tzinfo=JAKARTA)

    first_check = datetime.datetime(2026, 3, 2, 23, 0, tzinfo=JAKARTA)
    assert job_registry.run_due_jobs(now=first_check) == {}
    assert job_registry.run_due_jobs(now=datetime.datetime(2026, 3, 3, 0, 5, tzinfo=JAKARTA)) == {
        "test.daily": 1
    }
    assert calls == [("platform", None)]
    # A scheduler that was down at 00:05 catches up when it returns, once.
    assert job_registry.run_due_jobs(now=datetime.datetime(2026, 3, 4, 7, 0, tzinfo=JAKARTA)) == {
        "test.daily": 1
    }
    assert job_registry.run_due_jobs(now=datetime.datetime(2026, 3, 4, 7, 1, tzinfo=JAKARTA)) == {}
    assert len(calls) == 2


def test_job_whose_helper_does_not_exist_yet_logs_and_does_not_fail(tenant_a, job_registry, caplog):
    job_registry.register_periodic(
        "test.missing",
        ("praja.core.workflow.no_such_module.check", "praja.core.audit.no_such_function"),
        every_seconds=60,
        per_tenant=True,
    )
    with caplog.at_level(logging.WARNING, logger="praja.core.notifications.periodic"):
        assert job_registry.run_due_jobs() == {"test.missing": 1}
    assert "Periodic job test.missing skipped: its function is not available yet: " in caplog.text
    assert "praja.core.workflow.no_such_module.check" in caplog.text


def test_register_periodic_refuses_ambiguous_schedules(job_registry):
    with pytest.raises(ValueError, match="exactly one of every_seconds and daily_at"):
        job_registry.register_periodic("x", record_platform_job)
    with pytest.raises(ValueError, match="exactly one of every_seconds and daily_at"):
        job_registry.register_periodic("x", record_platform_job, every_seconds=5, daily_at="01:00")


def test_platform_jobs_are_registered_at_startup():
    jobs = periodic.registered_jobs()
    assert jobs["workflow.check_sla_breaches"].per_tenant is True
    assert jobs["audit.daily_checkpoints"].daily_at == datetime.time(0, 5)
    assert jobs["audit.daily_checkpoints"].per_tenant is False
    assert jobs["notifications.send_due_messages"].every_seconds == 60


def test_scheduler_once_enqueues_due_jobs(tenant_a, job_registry):
    job_registry.register_periodic("test.tenant_job", record_tenant_job, every_seconds=600, per_tenant=True)
    out = io.StringIO()
    call_command("scheduler", "--once", stdout=out)
    assert out.getvalue().splitlines() == [
        "test.tenant_job: every 600s, per tenant",
        "test.tenant_job: 1 task(s) enqueued",
    ]
    assert calls == [("32.73", "32.73")]


@pytest.fixture
def worker_keeps_test_connection(monkeypatch):
    """Let db_worker run inside the test's transaction.

    The worker calls close_old_connections() between tasks, which closes any connection that is
    not in autocommit mode, i.e. the one holding this test's transaction (PostgreSQL then fails).
    """
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
@pytest.mark.usefixtures("worker_keeps_test_connection")
def test_database_worker_sends_email_queued_by_notify(
    tenant_a, make_person, django_capture_on_commit_callbacks
):
    person = make_person(tenant_a, email="wati@contoh.go.id")
    with use_tenant(tenant_a), django_capture_on_commit_callbacks(execute=True):
        [message] = notify(
            recipient=person,
            template="generic",
            context={"subject": "Antrean", "body": "Isi"},
            channels=("email",),
        )
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "praja.core.notifications.tasks.send_outbox_message"
    assert queued.status == "READY"
    assert mail.outbox == []  # enqueued, nothing sent until a worker runs it

    call_command("worker", "--batch", stdout=io.StringIO())

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert [email.subject for email in mail.outbox] == ["Antrean"]
    assert OutboxMessage.objects.get(pk=message.pk).status == MessageStatus.SENT


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
@pytest.mark.usefixtures("worker_keeps_test_connection")
def test_database_worker_runs_tenant_jobs_with_the_tenant_active(tenant_a, tenant_b, job_registry):
    job_registry.register_periodic("test.tenant_job", record_tenant_job, every_seconds=600, per_tenant=True)
    job_registry.run_due_jobs()
    assert sorted(tuple(r.args_kwargs["args"]) for r in DBTaskResult.objects.all()) == [
        (tenant_a.pk, "test.tenant_job"),
        (tenant_b.pk, "test.tenant_job"),
    ]
    assert calls == []
    call_command("worker", "--batch", stdout=io.StringIO())
    assert sorted(calls) == [("32.73", "32.73"), ("36.04", "36.04")]


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
@pytest.mark.usefixtures("worker_keeps_test_connection")
def test_a_batch_worker_hands_the_calling_process_its_signal_handlers_back(db):
    """db_worker installs graceful-shutdown handlers; left behind, a later forked child (the audit
    chain's verification workers) inherited them and survived the SIGTERM meant to end it."""
    import signal

    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    call_command("worker", "--batch", stdout=io.StringIO())
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


def test_worker_refuses_the_immediate_backend():
    with pytest.raises(CommandError, match="runs tasks in the web process; there is no worker to start"):
        call_command("worker")
