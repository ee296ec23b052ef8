"""The licensing catalogue (permit types with versioned requirements and forms) and the cases.

A permit type's requirements and form fields live in a `RequirementSet` version. A published set
is frozen; changes go into a new version. Every application pins the version in force when it was
created, so publishing a new version never changes an application filed under an older one.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from praja.core.tenancy.models import TenantScopedModel


class FeeKind(models.TextChoices):
    NONE = "none", _("Tanpa biaya")
    FIXED = "fixed", _("Tarif tetap")
    FORMULA = "formula", _("Rumus dari Perda")


class PdfTemplate(models.TextChoices):
    STANDARD = "licensing/pdf/permit_standard.html", _("Surat izin standar")
    HEALTH = "licensing/pdf/permit_health.html", _("Surat izin praktik tenaga kesehatan")
    CERTIFICATE = "licensing/pdf/permit_certificate.html", _("Sertifikat (reklame, trayek, operasional)")


class PermitType(TenantScopedModel):
    """One permit (jenis izin) the tenant issues, with its standar pelayanan (UU 25/2009 Pasal 21)."""

    code = models.SlugField(_("kode"), max_length=50)
    name = models.CharField(_("nama izin"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    legal_basis = models.TextField(_("dasar hukum"))
    responsible_org_unit = models.ForeignKey(
        "accounts.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("perangkat daerah teknis"),
    )
    sla_working_days = models.PositiveSmallIntegerField(_("jangka waktu penyelesaian (hari kerja)"))
    needs_field_inspection = models.BooleanField(_("perlu peninjauan lapangan"), default=False)
    fee_kind = models.CharField(
        _("jenis retribusi"), max_length=10, choices=FeeKind.choices, default=FeeKind.NONE
    )
    fee_amount = models.PositiveBigIntegerField(_("tarif (Rupiah)"), default=0)
    fee_formula = models.TextField(_("rumus retribusi"), blank=True)
    fee_legal_basis = models.CharField(_("dasar tarif (Perda)"), max_length=300, blank=True)
    validity_months = models.PositiveSmallIntegerField(
        _("masa berlaku (bulan)"),
        null=True,
        blank=True,
        help_text=_("Kosongkan bila berlaku selama memenuhi syarat."),
    )
    pdf_template = models.CharField(
        _("templat PDF izin"), max_length=100, choices=PdfTemplate.choices, default=PdfTemplate.STANDARD
    )
    permit_number_prefix = models.CharField(_("awalan nomor izin"), max_length=30)
    allows_organisation = models.BooleanField(_("dapat diajukan badan usaha/organisasi"), default=False)
    is_published = models.BooleanField(_("dipublikasikan"), default=False)
    # The remaining components of the standar pelayanan (UU 25/2009 Pasal 21).
    procedure = models.TextField(_("sistem, mekanisme dan prosedur"), blank=True)
    product = models.CharField(_("produk pelayanan"), max_length=300, blank=True)
    facilities = models.TextField(_("sarana, prasarana dan fasilitas"), blank=True)
    staff_competence = models.TextField(_("kompetensi pelaksana"), blank=True)
    internal_supervision = models.TextField(_("pengawasan internal"), blank=True)
    complaint_handling = models.TextField(_("penanganan pengaduan, saran dan masukan"), blank=True)
    staff_count = models.CharField(_("jumlah pelaksana"), max_length=200, blank=True)
    service_guarantee = models.TextField(_("jaminan pelayanan"), blank=True)
    security_guarantee = models.TextField(_("jaminan keamanan dan keselamatan pelayanan"), blank=True)
    performance_evaluation = models.TextField(_("evaluasi kinerja pelaksana"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="licensing_permittype_code_unique")
        ]
        ordering = ["name"]
        verbose_name = _("jenis izin")
        verbose_name_plural = _("jenis izin")

    def __str__(self) -> str:
        return self.name


class RequirementSet(TenantScopedModel):
    """One version of a permit type's requirement checklist and application form.

    Editable while a draft; frozen once published (`published_at` set).
    """

    permit_type = models.ForeignKey(PermitType, on_delete=models.CASCADE, related_name="requirement_sets")
    version = models.PositiveIntegerField(_("versi"))
    effective_from = models.DateTimeField(_("berlaku sejak"), null=True, blank=True)
    published_at = models.DateTimeField(_("dipublikasikan"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(_("catatan perubahan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "permit_type", "version"], name="licensing_requirementset_version_unique"
            )
        ]
        ordering = ["permit_type_id", "version"]
        verbose_name = _("versi persyaratan")

    def __str__(self) -> str:
        return f"{self.permit_type} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Requirement(TenantScopedModel):
    """One item of the checklist: a document the applicant uploads."""

    requirement_set = models.ForeignKey(RequirementSet, on_delete=models.CASCADE, related_name="requirements")
    code = models.SlugField(_("kode"), max_length=40)
    label = models.CharField(_("persyaratan"), max_length=300)
    help_text = models.TextField(_("keterangan"), blank=True)
    is_mandatory = models.BooleanField(_("wajib"), default=True)
    # "field == value" over the form data; empty means always applicable (see rules.condition_holds).
    condition = models.CharField(_("syarat berlaku"), max_length=200, blank=True)
    accepted_types = models.CharField(_("jenis berkas diterima"), max_length=40, default="pdf")
    # A named check of rules.REQUIREMENT_CHECKS, e.g. "not_expired" (STR still valid on submission).
    check_name = models.CharField(_("pemeriksaan"), max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "requirement_set", "code"], name="licensing_requirement_code_unique"
            )
        ]
        ordering = ["position", "pk"]
        verbose_name = _("persyaratan")
        verbose_name_plural = _("persyaratan")

    def __str__(self) -> str:
        return f"{self.code}: {self.label}"

    @property
    def accepted_type_list(self) -> tuple[str, ...]:
        return tuple(item.strip() for item in self.accepted_types.split(",") if item.strip())


class FieldKind(models.TextChoices):
    TEXT = "text", _("Teks singkat")
    TEXTAREA = "textarea", _("Teks panjang")
    NUMBER = "number", _("Angka")
    DATE = "date", _("Tanggal")
    CHOICE = "choice", _("Pilihan")
    BOOLEAN = "boolean", _("Ya/tidak")


class FormField(TenantScopedModel):
    """One field of the application form of a requirement-set version."""

    requirement_set = models.ForeignKey(RequirementSet, on_delete=models.CASCADE, related_name="form_fields")
    key = models.SlugField(_("kunci"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    kind = models.CharField(
        _("jenis isian"), max_length=10, choices=FieldKind.choices, default=FieldKind.TEXT
    )
    required = models.BooleanField(_("wajib diisi"), default=True)
    choices = models.TextField(_("pilihan (satu per baris: nilai|label)"), blank=True)
    help_text = models.CharField(_("keterangan"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "requirement_set", "key"], name="licensing_formfield_key_unique"
            )
        ]
        ordering = ["position", "pk"]
        verbose_name = _("isian formulir")

    def __str__(self) -> str:
        return self.key

    @property
    def choice_list(self) -> list[tuple[str, str]]:
        pairs = []
        for line in self.choices.splitlines():
            line = line.strip()
            if not line:
                continue
            value, _sep, label = line.partition("|")
            pairs.append((value.strip(), (label or value).strip()))
        return pairs


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    RETURNED = "returned", _("Dikembalikan (belum lengkap)")
    COMPLETE = "complete", _("Lengkap")
    REGISTERED = "registered", _("Terdaftar")
    TECHNICAL_REVIEW = "technical_review", _("Kajian teknis")
    FIELD_INSPECTION = "field_inspection", _("Peninjauan lapangan")
    REVISION = "revision", _("Perbaikan oleh pemohon")
    RECOMMENDED_APPROVE = "recommended_approve", _("Direkomendasikan untuk disetujui")
    RECOMMENDED_REJECT = "recommended_reject", _("Direkomendasikan untuk ditolak")
    APPROVED = "approved", _("Disetujui")
    AWAITING_PAYMENT = "awaiting_payment", _("Menunggu pembayaran retribusi")
    PAID = "paid", _("Lunas")
    ISSUED = "issued", _("Izin terbit")
    REJECTED = "rejected", _("Ditolak")
    EXPIRED = "expired", _("Kedaluwarsa (tidak dibayar)")
    WITHDRAWN = "withdrawn", _("Dibatalkan pemohon")
    REVOKED = "revoked", _("Izin dicabut")


class ApplicationKind(models.TextChoices):
    NEW = "new", _("Baru")
    RENEWAL = "renewal", _("Perpanjangan")
    CHANGE = "change", _("Perubahan")


class Application(TenantScopedModel):
    """One application for a permit: the case the workflow "licensing.application" moves."""

    tracking_number = models.CharField(_("nomor pendaftaran"), max_length=30, null=True, blank=True)
    registration_number = models.CharField(_("nomor register"), max_length=40, blank=True)
    permit_type = models.ForeignKey(PermitType, on_delete=models.PROTECT, related_name="applications")
    requirement_set = models.ForeignKey(RequirementSet, on_delete=models.PROTECT, related_name="applications")
    kind = models.CharField(
        _("jenis permohonan"), max_length=10, choices=ApplicationKind.choices, default=ApplicationKind.NEW
    )
    previous_permit = models.ForeignKey(
        "Permit", on_delete=models.PROTECT, null=True, blank=True, related_name="follow_up_applications"
    )
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # A business or organisation applying through its representative (kuasa): the applicant user.
    organisation_name = models.CharField(_("nama badan usaha/organisasi"), max_length=200, blank=True)
    organisation_id_number = models.CharField(_("NIB/NPWP badan"), max_length=30, blank=True)
    representative_position = models.CharField(_("jabatan/kedudukan kuasa"), max_length=120, blank=True)
    form_data = models.JSONField(_("isian formulir"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=30, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=0)
    org_unit = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fee_amount = models.PositiveBigIntegerField(_("retribusi (Rupiah)"), default=0)
    # One application per submit click: the form carries this key; a repeat finds the same row.
    idempotency_key = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    registered_at = models.DateTimeField(_("didaftarkan"), null=True, blank=True)
    approved_at = models.DateTimeField(_("disetujui"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(_("dibayar"), null=True, blank=True)
    payment_reference = models.CharField(_("referensi pembayaran"), max_length=80, blank=True)
    issued_at = models.DateTimeField(_("terbit"), null=True, blank=True)
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    recommendation = models.TextField(_("rekomendasi tim teknis"), blank=True)
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    # When the file entered its current status: the first-in-first-out order of the work queues.
    queued_at = models.DateTimeField(null=True, blank=True)
    # Taking a file out of first-in-first-out order needs a written reason and leaves a flag.
    out_of_turn_at = models.DateTimeField(null=True, blank=True)
    out_of_turn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    out_of_turn_reason = models.TextField(_("alasan di luar urutan"), blank=True)
    receipt_document = models.ForeignKey(
        "documents.OfficialDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rejection_document = models.ForeignKey(
        "documents.OfficialDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "tracking_number"], name="licensing_application_tracking_unique"
            ),
            models.UniqueConstraint(
                fields=["tenant", "idempotency_key"], name="licensing_application_idempotency_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "status", "permit_type", "queued_at"]),
            models.Index(fields=["tenant", "applicant", "created_at"]),
        ]
        ordering = ["-created_at", "-pk"]
        verbose_name = _("permohonan izin")
        verbose_name_plural = _("permohonan izin")

    def __str__(self) -> str:
        return f"{self.tracking_number or _('Draf')} · {self.permit_type.name}"

    @property
    def holder_name(self) -> str:
        return self.organisation_name or str(self.applicant)

    @property
    def is_organisation(self) -> bool:
        return bool(self.organisation_name)


class ApplicationDocument(TenantScopedModel):
    """The file the applicant uploaded for one requirement; a replacement makes the old row not current."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    requirement_code = models.SlugField(max_length=40)
    stored_file = models.ForeignKey("documents.StoredFile", on_delete=models.PROTECT, related_name="+")
    # The date a `not_expired` check compares (e.g. "STR berlaku sampai").
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    is_current = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "application", "requirement_code"],
                condition=Q(is_current=True),
                name="licensing_appdoc_one_current",
            )
        ]
        ordering = ["requirement__position", "pk"]
        verbose_name = _("dokumen persyaratan")

    def __str__(self) -> str:
        return f"{self.application_id}:{self.requirement_code}"


