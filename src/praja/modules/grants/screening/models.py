"""Beneficiary registry, screening flags and the standard unit price list (grants screening).

None of these models has a foreign key to the grants top-level models (Proposal, Organisation):
grants.Proposal points at `Beneficiary`, so a flag names its subject by `subject_type` (the model's
`_meta.label_lower`, e.g. "grants.proposal") and `subject_id`, which keeps the migrations acyclic.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from praja.core.tenancy.models import TenantScopedModel


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class DataSource(models.TextChoices):
    DTKS = "dtks", _("DTKS (Data Terpadu Kesejahteraan Sosial)")
    DTSEN = "dtsen", _("DTSEN (Data Tunggal Sosial dan Ekonomi Nasional)")
    LOCAL = "local", _("Verifikasi lapangan pemerintah daerah")
    CITIZEN = "citizen", _("Akun warga (pendaftaran mandiri)")


class ScreeningStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu penyaringan")
    RUNNING = "running", _("Sedang disaring")
    DONE = "done", _("Penyaringan selesai")
    FAILED = "failed", _("Penyaringan gagal")


class ImportBatch(TenantScopedModel):
    """One uploaded spreadsheet of beneficiaries and what became of its rows.

    The rows are saved in the upload's transaction; screening them against the registry is a
    background task (it compares with the whole registry), so the batch carries its progress.
    """

    original_name = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # The imported file itself, kept by core.documents (immutable, same SHA-256) for the auditor.
    # Empty for batches imported before the files were kept.
    stored_file = models.ForeignKey(
        "documents.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("berkas asli"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("pengunggah")
    )
    created_at = models.DateTimeField(_("diunggah pada"), auto_now_add=True)
    total_rows = models.PositiveIntegerField(_("jumlah baris"), default=0)
    imported_count = models.PositiveIntegerField(_("baris diterima"), default=0)
    rejected_count = models.PositiveIntegerField(_("baris ditolak"), default=0)
    screening_status = models.CharField(
        _("status penyaringan"),
        max_length=10,
        choices=ScreeningStatus.choices,
        default=ScreeningStatus.QUEUED,
    )
    screening_progress = models.PositiveSmallIntegerField(_("kemajuan penyaringan (%)"), default=0)
    screening_flags = models.PositiveIntegerField(_("temuan baru"), default=0)
    screening_started_at = models.DateTimeField(_("penyaringan dimulai"), null=True, blank=True)
    screening_finished_at = models.DateTimeField(_("penyaringan selesai"), null=True, blank=True)
    screening_error = models.TextField(_("galat penyaringan"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("impor penerima")
        verbose_name_plural = _("impor penerima")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.created_at:%Y-%m-%d})"


class ImportRejection(TenantScopedModel):
    """One row of an import that was not taken in, with every reason (in Indonesian)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rejections")
    row_number = models.PositiveIntegerField(_("baris"))
    values = models.JSONField(_("isi baris"), default=dict)
    reasons = models.JSONField(_("alasan"), default=list)

    class Meta:
        ordering = ["row_number", "pk"]
        verbose_name = _("baris ditolak")
        verbose_name_plural = _("baris ditolak")

    def __str__(self) -> str:
        return f"{self.batch_id}#{self.row_number}"


class Beneficiary(TenantScopedModel):
    """A person (and their household by KK number) who may receive bansos in this region."""

    nik = models.CharField(_("NIK"), max_length=16)
    kk_number = models.CharField(_("nomor KK"), max_length=16)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    birth_date = models.DateField(_("tanggal lahir"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    mother_name = models.CharField(_("nama ibu kandung"), max_length=150, blank=True)
    address = models.CharField(_("alamat"), max_length=255)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    area = models.ForeignKey(
        "reference.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("kelurahan/desa")
    )
    phone = models.CharField(_("nomor telepon"), max_length=20, blank=True)
    data_source = models.CharField(_("sumber data"), max_length=10, choices=DataSource.choices)
    source_reference = models.CharField(_("nomor referensi sumber data"), max_length=64, blank=True)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("akun warga"),
    )
    import_batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="beneficiaries"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("didaftarkan pada"), auto_now_add=True)

    class Meta:
        ordering = ["full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "nik"], name="grants_beneficiary_nik_unique"),
        ]
        indexes = [
            models.Index(fields=["tenant", "kk_number"], name="grants_benef_kk_idx"),
            models.Index(fields=["tenant", "birth_date"], name="grants_benef_birth_idx"),
        ]
        verbose_name = _("penerima bantuan")
        verbose_name_plural = _("penerima bantuan")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.nik[:6]}…)"


