"""Hibah and bansos (Sabilulungan-type): organisations, programmes, proposals, decrees and NPHD.

Money is integer Rupiah. Every status moves only through `praja.core.workflow.transition()` along
the tables in `transitions.py` ("grants.organisation", "grants.proposal", "grants.bansos").
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from praja.core.tenancy.models import TenantScopedModel

# --------------------------------------------------------------------------------------------------
# Organisations (lembaga)


class OrganisationKind(models.TextChoices):
    ORMAS = "ormas", _("Organisasi kemasyarakatan (ormas)")
    YAYASAN = "yayasan", _("Yayasan")
    PERKUMPULAN = "perkumpulan", _("Perkumpulan")
    BADAN_USAHA = "badan_usaha", _("Badan usaha (BUMN/BUMD)")
    INSTANSI = "instansi", _("Instansi pemerintah (vertikal/daerah lain)")
    KELOMPOK = "kelompok", _("Kelompok masyarakat (tanda daftar)")


class OrganisationStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan untuk verifikasi")
    VERIFIED = "verified", _("Terverifikasi")
    REJECTED = "rejected", _("Ditolak")
    SUSPENDED = "suspended", _("Ditangguhkan (sanksi)")


class FundingExemption(TenantScopedModel):
    """A body a law obliges the region to support every year (exempt from "not every year").

    KONI, PMI, Pramuka and KORPRI are built in (`rules.BUILTIN_EXEMPTIONS`); a tenant may add more,
    each with its legal basis.
    """

    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=200)
    legal_basis = models.CharField(_("dasar hukum"), max_length=300)
    is_builtin = models.BooleanField(_("bawaan"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="grants_exemption_code_unique")
        ]
        ordering = ["code"]
        verbose_name = _("pengecualian hibah tahunan")

    def __str__(self) -> str:
        return self.name


class Organisation(TenantScopedModel):
    """A lembaga applying for hibah; its legal data are checked against the eligibility rules."""

    name = models.CharField(_("nama lembaga"), max_length=200)
    acronym = models.CharField(_("singkatan"), max_length=40, blank=True)
    kind = models.CharField(_("jenis lembaga"), max_length=20, choices=OrganisationKind.choices)
    # Legal entity (UU 23/2014 Pasal 298 ayat 5).
    deed_number = models.CharField(_("nomor akta notaris pendirian"), max_length=60, blank=True)
    deed_date = models.DateField(_("tanggal akta notaris"), null=True, blank=True)
    kemenkumham_sk_number = models.CharField(_("nomor SK Kemenkumham"), max_length=80, blank=True)
    kemenkumham_sk_date = models.DateField(_("tanggal SK Kemenkumham"), null=True, blank=True)
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True, help_text=_("15 atau 16 digit."))
    domicile_letter_number = models.CharField(_("nomor surat keterangan domisili"), max_length=80, blank=True)
    registration_number = models.CharField(
        _("nomor tanda daftar / izin operasional"), max_length=80, blank=True
    )
    registered_on = models.DateField(
        _("tanggal terdaftar di pemerintah daerah"),
        null=True,
        blank=True,
        help_text=_("Dasar syarat terdaftar paling singkat 3 tahun (Permendagri 14/2016)."),
    )
    has_permanent_secretariat = models.BooleanField(_("memiliki sekretariat tetap"), default=False)
    secretariat_rented = models.BooleanField(_("kantor sekretariat sewa"), default=False)
    address = models.CharField(_("alamat sekretariat"), max_length=300)
    area = models.ForeignKey(
        "reference.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kelurahan/desa"),
    )
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    supervising_org_unit = models.ForeignKey(
        "accounts.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("SKPD pembina"),
    )
    # The citizen account that registered the organisation (party of the "grants.organisation"
    # workflow); every account in `representatives` may act for it.
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    representatives = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="grant_organisations", blank=True
    )
    exemption = models.ForeignKey(
        FundingExemption,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("pengecualian hibah tahunan"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OrganisationStatus.choices, default=OrganisationStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.TextField(_("alasan sanksi"), blank=True)
    suspension_legal_basis = models.CharField(_("dasar hukum sanksi"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["tenant", "status", "name"]),
            models.Index(fields=["tenant", "npwp"]),
        ]
        ordering = ["name", "pk"]
        verbose_name = _("lembaga")
        verbose_name_plural = _("lembaga")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def is_legal_entity(self) -> bool:
        return bool(self.deed_number and self.kemenkumham_sk_number)


class BoardRole(models.TextChoices):
    CHAIR = "chair", _("Ketua")
    SECRETARY = "secretary", _("Sekretaris")
    TREASURER = "treasurer", _("Bendahara")
    OTHER = "other", _("Pengurus lain")


class BoardMember(TenantScopedModel):
    """A member of the organisation's board (pengurus), identified by NIK."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="board_members")
    role = models.CharField(_("jabatan"), max_length=12, choices=BoardRole.choices)
    role_title = models.CharField(_("sebutan jabatan"), max_length=80, blank=True)
    nik = models.CharField(_("NIK"), max_length=16)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "organisation", "nik"], name="grants_board_member_nik_unique"
            )
        ]
        indexes = [models.Index(fields=["tenant", "nik"])]
        ordering = ["organisation", "role", "full_name"]
        verbose_name = _("pengurus")
        verbose_name_plural = _("pengurus")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class BankAccount(TenantScopedModel):
    """The organisation's bank account; grants are paid LS only to a verified, matching account."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="bank_accounts")
    bank_name = models.CharField(_("nama bank"), max_length=100)
    account_number = models.CharField(_("nomor rekening"), max_length=30)
    holder_name = models.CharField(_("nama pemilik rekening"), max_length=200)
    is_verified = models.BooleanField(_("terverifikasi"), default=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "organisation"],
                condition=Q(is_active=True),
                name="grants_bank_account_one_active",
            )
        ]
        indexes = [models.Index(fields=["tenant", "account_number"])]
        ordering = ["-is_active", "-created_at"]
        verbose_name = _("rekening bank")

    def __str__(self) -> str:
        return f"{self.bank_name} {self.account_number} a.n. {self.holder_name}"


class OrganisationDocument(TenantScopedModel):
    """A legal document of the organisation (akta, SK Kemenkumham, NPWP, domicile letter...)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="documents")
    code = models.SlugField(_("jenis dokumen"), max_length=40)
    stored_file = models.ForeignKey("documents.StoredFile", on_delete=models.PROTECT, related_name="+")
    is_current = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "organisation", "code"],
                condition=Q(is_current=True),
                name="grants_orgdoc_one_current",
            )
        ]
        ordering = ["code", "pk"]
        verbose_name = _("dokumen lembaga")

    def __str__(self) -> str:
        return f"{self.organisation_id}:{self.code}"


