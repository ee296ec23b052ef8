"""Complaints (SP4N-LAPOR!): filing, the state machine, deadlines, escalation, pages and API."""

from __future__ import annotations

import datetime
import json
import time

import pytest
from django.core import mail, signing
from django.utils import timezone

from praja.core.audit.models import AuditEvent
from praja.core.calendar.selectors import add_working_days, end_of_day, local_date
from praja.core.notifications.models import OutboxMessage
from praja.core.tenancy.context import use_tenant
from praja.core.workflow import (
    GuardFailed,
    PermissionDenied,
    SeparationOfDutiesViolation,
    TransitionNotAllowed,
)
from praja.core.workflow.actions import check_sla_breaches
from praja.core.workflow.selectors import get_sla_clock
from praja.modules.licensing.feedback import actions, selectors
from praja.modules.licensing.feedback.models import Complaint
from praja.modules.licensing.feedback.testing import make_application, make_office, make_permit_type

pytestmark = pytest.mark.django_db

DESCRIPTION = "Petugas loket meminta uang tambahan di luar retribusi resmi saat saya menyerahkan berkas."


def _started(seconds_ago: float = 30) -> str:
    return signing.dumps(time.time() - seconds_ago, salt="licensing-feedback-form-started")


def _file(tenant, actor=None, **fields):
    fields.setdefault("subject", "Pungutan liar di loket")
    fields.setdefault("description", DESCRIPTION)
    if actor is None:
        fields.setdefault("contact_name", "Siti Aminah")
        fields.setdefault("contact_email", "siti@contoh.id")
    with use_tenant(tenant):
        return actions.submit_complaint(
            actor=actor, client_key=fields.pop("client_key", "10.0.0.1"), **fields
        )


def _reload(complaint):
    return Complaint.all_tenants.get(pk=complaint.pk)


@pytest.fixture
def people(tenant_a, make_person):
    return {
        "handler": make_person(tenant_a, roles=["licensing_complaints"]),
        "officer": make_person(tenant_a, roles=["licensing_technical"]),
        "other_officer": make_person(tenant_a, roles=["licensing_technical"]),
        "citizen": make_person(tenant_a),
    }


# Filing ----------------------------------------------------------------------------------------


def test_anonymous_complaint_is_received_with_number_code_and_clock(tenant_a):
    complaint, token = _file(tenant_a)
    complaint = _reload(complaint)
    year = timezone.localdate().year
    assert complaint.number == f"ADU-{year}-000001"
    assert complaint.status == "received" and complaint.complainant is None
    assert complaint.access_digest != token and len(token) >= 16
    clock = get_sla_clock(complaint)
    assert clock.working_days == 3  # verification: complaint_days_verification
    assert clock.due_at == add_working_days(tenant_a, complaint.received_at, 3)
    with use_tenant(tenant_a):
        event = json.loads(AuditEvent.objects.get(event_type="licensing.complaint_received").data)
        assert event["number"] == complaint.number and event["anonymous"] is True
        assert selectors.get_complaint_by_access_code(complaint.number.lower(), token) == complaint
        assert selectors.get_complaint_by_access_code(complaint.number, token + "x") is None
    second, _ = _file(tenant_a, client_key="10.0.0.2")
    assert second.number == f"ADU-{year}-000002"


def test_numbers_are_per_tenant(tenant_a, tenant_b):
    first, _ = _file(tenant_a)
    other, _ = _file(tenant_b)
    assert first.number == other.number  # each region counts its own complaints


