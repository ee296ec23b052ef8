"""The e-Kinerja API: entries, validation, terminals (idempotent, machine token), permission matrix."""

from __future__ import annotations

import datetime

from rest_framework.test import APIClient

from praja.core.tenancy.context import use_tenant
from praja.modules.performance.models import ActivityEntry, AttendanceEvent, AttendanceTerminal

from .test_performance_entries import log

API = "/t/kota-bandung/api/v1/performance/"


def token_client(user) -> APIClient:
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def entry_body(world, **overrides):
    with use_tenant(world.tenant):
        activity = world.config.activities.get(code="verifikasi-berkas")
    body = {
        "date": "2026-05-04",
        "start_time": "08:00",
        "end_time": "09:00",
        "activity": activity.pk,
        "volume": 3,
        "output": "3 berkas",
    }
    body.update(overrides)
    return body


def test_employee_posts_lists_patches_and_deletes_an_entry(bandung):
    client = token_client(bandung.staff.user)
    catalogue = client.get(f"{API}activities/?date=2026-05-04")
    assert catalogue.status_code == 200
    assert {item["code"] for item in catalogue.json()} >= {"verifikasi-berkas", "rapat-koordinasi"}
    assert "usulan-mutasi" not in {item["code"] for item in catalogue.json()}
    created = client.post(f"{API}entries/", entry_body(bandung), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["claimed_minutes"], body["credited_minutes"], body["status"], body["notice"]) == (
        60,
        60,
        "submitted",
        "",
    )
    listing = client.get(f"{API}entries/?month=2026-05").json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == body["id"]
    patched = client.patch(f"{API}entries/{body['id']}/", {"volume": 6, "end_time": "10:00"}, format="json")
    assert patched.status_code == 200 and patched.json()["claimed_minutes"] == 120
    assert client.delete(f"{API}entries/{body['id']}/").status_code == 204
    with use_tenant(bandung.tenant):
        assert ActivityEntry.objects.count() == 0


def test_posting_an_entry_takes_nine_statements_at_most(bandung, django_assert_max_num_queries):
    """The hot path of e-Kinerja (bench.performance_entries): the token, the employee lock with the
    version in force, the day's entries, the insert and the audit record (head lock, event, head),
    in a transaction (a savepoint here)."""
    client = token_client(bandung.staff.user)
    first = client.post(f"{API}entries/", entry_body(bandung), format="json")
    assert first.status_code == 201, first.json()
    body = entry_body(bandung, start_time="09:00", end_time="10:00")
    with django_assert_max_num_queries(9):
        second = client.post(f"{API}entries/", body, format="json")
    assert second.status_code == 201, second.json()
    assert (second.json()["employee"], second.json()["activity_name"], second.json()["config_version"]) == (
        bandung.staff.user.full_name,
        "Memverifikasi kelengkapan berkas permohonan izin",
        bandung.config.version,
    )


def test_the_answer_to_a_post_is_what_the_serializer_gives(bandung):
    """api._entry_data writes EntryResultSerializer out (the hot path): the answer must not drift from
    what the serializer gives the same stored entry, for a catalogue activity cut by the daily cap
    (with its notice) and for an additional task."""
    from praja.modules.performance.api import EntrySerializer

    client = token_client(bandung.staff.user)
    capped = client.post(f"{API}entries/", entry_body(bandung, volume=60), format="json")
    additional = client.post(
        f"{API}entries/",
        {
            "date": "2026-05-04",
            "start_time": "10:00",
            "end_time": "10:45",
            "is_additional_task": True,
            "description": "Rapat koordinasi mendadak",
            "volume": 1,
            "output": "Notulen",
            "evidence_link": "https://drive.example.id/notulen",
        },
        format="json",
    )
    assert capped.json()["notice"] != "" and additional.json()["activity"] is None
    for response in (capped, additional):
        assert response.status_code == 201, response.json()
        with use_tenant(bandung.tenant):
            entry = ActivityEntry.objects.get(pk=response.json()["id"])
            expected = {**EntrySerializer(entry).data, "notice": response.json()["notice"]}
        assert response.json() == expected


