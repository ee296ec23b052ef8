"""Monthly close of e-Kinerja: per-employee TPP results, the close's versions, integrity signals.

A `MonthClose` is one version of a tenant's month: computed → approved (BKPSDM, second factor) →
locked. A locked close is never edited; a correction is a new version (with its reason) that goes
through the same steps. Each `EmployeeMonthResult` stores the inputs the figure came from (minutes,
working days, deductions, config version and weights), so the TPP is reproducible from stored
inputs with `rules.compute_tpp`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from praja.core.tenancy.models import TenantScopedModel


class CloseStatus(models.TextChoices):
    COMPUTED = "computed", _("Dihitung")
    APPROVED = "approved", _("Disetujui BKPSDM")
    LOCKED = "locked", _("Dikunci")


class MonthClose(TenantScopedModel):
    """One version of the monthly close of a tenant."""

    month = models.DateField(_("bulan"), help_text=_("Selalu tanggal 1."))
    version = models.PositiveIntegerField(_("versi"))
    status = models.CharField(
        _("status"), max_length=10, choices=CloseStatus.choices, default=CloseStatus.COMPUTED
    )
    config = models.ForeignKey("performance.PerformanceConfig", on_delete=models.PROTECT, related_name="+")
    config_version = models.PositiveIntegerField(_("versi konfigurasi"))
    working_days = models.PositiveSmallIntegerField(_("hari kerja efektif"))
    reason = models.TextField(_("alasan koreksi"), blank=True)
    previous = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    employee_count = models.PositiveIntegerField(_("jumlah pegawai"), default=0)
    total_ceiling = models.BigIntegerField(_("total pagu TPP (Rupiah)"), default=0)
    total_paid = models.BigIntegerField(_("total TPP dibayar (Rupiah)"), default=0)
    signal_count = models.PositiveIntegerField(_("jumlah sinyal integritas"), default=0)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    computed_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    locked_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "month", "version"], name="tpp_close_month_version_unique"
            )
        ]
        ordering = ["-month", "-version"]
        verbose_name = _("tutup buku bulanan kinerja")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} v{self.version}"

    @property
    def total_withheld(self) -> int:
        return self.total_ceiling - self.total_paid


class EmployeeMonthResult(TenantScopedModel):
    """One employee's month in one close version: inputs snapshot, components and withheld items."""

    close = models.ForeignKey(MonthClose, on_delete=models.CASCADE, related_name="results")
    employee = models.ForeignKey("performance.Employee", on_delete=models.PROTECT, related_name="+")
    # Snapshots at close time (the employee may move later; the list of that month must not).
    # No database constraint on the three snapshot keys: each is copied, in the close's own
    # transaction, from the employee's row and position, whose keys the database does check, and
    # on_delete (PROTECT, SET_NULL) is applied by Django either way. A large tenant's close inserts
    # tens of thousands of rows at once, and these three deferred checks were half of the
    # foreign-key work its commit waited for (tenant, close and employee keep theirs).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    employee_name = models.CharField(_("nama"), max_length=200)
    nip = models.CharField(_("NIP"), max_length=30, blank=True)
    org_unit = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    job_class = models.PositiveSmallIntegerField(_("kelas jabatan"))
    employment_type = models.CharField(_("jenis kepegawaian"), max_length=5)
    pay_status = models.CharField(_("status kepegawaian"), max_length=30)
    approved_minutes = models.PositiveIntegerField(_("menit disetujui"))
    expected_minutes = models.PositiveIntegerField(_("menit target"))
    productivity_percent = models.DecimalField(_("produktivitas (%)"), max_digits=5, decimal_places=2)
    deduction_percent = models.DecimalField(_("potongan disiplin (%)"), max_digits=5, decimal_places=2)
    discipline_percent = models.DecimalField(_("disiplin (%)"), max_digits=5, decimal_places=2)
    days_present = models.PositiveSmallIntegerField(_("hari hadir"), default=0)
    late_count = models.PositiveSmallIntegerField(_("jumlah TL"), default=0)
    early_leave_count = models.PositiveSmallIntegerField(_("jumlah PSW"), default=0)
    absent_days = models.PositiveSmallIntegerField(_("hari TK"), default=0)
    leave_days = models.PositiveSmallIntegerField(_("hari cuti/izin/sakit/DL"), default=0)
    entries_total = models.PositiveIntegerField(_("aktivitas diajukan"), default=0)
    entries_rejected = models.PositiveIntegerField(_("aktivitas ditolak"), default=0)
    class_amount = models.BigIntegerField(_("besaran TPP kelas"))
    ceiling = models.BigIntegerField(_("pagu TPP"))
    kinerja_part = models.BigIntegerField(_("bagian kinerja"))
    disiplin_part = models.BigIntegerField(_("bagian disiplin"))
    gross = models.BigIntegerField(_("TPP bruto"))
    # {"deductions": [[code, date, percent], ...], "weights": ..., "quota": ..., ...}
    inputs = models.JSONField(_("masukan perhitungan"))
    # [{"kind", "code", "date", "amount", "reason"}, ...] summing to ceiling − gross.
    withheld = models.JSONField(_("rincian yang tidak dibayarkan"), default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "close", "employee"], name="tpp_result_employee_unique"
            ),
            models.CheckConstraint(
                condition=Q(gross__gte=0) & Q(gross__lte=models.F("ceiling")), name="tpp_result_gross_range"
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "close", "org_unit"]),
            models.Index(fields=["tenant", "employee"]),
            models.Index(fields=["tenant", "supervisor"]),
        ]
        ordering = ["org_unit_id", "employee_name"]
        verbose_name = _("hasil bulanan pegawai")

    def __str__(self) -> str:
        return f"{self.employee_name} {self.gross}"

    @property
    def withheld_total(self) -> int:
        return self.ceiling - self.gross