def test_anonymous_complaint_needs_a_contact_and_loses_nothing(tenant_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        _file(tenant_a, contact_name="", contact_email="", subject="Ab", description="pendek")
    assert error.value.message_dict == {
        "subject": ["Tulis pokok pengaduan (paling sedikit 5 huruf)."],
        "description": [
            "Uraikan pengaduan Anda: apa yang terjadi, kapan dan di mana (paling sedikit 20 huruf)."
        ],
        "contact_name": ["Tulis nama Anda agar petugas dapat menghubungi Anda."],
        "contact_email": ["Isi email atau nomor telepon agar jawaban dapat disampaikan kepada Anda."],
    }
    with use_tenant(tenant_a):
        assert not Complaint.objects.exists()


def test_application_number_is_validated_in_the_tenant(tenant_a, tenant_b, make_person):
    from django.core.exceptions import ValidationError

    applicant = make_person(tenant_a)
    with use_tenant(tenant_a):
        application = make_application(
            applicant, make_permit_type(), status="submitted", number="BDG-2026-000123"
        )
    with use_tenant(tenant_b):
        make_application(
            make_person(tenant_b), make_permit_type(), status="submitted", number="SRG-2026-000001"
        )
    complaint, _ = _file(tenant_a, actor=applicant, application_number="bdg-2026-000123")
    assert complaint.application == application and complaint.permit_type == application.permit_type
    assert complaint.complainant == applicant
    with pytest.raises(ValidationError) as error:
        _file(tenant_a, application_number="SRG-2026-000001")
    assert error.value.message_dict["application_number"] == [
        "Nomor pendaftaran SRG-2026-000001 tidak ditemukan di pemerintah daerah ini. Periksa kembali atau "
        "kosongkan isian ini."
    ]


# State machine ---------------------------------------------------------------------------------


def test_full_path_received_assigned_answered_closed(tenant_a, people, django_capture_on_commit_callbacks):
    complaint, token = _file(tenant_a)
    with use_tenant(tenant_a):
        actions.assign_complaint(
            actor=people["handler"], complaint=complaint, band="normatif", assignee=people["officer"]
        )
        clock = get_sla_clock(complaint)
        assert (complaint.status, complaint.band, complaint.assigned_to) == (
            "assigned",
            "normatif",
            people["officer"],
        )
        assert clock.working_days == 5 and clock.breached_at is None
        with django_capture_on_commit_callbacks(execute=True):
            actions.answer_complaint(
                actor=people["officer"],
                complaint=complaint,
                answer="Petugas sudah diperiksa inspektorat dan uang dikembalikan.",
            )
        assert _reload(complaint).status == "answered"
        assert get_sla_clock(complaint).stopped_at is not None
        actions.close_complaint(actor=people["handler"], complaint=complaint)
        assert _reload(complaint).status == "closed"
        events = list(
            AuditEvent.objects.filter(event_type__startswith="licensing.complaint_")
            .values_list("event_type", flat=True)
            .order_by("seq")
        )
    assert events == [
        "licensing.complaint_received",
        "licensing.complaint_assigned",
        "licensing.complaint_answered",
        "licensing.complaint_closed",
    ]
    assert [message.to for message in mail.outbox] == [["siti@contoh.id"]]
    assert "Dijawab" in mail.outbox[0].subject


def test_reject_unintelligible_complaint_with_reason(tenant_a, people):
    complaint, _ = _file(tenant_a)
    with use_tenant(tenant_a):
        with pytest.raises(GuardFailed) as error:
            actions.reject_complaint(actor=people["handler"], complaint=complaint, reason="  ")
        assert str(error.value) == 'Isi alasan untuk "Tolak"; pemohon akan membacanya.'
        assert _reload(complaint).status == "received"
        actions.reject_complaint(
            actor=people["handler"], complaint=complaint, reason="Isi tidak dapat dipahami."
        )
    complaint = _reload(complaint)
    assert (complaint.status, complaint.rejection_reason) == ("rejected", "Isi tidak dapat dipahami.")
    assert get_sla_clock(complaint).stopped_at is not None


ALL_MOVES = ["assign", "reassign", "answer", "close", "reject"]
ALLOWED_FROM = {
    "received": {"assign", "reject"},
    "assigned": {"reassign", "answer"},
    "answered": {"close"},
    "closed": set(),
    "rejected": set(),
}


def _bring_to(tenant, people, status):
    complaint, _ = _file(tenant, client_key=f"ip-{status}-{time.time()}")
    with use_tenant(tenant):
        if status in ("assigned", "answered", "closed"):
            actions.assign_complaint(
                actor=people["handler"], complaint=complaint, band="ringan", assignee=people["officer"]
            )
        if status in ("answered", "closed"):
            actions.answer_complaint(
                actor=people["officer"], complaint=complaint, answer="Sudah ditindaklanjuti."
            )
        if status == "closed":
            actions.close_complaint(actor=people["handler"], complaint=complaint)
        if status == "rejected":
            actions.reject_complaint(actor=people["handler"], complaint=complaint, reason="Tidak jelas.")
    return _reload(complaint)


def _move(tenant, people, complaint, name):
    with use_tenant(tenant):
        if name == "assign":
            return actions.assign_complaint(
                actor=people["handler"], complaint=complaint, band="ringan", assignee=people["officer"]
            )
        if name == "reassign":
            return actions.reassign_complaint(
                actor=people["handler"],
                complaint=complaint,
                assignee=people["other_officer"],
                reason="Beban kerja.",
            )
        if name == "answer":
            return actions.answer_complaint(
                actor=people["handler"], complaint=complaint, answer="Jawaban lengkap."
            )
        if name == "close":
            return actions.close_complaint(actor=people["handler"], complaint=complaint)
        return actions.reject_complaint(actor=people["handler"], complaint=complaint, reason="Tidak jelas.")


@pytest.mark.parametrize("status", list(ALLOWED_FROM))
def test_every_transition_from_every_state(tenant_a, people, status):
    for name in ALL_MOVES:
        complaint = _bring_to(tenant_a, people, status)
        before = complaint.version
        if name in ALLOWED_FROM[status]:
            _move(tenant_a, people, complaint, name)
            assert _reload(complaint).version == before + 1
        else:
            with pytest.raises(TransitionNotAllowed):
                _move(tenant_a, people, complaint, name)
            unchanged = _reload(complaint)
            assert (unchanged.status, unchanged.version) == (complaint.status, complaint.version)


def test_receive_is_the_systems_alone(tenant_a, people):
    from praja.core.workflow.actions import transition
    from praja.core.workflow.registry import allow_status_assignment

    with use_tenant(tenant_a), allow_status_assignment():
        complaint = Complaint.objects.create(
            number="ADU-X", access_digest="x", subject="Uji", description=DESCRIPTION
        )
    with use_tenant(tenant_a), pytest.raises(PermissionDenied):
        transition(complaint, "receive", actor=people["handler"])
    assert _reload(complaint).status == "new"


def test_who_may_move_a_complaint(tenant_a, people, make_person):
    complaint, _ = _file(tenant_a, actor=people["citizen"])
    with use_tenant(tenant_a):
        # An official without the complaints role may not assign; the complainant never handles it.
        with pytest.raises(PermissionDenied):
            actions.assign_complaint(
                actor=people["officer"], complaint=complaint, band="ringan", assignee=people["officer"]
            )
        handler_complainant = make_person(tenant_a, roles=["licensing_complaints"])
        own, _ = _file(tenant_a, actor=handler_complainant, client_key="own")
        with pytest.raises(SeparationOfDutiesViolation):
            actions.assign_complaint(
                actor=handler_complainant, complaint=own, band="ringan", assignee=people["officer"]
            )
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError) as error:
            actions.assign_complaint(
                actor=people["handler"], complaint=complaint, band="ringan", assignee=people["citizen"]
            )
        assert error.value.message_dict == {"assignee": ["Pilih pejabat pemerintah daerah ini yang aktif."]}
        assert _reload(complaint).status == "received"
        actions.assign_complaint(
            actor=people["handler"], complaint=complaint, band="ringan", assignee=people["officer"]
        )
        with pytest.raises(GuardFailed) as guard:
            actions.answer_complaint(
                actor=people["other_officer"], complaint=complaint, answer="Bukan tugas saya."
            )
        assert "ditugaskan kepada pejabat lain" in str(guard.value)
        assert _reload(complaint).answer == ""


