"""The local payment simulator page, and the permission matrix of the public payment/tracking routes."""

from __future__ import annotations

import pytest
from django.test import Client

from praja.core.audit.models import AuditEvent
from praja.modules.licensing.payments.models import Bill, BillStatus, Payment
from praja.modules.licensing.payments.testing import make_bill

pytestmark = pytest.mark.django_db


def simulator_url(tenant, code: str) -> str:
    return f"/t/{tenant.slug}/licensing/payments/simulator/{code}/"


def test_simulator_page_shows_the_bill_without_personal_data(tenant_a, in_tenant):
    bill = make_bill(tenant_a, fee_amount=2_250_000)
    page = Client().get(simulator_url(tenant_a, bill.billing_code))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rp2.250.000" in html
    assert " ".join(bill.billing_code[index : index + 4] for index in range(0, 16, 4)) in html
    assert "Transfer bank" in html and "Virtual account" in html and "QRIS" in html
    assert bill.application.applicant.full_name not in html
    assert bill.application.applicant.email not in html


def test_paying_on_the_simulator_pays_through_the_signed_callback(tenant_a, in_tenant):
    bill = make_bill(tenant_a)
    client = Client()
    missing = client.post(simulator_url(tenant_a, bill.billing_code), {})
    assert missing.status_code == 400
    assert "Pilih cara membayar: transfer bank, virtual account atau QRIS." in missing.content.decode()
    with in_tenant(tenant_a):
        assert Bill.objects.get(pk=bill.pk).status == BillStatus.UNPAID
        assert not Payment.objects.exists()

    paid = client.post(simulator_url(tenant_a, bill.billing_code), {"channel": "qris"})
    assert paid.status_code == 200, paid.content[:500]
    assert "Pembayaran diterima." in paid.content.decode()
    with in_tenant(tenant_a):
        bill.refresh_from_db()
        assert (bill.status, bill.payment_channel) == (BillStatus.PAID, "qris")
        assert bill.payment_reference.startswith("SIM-")
        assert AuditEvent.objects.filter(event_type="licensing.bill_paid").count() == 1

    again = client.post(simulator_url(tenant_a, bill.billing_code), {"channel": "qris"})
    assert again.status_code == 409
    assert "Tagihan ini sudah lunas." in again.content.decode()
    with in_tenant(tenant_a):
        assert Payment.objects.count() == 1


def test_simulator_is_absent_when_switched_off(tenant_a, settings):
    bill = make_bill(tenant_a)
    settings.PRAJA_PAYMENT_SIMULATOR = False
    assert Client().get(simulator_url(tenant_a, bill.billing_code)).status_code == 404
    assert Client().post(simulator_url(tenant_a, bill.billing_code), {"channel": "qris"}).status_code == 404


def test_simulator_answers_404_for_unknown_codes_and_other_tenants(tenant_a, tenant_b, in_tenant):
    bill = make_bill(tenant_a)
    client = Client()
    assert client.get(simulator_url(tenant_a, "3273260000000000")).status_code == 404
    assert client.get(simulator_url(tenant_a, "bukan-kode")).status_code == 404
    assert client.get(simulator_url(tenant_b, bill.billing_code)).status_code == 404
    assert client.post(simulator_url(tenant_b, bill.billing_code), {"channel": "qris"}).status_code == 404
    with in_tenant(tenant_a):
        assert Bill.objects.get(pk=bill.pk).status == BillStatus.UNPAID


PUBLIC = {"anonymous": 200, "other_tenant": 200, "wrong_role": 200, "right_role": 200}


def test_public_routes_answer_everyone_alike(permission_matrix, tenant_a):
    bill = make_bill(tenant_a, tracking_number="BDG-2026-000777", status="awaiting_payment")
    for path, kind in [
        (f"/t/{tenant_a.slug}/api/v1/licensing/tracking/BDG-2026-000777/", "api"),
        (f"/t/{tenant_a.slug}/api/v1/licensing/statistics/", "api"),
        (f"/t/{tenant_a.slug}/licensing/lacak/?nomor=BDG-2026-000777", "page"),
        (f"/t/{tenant_a.slug}/licensing/statistik/", "page"),
        (simulator_url(tenant_a, bill.billing_code), "page"),
    ]:
        responses = permission_matrix(
            path=path,
            tenant=tenant_a,
            right_roles=["licensing_front_office"],
            wrong_roles=["official"],
            kind=kind,
            expect=PUBLIC,
        )
        bodies = {actor: response.content for actor, response in responses.items()}
        if kind == "api":  # the same bytes for everyone: no login changes what the public sees
            assert len(set(bodies.values())) == 1, path


def test_callback_refuses_everyone_without_a_signature(permission_matrix, tenant_a, in_tenant):
    bill = make_bill(tenant_a)
    permission_matrix(
        path=f"/t/{tenant_a.slug}/api/v1/licensing/payments/callback/",
        method="post",
        data={
            "billing_code": bill.billing_code,
            "amount": bill.amount,
            "payment_reference": "X",
            "paid_at": "2026-03-02T10:15:00+07:00",
        },
        tenant=tenant_a,
        right_roles=["tenant_admin"],
        wrong_roles=["official"],
        expect={"anonymous": 403, "other_tenant": 403, "wrong_role": 403, "right_role": 403},
        snapshot=lambda: list(Bill.objects.values_list("status", "payment_reference")),
    )


def test_isolation_factories_make_rows_carrying_the_marker(tenant_a):
    from praja.core.testing.isolation import load_isolation_factories, make_row

    load_isolation_factories()
    made: dict = {}
    bill = make_row(Bill, tenant_a, "QX~A7", made)
    payment = make_row(Payment, tenant_a, "QX~A7", made)
    assert bill.tenant_id == payment.tenant_id == tenant_a.pk
    assert "QX~A7" in bill.application.permit_type.name
    assert "QX~A7" in payment.payment_reference
    page = Client().get(simulator_url(tenant_a, bill.billing_code))
    assert "QX~A7" in page.content.decode()  # public: anonymous sees it too, as the walker allows
