"""The signed payment callback: valid, forged, replayed, duplicated, wrong amount, expired, concurrent."""

from __future__ import annotations

import json
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from praja.core.audit.models import AuditEvent
from praja.modules.licensing.payments import rules
from praja.modules.licensing.payments.models import Bill, BillStatus, Payment, PaymentOutcome
from praja.modules.licensing.payments.testing import make_bill, signed_callback

PAID_STATES = {"paid", "issued"}


def callback_url(tenant) -> str:
    return f"/t/{tenant.slug}/api/v1/licensing/payments/callback/"


def post(tenant, body: bytes, headers: dict, client: Client | None = None):
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    return (client or Client()).post(
        callback_url(tenant), data=body, content_type="application/json", **extra
    )


def state(tenant, in_tenant, bill) -> dict:
    """Everything a callback could change, to compare before and after a refusal."""
    from praja.modules.licensing.models import Application

    with in_tenant(tenant):
        fresh = Bill.objects.get(pk=bill.pk)
        application = Application.objects.get(pk=bill.application_id)
        return {
            "bill": (fresh.status, fresh.paid_at, fresh.payment_reference),
            "application": (application.status, application.paid_at),
            "payments": list(Payment.objects.values_list("payment_reference", "outcome")),
        }


def events(tenant, in_tenant, event_type: str) -> list[AuditEvent]:
    with in_tenant(tenant):
        return list(AuditEvent.objects.filter(event_type=event_type).order_by("seq"))


