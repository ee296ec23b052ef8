"""Money and accountability of a grant after its NPHD: tranches, payment orders, transfer batches,
LPJ reports, and the public's complaints.

A tranche's status changes only through the workflow "grants_funds.tranche" (transitions.py). A
Disbursement is the one payment order of a tranche (unique per tranche and per idempotency key),
carrying a snapshot of the verified bank account it pays to; its confirmation (SP2D number, the
bank's reference) is what makes the tranche PAID. The LPJ's stage lives on the proposal (G1's
workflow "grants.proposal"); LpjReport keeps each submission and its review.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from praja.core.tenancy.models import TenantScopedModel


class TrancheStatus(models.TextChoices):
    REQUESTED = "requested", _("Diajukan")
    VERIFIED = "verified", _("Diverifikasi")
    APPROVED = "approved", _("Disetujui")
    IN_TRANSFER = "in_transfer", _("Dalam proses transfer")
    PAID = "paid", _("Dicairkan")
    CANCELLED = "cancelled", _("Dibatalkan")


class Tranche(TenantScopedModel):
    """One tahap of a grant's payment: its number within the proposal, amount and stage."""

    proposal = models.ForeignKey("grants.Proposal", on_delete=models.PROTECT, related_name="tranches")
    programme = models.ForeignKey("grants.Programme", on_delete=models.PROTECT, related_name="tranches")
    number = models.PositiveSmallIntegerField(_("tahap"))
    amount = models.PositiveBigIntegerField(_("jumlah (Rupiah)"))
    status = models.CharField(
        _("status"), max_length=12, choices=TrancheStatus.choices, default=TrancheStatus.REQUESTED
    )
    version = models.PositiveIntegerField(default=0)
    idempotency_key = models.CharField(max_length=80)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    requested_at = models.DateTimeField(_("diajukan"), auto_now_add=True)
    paid_at = models.DateTimeField(_("dicairkan"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "proposal", "number"], name="grants_funds_tranche_number_unique"
            ),
            models.UniqueConstraint(
                fields=["tenant", "idempotency_key"], name="grants_funds_tranche_key_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "programme", "status"]),
            models.Index(fields=["tenant", "status", "requested_at"]),
        ]
        ordering = ["proposal_id", "number"]
        verbose_name = _("tahap pencairan")
        verbose_name_plural = _("tahap pencairan")

    def __str__(self) -> str:
        return f"{self.proposal_id}/{self.number}"


class TransferBatch(TenantScopedModel):
    """The finance office's batch of LS transfers (one CSV file handed to the bank)."""

    number = models.CharField(_("nomor berkas"), max_length=40)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    line_count = models.PositiveIntegerField(_("jumlah baris"), default=0)
    total_amount = models.PositiveBigIntegerField(_("total (Rupiah)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "number"], name="grants_funds_batch_number_unique")
        ]
        ordering = ["-created_at", "-pk"]
        verbose_name = _("berkas transfer")
        verbose_name_plural = _("berkas transfer")

    def __str__(self) -> str:
        return self.number


class Disbursement(TenantScopedModel):
    """The payment order (LS) of one tranche, to a snapshot of the verified bank account.

    Exactly one per tranche (a unique constraint, behind the row locks of the action) and one per
    idempotency key, so a retried or concurrent request finds it instead of paying twice. The amount
    equals the tranche amount: nothing is deducted (no potongan).
    """

    tranche = models.OneToOneField(Tranche, on_delete=models.PROTECT, related_name="disbursement")
    idempotency_key = models.CharField(max_length=80)
    amount = models.PositiveBigIntegerField(_("jumlah (Rupiah)"))
    reference = models.CharField(_("referensi"), max_length=40)
    description = models.CharField(_("uraian"), max_length=140)
    beneficiary_name = models.CharField(_("nama penerima"), max_length=200)
    bank_account_id = models.PositiveBigIntegerField()
    bank_name = models.CharField(_("bank"), max_length=100)
    account_number = models.CharField(_("nomor rekening"), max_length=40)
    account_holder = models.CharField(_("nama pemilik rekening"), max_length=200)
    batch = models.ForeignKey(
        TransferBatch, on_delete=models.PROTECT, related_name="disbursements", null=True, blank=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sp2d_number = models.CharField(_("nomor SP2D"), max_length=60, blank=True)
    sp2d_date = models.DateField(_("tanggal SP2D"), null=True, blank=True)
    bank_reference = models.CharField(_("referensi bank"), max_length=80, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    confirmed_at = models.DateTimeField(_("dikonfirmasi"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "idempotency_key"], name="grants_funds_disbursement_key_unique"
            ),
            models.UniqueConstraint(
                fields=["tenant", "reference"], name="grants_funds_disbursement_reference_unique"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "batch"])]
        ordering = ["pk"]
        verbose_name = _("perintah pembayaran")
        verbose_name_plural = _("perintah pembayaran")

    def __str__(self) -> str:
        return self.reference


class LpjReport(TenantScopedModel):
    """One submission of a recipient's accountability report (LPJ) and its review."""

    proposal = models.ForeignKey("grants.Proposal", on_delete=models.PROTECT, related_name="lpj_reports")
    revision = models.PositiveSmallIntegerField(_("revisi ke"), default=1)
    usage_report = models.TextField(_("laporan penggunaan hibah"))
    value_reported = models.PositiveBigIntegerField(_("nilai yang dipertanggungjawabkan (Rupiah)"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("diserahkan"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(_("diperiksa"), null=True, blank=True)
    is_accepted = models.BooleanField(null=True)
    review_reasons = models.TextField(_("alasan"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "proposal", "revision"], name="grants_funds_lpj_revision_unique"
            )
        ]
        ordering = ["proposal_id", "revision"]
        verbose_name = _("laporan pertanggungjawaban")
        verbose_name_plural = _("laporan pertanggungjawaban")

    def __str__(self) -> str:
        return f"LPJ {self.proposal_id}/{self.revision}"


class LpjAttachmentKind(models.TextChoices):
    STATEMENT = "statement", _("Surat pernyataan tanggung jawab")
    RECEIPTS = "receipts", _("Bukti pengeluaran")
    PHOTO = "photo", _("Foto kegiatan")


class LpjAttachment(TenantScopedModel):
    lpj = models.ForeignKey(LpjReport, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(max_length=12, choices=LpjAttachmentKind.choices)
    stored_file = models.ForeignKey("documents.StoredFile", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("lampiran LPJ")
        verbose_name_plural = _("lampiran LPJ")

    def __str__(self) -> str:
        return f"{self.lpj_id}:{self.kind}"


class Complaint(TenantScopedModel):
    """A public report ("Laporkan") about one grant, handled by the inspectorate."""

    proposal = models.ForeignKey("grants.Proposal", on_delete=models.PROTECT, related_name="complaints")
    reporter_name = models.CharField(_("nama (boleh dikosongkan)"), max_length=120, blank=True)
    reporter_contact = models.CharField(_("kontak (boleh dikosongkan)"), max_length=120, blank=True)
    text = models.TextField(_("isi laporan"))
    tracking_code = models.CharField(_("kode laporan"), max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("jawaban"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "tracking_code"], name="grants_funds_complaint_code_unique"
            )
        ]
        indexes = [models.Index(fields=["tenant", "answered_at", "created_at"])]
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pengaduan hibah")
        verbose_name_plural = _("pengaduan hibah")

    def __str__(self) -> str:
        return self.tracking_code