class FlagKind(models.TextChoices):
    DUPLICATE_NIK = "duplicate_nik", _("NIK sama")
    DUPLICATE_KK = "duplicate_kk", _("Nomor KK sama")
    DUPLICATE_BOARD_MEMBER = "duplicate_board_member", _("Pengurus sama di lembaga lain")
    BOARD_MEMBER_BANSOS = "board_member_bansos", _("Pengurus lembaga penerima hibah juga menerima bansos")
    DUPLICATE_BANK_ACCOUNT = "duplicate_bank_account", _("Rekening bank sama")
    DUPLICATE_PHONE = "duplicate_phone", _("Nomor telepon sama")
    DUPLICATE_ADDRESS = "duplicate_address", _("Alamat sama")
    NEAR_DUPLICATE_PERSON = "near_duplicate_person", _("Kemungkinan orang yang sama (NIK berbeda)")
    DUPLICATE_DOCUMENT = "duplicate_document", _("Dokumen/foto sama (SHA-256)")
    FUNDED_PREVIOUS_YEAR = "funded_previous_year", _("Menerima hibah tahun sebelumnya")
    PRICE_ABOVE_STANDARD = "price_above_standard", _("Harga satuan RAB di atas standar")
    BANK_NAME_MISMATCH = "bank_name_mismatch", _("Nama pemilik rekening tidak sesuai")
    LPJ_OVERDUE = "lpj_overdue", _("LPJ terlambat")
    OTHER = "other", _("Lainnya")


class FlagSeverity(models.TextChoices):
    LOW = "low", _("Rendah")
    MEDIUM = "medium", _("Sedang")
    HIGH = "high", _("Tinggi")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    CLEARED = "cleared", _("Dinyatakan tidak bermasalah")


class Flag(TenantScopedModel):
    """A screening finding about one subject (proposal, beneficiary, organisation, payment...).

    `dedup_key` identifies the finding (kind + subject + the other records involved); at most one
    open flag per key exists, so screening again does not duplicate it.
    """

    kind = models.CharField(_("jenis"), max_length=32, choices=FlagKind.choices)
    severity = models.CharField(
        _("tingkat"), max_length=10, choices=FlagSeverity.choices, default=FlagSeverity.MEDIUM
    )
    subject_type = models.CharField(_("jenis objek"), max_length=64)
    subject_id = models.PositiveBigIntegerField(_("id objek"))
    subject_label = models.CharField(_("objek"), max_length=200, blank=True)
    explanation = models.TextField(_("penjelasan"))
    evidence = models.JSONField(_("bukti"), default=dict, blank=True)
    dedup_key = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cleared_at = models.DateTimeField(_("diselesaikan pada"), null=True, blank=True)
    clear_reason = models.TextField(_("alasan penyelesaian"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "dedup_key"],
                condition=Q(status="open"),
                name="grants_flag_open_dedup_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "subject_type", "subject_id"], name="grants_flag_subject_idx"),
            models.Index(fields=["tenant", "status", "kind"], name="grants_flag_status_idx"),
        ]
        verbose_name = _("temuan penyaringan")
        verbose_name_plural = _("temuan penyaringan")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.subject_label or self.subject_type}"


class StandardUnitPrice(TenantScopedModel):
    """One line of the tenant's standard unit price list (standar satuan harga, SSH) for a year."""

    code = models.CharField(_("kode"), max_length=40)
    description = models.CharField(_("uraian"), max_length=255)
    unit = models.CharField(_("satuan"), max_length=30)
    price = models.BigIntegerField(_("harga (Rp)"))
    year = models.PositiveSmallIntegerField(_("tahun"))

    class Meta:
        ordering = ["year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "year", "code"], name="grants_ssh_year_code_unique"),
        ]
        verbose_name = _("standar satuan harga")
        verbose_name_plural = _("standar satuan harga")

    def __str__(self) -> str:
        return f"{self.year} {self.code} {self.description}"
