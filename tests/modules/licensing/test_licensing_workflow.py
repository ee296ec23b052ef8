"""The application state machine, driven from the transitions table: every allowed transition through
the module's actions, every forbidden one refused with nothing changed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from praja.core.tenancy.context import use_tenant
from praja.core.workflow.actions import transition
from praja.core.workflow.errors import TransitionNotAllowed
from praja.core.workflow.models import CaseEvent
from praja.modules.licensing import actions
from praja.modules.licensing.models import Application
from praja.modules.licensing.models import ApplicationStatus as S
from praja.modules.licensing.testing import image_upload
from praja.modules.licensing.transitions import APPLICATION_WORKFLOW
from tests.modules.licensing.conftest import place_in_status

pytestmark = pytest.mark.django_db

REKLAME_TRANSITIONS = {
    "assign_inspection_team",
    "record_inspection",
    "approve_for_payment",
    "mark_paid",
    "expire_unpaid",
}


def _inspect(office, app):
    actions.record_inspection(
        actor=office.tech1,
        application=app,
        inspected_on=timezone.localdate(),
        location="Jl. Asia Afrika 8",
        latitude="-6.921",
        longitude="107.607",
        findings="Konstruksi sesuai gambar",
        is_compliant=True,
        photos=[
            {
                "file": image_upload(),
                "latitude": "-6.9211",
                "longitude": "107.6071",
                "caption": "Tampak depan",
            }
        ],
    )


def _revoke(office, app):
    actions.issue_permit(application=app)
    app.refresh_from_db()
    actions.revoke_permit(
        actor=office.head, permit=app.permit, reason="Pemegang izin melanggar ketentuan", otp_verified=True
    )


# transition name -> the action an actor takes for it
RUN = {
    "submit": lambda o, a: actions.submit_application(actor=o.citizen, application=a),
    "mark_complete": lambda o, a: actions.mark_application_complete(actor=o.front, application=a),
    "return_incomplete": lambda o, a: actions.return_application(
        actor=o.front, application=a, requirement_codes=["ktp"], reason="KTP tidak terbaca"
    ),
    "resubmit": lambda o, a: actions.resubmit_application(actor=o.citizen, application=a),
    "register": lambda o, a: actions.register_application(actor=o.back, application=a),
    "assign_team": lambda o, a: actions.assign_technical_team(actor=o.back, application=a, members=[o.tech1]),
    "assign_inspection_team": lambda o, a: actions.assign_technical_team(
        actor=o.back, application=a, members=[o.tech1, o.tech2]
    ),
    "record_inspection": _inspect,
    "request_revision": lambda o, a: actions.return_application(
        actor=o.tech1, application=a, requirement_codes=["surat_permohonan"], reason="Lengkapi tanda tangan"
    ),
    "resubmit_revision": lambda o, a: actions.resubmit_application(actor=o.citizen, application=a),
    "recommend_approve": lambda o, a: actions.recommend(
        actor=o.tech1, application=a, approve=True, reason="Sesuai"
    ),
    "recommend_reject": lambda o, a: actions.recommend(
        actor=o.tech1, application=a, approve=False, reason="Lokasi di jalur hijau"
    ),
    "approve": lambda o, a: actions.decide_application(
        actor=o.head, application=a, approve=True, otp_verified=True
    ),
    "approve_for_payment": lambda o, a: actions.decide_application(
        actor=o.head, application=a, approve=True, otp_verified=True
    ),
    "reject": lambda o, a: actions.decide_application(
        actor=o.head, application=a, approve=False, reason="Tidak sesuai tata ruang", otp_verified=True
    ),
    "mark_paid": lambda o, a: actions.mark_application_paid(
        application=a, payment_reference="BANK-1", paid_at=timezone.now()
    ),
    "expire_unpaid": lambda o, a: actions.expire_unpaid_application(application=a),
    "issue": lambda o, a: actions.issue_permit(application=a),
    "revoke": _revoke,
    "withdraw": lambda o, a: actions.withdraw_application(actor=o.citizen, application=a),
}
# Where the action leaves the file when the system continues by itself (issue after approval/payment).
FINAL_AFTER = {"approve": S.ISSUED, "mark_paid": S.ISSUED}

ALLOWED = [(item.name, source) for item in APPLICATION_WORKFLOW.transitions for source in item.sources]


def test_every_transition_has_an_action_and_an_audit_event():
    assert set(RUN) == {item.name for item in APPLICATION_WORKFLOW.transitions}
    assert all(item.audit_event.startswith("licensing.") for item in APPLICATION_WORKFLOW.transitions)


@pytest.mark.parametrize(("name", "source"), ALLOWED, ids=[f"{n}-from-{s}" for n, s in ALLOWED])
def test_allowed_transition(office, name, source):
    permit_type = office.reklame if name in REKLAME_TRANSITIONS else office.sip
    # A revocation needs a real signed permit: start from an approval and let the system issue it.
    app = place_in_status(office, S.APPROVED if name == "revoke" else source, permit_type=permit_type)
    item = APPLICATION_WORKFLOW.get_transition(name)
    with use_tenant(office.tenant):
        RUN[name](office, app)
        app = Application.objects.get(pk=app.pk)
        taken = CaseEvent.objects.filter(object_id=str(app.pk), transition=name).get()
    assert (taken.from_status, taken.to_status) == (source, item.target)
    assert app.status == FINAL_AFTER.get(name, S.REVOKED if name == "revoke" else item.target)
    if item.system:
        assert (taken.actor_id, taken.actor_label) == (None, "Sistem")


def _actor_for(office, item):
    if item.system:
        return None
    if item.actor_is_applicant:
        return office.citizen
    return {
        "licensing.check_completeness": office.front,
        "licensing.register": office.back,
        "licensing.assign_team": office.back,
        "licensing.review": office.tech1,
    }.get(item.permission, office.head)


@pytest.mark.parametrize("status", S.values)
def test_every_transition_not_from_a_status_is_refused_and_changes_nothing(office, status):
    app = place_in_status(office, status)
    forbidden = [item for item in APPLICATION_WORKFLOW.transitions if status not in item.sources]
    assert forbidden
    with use_tenant(office.tenant):
        before = Application.objects.filter(pk=app.pk).values().get()
        for item in forbidden:
            with pytest.raises(TransitionNotAllowed) as refused:
                transition(app, item.name, actor=_actor_for(office, item), reason="alasan", otp_verified=True)
            assert "hanya dapat dilakukan pada berkas berstatus" in str(refused.value)
        assert Application.objects.filter(pk=app.pk).values().get() == before
        assert not CaseEvent.objects.filter(object_id=str(app.pk)).exists()


def test_a_person_cannot_take_a_system_transition(office):
    app = place_in_status(office, S.AWAITING_PAYMENT, permit_type=office.reklame)
    from praja.core.workflow.errors import PermissionDenied

    with use_tenant(office.tenant), pytest.raises(PermissionDenied) as refused:
        transition(app, "mark_paid", actor=office.head, otp_verified=True)
    assert str(refused.value) == '"Pembayaran diterima" dilakukan otomatis oleh sistem, bukan oleh pengguna.'
    app.refresh_from_db()
    assert app.status == S.AWAITING_PAYMENT


def test_full_paid_journey_keeps_the_permit_number_on_renewal(office):
    """Reklame: inspection, payment, issue; then renewal issues the same number, the old one superseded."""
    app = place_in_status(office, S.REGISTERED, permit_type=office.reklame)
    with use_tenant(office.tenant):
        RUN["assign_inspection_team"](office, app)
        _inspect(office, app)
        RUN["recommend_approve"](office, app)
        app.refresh_from_db()
        assert app.fee_amount == 450_000  # 6 m² × 3 bulan × Rp25.000
        RUN["approve_for_payment"](office, app)
        assert app.status == S.AWAITING_PAYMENT
        RUN["mark_paid"](office, app)
        app.refresh_from_db()
        first = app.permit
        assert app.status == S.ISSUED and first.permit_number.startswith("IR/00001/DPMPTSP/")
        assert first.valid_until == first.valid_from.replace(
            year=first.valid_from.year + 1
        ) - datetime.timedelta(days=1)
        renewal = actions.start_application(
            actor=office.citizen, permit_type=office.reklame, kind="renewal", previous_permit=first
        )
        assert renewal.form_data["luas_m2"] == 6
    second = place_in_status(office, S.APPROVED, permit_type=office.reklame)
    with use_tenant(office.tenant):
        Application.objects.filter(pk=second.pk).update(previous_permit=first, kind="renewal")
        second.refresh_from_db()
        permit = actions.issue_permit(application=second)
        first.refresh_from_db()
        first.official_document.refresh_from_db()
    assert permit.permit_number == first.permit_number
    assert (first.status, first.official_document.status) == ("superseded", "superseded")