# --------------------------------------------------------------------------------------------------
# Programmes


class ProgrammeKind(models.TextChoices):
    HIBAH = "hibah", _("Hibah kepada lembaga")
    BANSOS = "bansos", _("Bantuan sosial kepada individu/keluarga")


class SocialDataSource(models.TextChoices):
    NONE = "", _("Tidak disyaratkan")
    DTKS = "dtks", _("DTKS (Permensos 3/2021)")
    DTSEN = "dtsen", _("DTSEN (Permensos 3/2025)")


class Programme(TenantScopedModel):
    """A yearly hibah or bansos programme: envelope, eligibility rules, proposal window, checklist.

    `eligibility_rules` is data (see `rules.DEFAULT_HIBAH_RULES`): legal_entity_required,
    min_years_registered, domiciled_in_tenant, permanent_secretariat_required,
    not_funded_previous_year, social_data_source_required. `required_documents` is the TU checklist:
    a list of {"code", "label", "required", "condition"} ("condition": "" | "construction" |
    "rented_office").
    """

    code = models.SlugField(_("kode"), max_length=50)
    name = models.CharField(_("nama program"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    budget_year = models.PositiveSmallIntegerField(_("tahun anggaran"))
    kind = models.CharField(_("jenis"), max_length=10, choices=ProgrammeKind.choices)
    is_planned = models.BooleanField(
        _("terencana"), default=True, help_text=_("Bansos tidak terencana: untuk risiko sosial setelah APBD.")
    )
    envelope = models.PositiveBigIntegerField(_("pagu (Rupiah)"))
    budget_line_code = models.CharField(
        _("kode rekening belanja"), max_length=60, blank=True, help_text=_("mis. 5.1.05.05.01.0001")
    )
    max_amount_per_proposal = models.PositiveBigIntegerField(
        _("nilai maksimal per proposal (Rupiah)"), null=True, blank=True
    )
    eligibility_rules = models.JSONField(_("syarat penerima"), default=dict, blank=True)
    required_documents = models.JSONField(_("daftar periksa dokumen"), default=list, blank=True)
    social_data_source = models.CharField(
        _("sumber data sosial"), max_length=10, choices=SocialDataSource.choices, blank=True, default=""
    )
    opens_at = models.DateTimeField(_("pengajuan dibuka"))
    closes_at = models.DateTimeField(_("pengajuan ditutup"))
    lpj_deadline = models.DateField(
        _("batas LPJ"), help_text=_("Bawaan: 10 Januari tahun berikutnya (Permendagri 32/2011 Pasal 19).")
    )
    managing_org_unit = models.ForeignKey(
        "accounts.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("perangkat daerah pengelola"),
    )
    is_published = models.BooleanField(_("diumumkan"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="grants_programme_code_unique"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="grants_window"),
        ]
        indexes = [models.Index(fields=["tenant", "budget_year", "kind"])]
        ordering = ["-budget_year", "name"]
        verbose_name = _("program hibah/bansos")

    def __str__(self) -> str:
        return f"{self.name} ({self.budget_year})"

    @property
    def decree_register_label(self) -> str:
        """ "DNC PBH" (hibah) or "DNC PBBS" (bansos): what its decrees are called on their pages."""
        from praja.modules.grants.rules import decree_register

        return decree_register(self.kind).replace("-", " ")


# --------------------------------------------------------------------------------------------------
# Proposals (workflow "grants.proposal")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan (pemeriksaan kelengkapan TU)")
    RETURNED = "returned", _("Dikembalikan (belum lengkap)")
    COMPLETE = "complete", _("Lengkap (telaah Kepala Daerah)")
    ROUTING = "routing", _("Disposisi Tim Pertimbangan")
    EVALUATION = "evaluation", _("Evaluasi perangkat daerah")
    RECOMMENDED = "recommended", _("Direkomendasikan perangkat daerah (verifikasi Tim Pertimbangan)")
    VERIFIED = "verified", _("Diverifikasi Tim Pertimbangan (pertimbangan TAPD)")
    TAPD_APPROVED = "tapd_approved", _("Disetujui TAPD (menunggu DNC PBH)")
    NOT_BUDGETED = "not_budgeted", _("Tidak dianggarkan")
    REJECTED = "rejected", _("Ditolak")
    IN_DECREE = "in_decree", _("Ditetapkan dalam DNC PBH")
    NPHD_SIGNED = "nphd_signed", _("NPHD ditandatangani")
    DISBURSING = "disbursing", _("Proses pencairan")
    IN_PROGRESS = "in_progress", _("Pelaksanaan")
    LPJ_SUBMITTED = "lpj_submitted", _("LPJ diserahkan")
    LPJ_REJECTED = "lpj_rejected", _("LPJ dikembalikan untuk perbaikan")
    LPJ_OVERDUE = "lpj_overdue", _("Tunggakan LPJ")
    CLOSED = "closed", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")


class Proposal(TenantScopedModel):
    """One proposal for a programme: the case the workflow "grants.proposal" moves.

    Filed by a representative (`applicant`) for an `organisation` (hibah), or by a person for
    themselves (bansos proposals through the full flow; `beneficiary` then names G2's registry row).
    Amounts per stage: requested ≥ recommended (office) ≥ verified (Tim Pertimbangan) ≥ tapd, each
    "≤ previous" unless an override with reason is stored; `agreed_amount` is the NPHD value.
    """

    number = models.CharField(_("nomor proposal"), max_length=30, null=True, blank=True)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="proposals")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals"
    )
    # Bansos proposals by a person through the full flow: G2's registry row of that person.
    beneficiary = models.ForeignKey(
        "grants_screening.Beneficiary", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Copied from the programme on creation (public lists page by year and status).
    budget_year = models.PositiveSmallIntegerField(_("tahun anggaran"))
    title = models.CharField(_("judul kegiatan"), max_length=200)
    background = models.TextField(_("latar belakang"), blank=True)
    purpose = models.TextField(_("maksud dan tujuan"))
    letter_number = models.CharField(_("nomor surat permohonan"), max_length=80, blank=True)
    letter_date = models.DateField(_("tanggal surat permohonan"), null=True, blank=True)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    is_construction = models.BooleanField(_("kegiatan konstruksi/bangunan"), default=False)
    suggested_org_unit = models.ForeignKey(
        "accounts.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("perangkat daerah yang dituju"),
    )
    # The technical office the Tim Pertimbangan routes it to (scopes grants_evaluator role grants).
    org_unit = models.ForeignKey(
        "accounts.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("perangkat daerah evaluator"),
    )
    amount_requested = models.PositiveBigIntegerField(_("nilai diajukan (Rupiah)"))
    recommended_amount = models.PositiveBigIntegerField(
        _("rekomendasi perangkat daerah (Rupiah)"), null=True, blank=True
    )
    verified_amount = models.PositiveBigIntegerField(
        _("rekomendasi Tim Pertimbangan (Rupiah)"), null=True, blank=True
    )
    verified_override_reason = models.TextField(_("alasan melebihi rekomendasi sebelumnya"), blank=True)
    tapd_amount = models.PositiveBigIntegerField(_("pertimbangan TAPD (Rupiah)"), null=True, blank=True)
    tapd_override_reason = models.TextField(_("alasan melebihi rekomendasi sebelumnya"), blank=True)
    agreed_amount = models.PositiveBigIntegerField(_("nilai NPHD (Rupiah)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=0)
    idempotency_key = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    cancellation_reason = models.TextField(_("alasan pembatalan"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "number"], name="grants_proposal_number_unique"),
            models.UniqueConstraint(
                fields=["tenant", "idempotency_key"], name="grants_proposal_idempotency_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "status", "id"]),
            # With the id last, a year's public list pages by an index-only range scan.
            models.Index(fields=["tenant", "budget_year", "status", "id"]),
            models.Index(fields=["tenant", "status", "programme"]),
            models.Index(fields=["tenant", "organisation", "status"]),
            models.Index(fields=["tenant", "applicant", "created_at"]),
        ]
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposal hibah/bansos")
        verbose_name_plural = _("proposal hibah/bansos")

    def __str__(self) -> str:
        return f"{self.number or _('Draf')} · {self.title}"

    @property
    def recipient_name(self) -> str:
        if self.organisation_id:
            return self.organisation.name
        return str(self.applicant)

    @property
    def current_amount(self) -> int:
        """The latest amount decided along the stages (what the next stage may not exceed)."""
        for value in (self.agreed_amount, self.tapd_amount, self.verified_amount, self.recommended_amount):
            if value is not None:
                return value
        return self.amount_requested


class RabLine(TenantScopedModel):
    """One line of the budget plan (RAB): volume × unit price = subtotal (Rupiah)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="rab_lines")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(_("uraian"), max_length=200)
    volume = models.DecimalField(_("volume"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("satuan"), max_length=30)
    unit_price = models.PositiveBigIntegerField(_("harga satuan (Rupiah)"))
    subtotal = models.PositiveBigIntegerField(_("jumlah (Rupiah)"))
    # Optional code of the standard unit price (SSH) the line claims (checked by grants_screening).
    standard_price_code = models.CharField(_("kode SSH"), max_length=40, blank=True)

    class Meta:
        ordering = ["proposal", "position", "pk"]
        verbose_name = _("rincian anggaran biaya (RAB)")

    def __str__(self) -> str:
        return f"{self.description}: {self.subtotal}"


class ProposalDocument(TenantScopedModel):
    """The file uploaded for one checklist code of the programme; a replacement is a new current row."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="documents")
    code = models.SlugField(_("jenis dokumen"), max_length=40)
    stored_file = models.ForeignKey("documents.StoredFile", on_delete=models.PROTECT, related_name="+")
    is_current = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "proposal", "code"],
                condition=Q(is_current=True),
                name="grants_propdoc_one_current",
            )
        ]
        ordering = ["code", "pk"]
        verbose_name = _("dokumen proposal")

    def __str__(self) -> str:
        return f"{self.proposal_id}:{self.code}"


