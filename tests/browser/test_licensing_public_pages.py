"""A citizen pays a retribusi on the simulator, tracks the file and reads the statistics; axe passes."""

from __future__ import annotations

import pytest

from praja.modules.licensing.payments.models import Bill, BillStatus
from praja.modules.licensing.payments.testing import make_bill
from tests.browser.conftest import PHONE_VIEWPORT, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _areas(reference_areas):
    """A transactional test's flush empties the area reference; reload it before adding tenants."""


def test_pay_on_the_simulator_then_track_and_read_statistics(page, live_url, tenant_a, in_tenant):
    bill = make_bill(tenant_a, tracking_number="BDG-2026-000042", fee_amount=1_500_000)

    page.set_viewport_size(PHONE_VIEWPORT)
    page.goto(live_url(tenant_a, f"licensing/payments/simulator/{bill.billing_code}/"))
    assert page.locator(".bill-amount").inner_text() == "Rp1.500.000"
    assert_accessible(page)
    page.get_by_role("button", name="Konfirmasi bayar Rp1.500.000").click()
    page.get_by_text("Pilih cara membayar: transfer bank, virtual account atau QRIS.").wait_for()
    page.get_by_label("QRIS").check()
    page.get_by_role("button", name="Konfirmasi bayar Rp1.500.000").click()
    page.get_by_text("Pembayaran diterima.").wait_for()
    assert_accessible(page)
    with in_tenant(tenant_a):
        assert Bill.objects.get(pk=bill.pk).status == BillStatus.PAID

    page.goto(live_url(tenant_a, "licensing/lacak/"))
    assert_accessible(page)
    page.get_by_label("Nomor pendaftaran").fill("bdg-2026-000042")
    page.get_by_role("button", name="Lacak").click()
    page.locator(".tracking-status").wait_for()
    assert page.locator(".tracking-status").inner_text() in {"Lunas", "Izin terbit"}
    assert bill.application.applicant.full_name not in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Statistik layanan perizinan").click()
    page.get_by_role("heading", name="Statistik layanan perizinan").wait_for()
    assert (
        page.locator(
            f'tr[data-permit-type="{bill.application.permit_type.code}"] .stat-applications'
        ).inner_text()
        == "1"
    )
    assert_accessible(page)
