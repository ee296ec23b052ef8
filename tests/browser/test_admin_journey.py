"""A tenant admin logs in with TOTP and switches a module on; every admin page passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from praja.core.accounts.models import OrgUnit, Position
from praja.core.tenancy.models import TenantModule
from praja.core.testing.plugin import PASSWORD
from tests.browser.conftest import PHONE_VIEWPORT, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _areas(reference_areas):
    """A transactional test's flush empties the area reference; reload it before adding tenants."""


def _log_in(page, identifier: str, password: str) -> None:
    page.get_by_label("Email, NIK atau NIP").fill(identifier)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def test_a_tenant_admin_logs_in_with_totp_and_switches_a_module_on(
    page, live_url, tenant_a, make_person, totp_for, in_tenant
):
    admin = make_person(tenant_a, roles=["tenant_admin"], full_name="Rina Kominfo")
    code_now = totp_for(admin)
    official = make_person(tenant_a, roles=["official"], full_name="Budi Santoso", nip="198501012010011001")
    with in_tenant(tenant_a):
        dinas = OrgUnit.objects.create(code="1.01", name="Dinas Kesehatan", kind="perangkat_daerah")
        head = Position.objects.create(org_unit=dinas, title="Kepala Dinas", holder=official)

    page.goto(live_url(tenant_a, "manage/modules/"))
    page.wait_for_url("**/login/?next=*")
    _log_in(page, admin.email, PASSWORD)
    page.wait_for_url("**/login/second-factor/")
    page.get_by_label("Kode 6 digit dari aplikasi autentikator").fill(code_now())
    page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_url("**/manage/modules/")
    assert page.get_by_role("heading", level=1).inner_text() == "Modul"
    row = page.locator("tr[data-module=sample]")
    assert row.locator(".module-status").inner_text() == "Tidak aktif"
    assert_accessible(page)

    row.get_by_role("button", name="Aktifkan Layanan contoh").click()
    page.wait_for_url("**/manage/modules/")
    expect(page.get_by_text("Modul Layanan contoh diaktifkan.")).to_be_visible()
    assert page.locator("tr[data-module=sample] .module-status").inner_text() == "Aktif"
    assert_accessible(page)
    with in_tenant(tenant_a):
        assert TenantModule.objects.get(module="sample").is_enabled is True

    # The landing page now offers the service.
    page.goto(live_url(tenant_a))
    expect(page.get_by_role("link", name="Layanan contoh")).to_be_visible()
    assert_accessible(page)

    # A wrong NIP is named on its field and what was typed stays.
    page.goto(live_url(tenant_a, "manage/people/new/"))
    page.get_by_label("NIP").fill("19901340 201503 1 002")
    page.get_by_label("Nama lengkap").fill("Siti Rahayu")
    page.get_by_label("Email").fill("siti@bandung.go.id")
    page.get_by_role("button", name="Simpan pegawai").click()
    assert page.get_by_text(
        "Tanggal lahir dalam NIP (digit 1-8, 19901340) bukan tanggal yang sah."
    ).is_visible()
    assert page.get_by_label("Nama lengkap").input_value() == "Siti Rahayu"
    assert_accessible(page)

    # Every other admin page passes axe, on a phone too.
    page.set_viewport_size(PHONE_VIEWPORT)
    for path in [
        "manage/",
        "manage/people/",
        f"manage/people/{official.pk}/",
        "manage/organisation/",
        f"manage/organisation/{dinas.pk}/",
        f"manage/organisation/{dinas.pk}/positions/new/",
        f"manage/positions/{head.pk}/",
        "manage/modules/sample/parameters/",
        "manage/settings/",
        "manage/holidays/",
    ]:
        page.goto(live_url(tenant_a, path))
        assert page.get_by_role("heading", level=1).is_visible(), path
        assert_accessible(page)


def test_a_platform_operator_logs_in_with_totp_and_adds_a_tenant(
    page, live_server, tenant_a, make_person, totp_for
):
    operator = make_person(None, is_platform_operator=True, email="operator@praja.go.id")
    code_now = totp_for(operator)
    page.goto(f"{live_server.url}/platform/")
    page.wait_for_url("**/login/?next=*")
    assert_accessible(page)
    page.get_by_label("Email, NIK atau NIP").fill("operator@praja.go.id")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_label("Kode autentikator (jika akun Anda memakainya)").fill(code_now())
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/platform/")
    assert_accessible(page)
    page.get_by_label("Kode wilayah Kemendagri").fill("36.03")
    page.get_by_role("button", name="Tambah").click()
    expect(page.get_by_text("Kabupaten Tangerang (36.03) ditambahkan.")).to_be_visible()
    expect(
        page.locator("tr[data-code='36.03']").get_by_role("link", name="Kabupaten Tangerang")
    ).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/")
    assert_accessible(page)