class ProposalPhoto(TenantScopedModel):
    """A photo of the current condition (its SHA-256 lets screening spot reused photos)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="photos")
    stored_file = models.ForeignKey("documents.StoredFile", on_delete=models.PROTECT, related_name="+")
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("foto kondisi")

    def __str__(self) -> str:
        return f"{self.proposal_id}:{self.caption}"


class Stage(models.TextChoices):
    COMPLETENESS = "completeness", _("Pemeriksaan kelengkapan oleh Bagian TU")
    REVIEW = "review", _("Telaah Kepala Daerah")
    ROUTING = "routing", _("Disposisi Tim Pertimbangan ke perangkat daerah")
    EVALUATION = "evaluation", _("Evaluasi dan rekomendasi perangkat daerah")
    VERIFICATION = "verification", _("Verifikasi Tim Pertimbangan")
    TAPD = "tapd", _("Pertimbangan TAPD")


class StageAction(models.TextChoices):
    PROCEED = "lanjut", _("Lanjut")
    REJECT = "tolak", _("Tolak")
    RETURN = "kembalikan", _("Kembalikan")


class StageReview(TenantScopedModel):
    """One stage decision on a proposal: the actor, lanjut/tolak/kembalikan, amount, checklist."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="stage_reviews")
    stage = models.CharField(_("tahap"), max_length=20, choices=Stage.choices)
    action = models.CharField(_("tindakan"), max_length=12, choices=StageAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = models.PositiveBigIntegerField(_("nilai (Rupiah)"), null=True, blank=True)
    override_reason = models.TextField(_("alasan melebihi tahap sebelumnya"), blank=True)
    # {"code": true/false} for the TU and SKPD checklists.
    checklist = models.JSONField(default=dict, blank=True)
    missing_codes = models.JSONField(default=list, blank=True)
    org_unit = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    field_check_date = models.DateField(_("tanggal peninjauan lapangan"), null=True, blank=True)
    remarks = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "proposal", "created_at"])]
        ordering = ["created_at", "pk"]
        verbose_name = _("hasil tahap")

    def __str__(self) -> str:
        return f"{self.proposal_id}:{self.stage}:{self.action}"


