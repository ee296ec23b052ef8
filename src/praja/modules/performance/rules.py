"""Pure rules of e-Kinerja: entry checks, credited minutes, deadlines, attendance days, deductions.

No database, no request: callers pass the config values, the calendar answer and the day's other
entries. Every refusal is an `EntryRefusal` with a code and a message in Indonesian naming the rule.
Defaults follow the domain brief §6.4–6.5 (Kab. Toba deduction table; PP 94/2021 disiplin PNS;
Perpres 21/2023 hari dan jam kerja); each tenant sets its own values in its PerformanceConfig.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

ZERO = Decimal("0")
HUNDRED = Decimal("100")


# --------------------------------------------------------------------------------------------
# Time helpers


def parse_hhmm(value: str) -> datetime.time:
    hours, minutes = value.split(":")
    return datetime.time(int(hours), int(minutes))


def minutes_of(moment: datetime.time) -> int:
    return moment.hour * 60 + moment.minute


def format_hhmm(moment: datetime.time) -> str:
    return f"{moment.hour:02d}.{moment.minute:02d}"


def office_window(office_hours: dict, day: datetime.date) -> tuple[datetime.time, datetime.time] | None:
    """Return (start, end) of office hours on `day`'s weekday, or None when the office is closed."""
    hours = office_hours.get(str(day.weekday()))
    if not hours:
        return None
    return parse_hhmm(hours[0]), parse_hhmm(hours[1])


def _shift(moment: datetime.time, minutes: int) -> datetime.time:
    total = max(0, min(24 * 60 - 1, minutes_of(moment) + minutes))
    return datetime.time(total // 60, total % 60)


# --------------------------------------------------------------------------------------------
# Deadlines


def validation_deadline(entry_date: datetime.date, day_of_next_month: int) -> datetime.date:
    """Return the last day a supervisor may validate an entry of `entry_date` (day N of next month)."""
    year, month = (
        (entry_date.year + 1, 1) if entry_date.month == 12 else (entry_date.year, entry_date.month + 1)
    )
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(max(day_of_next_month, 1), last))


def close_refusal(month: datetime.date, day_of_next_month: int, today: datetime.date) -> str:
    """Why a month may not be closed by hand yet ("" when it may): validation is still open.

    Supervisors validate until day N of the next month; a close before that would pay on entries
    that are still waiting (and count them as 0). Only after the deadline is the month final.
    """
    deadline = validation_deadline(month, day_of_next_month)
    if today > deadline:
        return ""
    return _(
        "Bulan %(month)s belum dapat ditutup: atasan masih dapat memvalidasi aktivitas sampai "
        "%(deadline)s. Tutup buku dapat dihitung mulai %(opens)s."
    ) % {
        "month": month.strftime("%m/%Y"),
        "deadline": deadline.strftime("%d-%m-%Y"),
        "opens": (deadline + datetime.timedelta(days=1)).strftime("%d-%m-%Y"),
    }


def entry_deadline(
    entry_date: datetime.date, working_days: int, is_working_day: Callable[[datetime.date], bool]
) -> datetime.date:
    """Return the last day (inclusive) an entry for `entry_date` may be written or changed (H+N)."""
    from praja.core.calendar.rules import add_working_days

    return add_working_days(entry_date, working_days, is_working_day)


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


# --------------------------------------------------------------------------------------------
# Activity entries


@dataclass(frozen=True)
class EntryRefusal:
    code: str
    message: str
    field: str = "__all__"


@dataclass(frozen=True)
class OtherEntry:
    """Another entry of the same employee and day (for the overlap check)."""

    start_time: datetime.time
    end_time: datetime.time
    label: str


def claimed_minutes(
    *, volume: int, standard_minutes: int, is_additional_task: bool, additional_task_weight: Decimal
) -> int:
    """volume × standard minutes, × the additional-task weight for a tugas tambahan (rounded down)."""
    minutes = Decimal(volume) * Decimal(standard_minutes)
    if is_additional_task:
        minutes *= Decimal(additional_task_weight)
    return int(minutes.to_integral_value(rounding=ROUND_FLOOR))