# Deadlines and escalation ----------------------------------------------------------------------


def test_band_deadline_counts_from_receipt(tenant_a, people):
    complaint, _ = _file(tenant_a)
    with use_tenant(tenant_a):
        actions.assign_complaint(
            actor=people["handler"], complaint=complaint, band="tanpa_pengawasan", assignee=people["officer"]
        )
    clock = get_sla_clock(complaint)
    assert clock.working_days == 14
    assert clock.due_at == add_working_days(tenant_a, clock.started_at, 14)
    # A complaint assigned long after receipt keeps its deadline: the clock is due today, not later.
    late, _ = _file(tenant_a, client_key="late")
    Complaint.all_tenants.filter(pk=late.pk).update(received_at=timezone.now() - datetime.timedelta(days=30))
    late = _reload(late)
    with use_tenant(tenant_a):
        actions.assign_complaint(
            actor=people["handler"], complaint=late, band="ringan", assignee=people["officer"]
        )
    clock = get_sla_clock(late)
    assert clock.working_days == 0
    # "Today" is the tenant's date (WIB), which is already tomorrow in UTC after 17:00 UTC.
    assert clock.due_at == end_of_day(tenant_a, local_date(tenant_a, clock.started_at))


def test_band_days_are_tenant_parameters(tenant_a, people):
    from praja.core.tenancy.models import TenantModule

    with use_tenant(tenant_a):
        TenantModule.objects.create(module="licensing", parameters={"complaint_days_light": 1})
    complaint, _ = _file(tenant_a)
    with use_tenant(tenant_a):
        actions.assign_complaint(
            actor=people["handler"], complaint=complaint, band="ringan", assignee=people["officer"]
        )
    assert get_sla_clock(complaint).working_days == 1


