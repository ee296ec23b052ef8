"""Retribusi bills (SKRD with a billing code) and the payments a gateway reported for them.

A bill's status is not a workflow case: it changes only in this app's actions, under a row lock,
from UNPAID to PAID (a verified gateway callback) or to EXPIRED (the due date passed), each with an
audit event. The application it belongs to moves through the licensing workflow separately.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from praja.core.tenancy.models import TenantScopedModel


class BillStatus(models.TextChoices):
    UNPAID = "unpaid", _("Belum dibayar")
    PAID = "paid", _("Lunas")
    EXPIRED = "expired", _("Kedaluwarsa")


class PaymentChannel(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Transfer bank")
    VIRTUAL_ACCOUNT = "virtual_account", _("Virtual account")
    QRIS = "qris", _("QRIS")


class Bill(TenantScopedModel):
    """The retribusi bill (SKRD) of one application: a billing code, an amount and a due date."""

    application = models.ForeignKey("licensing.Application", on_delete=models.PROTECT, related_name="bills")
    billing_code = models.CharField(_("kode bayar"), max_length=16)
    amount = models.PositiveBigIntegerField(_("jumlah (Rupiah)"))
    due_at = models.DateTimeField(_("jatuh tempo"))
    status = models.CharField(
        _("status"), max_length=10, choices=BillStatus.choices, default=BillStatus.UNPAID
    )
    provider = models.CharField(_("penyedia pembayaran"), max_length=30)
    paid_at = models.DateTimeField(_("dibayar"), null=True, blank=True)
    payment_reference = models.CharField(_("referensi pembayaran"), max_length=80, blank=True)
    payment_channel = models.CharField(
        _("kanal pembayaran"), max_length=20, choices=PaymentChannel.choices, blank=True
    )
    expired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "billing_code"], name="licensing_bill_code_unique"),
            # One live bill per application: create_bill is idempotent, and a second unpaid bill
            # could be paid twice.
            models.UniqueConstraint(
                fields=["tenant", "application"],
                condition=Q(status__in=["unpaid", "paid"]),
                name="licensing_bill_one_live_per_application",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "status", "due_at"])]
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tagihan retribusi")
        verbose_name_plural = _("tagihan retribusi")

    def __str__(self) -> str:
        return self.billing_code

    @property
    def is_payable(self) -> bool:
        return self.status == BillStatus.UNPAID


class PaymentOutcome(models.TextChoices):
    APPLIED = "applied", _("Melunasi tagihan")
    DUPLICATE = "duplicate", _("Pembayaran ganda (perlu pengembalian)")


class Payment(TenantScopedModel):
    """One payment a gateway reported (a verified callback): the bukti setor linked to its bill.

    Unique per provider and payment reference, so a repeated or replayed callback finds its row
    and changes nothing. A second, different payment of a bill already paid is kept as DUPLICATE
    for the treasurer (Bendahara Penerimaan) to refund.
    """

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=30)
    payment_reference = models.CharField(_("referensi pembayaran"), max_length=80)
    channel = models.CharField(_("kanal"), max_length=20, choices=PaymentChannel.choices, blank=True)
    amount = models.PositiveBigIntegerField(_("jumlah (Rupiah)"))
    paid_at = models.DateTimeField(_("dibayar"))
    received_at = models.DateTimeField(_("diterima"))
    outcome = models.CharField(max_length=10, choices=PaymentOutcome.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "provider", "payment_reference"], name="licensing_payment_reference_unique"
            )
        ]
        ordering = ["received_at", "pk"]
        verbose_name = _("pembayaran")
        verbose_name_plural = _("pembayaran")

    def __str__(self) -> str:
        return f"{self.provider}:{self.payment_reference}"
