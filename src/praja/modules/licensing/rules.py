"""Pure rules of the licensing module: requirement checks, conditions, form data, coordinates,
numbers and SLA compliance. Nothing here touches the database, the disk or the request."""

from __future__ import annotations

import datetime
import decimal
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# --- Requirement checks -------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckContext:
    """What a requirement check may look at: the date entered with the upload and the filing date."""

    label: str
    valid_until: datetime.date | None
    submission_date: datetime.date


def check_not_expired(context: CheckContext) -> str | None:
    """The document (e.g. the STR) is still valid on the submission date."""
    if context.valid_until is None:
        return _('Isi tanggal "berlaku sampai" untuk %(label)s.') % {"label": context.label}
    if context.valid_until < context.submission_date:
        return _(
            "%(label)s sudah tidak berlaku sejak %(date)s; unggah dokumen yang masih berlaku "
            "pada tanggal pengajuan (%(today)s)."
        ) % {
            "label": context.label,
            "date": date_format(context.valid_until, "j F Y"),
            "today": date_format(context.submission_date, "j F Y"),
        }
    return None


def check_valid_six_months(context: CheckContext) -> str | None:
    """The document stays valid at least six months after submission (e.g. a vehicle test book)."""
    message = check_not_expired(context)
    if message:
        return message
    limit = add_months(context.submission_date, 6)
    if context.valid_until < limit:  # type: ignore[operator]
        return _(
            "%(label)s harus masih berlaku minimal 6 bulan sejak pengajuan (sampai %(date)s atau lebih)."
        ) % {"label": context.label, "date": date_format(limit, "j F Y")}
    return None


# Named checks a requirement can carry (Requirement.check_name); labels are shown to the admin.
REQUIREMENT_CHECKS: dict[str, tuple[Any, Callable[[CheckContext], str | None]]] = {
    "not_expired": (gettext_lazy("Masih berlaku pada tanggal pengajuan"), check_not_expired),
    "valid_six_months": (
        gettext_lazy("Masih berlaku minimal 6 bulan sejak pengajuan"),
        check_valid_six_months,
    ),
}


def check_needs_date(check_name: str) -> bool:
    return check_name in REQUIREMENT_CHECKS


def run_requirement_check(check_name: str, context: CheckContext) -> str | None:
    """Run the named check; None when it passes (or there is no check), else the refusal."""
    if not check_name:
        return None
    if check_name not in REQUIREMENT_CHECKS:
        raise ValueError(f"unknown requirement check {check_name!r}")
    return REQUIREMENT_CHECKS[check_name][1](context)


# --- Conditions and form data -------------------------------------------------------------------

_CONDITION = re.compile(r"^\s*(?P<key>[a-z][a-z0-9_]*)\s*(?P<op>==|!=)\s*(?P<value>.+?)\s*$")


def parse_condition(condition: str) -> tuple[str, str, str] | None:
    """`"practice_kind == mandiri"` -> ("practice_kind", "==", "mandiri"); None when empty."""
    if not condition.strip():
        return None
    match = _CONDITION.match(condition)
    if match is None:
        raise ValueError(
            _('Syarat "%(condition)s" tidak dikenali; tulis seperti: jenis_praktik == mandiri')
            % {"condition": condition}
        )
    value = match["value"].strip().strip("'\"")
    return match["key"], match["op"], value


def condition_holds(condition: str, form_data: dict[str, Any]) -> bool:
    """Whether a conditional requirement applies to this application's form data."""
    parsed = parse_condition(condition)
    if parsed is None:
        return True
    key, op, value = parsed
    actual = form_data.get(key)
    if isinstance(actual, bool):
        actual = "ya" if actual else "tidak"
    equal = str(actual if actual is not None else "").strip().lower() == value.lower()
    return equal if op == "==" else not equal


