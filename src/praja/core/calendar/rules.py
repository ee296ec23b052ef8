"""Working-day arithmetic, pure: no database, no request.

A working day is Monday to Friday that is neither a national holiday, nor a cuti bersama day, nor
a day the tenant declared off; a tenant may also declare a day worked (a "hari kerja pengganti").

National holidays and cuti bersama come from the `holidays` package (category "public" for hari
libur nasional, "government" for cuti bersama ASN). Both are set every year by the joint decree
of three ministers (SKB 3 Menteri tentang Hari Libur Nasional dan Cuti Bersama), so the dates of
a year are those of the package version pinned in requirements/base.txt; a decree that changes
late in the year is followed by upgrading the package or by a tenant's own day.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import lru_cache

import holidays
from holidays.constants import GOVERNMENT, PUBLIC

IsWorkingDay = Callable[[datetime.date], bool]

# The longest deadline the arithmetic will walk; a larger count is a programming error.
MAX_WORKING_DAYS = 3660


@lru_cache(maxsize=64)
def national_days_off(year: int) -> dict[datetime.date, str]:
    """Return Indonesia's hari libur nasional and cuti bersama of `year`, named in Indonesian."""
    days = holidays.country_holidays("ID", years=year, categories=(PUBLIC, GOVERNMENT), language="id")
    return dict(days.items())


def is_weekend(day: datetime.date) -> bool:
    return day.weekday() >= 5


def is_working_day(
    day: datetime.date,
    *,
    days_off: dict[datetime.date, str],
    extra_working_days: frozenset[datetime.date] | set[datetime.date] = frozenset(),
) -> bool:
    """Return whether `day` is worked, given the days off and the declared extra working days."""
    if day in extra_working_days:
        return True
    return not is_weekend(day) and day not in days_off


def add_working_days(start: datetime.date, count: int, is_working: IsWorkingDay) -> datetime.date:
    """Return the `count`-th working day after `start` (`start` itself never counts).

    A count of 0 returns `start` unchanged.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    if count > MAX_WORKING_DAYS:
        raise ValueError(f"count {count} exceeds {MAX_WORKING_DAYS} working days")
    day = start
    remaining = count
    while remaining:
        day += datetime.timedelta(days=1)
        if is_working(day):
            remaining -= 1
    return day


def count_working_days(start: datetime.date, end: datetime.date, is_working: IsWorkingDay) -> int:
    """Return the working days in (start, end]; negative, counting (end, start], when end < start.

    It is the inverse of `add_working_days`: count_working_days(d, add_working_days(d, n)) == n.
    """
    if end < start:
        return -count_working_days(end, start, is_working)
    total = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working(day):
            total += 1
    return total
