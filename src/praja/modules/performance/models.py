"""Civil-servant performance (e-Kinerja / Bandung's e-RK): master data, activity log, attendance.

`PerformanceConfig` is BKPSDM's master data as a dated version: quota, office hours, deadlines,
deduction table, TPP amounts per job class (`JobClassAllowance`) and the activity catalogue
(`Activity`). An approved version is frozen; a new version supersedes it from its own month, and a
month is always computed with the version in force for that month (`selectors.config_for_month`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from praja.core.tenancy.models import TenantScopedModel


def default_office_hours() -> dict:
    # Weekday (0 = Monday) -> [start, end]; Perpres 21/2023 leaves the daily split to the region.
    return {
        "0": ["07:30", "16:00"],
        "1": ["07:30", "16:00"],
        "2": ["07:30", "16:00"],
        "3": ["07:30", "16:00"],
        "4": ["07:30", "16:30"],
    }


def default_breaks() -> dict:
    # Weekday -> list of [start, end] break windows (Friday prayers take a longer break).
    return {
        "0": [["12:00", "13:00"]],
        "1": [["12:00", "13:00"]],
        "2": [["12:00", "13:00"]],
        "3": [["12:00", "13:00"]],
        "4": [["11:30", "13:00"]],
    }


def default_lateness_brackets() -> list:
    # [from minute, percent] — Kab. Toba's table (domain brief §6.5): 1–30 0.5 %, 31–60 1 %,
    # 61–90 1.25 %, >= 91 or no record 1.5 %. The same brackets apply to early leave (PSW1–PSW4).
    return [[1, "0.50"], [31, "1.00"], [61, "1.25"], [91, "1.50"]]


def default_unpaid_statuses() -> list:
    return ["cuti_luar_tanggungan", "tugas_belajar", "diberhentikan_sementara", "mpp"]


class ConfigStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    APPROVED = "approved", _("Disetujui")


class UnvalidatedPolicy(models.TextChoices):
    COUNT_ZERO = "count_zero", _("Tidak dihitung (0 menit)")
    AUTO_APPROVE = "auto_approve", _("Disetujui otomatis setelah batas validasi")


class PerformanceConfig(TenantScopedModel):
    """One dated version of BKPSDM's performance rules; frozen once approved."""

    version = models.PositiveIntegerField(_("versi"))
    effective_from = models.DateField(_("berlaku mulai (bulan)"), help_text=_("Selalu tanggal 1."))
    status = models.CharField(
        _("status"), max_length=10, choices=ConfigStatus.choices, default=ConfigStatus.DRAFT
    )
    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    daily_quota_minutes = models.PositiveSmallIntegerField(_("kuota menit efektif per hari"), default=300)
    office_hours = models.JSONField(_("jam kerja per hari"), default=default_office_hours)
    break_windows = models.JSONField(_("jam istirahat"), default=default_breaks)
    tolerance_before_minutes = models.PositiveSmallIntegerField(
        _("toleransi sebelum jam masuk (menit)"), default=60
    )
    tolerance_after_minutes = models.PositiveSmallIntegerField(
        _("toleransi setelah jam pulang (menit)"), default=120
    )
    entry_deadline_working_days = models.PositiveSmallIntegerField(
        _("batas input (H+ hari kerja)"), default=3
    )
    validation_deadline_day = models.PositiveSmallIntegerField(
        _("batas validasi (tanggal bulan berikutnya)"), default=5
    )
    unvalidated_policy = models.CharField(
        _("kebijakan aktivitas belum divalidasi"),
        max_length=20,
        choices=UnvalidatedPolicy.choices,
        default=UnvalidatedPolicy.COUNT_ZERO,
    )
    additional_task_weight = models.DecimalField(
        _("bobot tugas tambahan"), max_digits=3, decimal_places=2, default=Decimal("0.50")
    )
    checkin_requires_location = models.BooleanField(_("presensi wajib lokasi"), default=False)
    checkin_requires_photo = models.BooleanField(_("presensi wajib foto"), default=False)
    office_latitude = models.DecimalField(
        _("lintang kantor"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    office_longitude = models.DecimalField(
        _("bujur kantor"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    geofence_radius_m = models.PositiveIntegerField(_("radius presensi (meter)"), default=200)
    lateness_brackets = models.JSONField(_("potongan terlambat (TL1–TL4)"), default=default_lateness_brackets)
    early_leave_brackets = models.JSONField(
        _("potongan pulang sebelum waktunya (PSW1–PSW4)"), default=default_lateness_brackets
    )
    absent_deduction_percent = models.DecimalField(
        _("potongan tanpa keterangan per hari (%)"), max_digits=5, decimal_places=2, default=Decimal("3.00")
    )
    apel_absence_deduction_percent = models.DecimalField(
        _("potongan tidak ikut apel (%)"), max_digits=5, decimal_places=2, default=Decimal("2.00")
    )
    deduction_cap_percent = models.DecimalField(
        _("batas potongan (%)"), max_digits=5, decimal_places=2, default=Decimal("100.00")
    )
    kinerja_weight_percent = models.DecimalField(
        _("bobot kinerja (%)"), max_digits=5, decimal_places=2, default=Decimal("60.00")
    )
    disiplin_weight_percent = models.DecimalField(
        _("bobot disiplin (%)"), max_digits=5, decimal_places=2, default=Decimal("40.00")
    )
    cpns_percent = models.DecimalField(
        _("persentase TPP CPNS (%)"), max_digits=5, decimal_places=2, default=Decimal("80.00")
    )
    unpaid_statuses = models.JSONField(
        _("status pegawai yang tidak dibayar TPP"), default=default_unpaid_statuses
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    row_version = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "version"], name="perf_config_version_unique"),
            models.UniqueConstraint(
                fields=["tenant", "effective_from"],
                condition=Q(status="approved"),
                name="perf_config_one_approved_per_month",
            ),
        ]
        ordering = ["-effective_from", "-version"]
        verbose_name = _("konfigurasi kinerja")

    def __str__(self) -> str:
        return f"v{self.version} ({self.effective_from:%Y-%m})"

    @property
    def is_frozen(self) -> bool:
        return self.status == ConfigStatus.APPROVED


class JobClassAllowance(TenantScopedModel):
    """Besaran TPP (integer Rupiah per month) of one kelas jabatan in one config version."""

    config = models.ForeignKey(PerformanceConfig, on_delete=models.CASCADE, related_name="allowances")
    job_class = models.PositiveSmallIntegerField(_("kelas jabatan"))
    amount = models.BigIntegerField(_("besaran TPP per bulan (Rupiah)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "config", "job_class"], name="perf_allowance_unique"),
            models.CheckConstraint(
                condition=Q(job_class__gte=1, job_class__lte=17), name="perf_allowance_class_range"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="perf_allowance_amount_positive"),
        ]
        ordering = ["job_class"]
        verbose_name = _("besaran TPP per kelas jabatan")

    def __str__(self) -> str:
        return f"kelas {self.job_class}: {self.amount}"


class Activity(TenantScopedModel):
    """One activity of the catalogue (Anjab/ABK, Permendagri 12/2008), versioned with its config."""

    config = models.ForeignKey(PerformanceConfig, on_delete=models.CASCADE, related_name="activities")
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama aktivitas"), max_length=250)
    output_unit = models.CharField(_("satuan output"), max_length=60)
    standard_minutes = models.PositiveSmallIntegerField(_("waktu standar (menit per satuan)"))
    # The job family (rumpun jabatan) the activity belongs to; blank = open to every employee.
    job_family = models.SlugField(_("rumpun jabatan"), max_length=60, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "config", "code"], name="perf_activity_code_unique"),
            models.CheckConstraint(
                condition=Q(standard_minutes__gte=1), name="perf_activity_minutes_positive"
            ),
        ]
        ordering = ["job_family", "name"]
        verbose_name = _("aktivitas")
        verbose_name_plural = _("katalog aktivitas")

    def __str__(self) -> str:
        return self.name


class EmploymentType(models.TextChoices):
    PNS = "pns", _("PNS")
    PPPK = "pppk", _("PPPK")
    CPNS = "cpns", _("CPNS")


class EmployeeStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    UNPAID_LEAVE = "cuti_luar_tanggungan", _("Cuti di luar tanggungan negara")
    STUDY_LEAVE = "tugas_belajar", _("Tugas belajar")
    SUSPENDED = "diberhentikan_sementara", _("Diberhentikan sementara")
    PRE_RETIREMENT = "mpp", _("Masa persiapan pensiun")


class Employee(TenantScopedModel):
    """An ASN employee of the tenant; the supervisor comes from `position.supervisor.holder`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    position = models.ForeignKey(
        "accounts.Position", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    org_unit = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("perangkat daerah")
    )
    job_class = models.PositiveSmallIntegerField(_("kelas jabatan"))
    job_family = models.SlugField(_("rumpun jabatan"), max_length=60, blank=True)
    employment_type = models.CharField(_("jenis kepegawaian"), max_length=5, choices=EmploymentType.choices)
    status = models.CharField(
        _("status kepegawaian"), max_length=30, choices=EmployeeStatus.choices, default=EmployeeStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user"], name="perf_employee_user_unique"),
            models.CheckConstraint(
                condition=Q(job_class__gte=1, job_class__lte=17), name="perf_employee_class_range"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "org_unit"])]
        ordering = ["org_unit__code", "user__full_name"]
        verbose_name = _("pegawai")

    def __str__(self) -> str:
        return str(self.user)


class EntryStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")
    ADJUSTED = "adjusted", _("Direvisi (menit disesuaikan)")


class ActivityEntry(TenantScopedModel):
    """One activity an employee did on a working day; the supervisor validates it."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="entries")
    # The employee's user: the party of the case (they never validate their own entry).
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    config = models.ForeignKey(PerformanceConfig, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("tanggal"))
    start_time = models.TimeField(_("jam mulai"))
    end_time = models.TimeField(_("jam selesai"))
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    is_additional_task = models.BooleanField(_("tugas tambahan"), default=False)
    description = models.CharField(_("uraian"), max_length=300, blank=True)
    volume = models.PositiveIntegerField(_("volume"))
    output = models.CharField(_("keluaran"), max_length=300)
    evidence_file = models.ForeignKey(
        "documents.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence_sha256 = models.CharField(_("SHA-256 bukti"), max_length=64, blank=True)
    evidence_link = models.URLField(_("tautan bukti"), blank=True)
    is_official_travel = models.BooleanField(_("dinas luar"), default=False)
    # volume × standard minutes (× weight for an additional task), before the daily cap.
    claimed_minutes = models.PositiveIntegerField(_("menit diklaim"))
    # After the daily cap (the day's entries in start-time order fill the quota).
    credited_minutes = models.PositiveIntegerField(_("menit dihitung"))
    # Set by validation: credited (approved), 0 (rejected) or the supervisor's figure (adjusted).
    approved_minutes = models.PositiveIntegerField(_("menit disetujui"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.SUBMITTED
    )
    version = models.PositiveIntegerField(default=0)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    validation_reason = models.TextField(_("alasan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["tenant", "employee", "date"]),
            models.Index(fields=["tenant", "status", "date"]),
            models.Index(fields=["tenant", "evidence_sha256"]),
        ]
        ordering = ["date", "start_time"]
        verbose_name = _("aktivitas harian")
        verbose_name_plural = _("aktivitas harian")

    def __str__(self) -> str:
        return f"{self.date} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    @property
    def title(self) -> str:
        if self.activity_id:
            return self.activity.name
        return self.description


class AttendanceKind(models.TextChoices):
    CHECK_IN = "check_in", _("Masuk")
    CHECK_OUT = "check_out", _("Pulang")


class AttendanceSource(models.TextChoices):
    WEB = "web", _("Web")
    TERMINAL = "terminal", _("Mesin presensi")
    CORRECTION = "correction", _("Koreksi disetujui")


class AttendanceTerminal(TenantScopedModel):
    """A fingerprint/face terminal; it posts events through the API with a machine token."""

    code = models.SlugField(_("kode mesin"), max_length=40)
    name = models.CharField(_("nama"), max_length=150)
    org_unit = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The machine account whose API token the terminal uses.
    service_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "code"], name="perf_terminal_code_unique")]
        ordering = ["code"]
        verbose_name = _("mesin presensi")

    def __str__(self) -> str:
        return self.name


class AttendanceEvent(TenantScopedModel):
    """One check-in or check-out at server time (terminal events keep the terminal's time)."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="attendance_events")
    kind = models.CharField(_("jenis"), max_length=10, choices=AttendanceKind.choices)
    occurred_at = models.DateTimeField(_("waktu"))
    # The tenant-local date the event belongs to (a 23:30 WIB check-in is that WIB day).
    local_date = models.DateField(_("tanggal"))
    source = models.CharField(_("sumber"), max_length=10, choices=AttendanceSource.choices)
    terminal = models.ForeignKey(
        AttendanceTerminal, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    terminal_event_id = models.CharField(_("nomor kejadian mesin"), max_length=80, blank=True)
    client_time = models.DateTimeField(_("waktu perangkat"), null=True, blank=True)
    # client_time − server time in seconds; the client clock is never trusted, only recorded.
    client_offset_seconds = models.IntegerField(_("selisih jam perangkat (detik)"), null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    distance_m = models.PositiveIntegerField(_("jarak dari kantor (meter)"), null=True, blank=True)
    photo = models.ForeignKey(
        "documents.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    photo_sha256 = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "terminal", "terminal_event_id"],
                condition=Q(terminal__isnull=False),
                name="perf_terminal_event_unique",
            )
        ]
        indexes = [models.Index(fields=["tenant", "employee", "local_date"])]
        ordering = ["occurred_at"]
        verbose_name = _("kejadian presensi")

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_at:%Y-%m-%d %H:%M}"


class ApelAbsence(TenantScopedModel):
    """An employee missed the Monday apel or a ceremony (recorded by the OPD's admin)."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="apel_absences")
    date = models.DateField(_("tanggal"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "employee", "date"], name="perf_apel_unique")
        ]
        verbose_name = _("tidak ikut apel")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Dibatalkan")


class CorrectionStatus(models.TextChoices):
    """A correction needs two people: the direct supervisor endorses, the personnel admin approves."""

    SUBMITTED = "submitted", _("Diajukan")
    ENDORSED = "endorsed", _("Disetujui atasan, menunggu admin kepegawaian")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Dibatalkan")


class AbsenceKind(models.TextChoices):
    # Cuti types of PP 11/2017 (Manajemen PNS) Pasal 310.
    ANNUAL_LEAVE = "cuti_tahunan", _("Cuti tahunan")
    LONG_LEAVE = "cuti_besar", _("Cuti besar")
    MATERNITY_LEAVE = "cuti_melahirkan", _("Cuti melahirkan")
    IMPORTANT_REASON_LEAVE = "cuti_alasan_penting", _("Cuti karena alasan penting")
    SICK_LEAVE = "cuti_sakit", _("Cuti sakit")
    SICK = "sakit", _("Sakit (dengan surat keterangan)")
    PERMISSION = "izin", _("Izin")
    OFFICIAL_TRAVEL = "dinas_luar", _("Dinas luar")


class AbsenceRequest(TenantScopedModel):
    """Leave, sick, permission or official travel over a date range; the supervisor approves it."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="absence_requests")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis"), max_length=25, choices=AbsenceKind.choices)
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("sampai"))
    reason = models.TextField(_("keterangan"))
    attachment = models.ForeignKey(
        "documents.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    version = models.PositiveIntegerField(default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "employee", "start_date"])]
        ordering = ["-start_date"]
        verbose_name = _("permohonan cuti/izin/dinas luar")

    def __str__(self) -> str:
        return f"{self.kind} {self.start_date}–{self.end_date}"

    def covers(self, day: datetime.date) -> bool:
        return self.start_date <= day <= self.end_date


class AttendanceCorrection(TenantScopedModel):
    """A request to add a missing check-in/out ("lupa presensi"); the final approval creates the event.

    Manual corrections need the direct supervisor (endorse) and then the personnel admin of the
    employee's perangkat daerah or BKPSDM (approve, with reason and TOTP), two different people.
    """

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="corrections")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("tanggal"))
    kind = models.CharField(_("jenis"), max_length=10, choices=AttendanceKind.choices)
    corrected_time = models.TimeField(_("jam sebenarnya"))
    reason = models.TextField(_("alasan"))
    status = models.CharField(
        _("status"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.SUBMITTED
    )
    version = models.PositiveIntegerField(default=0)
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    endorsed_at = models.DateTimeField(null=True, blank=True)
    endorsement_reason = models.TextField(_("catatan atasan"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    event = models.OneToOneField(
        AttendanceEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "employee", "date"])]
        ordering = ["-date"]
        verbose_name = _("koreksi presensi")

    def __str__(self) -> str:
        return f"{self.kind} {self.date} {self.corrected_time}"

    @property
    def org_unit(self):
        # The workflow scopes the admin's approval to the employee's perangkat daerah.
        return self.employee.org_unit

    @property
    def org_unit_id(self):
        return self.employee.org_unit_id
