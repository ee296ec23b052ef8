"""The workflow engine on SampleCase: every transition allowed and refused, permissions, second
factor, separation of duties, guards, stale forms and the status guard."""

import json
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.utils.formats import date_format

from praja.core.accounts.models import OrgUnit
from praja.core.audit.models import AuditEvent
from praja.core.notifications.models import OutboxMessage
from praja.core.workflow import (
    CaseMovedOn,
    GuardFailed,
    PermissionDenied,
    SecondFactorRequired,
    SeparationOfDutiesViolation,
    State,
    StatusChangeOutsideWorkflow,
    Transition,
    TransitionNotAllowed,
    UnknownTransition,
    Workflow,
    all_workflows,
    allow_status_assignment,
    undeclared_audit_events,
)
from praja.core.workflow.actions import transition
from praja.core.workflow.models import CaseEvent
from praja.core.workflow.selectors import get_case_timeline, list_available_transitions
from tests.caseapp.factories import new_case, reload
from tests.caseapp.models import SampleCase
from tests.caseapp.transitions import SAMPLE_WORKFLOW

STATES = [state.value for state in SAMPLE_WORKFLOW.states]
# Every role carrying core.work_queue, modules' roles included (licensing adds its officials').
WORK_QUEUE_ROLES = ", ".join(
    str(role.label)
    for role in __import__("praja.core.permissions.roles", fromlist=["all_roles"]).all_roles()
    if "core.work_queue" in role.permissions
)


@pytest.fixture
def people(tenant_a, make_person):
    class People:
        applicant = make_person(tenant_a, full_name="Siti Warga")
        verifier = make_person(tenant_a, roles=["official"], full_name="Budi Verifikator")
        verifier2 = make_person(tenant_a, roles=["official"], full_name="Rina Verifikator")
        approver = make_person(tenant_a, roles=["approver"], full_name="Dewi Kepala")
        inspector = make_person(tenant_a, roles=["inspector"], full_name="Agus Inspektur")
        stranger = make_person(tenant_a, full_name="Joko Warga")

    return People


def audit_types(tenant):
    return list(AuditEvent.objects.filter(tenant=tenant).order_by("seq").values_list("event_type", flat=True))


def snapshot(case):
    fresh = reload(case)
    return (
        fresh.status,
        fresh.version,
        fresh.verified_by_id,
        CaseEvent.all_tenants.count(),
        AuditEvent.objects.count(),
    )


def actor_for(item, people):
    if item.actor_is_applicant:
        return people.applicant
    return people.approver if item.permission == "core.approve" else people.verifier


def test_submit_verify_approve(tenant_a, people):
    case = new_case(tenant_a, people.applicant, documents_complete=True)
    submitted = transition(case, "submit", actor=people.applicant)
    assert (case.status, case.version) == ("submitted", 1)
    transition(case, "verify", actor=people.verifier, updates={"verified_by": people.verifier})
    transition(case, "approve", actor=people.approver, otp_verified=True, data={"nomor": "503/001/DPMPTSP"})

    stored = reload(case)
    assert (stored.status, stored.version, stored.verified_by_id) == ("approved", 3, people.verifier.pk)
    assert (case.status, case.version) == ("approved", 3)
    events = list(CaseEvent.all_tenants.order_by("pk"))
    assert [(e.transition, e.from_status, e.to_status, e.actor_id) for e in events] == [
        ("submit", "draft", "submitted", people.applicant.pk),
        ("verify", "submitted", "verified", people.verifier.pk),
        ("approve", "verified", "approved", people.approver.pk),
    ]
    assert submitted == events[0]
    assert audit_types(tenant_a) == [
        "tenant.created",
        "caseapp.sample_submitted",
        "caseapp.sample_verified",
        "caseapp.sample_approved",
    ]
    approved = AuditEvent.objects.get(event_type="caseapp.sample_approved")
    assert (approved.object_type, approved.object_id, approved.actor_id) == (
        "caseapp.samplecase",
        str(case.pk),
        people.approver.pk,
    )
    assert json.loads(approved.data) == {
        "from": "verified",
        "nomor": "503/001/DPMPTSP",
        "to": "approved",
        "transition": "approve",
        "workflow": "caseapp.sample_case",
    }
    assert events[2].audit_event_id == approved.pk


ALL_PAIRS = [(item.name, state) for item in SAMPLE_WORKFLOW.transitions for state in STATES]


