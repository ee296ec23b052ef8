"""'Who viewed my data': officials' accesses to a citizen's personal data, and officials' logins."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from praja.core.accounts.models import OrgUnit, Position
from praja.core.audit.actions import record_official_login, record_personal_data_access
from praja.core.audit.models import AuditEvent
from praja.core.audit.selectors import list_personal_data_accesses
from praja.core.audit.verification import verify_chain
from praja.core.tenancy.context import use_tenant
from tests.caseapp.models import SampleCase


@pytest.fixture
def office(tenant_a):
    with use_tenant(tenant_a):
        return OrgUnit.objects.create(
            code="DPMPTSP", name="Dinas Penanaman Modal dan PTSP", kind="perangkat_daerah"
        )


@pytest.fixture
def people(tenant_a, make_person, office):
    official = make_person(tenant_a, roles=["official"], full_name="Siti Rahmawati", nip="198501012010012001")
    with use_tenant(tenant_a):
        Position.objects.create(org_unit=office, title="Verifikator Perizinan", holder=official)
    return {
        "official": official,
        "citizen": make_person(tenant_a, full_name="Budi Santoso"),
        "neighbour": make_person(tenant_a, full_name="Ani Lestari"),
    }


def test_access_is_an_audit_event_naming_citizen_office_and_case(tenant_a, people, office):
    citizen, official = people["citizen"], people["official"]
    request = RequestFactory().get("/", REMOTE_ADDR="10.20.30.40")
    with use_tenant(tenant_a):
        case = SampleCase.objects.create(title="Izin Usaha Toko Budi", applicant=citizen)
        event = record_personal_data_access(
            official=official, citizen=citizen, case=case, purpose="Verifikasi berkas", request=request
        )
    assert (event.event_type, event.actor_id, event.actor_label) == (
        "personal_data.viewed",
        official.pk,
        str(official),
    )
    assert (event.object_type, event.object_id, event.ip_address) == (
        "accounts.user",
        str(citizen.pk),
        "10.20.30.40",
    )
    assert json.loads(event.data) == {
        "citizen_id": citizen.pk,
        "office": "Dinas Penanaman Modal dan PTSP",
        "org_unit_id": office.pk,
        "case_type": "caseapp.samplecase",
        "case_id": case.pk,
        "case_label": "Izin Usaha Toko Budi",
        "purpose": "Verifikasi berkas",
    }
    assert verify_chain(tenant_a).ok


def test_citizen_sees_only_own_accesses_in_the_active_tenant(tenant_a, tenant_b, people):
    citizen, neighbour, official = people["citizen"], people["neighbour"], people["official"]
    with use_tenant(tenant_a):
        record_personal_data_access(official=official, citizen=citizen, purpose="Pertama")
        record_personal_data_access(official=official, citizen=neighbour, purpose="Tetangga")
        record_personal_data_access(official=official, citizen=citizen, purpose="Kedua")
        record_personal_data_access(official=citizen, citizen=citizen, purpose="Diri sendiri")
        entries = list_personal_data_accesses(citizen)
        assert [entry.purpose for entry in entries] == ["Kedua", "Pertama"]
        assert {entry.office for entry in entries} == {"Dinas Penanaman Modal dan PTSP"}
        assert {entry.official_name for entry in entries} == {str(official)}
        assert [entry.purpose for entry in list_personal_data_accesses(neighbour)] == ["Tetangga"]
    with use_tenant(tenant_b):
        assert list_personal_data_accesses(citizen) == []
    assert AuditEvent.objects.filter(event_type="personal_data.viewed").count() == 3  # not the self-view


def test_office_comes_from_the_given_unit_then_position_then_role(tenant_a, make_person, people):
    citizen = people["citizen"]
    with use_tenant(tenant_a):
        dinkes = OrgUnit.objects.create(code="DINKES", name="Dinas Kesehatan", kind="perangkat_daerah")
        nurse = make_person(tenant_a, roles=["official"], org_unit=dinkes)
        loner = make_person(tenant_a, roles=["official"])
        record_personal_data_access(official=people["official"], citizen=citizen, org_unit=dinkes)
        record_personal_data_access(official=nurse, citizen=citizen)
        record_personal_data_access(official=loner, citizen=citizen)
        offices = [entry.office for entry in list_personal_data_accesses(citizen)]
    assert offices == ["", "Dinas Kesehatan", "Dinas Kesehatan"]


def test_my_data_access_page_lists_own_entries_only(tenant_a, tenant_b, people, login_client):
    citizen, neighbour, official = people["citizen"], people["neighbour"], people["official"]
    with use_tenant(tenant_a):
        case = SampleCase.objects.create(title="Izin Usaha Toko Budi", applicant=citizen)
        record_personal_data_access(
            official=official, citizen=citizen, case=case, purpose="Verifikasi berkas"
        )
        record_personal_data_access(official=official, citizen=neighbour, purpose="Data Ani")
    response = login_client(citizen).get("/t/kota-bandung/my-data-access/")
    assert response.status_code == 200
    page = response.content.decode()
    rows = re.findall(r'<tr id="access-\d+">(.*?)</tr>', page, re.S)
    assert len(rows) == 1
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", rows[0], re.S)]
    assert cells[1:] == [
        "Dinas Penanaman Modal dan PTSP",
        "Berkas contoh: Izin Usaha Toko Budi",
        str(official),
        "Verifikasi berkas",
    ]
    assert cells[0].endswith("WIB")
    assert "Data Ani" not in page

    neighbour_page = login_client(neighbour).get("/t/kota-bandung/my-data-access/").content.decode()
    assert "Data Ani" in neighbour_page and "Verifikasi berkas" not in neighbour_page
    assert (
        "Belum ada petugas yang membuka data pribadi Anda."
        in login_client(citizen).get("/t/kabupaten-serang/my-data-access/").content.decode()
    )


def test_my_data_access_page_needs_login(tenant_a, client):
    response = client.get("/t/kota-bandung/my-data-access/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/t/kota-bandung/my-data-access/")


def test_my_data_access_page_query_count_does_not_grow_with_entries(tenant_a, people, login_client):
    citizen, official = people["citizen"], people["official"]
    browser = login_client(citizen)

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert browser.get("/t/kota-bandung/my-data-access/").status_code == 200
        return len(captured)

    with use_tenant(tenant_a):
        record_personal_data_access(official=official, citizen=citizen)
    queries_for_page()  # warm the per-process tenant cache
    few = queries_for_page()
    with use_tenant(tenant_a):
        for _ in range(10):
            record_personal_data_access(official=official, citizen=citizen)
    assert queries_for_page() == few


def test_official_login_is_recorded(tenant_a, people):
    official = people["official"]
    request = RequestFactory().post("/login/", REMOTE_ADDR="10.0.0.7")
    event = record_official_login(official, tenant_a, request)
    assert (event.tenant_id, event.event_type, event.actor_id, event.ip_address) == (
        tenant_a.pk,
        "auth.official_login",
        official.pk,
        "10.0.0.7",
    )
    assert json.loads(event.data) == {"user_id": official.pk, "second_factor": False}
