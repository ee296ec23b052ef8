"""Reads of retribusi billing.

get_bill_for_application(application) -> Bill | None   the live bill (unpaid/paid), else the latest
get_bill_by_code(billing_code) -> Bill | None           in the active tenant, for the payment page
list_payments(bill) -> [Payment]
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When

from praja.modules.licensing.payments import rules
from praja.modules.licensing.payments.models import Bill, BillStatus, Payment


def get_bill_for_application(application) -> Bill | None:
    """The application's bill to show: the live one (unpaid or paid) first, else the newest expired."""
    if application is None or application.pk is None:
        return None
    live_first = Case(
        When(status__in=[BillStatus.UNPAID, BillStatus.PAID], then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        Bill.all_tenants.select_related("tenant")
        .filter(tenant_id=application.tenant_id, application_id=application.pk)
        .order_by(live_first, "-created_at", "-pk")
        .first()
    )


def get_bill_by_code(billing_code: str) -> Bill | None:
    """The active tenant's bill with this code (None for a malformed or unknown code)."""
    code = (billing_code or "").strip()
    if not rules.is_valid_billing_code(code):
        return None
    return Bill.objects.select_related("application__permit_type").filter(billing_code=code).first()


def list_payments(bill: Bill) -> list[Payment]:
    return list(Payment.objects.filter(bill=bill).order_by("received_at", "pk"))
