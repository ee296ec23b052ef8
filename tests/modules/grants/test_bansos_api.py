"""The bansos case API (individuals/households) under the permission matrix, thin over the same actions
the bansos page calls; refusals keep the error envelope and change nothing."""

from __future__ import annotations

import pytest

from praja.core.tenancy.context import use_tenant
from praja.core.testing.permission_matrix import verified_client
from praja.modules.grants import actions
from praja.modules.grants.models import BansosCase
from praja.modules.grants.testing import make_programme

pytestmark = pytest.mark.django_db


def api(office, path=""):
    return f"/t/{office.tenant.slug}/api/v1/grants/{path}"


@pytest.fixture
def bansos(grants_office):
    with use_tenant(grants_office.tenant):
        programme = make_programme("bansos-2027", kind="bansos")
        euis = actions.register_bansos_case(
            actor=grants_office.admin,
            programme=programme,
            recipient_name="Euis Sumiati",
            recipient_address="Jl. Cibaduyut 12",
            amount="2.400.000",
            social_data_source="dtsen",
            social_data_reference="DTSEN-3273-0001",
        )
        ujang = actions.register_bansos_case(
            actor=grants_office.admin,
            programme=programme,
            recipient_name="Ujang Koswara",
            amount=1_800_000,
            social_data_source="dtsen",
        )
    return euis, ujang


def _state(case):
    def snapshot():
        with use_tenant(case.tenant):
            return BansosCase.objects.filter(pk=case.pk).values_list("status", "version").get()

    return snapshot


def test_bansos_list_and_detail_matrix(permission_matrix, grants_office, bansos):
    euis, ujang = bansos
    listed = permission_matrix(
        path=api(grants_office, "bansos/"),
        tenant=grants_office.tenant,
        right_roles=["grants_admin"],
        wrong_roles=["grants_tu"],
    )["right_role"].json()
    assert [(item["number"], item["recipient_name"], item["amount"], item["status"]) for item in listed] == [
        ("BSS-2027-000001", "Euis Sumiati", 2_400_000, "registered"),
        ("BSS-2027-000002", "Ujang Koswara", 1_800_000, "registered"),
    ]
    detail = permission_matrix(
        path=api(grants_office, f"bansos/{euis.pk}/"),
        tenant=grants_office.tenant,
        right_roles=["grants_admin"],
        wrong_roles=["grants_treasurer"],
    )["right_role"].json()
    assert detail["programme"] == "bansos-2027"
    assert detail["recipient_address"] == "Jl. Cibaduyut 12"
    assert detail["social_data_reference"] == "DTSEN-3273-0001"
    assert detail["status_label"] == "Terdaftar"
    assert [entry["to_status"] for entry in detail["timeline"]] == []
    missing = verified_client(grants_office.admin).get(api(grants_office, "bansos/999999/"))
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_verify_step_matrix_changes_nothing_on_refusal(permission_matrix, grants_office, bansos):
    euis, _ = bansos
    responses = permission_matrix(
        path=api(grants_office, f"bansos/{euis.pk}/verify/"),
        method="post",
        data={},
        tenant=grants_office.tenant,
        right_roles=["grants_admin"],
        wrong_roles=["grants_evaluator"],
        snapshot=_state(euis),
    )
    body = responses["right_role"].json()
    assert body["status"] == "verified"
    assert body["timeline"][-1]["to_status"] == "verified"


