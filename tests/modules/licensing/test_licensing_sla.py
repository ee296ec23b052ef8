"""SLA arithmetic of the licensing workflow: working days from registration to issue across weekends,
national holidays and the tenant's own day off, with the clock paused during revision and payment."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType

from praja.core.calendar.actions import add_tenant_holiday
from praja.core.tenancy.context import use_tenant
from praja.core.workflow.actions import check_sla_breaches
from praja.core.workflow.clock import advance_clock
from praja.core.workflow.registry import allow_status_assignment
from praja.modules.licensing import selectors
from praja.modules.licensing.models import Application
from praja.modules.licensing.models import ApplicationStatus as S
from praja.modules.licensing.transitions import APPLICATION_WORKFLOW
from tests.modules.licensing.conftest import place_in_status

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def at(*parts):
    return datetime.datetime(*parts, tzinfo=WIB)


def end_of(year, month, day):
    return datetime.datetime(year, month, day, 23, 59, 59, 999999, tzinfo=WIB)


@pytest.fixture
def day_off(office, make_person):
    admin = make_person(office.tenant, roles=["tenant_admin"])
    # A regional day off on Wednesday 12 August 2026 (besides 17 August and Maulid Nabi on 25 August).
    return add_tenant_holiday(
        actor=admin, tenant=office.tenant, date=datetime.date(2026, 8, 12), name="Libur daerah uji"
    )


def _stepper(office, application):
    content_type = ContentType.objects.get_for_model(Application)

    def step(name, now):
        with use_tenant(office.tenant):
            return advance_clock(
                APPLICATION_WORKFLOW,
                APPLICATION_WORKFLOW.get_transition(name),
                application,
                tenant=office.tenant,
                content_type=content_type,
                now=now,
            )

    return step


def _finish(application, status=S.ISSUED):
    with use_tenant(application.tenant), allow_status_assignment():
        Application.objects.filter(pk=application.pk).update(status=status)


def test_reklame_clock_skips_weekends_holidays_day_off_and_pauses_for_revision_and_payment(office, day_off):
    app = place_in_status(office, S.REGISTERED, permit_type=office.reklame)
    step = _stepper(office, app)
    # Registered Monday 10 August; 10 working days: 11, 13, 14, 18, 19, 20, 21, 24, 26, 27 August
    # (12 August day off, 15-16 weekend, 17 Independence Day, 25 Maulid Nabi).
    clock = step("register", at(2026, 8, 10, 9, 0))
    assert (clock.working_days, clock.due_at) == (10, end_of(2026, 8, 27))
    # Technical team asks for a revision on Thursday 13 August; the applicant answers Wednesday 19:
    # 14, 18 and 19 August were paused, so the due date moves three working days to 1 September.
    step("request_revision", at(2026, 8, 13, 10, 0))
    with use_tenant(office.tenant):
        assert check_sla_breaches(office.tenant, now=end_of(2026, 9, 30)) == []
    clock = step("resubmit_revision", at(2026, 8, 19, 10, 0))
    assert (clock.paused_working_days, clock.due_at) == (3, end_of(2026, 9, 1))
    step("recommend_approve", at(2026, 8, 20, 9, 0))
    # Approved with a bill on Monday 24; paid Friday 28: 26, 27, 28 paused (25 is Maulid Nabi).
    clock = step("approve_for_payment", at(2026, 8, 24, 9, 0))
    assert clock.paused_at == at(2026, 8, 24, 9, 0)
    clock = step("mark_paid", at(2026, 8, 28, 10, 0))
    assert (clock.paused_working_days, clock.due_at) == (6, end_of(2026, 9, 4))
    clock = step("issue", at(2026, 8, 28, 11, 0))
    assert clock.stopped_at == at(2026, 8, 28, 11, 0)
    _finish(app)
    with use_tenant(office.tenant):
        # 11 working days between registration and issue, 6 of them waiting for the applicant.
        assert selectors.working_days_to_issue(app) == 5
        assert check_sla_breaches(office.tenant, now=end_of(2026, 12, 1)) == []


def test_breach_is_flagged_once_and_compliance_counts_it(office, day_off):
    on_time = place_in_status(office, S.REGISTERED, permit_type=office.sip)
    late = place_in_status(office, S.REGISTERED, permit_type=office.sip)
    for application, issued in ((on_time, at(2026, 8, 14, 10, 0)), (late, at(2026, 8, 28, 10, 0))):
        step = _stepper(office, application)
        clock = step("register", at(2026, 8, 10, 9, 0))
        # SIP: 7 working days -> 11, 13, 14, 18, 19, 20, 21 August.
        assert clock.due_at == end_of(2026, 8, 21)
        if application is late:
            with use_tenant(office.tenant):
                breached = check_sla_breaches(office.tenant, now=at(2026, 8, 24, 8, 0))
                assert [item.object_id for item in breached] == [str(late.pk)]
                assert check_sla_breaches(office.tenant, now=at(2026, 8, 25, 8, 0)) == []
        step("issue", issued)
        _finish(application)
    with use_tenant(office.tenant):
        rows = selectors.sla_compliance_by_permit_type()
        offices = selectors.sla_compliance_by_office()
    assert [(row.label, row.finished, row.within_sla, row.share) for row in rows] == [
        ("Surat Izin Praktik (SIP) Dokter", 2, 1, Decimal("50.0"))
    ]
    assert [(row.label, row.share) for row in offices] == [("Dinkes", Decimal("50.0"))]
