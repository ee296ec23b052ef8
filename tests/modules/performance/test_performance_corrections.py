"""Manual attendance corrections need two people: the direct supervisor, then the personnel admin.

"Manual corrections require supervisor + admin with reason" (domain brief 6.9): the supervisor's
approval only endorses; the admin of the employee's perangkat daerah (or BKPSDM) approves with a
reason and TOTP, which creates the attendance event; the same person may not take both steps.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils.html import escape

from praja.core.audit.models import AuditEvent
from praja.core.tenancy.context import use_tenant
from praja.core.workflow.errors import (
    GuardFailed,
    PermissionDenied,
    SecondFactorRequired,
    SeparationOfDutiesViolation,
)
from praja.modules.performance import actions, selectors
from praja.modules.performance.models import AttendanceCorrection, AttendanceEvent

from .conftest import WIB, next_nip

MONDAY = datetime.date(2026, 5, 4)
BASE = "/t/kota-bandung/performance/"


def _request(world) -> AttendanceCorrection:
    with use_tenant(world.tenant):
        return actions.request_correction(
            actor=world.staff.user,
            day=MONDAY,
            kind="check_out",
            corrected_time=datetime.time(16, 5),
            reason="Lupa presensi pulang, rapat sampai 16.00",
        )


def _admin_opd(world, make_person, org_unit=None):
    return make_person(
        world.tenant,
        roles=["performance_admin_opd"],
        org_unit=org_unit or world.office.agency,
        full_name="Admin Kepegawaian DPMPTSP",
        nip=next_nip(),
    )


def test_supervisor_endorses_then_the_opd_admin_approves_with_reason_and_totp(bandung, make_person, clock):
    clock.set(datetime.datetime(2026, 5, 5, 9, 0, tzinfo=WIB))
    admin = _admin_opd(bandung, make_person)
    item = _request(bandung)
    with use_tenant(bandung.tenant):
        actions.decide_correction(actor=bandung.chief.user, item=item, approve=True, reason="Benar rapat")
        item.refresh_from_db()
        assert (item.status, item.endorsed_by, item.endorsement_reason) == (
            "endorsed",
            bandung.chief.user,
            "Benar rapat",
        )
        assert not AttendanceEvent.objects.exists()
        # It now waits in the admin's work queue, no longer in the supervisor's.
        assert [item["label"] for item in selectors.work_queue_items(admin)] == [
            "1 koreksi presensi menunggu persetujuan admin kepegawaian"
        ]
        assert selectors.list_requests_to_decide(bandung.chief.user) == ([], [])
        # The employee's day is still "forgot to check out" until the admin approves.
        monday = next(d for d in selectors.attendance_month(bandung.staff, 2026, 5) if d.date == MONDAY)
        assert monday.state != "HADIR"
        with pytest.raises(GuardFailed) as no_reason:
            actions.decide_correction(actor=admin, item=item, approve=True, otp_verified=True)
        assert "Isi alasan" in str(no_reason.value)
        with pytest.raises(SecondFactorRequired):
            actions.decide_correction(
                actor=admin, item=item, approve=True, reason="Notulen rapat", otp_verified=False
            )
        item.refresh_from_db()
        assert item.status == "endorsed" and not AttendanceEvent.objects.exists()
        actions.decide_correction(
            actor=admin, item=item, approve=True, reason="Notulen rapat terlampir", otp_verified=True
        )
        item.refresh_from_db()
        event = AttendanceEvent.objects.get()
        assert (item.status, item.decided_by, item.decision_reason, item.event) == (
            "approved",
            admin,
            "Notulen rapat terlampir",
            event,
        )
        assert (event.source, event.kind, event.local_date) == ("correction", "check_out", MONDAY)
        audit = {
            e.event_type: e
            for e in AuditEvent.objects.filter(event_type__startswith="performance.correction")
        }
    assert set(audit) == {
        "performance.correction_requested",
        "performance.correction_endorsed",
        "performance.correction_approved",
    }
    approved = json.loads(audit["performance.correction_approved"].data)
    assert (
        audit["performance.correction_approved"].actor_id,
        approved["reason"],
        approved["endorsed_by"],
    ) == (
        admin.pk,
        "Notulen rapat terlampir",
        bandung.chief.user.pk,
    )
    assert audit["performance.correction_endorsed"].actor_id == bandung.chief.user.pk


def test_the_endorsing_supervisor_may_not_also_approve_as_admin(bandung, make_person, clock):
    from praja.core.accounts.models import RoleGrant

    clock.set(datetime.datetime(2026, 5, 5, 9, 0, tzinfo=WIB))
    with use_tenant(bandung.tenant):
        RoleGrant.objects.create(
            user=bandung.chief.user, role="performance_admin_opd", org_unit=bandung.office.agency
        )
    item = _request(bandung)
    with use_tenant(bandung.tenant):
        actions.decide_correction(actor=bandung.chief.user, item=item, approve=True)
        with pytest.raises(SeparationOfDutiesViolation) as caught:
            actions.decide_correction(
                actor=bandung.chief.user, item=item, approve=True, reason="Sudah saya cek", otp_verified=True
            )
        assert "persetujuan admin kepegawaian harus oleh orang lain" in str(caught.value)
        # Nor does the admin's queue offer it to them.
        assert selectors.list_corrections_to_approve(bandung.chief.user) == []
        item.refresh_from_db()
        assert item.status == "endorsed" and not AttendanceEvent.objects.exists()


def test_admin_of_another_opd_and_a_plain_employee_cannot_approve(bandung, make_person, clock):
    from praja.core.accounts.models import OrgUnit

    clock.set(datetime.datetime(2026, 5, 5, 9, 0, tzinfo=WIB))
    with use_tenant(bandung.tenant):
        other_unit = OrgUnit.objects.create(code="1.01", name="Dinas Pendidikan", kind="perangkat_daerah")
    other_admin = _admin_opd(bandung, make_person, org_unit=other_unit)
    item = _request(bandung)
    with use_tenant(bandung.tenant):
        # The admin step is not open before the supervisor's (the admin is not in the chain).
        admin = _admin_opd(bandung, make_person)
        with pytest.raises(PermissionDenied):
            actions.decide_correction(actor=admin, item=item, approve=True, reason="x", otp_verified=True)
        actions.decide_correction(actor=bandung.chief.user, item=item, approve=True)
        assert selectors.list_corrections_to_approve(other_admin) == []
        with pytest.raises(PermissionDenied):
            actions.decide_correction(
                actor=other_admin, item=item, approve=True, reason="Disetujui", otp_verified=True
            )
        with pytest.raises(PermissionDenied):
            actions.decide_correction(
                actor=bandung.office.staff2.user, item=item, approve=True, reason="x", otp_verified=True
            )
        item.refresh_from_db()
        assert item.status == "endorsed"


def test_admin_rejects_an_endorsed_correction_with_a_reason(bandung, make_person, clock):
    clock.set(datetime.datetime(2026, 5, 5, 9, 0, tzinfo=WIB))
    item = _request(bandung)
    with use_tenant(bandung.tenant):
        actions.decide_correction(actor=bandung.chief.user, item=item, approve=True)
        with pytest.raises(GuardFailed):
            actions.decide_correction(actor=bandung.bkpsdm, item=item, approve=False)
        actions.decide_correction(
            actor=bandung.bkpsdm, item=item, approve=False, reason="Tidak ada bukti rapat sore itu"
        )
        item.refresh_from_db()
        assert (item.status, item.decision_reason) == ("rejected", "Tidak ada bukti rapat sore itu")
        assert not AttendanceEvent.objects.exists()


def test_correction_pages_supervisor_then_admin_with_totp(
    bandung, make_person, login_client, totp_for, clock
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    clock.set(datetime.datetime(2026, 5, 5, 9, 0, tzinfo=WIB))
    admin = _admin_opd(bandung, make_person)
    code = totp_for(admin)
    item = _request(bandung)
    chief = login_client(bandung.chief.user)
    team = chief.get(f"{BASE}team/").content.decode()
    assert "Setujui, teruskan ke admin kepegawaian" in team
    response = chief.post(f"{BASE}team/requests/correction/{item.pk}/", {"decision": "approve"})
    assert response.status_code == 302
    follow = chief.get(response["Location"]).content.decode()
    assert "Koreksi presensi disetujui dan diteruskan ke admin kepegawaian." in follow
    item.refresh_from_db()
    assert item.status == "endorsed"
    # The supervisor is not a personnel admin: the admin's page is closed to them.
    assert chief.get(f"{BASE}corrections/").status_code == 403

    unverified = login_client(admin)
    page = unverified.get(f"{BASE}corrections/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Lupa presensi pulang, rapat sampai 16.00" in text
    assert bandung.chief.user.full_name in text
    # No reason: the field says what to fix, nothing changes.
    response = unverified.post(
        f"{BASE}corrections/", {"correction": item.pk, f"c{item.pk}-decision": "approve"}
    )
    assert response.status_code == 400
    assert escape("Isi alasan keputusan; alasan dicatat pada jejak audit.") in response.content.decode()
    # A reason but no code from the authenticator: asked for it on the same form, nothing is lost.
    decision = {
        "correction": item.pk,
        f"c{item.pk}-decision": "approve",
        f"c{item.pk}-reason": "Notulen rapat",
    }
    response = unverified.post(f"{BASE}corrections/", decision)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Menyetujui koreksi presensi memerlukan kode dari aplikasi autentikator Anda." in body
    assert 'value="Notulen rapat"' in body
    response = unverified.post(f"{BASE}corrections/", decision | {f"c{item.pk}-otp_token": "000000"})
    assert response.status_code == 400
    assert "Kode autentikator salah atau kedaluwarsa" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "endorsed"
    # django-otp throttles after a wrong code, by timezone.now (frozen here): lift it as time would.
    TOTPDevice.objects.get(user=admin).throttle_reset()
    response = unverified.post(f"{BASE}corrections/", decision | {f"c{item.pk}-otp_token": code()})
    assert response.status_code == 302
    verified = unverified
    follow = verified.get(response["Location"]).content.decode()
    assert "disetujui; presensi tercatat" in follow
    assert "Tidak ada koreksi presensi yang menunggu persetujuan Anda." in follow
    item.refresh_from_db()
    assert item.status == "approved" and item.event is not None
    staff_page = login_client(bandung.staff.user).get(f"{BASE}requests/").content.decode()
    assert "Disetujui: Notulen rapat" in staff_page


def test_correction_page_of_another_tenant_is_not_found(bandung, mataram, make_person, login_client, clock):
    clock.set(datetime.datetime(2026, 5, 5, 9, 0, tzinfo=WIB))
    item = _request(bandung)
    with use_tenant(bandung.tenant):
        actions.decide_correction(actor=bandung.chief.user, item=item, approve=True)
    stranger = login_client(mataram.bkpsdm)
    assert stranger.get(f"{BASE}corrections/").status_code == 404
    assert stranger.post(f"{BASE}corrections/", {"correction": item.pk}).status_code == 404
    # BKPSDM of this tenant sees it; a made-up id is simply not found.
    own = login_client(bandung.bkpsdm)
    assert own.post(f"{BASE}corrections/", {"correction": 999999}).status_code == 404
    item.refresh_from_db()
    assert item.status == "endorsed"