def test_verify_without_social_data_id_is_refused_with_the_rule(grants_office, bansos):
    _, ujang = bansos
    client = verified_client(grants_office.admin)
    response = client.post(
        api(grants_office, f"bansos/{ujang.pk}/verify/"), {}, content_type="application/json"
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "guard_failed"
    assert "DTKS/DTSEN" in error["message"]
    with use_tenant(grants_office.tenant):
        assert BansosCase.objects.get(pk=ujang.pk).status == "registered"


def test_screen_then_cancel_over_the_api(grants_office, bansos):
    euis, _ = bansos
    client = verified_client(grants_office.admin)
    assert (
        client.post(
            api(grants_office, f"bansos/{euis.pk}/verify/"), {}, content_type="application/json"
        ).json()["status"]
        == "verified"
    )
    screened = client.post(
        api(grants_office, f"bansos/{euis.pk}/screen/"), {}, content_type="application/json"
    )
    assert screened.status_code == 200
    assert screened.json()["status"] == "screened"
    no_reason = client.post(
        api(grants_office, f"bansos/{euis.pk}/cancel/"), {"reason": ""}, content_type="application/json"
    )
    assert no_reason.status_code == 422
    assert no_reason.json()["error"]["code"] == "guard_failed"
    with use_tenant(grants_office.tenant):
        assert BansosCase.objects.get(pk=euis.pk).status == "screened"
    cancelled = client.post(
        api(grants_office, f"bansos/{euis.pk}/cancel/"),
        {"reason": "Penerima pindah domisili"},
        content_type="application/json",
    )
    assert cancelled.status_code == 200
    assert (cancelled.json()["status"], cancelled.json()["cancellation_reason"]) == (
        "cancelled",
        "Penerima pindah domisili",
    )


def test_other_tenant_official_cannot_reach_the_case(grants_office, bansos, make_person, tenant_b):
    euis, _ = bansos
    outsider = make_person(tenant_b, roles=["grants_admin"])
    client = verified_client(outsider)
    response = client.post(
        api(grants_office, f"bansos/{euis.pk}/cancel/"), {"reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    with use_tenant(grants_office.tenant):
        assert BansosCase.objects.get(pk=euis.pk).status == "registered"


def test_bansos_decree_pdf_is_titled_bansos_and_hibah_stays_hibah(grants_office, bansos):
    from praja.modules.grants.documents import decree_title

    euis, _ = bansos
    office = grants_office
    with use_tenant(office.tenant):
        actions.verify_bansos_case(actor=office.admin, case=euis)
        actions.screen_bansos_case(actor=office.admin, case=euis)
        decree = actions.build_decree(actor=office.admin, programme=euis.programme)
        actions.approve_decree(actor=office.head, decree=decree, otp_verified=True)
        decree.refresh_from_db()
        assert decree.official_document.title == (
            "Daftar Nominatif Calon Penerima Belanja Bantuan Sosial (DNC PBBS)"
        )
    assert decree_title("hibah") == "Daftar Nominatif Calon Penerima Belanja Hibah (DNC PBH)"


def test_bansos_decree_is_numbered_on_its_own_register(grants_office, bansos):
    """A bansos decree is a DNC PBBS: numbered "…/DNC-PBBS/…" on its own sequence, titled for bansos,
    while a hibah decree of the same year keeps "001/DNC-PBH/…"."""
    from praja.modules.grants.testing import place_proposal

    euis, _ujang = bansos
    office = grants_office
    with use_tenant(office.tenant):
        later = actions.register_bansos_case(
            actor=office.admin,
            programme=euis.programme,
            recipient_name="Nining Kurniasih",
            amount=1_200_000,
            social_data_source="dtsen",
            social_data_reference="DTSEN-3273-0002",
        )
        for case in (euis, later):
            actions.verify_bansos_case(actor=office.admin, case=case)
        actions.screen_bansos_case(actor=office.admin, case=euis)
        first = actions.build_decree(actor=office.admin, programme=euis.programme)
        assert (
            first.title == "Daftar Nominatif Calon Penerima Belanja Bantuan Sosial Bansos Warga Rentan 2027"
        )
        actions.approve_decree(actor=office.head, decree=first, otp_verified=True)
        place_proposal(
            office.representative,
            office.programme,
            office.organisation,
            "tapd_approved",
            tapd_amount=10_000_000,
        )
        hibah = actions.build_decree(actor=office.admin, programme=office.programme)
        assert (
            hibah.title == "Daftar Nominatif Calon Penerima Belanja Hibah Hibah Lembaga Kemasyarakatan 2027"
        )
        actions.approve_decree(actor=office.head, decree=hibah, otp_verified=True)
        actions.screen_bansos_case(actor=office.admin, case=later)
        second = actions.build_decree(actor=office.admin, programme=later.programme)
        actions.approve_decree(actor=office.head, decree=second, otp_verified=True)
        for decree in (first, hibah, second):
            decree.refresh_from_db()
    assert (first.number, hibah.number, second.number) == (
        "001/DNC-PBBS/2027",
        "001/DNC-PBH/2027",
        "002/DNC-PBBS/2027",
    )


def test_a_bansos_decree_page_names_the_dnc_pbbs_not_the_hibah_register(grants_office, bansos):
    """The head of region reads "Tetapkan DNC PBBS" on a bansos decree and downloads the DNC PBBS."""
    euis, _ = bansos
    office = grants_office
    with use_tenant(office.tenant):
        actions.verify_bansos_case(actor=office.admin, case=euis)
        actions.screen_bansos_case(actor=office.admin, case=euis)
        decree = actions.build_decree(actor=office.admin, programme=euis.programme)
    page = f"/t/{office.tenant.slug}/grants/decrees/{decree.pk}/"
    draft = verified_client(office.head).get(page).content.decode()
    assert "Tetapkan DNC PBBS" in draft
    assert "DNC PBH" not in draft
    with use_tenant(office.tenant):
        actions.approve_decree(actor=office.head, decree=decree, otp_verified=True)
    approved = verified_client(office.head).get(page).content.decode()
    assert "Unduh DNC PBBS bertanda tangan (PDF)" in approved
    assert "/DNC-PBBS/" in approved