@pytest.mark.parametrize(("name", "state"), ALL_PAIRS, ids=[f"{n}-from-{s}" for n, s in ALL_PAIRS])
def test_every_transition_from_every_state(tenant_a, people, name, state):
    item = SAMPLE_WORKFLOW.get_transition(name)
    case = new_case(tenant_a, people.applicant, status=state, documents_complete=True)
    before = snapshot(case)
    kwargs = {"actor": actor_for(item, people), "reason": "Lampiran KTP buram", "otp_verified": True}
    if state in item.sources:
        transition(case, name, **kwargs)
        assert reload(case).status == item.target
        assert CaseEvent.all_tenants.get().to_status == item.target
    else:
        with pytest.raises(TransitionNotAllowed) as refused:
            transition(case, name, **kwargs)
        sources = ", ".join(SAMPLE_WORKFLOW.state_label(value) for value in item.sources)
        assert str(refused.value) == (
            f'Berkas berstatus {SAMPLE_WORKFLOW.state_label(state)}; "{item.label}" '
            f"hanya dapat dilakukan pada berkas berstatus {sources}."
        )
        assert snapshot(case) == before


def test_refused_transition_message_names_states(tenant_a, people):
    case = new_case(tenant_a, people.applicant)
    with pytest.raises(TransitionNotAllowed) as refused:
        transition(case, "approve", actor=people.approver, otp_verified=True)
    assert (
        str(refused.value)
        == 'Berkas berstatus Draf; "Setujui" hanya dapat dilakukan pada berkas berstatus Terverifikasi.'
    )
    assert refused.value.code == "transition_not_allowed"


def test_unknown_transition_is_a_programming_error(tenant_a, people):
    case = new_case(tenant_a, people.applicant)
    with pytest.raises(UnknownTransition):
        transition(case, "publish", actor=people.applicant)


@pytest.mark.parametrize("who", ["stranger", "inspector", "anonymous", "other_tenant_official"])
def test_verify_refused_without_the_permission(tenant_a, tenant_b, make_person, people, who):
    actor = {
        "stranger": people.stranger,
        "inspector": people.inspector,
        "anonymous": AnonymousUser(),
        "other_tenant_official": make_person(tenant_b, roles=["official"]),
    }[who]
    case = new_case(tenant_a, people.applicant, status="submitted", documents_complete=True)
    before = snapshot(case)
    with pytest.raises(PermissionDenied) as refused:
        transition(case, "verify", actor=actor)
    if who == "anonymous":
        assert str(refused.value) == 'Masuk terlebih dahulu untuk melakukan "Verifikasi".'
    else:
        assert str(refused.value) == (
            'Anda tidak berwenang melakukan "Verifikasi" pada berkas ini; tindakan ini '
            f"hanya untuk {WORK_QUEUE_ROLES}."
        )
    assert refused.value.http_status == 403
    assert snapshot(case) == before


def test_only_the_applicant_submits(tenant_a, people):
    case = new_case(tenant_a, people.applicant)
    for actor in (people.verifier, people.stranger):
        with pytest.raises(PermissionDenied) as refused:
            transition(case, "submit", actor=actor)
        assert str(refused.value) == 'Hanya pemohon berkas ini yang dapat melakukan "Ajukan".'
    assert reload(case).status == "draft"


def test_permission_granted_for_one_perangkat_daerah_counts_only_there(
    tenant_a, make_person, people, in_tenant
):
    with in_tenant(tenant_a):
        dpmptsp = OrgUnit.objects.create(
            code="DPMPTSP", name="Dinas Penanaman Modal dan PTSP", kind="perangkat_daerah"
        )
        dinkes = OrgUnit.objects.create(code="DINKES", name="Dinas Kesehatan", kind="perangkat_daerah")
    scoped = make_person(tenant_a, roles=["official"], org_unit=dpmptsp)
    elsewhere = new_case(
        tenant_a, people.applicant, status="submitted", documents_complete=True, org_unit=dinkes
    )
    with pytest.raises(PermissionDenied):
        transition(elsewhere, "verify", actor=scoped)
    here = new_case(tenant_a, people.applicant, status="submitted", documents_complete=True, org_unit=dpmptsp)
    transition(here, "verify", actor=scoped)
    assert (reload(elsewhere).status, reload(here).status) == ("submitted", "verified")


