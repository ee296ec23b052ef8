"""Pages render for the right people, refuse the others, and writes happen through them."""

from __future__ import annotations

import datetime

from django.utils.html import escape

from praja.core.tenancy.context import use_tenant
from praja.modules.performance.models import ActivityEntry, AttendanceEvent, PerformanceConfig

from .test_performance_entries import MONDAY, log

BASE = "/t/kota-bandung/performance/"


def test_my_day_shows_cap_deadline_and_saves_an_entry(bandung, login_client):
    client = login_client(bandung.staff.user)
    response = client.get(f"{BASE}day/?date=2026-05-04")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kuota harian" in body and "300 menit efektif" in body
    assert "Kamis, 7 Mei 2026" in body  # H+3 working days from Monday 4 May
    with use_tenant(bandung.tenant):
        activity = bandung.config.activities.get(code="kajian-teknis")
    response = client.post(
        f"{BASE}day/?date=2026-05-04",
        {
            "date": "2026-05-04",
            "start_time": "08:00",
            "end_time": "11:00",
            "activity": activity.pk,
            "volume": 3,
            "output": "3 kajian teknis",
        },
    )
    assert response.status_code == 302
    follow = client.get(response["Location"])
    text = follow.content.decode()
    assert "Aktivitas tersimpan: 300 menit dihitung, menunggu validasi atasan." in text
    assert (
        "Menit dihitung dibatasi kuota harian 300 menit efektif: 360 menit diklaim, 300 menit dihitung."
        in text
    )
    with use_tenant(bandung.tenant):
        assert ActivityEntry.objects.get().credited_minutes == 300


