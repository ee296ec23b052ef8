"""A tenant's own calendar days: regional days off and days that are worked despite the calendar."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from praja.core.tenancy.models import TenantScopedModel


class TenantHolidayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Hari libur daerah")
    WORKING_DAY = "working_day", _("Hari kerja pengganti")


class TenantHoliday(TenantScopedModel):
    """One date the tenant declares off (a regional holiday) or worked (overriding the calendar)."""

    date = models.DateField(_("tanggal"))
    name = models.CharField(_("keterangan"), max_length=150)
    kind = models.CharField(
        _("jenis"), max_length=20, choices=TenantHolidayKind.choices, default=TenantHolidayKind.DAY_OFF
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "date"], name="tenant_holiday_date_unique")]
        ordering = ["date"]
        verbose_name = _("hari libur daerah")
        verbose_name_plural = _("hari libur daerah")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