def test_overdue_complaint_escalates_to_the_assignees_supervisor(tenant_a, people, make_person):
    from praja.core.accounts.models import Position

    supervisor = make_person(tenant_a, roles=["licensing_technical"], full_name="Kepala Bidang Pelayanan")
    with use_tenant(tenant_a):
        office = make_office()
        boss = Position.objects.create(org_unit=office, title="Kepala Bidang", holder=supervisor)
        Position.objects.create(org_unit=office, title="Analis", holder=people["officer"], supervisor=boss)
    complaint, _ = _file(tenant_a)
    with use_tenant(tenant_a):
        actions.assign_complaint(
            actor=people["handler"], complaint=complaint, band="ringan", assignee=people["officer"]
        )
    due = get_sla_clock(complaint).due_at
    assert check_sla_breaches(tenant_a, now=due - datetime.timedelta(minutes=1)) == []
    breached = check_sla_breaches(tenant_a, now=due + datetime.timedelta(minutes=1))
    assert [clock.object_id for clock in breached] == [str(complaint.pk)]
    with use_tenant(tenant_a):
        event = json.loads(AuditEvent.objects.get(event_type="workflow.sla_breached").data)
        assert event["workflow"] == "licensing.complaint"
        assert event["holders"] == [people["officer"].pk]
        assert event["escalated_to"] == [supervisor.pk]
        assert OutboxMessage.objects.filter(recipient=supervisor, template="workflow/sla_breached").exists()
    # Marked once: a second run escalates nothing again.
    assert check_sla_breaches(tenant_a, now=due + datetime.timedelta(days=2)) == []


def test_unverified_complaint_escalates_to_the_handlers(tenant_a, people):
    complaint, _ = _file(tenant_a)
    due = get_sla_clock(complaint).due_at
    check_sla_breaches(tenant_a, now=due + datetime.timedelta(minutes=1))
    with use_tenant(tenant_a):
        event = json.loads(AuditEvent.objects.get(event_type="workflow.sla_breached").data)
    assert event["holders"] == [people["handler"].pk]


def test_lapor_reference_by_handler_only(tenant_a, people):
    from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

    complaint, _ = _file(tenant_a)
    with use_tenant(tenant_a):
        with pytest.raises(DjangoPermissionDenied):
            actions.set_lapor_reference(actor=people["officer"], complaint=complaint, reference="LPR-123")
        actions.set_lapor_reference(actor=people["handler"], complaint=complaint, reference="LPR-2026-99881")
        assert AuditEvent.objects.filter(event_type="licensing.complaint_lapor_linked").count() == 1
    assert _reload(complaint).lapor_reference == "LPR-2026-99881"


# Pages -----------------------------------------------------------------------------------------


def _form(**overrides):
    data = {
        "subject": "Pungutan liar di loket",
        "description": DESCRIPTION,
        "contact_name": "Budi",
        "contact_email": "budi@contoh.id",
        "contact_phone": "",
        "application_number": "",
        "permit_type": "",
        "website": "",
        "started": _started(),
    }
    data.update(overrides)
    return data