def test_an_employee_of_two_regions_posts_as_the_employee_of_the_region_asked(bandung, mataram):
    """The employee lock and the version in force are read in plain SQL: both stay in the request's
    tenant even when the same person is an employee of another region too."""
    from praja.core.accounts.models import RoleGrant
    from praja.modules.performance.models import Employee
    from praja.modules.performance.permissions import PEGAWAI

    user = bandung.staff.user
    with use_tenant(mataram.tenant):
        RoleGrant.objects.create(user=user, role=PEGAWAI.name)
        in_mataram = Employee.objects.create(
            user=user,
            org_unit=mataram.office.agency,
            job_class=9,
            job_family="perizinan",
            employment_type="pns",
        )
    response = token_client(user).post(
        f"/t/{mataram.tenant.slug}/api/v1/performance/entries/", entry_body(mataram), format="json"
    )
    assert response.status_code == 201, response.json()
    with use_tenant(mataram.tenant):
        entry = ActivityEntry.objects.get(pk=response.json()["id"])
        assert (entry.employee_id, entry.config_id) == (in_mataram.pk, mataram.config.pk)
    with use_tenant(bandung.tenant):
        assert not ActivityEntry.objects.exists()


def test_refusal_comes_back_in_the_envelope_in_indonesian(bandung):
    client = token_client(bandung.staff.user)
    response = client.post(f"{API}entries/", entry_body(bandung, date="2026-05-02"), format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "not_working_day"
    assert error["fields"]["date"] == [
        "Tanggal 02-05-2026 bukan hari kerja (akhir pekan); aktivitas hanya dapat diisi pada hari kerja, "
        "kecuali dinas luar."
    ]


def test_supervisor_validates_single_and_bulk_and_others_cannot(bandung):
    first = log(bandung, start="08:00", end="09:00").entry
    second = log(bandung, start="09:00", end="10:00").entry
    peer = token_client(bandung.office.staff2.user)
    response = peer.post(f"{API}entries/{first.pk}/validate/", {"decision": "approve"}, format="json")
    assert response.status_code == 404
    owner = token_client(bandung.staff.user)
    response = owner.post(f"{API}entries/{first.pk}/validate/", {"decision": "approve"}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["message"] == (
        "Anda tidak dapat memvalidasi aktivitas Anda sendiri; aktivitas divalidasi oleh atasan langsung."
    )
    chief = token_client(bandung.chief.user)
    queue = chief.get(f"{API}validation/?date=2026-05-04").json()
    assert [item["id"] for item in queue["results"]] == [first.pk, second.pk]
    response = chief.post(
        f"{API}entries/{first.pk}/validate/",
        {"decision": "adjust", "approved_minutes": 30, "reason": "Volume tidak sesuai bukti"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["approved_minutes"] == 30
    response = chief.post(f"{API}validation/bulk/", {"date": "2026-05-04"}, format="json")
    assert response.json() == {"approved_or_rejected": [second.pk], "refused": []}
    with use_tenant(bandung.tenant):
        assert dict(ActivityEntry.objects.values_list("pk", "status")) == {
            first.pk: "adjusted",
            second.pk: "approved",
        }


def test_terminal_posts_with_a_machine_token_and_twice_counts_once(bandung, make_person):
    machine = make_person(bandung.tenant, roles=["performance_terminal"], full_name="Mesin Lobi")
    with use_tenant(bandung.tenant):
        AttendanceTerminal.objects.create(code="lobi-1", name="Mesin lobi", service_user=machine)
    body = {
        "terminal": "lobi-1",
        "event_id": "EV-77",
        "nip": bandung.staff.user.nip,
        "kind": "check_in",
        "occurred_at": "2026-05-04T07:20:00+07:00",
    }
    client = token_client(machine)
    first = client.post(f"{API}attendance/events/", body, format="json")
    second = client.post(f"{API}attendance/events/", body, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["local_date"] == "2026-05-04"
    with use_tenant(bandung.tenant):
        assert AttendanceEvent.objects.count() == 1
    employee_client = token_client(bandung.staff.user)
    body["event_id"] = "EV-78"
    assert employee_client.post(f"{API}attendance/events/", body, format="json").status_code == 403
    with use_tenant(bandung.tenant):
        assert AttendanceEvent.objects.count() == 1


def test_web_check_in_through_the_api_ignores_the_client_clock(bandung, clock):
    client = token_client(bandung.staff.user)
    response = client.post(
        f"{API}attendance/check/",
        {"kind": "check_in", "client_time": "2026-05-05T06:00:00+07:00"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["client_offset_seconds"] == -14400
    assert body["occurred_at"].startswith("2026-05-05T10:00:00")


def test_month_summary_endpoint(bandung):
    entry = log(bandung, code="kajian-teknis", volume=2, start="08:00", end="10:00").entry
    token_client(bandung.chief.user).post(
        f"{API}entries/{entry.pk}/validate/", {"decision": "approve"}, format="json"
    )
    body = token_client(bandung.staff.user).get(f"{API}month/?month=2026-05").json()
    assert (body["approved_minutes"], body["working_days"], body["productivity_so_far_percent"]) == (
        240,
        16,
        "40.00",
    )
    assert body["estimated_tpp"] is not None


def test_entries_permission_matrix_including_another_tenant(bandung, mataram, make_person):
    """anonymous 401, another tenant's employee 404, a member without the role 403, the employee 200."""
    log(bandung)
    expectations = {
        "anonymous": (APIClient(), 401),
        "other_tenant_employee": (token_client(mataram.staff.user), 404),
        "official_without_role": (token_client(make_person(bandung.tenant, roles=["official"])), 403),
        "employee": (token_client(bandung.staff.user), 200),
    }
    for actor, (client, expected) in expectations.items():
        response = client.get(f"{API}entries/?month=2026-05")
        assert response.status_code == expected, actor
        if expected != 200:
            assert "3 berkas" not in response.content.decode()
    assert token_client(bandung.staff.user).get(f"{API}entries/?month=2026-05").json()["count"] == 1
    # Mataram's employee posting to Bandung's API changes nothing.
    response = token_client(mataram.staff.user).post(f"{API}entries/", entry_body(bandung), format="json")
    assert response.status_code == 404
    with use_tenant(bandung.tenant):
        assert ActivityEntry.objects.count() == 1


def test_absence_and_correction_requests_through_the_api(bandung, clock, totp_for):
    client = token_client(bandung.staff.user)
    response = client.post(
        f"{API}absences/",
        {"kind": "sakit", "start_date": "2026-05-04", "end_date": "2026-05-04", "reason": "Demam"},
        format="json",
    )
    assert response.status_code == 201
    absence_id = response.json()["id"]
    response = client.post(
        f"{API}corrections/",
        {
            "date": "2026-05-04",
            "kind": "check_out",
            "corrected_time": "16:10",
            "reason": "Lupa presensi pulang",
        },
        format="json",
    )
    assert response.status_code == 201
    correction_id = response.json()["id"]
    chief = token_client(bandung.chief.user)
    response = chief.post(f"{API}absences/{absence_id}/decide/", {"decision": "reject"}, format="json")
    assert response.status_code == 422
    assert response.json()["error"]["message"] == 'Isi alasan untuk "Tolak"; pemohon akan membacanya.'
    assert (
        chief.post(f"{API}absences/{absence_id}/decide/", {"decision": "approve"}, format="json").status_code
        == 200
    )
    endorsed = chief.post(f"{API}corrections/{correction_id}/decide/", {"decision": "approve"}, format="json")
    assert endorsed.status_code == 200 and endorsed.json()["status"] == "endorsed"
    with use_tenant(bandung.tenant):
        assert not AttendanceEvent.objects.exists()  # the supervisor alone does not correct attendance
    admin = token_client(bandung.bkpsdm)
    decide = f"{API}corrections/{correction_id}/decide/"
    approval = {"decision": "approve", "reason": "Notulen rapat sampai 16.00 terlampir"}
    # The token alone is no second factor: the approval needs the admin's current code.
    response = admin.post(decide, approval, format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (403, "second_factor_required")
    with use_tenant(bandung.tenant):
        assert not AttendanceEvent.objects.exists()
    code = totp_for(bandung.bkpsdm)
    response = admin.post(decide, {"decision": "approve"}, format="json", HTTP_X_OTP_CODE=code())
    assert response.status_code == 422
    assert "Isi alasan" in response.json()["error"]["message"]
    response = admin.post(decide, approval, format="json", HTTP_X_OTP_CODE=code(ahead=1))
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["endorsed_by"]) == (
        "approved",
        bandung.chief.user.full_name,
    )
    with use_tenant(bandung.tenant):
        event = AttendanceEvent.objects.get()
    assert (event.source, event.local_date, event.kind) == (
        "correction",
        datetime.date(2026, 5, 4),
        "check_out",
    )


def test_admin_opd_registers_an_employee_and_records_apel_in_its_own_opd_only(bandung, make_person):
    from praja.core.accounts.models import OrgUnit

    from .conftest import next_nip

    with use_tenant(bandung.tenant):
        other_opd = OrgUnit.objects.create(code="5.03", name="BKPSDM", kind="perangkat_daerah")
    admin = make_person(bandung.tenant, roles=["performance_admin_opd"], org_unit=bandung.office.agency)
    newcomer = make_person(bandung.tenant, full_name="Pegawai Baru", nip=next_nip())
    client = token_client(admin)
    body = {"nip": newcomer.nip, "org_unit": "2.18", "job_class": 7, "employment_type": "cpns"}
    response = client.post(f"{API}employees/", body, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["name"], response.json()["employment_type"]) == ("Pegawai Baru", "cpns")
    refused = client.post(f"{API}employees/", {**body, "org_unit": other_opd.code}, format="json")
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == (
        "Hanya admin kepegawaian perangkat daerah atau BKPSDM yang dapat menambah pegawai."
    )
    listing = client.get(f"{API}employees/").json()
    assert listing["count"] == 5  # the four of the office and the newcomer, all in 2.18
    response = client.post(
        f"{API}apel-absences/", {"employee": bandung.staff.pk, "date": "2026-05-04"}, format="json"
    )
    assert response.status_code == 201
    with use_tenant(bandung.tenant):
        from praja.modules.performance.models import ApelAbsence

        assert ApelAbsence.objects.get().employee == bandung.staff


def test_inspector_reads_any_employee_month_but_cannot_write(bandung, make_person):
    inspector = make_person(bandung.tenant, roles=["performance_inspector"])
    client = token_client(inspector)
    response = client.get(f"{API}employees/{bandung.staff.pk}/month/?month=2026-05")
    assert response.status_code == 200 and response.json()["working_days"] == 16
    assert client.get(f"{API}employees/").json()["count"] == 4
    response = client.post(
        f"{API}apel-absences/", {"employee": bandung.staff.pk, "date": "2026-05-04"}, format="json"
    )
    assert response.status_code == 403
    peer = token_client(bandung.office.staff2.user)
    assert peer.get(f"{API}employees/{bandung.staff.pk}/month/").status_code == 404
    chief = token_client(bandung.chief.user)
    assert chief.get(f"{API}employees/{bandung.staff.pk}/month/?month=2026-05").status_code == 200
