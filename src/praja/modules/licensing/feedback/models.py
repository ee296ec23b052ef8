"""Satisfaction survey responses (IKM), yearly IKM reports, and complaints with their workflow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from praja.core.tenancy.models import TenantScopedModel
from praja.modules.licensing.feedback.constants import (
    SCORE_MAX,
    SCORE_MIN,
    AgeBand,
    ComplaintBand,
    ComplaintChannel,
    ComplaintStatus,
    Education,
    IkmElement,
    Occupation,
    Sex,
    SurveyChannel,
)


class SurveyResponse(TenantScopedModel):
    """One respondent's questionnaire: online after their permit was issued, or at a walk-in kiosk."""

    channel = models.CharField(_("saluran"), max_length=10, choices=SurveyChannel.choices)
    # Online: the application the respondent was served on (one response each). Kiosk: none.
    application = models.ForeignKey(
        "licensing.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The service and the responsible office at the time of answering, so later catalogue changes
    # do not move old answers between offices.
    permit_type = models.ForeignKey(
        "licensing.PermitType", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    org_unit = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    age_band = models.CharField(_("umur"), max_length=8, choices=AgeBand.choices)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    education = models.CharField(_("pendidikan"), max_length=10, choices=Education.choices)
    occupation = models.CharField(_("pekerjaan"), max_length=12, choices=Occupation.choices)
    suggestion = models.TextField(_("saran dan masukan"), blank=True)
    submitted_at = models.DateTimeField(_("diisi"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "application"],
                condition=Q(application__isnull=False),
                name="licensing_feedback_one_survey_per_application",
            ),
            models.CheckConstraint(
                condition=Q(channel=SurveyChannel.KIOSK, application__isnull=True)
                | Q(channel=SurveyChannel.ONLINE, application__isnull=False),
                name="licensing_feedback_survey_channel_matches_application",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "submitted_at"]),
            models.Index(fields=["tenant", "permit_type", "submitted_at"]),
            models.Index(fields=["tenant", "org_unit", "submitted_at"]),
        ]
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("jawaban survei kepuasan")
        verbose_name_plural = _("jawaban survei kepuasan")

    def __str__(self) -> str:
        return f"SKM #{self.pk} ({self.get_channel_display()})"


class SurveyAnswer(TenantScopedModel):
    """The score (1–4) a respondent gave one element (U1–U9)."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    element = models.CharField(_("unsur"), max_length=3, choices=IkmElement.choices)
    score = models.PositiveSmallIntegerField(_("nilai"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "response", "element"], name="licensing_feedback_answer_unique"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX), name="licensing_feedback_score_1_4"
            ),
        ]
        ordering = ["response", "element"]
        verbose_name = _("nilai unsur")

    def __str__(self) -> str:
        return f"{self.element}={self.score}"


class IkmReport(TenantScopedModel):
    """A yearly IKM report as published: its figures (exact and official) and the signed PDF."""

    year = models.PositiveSmallIntegerField(_("tahun"))
    respondents = models.PositiveIntegerField(_("jumlah responden"))
    ikm_exact = models.DecimalField(_("IKM (bobot 1/9)"), max_digits=5, decimal_places=2, null=True)
    ikm_official = models.DecimalField(_("IKM (bobot 0,111)"), max_digits=5, decimal_places=2, null=True)
    grade = models.CharField(_("mutu pelayanan"), max_length=1, blank=True)
    document = models.ForeignKey("documents.OfficialDocument", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "year", "created_at"])]
        ordering = ["-year", "-created_at"]
        verbose_name = _("laporan IKM")
        verbose_name_plural = _("laporan IKM")

    def __str__(self) -> str:
        return f"Laporan IKM {self.year}"


class ComplaintSequence(TenantScopedModel):
    """The last complaint number handed out in a tenant and year (locked row, no gaps, no reuse)."""

    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "year"], name="licensing_feedback_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year}:{self.last}"


class Complaint(TenantScopedModel):
    """A complaint about a licensing service (SP4N-LAPOR!), moved only by its workflow."""

    number = models.CharField(_("nomor pengaduan"), max_length=20)
    # Anonymous complainants follow their complaint with the number and this secret (stored hashed).
    access_digest = models.CharField(max_length=64)
    channel = models.CharField(
        _("saluran"), max_length=10, choices=ComplaintChannel.choices, default=ComplaintChannel.WEB
    )
    complainant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact_name = models.CharField(_("nama pelapor"), max_length=120, blank=True)
    contact_email = models.EmailField(_("email pelapor"), blank=True)
    contact_phone = models.CharField(_("telepon pelapor"), max_length=20, blank=True)
    application = models.ForeignKey(
        "licensing.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    permit_type = models.ForeignKey(
        "licensing.PermitType", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("pokok pengaduan"), max_length=200)
    description = models.TextField(_("uraian pengaduan"))
    status = models.CharField(
        _("status"), max_length=12, choices=ComplaintStatus.choices, default=ComplaintStatus.NEW
    )
    version = models.PositiveIntegerField(default=0)
    band = models.CharField(
        _("kategori penyelesaian"), max_length=20, choices=ComplaintBand.choices, blank=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_org_unit = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer = models.TextField(_("jawaban"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    lapor_reference = models.CharField(_("nomor tiket SP4N-LAPOR!"), max_length=40, blank=True)
    received_at = models.DateTimeField(_("diterima"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "number"], name="licensing_feedback_complaint_number_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "status", "received_at"]),
            models.Index(fields=["tenant", "complainant", "received_at"]),
            models.Index(fields=["tenant", "lapor_reference"]),
        ]
        ordering = ["-received_at", "-pk"]
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")

    def __str__(self) -> str:
        return f"{self.number}: {self.subject}"
