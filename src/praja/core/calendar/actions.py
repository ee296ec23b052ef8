"""Writers of the tenant calendar: a tenant admin adds and removes the region's own days."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from praja.core.audit.actions import record
from praja.core.calendar import rules
from praja.core.calendar.models import TenantHoliday, TenantHolidayKind
from praja.core.calendar.selectors import forget_cached_year
from praja.core.permissions.checks import require
from praja.core.permissions.roles import MANAGE_CALENDAR
from praja.core.tenancy.context import require_current_tenant, use_tenant
from praja.core.tenancy.models import Tenant


def _long_date(day: datetime.date) -> str:
    return date_format(day, "l, j F Y")


def add_tenant_holiday(
    *,
    actor,
    date: datetime.date,
    name: str,
    kind: str = TenantHolidayKind.DAY_OFF,
    tenant: Tenant | None = None,
) -> TenantHoliday:
    """Declare `date` a regional day off (or, with kind=WORKING_DAY, a day worked) for the tenant."""
    tenant = tenant or require_current_tenant()
    name = (name or "").strip()
    with use_tenant(tenant), transaction.atomic():
        require(actor, MANAGE_CALENDAR)
        if not name:
            raise ValidationError({"name": _('Isi keterangan hari libur, misalnya "Hari Jadi Kota".')})
        if kind not in TenantHolidayKind.values:
            raise ValidationError(
                {"kind": _("Pilih jenis hari: hari libur daerah atau hari kerja pengganti.")}
            )
        existing = TenantHoliday.objects.filter(date=date).first()
        if existing is not None:
            raise ValidationError(
                {
                    "date": _("%(date)s sudah ada di kalender daerah: %(name)s.")
                    % {"date": _long_date(date), "name": existing.name}
                }
            )
        national = rules.national_days_off(date.year).get(date)
        if kind == TenantHolidayKind.DAY_OFF:
            if national:
                raise ValidationError(
                    {
                        "date": _("%(date)s sudah hari libur nasional: %(name)s.")
                        % {"date": _long_date(date), "name": national}
                    }
                )
            if rules.is_weekend(date):
                raise ValidationError({"date": _("%(date)s sudah akhir pekan.") % {"date": _long_date(date)}})
        elif not national and not rules.is_weekend(date):
            raise ValidationError(
                {
                    "date": _(
                        "%(date)s sudah hari kerja; hari kerja pengganti hanya untuk "
                        "akhir pekan atau hari libur."
                    )
                    % {"date": _long_date(date)}
                }
            )
        holiday = TenantHoliday.objects.create(date=date, name=name, kind=kind, created_by=actor)
        record(
            "calendar.holiday_added",
            actor=actor,
            obj=holiday,
            data={"date": date.isoformat(), "name": name, "kind": kind},
        )
        _forget(tenant, date.year)
    return holiday


def remove_tenant_holiday(*, actor, date: datetime.date, tenant: Tenant | None = None) -> None:
    """Remove the tenant's own entry for `date`, which becomes an ordinary day again."""
    tenant = tenant or require_current_tenant()
    with use_tenant(tenant), transaction.atomic():
        require(actor, MANAGE_CALENDAR)
        holiday = TenantHoliday.objects.select_for_update().filter(date=date).first()
        if holiday is None:
            raise ValidationError(
                {
                    "date": _("%(date)s bukan hari libur daerah; tidak ada yang dihapus.")
                    % {"date": _long_date(date)}
                }
            )
        record(
            "calendar.holiday_removed",
            actor=actor,
            obj=holiday,
            data={"date": date.isoformat(), "name": holiday.name, "kind": holiday.kind},
        )
        holiday.delete()
        _forget(tenant, date.year)


def _forget(tenant: Tenant, year: int) -> None:
    # Now, for reads later in this transaction, and after commit, for reads that raced it.
    forget_cached_year(tenant, year)
    transaction.on_commit(lambda: forget_cached_year(tenant, year))