def test_public_complaint_page_and_tracking(client, tenant_a):
    base = f"/t/{tenant_a.slug}/licensing/complaints"
    assert client.get(f"{base}/new/").status_code == 200
    response = client.post(f"{base}/new/", _form())
    assert response.status_code == 201
    with use_tenant(tenant_a):
        complaint = Complaint.objects.get()
    token = response.context["token"]
    assert complaint.number in response.content.decode() and token in response.content.decode()
    tracked = client.post(f"{base}/track/", {"number": complaint.number, "code": token})
    assert tracked.status_code == 200 and "Diterima" in tracked.content.decode()
    wrong = client.post(f"{base}/track/", {"number": complaint.number, "code": "salah"})
    assert wrong.status_code == 404
    assert "Nomor pengaduan atau kode akses tidak cocok" in wrong.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"website": "http://spam.example"}, "terdeteksi otomatis"),
        ({"started": "now"}, "terlalu cepat"),
        ({"started": "palsu"}, "terlalu cepat"),
        ({"contact_name": "", "contact_email": ""}, "Tulis nama Anda"),
    ],
)
def test_public_complaint_refusals_store_nothing(client, tenant_a, overrides, message):
    if overrides.get("started") == "now":
        overrides = {"started": _started(0)}
    response = client.post(f"/t/{tenant_a.slug}/licensing/complaints/new/", _form(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    with use_tenant(tenant_a):
        assert not Complaint.objects.exists()


def test_public_complaints_are_rate_limited(client, tenant_a):
    for _number in range(5):
        assert client.post(f"/t/{tenant_a.slug}/licensing/complaints/new/", _form()).status_code == 201
    response = client.post(f"/t/{tenant_a.slug}/licensing/complaints/new/", _form())
    assert response.status_code == 429 and "Terlalu banyak kiriman" in response.content.decode()
    with use_tenant(tenant_a):
        assert Complaint.objects.count() == 5


def test_register_shows_counts_without_personal_data(client, tenant_a, people):
    complaint, _ = _file(tenant_a, subject="Rahasia pelapor XYZ")
    with use_tenant(tenant_a):
        actions.reject_complaint(actor=people["handler"], complaint=complaint, reason="Tidak jelas.")
    _file(tenant_a, client_key="x2", contact_name="Nama Pribadi QQ")
    response = client.get(f"/t/{tenant_a.slug}/licensing/complaints/register/")
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["register"].total == 2
    assert {v: n for v, _l, n in response.context["register"].by_status} == {
        "received": 1,
        "assigned": 0,
        "answered": 0,
        "closed": 0,
        "rejected": 1,
    }
    assert "Rahasia pelapor" not in body and "Nama Pribadi" not in body and "siti@contoh.id" not in body


def test_complainant_sees_status_and_answer_but_not_officials(tenant_a, people, login_client):
    complaint, _ = _file(tenant_a, actor=people["citizen"])
    with use_tenant(tenant_a):
        actions.assign_complaint(
            actor=people["handler"], complaint=complaint, band="ringan", assignee=people["officer"]
        )
        actions.answer_complaint(
            actor=people["officer"], complaint=complaint, answer="Berkas Anda sudah diproses."
        )
    client = login_client(people["citizen"])
    mine = client.get(f"/t/{tenant_a.slug}/licensing/complaints/mine/")
    assert complaint.number in mine.content.decode()
    page = client.get(f"/t/{tenant_a.slug}/licensing/complaints/{complaint.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and "Berkas Anda sudah diproses." in body and "Dijawab" in body
    assert people["officer"].full_name not in body


def test_official_assigns_answers_and_closes_through_the_page(tenant_a, people, login_client):
    complaint, _ = _file(tenant_a)
    url = f"/t/{tenant_a.slug}/licensing/complaints/{complaint.pk}/"
    handler = login_client(people["handler"])
    assert complaint.number in handler.get(f"/t/{tenant_a.slug}/licensing/complaints/").content.decode()
    bad = handler.post(url, {"action": "assign", "assign-band": "", "assign-assignee": people["officer"].pk})
    assert bad.status_code == 400 and _reload(complaint).status == "received"
    ok = handler.post(
        url, {"action": "assign", "assign-band": "ringan", "assign-assignee": people["officer"].pk}
    )
    assert ok.status_code == 302 and _reload(complaint).status == "assigned"
    officer = login_client(people["officer"])
    answered = officer.post(
        url, {"action": "answer", "answer-answer": "Sudah kami tindak lanjuti, terima kasih."}
    )
    assert answered.status_code == 302 and _reload(complaint).status == "answered"
    # The officer holds no complaints role: closing is refused and changes nothing.
    refused = officer.post(url, {"action": "close"})
    assert refused.status_code == 400 and _reload(complaint).status == "answered"
    assert handler.post(url, {"action": "close"}).status_code == 302
    assert _reload(complaint).status == "closed"


def test_queue_page_permission_matrix(permission_matrix, tenant_a):
    permission_matrix(
        path=f"/t/{tenant_a.slug}/licensing/complaints/",
        kind="page",
        tenant=tenant_a,
        right_roles=["licensing_complaints"],
        wrong_roles=["licensing_admin"],
    )


def test_detail_page_permission_matrix(permission_matrix, tenant_a):
    complaint, _ = _file(tenant_a)
    permission_matrix(
        path=f"/t/{tenant_a.slug}/licensing/complaints/{complaint.pk}/",
        kind="page",
        tenant=tenant_a,
        right_roles=["licensing_complaints"],
        wrong_roles=["licensing_technical"],
        expect={"wrong_role": 404},
    )


def test_assign_page_post_permission_matrix(tenant_a, tenant_b, make_person):
    from django.test import Client

    from praja.core.testing.permission_matrix import verified_client

    complaint, _ = _file(tenant_a)
    officer = make_person(tenant_a, roles=["licensing_technical"])
    data = {"action": "assign", "assign-band": "normatif", "assign-assignee": officer.pk}
    url = f"/t/{tenant_a.slug}/licensing/complaints/{complaint.pk}/"
    # Anonymous to login; another region's handler and a wrong-role official see nothing (404).
    assert "login" in Client().post(url, data)["Location"]
    assert (
        verified_client(make_person(tenant_b, roles=["licensing_complaints"])).post(url, data).status_code
        == 404
    )
    assert (
        verified_client(make_person(tenant_a, roles=["licensing_technical"])).post(url, data).status_code
        == 404
    )
    assert _reload(complaint).status == "received"
    assert (
        verified_client(make_person(tenant_a, roles=["licensing_complaints"])).post(url, data).status_code
        == 302
    )
    assert _reload(complaint).status == "assigned"


# API -------------------------------------------------------------------------------------------


def test_api_file_track_and_register(client, tenant_a):
    base = f"/t/{tenant_a.slug}/api/v1/licensing/complaints"
    created = client.post(
        f"{base}/",
        {
            "subject": "Loket tutup",
            "description": DESCRIPTION,
            "contact_name": "Ani",
            "contact_phone": "0812-1111-2222",
            "lapor_reference": "LPR-77",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    with use_tenant(tenant_a):
        complaint = Complaint.objects.get()
    assert (body["number"], body["status"], complaint.channel, complaint.lapor_reference) == (
        complaint.number,
        "received",
        "lapor",
        "LPR-77",
    )
    tracked = client.post(
        f"{base}/track/",
        {"number": body["number"], "access_code": body["access_code"]},
        content_type="application/json",
    )
    assert tracked.status_code == 200 and tracked.json()["status_label"] == "Diterima"
    assert "contact_phone" not in tracked.json()
    missing = client.post(
        f"{base}/track/", {"number": body["number"], "access_code": "x"}, content_type="application/json"
    )
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    register = client.get(f"{base}/register/").json()
    assert register["total"] == 1 and register["by_status"]["received"] == 1
    invalid = client.post(f"{base}/", {"subject": "x", "description": "y"}, content_type="application/json")
    assert invalid.status_code == 400 and set(invalid.json()["error"]["fields"]) >= {"subject", "description"}


def test_api_transition_permission_matrix(permission_matrix, tenant_a, make_person):
    complaint, _ = _file(tenant_a)
    officer = make_person(tenant_a, roles=["licensing_technical"])
    responses = permission_matrix(
        path=f"/t/{tenant_a.slug}/api/v1/licensing/complaints/{complaint.pk}/transition/",
        method="post",
        data={"action": "assign", "band": "investigasi", "assignee_id": officer.pk},
        tenant=tenant_a,
        right_roles=["licensing_complaints"],
        wrong_roles=["licensing_technical"],
        expect={"wrong_role": 404},
        snapshot=lambda: list(Complaint.objects.values_list("status", "band", "version")),
    )
    assert responses["right_role"].json()["status"] == "assigned"
    assert get_sla_clock(_reload(complaint)).working_days == 60


def test_api_refused_transition_answers_with_the_workflow_error(tenant_a, people, login_client):
    complaint, _ = _file(tenant_a)
    client = login_client(people["handler"])
    response = client.post(
        f"/t/{tenant_a.slug}/api/v1/licensing/complaints/{complaint.pk}/transition/",
        {"action": "close"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "transition_not_allowed"
    assert _reload(complaint).status == "received"


def test_api_detail_and_list_permission_matrix(permission_matrix, tenant_a):
    complaint, _ = _file(tenant_a)
    permission_matrix(
        path=f"/t/{tenant_a.slug}/api/v1/licensing/complaints/{complaint.pk}/",
        tenant=tenant_a,
        right_roles=["licensing_complaints"],
        wrong_roles=["licensing_technical"],
        expect={"wrong_role": 404},
    )
    responses = permission_matrix(
        path=f"/t/{tenant_a.slug}/api/v1/licensing/complaints/",
        tenant=tenant_a,
        right_roles=["licensing_complaints"],
        wrong_roles=["licensing_technical"],
        expect={"wrong_role": 200},
    )
    assert [row["number"] for row in responses["right_role"].json()] == [complaint.number]
    assert responses["wrong_role"].json() == []
