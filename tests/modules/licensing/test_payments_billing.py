"""Retribusi bills: create_bill (idempotent, due date in working days), the bill snippet, expiry."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory

from praja.core.audit.models import AuditEvent
from praja.modules.licensing.payments import rules
from praja.modules.licensing.payments.actions import create_bill, expire_overdue_bills
from praja.modules.licensing.payments.models import Bill, BillStatus
from praja.modules.licensing.payments.testing import make_application, make_bill, make_permit_type

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
FRIDAY_MORNING = datetime.datetime(2026, 1, 23, 10, 0, tzinfo=WIB)


def test_bill_carries_a_valid_code_the_fee_and_is_audited(tenant_a, in_tenant):
    application = make_application(tenant_a, fee_amount=1_500_000)
    with in_tenant(tenant_a):
        bill = create_bill(application=application, now=FRIDAY_MORNING)
        assert bill.amount == 1_500_000
        assert bill.status == BillStatus.UNPAID
        assert bill.provider == "simulator"
        assert rules.is_valid_billing_code(bill.billing_code)
        assert bill.billing_code.startswith("327326")  # Kota Bandung 32.73, year 2026
        event = AuditEvent.objects.get(event_type="licensing.bill_created")
        assert event.object_id == str(bill.pk)
        assert '"amount":1500000' in event.data
        assert application.tracking_number in event.data


def test_due_date_is_the_end_of_the_seventh_working_day(tenant_a, in_tenant):
    application = make_application(tenant_a)
    with in_tenant(tenant_a):
        bill = create_bill(application=application, now=FRIDAY_MORNING)
    # Mon 26, Tue 27, Wed 28, Thu 29, Fri 30 January, Mon 2, Tue 3 February 2026.
    assert bill.due_at.astimezone(WIB) == datetime.datetime(2026, 2, 3, 23, 59, 59, 999999, tzinfo=WIB)


def test_due_date_skips_the_tenants_own_day_off_and_follows_its_parameter(tenant_a, in_tenant, make_person):
    from praja.core.calendar.actions import add_tenant_holiday
    from praja.core.tenancy.models import TenantModule

    admin = make_person(tenant_a, roles=["tenant_admin"])
    with in_tenant(tenant_a):
        add_tenant_holiday(actor=admin, date=datetime.date(2026, 1, 27), name="Hari Jadi Kota Uji")
        TenantModule.objects.create(module="licensing", parameters={"payment_due_working_days": 3})
    application = make_application(tenant_a)
    with in_tenant(tenant_a):
        bill = create_bill(application=application, now=FRIDAY_MORNING)
    # Mon 26, (Tue 27 is the city's day off), Wed 28, Thu 29.
    assert bill.due_at.astimezone(WIB).date() == datetime.date(2026, 1, 29)


def test_create_bill_is_idempotent_per_application(tenant_a, in_tenant):
    application = make_application(tenant_a)
    with in_tenant(tenant_a):
        first = create_bill(application=application)
        second = create_bill(application=application)
        assert first.pk == second.pk
        assert Bill.objects.count() == 1
        assert AuditEvent.objects.filter(event_type="licensing.bill_created").count() == 1


@pytest.mark.parametrize(
    ("status", "fee", "message"),
    [
        ("registered", 1_500_000, "Tagihan retribusi hanya dibuat untuk permohonan yang sudah disetujui."),
        ("awaiting_payment", 0, "Permohonan ini tidak dikenai retribusi."),
    ],
)
def test_no_bill_before_approval_or_for_a_free_permit(tenant_a, in_tenant, status, fee, message):
    application = make_application(tenant_a, status=status, fee_amount=fee)
    with in_tenant(tenant_a), pytest.raises(ValidationError) as refused:
        create_bill(application=application)
    assert refused.value.messages == [message]
    with in_tenant(tenant_a):
        assert not Bill.objects.exists()
        assert not AuditEvent.objects.filter(event_type="licensing.bill_created").exists()


def test_bill_snippet_shows_code_rupiah_due_date_in_tenant_time_and_pay_button(tenant_wita, in_tenant):
    application = make_application(tenant_wita, fee_amount=1_500_000)
    with in_tenant(tenant_wita):
        bill = create_bill(application=application, now=FRIDAY_MORNING)
        html = Template('{% include "licensing_payments/_bill.html" %}').render(
            Context({"application": application, "request": RequestFactory().get("/")})
        )
    grouped = " ".join(bill.billing_code[index : index + 4] for index in range(0, 16, 4))
    assert grouped in html
    assert "Rp1.500.000" in html
    # Kota Mataram is WITA: the end of 3 February local time, shown as such.
    assert "3 Februari 2026, 23:59 WITA" in html
    assert f'href="/t/{tenant_wita.slug}/licensing/payments/simulator/{bill.billing_code}/"' in html
    assert ">Bayar<" in html
    assert "<form" not in html and "<button" not in html  # no manual "paid" control, only the gateway


def test_bill_snippet_renders_nothing_without_a_bill(tenant_a, in_tenant):
    application = make_application(tenant_a, status="registered")
    with in_tenant(tenant_a):
        html = Template('{% include "licensing_payments/_bill.html" %}').render(
            Context({"application": application})
        )
    assert html.strip() == ""


def test_no_pay_button_when_the_simulator_is_off(tenant_a, in_tenant, settings):
    settings.PRAJA_PAYMENT_SIMULATOR = False
    bill = make_bill(tenant_a)
    with in_tenant(tenant_a):
        html = Template('{% include "licensing_payments/_bill.html" %}').render(
            Context({"application": bill.application})
        )
    assert bill.billing_code[:4] in html
    assert ">Bayar<" not in html


def test_overdue_unpaid_bills_expire_once_with_their_application(tenant_a, in_tenant):
    from praja.modules.licensing.payments.tasks import expire_overdue_bills_for_tenant

    application = make_application(tenant_a)
    with in_tenant(tenant_a):
        bill = create_bill(application=application, now=FRIDAY_MORNING)
        assert expire_overdue_bills(now=datetime.datetime(2026, 2, 3, 23, 0, tzinfo=WIB)) == 0
        assert expire_overdue_bills(now=datetime.datetime(2026, 2, 4, 0, 1, tzinfo=WIB)) == 1
        assert expire_overdue_bills(now=datetime.datetime(2026, 2, 5, tzinfo=WIB)) == 0
        assert expire_overdue_bills_for_tenant(tenant_a) == 0
        bill.refresh_from_db()
        application.refresh_from_db()
        assert bill.status == BillStatus.EXPIRED
        assert application.status == "expired"
        assert AuditEvent.objects.filter(event_type="licensing.bill_expired").count() == 1
        assert AuditEvent.objects.filter(event_type="licensing.application_expired").count() == 1
        with pytest.raises(ValidationError):
            create_bill(application=application)  # an expired application is not billed again


def test_billing_codes_of_many_bills_are_distinct_and_valid(tenant_a, in_tenant):
    permit_type = make_permit_type(tenant_a)
    codes = {make_bill(tenant_a, permit_type=permit_type).billing_code for _ in range(30)}
    assert len(codes) == 30
    assert all(rules.is_valid_billing_code(code) for code in codes)