def test_refused_entry_keeps_the_input_and_names_the_rule(bandung, login_client):
    client = login_client(bandung.staff.user)
    with use_tenant(bandung.tenant):
        activity = bandung.config.activities.get(code="draf-izin")
    response = client.post(
        f"{BASE}day/?date=2026-05-02",
        {
            "date": "2026-05-02",
            "start_time": "08:00",
            "end_time": "09:00",
            "activity": activity.pk,
            "volume": 2,
            "output": "Draf izin reklame",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert escape("Tanggal 02-05-2026 bukan hari kerja (akhir pekan)") in body
    assert 'value="Draf izin reklame"' in body
    with use_tenant(bandung.tenant):
        assert ActivityEntry.objects.count() == 0


def test_check_in_button_records_server_time(bandung, login_client, clock):
    client = login_client(bandung.staff.user)
    response = client.post(f"{BASE}attendance/", {"kind": "check_in", "client_time": ""})
    assert response.status_code == 302
    with use_tenant(bandung.tenant):
        event = AttendanceEvent.objects.get()
    assert event.occurred_at == clock.now and event.source == "web"
    assert (
        "Presensi masuk tercatat pukul 10.00 WIB (waktu server)."
        in client.get(response["Location"]).content.decode()
    )


def test_my_month_shows_productivity_discipline_and_the_estimate(bandung, login_client):
    entry = log(bandung, code="kajian-teknis", volume=2, start="08:00", end="10:00").entry
    with use_tenant(bandung.tenant):
        from praja.modules.performance import actions

        actions.validate_entry(actor=bandung.chief.user, entry=entry, decision="approve")
    response = login_client(bandung.staff.user).get(f"{BASE}?month=2026-05")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kinerja saya — Mei 2026" in body
    # 240 approved minutes over 2 working days so far (4 and 5 May) × 300 = 40 %.
    assert "40.00 %" in body or "40,00 %" in body
    assert "Perkiraan TPP" in body and "perkiraan" in body.lower()


def test_non_employee_and_stranger_are_refused(bandung, make_person, login_client, tenant_b):
    official = make_person(bandung.tenant, roles=["official"])
    response = login_client(official).get(f"{BASE}day/")
    assert response.status_code == 403
    assert "Anda belum terdaftar sebagai pegawai ASN di e-Kinerja daerah ini." in response.content.decode()
    stranger = make_person(tenant_b, roles=["performance_pegawai"])
    assert login_client(stranger).get(f"{BASE}day/").status_code == 404
    assert login_client(official).get(f"{BASE}team/").status_code == 403
    from django.test import Client

    assert Client().get(f"{BASE}day/").status_code == 302


def test_team_page_validates_a_whole_day(bandung, login_client):
    first = log(bandung, start="08:00", end="09:00").entry
    second = log(bandung, start="09:00", end="10:00").entry
    client = login_client(bandung.chief.user)
    page = client.get(f"{BASE}team/")
    assert page.status_code == 200
    assert bandung.staff.user.full_name in page.content.decode()
    response = client.post(f"{BASE}team/validate/", {"day": MONDAY.isoformat(), "decision": "approve"})
    assert response.status_code == 302
    with use_tenant(bandung.tenant):
        assert set(ActivityEntry.objects.values_list("pk", "status")) == {
            (first.pk, "approved"),
            (second.pk, "approved"),
        }


def test_staff_cannot_validate_a_peers_entry_through_the_page(bandung, login_client):
    entry = log(bandung).entry
    client = login_client(bandung.office.staff2.user)
    response = client.post(f"{BASE}team/validate/", {"entry": entry.pk, "decision": "approve"})
    assert response.status_code == 404  # not theirs to see: missing and forbidden look alike
    with use_tenant(bandung.tenant):
        assert ActivityEntry.objects.get().status == "submitted"


def test_config_pages_for_bkpsdm_and_approval_by_the_head(bandung, login_client, clock):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = login_client(bandung.bkpsdm)
    assert client.get(f"{BASE}config/").status_code == 200
    response = client.post(f"{BASE}config/", {"effective_from": "2026-07-01", "daily_quota_minutes": 270})
    assert response.status_code == 302
    with use_tenant(bandung.tenant):
        draft = PerformanceConfig.objects.get(version=2)
    page = client.get(f"{BASE}config/{draft.pk}/")
    assert "Versi 2, berlaku mulai Juli 2026" in page.content.decode()
    assert client.post(f"{BASE}config/{draft.pk}/", {"form": "approve"}).status_code == 403
    head = login_client(bandung.bkpsdm_head, otp_device=TOTPDevice.objects.get(user=bandung.bkpsdm_head))
    assert head.post(f"{BASE}config/{draft.pk}/", {"form": "approve"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "approved"
    staff = login_client(bandung.staff.user)
    assert staff.get(f"{BASE}config/").status_code == 403


def test_requests_page_sends_a_leave_request(bandung, login_client):
    client = login_client(bandung.staff.user)
    assert client.get(f"{BASE}requests/").status_code == 200
    response = client.post(
        f"{BASE}requests/",
        {
            "form": "absence",
            "absence-kind": "cuti_tahunan",
            "absence-start_date": "2026-05-11",
            "absence-end_date": "2026-05-12",
            "absence-reason": "Pernikahan adik",
        },
    )
    assert response.status_code == 302
    chief = login_client(bandung.chief.user)
    assert "Pernikahan adik" in chief.get(f"{BASE}team/").content.decode()
    with use_tenant(bandung.tenant):
        from praja.modules.performance.models import AbsenceRequest

        item = AbsenceRequest.objects.get()
    assert chief.post(f"{BASE}team/requests/absence/{item.pk}/", {"decision": "approve"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "approved" and item.decided_by == bandung.chief.user


def test_day_page_rejects_a_malformed_date(bandung, login_client):
    assert login_client(bandung.staff.user).get(f"{BASE}day/?date=kemarin").status_code == 404
    assert login_client(bandung.staff.user).get(f"{BASE}?month=2026-13").status_code == 404


def test_friday_is_shown_in_indonesian(bandung, login_client, clock):
    clock.set(datetime.datetime(2026, 5, 8, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7))))
    body = login_client(bandung.staff.user).get(f"{BASE}day/").content.decode()
    assert "Aktivitas Jumat, 8 Mei 2026" in body


def test_inspector_reviews_an_employees_month_read_only_and_a_peer_cannot(bandung, make_person, login_client):
    inspector = make_person(bandung.tenant, roles=["performance_inspector"])
    client = login_client(inspector)
    listing = client.get(f"{BASE}employees/")
    assert listing.status_code == 200 and bandung.staff.user.full_name in listing.content.decode()
    page = client.get(f"{BASE}employees/{bandung.staff.pk}/?month=2026-05")
    assert page.status_code == 200
    assert f"Kinerja {bandung.staff.user.full_name} — Mei 2026" in page.content.decode()
    peer = login_client(bandung.office.staff2.user)
    assert peer.get(f"{BASE}employees/{bandung.staff.pk}/").status_code == 404
    assert peer.get(f"{BASE}employees/").status_code == 403
    chief = login_client(bandung.chief.user)
    assert chief.get(f"{BASE}employees/{bandung.staff.pk}/").status_code == 200


def test_messages_have_english_translations():
    from django.utils import translation

    from praja.modules.performance import rules

    with translation.override("en"):
        assert translation.gettext("Anda belum terdaftar sebagai pegawai ASN di e-Kinerja daerah ini.") == (
            "You are not registered as a civil servant in this region's e-Kinerja."
        )
        assert rules.cap_message(claimed=100, credited=60, quota=300) == (
            "Credited minutes are capped by the daily quota of 300 effective minutes: 100 minutes claimed, "
            "60 minutes credited."
        )


def test_edit_page_changes_an_open_entry_and_keeps_input_on_refusal(bandung, login_client):
    entry = log(bandung, start="08:00", end="09:00", volume=3).entry
    client = login_client(bandung.staff.user)
    page = client.get(f"{BASE}entries/{entry.pk}/edit/")
    assert page.status_code == 200 and 'value="3 berkas diverifikasi"' in page.content.decode()
    base = {"start_time": "08:00", "activity": entry.activity_id, "output": "6 berkas diverifikasi"}
    refused = client.post(f"{BASE}entries/{entry.pk}/edit/", {**base, "end_time": "07:00", "volume": 6})
    assert refused.status_code == 400
    assert "Jam selesai (07.00) harus setelah jam mulai (08.00)." in refused.content.decode()
    assert 'value="6 berkas diverifikasi"' in refused.content.decode()
    done = client.post(f"{BASE}entries/{entry.pk}/edit/", {**base, "end_time": "10:00", "volume": 6})
    assert done.status_code == 302
    entry.refresh_from_db()
    assert (entry.volume, entry.credited_minutes, entry.output) == (6, 120, "6 berkas diverifikasi")
    assert login_client(bandung.office.staff2.user).get(f"{BASE}entries/{entry.pk}/edit/").status_code == 404