class ReturnStage(models.TextChoices):
    COMPLETENESS = "completeness", _("Pemeriksaan kelengkapan")
    TECHNICAL = "technical", _("Kajian teknis")


class ApplicationReturn(TenantScopedModel):
    """A return to the applicant: the requirement codes it cites and the reason."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="returns")
    stage = models.CharField(max_length=15, choices=ReturnStage.choices)
    requirement_codes = models.JSONField(default=list)
    reason = models.TextField(_("alasan"))
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["returned_at", "pk"]
        verbose_name = _("pengembalian berkas")

    def __str__(self) -> str:
        return f"{self.application_id}: {', '.join(self.requirement_codes)}"


class TeamAssignment(TenantScopedModel):
    """The letter (surat tugas) assigning the technical team to an application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    letter_number = models.CharField(_("nomor surat tugas"), max_length=60)
    with_field_inspection = models.BooleanField(default=False)
    notes = models.TextField(_("catatan"), blank=True)
    letter_document = models.ForeignKey(
        "documents.OfficialDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField()

    class Meta:
        ordering = ["assigned_at", "pk"]
        verbose_name = _("penugasan tim teknis")

    def __str__(self) -> str:
        return self.letter_number


class TeamMember(TenantScopedModel):
    assignment = models.ForeignKey(TeamAssignment, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_lead = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "assignment", "user"], name="licensing_teammember_unique"
            )
        ]
        ordering = ["-is_lead", "pk"]
        verbose_name = _("anggota tim teknis")

    def __str__(self) -> str:
        return f"{self.assignment_id}:{self.user_id}"