# --------------------------------------------------------------------------------------------------
# Bansos to individuals / households (workflow "grants.bansos")


class BansosStatus(models.TextChoices):
    REGISTERED = "registered", _("Terdaftar")
    VERIFIED = "verified", _("Terverifikasi data sosial")
    SCREENED = "screened", _("Lolos penyaringan")
    IN_DECREE = "in_decree", _("Ditetapkan dalam keputusan")
    DISBURSED = "disbursed", _("Disalurkan")
    CLOSED = "closed", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")


class BansosCase(TenantScopedModel):
    """One planned bansos to a person/household of a bansos programme (registered or imported)."""

    number = models.CharField(_("nomor"), max_length=30)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="bansos_cases")
    beneficiary = models.ForeignKey(
        "grants_screening.Beneficiary", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient_name = models.CharField(_("nama penerima"), max_length=150)
    recipient_address = models.CharField(_("alamat"), max_length=300, blank=True)
    amount = models.PositiveBigIntegerField(_("nilai (Rupiah)"))
    social_risk = models.TextField(_("kondisi risiko sosial"), blank=True)
    social_data_source = models.CharField(
        _("sumber data sosial"), max_length=10, choices=SocialDataSource.choices, blank=True, default=""
    )
    social_data_reference = models.CharField(_("ID DTKS/DTSEN"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=BansosStatus.choices, default=BansosStatus.REGISTERED
    )
    version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancellation_reason = models.TextField(_("alasan pembatalan"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "number"], name="grants_bansos_number_unique")
        ]
        indexes = [models.Index(fields=["tenant", "programme", "status"])]
        ordering = ["programme", "number"]
        verbose_name = _("penerima bansos")

    def __str__(self) -> str:
        return f"{self.number} · {self.recipient_name}"


# --------------------------------------------------------------------------------------------------
# Decree (DNC PBH / SK penerima) and NPHD


class Decree(TenantScopedModel):
    """The nominative list of recipients (DNC PBH) of a programme, approved by the head of region.

    Built from TAPD-approved proposals (or screened bansos cases) while a draft; approving it (with
    the second factor) renders the signed PDF with QR and moves every listed case to in_decree.
    Approved decrees are immutable. Σ entries ≤ programme envelope.
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="decrees")
    number = models.CharField(_("nomor keputusan"), max_length=80, blank=True)
    title = models.CharField(_("judul"), max_length=300)
    total_amount = models.PositiveBigIntegerField(_("jumlah (Rupiah)"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    official_document = models.ForeignKey(
        "documents.OfficialDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["tenant", "programme", "approved_at"])]
        ordering = ["-created_at", "-pk"]
        verbose_name = _("DNC PBH / keputusan penerima")

    def __str__(self) -> str:
        return self.number or self.title

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class DecreeEntry(TenantScopedModel):
    """One recipient line of a decree: name, address, amount and purpose (public record)."""

    decree = models.ForeignKey(Decree, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveIntegerField(default=0)
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, null=True, blank=True, related_name="decree_entries"
    )
    bansos_case = models.ForeignKey(
        BansosCase, on_delete=models.PROTECT, null=True, blank=True, related_name="decree_entries"
    )
    recipient_name = models.CharField(_("nama penerima"), max_length=200)
    recipient_address = models.CharField(_("alamat"), max_length=300, blank=True)
    purpose = models.CharField(_("peruntukan"), max_length=300, blank=True)
    amount = models.PositiveBigIntegerField(_("nilai (Rupiah)"))

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=False, bansos_case__isnull=True)
                | Q(proposal__isnull=True, bansos_case__isnull=False),
                name="grants_decree_entry_one_case",
            )
        ]
        ordering = ["decree", "position", "pk"]
        verbose_name = _("baris DNC PBH")

    def __str__(self) -> str:
        return f"{self.recipient_name}: {self.amount}"


class SignatureMethod(models.TextChoices):
    PASSWORD = "password", _("Konfirmasi kata sandi")
    TOTP = "totp", _("Kode autentikator (TOTP)")


class Nphd(TenantScopedModel):
    """The grant agreement (Naskah Perjanjian Hibah Daerah) of one proposal in a decree.

    Signed by both parties: the recipient's chair (a representative whose NIK is the chair's,
    confirming with their password or TOTP) and the official (second factor). The PDF is rendered
    and signed with the tenant key once both signatures are there.
    """

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="nphd")
    number = models.CharField(_("nomor NPHD"), max_length=80)
    amount = models.PositiveBigIntegerField(_("nilai hibah (Rupiah)"))
    budget_line_code = models.CharField(_("kode rekening belanja"), max_length=60, blank=True)
    rights_and_obligations = models.TextField(_("hak dan kewajiban"))
    disbursement_procedure = models.TextField(_("tata cara pencairan"))
    reporting_procedure = models.TextField(_("tata cara pelaporan"))
    lpj_deadline = models.DateField(_("batas LPJ"))
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(auto_now_add=True)
    recipient_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient_signed_at = models.DateTimeField(null=True, blank=True)
    recipient_signature_method = models.CharField(max_length=10, choices=SignatureMethod.choices, blank=True)
    recipient_signer_name = models.CharField(max_length=150, blank=True)
    official_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    official_signed_at = models.DateTimeField(null=True, blank=True)
    official_document = models.ForeignKey(
        "documents.OfficialDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "number"], name="grants_nphd_number_unique")]
        verbose_name = _("NPHD")

    def __str__(self) -> str:
        return self.number

    @property
    def is_fully_signed(self) -> bool:
        return self.recipient_signed_at is not None and self.official_signed_at is not None


class NumberSequence(TenantScopedModel):
    """Per-tenant counters for proposal, bansos, decree and NPHD numbers (locked on use)."""

    name = models.CharField(max_length=60)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name", "year"], name="grants_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name}/{self.year}={self.last_value}"