@pytest.mark.django_db
class TestCallback:
    def test_a_valid_callback_pays_the_bill_and_moves_the_application(self, tenant_a, in_tenant):
        bill = make_bill(tenant_a, fee_amount=750_000)
        body, headers = signed_callback(bill, payment_reference="BNI-0001", channel="virtual_account")
        response = post(tenant_a, body, headers)
        assert response.status_code == 200, response.content
        assert response.json() == {
            "status": "processed",
            "billing_code": bill.billing_code,
            "bill_status": "paid",
            "message": "Pembayaran diterima.",
        }
        with in_tenant(tenant_a):
            bill.refresh_from_db()
            assert bill.status == BillStatus.PAID
            assert bill.payment_reference == "BNI-0001"
            assert bill.payment_channel == "virtual_account"
            payment = Payment.objects.get()
            assert (payment.amount, payment.outcome) == (750_000, PaymentOutcome.APPLIED)
            application = bill.application
            application.refresh_from_db()
            assert application.status in PAID_STATES
            assert application.paid_at is not None
        paid = events(tenant_a, in_tenant, "licensing.bill_paid")
        assert len(paid) == 1 and '"payment_reference":"BNI-0001"' in paid[0].data
        assert len(events(tenant_a, in_tenant, "licensing.application_paid")) == 1

    def test_a_replayed_callback_changes_nothing_and_says_already_processed(self, tenant_a, in_tenant):
        bill = make_bill(tenant_a)
        body, headers = signed_callback(bill)
        assert post(tenant_a, body, headers).json()["status"] == "processed"
        before = state(tenant_a, in_tenant, bill)
        chain = events(tenant_a, in_tenant, "licensing.bill_paid")
        for _ in range(3):
            response = post(tenant_a, body, headers)
            assert response.status_code == 200
            assert response.json()["status"] == "already_processed"
            assert response.json()["message"] == "Pembayaran ini sudah diproses."
        assert state(tenant_a, in_tenant, bill) == before
        assert events(tenant_a, in_tenant, "licensing.bill_paid") == chain
        assert len(events(tenant_a, in_tenant, "licensing.application_paid")) == 1

    def test_a_second_payment_of_a_paid_bill_is_kept_for_refund_once(self, tenant_a, in_tenant):
        bill = make_bill(tenant_a)
        post(tenant_a, *signed_callback(bill, payment_reference="FIRST"))
        body, headers = signed_callback(bill, payment_reference="SECOND")
        for _ in range(2):
            response = post(tenant_a, body, headers)
            assert response.status_code == 200
            assert response.json()["status"] == "already_processed"
        with in_tenant(tenant_a):
            assert sorted(Payment.objects.values_list("payment_reference", "outcome")) == [
                ("FIRST", "applied"),
                ("SECOND", "duplicate"),
            ]
            assert Bill.objects.get(pk=bill.pk).payment_reference == "FIRST"
        assert len(events(tenant_a, in_tenant, "licensing.payment_duplicate")) == 1
        assert len(events(tenant_a, in_tenant, "licensing.application_paid")) == 1

    @pytest.mark.parametrize(
        "forge",
        [
            lambda body, headers: (body, {rules.SIGNATURE_HEADER: "sha256=" + "0" * 64}),
            lambda body, headers: (body, {}),
            lambda body, headers: (body.replace(b'"amount": 1500000', b'"amount": 1'), headers),
            lambda body, headers: (
                body,
                {rules.SIGNATURE_HEADER: rules.sign_callback(b"bukan-rahasia", body)},
            ),
        ],
        ids=["wrong-signature", "no-signature", "tampered-body", "wrong-secret"],
    )
    def test_a_forged_callback_is_refused_and_recorded(self, tenant_a, in_tenant, forge):
        bill = make_bill(tenant_a, fee_amount=1_500_000)
        body, headers = forge(*signed_callback(bill))
        before = state(tenant_a, in_tenant, bill)
        response = post(tenant_a, body, headers)
        assert response.status_code == 403
        assert response.json() == {
            "error": {
                "code": "invalid_signature",
                "message": "Tanda tangan callback tidak sah.",
                "fields": {},
            }
        }
        assert state(tenant_a, in_tenant, bill) == before
        forged = events(tenant_a, in_tenant, "licensing.payment_callback_forged")
        assert len(forged) == 1
        assert forged[0].object_id == str(bill.pk)
        assert forged[0].ip_address == "127.0.0.1"
        assert not events(tenant_a, in_tenant, "licensing.bill_paid")

    def test_junk_naming_no_bill_is_refused_without_growing_the_chain(self, tenant_a, in_tenant):
        make_bill(tenant_a)
        with in_tenant(tenant_a):
            before = AuditEvent.objects.count()
        response = post(tenant_a, b'{"hello": "world"}', {rules.SIGNATURE_HEADER: "sha256=00"})
        assert response.status_code == 403
        with in_tenant(tenant_a):
            assert AuditEvent.objects.count() == before

    def test_a_callback_for_another_tenant_is_forged_there_and_changes_nothing_here(
        self, tenant_a, tenant_b, in_tenant
    ):
        bill = make_bill(tenant_a)
        before = state(tenant_a, in_tenant, bill)
        response = post(tenant_b, *signed_callback(bill))
        assert response.status_code == 403
        assert state(tenant_a, in_tenant, bill) == before
        assert not events(tenant_b, in_tenant, "licensing.payment_callback_forged")
        assert not events(tenant_a, in_tenant, "licensing.payment_callback_forged")

    def test_an_amount_mismatch_is_refused_and_recorded(self, tenant_a, in_tenant):
        bill = make_bill(tenant_a, fee_amount=1_500_000)
        before = state(tenant_a, in_tenant, bill)
        response = post(tenant_a, *signed_callback(bill, amount=150_000))
        assert response.status_code == 409
        assert response.json()["error"] == {
            "code": "amount_mismatch",
            "message": "Jumlah pembayaran Rp150.000 tidak sama dengan tagihan Rp1.500.000.",
            "fields": {},
        }
        assert state(tenant_a, in_tenant, bill) == before
        recorded = events(tenant_a, in_tenant, "licensing.payment_amount_mismatch")
        assert len(recorded) == 1
        assert '"amount_claimed":150000' in recorded[0].data and '"amount_billed":1500000' in recorded[0].data

    def test_an_expired_bill_cannot_be_paid(self, tenant_a, in_tenant):
        from praja.modules.licensing.payments.actions import expire_overdue_bills

        bill = make_bill(tenant_a)
        with in_tenant(tenant_a):
            expire_overdue_bills(now=bill.due_at.replace(year=bill.due_at.year + 1))
        before = state(tenant_a, in_tenant, bill)
        response = post(tenant_a, *signed_callback(bill))
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "bill_expired"
        assert state(tenant_a, in_tenant, bill) == before
        assert len(events(tenant_a, in_tenant, "licensing.payment_after_expiry")) == 1

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            (b"not json", "Isi callback bukan JSON yang sah."),
            (b"[1, 2]", "Isi callback harus berupa objek JSON."),
            (b'{"billing_code": "1234567890123456"}', "Kode bayar tidak sah."),
        ],
    )
    def test_a_signed_but_unreadable_notice_is_refused(self, tenant_a, body, message):
        from praja.modules.licensing.payments.gateway import tenant_callback_secret

        headers = {rules.SIGNATURE_HEADER: rules.sign_callback(tenant_callback_secret(tenant_a), body)}
        response = post(tenant_a, body, headers)
        assert response.status_code == 400
        assert response.json()["error"] == {"code": "malformed_callback", "message": message, "fields": {}}

    def test_naive_payment_time_is_refused(self, tenant_a, in_tenant):
        bill = make_bill(tenant_a)
        response = post(tenant_a, *signed_callback(bill, paid_at="2026-03-02T10:15:00"))
        assert response.status_code == 400
        assert response.json()["error"]["message"] == "Waktu pembayaran harus ISO 8601 dengan zona waktu."

    def test_an_unknown_billing_code_answers_not_found(self, tenant_a, in_tenant):
        bill = make_bill(tenant_a)
        other = rules.make_billing_code(tenant_code="32.73", year=2026, serial=1)
        response = post(tenant_a, *signed_callback(bill, billing_code=other))
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"

    def test_only_post_is_allowed(self, tenant_a):
        response = Client().get(callback_url(tenant_a), HTTP_ACCEPT="application/json")
        assert response.status_code == 405

    def test_a_configured_secret_replaces_the_derived_one(self, tenant_a, in_tenant):
        from praja.core.tenancy.models import TenantModule

        with in_tenant(tenant_a):
            TenantModule.objects.create(
                module="licensing", parameters={"payment_callback_secret": "disepakati-bank"}
            )
        bill = make_bill(tenant_a)
        derived = rules.derive_callback_secret(settings.SECRET_KEY, tenant_a.code)
        assert post(tenant_a, *signed_callback(bill, secret=derived)).status_code == 403
        assert post(tenant_a, *signed_callback(bill, secret=b"disepakati-bank")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_sixteen_concurrent_identical_callbacks_make_one_payment(tenant_a, in_tenant):
    bill = make_bill(tenant_a)
    body, headers = signed_callback(bill, payment_reference="CONCURRENT-1")
    barrier = threading.Barrier(16)
    answers: list = [None] * 16

    def deliver(index: int) -> None:
        try:
            client = Client()
            barrier.wait(timeout=30)
            response = post(tenant_a, body, headers, client=client)
            answers[index] = (response.status_code, json.loads(response.content).get("status"))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(index,)) for index in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(answers) == [(200, "already_processed")] * 15 + [(200, "processed")]
    with in_tenant(tenant_a):
        assert Payment.objects.count() == 1
        assert Bill.objects.get(pk=bill.pk).status == BillStatus.PAID
    assert len(events(tenant_a, in_tenant, "licensing.bill_paid")) == 1
    assert len(events(tenant_a, in_tenant, "licensing.application_paid")) == 1