def test_approval_without_second_factor_is_refused_and_recorded(tenant_a, people):
    case = new_case(tenant_a, people.applicant, status="verified")
    with pytest.raises(SecondFactorRequired) as refused:
        transition(case, "approve", actor=people.approver)
    assert str(refused.value) == (
        '"Setujui" memerlukan verifikasi dua langkah. Masukkan kode dari aplikasi '
        "autentikator Anda, lalu ulangi."
    )
    assert reload(case).status == "verified"
    assert not CaseEvent.all_tenants.exists()
    refusal = AuditEvent.objects.get(tenant=tenant_a, event_type="workflow.second_factor_refused")
    assert (refusal.actor_id, refusal.object_type, refusal.object_id) == (
        people.approver.pk,
        "caseapp.samplecase",
        str(case.pk),
    )
    assert json.loads(refusal.data) == {
        "status": "verified",
        "transition": "approve",
        "workflow": "caseapp.sample_case",
    }
    assert audit_types(tenant_a) == ["tenant.created", "workflow.second_factor_refused"]


def test_second_factor_is_read_from_the_otp_session(tenant_a, people, totp_for):
    from django_otp.middleware import OTPMiddleware
    from django_otp.plugins.otp_totp.models import TOTPDevice

    totp_for(people.approver)
    device = TOTPDevice.objects.get(user=people.approver)

    def request_with(session):
        request = RequestFactory().post("/")
        request.session, request.user = session, people.approver
        OTPMiddleware(lambda r: None)(request)
        return request

    case = new_case(tenant_a, people.applicant, status="verified")
    plain = request_with({})
    with pytest.raises(SecondFactorRequired):
        transition(case, "approve", actor=plain.user, request=plain)
    verified = request_with({"otp_device_id": device.persistent_id})
    transition(case, "approve", actor=verified.user, request=verified)
    assert reload(case).status == "approved"


def test_verifier_may_not_approve_the_same_case(tenant_a, make_person, people):
    both = make_person(tenant_a, roles=["official", "approver"], full_name="Hendra Serba Bisa")
    case = new_case(tenant_a, people.applicant, status="submitted", documents_complete=True)
    transition(case, "verify", actor=both)
    before = snapshot(case)
    for name in ("approve", "reject"):
        with pytest.raises(SeparationOfDutiesViolation) as refused:
            transition(case, name, actor=both, otp_verified=True, reason="Tidak sesuai tata ruang")
        label = SAMPLE_WORKFLOW.get_transition(name).label
        assert (
            str(refused.value)
            == f'Anda sudah melakukan "Verifikasi" pada berkas ini; "{label}" harus dilakukan pejabat lain.'
        )
    assert snapshot(case) == before
    transition(case, "approve", actor=people.approver, otp_verified=True)
    assert reload(case).status == "approved"


def test_nobody_processes_their_own_application(tenant_a, make_person):
    official = make_person(tenant_a, roles=["official", "approver"])
    case = new_case(tenant_a, official, status="submitted", documents_complete=True)
    with pytest.raises(SeparationOfDutiesViolation) as refused:
        transition(case, "verify", actor=official)
    assert str(refused.value) == (
        "Anda adalah pihak dalam berkas ini, sehingga tidak boleh memprosesnya; "
        "berkas ini harus ditangani pejabat lain."
    )
    assert reload(case).status == "submitted"


def test_guard_and_required_reason(tenant_a, people):
    case = new_case(tenant_a, people.applicant, status="submitted", documents_complete=False)
    before = snapshot(case)
    with pytest.raises(GuardFailed) as incomplete:
        transition(case, "verify", actor=people.verifier)
    assert str(incomplete.value) == (
        "Dokumen persyaratan belum lengkap; kembalikan berkas ke pemohon untuk dilengkapi."
    )
    with pytest.raises(GuardFailed) as no_reason:
        transition(case, "return_to_applicant", actor=people.verifier, reason="   ")
    assert str(no_reason.value) == 'Isi alasan untuk "Kembalikan ke pemohon"; pemohon akan membacanya.'
    assert snapshot(case) == before
    transition(case, "return_to_applicant", actor=people.verifier, reason="Lampirkan denah lokasi")
    assert CaseEvent.all_tenants.get().reason == "Lampirkan denah lokasi"


