"""Pure rules of the satisfaction survey (IKM) and of complaints: no database, no request.

IKM (PermenPANRB 14/2017):
    NRR_i = Σ scores of element i ÷ respondents who answered element i
    IKM   = (Σ NRR_i × w) × 25

The regulation's weight is w = 1/9; its tables print w = 0.111. `compute_ikm` returns both: `exact`
(w = 1/9) and `official` (w = 0.111, the figure units publish and which is graded). Arithmetic is
exact (fractions) until the one explicit rounding, half up, to two decimals (NRR to four).
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from praja.modules.licensing.feedback.constants import (
    COMPLAINT_BAND_PARAMETERS,
    FEEDBACK_DEFAULT_PARAMETERS,
    IKM_CONVERSION_FACTOR,
    IKM_ELEMENT_CODES,
    IKM_GRADE_BANDS,
    IKM_OFFICIAL_WEIGHT,
    SCORE_MAX,
    SCORE_MIN,
    IkmGradeBand,
)

TWO_PLACES = 2
NRR_PLACES = 4


def round_half_up(value: Fraction | Decimal | int, places: int = TWO_PLACES) -> Decimal:
    """Round an exact value half up to `places` decimals, without an inexact intermediate step."""
    fraction = Fraction(value)
    scale = 10**places
    scaled = fraction * scale
    # Half up away from zero; IKM figures are never negative, but keep the rule symmetric.
    sign = -1 if scaled < 0 else 1
    whole = int(abs(scaled) + Fraction(1, 2))
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(sign * whole) / Decimal(scale)).quantize(quantum, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ElementResult:
    code: str
    total: int
    answered: int
    nrr: Decimal | None  # rounded to four decimals for display; the IKM uses the exact value


@dataclass(frozen=True)
class IkmFigures:
    respondents: int
    elements: tuple[ElementResult, ...] = field(default=())
    exact: Decimal | None = None  # w = 1/9, rounded half up to two decimals
    official: Decimal | None = None  # w = 0.111 (published tables), rounded half up to two decimals
    grade: str = ""
    grade_label: str = ""

    @property
    def is_complete(self) -> bool:
        return self.official is not None


def grade_band(value: Decimal) -> IkmGradeBand:
    """Return the grade band of an IKM figure (rounded to two decimals first).

    Below 25.00 (only reachable with w = 0.111 when every answer is 1: 24.98) is still D.
    """
    rounded = round_half_up(Decimal(value))
    for band in IKM_GRADE_BANDS:
        if rounded >= band.lower:
            return band
    return IKM_GRADE_BANDS[-1]


def compute_ikm(
    element_totals: Mapping[str, tuple[int, int]],
    respondents: int,
    *,
    official_weight: Decimal = IKM_OFFICIAL_WEIGHT,
) -> IkmFigures:
    """Compute NRR per element and the IKM from {code: (sum of scores, respondents answering)}.

    Every one of the nine elements needs at least one answer; otherwise the figures stay None
    (an IKM over fewer elements is not the regulation's index).
    """
    elements = []
    nrr_exact: dict[str, Fraction] = {}
    for code in IKM_ELEMENT_CODES:
        total, answered = element_totals.get(code, (0, 0))
        if answered:
            if not (SCORE_MIN * answered <= total <= SCORE_MAX * answered):
                raise ValueError(f"{code}: total {total} impossible for {answered} answers on a 1–4 scale")
            nrr_exact[code] = Fraction(total, answered)
        elements.append(
            ElementResult(
                code=code,
                total=total,
                answered=answered,
                nrr=round_half_up(nrr_exact[code], NRR_PLACES) if answered else None,
            )
        )
    if respondents <= 0 or len(nrr_exact) != len(IKM_ELEMENT_CODES):
        return IkmFigures(respondents=max(respondents, 0), elements=tuple(elements))
    nrr_sum = sum(nrr_exact.values(), Fraction(0))
    exact = nrr_sum * Fraction(1, len(IKM_ELEMENT_CODES)) * IKM_CONVERSION_FACTOR
    official = nrr_sum * Fraction(official_weight) * IKM_CONVERSION_FACTOR
    official_rounded = round_half_up(official)
    band = grade_band(official_rounded)
    return IkmFigures(
        respondents=respondents,
        elements=tuple(elements),
        exact=round_half_up(exact),
        official=official_rounded,
        grade=band.grade,
        grade_label=str(band.label),
    )


def validate_scores(answers: Mapping[str, object]) -> dict[str, str]:
    """Return {element code: Indonesian error} for missing or out-of-scale answers (all nine needed)."""
    errors = {}
    for code in IKM_ELEMENT_CODES:
        value = answers.get(code)
        if value in (None, ""):
            errors[code] = _("Pilih nilai 1–4 untuk unsur %(code)s.") % {"code": code}
            continue
        try:
            score = int(value)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            score = 0
        if not SCORE_MIN <= score <= SCORE_MAX or str(score) != str(value).strip():
            errors[code] = _("Nilai unsur %(code)s harus 1, 2, 3 atau 4.") % {"code": code}
    unknown = sorted(set(answers) - set(IKM_ELEMENT_CODES))
    if unknown:
        errors["__all__"] = _("Unsur tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)}
    return errors


# Periods ---------------------------------------------------------------------------------------

_PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<quarter>[Qq][1-4])|(?P<month>0[1-9]|1[0-2])))?$")


@dataclass(frozen=True)
class Period:
    """A reporting period: a year, a quarter or a month; `end` is exclusive."""

    kind: str  # "year" | "quarter" | "month"
    year: int
    number: int  # quarter 1–4 or month 1–12; 0 for a year
    start: datetime.date
    end: datetime.date

    @property
    def code(self) -> str:
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        return str(self.year)

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return _("Triwulan %(number)s %(year)s") % {"number": self.number, "year": self.year}
        if self.kind == "month":
            return _("%(month)s %(year)s") % {"month": MONTH_NAMES[self.number - 1], "year": self.year}
        return _("Tahun %(year)s") % {"year": self.year}


MONTH_NAMES = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


class PeriodError(ValueError):
    pass


def year_period(year: int) -> Period:
    return Period("year", year, 0, datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1))


def quarter_period(year: int, quarter: int) -> Period:
    start = datetime.date(year, 3 * (quarter - 1) + 1, 1)
    end = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    return Period("quarter", year, quarter, start, end)


def month_period(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(
        "month",
        year,
        month,
        datetime.date(year, month, 1),
        datetime.date(year, month, last) + datetime.timedelta(days=1),
    )


def parse_period(text: str) -> Period:
    """Parse "2026", "2026-Q2" or "2026-05"; raise PeriodError with an Indonesian message."""
    match = _PERIOD.match((text or "").strip())
    if not match or not 2000 <= int(match["year"]) <= 2100:
        raise PeriodError(
            _("Periode tidak dikenali: tulis tahun (2026), triwulan (2026-Q2) atau bulan (2026-05).")
        )
    year = int(match["year"])
    if match["quarter"]:
        return quarter_period(year, int(match["quarter"][1]))
    if match["month"]:
        return month_period(year, int(match["month"]))
    return year_period(year)


# Complaints ------------------------------------------------------------------------------------


def complaint_band_days(band: str, parameters: Mapping[str, object] | None = None) -> int:
    """Working days allowed to resolve a complaint of `band`, from the tenant's parameters."""
    key = COMPLAINT_BAND_PARAMETERS[band]
    value = (parameters or {}).get(key, FEEDBACK_DEFAULT_PARAMETERS[key])
    days = int(value)  # type: ignore[call-overload]
    if days < 1:
        raise ValueError(f"{key} must be at least one working day")
    return days


def remaining_band_days(band_days: int, elapsed_working_days: int) -> int:
    """Working days left on the clock when a complaint received `elapsed` working days ago is assigned.

    The deadline counts from receipt (Perpres 76/2013): assigning late does not lengthen it. An
    assignment past the deadline leaves zero days: the clock is due at the end of today.
    """
    return max(band_days - max(elapsed_working_days, 0), 0)


MIN_FILL_SECONDS = 3
MAX_LINKS = 2
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


def spam_refusal(*, honeypot: str, elapsed_seconds: float | None, text: str) -> str | None:
    """Return why an anonymous submission looks automated, or None.

    Three cheap checks: a hidden field a person never fills, a form sent faster than a person can
    type, and a message that is mostly links.
    """
    if honeypot.strip():
        return _("Pengiriman ditolak karena terdeteksi otomatis. Muat ulang halaman lalu isi kembali.")
    if elapsed_seconds is None or elapsed_seconds < MIN_FILL_SECONDS:
        return _("Formulir dikirim terlalu cepat. Baca kembali isian Anda, lalu kirim ulang.")
    if len(_LINK.findall(text or "")) > MAX_LINKS:
        return _("Uraian berisi terlalu banyak tautan (paling banyak %(count)s).") % {"count": MAX_LINKS}
    return None
