"""The catalogue admin pages (catalogue/, catalogue/new/, catalogue/<id>/, new-version, versions/<id>/)
and the holder's renewal/change page (permits/<id>/renew/), through the pages themselves: what the
admin and the holder see, Indonesian errors that keep the input, and refusals that change nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from praja.core.audit.models import AuditEvent
from praja.core.tenancy.context import use_tenant
from praja.core.testing.permission_matrix import verified_client
from praja.modules.licensing.models import (
    Application,
    Permit,
    PermitType,
    Requirement,
    RequirementSet,
)
from praja.modules.licensing.models import ApplicationStatus as S
from tests.modules.licensing.conftest import place_in_status

pytestmark = pytest.mark.django_db


def page(tenant, path=""):
    return f"/t/{tenant.slug}/licensing/{path}"


def body(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def new_type_data(**overrides) -> dict:
    data = {
        "code": "izin-toko-modern",
        "name": "Izin Usaha Toko Modern",
        "legal_basis": "Perda Kota Bandung 2/2009",
        "sla_working_days": "10",
        "fee_kind": "none",
        "fee_amount": "0",
        "pdf_template": "licensing/pdf/permit_standard.html",
        "permit_number_prefix": "ITM",
    }
    data.update(overrides)
    return data


def permit_types_named(tenant, code):
    with use_tenant(tenant):
        return list(PermitType.objects.filter(code=code).values_list("name", flat=True))


@pytest.fixture
def admin(office):
    return verified_client(office.admin)


@pytest.fixture
def other_admin(tenant_b, make_person):
    """Serang's catalogue admin: a stranger to Bandung."""
    return verified_client(make_person(tenant_b, roles=["licensing_admin"]))


# --- catalogue/ and catalogue/new/ ------------------------------------------------------------------


def test_catalogue_lists_the_types_with_their_offices_and_links(office, admin):
    html = body(admin.get(page(office.tenant, "catalogue/")))
    assert "<h1>Katalog layanan perizinan</h1>" in html
    assert f'href="{page(office.tenant, "catalogue/new/")}"' in html
    assert f'<a href="{page(office.tenant, f"catalogue/{office.sip.pk}/")}">' in html
    assert "Surat Izin Praktik (SIP) Dokter" in html and "Izin Penyelenggaraan Reklame" in html


def test_admin_creates_a_permit_type_with_a_draft_version(office, admin):
    form = body(admin.get(page(office.tenant, "catalogue/new/")))
    assert "<h1>Jenis izin baru</h1>" in form
    response = admin.post(page(office.tenant, "catalogue/new/"), new_type_data())
    with use_tenant(office.tenant):
        created = PermitType.objects.get(code="izin-toko-modern")
        versions = list(created.requirement_sets.values_list("version", "published_at"))
    assert response.status_code == 302
    assert response["Location"] == page(office.tenant, f"catalogue/{created.pk}/")
    assert (created.name, created.sla_working_days, created.is_published) == (
        "Izin Usaha Toko Modern",
        10,
        False,
    )
    assert versions == [(1, None)]
    detail = admin.get(response["Location"], follow=True)
    html = body(detail)
    assert "Jenis izin Izin Usaha Toko Modern tersimpan." in html
    assert "Versi 1</a> — draf" in html
    assert AuditEvent.objects.filter(
        tenant=office.tenant, event_type="licensing.permit_type_created"
    ).exists()