def test_stale_form_is_told_who_processed_the_case(tenant_a, people):
    case = new_case(tenant_a, people.applicant, status="submitted", documents_complete=True)
    seen_by_rina = reload(case)
    transition(case, "verify", actor=people.verifier)
    before = snapshot(case)
    with pytest.raises(CaseMovedOn) as refused:
        transition(seen_by_rina, "return_to_applicant", actor=people.verifier2, reason="Kurang lengkap")
    event = CaseEvent.all_tenants.get()
    local = event.occurred_at.astimezone(ZoneInfo("Asia/Jakarta"))
    assert str(refused.value) == (
        f"Berkas ini sudah diproses oleh Budi Verifikator (Terverifikasi) pada {date_format(local, 'j F Y')} "
        f"pukul {local:%H.%M} WIB; tidak ada perubahan."
    )
    assert " Agustus " in f" {date_format(local.replace(month=8), 'F')} "
    assert snapshot(case) == before
    assert seen_by_rina.status == "submitted"


def test_stale_form_after_a_round_trip_is_refused_by_version(tenant_a, people):
    case = new_case(tenant_a, people.applicant, status="submitted", documents_complete=True)
    seen_by_rina = reload(case)
    transition(case, "return_to_applicant", actor=people.verifier, reason="Lampirkan denah")
    transition(case, "resubmit", actor=people.applicant)
    assert reload(case).status == seen_by_rina.status == "submitted"
    with pytest.raises(CaseMovedOn, match=r"^Berkas ini sudah diproses oleh Siti Warga \(Diajukan\) pada "):
        transition(seen_by_rina, "verify", actor=people.verifier2)
    transition(seen_by_rina, "verify", actor=people.verifier2, expected_version=2)
    assert reload(case).status == "verified"


def test_status_cannot_be_assigned_outside_the_workflow(tenant_a, people, in_tenant):
    case = new_case(tenant_a, people.applicant)
    case.status = "approved"
    with pytest.raises(StatusChangeOutsideWorkflow):
        case.save()
    with in_tenant(tenant_a), pytest.raises(StatusChangeOutsideWorkflow):
        SampleCase.objects.create(title="Langsung disetujui", applicant=people.applicant, status="approved")
    assert reload(case).status == "draft"

    fresh = reload(case)
    fresh.title = "Judul baru"
    fresh.save()  # other fields save freely
    stale = reload(case)
    transition(fresh, "submit", actor=people.applicant)
    stale.refresh_from_db()
    stale.title = "Judul lagi"
    stale.save()
    assert (reload(case).status, reload(case).title) == ("submitted", "Judul lagi")
    with allow_status_assignment():
        stale.status = "draft"
        stale.save()
    assert reload(case).status == "draft"


def test_timeline_shows_steps_holder_and_sla(tenant_a, people):
    case = new_case(tenant_a, people.applicant, documents_complete=True)
    transition(case, "submit", actor=people.applicant)
    timeline = get_case_timeline(case)
    assert (timeline.status_label, timeline.holder) == ("Diajukan", "Verifikator Dinas")
    transition(case, "verify", actor=people.verifier)
    timeline = get_case_timeline(case)
    assert (timeline.status, timeline.status_label, timeline.holder) == (
        "verified",
        "Terverifikasi",
        "Kepala Dinas",
    )
    assert [(e.label, e.from_label, e.to_label, e.actor_name) for e in timeline.entries] == [
        ("Ajukan", "Draf", "Diajukan", "Siti Warga"),
        ("Verifikasi", "Diajukan", "Terverifikasi", "Budi Verifikator"),
    ]
    assert timeline.held_since == timeline.entries[-1].occurred_at
    assert timeline.sla.working_days == 5
    assert timeline.sla.is_breached is False


def test_available_transitions_follow_role_state_and_duties(tenant_a, make_person, people):
    def names(case, actor):
        return [item.name for item in list_available_transitions(case, actor)]

    case = new_case(tenant_a, people.applicant, documents_complete=True)
    assert names(case, people.applicant) == ["submit", "withdraw"]
    assert names(case, people.verifier) == []
    transition(case, "submit", actor=people.applicant)
    assert names(case, people.verifier) == ["verify", "return_to_applicant"]
    assert names(case, people.approver) == ["verify", "return_to_applicant", "reject"]
    assert names(case, people.inspector) == []
    assert names(case, people.applicant) == ["withdraw"]
    both = make_person(tenant_a, roles=["official", "approver"])
    transition(case, "verify", actor=both)
    assert names(case, both) == []
    assert names(case, people.approver) == ["approve", "reject"]


