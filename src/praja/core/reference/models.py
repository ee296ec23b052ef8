"""Administrative areas (wilayah) with their Kemendagri codes: reference data shared by all tenants."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from praja.core.tenancy.models import GlobalModelMixin


class AreaLevel(models.TextChoices):
    PROVINCE = "province", _("Provinsi")
    REGENCY = "regency", _("Kabupaten/Kota")
    DISTRICT = "district", _("Kecamatan")
    VILLAGE = "village", _("Kelurahan/Desa")


class Area(GlobalModelMixin, models.Model):
    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    parent_code = models.CharField(_("kode induk"), max_length=13, blank=True, db_index=True)
    level = models.CharField(_("tingkat"), max_length=10, choices=AreaLevel.choices, db_index=True)
    name = models.CharField(_("nama"), max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ReferenceDataset(GlobalModelMixin, models.Model):
    """Which version of which vendored data set is loaded, with its licence."""

    name = models.CharField(max_length=80, unique=True)
    version = models.CharField(max_length=40)
    licence = models.CharField(max_length=120)
    source = models.CharField(max_length=200)
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} {self.version}"