def check_entry(
    *,
    day: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    today: datetime.date,
    is_working_day: bool,
    non_working_reason: str,
    office_hours: dict,
    tolerance_before_minutes: int,
    tolerance_after_minutes: int,
    deadline: datetime.date,
    deadline_working_days: int,
    is_official_travel: bool,
    has_official_travel_approval: bool,
    others: Iterable[OtherEntry] = (),
    volume: int = 1,
) -> EntryRefusal | None:
    """Return the first rule the entry breaks, or None when it may be saved."""
    if volume < 1:
        return EntryRefusal("volume", _("Volume harus paling sedikit 1."), "volume")
    if end_time <= start_time:
        return EntryRefusal(
            "end_before_start",
            _("Jam selesai (%(end)s) harus setelah jam mulai (%(start)s).")
            % {"end": format_hhmm(end_time), "start": format_hhmm(start_time)},
            "end_time",
        )
    if day > today:
        return EntryRefusal(
            "future_day",
            _("Aktivitas tanggal %(date)s belum dapat diisi; isi aktivitas yang sudah dikerjakan.")
            % {"date": day.strftime("%d-%m-%Y")},
            "date",
        )
    if today > deadline:
        return EntryRefusal(
            "past_deadline",
            _(
                "Batas input aktivitas tanggal %(date)s adalah %(deadline)s (H+%(days)s hari kerja); "
                "hari itu sudah dikunci."
            )
            % {
                "date": day.strftime("%d-%m-%Y"),
                "deadline": deadline.strftime("%d-%m-%Y"),
                "days": deadline_working_days,
            },
            "date",
        )
    if is_official_travel and not has_official_travel_approval:
        return EntryRefusal(
            "no_official_travel",
            _(
                "Tanda dinas luar hanya boleh dipakai bila permohonan dinas luar untuk tanggal %(date)s "
                "sudah disetujui atasan."
            )
            % {"date": day.strftime("%d-%m-%Y")},
            "is_official_travel",
        )
    if not is_official_travel:
        if not is_working_day:
            return EntryRefusal(
                "not_working_day",
                _(
                    "Tanggal %(date)s bukan hari kerja (%(reason)s); aktivitas hanya dapat diisi pada hari "
                    "kerja, kecuali dinas luar."
                )
                % {"date": day.strftime("%d-%m-%Y"), "reason": non_working_reason},
                "date",
            )
        window = office_window(office_hours, day)
        if window is None:
            return EntryRefusal(
                "not_working_day",
                _("Tanggal %(date)s tidak memiliki jam kerja; aktivitas hanya dapat diisi pada hari kerja.")
                % {"date": day.strftime("%d-%m-%Y")},
                "date",
            )
        opens = _shift(window[0], -tolerance_before_minutes)
        closes = _shift(window[1], tolerance_after_minutes)
        if start_time < opens or end_time > closes:
            return EntryRefusal(
                "outside_office_hours",
                _(
                    "Aktivitas harus berada dalam jam kerja %(start)s–%(end)s (dengan toleransi: "
                    "%(opens)s–%(closes)s), kecuali dinas luar."
                )
                % {
                    "start": format_hhmm(window[0]),
                    "end": format_hhmm(window[1]),
                    "opens": format_hhmm(opens),
                    "closes": format_hhmm(closes),
                },
                "start_time",
            )
    for other in others:
        if start_time < other.end_time and other.start_time < end_time:
            return EntryRefusal(
                "overlap",
                _(
                    "Waktu %(start)s–%(end)s bertumpang tindih dengan aktivitas lain: "
                    "%(other)s (%(ostart)s–%(oend)s)."
                )
                % {
                    "start": format_hhmm(start_time),
                    "end": format_hhmm(end_time),
                    "other": other.label,
                    "ostart": format_hhmm(other.start_time),
                    "oend": format_hhmm(other.end_time),
                },
                "start_time",
            )
    return None


def allocate_daily_cap(claims: Sequence[tuple[int, int]], quota: int) -> dict[int, int]:
    """Fill the daily quota with (key, claimed minutes) in the given order; return key -> credited."""
    remaining = quota
    credited = {}
    for key, claimed in claims:
        minutes = max(0, min(claimed, remaining))
        credited[key] = minutes
        remaining -= minutes
    return credited


