"""A minimal case type that exercises the core workflow in tests (installed only by test settings)."""

from django.db import models

from praja.core.tenancy.models import TenantScopedModel


class SampleCase(TenantScopedModel):
    title = models.CharField(max_length=100)
    status = models.CharField(max_length=30, default="draft")
    applicant = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.title
