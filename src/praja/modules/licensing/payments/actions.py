"""Writers of retribusi billing: create a bill, record a gateway's payment, expire unpaid bills.

Every write locks the rows it depends on, records its audit event in the same transaction, and is
idempotent where a caller may retry: create_bill per application, record_payment per payment
reference. There is no action that marks a bill paid by hand (anti-pungli: no cash, no "paid"
button); only a verified gateway callback does.
"""

from __future__ import annotations

import datetime
import logging
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.audit.actions import record
from praja.core.calendar.selectors import add_working_days, local_date
from praja.core.tenancy.context import require_current_tenant
from praja.core.workflow.errors import WorkflowError
from praja.modules.licensing.models import Application, ApplicationStatus
from praja.modules.licensing.payments import rules
from praja.modules.licensing.payments.gateway import PaymentNotice, get_provider
from praja.modules.licensing.payments.models import Bill, BillStatus, Payment, PaymentOutcome

logger = logging.getLogger(__name__)

MODULE_NAME = "licensing"
DUE_DAYS_PARAMETER = "payment_due_working_days"
DEFAULT_DUE_WORKING_DAYS = 7
BILLABLE_STATUSES = (ApplicationStatus.APPROVED, ApplicationStatus.AWAITING_PAYMENT)

BILL_CREATED = "licensing.bill_created"
BILL_PAID = "licensing.bill_paid"
BILL_EXPIRED = "licensing.bill_expired"
PAYMENT_DUPLICATE = "licensing.payment_duplicate"
PAYMENT_NOT_APPLIED = "licensing.payment_not_applied"
CALLBACK_FORGED = "licensing.payment_callback_forged"
CALLBACK_AMOUNT_MISMATCH = "licensing.payment_amount_mismatch"
CALLBACK_AFTER_EXPIRY = "licensing.payment_after_expiry"
CALLBACK_REFERENCE_CONFLICT = "licensing.payment_reference_conflict"


def due_working_days(tenant) -> int:
    """The tenant's payment period in working days (module parameter, default 7)."""
    from praja.core.tenancy.models import TenantModule

    parameters = (
        TenantModule.all_tenants.filter(tenant=tenant, module=MODULE_NAME)
        .values_list("parameters", flat=True)
        .first()
        or {}
    )
    value = parameters.get(DUE_DAYS_PARAMETER, DEFAULT_DUE_WORKING_DAYS)
    return (
        value
        if isinstance(value, int) and not isinstance(value, bool) and value > 0
        else DEFAULT_DUE_WORKING_DAYS
    )


def _new_billing_code(tenant, now: datetime.datetime) -> str:
    year = local_date(tenant, now).year
    for _attempt in range(20):
        code = rules.make_billing_code(tenant_code=tenant.code, year=year, serial=secrets.randbelow(10**9))
        if not Bill.all_tenants.filter(tenant=tenant, billing_code=code).exists():
            return code
    raise RuntimeError("no free billing code after 20 random draws")


def create_bill(*, application: Application, now: datetime.datetime | None = None) -> Bill:
    """Issue the retribusi bill (SKRD) of an approved application; idempotent per application.

    Called by the licensing workflow when the application reaches the payment step, inside its
    transaction. Returns the application's live (unpaid or paid) bill when there is one. The amount
    is the fee computed at submission (`application.fee_amount`); the due date is the end of the
    tenant's `payment_due_working_days`-th working day (default 7) from now, in its timezone.
    """
    tenant = require_current_tenant()
    with transaction.atomic():
        # Lock the application first: two concurrent calls queue here and the second finds the bill.
        locked = Application.objects.select_for_update().get(pk=application.pk)
        existing = (
            Bill.objects.filter(application=locked, status__in=[BillStatus.UNPAID, BillStatus.PAID])
            .order_by("pk")
            .first()
        )
        if existing is not None:
            return existing
        if locked.status not in BILLABLE_STATUSES:
            raise ValidationError(
                _("Tagihan retribusi hanya dibuat untuk permohonan yang sudah disetujui."),
                code="not_billable",
            )
        if locked.fee_amount <= 0:
            raise ValidationError(_("Permohonan ini tidak dikenai retribusi."), code="no_fee")
        now = now or timezone.now()
        provider = get_provider()
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    bill = Bill.objects.create(
                        application=locked,
                        billing_code=_new_billing_code(tenant, now),
                        amount=locked.fee_amount,
                        due_at=add_working_days(tenant, now, due_working_days(tenant)),
                        provider=provider.name,
                    )
                break
            except IntegrityError:
                continue  # a concurrent bill took the same random code; draw again
        else:
            raise RuntimeError("could not create a bill with a unique billing code")
        record(
            BILL_CREATED,
            obj=bill,
            data={
                "application_id": locked.pk,
                "tracking_number": locked.tracking_number or "",
                "billing_code": bill.billing_code,
                "amount": bill.amount,
                "due_at": bill.due_at.isoformat(),
                "provider": bill.provider,
            },
        )
    return bill


