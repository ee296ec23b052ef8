"""Personnel pages: register and edit employees (NIP, position, class, status with SK) and apel absence.

Admin kepegawaian OPD works in its own perangkat daerah, BKPSDM everywhere; strangers from another
region get the plain 404; a refused form keeps every value and names the field to fix.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils.html import escape

from praja.core.audit.models import AuditEvent
from praja.core.tenancy.context import use_tenant
from praja.modules.performance.models import ApelAbsence, Employee

from .conftest import WIB, next_nip

BASE = "/t/kota-bandung/performance/"
VALID_NIP = "198703152010012003"


def _new_person(world, make_person, **fields):
    return make_person(world.tenant, nip=VALID_NIP, full_name="Rina Pranata Komputer", **fields)


def _form(world, **overrides):
    with use_tenant(world.tenant):
        position = world.office.staff2.position
    data = {
        "nip": VALID_NIP,
        "org_unit": world.office.agency.pk,
        "position": position.pk,
        "job_class": "7",
        "job_family": "administrasi",
        "employment_type": "pppk",
        "status": "active",
        "status_reason": "",
    }
    data.update(overrides)
    return data


def test_bkpsdm_registers_an_employee_by_nip_errors_per_field_and_nothing_lost(
    bandung, make_person, login_client
):
    person = _new_person(bandung, make_person)
    client = login_client(bandung.bkpsdm)
    page = client.get(f"{BASE}employees/new/")
    assert page.status_code == 200
    # The position list names the supervisor each position gives.
    assert "atasan: Kepala Bidang Pelayanan Perizinan" in page.content.decode()

    response = client.post(f"{BASE}employees/new/", _form(bandung, nip="19870315", job_class="18"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "NIP harus 18 digit; yang Anda isi 8 digit." in body
    assert "Kelas jabatan harus 1 sampai 17." in body
    assert 'value="19870315"' in body and 'value="administrasi"' in body  # nothing lost
    assert "data Anda belum disimpan" in body

    response = client.post(f"{BASE}employees/new/", _form(bandung, nip="198713452010012003"))
    assert escape("Tanggal lahir dalam NIP (digit 1-8, 19871345) bukan tanggal yang sah.") in (
        response.content.decode()
    )
    response = client.post(f"{BASE}employees/new/", _form(bandung, status="tugas_belajar"))
    assert response.status_code == 400
    assert "Isi dasar perubahan status (nomor SK)." in response.content.decode()
    with use_tenant(bandung.tenant):
        assert not Employee.objects.filter(user=person).exists()

    response = client.post(
        f"{BASE}employees/new/",
        _form(bandung, status="tugas_belajar", status_reason="SK Wali Kota 800/12-BKPSDM/2026"),
    )
    assert response.status_code == 302
    with use_tenant(bandung.tenant):
        employee = Employee.objects.get(user=person)
        event = AuditEvent.objects.get(event_type="performance.employee_registered")
    assert (employee.job_class, employee.employment_type, employee.status, employee.position) == (
        7,
        "pppk",
        "tugas_belajar",
        bandung.office.staff2.position,
    )
    data = json.loads(event.data)
    assert (data["status_reason"], event.actor_id) == ("SK Wali Kota 800/12-BKPSDM/2026", bandung.bkpsdm.pk)
    listing = client.get(response["Location"]).content.decode()
    assert "Rina Pranata Komputer terdaftar sebagai pegawai e-Kinerja." in listing

    # The same person twice: refused on the NIP field.
    again = client.post(f"{BASE}employees/new/", _form(bandung))
    assert again.status_code == 400
    assert "Rina Pranata Komputer sudah terdaftar sebagai pegawai." in again.content.decode()


def test_unknown_nip_and_a_position_of_another_opd_are_refused(bandung, make_person, login_client):
    from praja.core.accounts.models import OrgUnit, Position

    _new_person(bandung, make_person)
    with use_tenant(bandung.tenant):
        other = OrgUnit.objects.create(code="1.01", name="Dinas Pendidikan", kind="perangkat_daerah")
        teacher = Position.objects.create(org_unit=other, title="Guru Ahli Pertama", job_class=8)
    client = login_client(bandung.bkpsdm)
    response = client.post(f"{BASE}employees/new/", _form(bandung, nip="198703152010012999"))
    assert "Tidak ada akun dengan NIP 198703152010012999" in response.content.decode()
    response = client.post(f"{BASE}employees/new/", _form(bandung, position=teacher.pk))
    assert response.status_code == 400
    assert "Jabatan itu bukan jabatan di perangkat daerah yang dipilih." in response.content.decode()
    with use_tenant(bandung.tenant):
        assert Employee.objects.count() == 4


def test_a_civil_servant_of_another_region_cannot_be_registered_here(
    bandung, mataram, make_person, login_client
):
    outsider = make_person(mataram.tenant, nip="198001012005011004", full_name="ASN Kota Mataram")
    response = login_client(bandung.bkpsdm).post(f"{BASE}employees/new/", _form(bandung, nip=outsider.nip))
    assert response.status_code == 400
    assert "Tidak ada akun dengan NIP 198001012005011004 di daerah ini." in response.content.decode()
    with use_tenant(bandung.tenant):
        assert not Employee.objects.filter(user=outsider).exists()


def test_admin_opd_edits_its_own_employees_status_change_needs_sk(bandung, make_person, login_client):
    from praja.core.accounts.models import OrgUnit

    admin = make_person(
        bandung.tenant, roles=["performance_admin_opd"], org_unit=bandung.office.agency, nip=next_nip()
    )
    with use_tenant(bandung.tenant):
        other = OrgUnit.objects.create(code="1.01", name="Dinas Pendidikan", kind="perangkat_daerah")
    client = login_client(admin)
    staff = bandung.staff
    url = f"{BASE}employees/{staff.pk}/edit/"
    listing = client.get(f"{BASE}employees/").content.decode()
    assert f'href="{url}"' in listing and f'href="{BASE}apel/"' in listing
    page = client.get(url)
    assert page.status_code == 200
    assert "Dinas Pendidikan" not in page.content.decode()  # only its own perangkat daerah is offered
    values = {
        "org_unit": bandung.office.agency.pk,
        "position": staff.position_id,
        "job_class": "10",
        "job_family": "perizinan",
        "employment_type": "pns",
        "status": "mpp",
        "status_reason": "",
    }
    response = client.post(url, values)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Isi dasar perubahan status (nomor SK)." in body and 'value="10"' in body
    response = client.post(url, values | {"org_unit": other.pk})
    assert response.status_code == 400
    assert "Pilih perangkat daerah." in response.content.decode()
    staff.refresh_from_db()
    assert (staff.job_class, staff.status) == (9, "active")

    response = client.post(url, values | {"status_reason": "SK BKPSDM 821/45/2026 (MPP)"})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert (staff.job_class, staff.status) == (10, "mpp")
    with use_tenant(bandung.tenant):
        event = AuditEvent.objects.get(event_type="performance.employee_changed")
    data = json.loads(event.data)
    assert data["changes"] == {"job_class": [9, 10], "status": ["active", "mpp"]}
    assert data["status_reason"] == "SK BKPSDM 821/45/2026 (MPP)"

    # An admin of another perangkat daerah cannot open or change this employee.
    outsider = make_person(bandung.tenant, roles=["performance_admin_opd"], org_unit=other, nip=next_nip())
    outsider_client = login_client(outsider)
    assert outsider_client.get(url).status_code == 404
    assert outsider_client.post(url, values | {"status": "active", "status_reason": "x"}).status_code == 404
    staff.refresh_from_db()
    assert staff.status == "mpp"


def test_employee_pages_refuse_employees_and_other_tenants(bandung, mataram, login_client):
    assert login_client(bandung.staff.user).get(f"{BASE}employees/new/").status_code == 403
    assert login_client(bandung.staff.user).get(f"{BASE}apel/").status_code == 403
    stranger = login_client(mataram.bkpsdm)
    assert stranger.get(f"{BASE}employees/new/").status_code == 404
    assert stranger.get(f"{BASE}employees/{bandung.staff.pk}/edit/").status_code == 404
    assert (
        stranger.post(f"{BASE}apel/", {"employee": bandung.staff.pk, "date": "2026-05-04"}).status_code == 404
    )
    with use_tenant(bandung.tenant):
        assert not ApelAbsence.objects.exists()


def test_apel_page_records_an_absence_refuses_duplicates_weekends_and_the_future(
    bandung, make_person, login_client, clock
):
    from praja.modules.performance import selectors

    admin = make_person(
        bandung.tenant, roles=["performance_admin_opd"], org_unit=bandung.office.agency, nip=next_nip()
    )
    client = login_client(admin)
    assert client.get(f"{BASE}apel/").status_code == 200
    response = client.post(f"{BASE}apel/", {"employee": bandung.staff.pk, "date": "2026-05-04"})
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "dicatat." in follow and "4 Mei 2026" in follow

    for day, message in [
        ("2026-05-04", "sudah tercatat"),
        ("2026-05-02", "bukan hari kerja"),
        ("2026-05-06", "hanya dapat dicatat untuk hari ini atau sebelumnya"),
        ("", "Isi tanggal apel."),
    ]:
        response = client.post(f"{BASE}apel/", {"employee": bandung.staff.pk, "date": day})
        assert response.status_code == 400, day
        body = response.content.decode()
        assert message in body, day
        assert f'<option value="{bandung.staff.pk}" selected>' in body  # the choice is kept
    with use_tenant(bandung.tenant):
        assert ApelAbsence.objects.count() == 1
        monday = next(d for d in selectors.attendance_month(bandung.staff, 2026, 5) if d.date.day == 4)
    assert "APEL" in monday.codes


def test_apel_for_an_employee_of_another_opd_is_not_offered(bandung, make_person, login_client, clock):
    from praja.core.accounts.models import OrgUnit

    with use_tenant(bandung.tenant):
        other = OrgUnit.objects.create(code="1.01", name="Dinas Pendidikan", kind="perangkat_daerah")
    admin = make_person(bandung.tenant, roles=["performance_admin_opd"], org_unit=other, nip=next_nip())
    response = login_client(admin).post(f"{BASE}apel/", {"employee": bandung.staff.pk, "date": "2026-05-04"})
    assert response.status_code == 400
    assert "Pegawai itu tidak ada di perangkat daerah Anda." in response.content.decode()
    with use_tenant(bandung.tenant):
        assert not ApelAbsence.objects.exists()


def test_manual_close_waits_for_the_validation_deadline(bandung, login_client, clock):

    from praja.modules.performance.tpp import actions as tpp_actions
    from praja.modules.performance.tpp.actions import CloseRefused
    from praja.modules.performance.tpp.models import MonthClose

    may = datetime.date(2026, 5, 1)
    clock.set(datetime.datetime(2026, 6, 5, 15, 0, tzinfo=WIB))  # validation still open until 5 June
    with use_tenant(bandung.tenant), pytest.raises(CloseRefused) as caught:
        tpp_actions.compute_month_close(actor=bandung.bkpsdm, month=may)
    assert str(caught.value) == (
        "Bulan 05/2026 belum dapat ditutup: atasan masih dapat memvalidasi aktivitas sampai 05-06-2026. "
        "Tutup buku dapat dihitung mulai 06-06-2026."
    )
    client = login_client(bandung.bkpsdm)
    response = client.post("/t/kota-bandung/performance/tpp/closes/", {"month": "2026-05", "reason": ""})
    assert "belum dapat ditutup" in response.content.decode()
    with use_tenant(bandung.tenant):
        assert not MonthClose.objects.exists()

    clock.set(datetime.datetime(2026, 6, 6, 8, 0, tzinfo=WIB))
    client = login_client(bandung.bkpsdm)  # the next morning: yesterday's session has timed out
    response = client.post("/t/kota-bandung/performance/tpp/closes/", {"month": "2026-05", "reason": ""})
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert "/tpp/closes/" in response["Location"], response["Location"]
    with use_tenant(bandung.tenant):
        assert MonthClose.objects.get().month == may
