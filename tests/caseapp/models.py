"""A minimal case type that exercises the core workflow in tests (installed only by test settings)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from praja.core.tenancy.models import TenantScopedModel


class SampleStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    RETURNED = "returned", _("Dikembalikan ke pemohon")
    VERIFIED = "verified", _("Terverifikasi")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Dibatalkan pemohon")


class SampleCase(TenantScopedModel):
    title = models.CharField(max_length=100)
    status = models.CharField(max_length=30, choices=SampleStatus.choices, default=SampleStatus.DRAFT)
    applicant = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    org_unit = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    documents_complete = models.BooleanField(default=False)
    verified_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "berkas contoh"

    def __str__(self) -> str:
        return self.title