def test_applicant_is_told_of_each_change_by_an_official(tenant_a, people):
    case = new_case(tenant_a, people.applicant, documents_complete=True)
    transition(case, "submit", actor=people.applicant)
    assert not OutboxMessage.objects.filter(recipient=people.applicant).exists()
    transition(case, "verify", actor=people.verifier)
    messages = OutboxMessage.objects.filter(recipient=people.applicant, template="workflow/status_changed")
    assert sorted(messages.values_list("channel", flat=True)) == ["email", "in_app"]
    assert (
        messages.get(channel="in_app").subject
        == f"Status berkas berkas contoh #{case.pk}: Izin contoh: Terverifikasi"
    )


def test_every_registered_transition_names_an_audit_event():
    assert SAMPLE_WORKFLOW in all_workflows()
    assert undeclared_audit_events() == []


def test_undeclared_audit_event_is_reported():
    careless = Workflow(
        name="caseapp.careless",
        model="caseapp.SampleCase",
        states=[State("draft"), State("done", is_final=True)],
        transitions=[
            Transition("finish", "draft", "done", permission="core.work_queue"),
            Transition("undo", "done", "draft", permission="core.work_queue", audit_event="undone"),
        ],
    )
    assert undeclared_audit_events([careless]) == ["caseapp.careless.finish", "caseapp.careless.undo"]


def test_inconsistent_workflow_is_refused_at_declaration():
    with pytest.raises(ImproperlyConfigured, match="undeclared state 'archived'"):
        Workflow(
            name="x.y",
            model="caseapp.SampleCase",
            states=[State("draft")],
            transitions=[
                Transition("archive", "draft", "archived", permission="p", audit_event="x.archived")
            ],
        )
    with pytest.raises(
        ImproperlyConfigured, match="needs a permission, actor_is_applicant=True or system=True"
    ):
        Workflow(
            name="x.y",
            model="caseapp.SampleCase",
            states=[State("draft"), State("done")],
            transitions=[Transition("finish", "draft", "done", audit_event="x.finished")],
        )


def test_case_of_another_tenant_is_refused_like_a_missing_one(
    tenant_a, tenant_b, people, make_person, in_tenant
):
    official_b = make_person(tenant_b, roles=["official"])
    case = new_case(tenant_a, people.applicant, status="submitted", documents_complete=True)
    with in_tenant(tenant_b), pytest.raises(PermissionDenied) as refused:
        transition(case, "verify", actor=official_b)
    assert str(refused.value) == "Berkas tidak ditemukan di pemerintah daerah ini."
    assert reload(case).status == "submitted"


def test_updates_and_effects_are_saved_in_the_same_step(tenant_a, people):
    case = new_case(tenant_a, people.applicant, status="submitted", documents_complete=True)

    def stamp_title(locked):
        locked.title = f"{locked.title} (terverifikasi)"
        return ["title"]

    transition(
        case, "verify", actor=people.verifier, updates={"verified_by": people.verifier}, effects=stamp_title
    )
    assert (case.status, case.title, case.verified_by) == (
        "verified",
        "Izin contoh (terverifikasi)",
        people.verifier,
    )
    stored = reload(case)
    assert (stored.status, stored.title, stored.verified_by_id) == (
        "verified",
        "Izin contoh (terverifikasi)",
        people.verifier.pk,
    )


def test_failing_effect_rolls_back_everything(tenant_a, people):
    case = new_case(tenant_a, people.applicant, status="submitted", documents_complete=True)
    before = snapshot(case)

    def explode(locked):
        raise RuntimeError("nomor surat habis")

    with pytest.raises(RuntimeError):
        transition(case, "verify", actor=people.verifier, effects=explode)
    assert snapshot(case) == before
    assert case.status == "submitted"


def test_a_system_transition_names_no_permission_applicant_or_second_factor():
    from praja.core.workflow import State, Transition, Workflow

    with pytest.raises(ImproperlyConfigured, match="system transition 'pay' cannot name a permission"):
        Workflow(
            name="x.system",
            model="caseapp.SampleCase",
            states=[State("draft"), State("paid", is_final=True)],
            transitions=[
                Transition("pay", "draft", "paid", system=True, permission="p", audit_event="x.paid")
            ],
        )