def test_invalid_permit_type_shows_indonesian_errors_and_keeps_the_input(office, admin):
    missing = admin.post(
        page(office.tenant, "catalogue/new/"), new_type_data(name="", sla_working_days="lima")
    )
    html = body(missing)
    assert missing.context["form"].errors["name"] == ["Bidang ini harus diisi."]
    assert missing.context["form"].errors["sla_working_days"] == ["Masukkan keseluruhan angka bilangan."]
    assert 'value="izin-toko-modern"' in html and 'value="Perda Kota Bandung 2/2009"' not in html
    assert "Perda Kota Bandung 2/2009" in html  # a textarea keeps it as its content

    # The action's own rules: a fixed fee needs an amount and the Perda it rests on.
    fee = admin.post(page(office.tenant, "catalogue/new/"), new_type_data(fee_kind="fixed", fee_amount="0"))
    html = body(fee)
    assert fee.context["form"].errors["fee_amount"] == ["Isi tarif retribusi tetap (Rupiah) sesuai Perda."]
    assert fee.context["form"].errors["fee_legal_basis"] == [
        "Retribusi harus berdasarkan Perda; sebutkan dasar tarifnya."
    ]
    assert 'value="Izin Usaha Toko Modern"' in html

    taken = admin.post(page(office.tenant, "catalogue/new/"), new_type_data(code="sip-dokter"))
    assert taken.context["form"].errors["code"] == ["Kode sip-dokter sudah dipakai jenis izin lain."]
    assert permit_types_named(office.tenant, "izin-toko-modern") == []
    assert permit_types_named(office.tenant, "sip-dokter") == ["Surat Izin Praktik (SIP) Dokter"]


def test_admin_changes_a_permit_type_and_closes_the_service(office, admin):
    url = page(office.tenant, f"catalogue/{office.sip.pk}/")
    with use_tenant(office.tenant):
        current = {
            name: value
            for name, value in PermitType.objects.filter(pk=office.sip.pk).values()[0].items()
            if value is not None
        }
    data = {
        key: value
        for key, value in current.items()
        if isinstance(value, str | int) and not isinstance(value, bool) and key != "id"
    }
    data.update(sla_working_days="5", responsible_org_unit=office.dinkes.pk)
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    closed = admin.post(url, {"publish_service": "0"})
    assert closed["Location"] == url
    with use_tenant(office.tenant):
        saved = PermitType.objects.get(pk=office.sip.pk)
    assert (saved.sla_working_days, saved.is_published) == (5, False)
    assert "Buka layanan untuk pemohon" in body(admin.get(url))


def test_a_service_cannot_open_without_a_published_version(office, admin):
    admin.post(page(office.tenant, "catalogue/new/"), new_type_data())
    with use_tenant(office.tenant):
        created = PermitType.objects.get(code="izin-toko-modern")
    url = page(office.tenant, f"catalogue/{created.pk}/")
    html = body(admin.post(url, {"publish_service": "1"}, follow=True))
    assert "Terbitkan versi persyaratan lebih dahulu sebelum membuka layanan." in html
    with use_tenant(office.tenant):
        assert PermitType.objects.get(pk=created.pk).is_published is False


# --- versions ---------------------------------------------------------------------------------------


def test_new_version_page_drafts_the_next_version(office, admin):
    url = page(office.tenant, f"catalogue/{office.sip.pk}/new-version/")
    assert admin.get(url).status_code == 405
    response = admin.post(url)
    with use_tenant(office.tenant):
        draft = RequirementSet.objects.get(permit_type=office.sip, version=2)
    assert response["Location"] == page(office.tenant, f"catalogue/versions/{draft.pk}/")
    html = body(admin.get(response["Location"]))
    assert "Surat Izin Praktik (SIP) Dokter: persyaratan versi 2" in html
    assert "Tambah persyaratan" in html and "Terbitkan versi ini" in html


