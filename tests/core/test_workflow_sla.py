"""SLA clocks in working days: started by submission, paused while returned to the applicant,
extended on resumption, stopped at a final state; breaches marked once and escalated."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType

from praja.core.accounts.models import OrgUnit, Position
from praja.core.audit.models import AuditEvent
from praja.core.calendar.selectors import add_working_days
from praja.core.notifications.models import OutboxMessage
from praja.core.workflow.actions import check_sla_breaches, transition
from praja.core.workflow.clock import advance_clock
from praja.core.workflow.models import SlaClock
from praja.core.workflow.selectors import get_case_timeline, get_sla_status
from tests.caseapp.factories import new_case, reload
from tests.caseapp.models import SampleCase
from tests.caseapp.transitions import SAMPLE_WORKFLOW

WIB = ZoneInfo("Asia/Jakarta")
SECOND = datetime.timedelta(seconds=1)


def at(*parts):
    return datetime.datetime(*parts, tzinfo=WIB)


def end_of(year, month, day):
    return datetime.datetime.combine(datetime.date(year, month, day), datetime.time.max, tzinfo=WIB)


@pytest.fixture
def applicant(tenant_a, make_person):
    return make_person(tenant_a, full_name="Siti Warga")


@pytest.fixture
def verifier(tenant_a, make_person):
    return make_person(tenant_a, roles=["official"], full_name="Budi Verifikator")


def clock_of(case):
    return SlaClock.all_tenants.get(object_id=str(case.pk))


def test_submission_starts_the_clock_in_working_days(tenant_a, applicant):
    case = new_case(tenant_a, applicant)
    event = transition(case, "submit", actor=applicant)
    clock = clock_of(case)
    assert (clock.working_days, clock.started_at) == (5, event.occurred_at)
    assert clock.due_at == add_working_days(tenant_a, event.occurred_at, 5)
    status = get_sla_status(case, now=event.occurred_at)
    assert (status.working_days_left, status.is_paused, status.is_breached) == (5, False, False)
    late = get_sla_status(case, now=clock.due_at + datetime.timedelta(days=10))
    assert late.working_days_left < 0
    assert late.is_breached is True


def test_pause_and_resume_move_the_due_date_by_the_paused_working_days(tenant_a, applicant, in_tenant):
    case = new_case(tenant_a, applicant)
    content_type = ContentType.objects.get_for_model(SampleCase)
    step = SAMPLE_WORKFLOW.get_transition

    def advance(name, now):
        with in_tenant(tenant_a):
            return advance_clock(
                SAMPLE_WORKFLOW, step(name), case, tenant=tenant_a, content_type=content_type, now=now
            )

    # Monday 10 August: five working days, skipping Monday 17 August, end on Tuesday 18 August.
    clock = advance("submit", at(2026, 8, 10, 9, 0))
    assert clock.due_at == end_of(2026, 8, 18)
    clock = advance("return_to_applicant", at(2026, 8, 12, 10, 0))
    assert clock.paused_at == at(2026, 8, 12, 10, 0)
    # Back on Friday 21 August: Thu 13, Fri 14, Tue 18, Wed 19, Thu 20, Fri 21 were paused; six
    # working days after Tuesday 18 August, skipping Maulid Nabi on Tuesday 25 August.
    clock = advance("resubmit", at(2026, 8, 21, 10, 0))
    assert (clock.paused_at, clock.paused_working_days) == (None, 6)
    assert clock.due_at == end_of(2026, 8, 27)
    with in_tenant(tenant_a):
        assert check_sla_breaches(tenant_a, now=end_of(2026, 8, 25)) == []
    # A return and resubmission on the same day costs nothing.
    advance("return_to_applicant", at(2026, 8, 24, 9, 0))
    clock = advance("resubmit", at(2026, 8, 24, 15, 0))
    assert (clock.due_at, clock.paused_working_days) == (end_of(2026, 8, 27), 6)
    clock = advance("verify", at(2026, 8, 25, 9, 0))
    clock = advance("approve", at(2026, 8, 25, 11, 0))
    assert clock.stopped_at == at(2026, 8, 25, 11, 0)
    status = get_sla_status(case, now=at(2026, 12, 1, 9, 0))
    assert (status.is_stopped, status.is_breached, status.working_days_left) == (True, False, 2)


def test_returned_case_shows_a_paused_clock_and_is_never_breached(tenant_a, applicant, verifier):
    case = new_case(tenant_a, applicant)
    transition(case, "submit", actor=applicant)
    transition(case, "return_to_applicant", actor=verifier, reason="Lampirkan denah lokasi")
    clock = clock_of(case)
    frozen = get_sla_status(case, now=clock.paused_at).working_days_left
    timeline = get_case_timeline(case, now=clock.due_at + datetime.timedelta(days=30))
    assert (timeline.status_label, timeline.holder) == ("Dikembalikan ke pemohon", "Pemohon")
    assert timeline.entries[-1].reason == "Lampirkan denah lokasi"
    assert (timeline.sla.is_paused, timeline.sla.working_days_left) == (True, frozen)
    assert check_sla_breaches(tenant_a, now=clock.due_at + datetime.timedelta(days=30)) == []
    assert clock_of(case).breached_at is None


@pytest.fixture
def office(tenant_a, verifier, make_person, in_tenant):
    """Budi (verifier) reports to Kepala Bidang Ratna; Joko verifies in Serang (another tenant)."""
    head = make_person(tenant_a, full_name="Ratna Kepala Bidang")
    with in_tenant(tenant_a):
        unit = OrgUnit.objects.create(
            code="DPMPTSP", name="Dinas Penanaman Modal dan PTSP", kind="perangkat_daerah"
        )
        head_position = Position.objects.create(org_unit=unit, title="Kepala Bidang Perizinan", holder=head)
        Position.objects.create(
            org_unit=unit, title="Verifikator Perizinan", holder=verifier, supervisor=head_position
        )
    return head


def test_breach_is_marked_once_recorded_and_escalated_to_the_supervisor(
    tenant_a, tenant_b, applicant, verifier, office, make_person
):
    make_person(tenant_b, roles=["official"])
    case = new_case(tenant_a, applicant)
    transition(case, "submit", actor=applicant)
    due = clock_of(case).due_at

    assert check_sla_breaches(tenant_a, now=due - SECOND) == []
    assert check_sla_breaches(tenant_a, now=due) == []
    breached = check_sla_breaches(tenant_a, now=due + SECOND)
    assert [clock.object_id for clock in breached] == [str(case.pk)]
    assert clock_of(case).breached_at == due + SECOND

    event = AuditEvent.objects.get(tenant=tenant_a, event_type="workflow.sla_breached")
    assert (event.actor_id, event.object_type, event.object_id) == (None, "caseapp.samplecase", str(case.pk))
    assert json.loads(event.data) == {
        "due_at": due.isoformat(),
        "escalated_to": [office.pk],
        "holders": [verifier.pk],
        "status": "submitted",
        "workflow": "caseapp.sample_case",
    }
    messages = OutboxMessage.objects.filter(template="workflow/sla_breached")
    assert sorted(messages.values_list("recipient_id", "channel")) == [
        (office.pk, "email"),
        (office.pk, "in_app"),
    ]
    in_app = messages.get(channel="in_app")
    assert in_app.tenant_id == tenant_a.pk
    assert in_app.subject == f"Batas waktu layanan terlampaui: berkas contoh #{case.pk}: Izin contoh"
    assert "Verifikator Dinas" in in_app.body

    assert check_sla_breaches(tenant_a, now=due + datetime.timedelta(days=3)) == []
    assert AuditEvent.objects.filter(event_type="workflow.sla_breached").count() == 1
    assert messages.count() == 2
    assert get_case_timeline(reload(case)).sla.is_breached is True


def test_breach_without_a_supervisor_on_record_goes_to_the_holders(tenant_a, applicant, verifier):
    case = new_case(tenant_a, applicant)
    transition(case, "submit", actor=applicant)
    check_sla_breaches(tenant_a, now=clock_of(case).due_at + SECOND)
    assert set(
        OutboxMessage.objects.filter(template="workflow/sla_breached").values_list("recipient_id", flat=True)
    ) == {verifier.pk}


def test_finished_case_is_never_breached(tenant_a, applicant, verifier, make_person):
    approver = make_person(tenant_a, roles=["approver"])
    case = new_case(tenant_a, applicant, documents_complete=True)
    transition(case, "submit", actor=applicant)
    transition(case, "verify", actor=verifier)
    transition(case, "approve", actor=approver, otp_verified=True)
    clock = clock_of(case)
    assert clock.stopped_at is not None
    assert check_sla_breaches(tenant_a, now=clock.due_at + datetime.timedelta(days=30)) == []


def test_breach_check_of_one_tenant_leaves_the_other_alone(tenant_a, tenant_b, make_person):
    applicant_b = make_person(tenant_b)
    case = new_case(tenant_b, applicant_b)
    transition(case, "submit", actor=applicant_b)
    late = clock_of(case).due_at + SECOND
    assert check_sla_breaches(tenant_a, now=late) == []
    assert len(check_sla_breaches(tenant_b, now=late)) == 1