@dataclass(frozen=True)
class PaymentResult:
    """What a callback achieved: `status` is processed / already_processed, or a refusal code."""

    status: str
    bill: Bill | None
    message: str = ""
    http_status: int = 200

    @property
    def is_refusal(self) -> bool:
        return self.http_status >= 400


def _refuse(
    event: str, bill: Bill, notice: PaymentNotice, code: str, message: str, http_status: int, **extra
):
    record(
        event,
        obj=bill,
        data={
            "billing_code": bill.billing_code,
            "payment_reference": notice.payment_reference,
            "amount_claimed": notice.amount,
            "amount_billed": bill.amount,
            **extra,
        },
    )
    return PaymentResult(code, bill, message, http_status)


def _apply_payment(bill: Bill, notice: PaymentNotice, provider: str, now: datetime.datetime) -> None:
    bill.status = BillStatus.PAID
    bill.paid_at = notice.paid_at
    bill.payment_reference = notice.payment_reference
    bill.payment_channel = notice.channel
    bill.save(update_fields=["status", "paid_at", "payment_reference", "payment_channel"])
    Payment.objects.create(
        bill=bill,
        provider=provider,
        payment_reference=notice.payment_reference,
        channel=notice.channel,
        amount=notice.amount,
        paid_at=notice.paid_at,
        received_at=now,
        outcome=PaymentOutcome.APPLIED,
    )
    record(
        BILL_PAID,
        obj=bill,
        data={
            "application_id": bill.application_id,
            "billing_code": bill.billing_code,
            "amount": notice.amount,
            "payment_reference": notice.payment_reference,
            "channel": notice.channel,
            "provider": provider,
            "paid_at": notice.paid_at.isoformat(),
        },
    )
    _mark_application_paid(bill, notice)


def _mark_application_paid(bill: Bill, notice: PaymentNotice) -> None:
    # Imported here: the licensing actions import create_bill from this module.
    from praja.modules.licensing import actions as licensing_actions

    try:
        with transaction.atomic():
            licensing_actions.mark_application_paid(
                application=bill.application,
                payment_reference=notice.payment_reference,
                paid_at=notice.paid_at,
            )
    except WorkflowError as refused:
        # The money is in the treasury account either way: keep the bill paid, tell the auditors,
        # and let the gateway stop retrying.
        logger.warning(
            "payment %s for bill %s not applied: %s", notice.payment_reference, bill.billing_code, refused
        )
        record(
            PAYMENT_NOT_APPLIED,
            obj=bill,
            data={
                "application_id": bill.application_id,
                "payment_reference": notice.payment_reference,
                "reason": str(refused),
            },
        )


