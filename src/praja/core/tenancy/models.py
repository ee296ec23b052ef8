"""Tenants (one Pemerintah Daerah each) and the base class of every tenant-owned model."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from praja.core.tenancy.context import require_current_tenant


class TenantLevel(models.TextChoices):
    PROVINCE = "provinsi", _("Provinsi")
    REGENCY = "kabupaten", _("Kabupaten")
    CITY = "kota", _("Kota")


class IndonesianTimezone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (UTC+7)")
    WITA = "Asia/Makassar", _("WITA (UTC+8)")
    WIT = "Asia/Jayapura", _("WIT (UTC+9)")


class Tenant(models.Model):
    """One regional government, identified by its Kemendagri code (`32.73`)."""

    code = models.CharField(_("kode Kemendagri"), max_length=5, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.CharField(_("tingkat"), max_length=10, choices=TenantLevel.choices)
    province_code = models.CharField(_("kode provinsi"), max_length=2)
    province_name = models.CharField(_("provinsi"), max_length=80)
    timezone = models.CharField(_("zona waktu"), max_length=20, choices=IndonesianTimezone.choices)
    host_name = models.CharField(_("nama host"), max_length=253, unique=True, null=True, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Letterhead (kop surat) printed on every official document of the tenant.
    letterhead_title = models.CharField(_("judul kop surat"), max_length=200, blank=True)
    letterhead_address = models.CharField(_("alamat kop surat"), max_length=300, blank=True)
    letterhead_contact = models.CharField(_("kontak kop surat"), max_length=300, blank=True)
    logo = models.ImageField(_("logo"), upload_to="tenant-logos/", blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("pemerintah daerah")
        verbose_name_plural = _("pemerintah daerah")

    def __str__(self) -> str:
        return self.name

    @property
    def timezone_label(self) -> str:
        return {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}[self.timezone]

    @property
    def display_letterhead_title(self) -> str:
        return self.letterhead_title or f"Pemerintah {self.name}"


class TenantScopedQuerySet(models.QuerySet):
    pass


class TenantScopedManager(models.Manager):
    """Default manager of tenant-owned models: always filtered to the active tenant."""

    def get_queryset(self) -> TenantScopedQuerySet:
        tenant = require_current_tenant()
        return TenantScopedQuerySet(self.model, using=self._db).filter(tenant_id=tenant.pk)


class TenantScopedModel(models.Model):
    """Base of every tenant-owned row: `tenant` is set from the context and filtered on read.

    `objects` refuses to run without an active tenant. `all_tenants` crosses tenants and is
    reserved for the named, audited cross-tenant paths (KPK view, platform statistics, verify).
    """

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+", editable=False)

    objects = TenantScopedManager()
    all_tenants = models.Manager()  # noqa: DJ012 - a manager, which ruff takes for a field

    tenant_scoped = True

    class Meta:
        abstract = True
        base_manager_name = "all_tenants"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.tenant_id is None:
            self.tenant = require_current_tenant()
        super().save(*args, **kwargs)


class GlobalModelMixin:
    """Marks a model as deliberately shared by all tenants (reference data, people, tenants)."""

    tenant_scoped = False


class TenantModule(TenantScopedModel):
    """A module a tenant has switched on, with the tenant's parameters for it."""

    module = models.CharField(_("modul"), max_length=50)
    is_enabled = models.BooleanField(_("aktif"), default=True)
    parameters = models.JSONField(_("parameter"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "module"], name="tenant_module_unique")]
        ordering = ["module"]

    def __str__(self) -> str:
        return f"{self.tenant_id}:{self.module}"