def test_version_page_adds_requirements_and_publishes(office, admin):
    admin.post(page(office.tenant, "catalogue/new/"), new_type_data())
    with use_tenant(office.tenant):
        draft = RequirementSet.objects.get(permit_type__code="izin-toko-modern", version=1)
    url = page(office.tenant, f"catalogue/versions/{draft.pk}/")

    empty = body(admin.post(url, {"publish": "1", "notes": ""}, follow=True))
    assert "Versi tanpa persyaratan tidak dapat diterbitkan." in empty

    requirement = {
        "add_requirement": "1",
        "req-code": "nib",
        "req-label": "Nomor Induk Berusaha",
        "req-is_mandatory": "on",
        "req-accepted_types": "exe",
        "req-position": "1",
    }
    refused = admin.post(url, requirement)
    html = body(refused)
    assert "Jenis berkas diterima: pdf, jpeg dan/atau png, dipisah koma." in html
    assert 'value="Nomor Induk Berusaha"' in html  # the input is kept
    assert not Requirement.all_tenants.filter(requirement_set_id=draft.pk).exists()
    # Spreadsheets are a kind core.documents knows (for bulk imports), not one a permit file takes.
    spreadsheet = body(admin.post(url, {**requirement, "req-accepted_types": "pdf,xlsx"}))
    assert "Jenis berkas diterima: pdf, jpeg dan/atau png, dipisah koma." in spreadsheet
    assert not Requirement.all_tenants.filter(requirement_set_id=draft.pk).exists()

    added = admin.post(url, {**requirement, "req-accepted_types": "pdf"}, follow=True)
    assert "Persyaratan ditambahkan." in body(added)
    assert list(Requirement.all_tenants.filter(requirement_set_id=draft.pk).values_list("code", "label")) == [
        ("nib", "Nomor Induk Berusaha")
    ]
    published = admin.post(url, {"publish": "1", "notes": "Versi awal"})
    assert published["Location"] == page(office.tenant, f"catalogue/{draft.permit_type_id}/")
    html = body(admin.get(url))
    assert "Versi ini sudah diterbitkan" in html and "Tambah persyaratan" not in html
    # A published version refuses changes, and says so.
    again = body(admin.post(url, {**requirement, "req-code": "npwp", "req-accepted_types": "pdf"}))
    assert "Versi 1 sudah diterbitkan dan tidak dapat diubah; buat versi baru." in again
    assert Requirement.all_tenants.filter(requirement_set_id=draft.pk).count() == 1


# --- who may open them ------------------------------------------------------------------------------


def test_catalogue_pages_refuse_anonymous_wrong_role_and_other_tenant(office, tenant_b, other_admin):
    with use_tenant(office.tenant):
        version = RequirementSet.objects.get(permit_type=office.sip, version=1)
    paths = [
        "catalogue/",
        "catalogue/new/",
        f"catalogue/{office.sip.pk}/",
        f"catalogue/versions/{version.pk}/",
    ]
    front = verified_client(office.front)
    for path in paths:
        anonymous = Client().get(page(office.tenant, path))
        assert anonymous.status_code == 302 and "/login/" in anonymous["Location"], path
        assert front.get(page(office.tenant, path)).status_code == 403, path
        assert other_admin.get(page(office.tenant, path)).status_code == 404, path
    # Serang's admin on Serang's own pages, naming Bandung's ids: not found either.
    assert other_admin.get(page(tenant_b, f"catalogue/{office.sip.pk}/")).status_code == 404
    assert other_admin.get(page(tenant_b, f"catalogue/versions/{version.pk}/")).status_code == 404
    assert other_admin.post(page(tenant_b, f"catalogue/{office.sip.pk}/new-version/")).status_code == 404

    # Refused writes change nothing.
    assert front.post(page(office.tenant, "catalogue/new/"), new_type_data()).status_code == 403
    assert other_admin.post(page(office.tenant, "catalogue/new/"), new_type_data()).status_code == 404
    assert front.post(page(office.tenant, f"catalogue/{office.sip.pk}/new-version/")).status_code == 403
    assert (
        other_admin.post(page(tenant_b, f"catalogue/{office.sip.pk}/"), {"publish_service": "0"}).status_code
        == 404
    )
    assert permit_types_named(office.tenant, "izin-toko-modern") == []
    with use_tenant(tenant_b):
        assert not PermitType.objects.exists()
    with use_tenant(office.tenant):
        assert list(RequirementSet.objects.filter(permit_type=office.sip).values_list("version")) == [(1,)]
        assert PermitType.objects.get(pk=office.sip.pk).is_published is True


# --- permits/<id>/renew/ ----------------------------------------------------------------------------