def record_payment(*, notice: PaymentNotice, provider: str) -> PaymentResult:
    """Apply a verified gateway notice to its bill; safe to call any number of times.

    The bill row is locked first, so concurrent deliveries of one notice queue and exactly one
    applies it. A payment reference seen before, or a bill already paid, answers
    "already_processed" and changes nothing (a second, different payment of a paid bill is kept
    as a DUPLICATE payment for refund, once). An amount that differs from the bill, a bill past
    its due date, or a reference already used for another bill is refused and recorded.
    """
    now = timezone.now()
    with transaction.atomic():
        bill = (
            Bill.objects.select_for_update(of=("self",))
            .select_related("application")
            .filter(billing_code=notice.billing_code)
            .first()
        )
        if bill is None:
            return PaymentResult("unknown_bill", None, _("Kode bayar tidak ditemukan."), 404)
        seen = Payment.objects.filter(provider=provider, payment_reference=notice.payment_reference).first()
        if seen is not None:
            if seen.bill_id != bill.pk:
                return _refuse(
                    CALLBACK_REFERENCE_CONFLICT,
                    bill,
                    notice,
                    "reference_conflict",
                    _("Referensi pembayaran ini sudah dipakai untuk tagihan lain."),
                    409,
                )
            return PaymentResult("already_processed", bill, _("Pembayaran ini sudah diproses."))
        if bill.status == BillStatus.PAID:
            Payment.objects.create(
                bill=bill,
                provider=provider,
                payment_reference=notice.payment_reference,
                channel=notice.channel,
                amount=notice.amount,
                paid_at=notice.paid_at,
                received_at=now,
                outcome=PaymentOutcome.DUPLICATE,
            )
            record(
                PAYMENT_DUPLICATE,
                obj=bill,
                data={
                    "billing_code": bill.billing_code,
                    "payment_reference": notice.payment_reference,
                    "amount": notice.amount,
                    "first_payment_reference": bill.payment_reference,
                },
            )
            return PaymentResult(
                "already_processed", bill, _("Tagihan ini sudah lunas; pembayaran ganda dicatat.")
            )
        if notice.amount != bill.amount:
            return _refuse(
                CALLBACK_AMOUNT_MISMATCH,
                bill,
                notice,
                "amount_mismatch",
                _("Jumlah pembayaran %(paid)s tidak sama dengan tagihan %(billed)s.")
                % {"paid": rules.format_rupiah(notice.amount), "billed": rules.format_rupiah(bill.amount)},
                409,
            )
        if bill.status == BillStatus.EXPIRED or now > bill.due_at:
            return _refuse(
                CALLBACK_AFTER_EXPIRY,
                bill,
                notice,
                "bill_expired",
                _("Tagihan ini sudah melewati jatuh tempo."),
                409,
            )
        _apply_payment(bill, notice, provider, now)
        return PaymentResult("processed", bill, _("Pembayaran diterima."))


def record_forged_callback(*, tenant, billing_code: str, reason: str, ip_address: str = "") -> bool:
    """Put a refused callback (bad signature) on the audit chain of the bill it claims to pay.

    A body that names no bill of this tenant is only logged: anyone can send junk, and the chain
    records events about the tenant's objects, not noise. Returns whether an event was recorded.
    """
    with transaction.atomic():
        bill = Bill.objects.filter(billing_code=billing_code).first() if billing_code else None
        if bill is None:
            logger.warning(
                "forged payment callback for tenant %s from %s: %s", tenant.code, ip_address, reason
            )
            return False
        record(
            CALLBACK_FORGED,
            obj=bill,
            ip_address=ip_address,
            data={"billing_code": bill.billing_code, "reason": reason},
        )
    return True


def expire_overdue_bills(*, now: datetime.datetime | None = None) -> int:
    """Mark the active tenant's unpaid bills past their due date EXPIRED; return how many.

    Run daily by the scheduler (tasks.expire_overdue_bills_task). The application still awaiting
    payment expires with it, through the licensing workflow (licensing.actions.expire_unpaid_application).
    """
    now = now or timezone.now()
    expired = 0
    with transaction.atomic():
        overdue = Bill.objects.select_for_update(of=("self",)).select_related("application")
        for bill in overdue.filter(status=BillStatus.UNPAID, due_at__lt=now).order_by("pk"):
            bill.status = BillStatus.EXPIRED
            bill.expired_at = now
            bill.save(update_fields=["status", "expired_at"])
            record(
                BILL_EXPIRED,
                obj=bill,
                data={"billing_code": bill.billing_code, "due_at": bill.due_at.isoformat()},
            )
            _expire_application(bill)
            expired += 1
    return expired


def _expire_application(bill: Bill) -> None:
    """Unpaid by the due date: the application expires too (KADALUARSA per Perda), as the system."""
    from praja.modules.licensing import actions as licensing_actions

    if bill.application.status != ApplicationStatus.AWAITING_PAYMENT:
        return
    try:
        with transaction.atomic():
            licensing_actions.expire_unpaid_application(application=bill.application)
    except WorkflowError as refused:
        logger.warning("application of bill %s not expired: %s", bill.billing_code, refused)
