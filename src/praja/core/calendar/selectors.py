"""Reads of the working-day calendar of a tenant, always in the tenant's own timezone.

    is_working_day(tenant, date)                 -> bool
    add_working_days(tenant, start, n)           -> aware datetime: the end of the n-th working day
    working_days_between(tenant, start, end)     -> int: working days in (start, end], negative if end < start
    list_non_working_days(tenant, year)          -> [NonWorkingDay]: national, cuti bersama, regional
    list_tenant_holidays(tenant, year=None)      -> the tenant's own days

`start` and `end` may be dates (taken as local dates) or aware datetimes (converted to the tenant's
timezone first: 23:30 WIB on Friday is still Friday in Bandung, though it is Saturday in Mataram).
"""

from __future__ import annotations

import datetime
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.utils import timezone

from praja.core.calendar import rules
from praja.core.calendar.models import TenantHoliday, TenantHolidayKind
from praja.core.tenancy.models import Tenant

# Tenant days are cached per tenant and year; actions delete the entry when they change one.
CACHE_SECONDS = 3600


@dataclass(frozen=True)
class NonWorkingDay:
    date: datetime.date
    name: str
    source: str  # "national", "tenant"


@dataclass(frozen=True)
class _TenantYear:
    year: int
    days_off: dict[datetime.date, str]
    extra_working_days: frozenset[datetime.date]

    def is_working_day(self, day: datetime.date) -> bool:
        return rules.is_working_day(day, days_off=self.days_off, extra_working_days=self.extra_working_days)

    @cached_property
    def working_ordinals(self) -> list[int]:
        """The year's working days as sorted date ordinals: a count over a range is two bisections."""
        first = datetime.date(self.year, 1, 1).toordinal()
        after = datetime.date(self.year + 1, 1, 1).toordinal()
        return [
            ordinal
            for ordinal in range(first, after)
            if self.is_working_day(datetime.date.fromordinal(ordinal))
        ]


def tenant_timezone(tenant: Tenant) -> ZoneInfo:
    return ZoneInfo(tenant.timezone)


def local_date(tenant: Tenant, moment: datetime.date | datetime.datetime) -> datetime.date:
    """Return the tenant's calendar date of `moment` (a date is returned as it is)."""
    if isinstance(moment, datetime.datetime):
        if timezone.is_naive(moment):
            raise ValueError("calendar arithmetic needs an aware datetime")
        return moment.astimezone(tenant_timezone(tenant)).date()
    return moment


def end_of_day(tenant: Tenant, day: datetime.date) -> datetime.datetime:
    """Return the last instant of `day` in the tenant's timezone (23:59:59.999999 local)."""
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=tenant_timezone(tenant))


def cache_key(tenant: Tenant, year: int) -> str:
    # created_at tells apart tenants that reuse a primary key (a re-created test database).
    stamp = tenant.created_at.timestamp() if tenant.created_at else 0
    return f"praja:workcalendar:{tenant.pk}:{stamp}:{year}"


def _tenant_days(tenant: Tenant, year: int) -> list[tuple[str, str, str]]:
    key = cache_key(tenant, year)
    days = cache.get(key)
    if days is None:
        days = [
            (day.isoformat(), name, kind)
            for day, name, kind in TenantHoliday.all_tenants.filter(tenant=tenant, date__year=year)
            .order_by("date")
            .values_list("date", "name", "kind")
        ]
        cache.set(key, days, CACHE_SECONDS)
    return days


# (tenant pk, year) -> (the tenant's days as cached, the year built from them). The shared cache
# stays the authority (a change deletes its key in every process); this only spares rebuilding the
# same year from the same days on every SLA look-up.
_built_years: dict[tuple[int, int], tuple[list, _TenantYear]] = {}


def _tenant_year(tenant: Tenant, year: int, memo: dict | None = None) -> _TenantYear:
    if memo is not None and year in memo:
        return memo[year]
    days = _tenant_days(tenant, year)
    built = _built_years.get((tenant.pk, year))
    if built is None or built[0] != days:
        built = (days, _build_year(year, days))
        _built_years[(tenant.pk, year)] = built
    result = built[1]
    if memo is not None:
        memo[year] = result
    return result


def _build_year(year: int, days: list[tuple[str, str, str]]) -> _TenantYear:
    days_off = dict(rules.national_days_off(year))
    extra: set[datetime.date] = set()
    for iso, name, kind in days:
        day = datetime.date.fromisoformat(iso)
        if kind == TenantHolidayKind.WORKING_DAY:
            extra.add(day)
            days_off.pop(day, None)
        else:
            days_off[day] = name
    return _TenantYear(year, days_off, frozenset(extra))


def _checker(tenant: Tenant) -> rules.IsWorkingDay:
    memo: dict[int, _TenantYear] = {}
    return lambda day: _tenant_year(tenant, day.year, memo).is_working_day(day)


def is_working_day(tenant: Tenant, day: datetime.date | datetime.datetime) -> bool:
    """Return whether `day` (a date, or the tenant's local date of a datetime) is a working day."""
    day = local_date(tenant, day)
    return _tenant_year(tenant, day.year).is_working_day(day)


def add_working_days(
    tenant: Tenant, start: datetime.date | datetime.datetime, count: int
) -> datetime.datetime:
    """Return the end (23:59:59.999999 local) of the `count`-th working day after `start`.

    The day of `start` does not count: a file received on Friday with 1 working day is due at the
    end of Monday, or of Tuesday when Monday is a holiday.
    """
    day = rules.add_working_days(local_date(tenant, start), count, _checker(tenant))
    return end_of_day(tenant, day)


def working_days_between(
    tenant: Tenant, start: datetime.date | datetime.datetime, end: datetime.date | datetime.datetime
) -> int:
    """Return the working days in (start, end] by local date; negative when `end` is before `start`."""
    first, last = local_date(tenant, start), local_date(tenant, end)
    if last < first:
        return -working_days_between(tenant, last, first)
    total = 0
    for year in range(first.year, last.year + 1):
        ordinals = _tenant_year(tenant, year).working_ordinals
        # Working days after `first` and up to `last`, within this year.
        after = bisect_right(ordinals, first.toordinal()) if year == first.year else 0
        upto = bisect_right(ordinals, last.toordinal()) if year == last.year else len(ordinals)
        total += upto - after
    return total


def list_non_working_days(tenant: Tenant, year: int) -> list[NonWorkingDay]:
    """Return the holidays of `year` (national, cuti bersama and the tenant's own days off), by date."""
    tenant_year = _tenant_year(tenant, year)
    own = {
        datetime.date.fromisoformat(iso)
        for iso, _name, kind in _tenant_days(tenant, year)
        if kind == TenantHolidayKind.DAY_OFF
    }
    national = rules.national_days_off(year)
    return [
        NonWorkingDay(day, name, "tenant" if day in own and day not in national else "national")
        for day, name in sorted(tenant_year.days_off.items())
    ]


def list_tenant_holidays(tenant: Tenant, year: int | None = None):
    """Return the tenant's own days (days off and extra working days), by date."""
    days = TenantHoliday.all_tenants.filter(tenant=tenant)
    if year is not None:
        days = days.filter(date__year=year)
    return days.order_by("date")


def forget_cached_year(tenant: Tenant, year: int) -> None:
    cache.delete(cache_key(tenant, year))