@pytest.fixture
def issued_permit(office):
    from praja.modules.licensing import actions

    application = place_in_status(office, S.APPROVED)
    with use_tenant(office.tenant):
        return actions.issue_permit(application=application)


def test_holder_renews_and_changes_a_permit_from_the_page(office, issued_permit):
    holder = verified_client(office.citizen)
    url = page(office.tenant, f"permits/{issued_permit.pk}/renew/")
    listing = body(holder.get(page(office.tenant, "applications/")))
    assert f'action="{url}"' in listing and "Perpanjang" in listing and "Ubah data" in listing

    response = holder.post(url, {"kind": "renewal"})
    with use_tenant(office.tenant):
        renewal = Application.objects.get(previous_permit=issued_permit, kind="renewal")
    assert response["Location"] == page(office.tenant, f"applications/{renewal.pk}/edit/")
    assert (renewal.applicant, renewal.status, renewal.permit_type) == (office.citizen, S.DRAFT, office.sip)
    assert renewal.form_data == issued_permit.application.form_data  # carried over to edit

    holder.post(url, {"kind": "change"})
    with use_tenant(office.tenant):
        assert Application.objects.filter(previous_permit=issued_permit, kind="change").count() == 1


def test_renewal_refusals_say_why_and_create_nothing(office, issued_permit, tenant_b, make_person):
    url = page(office.tenant, f"permits/{issued_permit.pk}/renew/")
    holder = verified_client(office.citizen)
    with use_tenant(office.tenant):
        before = Application.objects.count()

    assert holder.get(url).status_code == 405
    anonymous = Client().post(url, {"kind": "renewal"})
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    stranger = verified_client(make_person(office.tenant, full_name="Warga Lain"))
    assert stranger.post(url, {"kind": "renewal"}).status_code == 404
    officer = verified_client(office.back)  # may read the file, but the permit is not theirs
    assert officer.post(url, {"kind": "renewal"}).status_code == 404
    other_tenant = verified_client(make_person(tenant_b, full_name="Warga Serang"))
    assert other_tenant.post(url, {"kind": "renewal"}).status_code == 404
    assert other_tenant.post(page(tenant_b, f"permits/{issued_permit.pk}/renew/")).status_code == 404

    bad_kind = holder.post(url, {"kind": "hapus"}, follow=True)
    assert bad_kind.redirect_chain[-1][0] == page(office.tenant, "applications/")
    assert "Pilih jenis permohonan: baru, perpanjangan atau perubahan." in body(bad_kind)

    with use_tenant(office.tenant):
        Permit.objects.filter(pk=issued_permit.pk).update(status="revoked")
    revoked = body(holder.post(url, {"kind": "renewal"}, follow=True))
    assert (
        f"Izin {issued_permit.permit_number} bukan izin Anda yang masih berlaku untuk layanan ini." in revoked
    )
    with use_tenant(office.tenant):
        assert Application.objects.count() == before


def test_catalogue_selectors_answer_missing_and_forbidden_alike(office, tenant_b):
    from praja.modules.licensing import selectors

    with use_tenant(office.tenant):
        version = RequirementSet.objects.get(permit_type=office.sip, version=1)
        assert selectors.access_permit_type_for_catalogue_by_id(office.admin, office.sip.pk) == office.sip
        assert selectors.access_requirement_set_for_catalogue_by_id(office.admin, version.pk) == version
        for user, permit_type_id in ((office.front, office.sip.pk), (office.admin, 999_999)):
            with pytest.raises(PermitType.DoesNotExist):
                selectors.access_permit_type_for_catalogue_by_id(user, permit_type_id)
        with pytest.raises(RequirementSet.DoesNotExist):
            selectors.access_requirement_set_for_catalogue_by_id(office.front, version.pk)
    with use_tenant(tenant_b), pytest.raises(PermitType.DoesNotExist):
        selectors.access_permit_type_for_catalogue_by_id(office.admin, office.sip.pk)