class InspectionReport(TenantScopedModel):
    """The berita acara pemeriksaan (BAP) of a field inspection, with where it took place."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="inspection_reports")
    assignment = models.ForeignKey(TeamAssignment, on_delete=models.PROTECT, related_name="reports")
    inspected_on = models.DateField(_("tanggal pemeriksaan"))
    location = models.CharField(_("lokasi"), max_length=300)
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6)
    findings = models.TextField(_("hasil pemeriksaan"))
    is_compliant = models.BooleanField(_("sesuai persyaratan"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    document = models.ForeignKey(
        "documents.OfficialDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("berita acara pemeriksaan")

    def __str__(self) -> str:
        return f"BAP {self.application_id} {self.inspected_on}"


class InspectionPhoto(TenantScopedModel):
    report = models.ForeignKey(InspectionReport, on_delete=models.CASCADE, related_name="photos")
    stored_file = models.ForeignKey("documents.StoredFile", on_delete=models.PROTECT, related_name="+")
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6)
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("foto pemeriksaan")

    def __str__(self) -> str:
        return self.caption or str(self.stored_file_id)


class PermitStatus(models.TextChoices):
    VALID = "valid", _("Berlaku")
    REVOKED = "revoked", _("Dicabut")
    SUPERSEDED = "superseded", _("Diganti (perpanjangan/perubahan)")


class Permit(TenantScopedModel):
    """An issued permit. Its number stays the same across renewals and changes."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="permit")
    permit_type = models.ForeignKey(PermitType, on_delete=models.PROTECT, related_name="permits")
    permit_number = models.CharField(_("nomor izin"), max_length=60)
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    holder_name = models.CharField(_("pemegang izin"), max_length=200)
    valid_from = models.DateField(_("berlaku sejak"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    official_document = models.ForeignKey(
        "documents.OfficialDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PermitStatus.choices, default=PermitStatus.VALID
    )
    previous_permit = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="successors"
    )
    issued_at = models.DateTimeField(_("diterbitkan"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(_("alasan pencabutan"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "permit_number"],
                condition=Q(status="valid"),
                name="licensing_permit_one_valid_per_number",
            )
        ]
        indexes = [models.Index(fields=["tenant", "permit_number"])]
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("izin")
        verbose_name_plural = _("izin")

    def __str__(self) -> str:
        return self.permit_number


class NumberSequence(TenantScopedModel):
    """Per-tenant counters for tracking, registration, letter and permit numbers (locked on use)."""

    name = models.CharField(max_length=60)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name", "year"], name="licensing_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name}/{self.year}={self.last_value}"