def coerce_form_value(kind: str, raw: Any, *, choices: Iterable[str] = ()) -> Any:
    """Turn a submitted value into the JSON value stored in form_data; ValueError with a message."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if kind == "number":
        try:
            number = decimal.Decimal(str(raw).replace(" ", "").replace(",", "."))
        except decimal.InvalidOperation as error:
            raise ValueError(_("Isi dengan angka.")) from error
        if not number.is_finite():
            raise ValueError(_("Isi dengan angka."))
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == "date":
        if isinstance(raw, datetime.date):
            return raw.isoformat()
        try:
            return datetime.date.fromisoformat(str(raw).strip()).isoformat()
        except ValueError as error:
            raise ValueError(_("Isi tanggal dengan format TTTT-BB-HH.")) from error
    if kind == "boolean":
        if isinstance(raw, bool):
            return raw
        return str(raw).strip().lower() in {"1", "true", "ya", "on", "yes"}
    if kind == "choice":
        value = str(raw).strip()
        allowed = list(choices)
        if value not in allowed:
            raise ValueError(_("Pilih salah satu pilihan yang tersedia."))
        return value
    return str(raw).strip()


# --- Field inspection coordinates ----------------------------------------------------------------

# Indonesia's bounding box, with a margin for the outer islands (Sabang/Rondo to Merauke, Miangas
# to Rote): latitude 6.5° S..6.5° N is too tight for Rote (-11.0), so the box is -11.5..6.5 lat,
# 94.5..141.5 long.
INDONESIA_LATITUDE = (decimal.Decimal("-11.5"), decimal.Decimal("6.5"))
INDONESIA_LONGITUDE = (decimal.Decimal("94.5"), decimal.Decimal("141.5"))


def validate_coordinates(latitude: Any, longitude: Any) -> dict[str, str]:
    """Field -> message for coordinates that are missing, malformed or outside Indonesia."""
    errors: dict[str, str] = {}
    for name, raw, (low, high) in (
        ("latitude", latitude, INDONESIA_LATITUDE),
        ("longitude", longitude, INDONESIA_LONGITUDE),
    ):
        try:
            value = decimal.Decimal(str(raw).strip().replace(",", "."))
            if not value.is_finite():
                raise decimal.InvalidOperation
        except (decimal.InvalidOperation, ValueError):
            errors[name] = _("Isi koordinat dengan angka desimal, misalnya -6.914744 atau 107.609810.")
            continue
        if not low <= value <= high:
            errors[name] = _(
                "Koordinat %(value)s berada di luar wilayah Indonesia (%(low)s sampai %(high)s)."
            ) % {"value": value, "low": low, "high": high}
    return errors


# --- Numbers ------------------------------------------------------------------------------------


def tracking_prefix_for(tenant_slug: str, configured: str = "") -> str:
    """The tenant's tracking prefix: configured, else "BDG"-style initials of the slug's last word."""
    if configured.strip():
        return configured.strip().upper()
    words = [word for word in tenant_slug.split("-") if word not in {"kota", "kabupaten", "provinsi"}]
    name = "".join(words) or tenant_slug
    # First letter, then the consonants, leaving out a nasal before another consonant
    # ("bandung" -> BDG, "serang" -> SRG, "mataram" -> MTR).
    letters = [name[0]]
    for index, char in enumerate(name[1:], start=1):
        following = name[index + 1] if index + 1 < len(name) else ""
        if char in "aeiou" or (char in "nm" and following and following not in "aeiou"):
            continue
        letters.append(char)
    return "".join(letters)[:3].upper()


def format_tracking_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:06d}"


def format_permit_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}/{sequence:05d}/DPMPTSP/{year}"


def format_letter_number(kind: str, year: int, sequence: int) -> str:
    return f"{sequence:04d}/{kind}/DPMPTSP/{year}"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus `months` calendar months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - 28 always exists


def permit_validity(valid_from: datetime.date, validity_months: int | None) -> datetime.date | None:
    """Last day of validity: the day before the same date `validity_months` later; None: no expiry."""
    if not validity_months:
        return None
    return add_months(valid_from, validity_months) - datetime.timedelta(days=1)


# --- SLA compliance ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Compliance:
    finished: int
    within_sla: int

    @property
    def share(self) -> decimal.Decimal | None:
        """Share finished within the SLA, as a percentage rounded to one decimal (None: nothing yet)."""
        if not self.finished:
            return None
        return (decimal.Decimal(self.within_sla) * 100 / self.finished).quantize(
            decimal.Decimal("0.1"), rounding=decimal.ROUND_HALF_UP
        )


def compliance_of(outcomes: Iterable[bool]) -> Compliance:
    """Count finished files and those finished within their SLA (True per file within it)."""
    finished = within = 0
    for within_sla in outcomes:
        finished += 1
        within += 1 if within_sla else 0
    return Compliance(finished=finished, within_sla=within)


def median(values: list[int | float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2