class SignalKind(models.TextChoices):
    DAY_OVER_OFFICE_HOURS = "day_over_office_hours", _("Aktivitas harian melebihi jam kerja")
    DUPLICATE_EVIDENCE = "duplicate_evidence", _("Berkas bukti yang sama dipakai berulang")
    INSTANT_APPROVALS = "instant_approvals", _("Atasan menyetujui hampir semua aktivitas seketika")
    PAID_WHILE_ABSENT = "paid_while_absent", _("TPP dihitung untuk pegawai yang tidak hadir sebulan")
    LOCKED_MONTH_RECOMPUTED = "locked_month_recomputed", _("Bulan yang sudah dikunci dihitung ulang")
    OVERLAP_ATTEMPT = "overlap_attempt", _("Percobaan input aktivitas yang tumpang tindih")


class IntegritySignal(TenantScopedModel):
    """A red flag for the inspectorate: what, about whom, which month, why, and the evidence."""

    kind = models.CharField(_("jenis"), max_length=40, choices=SignalKind.choices)
    subject_type = models.CharField(_("jenis subjek"), max_length=40)
    subject_id = models.CharField(_("subjek"), max_length=64)
    subject_label = models.CharField(_("nama subjek"), max_length=200, blank=True)
    org_unit = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    month = models.DateField(_("bulan"))
    explanation = models.TextField(_("penjelasan"))
    evidence = models.JSONField(_("bukti"), default=dict)
    close = models.ForeignKey(
        MonthClose, on_delete=models.SET_NULL, null=True, blank=True, related_name="signals"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "kind", "subject_type", "subject_id", "month"], name="tpp_signal_dedup"
            )
        ]
        indexes = [models.Index(fields=["tenant", "month", "kind"])]
        ordering = ["-month", "kind", "subject_label"]
        verbose_name = _("sinyal integritas")

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_type}:{self.subject_id} {self.month:%Y-%m}"
