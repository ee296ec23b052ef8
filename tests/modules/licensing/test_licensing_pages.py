"""Pages and endpoints of licensing: the permission matrix (anonymous, other tenant, wrong role, right
role), what the applicant and officials see, the catalogue's demo and its adoption by another region."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from praja.core.tenancy.context import use_tenant
from praja.core.testing.permission_matrix import verified_client
from praja.modules.licensing.models import Application, PermitType
from praja.modules.licensing.models import ApplicationStatus as S
from praja.modules.licensing.testing import pdf_upload
from tests.modules.licensing.conftest import place_in_status

pytestmark = pytest.mark.django_db
ALL_OK = {"anonymous": 200, "other_tenant": 200, "wrong_role": 200, "right_role": 200}


def page(tenant, path=""):
    return f"/t/{tenant.slug}/licensing/{path}"


def api(tenant, path=""):
    return f"/t/{tenant.slug}/api/v1/licensing/{path}"


def status_of(application_id):
    return lambda: Application.objects.filter(pk=application_id).values_list("status", "version").get()


# --- Public ----------------------------------------------------------------------------------------


def test_public_catalogue_and_standar_pelayanan_need_no_login(office, permission_matrix):
    responses = permission_matrix(
        path=page(office.tenant), tenant=office.tenant, kind="page", right_roles=[], expect=ALL_OK
    )
    assert "Surat Izin Praktik (SIP) Dokter" in responses["anonymous"].content.decode()
    body = permission_matrix(
        path=page(office.tenant, "services/sip-dokter/"),
        tenant=office.tenant,
        kind="page",
        right_roles=[],
        expect=ALL_OK,
    )["anonymous"].content.decode()
    for text in (
        "1. Dasar hukum",
        "Permenkes 2052/2011",
        "str</strong> — STR yang masih berlaku",
        "harus masih berlaku pada tanggal pengajuan",
        "7 hari kerja",
        "Tanpa biaya (gratis)",
        "14. Evaluasi kinerja pelaksana",
    ):
        assert text in body
    api_body = permission_matrix(
        path=api(office.tenant, "permit-types/izin-reklame/"),
        tenant=office.tenant,
        right_roles=[],
        expect=ALL_OK,
    )["anonymous"].json()
    assert (api_body["fee_kind"], api_body["fee_formula"]) == ("formula", "luas_m2 * lama_bulan * 25000")
    assert [item["code"] for item in api_body["requirements"]][:2] == ["surat_permohonan", "ktp"]


def test_unpublished_service_is_not_found(office):
    with use_tenant(office.tenant):
        PermitType.objects.filter(pk=office.sip.pk).update(is_published=False)
    assert Client().get(page(office.tenant, "services/sip-dokter/")).status_code == 404


# --- Officials --------------------------------------------------------------------------------------


def test_queue_page_and_api_matrix(office, permission_matrix):
    app = place_in_status(office, S.SUBMITTED)
    responses = permission_matrix(
        path=page(office.tenant, "queue/"),
        tenant=office.tenant,
        kind="page",
        right_roles=["licensing_front_office"],
    )
    assert app.tracking_number in responses["right_role"].content.decode()
    responses = permission_matrix(
        path=api(office.tenant, "queue/"), tenant=office.tenant, right_roles=["licensing_front_office"]
    )
    assert [item["tracking_number"] for item in responses["right_role"].json()] == [app.tracking_number]


def test_official_file_page_matrix_records_the_personal_data_view(office, permission_matrix):
    from praja.core.audit.models import AuditEvent

    app = place_in_status(office, S.SUBMITTED)
    responses = permission_matrix(
        path=page(office.tenant, f"files/{app.pk}/"),
        tenant=office.tenant,
        kind="page",
        right_roles=["licensing_front_office"],
    )
    body = responses["right_role"].content.decode()
    assert "Sari Wulandari" in body and "Nyatakan lengkap" in body
    with use_tenant(office.tenant):
        assert (
            AuditEvent.objects.filter(
                event_type="personal_data.viewed", object_id=str(office.citizen.pk)
            ).count()
            == 1
        )


def test_completeness_action_matrix_changes_nothing_on_refusal(office, permission_matrix):
    app = place_in_status(office, S.SUBMITTED)
    url = page(office.tenant, f"files/{app.pk}/do/complete/")
    # The refusals first (nothing changes), then the front office, redirected back to the file.
    permission_matrix(
        path=url,
        method="post",
        tenant=office.tenant,
        kind="page",
        right_roles=["licensing_front_office"],
        snapshot=status_of(app.pk),
        actors=("anonymous", "other_tenant", "wrong_role"),
    )
    done = verified_client(office.front).post(url)
    assert done["Location"] == page(office.tenant, f"files/{app.pk}/")
    app.refresh_from_db()
    assert app.status == S.COMPLETE


def test_completeness_api_matrix(office, permission_matrix):
    app = place_in_status(office, S.SUBMITTED)
    responses = permission_matrix(
        path=api(office.tenant, f"applications/{app.pk}/complete/"),
        method="post",
        tenant=office.tenant,
        right_roles=["licensing_front_office"],
        snapshot=status_of(app.pk),
    )
    assert responses["right_role"].json()["status"] == "complete"


def test_decide_api_matrix_and_second_factor(office, permission_matrix, make_person):
    app = place_in_status(office, S.RECOMMENDED_APPROVE)
    # A head whose session never proved TOTP is refused before anything happens.
    unverified = make_person(office.tenant, roles=["licensing_head"])
    client = Client()
    client.force_login(unverified, backend="praja.core.accounts.backends.IdentifierBackend")
    refused = client.post(
        api(office.tenant, f"applications/{app.pk}/decide/"),
        {"decision": "approve"},
        content_type="application/json",
    )
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "second_factor_required")
    responses = permission_matrix(
        path=api(office.tenant, f"applications/{app.pk}/decide/"),
        method="post",
        data={"decision": "approve", "reason": "Memenuhi syarat"},
        tenant=office.tenant,
        right_roles=["licensing_head"],
        wrong_roles=["licensing_front_office"],
        snapshot=status_of(app.pk),
    )
    body = responses["right_role"].json()
    assert body["status"] == "issued"
    assert body["permit"]["permit_number"].startswith("SIPD/")


def test_performance_and_catalogue_admin_pages_matrix(office, permission_matrix):
    permission_matrix(
        path=page(office.tenant, "performance/"),
        tenant=office.tenant,
        kind="page",
        right_roles=["licensing_head"],
        wrong_roles=["licensing_front_office"],
    )
    permission_matrix(
        path=api(office.tenant, "performance/"),
        tenant=office.tenant,
        right_roles=["licensing_head"],
        wrong_roles=["licensing_front_office"],
    )
    body = permission_matrix(
        path=page(office.tenant, "catalogue/"),
        tenant=office.tenant,
        kind="page",
        right_roles=["licensing_admin"],
    )["right_role"].content.decode()
    assert "Izin Penyelenggaraan Reklame" in body
    permission_matrix(
        path=page(office.tenant, f"catalogue/{office.sip.pk}/"),
        tenant=office.tenant,
        kind="page",
        right_roles=["licensing_admin"],
    )


# --- Applicant --------------------------------------------------------------------------------------


def test_application_pages_answer_only_the_applicant_and_officials(office, make_person, tenant_b):
    app = place_in_status(office, S.SUBMITTED)
    other_citizen = make_person(office.tenant)
    serang_official = make_person(tenant_b, roles=["licensing_front_office"])
    url = page(office.tenant, f"applications/{app.pk}/")
    assert Client().get(url).status_code == 302
    assert verified_client(office.citizen).get(url).status_code == 200
    assert verified_client(other_citizen).get(url).status_code == 404
    assert verified_client(serang_official).get(url).status_code == 404
    assert verified_client(office.front).get(url)["Location"].endswith(f"/files/{app.pk}/")
    detail = api(office.tenant, f"applications/{app.pk}/")
    assert Client().get(detail).status_code == 401
    assert verified_client(other_citizen).get(detail).status_code == 404
    assert verified_client(serang_official).get(detail).status_code == 404
    assert verified_client(office.citizen).get(detail).json()["tracking_number"] == app.tracking_number


def test_citizen_applies_through_the_pages_double_click_makes_one_application(office):
    client = verified_client(office.citizen)
    key = str(uuid.uuid4())
    first = client.post(page(office.tenant, "services/sip-dokter/apply/"), {"idempotency_key": key})
    second = client.post(page(office.tenant, "services/sip-dokter/apply/"), {"idempotency_key": key})
    assert first["Location"] == second["Location"]
    with use_tenant(office.tenant):
        app = Application.objects.get(applicant=office.citizen)
    refused = client.post(
        page(office.tenant, f"applications/{app.pk}/upload/ijazah/"), {"file": _png()}, follow=True
    )
    assert "Ijazah dokter:" in refused.content.decode()
    edit = client.get(page(office.tenant, f"applications/{app.pk}/edit/")).content.decode()
    assert "Persyaratan wajib belum diunggah: str" in edit


def _png():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from praja.modules.licensing.testing import image_bytes

    return SimpleUploadedFile("ijazah.png", image_bytes("PNG"), "image/png")


def test_api_application_lifecycle_with_idempotency(office):
    client = verified_client(office.citizen)
    key = str(uuid.uuid4())
    payload = {
        "permit_type": "sip-dokter",
        "idempotency_key": key,
        "form_data": {"nomor_str": "3121", "jenis_praktik": "fasyankes"},
    }
    created = client.post(api(office.tenant, "applications/"), payload, content_type="application/json")
    again = client.post(api(office.tenant, "applications/"), payload, content_type="application/json")
    assert created.status_code == again.status_code == 201
    assert created.json()["id"] == again.json()["id"]
    app_id = created.json()["id"]
    refused = client.post(
        api(office.tenant, f"applications/{app_id}/submit/"), {}, content_type="application/json"
    )
    assert refused.status_code == 400
    fields = refused.json()["error"]["fields"]
    assert fields["ktp"] == ["Persyaratan wajib belum diunggah: ktp — KTP pemohon."]
    upload = client.post(
        api(office.tenant, f"applications/{app_id}/documents/"),
        {"requirement_code": "ktp", "file": pdf_upload("ktp.pdf")},
    )
    assert (upload.status_code, upload.json()["requirement_code"]) == (201, "ktp")


# --- Demo and adoption ---------------------------------------------------------------------------------


def test_demo_catalogue_and_adoption_by_serang(tenant_a, tenant_b):
    from praja.core.tenancy.actions import set_module_enabled
    from praja.core.tenancy.adoption import adopt_configuration
    from praja.modules.licensing.demo import load_demo

    with use_tenant(tenant_a):
        assert load_demo(tenant_a) == 6
        assert load_demo(tenant_a) == 0
        set_module_enabled(actor=None, tenant=tenant_a, module="licensing", enabled=True)
    with use_tenant(tenant_b):
        assert load_demo(tenant_b) == 0
    report = adopt_configuration(actor=None, source=tenant_a, target=tenant_b, modules=["licensing"])
    assert report.changed_modules == ["licensing"]
    with use_tenant(tenant_b):
        codes = sorted(PermitType.objects.filter(is_published=True).values_list("code", flat=True))
        sip = PermitType.objects.get(code="sip-dokter")
        requirements = list(sip.requirement_sets.get().requirements.values_list("code", flat=True))
        office = (sip.responsible_org_unit.code, sip.responsible_org_unit.name)
    assert codes == [
        "izin-operasional-paud",
        "izin-penelitian",
        "izin-reklame",
        "izin-trayek",
        "sik-perawat",
        "sip-dokter",
    ]
    assert requirements[:4] == ["surat_permohonan", "ktp", "pas_foto", "str"]
    assert office == ("1.02", "Dinas Kesehatan")
    again = adopt_configuration(actor=None, source=tenant_a, target=tenant_b, modules=["licensing"])
    assert again.changed is False