def cap_message(*, claimed: int, credited: int, quota: int) -> str:
    """The rule shown when the daily cap cut an entry's minutes ("" when it did not)."""
    if credited >= claimed:
        return ""
    return _(
        "Menit dihitung dibatasi kuota harian %(quota)s menit efektif: %(claimed)s menit diklaim, "
        "%(credited)s menit dihitung."
    ) % {"quota": quota, "claimed": claimed, "credited": credited}


def productivity_percent(*, approved_minutes: int, quota_minutes_per_day: int, working_days: int) -> Decimal:
    """Σ approved minutes ÷ (quota × effective working days), capped at 100 %, two decimals."""
    denominator = quota_minutes_per_day * working_days
    if denominator <= 0:
        return ZERO
    value = Decimal(approved_minutes) * HUNDRED / Decimal(denominator)
    return min(HUNDRED, value).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)


# --------------------------------------------------------------------------------------------
# Attendance


class DayState:
    HADIR = "HADIR"
    TL = "TL"
    PSW = "PSW"
    TK = "TK"
    IZIN = "IZIN"
    SAKIT = "SAKIT"
    CUTI = "CUTI"
    DL = "DL"
    TB = "TB"
    LIBUR = "LIBUR"
    BELUM = "BELUM"  # today, not over yet: no judgement


ABSENCE_STATE = {
    "cuti_tahunan": DayState.CUTI,
    "cuti_besar": DayState.CUTI,
    "cuti_melahirkan": DayState.CUTI,
    "cuti_alasan_penting": DayState.CUTI,
    "cuti_sakit": DayState.CUTI,
    "sakit": DayState.SAKIT,
    "izin": DayState.IZIN,
    "dinas_luar": DayState.DL,
}


@dataclass(frozen=True)
class DeductionTable:
    """The config's deduction table as plain values (percent of the discipline component)."""

    lateness_brackets: tuple[tuple[int, Decimal], ...]
    early_leave_brackets: tuple[tuple[int, Decimal], ...]
    absent_percent: Decimal
    apel_absence_percent: Decimal
    cap_percent: Decimal

    @classmethod
    def from_config(cls, config) -> DeductionTable:
        def brackets(rows):
            return tuple(sorted((int(start), Decimal(str(percent))) for start, percent in rows))

        return cls(
            lateness_brackets=brackets(config.lateness_brackets),
            early_leave_brackets=brackets(config.early_leave_brackets),
            absent_percent=Decimal(config.absent_deduction_percent),
            apel_absence_percent=Decimal(config.apel_absence_deduction_percent),
            cap_percent=Decimal(config.deduction_cap_percent),
        )


def bracket(minutes: int | None, brackets: Sequence[tuple[int, Decimal]]) -> tuple[int, Decimal]:
    """Return (level 1–4, percent) for `minutes` late/early; None minutes (no record) = top level."""
    if minutes is None:
        return len(brackets), brackets[-1][1]
    level, percent = 0, ZERO
    for index, (start, value) in enumerate(brackets, start=1):
        if minutes >= start:
            level, percent = index, value
    return level, percent


@dataclass(frozen=True)
class AttendanceDay:
    date: datetime.date
    state: str
    check_in: datetime.time | None = None
    check_out: datetime.time | None = None
    late_minutes: int = 0
    early_leave_minutes: int = 0
    lateness_code: str = ""  # "TL1".."TL4"
    early_leave_code: str = ""  # "PSW1".."PSW4"
    forgot_check_out: bool = False
    apel_absent: bool = False
    deduction_percent: Decimal = ZERO
    codes: tuple[str, ...] = field(default=())
    # (code, percent) of each deduction of the day, e.g. ("TL2", 1.00), ("APEL", 2.00), ("TK", 3.00)
    deductions: tuple[tuple[str, Decimal], ...] = field(default=())

    @property
    def is_working_day(self) -> bool:
        return self.state not in (DayState.LIBUR,)


