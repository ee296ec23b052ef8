"""The catalogue admin on a phone, in headless Chromium with axe on every page: a new permit type is
refused with the Perda rule in Indonesian (the typed input stays), then saved; a requirement version
gets one requirement and is published, and the service is opened to applicants."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from praja.core.tenancy.context import use_tenant
from praja.core.testing.plugin import PASSWORD
from praja.modules.licensing.models import PermitType
from praja.modules.licensing.testing import make_permit_type
from tests.browser.conftest import PHONE_VIEWPORT, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _areas(reference_areas):
    """A transactional test's flush empties the area reference; reload it before adding tenants."""


def test_catalogue_admin_creates_publishes_and_opens_a_service_on_a_phone(
    browser, live_server, live_url, tenant_a, make_person, totp_for
):
    with use_tenant(tenant_a):
        make_permit_type("sip-dokter")  # creates the Dinas Kesehatan office the form offers
    admin = make_person(tenant_a, roles=["licensing_admin"], full_name="Admin Katalog")
    code = totp_for(admin)
    context = browser.new_context(locale="id-ID", viewport=PHONE_VIEWPORT)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        catalogue = live_url(tenant_a, "licensing/catalogue/")
        page.goto(catalogue)
        page.wait_for_url("**/login/?next=*")
        page.get_by_label("Email, NIK atau NIP").fill(admin.email)
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url("**/login/second-factor/*")
        page.get_by_label("Kode 6 digit dari aplikasi autentikator").fill(code())
        page.get_by_role("button", name="Verifikasi").click()
        page.wait_for_url(catalogue)
        expect(page.get_by_role("heading", name="Katalog layanan perizinan")).to_be_visible()
        assert_accessible(page)

        page.get_by_role("link", name="Tambah jenis izin").click()
        page.wait_for_url("**/catalogue/new/")
        assert_accessible(page)
        page.locator("#id_code").fill("izin-toko-modern")
        page.locator("#id_name").fill("Izin Usaha Toko Modern")
        page.locator("#id_legal_basis").fill("Perpres 112/2007")
        page.locator("#id_sla_working_days").fill("10")
        page.locator("#id_permit_number_prefix").fill("ITM")
        page.locator("#id_fee_kind").select_option("fixed")
        page.get_by_role("button", name="Simpan", exact=True).click()
        page.wait_for_load_state()
        expect(page.get_by_text("Isi tarif retribusi tetap (Rupiah) sesuai Perda.")).to_be_visible()
        expect(
            page.get_by_text("Retribusi harus berdasarkan Perda; sebutkan dasar tarifnya.")
        ).to_be_visible()
        assert page.locator("#id_name").input_value() == "Izin Usaha Toko Modern"
        assert_accessible(page)

        page.locator("#id_fee_amount").fill("250000")
        page.locator("#id_fee_legal_basis").fill("Perda Kota Bandung 1/2024 lampiran III")
        page.get_by_role("button", name="Simpan", exact=True).click()
        page.wait_for_load_state()
        expect(page.get_by_text("Jenis izin Izin Usaha Toko Modern tersimpan.")).to_be_visible()
        with use_tenant(tenant_a):
            created = PermitType.objects.get(code="izin-toko-modern")
        assert (created.fee_kind, created.fee_amount) == ("fixed", 250_000)

        page.get_by_role("link", name="Versi 1").click()
        page.wait_for_url("**/catalogue/versions/*/")
        assert_accessible(page)
        page.locator("#id_req-code").fill("nib")
        page.locator("#id_req-label").fill("Nomor Induk Berusaha")
        page.locator("#id_req-accepted_types").fill("pdf")
        page.get_by_role("button", name="Tambah persyaratan").click()
        page.wait_for_load_state()
        expect(page.get_by_text("Persyaratan ditambahkan.")).to_be_visible()
        page.get_by_role("button", name="Terbitkan versi ini").click()
        page.wait_for_url(live_url(tenant_a, f"licensing/catalogue/{created.pk}/"))
        expect(page.get_by_text("Versi 1 diterbitkan.")).to_be_visible()
        page.get_by_role("button", name="Buka layanan untuk pemohon").click()
        page.wait_for_load_state()
        expect(page.get_by_role("button", name="Tutup layanan")).to_be_visible()
        assert_accessible(page)
        with use_tenant(tenant_a):
            assert PermitType.objects.get(pk=created.pk).is_published is True
    finally:
        context.close()
