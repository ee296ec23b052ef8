"""Working days per tenant: weekends, national holidays, cuti bersama, the tenant's own days, in
the tenant's timezone."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from praja.core.audit.models import AuditEvent
from praja.core.calendar import rules
from praja.core.calendar.actions import add_tenant_holiday, remove_tenant_holiday
from praja.core.calendar.models import TenantHoliday, TenantHolidayKind
from praja.core.calendar.selectors import (
    add_working_days,
    is_working_day,
    list_non_working_days,
    working_days_between,
)

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
D = datetime.date


def at(zone, *parts):
    return datetime.datetime(*parts, tzinfo=zone)


def end_of(zone, day):
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=zone)


def test_national_days_off_name_holidays_and_cuti_bersama_in_indonesian():
    days = rules.national_days_off(2026)
    assert days[D(2026, 8, 17)] == "Hari Kemerdekaan Republik Indonesia"
    assert days[D(2026, 5, 15)] == "Cuti Bersama Kenaikan Yesus Kristus"
    assert days[D(2026, 12, 24)] == "Cuti Bersama Hari Raya Natal"
    assert D(2026, 8, 13) not in days


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 8, 13), True),  # Thursday
        (D(2026, 8, 15), False),  # Saturday
        (D(2026, 8, 16), False),  # Sunday
        (D(2026, 8, 17), False),  # Monday, Hari Kemerdekaan
        (D(2026, 5, 15), False),  # Friday, cuti bersama after Kenaikan Yesus Kristus
        (D(2026, 12, 24), False),  # Thursday, cuti bersama Natal
        (D(2026, 8, 18), True),
    ],
)
def test_is_working_day(tenant_a, day, working):
    assert is_working_day(tenant_a, day) is working


def test_add_working_days_skips_weekend_and_independence_day(tenant_a):
    # Thursday 13 August: Friday is day 1; Saturday, Sunday and Monday 17 August are off.
    due = add_working_days(tenant_a, at(WIB, 2026, 8, 13, 10, 0), 2)
    assert due == end_of(WIB, D(2026, 8, 18))
    assert due.tzinfo == WIB
    assert working_days_between(tenant_a, at(WIB, 2026, 8, 13, 10, 0), due) == 2
    assert working_days_between(tenant_a, due, at(WIB, 2026, 8, 13, 10, 0)) == -2


def test_add_working_days_skips_cuti_bersama(tenant_a):
    # Wednesday 13 May 2026: Thursday is Kenaikan, Friday cuti bersama, then the weekend.
    assert add_working_days(tenant_a, D(2026, 5, 13), 1) == end_of(WIB, D(2026, 5, 18))
    assert add_working_days(tenant_a, D(2026, 5, 13), 0) == end_of(WIB, D(2026, 5, 13))


def test_arithmetic_uses_each_tenants_timezone(tenant_a, tenant_wita):
    # 23:30 WIB on Thursday is already 00:30 on Friday in Mataram (WITA).
    moment = at(WIB, 2026, 8, 13, 23, 30)
    assert add_working_days(tenant_a, moment, 1) == end_of(WIB, D(2026, 8, 14))
    assert add_working_days(tenant_wita, moment, 1) == end_of(WITA, D(2026, 8, 18))
    assert add_working_days(tenant_wita, moment, 1).utcoffset() == datetime.timedelta(hours=8)
    assert working_days_between(tenant_a, moment, at(WIB, 2026, 8, 14, 8, 0)) == 1
    assert working_days_between(tenant_wita, moment, at(WIB, 2026, 8, 14, 8, 0)) == 0


def test_year_boundary(tenant_a):
    # Wednesday 30 December 2026; 1 January 2027 is Tahun Baru Masehi.
    assert add_working_days(tenant_a, D(2026, 12, 30), 2) == end_of(WIB, D(2027, 1, 4))


def test_naive_datetime_is_refused(tenant_a):
    with pytest.raises(ValueError, match="aware datetime"):
        add_working_days(tenant_a, datetime.datetime(2026, 8, 13, 10, 0), 1)


def test_tenant_day_off_counts_only_for_that_tenant(tenant_a, tenant_b, make_person, in_tenant):
    admin = make_person(tenant_a, roles=["tenant_admin"])
    with in_tenant(tenant_a):
        assert add_working_days(tenant_a, D(2026, 9, 24), 1) == end_of(WIB, D(2026, 9, 25))  # cached now
        assert working_days_between(tenant_a, D(2026, 9, 24), D(2026, 9, 30)) == 4
        holiday = add_tenant_holiday(actor=admin, date=D(2026, 9, 25), name="Hari Jadi Kota Bandung")
    assert holiday.kind == TenantHolidayKind.DAY_OFF
    assert is_working_day(tenant_a, D(2026, 9, 25)) is False
    assert working_days_between(tenant_a, D(2026, 9, 24), D(2026, 9, 30)) == 3
    assert working_days_between(tenant_b, D(2026, 9, 24), D(2026, 9, 30)) == 4
    assert is_working_day(tenant_b, D(2026, 9, 25)) is True
    assert add_working_days(tenant_a, D(2026, 9, 24), 1) == end_of(WIB, D(2026, 9, 28))
    assert add_working_days(tenant_b, D(2026, 9, 24), 1) == end_of(WIB, D(2026, 9, 25))
    own = [day for day in list_non_working_days(tenant_a, 2026) if day.source == "tenant"]
    assert [(day.date, day.name) for day in own] == [(D(2026, 9, 25), "Hari Jadi Kota Bandung")]
    event = AuditEvent.objects.get(tenant=tenant_a, event_type="calendar.holiday_added")
    assert event.actor_id == admin.pk
    assert json.loads(event.data) == {
        "date": "2026-09-25",
        "kind": "day_off",
        "name": "Hari Jadi Kota Bandung",
    }

    with in_tenant(tenant_a):
        remove_tenant_holiday(actor=admin, date=D(2026, 9, 25))
    assert is_working_day(tenant_a, D(2026, 9, 25)) is True
    assert working_days_between(tenant_a, D(2026, 9, 24), D(2026, 9, 30)) == 4
    assert AuditEvent.objects.filter(tenant=tenant_a, event_type="calendar.holiday_removed").count() == 1


def test_extra_working_day_overrides_weekend_and_cuti_bersama(tenant_a, make_person, in_tenant):
    admin = make_person(tenant_a, roles=["tenant_admin"])
    with in_tenant(tenant_a):
        add_tenant_holiday(
            actor=admin,
            date=D(2026, 12, 24),
            name="Pelayanan akhir tahun",
            kind=TenantHolidayKind.WORKING_DAY,
        )
    assert is_working_day(tenant_a, D(2026, 12, 24)) is True
    assert add_working_days(tenant_a, D(2026, 12, 23), 1) == end_of(WIB, D(2026, 12, 24))


def test_official_without_calendar_permission_changes_nothing(tenant_a, make_person, in_tenant):
    official = make_person(tenant_a, roles=["official"])
    with in_tenant(tenant_a), pytest.raises(PermissionDenied, match="tidak berwenang"):
        add_tenant_holiday(actor=official, date=D(2026, 9, 25), name="Hari Jadi Kota Bandung")
    assert TenantHoliday.all_tenants.count() == 0
    assert not AuditEvent.objects.filter(event_type__startswith="calendar.").exists()
    assert is_working_day(tenant_a, D(2026, 9, 25)) is True


def test_admin_of_another_tenant_is_refused(tenant_a, tenant_b, make_person, in_tenant):
    other_admin = make_person(tenant_b, roles=["tenant_admin"])
    with in_tenant(tenant_a), pytest.raises(PermissionDenied):
        add_tenant_holiday(actor=other_admin, date=D(2026, 9, 25), name="Hari Jadi Kota Bandung")
    assert TenantHoliday.all_tenants.count() == 0


@pytest.mark.parametrize(
    ("day", "kind", "field", "message"),
    [
        (
            D(2026, 8, 17),
            "day_off",
            "date",
            "Senin, 17 Agustus 2026 sudah hari libur nasional: Hari Kemerdekaan Republik Indonesia.",
        ),
        (D(2026, 9, 26), "day_off", "date", "Sabtu, 26 September 2026 sudah akhir pekan."),
        (
            D(2026, 9, 23),
            "working_day",
            "date",
            "Rabu, 23 September 2026 sudah hari kerja; "
            "hari kerja pengganti hanya untuk akhir pekan atau hari libur.",
        ),
    ],
)
def test_bad_days_are_refused_with_the_reason(tenant_a, make_person, in_tenant, day, kind, field, message):
    admin = make_person(tenant_a, roles=["tenant_admin"])
    with in_tenant(tenant_a), pytest.raises(ValidationError) as refused:
        add_tenant_holiday(actor=admin, date=day, name="Libur", kind=kind)
    assert refused.value.message_dict == {field: [message]}
    assert TenantHoliday.all_tenants.count() == 0


def test_duplicate_and_blank_name_and_missing_removal(tenant_a, make_person, in_tenant):
    admin = make_person(tenant_a, roles=["tenant_admin"])
    with in_tenant(tenant_a):
        add_tenant_holiday(actor=admin, date=D(2026, 9, 25), name="Hari Jadi Kota Bandung")
        with pytest.raises(ValidationError) as duplicate:
            add_tenant_holiday(actor=admin, date=D(2026, 9, 25), name="Lagi")
        assert duplicate.value.message_dict == {
            "date": ["Jumat, 25 September 2026 sudah ada di kalender daerah: Hari Jadi Kota Bandung."]
        }
        with pytest.raises(ValidationError) as blank:
            add_tenant_holiday(actor=admin, date=D(2026, 9, 24), name="  ")
        assert blank.value.message_dict == {"name": ['Isi keterangan hari libur, misalnya "Hari Jadi Kota".']}
        with pytest.raises(ValidationError) as missing:
            remove_tenant_holiday(actor=admin, date=D(2026, 9, 24))
        assert missing.value.message_dict == {
            "date": ["Kamis, 24 September 2026 bukan hari libur daerah; tidak ada yang dihapus."]
        }
    assert TenantHoliday.all_tenants.count() == 1


def test_tenant_count_is_inverse_of_add_across_years(tenant_a):
    # From mid-December 2025 over New Year into 2027: both directions, whatever the span.
    for start in (D(2025, 12, 15), D(2026, 6, 30), D(2026, 12, 31)):
        for count in (0, 1, 5, 12, 60, 250, 400):
            end = add_working_days(tenant_a, start, count)
            assert working_days_between(tenant_a, start, end) == count
            assert working_days_between(tenant_a, end, start) == -count


def test_count_is_inverse_of_add_for_a_whole_year(tenant_a):
    checker = lambda day: is_working_day(tenant_a, day)  # noqa: E731
    start = D(2026, 1, 1)
    for count in range(0, 260, 7):
        end = rules.add_working_days(start, count, checker)
        assert rules.count_working_days(start, end, checker) == count