def compute_attendance_day(
    *,
    day: datetime.date,
    is_working_day: bool,
    office_hours: dict,
    table: DeductionTable,
    check_in: datetime.time | None,
    check_out: datetime.time | None,
    absence_kind: str | None = None,
    is_on_study_leave: bool = False,
    apel_absent: bool = False,
    is_day_over: bool = True,
) -> AttendanceDay:
    """Return the state of one day with lateness/early-leave minutes and the deduction from `table`."""
    window = office_window(office_hours, day) if is_working_day else None
    if window is None:
        return AttendanceDay(day, DayState.LIBUR, check_in, check_out)
    if is_on_study_leave:
        return AttendanceDay(day, DayState.TB, check_in, check_out, codes=(DayState.TB,))
    if absence_kind:
        state = ABSENCE_STATE.get(absence_kind, DayState.IZIN)
        return AttendanceDay(day, state, check_in, check_out, codes=(state,))
    if check_in is None and check_out is None:
        if not is_day_over:
            return AttendanceDay(day, DayState.BELUM)
        items = ((DayState.TK, table.absent_percent),)
        if apel_absent:  # recorded separately by the OPD: it counts too (as in the monthly close)
            items += (("APEL", table.apel_absence_percent),)
        return AttendanceDay(
            day,
            DayState.TK,
            deduction_percent=sum((percent for _code, percent in items), ZERO),
            codes=tuple(code for code, _percent in items),
            apel_absent=apel_absent,
            deductions=items,
        )
    start, end = window
    late = None if check_in is None else max(0, minutes_of(check_in) - minutes_of(start))
    forgot = check_out is None and is_day_over
    early = None if forgot else (0 if check_out is None else max(0, minutes_of(end) - minutes_of(check_out)))
    late_level, late_percent = (0, ZERO) if late == 0 else bracket(late, table.lateness_brackets)
    early_level, early_percent = (0, ZERO) if early == 0 else bracket(early, table.early_leave_brackets)
    items: list[tuple[str, Decimal]] = []
    if late_level:
        items.append((f"TL{late_level}", late_percent))
    if early_level:
        items.append((f"PSW{early_level}", early_percent))
    if apel_absent:
        items.append(("APEL", table.apel_absence_percent))
    codes = [code for code, _percent in items]
    deduction = sum((percent for _code, percent in items), ZERO)
    state = DayState.TL if late_level else (DayState.PSW if early_level else DayState.HADIR)
    if not is_day_over and check_out is None and not late_level:
        state = DayState.HADIR
    return AttendanceDay(
        day,
        state,
        check_in,
        check_out,
        late_minutes=late or 0,
        early_leave_minutes=early or 0,
        lateness_code=f"TL{late_level}" if late_level else "",
        early_leave_code=f"PSW{early_level}" if early_level else "",
        forgot_check_out=forgot,
        apel_absent=apel_absent,
        deduction_percent=deduction,
        codes=tuple(codes),
        deductions=tuple(items),
    )


def month_deduction_percent(days: Iterable[AttendanceDay], cap_percent: Decimal) -> Decimal:
    """Σ the days' deductions, capped (100 % by default)."""
    total = sum((day.deduction_percent for day in days), ZERO)
    return min(Decimal(cap_percent), total)


# --------------------------------------------------------------------------------------------
# Check-in


# A client clock years off is recorded as this many seconds (the column is a 32-bit integer).
MAX_OFFSET_SECONDS = 2_000_000_000


def client_offset_seconds(
    server_time: datetime.datetime, client_time: datetime.datetime | None
) -> int | None:
    """client − server in whole seconds; recorded, never used as the event's time."""
    if client_time is None:
        return None
    seconds = int((client_time - server_time).total_seconds())
    return max(-MAX_OFFSET_SECONDS, min(MAX_OFFSET_SECONDS, seconds))


def distance_m(
    lat1: Decimal | float, lon1: Decimal | float, lat2: Decimal | float, lon2: Decimal | float
) -> int:
    """Great-circle distance in metres (haversine; the Earth as a 6,371 km sphere)."""
    from math import asin, cos, radians, sin, sqrt

    phi1, phi2 = radians(float(lat1)), radians(float(lat2))
    dphi = phi2 - phi1
    dlambda = radians(float(lon2) - float(lon1))
    a = sin(dphi / 2) ** 2 + cos(phi1) * cos(phi2) * sin(dlambda / 2) ** 2
    return int(round(2 * 6_371_000 * asin(sqrt(min(1.0, max(0.0, a))))))
