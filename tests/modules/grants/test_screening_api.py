"""API and pages of grants screening: the permission matrix, import upload, flags and clearing."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from praja.core.testing.permission_matrix import verified_client
from praja.modules.grants.screening import actions
from praja.modules.grants.screening.models import Beneficiary, Flag, FlagStatus, ImportBatch

pytestmark = pytest.mark.django_db

HEADER = "NIK,No KK,Nama,Tanggal lahir,Jenis kelamin,Nama ibu,Alamat,RT,RW,Kode kelurahan,Telepon,Sumber data,Referensi"  # noqa: E501
GOOD = "3273011705900009,3273010101090009,Rudi Hartono,17-05-1990,L,Siti Aminah,Jl. Merdeka 5,1,2,32.73.01.1001,,DTKS,A1"  # noqa: E501
BAD = "3273011705900003,3273010101090003,Ahmad Salah,18-05-1990,L,Siti Aminah,Jl. Merdeka 5,1,2,32.73.01.1001,,DTKS,A2"  # noqa: E501


def api(tenant, path):
    return f"/t/{tenant.slug}/api/v1/grants/{path}"


def page(tenant, path):
    return f"/t/{tenant.slug}/grants/screening/{path}"


@pytest.fixture
def registry(tenant_a, make_person, in_tenant):
    officer = make_person(tenant_a, roles=["grants_registry_officer"], full_name="Petugas Dinsos")
    with in_tenant(tenant_a):
        first = actions.register_beneficiary(
            actor=officer, data_source="dtks", nik="3273011705900001", kk_number="3273010101090001",
            full_name="Ahmad Fauzi", birth_date=datetime.date(1990, 5, 17), sex="L", mother_name="Siti Aminah",  # noqa: E501
            address="Jl. Merdeka 5", rt="1", rw="2", area_code="32.73.01.1001",
        )  # fmt: skip
        second = actions.register_beneficiary(
            actor=officer, data_source="dtks", nik="3273011705900002", kk_number="3273010101090002",
            full_name="Achmad Fauzy", birth_date=datetime.date(1990, 5, 17), sex="L", mother_name="Siti Aminah",  # noqa: E501
            address="Jalan Merdeka 5", rt="1", rw="2", area_code="32.73.01.1001",
        )  # fmt: skip
        flag = Flag.objects.get()
    return {"officer": officer, "first": first, "second": second, "flag": flag}


def test_beneficiary_list_matrix(permission_matrix, tenant_a, registry):
    responses = permission_matrix(
        path=api(tenant_a, "beneficiaries/?q=fau"), tenant=tenant_a, right_roles=["grants_registry_officer"]
    )
    body = responses["right_role"].json()
    assert body["count"] == 2
    assert [item["full_name"] for item in body["results"]] == ["Achmad Fauzy", "Ahmad Fauzi"]
    assert body["results"][1]["area_code"] == "32.73.01.1001"


def test_inspectorate_reads_the_registry_and_flags(permission_matrix, tenant_a, registry):
    permission_matrix(path=api(tenant_a, "flags/"), tenant=tenant_a, right_roles=["inspector"])
    responses = permission_matrix(
        path=api(tenant_a, f"beneficiaries/{registry['second'].pk}/"),
        tenant=tenant_a,
        right_roles=["inspector"],
    )
    body = responses["right_role"].json()
    assert body["nik"] == "3273011705900002"
    assert [flag["kind"] for flag in body["flags"]] == ["near_duplicate_person"]


def test_beneficiary_create_matrix(permission_matrix, tenant_a, registry):
    data = {
        "nik": "3273015203850003", "kk_number": "3273010101090003", "full_name": "Dewi Lestari",
        "birth_date": "1985-03-12", "sex": "P", "mother_name": "Rohimah", "address": "Jl. Sukajadi 10",
        "area_code": "32.73.02.1001", "data_source": "dtsen",
    }  # fmt: skip
    responses = permission_matrix(
        path=api(tenant_a, "beneficiaries/"),
        method="post",
        data=data,
        tenant=tenant_a,
        right_roles=["grants_registry_officer"],
        wrong_roles=["inspector"],
        expect={"right_role": 201},
        snapshot=lambda: sorted(Beneficiary.objects.values_list("nik", flat=True)),
    )
    assert responses["right_role"].json()["full_name"] == "Dewi Lestari"
    client = verified_client(registry["officer"])
    bad = client.post(
        api(tenant_a, "beneficiaries/"), {**data, "nik": "3273015203850004", "birth_date": "1985-03-13"},
        content_type="application/json",
    )  # fmt: skip
    assert bad.status_code == 400
    assert bad.json()["error"]["message"] == (
        "Tanggal lahir 13-03-1985 tidak sesuai dengan NIK (digit 7-12 menunjukkan 12-03-1985; "
        "untuk perempuan tanggal ditambah 40)."
    )


def test_import_upload_through_the_api(permission_matrix, tenant_a, registry, in_tenant):
    permission_matrix(
        path=api(tenant_a, "beneficiaries/imports/"),
        method="post",
        tenant=tenant_a,
        right_roles=["grants_registry_officer"],
        actors=("anonymous", "other_tenant", "wrong_role"),
        snapshot=lambda: ImportBatch.objects.count(),
    )
    client = verified_client(registry["officer"])
    content = f"{HEADER}\n{GOOD}\n{BAD}\n"
    upload = SimpleUploadedFile("penerima.csv", content.encode(), content_type="text/csv")
    response = client.post(api(tenant_a, "beneficiaries/imports/"), {"file": upload})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["imported_count"], body["rejected_count"]) == (1, 1)
    assert body["rejections"][0]["row_number"] == 3
    assert body["rejections"][0]["reasons"] == [
        "Tanggal lahir 18-05-1990 tidak sesuai dengan NIK (digit 7-12 menunjukkan 17-05-1990; "
        "untuk perempuan tanggal ditambah 40)."
    ]
    detail = client.get(api(tenant_a, f"beneficiaries/imports/{body['id']}/"))
    assert detail.json()["rejections"] == body["rejections"]
    # The report page lists the rejected row and offers it as CSV.
    report = client.get(page(tenant_a, f"imports/{body['id']}/"))
    assert report.status_code == 200
    assert "Ahmad Salah" in report.content.decode()
    csv_response = client.get(page(tenant_a, f"imports/{body['id']}/rejections.csv"))
    lines = csv_response.content.decode().splitlines()
    assert lines[0].startswith("Baris,Alasan,NIK,No KK,Nama")
    assert lines[1].startswith("3,Tanggal lahir 18-05-1990 tidak sesuai dengan NIK")


def test_clear_flag_matrix_and_reason(permission_matrix, tenant_a, registry, in_tenant):
    flag = registry["flag"]
    responses = permission_matrix(
        path=api(tenant_a, f"flags/{flag.pk}/clear/"),
        method="post",
        data={"reason": "Dua orang berbeda, sudah dicek ke Dukcapil."},
        tenant=tenant_a,
        right_roles=["grants_screening_verifier"],
        wrong_roles=["grants_registry_officer"],
        snapshot=lambda: list(Flag.objects.values_list("status", "clear_reason")),
    )
    assert responses["right_role"].json()["status"] == FlagStatus.CLEARED
    assert responses["right_role"].json()["clear_reason"] == "Dua orang berbeda, sudah dicek ke Dukcapil."


def test_clearing_without_a_reason_is_refused_and_changes_nothing(tenant_a, registry, make_person, in_tenant):
    verifier = make_person(tenant_a, roles=["grants_screening_verifier"])
    client = verified_client(verifier)
    response = client.post(
        api(tenant_a, f"flags/{registry['flag'].pk}/clear/"), {"reason": " "}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["reason"] == [
        "Tulis alasan tertulis (paling sedikit 10 karakter) mengapa temuan ini tidak bermasalah."
    ]
    with in_tenant(tenant_a):
        assert Flag.objects.get().status == FlagStatus.OPEN
    # Without a verified second factor the API refuses before reading the body.
    unverified = verified_client(verifier, needs_second_factor=False)
    response = unverified.post(
        api(tenant_a, f"flags/{registry['flag'].pk}/clear/"),
        {"reason": "Dua orang berbeda menurut Dukcapil."},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "second_factor_required"


def test_pages_matrix(permission_matrix, tenant_a, registry):
    for path, roles in (
        ("beneficiaries/", ["grants_registry_officer"]),
        (f"beneficiaries/{registry['first'].pk}/", ["grants_registry_officer"]),
        ("imports/", ["grants_registry_officer"]),
        ("flags/", ["inspector"]),
        (f"flags/{registry['flag'].pk}/", ["grants_screening_verifier"]),
        ("prices/", ["grants_price_admin"]),
    ):
        responses = permission_matrix(
            path=page(tenant_a, path), kind="page", tenant=tenant_a, right_roles=roles
        )
        assert responses["right_role"].status_code == 200


def test_flag_page_clear_form(tenant_a, registry, make_person, in_tenant):
    verifier = make_person(tenant_a, roles=["grants_screening_verifier"])
    client = verified_client(verifier)
    url = page(tenant_a, f"flags/{registry['flag'].pk}/")
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert "paling sedikit 10 karakter" in refused.content.decode()
    done = client.post(url, {"reason": "Dua orang berbeda menurut Dukcapil."})
    assert done.status_code == 302
    with in_tenant(tenant_a):
        assert Flag.objects.get().status == FlagStatus.CLEARED
    inspector = verified_client(make_person(tenant_a, roles=["inspector"]))
    assert inspector.post(url, {"reason": "Saya auditor, bukan verifikator."}).status_code == 403


def test_a_beneficiary_of_another_tenant_is_not_found(tenant_a, tenant_b, registry, make_person):
    officer_b = make_person(tenant_b, roles=["grants_registry_officer"])
    client = verified_client(officer_b)
    assert client.get(api(tenant_b, f"beneficiaries/{registry['first'].pk}/")).status_code == 404
    assert client.get(api(tenant_b, f"flags/{registry['flag'].pk}/")).status_code == 404
    assert client.get(page(tenant_b, f"beneficiaries/{registry['first'].pk}/")).status_code == 404
    assert client.get(api(tenant_b, "beneficiaries/")).json()["count"] == 0


def test_citizen_registers_through_the_page(tenant_a, make_person, login_client, in_tenant):
    citizen = make_person(tenant_a, nik="3273015203850002", full_name="Dewi Lestari")
    client = login_client(citizen)
    url = page(tenant_a, "me/")
    form = client.get(url)
    assert form.status_code == 200 and 'value="3273015203850002"' in form.content.decode()
    data = {
        "nik": "3273015203850002", "kk_number": "3273010101090002", "full_name": "Dewi Lestari",
        "birth_date": "1985-03-13", "sex": "P", "mother_name": "Rohimah", "address": "Jl. Sukajadi 10",
        "rt": "3", "rw": "4", "area_code": "32.73.02.1001", "phone": "",
    }  # fmt: skip
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "tidak sesuai dengan NIK" in refused.content.decode()
    assert 'value="Rohimah"' in refused.content.decode()  # the form keeps the input
    with in_tenant(tenant_a):
        assert not Beneficiary.objects.exists()
    done = client.post(url, {**data, "birth_date": "1985-03-12"})
    assert done.status_code == 302
    with in_tenant(tenant_a):
        beneficiary = Beneficiary.objects.get()
        assert (beneficiary.citizen, beneficiary.data_source) == (citizen, "citizen")
    assert "Data Anda sudah tercatat" in client.get(url).content.decode()
    assert client.get(page(tenant_a, "beneficiaries/")).status_code == 403


def test_list_pages_cost_the_same_queries_for_many_rows(
    tenant_a, registry, in_tenant, django_assert_max_num_queries
):
    from praja.modules.grants.screening.models import FlagKind

    with in_tenant(tenant_a):
        first = registry["first"]
        for number in range(30):
            actions.raise_flag(
                kind=FlagKind.OTHER,
                subject=first,
                explanation=f"Temuan {number}",
                evidence={"records": [str(number)]},
            )
    client = verified_client(registry["officer"])
    with django_assert_max_num_queries(25):
        assert client.get(page(tenant_a, "flags/")).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(api(tenant_a, "flags/?page_size=50")).json()["count"] == 31
    with django_assert_max_num_queries(25):
        assert client.get(page(tenant_a, "beneficiaries/")).status_code == 200


def test_the_openapi_schema_describes_the_screening_api(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    prefix = "/t/{tenant_slug}/api/v1/grants/"
    for path in ("beneficiaries/", "beneficiaries/imports/", "flags/", "flags/{flag_id}/clear/"):
        assert prefix + path in paths, sorted(p for p in paths if "grants" in p)
    clear = paths[prefix + "flags/{flag_id}/clear/"]["post"]
    reference = clear["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    component = response.json()["components"]["schemas"][reference.rsplit("/", 1)[-1]]
    assert list(component["properties"]) == ["reason"]
