"""Pure TPP rules: productivity, discipline and the monthly TPP with every withheld Rupiah explained.

Nothing here touches the database. Legal basis: PP 12/2019 Pasal 58 (TPP by workload and work
performance, set by Perkada); Kepmendagri 900-4700/2020 (the 60 % productivity / 40 % discipline
split, weights configurable); the CPNS share (80 %) and the statuses that are not paid come from
the tenant's Perkada through the performance configuration.

Rounding rule (one rule, so the parts always sum):
- percentages are kept to two decimals: productivity rounded down (``productivity_percent``),
  the rest half up (``quantize_percent``);
- Rupiah amounts are whole Rupiah, rounded half up, and only at these points:
  1. the employee's ceiling (besaran TPP × CPNS share);
  2. the kinerja ceiling (ceiling × kinerja weight); the disiplin ceiling is the rest
     (ceiling − kinerja ceiling), never rounded separately;
  3. the kinerja part (kinerja ceiling × productivity);
  4. the cumulative discipline withholding after each deduction (disiplin ceiling × running total
     of deduction %, capped at 100 %); each deduction withholds the difference between two
     consecutive cumulative amounts, so the items add up to the discipline withholding exactly.
So ``sum(withheld) == ceiling − gross`` holds for every input.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

HUNDRED = Decimal(100)
ZERO = Decimal(0)
CENT = Decimal("0.01")

DEFAULT_KINERJA_WEIGHT = Decimal(60)
DEFAULT_DISIPLIN_WEIGHT = Decimal(40)
DEFAULT_CPNS_SHARE = Decimal(80)
DEFAULT_CPNS_TYPES = frozenset({"cpns"})

# Kinds of withheld items (stable codes for exports and tests; `reason` is the text people read).
WITHHELD_NOT_PAID = "not_paid"
WITHHELD_PRODUCTIVITY = "productivity"
WITHHELD_DEDUCTION = "deduction"


def to_decimal(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        # Floats carry binary noise (0.1 + 0.2); go through their shortest repr.
        return Decimal(repr(value))
    return Decimal(value)


def quantize_percent(value) -> Decimal:
    """Two decimals, half up: the percentage people see is the one the formula uses."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def round_rupiah(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_rupiah(amount: int) -> str:
    """Rp1.234.567 (Indonesian thousands separator); negative amounts keep their sign."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(int(amount)):,}".replace(",", ".")


@functools.lru_cache(maxsize=4096)
def format_percent(value) -> str:
    """3,5 % / 90 % / 0,25 % (Indonesian decimal comma, no trailing zeros).

    Cached: equal values (1, 1.0, Decimal("1.00")) quantize to the same text.
    """
    return _format_percent(quantize_percent(value))


@functools.lru_cache(maxsize=4096)
def _format_percent(value: Decimal) -> str:
    number = value.normalize()
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") + " %"


def productivity_percent(approved_minutes: int, *, quota_minutes_per_day: int, working_days: int) -> Decimal:
    """Σ approved minutes ÷ (daily quota × effective working days), capped at 100 %, two decimals.

    Rounded down (never pays for minutes not worked; the same as P1's estimate on "my month").
    A month without working days (or without a quota) has nothing to measure: 0 %.
    """
    expected = int(quota_minutes_per_day) * int(working_days)
    if expected <= 0 or approved_minutes <= 0:
        return ZERO.quantize(CENT)
    value = Decimal(int(approved_minutes)) * HUNDRED / Decimal(expected)
    return min(value, HUNDRED).quantize(CENT, rounding=ROUND_FLOOR)


def discipline_percent(deduction_percents: Iterable) -> Decimal:
    """100 % − Σ deductions, floored at 0 %."""
    total = sum((to_decimal(value) for value in deduction_percents), ZERO)
    return quantize_percent(max(ZERO, HUNDRED - total))


@dataclass(frozen=True)
class Deduction:
    """One discipline deduction of the month: code (TL2, PSW1, TK, APEL...), day and percent."""

    code: str
    date: datetime.date
    percent: Decimal
    label: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "percent", to_decimal(self.percent))
        if self.percent < 0:
            raise ValueError("a deduction percent cannot be negative")


@dataclass(frozen=True)
class WithheldItem:
    kind: str
    reason: str
    amount: int
    code: str = ""
    date: datetime.date | None = None

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "code": self.code,
            "date": self.date.isoformat() if self.date else None,
            "amount": self.amount,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class TppResult:
    class_amount: int  # besaran TPP of the job class
    ceiling: int  # the employee's pagu this month (after the CPNS share)
    is_paid: bool
    productivity_percent: Decimal
    deduction_percent: Decimal  # Σ deductions, capped at 100 %
    discipline_percent: Decimal  # 100 % − deduction_percent
    kinerja_ceiling: int
    disiplin_ceiling: int
    kinerja_part: int
    disiplin_part: int
    withheld: tuple[WithheldItem, ...] = field(default=())

    @property
    def gross(self) -> int:
        return self.kinerja_part + self.disiplin_part

    @property
    def withheld_total(self) -> int:
        return sum(item.amount for item in self.withheld)

    def as_dict(self) -> dict:
        """JSON-ready form (stored with the monthly result)."""
        return {
            "class_amount": self.class_amount,
            "ceiling": self.ceiling,
            "is_paid": self.is_paid,
            "productivity_percent": str(self.productivity_percent),
            "deduction_percent": str(self.deduction_percent),
            "discipline_percent": str(self.discipline_percent),
            "kinerja_ceiling": self.kinerja_ceiling,
            "disiplin_ceiling": self.disiplin_ceiling,
            "kinerja_part": self.kinerja_part,
            "disiplin_part": self.disiplin_part,
            "gross": self.gross,
            "withheld": [item.as_dict() for item in self.withheld],
        }


def compute_tpp(
    *,
    class_amount: int,
    employment_type: str,
    pay_status: str,
    productivity: Decimal | int | str,
    deductions: Sequence[Deduction] = (),
    kinerja_weight: Decimal | int | str = DEFAULT_KINERJA_WEIGHT,
    disiplin_weight: Decimal | int | str = DEFAULT_DISIPLIN_WEIGHT,
    cpns_share: Decimal | int | str = DEFAULT_CPNS_SHARE,
    cpns_types: Iterable[str] = DEFAULT_CPNS_TYPES,
    statuses_not_paid: Iterable[str] = (),
    status_label: str = "",
    deduction_cap: Decimal | int | str = HUNDRED,
) -> TppResult:
    """Compute one employee's monthly TPP (performance-based part) and explain every withheld Rupiah.

    kinerja_part  = kinerja weight × ceiling × productivity %   (productivity capped at 100 %)
    disiplin_part = disiplin weight × ceiling × (100 % − Σ deductions %, floored at 0 %)
    ceiling       = besaran TPP of the class × CPNS share (CPNS only)

    `productivity` is a percent (0–100; above 100 counts as 100). Weights are percents and must add
    up to 100. Σ deductions is capped at `deduction_cap` (at most 100 %). An employee whose
    `pay_status` is in `statuses_not_paid` gets nothing, with one withheld item naming the status.
    See the module docstring for the rounding rule.
    """
    base = tpp_ceiling(
        class_amount=class_amount,
        employment_type=employment_type,
        pay_status=pay_status,
        kinerja_weight=kinerja_weight,
        disiplin_weight=disiplin_weight,
        cpns_share=cpns_share,
        cpns_types=cpns_types,
        statuses_not_paid=statuses_not_paid,
        status_label=status_label,
        deduction_cap=deduction_cap,
    )
    ordered = in_explanation_order(deductions)
    language = translation.get_language() or "id"
    parts = undated_tpp(base, productivity, ordered, language)
    withheld = [*parts.withheld, *dated_deductions(base, ordered, parts, language)]
    return TppResult(
        class_amount=base.class_amount,
        ceiling=base.ceiling,
        is_paid=base.is_paid,
        productivity_percent=parts.productivity_percent,
        deduction_percent=parts.deduction_percent,
        discipline_percent=parts.discipline_percent,
        kinerja_ceiling=base.kinerja_ceiling,
        disiplin_ceiling=base.disiplin_ceiling,
        kinerja_part=parts.kinerja_part,
        disiplin_part=parts.disiplin_part,
        withheld=tuple(withheld),
    )


@dataclass(frozen=True)
class TppCeiling:
    """What `compute_tpp` takes from the class, employment type and status alone.

    A month's close computes it once per distinct (class, type, status) and finishes each employee
    with `undated_tpp`.
    """

    class_amount: int
    ceiling: int
    kinerja_ceiling: int
    disiplin_ceiling: int
    cap: Decimal  # Σ deductions cap, 0–100 %
    is_paid: bool
    not_paid: WithheldItem | None  # the item withholding the whole ceiling when the status is not paid


def tpp_ceiling(
    *,
    class_amount: int,
    employment_type: str,
    pay_status: str,
    kinerja_weight: Decimal | int | str = DEFAULT_KINERJA_WEIGHT,
    disiplin_weight: Decimal | int | str = DEFAULT_DISIPLIN_WEIGHT,
    cpns_share: Decimal | int | str = DEFAULT_CPNS_SHARE,
    cpns_types: Iterable[str] = DEFAULT_CPNS_TYPES,
    statuses_not_paid: Iterable[str] = (),
    status_label: str = "",
    deduction_cap: Decimal | int | str = HUNDRED,
) -> TppCeiling:
    """The ceilings of `compute_tpp` (same arguments, without productivity and deductions)."""
    class_amount = int(class_amount)
    if class_amount < 0:
        raise ValueError("besaran TPP cannot be negative")
    kinerja_weight, disiplin_weight = to_decimal(kinerja_weight), to_decimal(disiplin_weight)
    if kinerja_weight < 0 or disiplin_weight < 0 or kinerja_weight + disiplin_weight != HUNDRED:
        raise ValueError(_("Bobot kinerja dan disiplin harus berjumlah 100 %."))
    share = to_decimal(cpns_share) if employment_type in set(cpns_types) else HUNDRED
    ceiling = round_rupiah(Decimal(class_amount) * share / HUNDRED)
    cap = min(max(to_decimal(deduction_cap), ZERO), HUNDRED)
    kinerja_ceiling = round_rupiah(Decimal(ceiling) * kinerja_weight / HUNDRED)
    is_paid = pay_status not in set(statuses_not_paid)
    not_paid = None
    if not is_paid and ceiling:
        reason = _("Status kepegawaian %(status)s tidak dibayarkan TPP: %(amount)s tidak dibayarkan") % {
            "status": status_label or pay_status,
            "amount": format_rupiah(ceiling),
        }
        not_paid = WithheldItem(WITHHELD_NOT_PAID, reason, ceiling, code=pay_status)
    return TppCeiling(
        class_amount=class_amount,
        ceiling=ceiling,
        kinerja_ceiling=kinerja_ceiling,
        disiplin_ceiling=ceiling - kinerja_ceiling,
        cap=cap,
        is_paid=is_paid,
        not_paid=not_paid,
    )


@dataclass(frozen=True)
class UndatedTpp:
    """`compute_tpp`'s figures for one employee, with the deductions' reasons still without their days."""

    productivity_percent: Decimal
    deduction_percent: Decimal
    discipline_percent: Decimal
    kinerja_part: int
    disiplin_part: int
    withheld: tuple[WithheldItem, ...]  # the items that are not about one deduction
    deductions: tuple[tuple[int, tuple[str, ...]], ...]  # (amount, reason pieces): see `dated_reason`

    @property
    def gross(self) -> int:
        return self.kinerja_part + self.disiplin_part


def undated_tpp(
    base: TppCeiling, productivity: Decimal | int | str, ordered: Sequence[Deduction], language: str
) -> UndatedTpp:
    """Finish `compute_tpp` for one employee; `ordered` is sorted by (date, code)."""
    productivity_value = quantize_percent(min(max(to_decimal(productivity), ZERO), HUNDRED))
    deduction_total = quantize_percent(min(sum((item.percent for item in ordered), ZERO), base.cap))
    discipline_value = HUNDRED - deduction_total
    if not base.is_paid:
        return UndatedTpp(
            productivity_percent=productivity_value,
            deduction_percent=deduction_total,
            discipline_percent=discipline_value,
            kinerja_part=0,
            disiplin_part=0,
            withheld=(base.not_paid,) if base.not_paid else (),
            deductions=(),
        )
    kinerja_part, productivity_item = _kinerja(base.kinerja_ceiling, productivity_value, language)
    disiplin_withheld = round_rupiah(Decimal(base.disiplin_ceiling) * deduction_total / HUNDRED)
    return UndatedTpp(
        productivity_percent=productivity_value,
        deduction_percent=deduction_total,
        discipline_percent=discipline_value,
        kinerja_part=kinerja_part,
        disiplin_part=base.disiplin_ceiling - disiplin_withheld,
        withheld=(productivity_item,) if productivity_item else (),
        deductions=undated_deductions(ordered, base.disiplin_ceiling, base.cap, language) if ordered else (),
    )


@functools.lru_cache(maxsize=8192)
def _kinerja(kinerja_ceiling: int, productivity: Decimal, language: str) -> tuple[int, WithheldItem | None]:
    """The kinerja part and the item for what productivity withholds of it (None when nothing)."""
    kinerja_part = round_rupiah(Decimal(kinerja_ceiling) * productivity / HUNDRED)
    if not kinerja_ceiling - kinerja_part:
        return kinerja_part, None
    reason = _productivity_template(language) % {
        "percent": format_percent(productivity),
        "amount": format_rupiah(kinerja_ceiling - kinerja_part),
    }
    return kinerja_part, WithheldItem(WITHHELD_PRODUCTIVITY, reason, kinerja_ceiling - kinerja_part)


@functools.lru_cache(maxsize=4096)
def _long_date(day: datetime.date, language: str) -> str:
    with translation.override(language):
        return date_format(day, "j F Y")


@functools.lru_cache(maxsize=64)
def _productivity_template(language: str) -> str:
    with translation.override(language):
        return _("produktivitas %(percent)s: %(amount)s dari bagian kinerja tidak dibayarkan")


@functools.lru_cache(maxsize=64)
def _deduction_templates(language: str) -> tuple[str, str, str]:
    with translation.override(language):
        return (
            _("%(code)s pada %(date)s: %(percent)s dari bagian disiplin = %(amount)s"),
            _(
                "%(code)s pada %(date)s: %(percent)s dari bagian disiplin, dipotong %(amount)s sampai "
                "batas potongan %(cap)s"
            ),
            _(
                "%(code)s pada %(date)s: %(percent)s dari bagian disiplin, tidak dipotong lagi karena "
                "potongan sudah mencapai batas %(cap)s"
            ),
        )


# Stands in for the date while a reason is formatted; PostgreSQL text cannot hold NUL, so no code,
# label or translation contains it.
_DATE_SLOT = "\x00"


def undated_deductions(
    ordered: Sequence[Deduction], disiplin_ceiling: int, deduction_cap, language: str
) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """(amount, reason pieces) per deduction in `ordered` (sorted by date and code, as `compute_tpp` does).

    The amounts depend only on the sequence of percents, and the reason differs between days only
    in the date, so employees with the same deductions on other days share this: the reason of one
    deduction is `dated_reason(pieces, its date, language)`.
    """
    cap = min(max(to_decimal(deduction_cap), ZERO), HUNDRED)
    return _undated_deductions(
        tuple((deduction.label or deduction.code, deduction.percent) for deduction in ordered),
        int(disiplin_ceiling),
        cap,
        language,
    )


def _undated_deductions(
    labelled_percents: tuple[tuple[str, Decimal], ...], disiplin_ceiling: int, cap: Decimal, language: str
) -> tuple[tuple[int, tuple[str, ...]], ...]:
    items = []
    running = ZERO
    for label, percent in labelled_percents:
        amount, pieces, running = _deduction_step(label, percent, running, disiplin_ceiling, cap, language)
        items.append((amount, pieces))
    return tuple(items)


@functools.lru_cache(maxsize=16384)
def _deduction_step(
    label: str, percent: Decimal, running: Decimal, disiplin_ceiling: int, cap: Decimal, language: str
) -> tuple[int, tuple[str, ...], Decimal]:
    """One deduction after deductions totalling `running`: its amount, reason pieces and the new total.

    Cached per step: sequences differ between employees, their steps mostly do not.
    """
    plain, partly_capped, capped_out = _deduction_templates(language)
    previous = round_rupiah(Decimal(disiplin_ceiling) * quantize_percent(min(running, cap)) / HUNDRED)
    running = running + percent
    cumulative = round_rupiah(Decimal(disiplin_ceiling) * quantize_percent(min(running, cap)) / HUNDRED)
    amount = cumulative - previous
    values = {
        "code": label,
        "date": _DATE_SLOT,
        "percent": format_percent(percent),
        "amount": format_rupiah(amount),
        "cap": format_percent(cap),
    }
    template = plain
    if running > cap:
        template = capped_out if amount == 0 else partly_capped
    return amount, tuple((template % values).split(_DATE_SLOT)), running


def in_explanation_order(deductions: Iterable[Deduction]) -> list[Deduction]:
    """Deductions in the order their reasons are listed (and their amounts rounded): by day, then code."""
    return sorted(deductions, key=lambda item: (item.date, item.code))


def dated_deductions(
    base: TppCeiling, ordered: Sequence[Deduction], parts: UndatedTpp, language: str
) -> Iterator[WithheldItem]:
    """The withheld item of each deduction in `ordered`, its day written into the shared reason."""
    for deduction, (amount, pieces) in zip(ordered if base.is_paid else (), parts.deductions, strict=True):
        yield WithheldItem(
            WITHHELD_DEDUCTION,
            dated_reason(pieces, deduction.date, language),
            amount,
            code=deduction.code,
            date=deduction.date,
        )


def dated_reason(pieces: tuple[str, ...], day: datetime.date, language: str) -> str:
    """The reason of `undated_deductions` with the deduction's day written out (5 November 2026)."""
    return _long_date(day, language).join(pieces)


# --- Quadrant (dashboards) -----------------------------------------------------------------------

QUADRANT_BOTH = "produktif_disiplin"
QUADRANT_PRODUCTIVE_ONLY = "produktif_tidak_disiplin"
QUADRANT_DISCIPLINED_ONLY = "disiplin_tidak_produktif"
QUADRANT_NEITHER = "tidak_produktif"
DEFAULT_QUADRANT_THRESHOLD = Decimal(75)


def quadrant_labels() -> dict[str, str]:
    return {
        QUADRANT_BOTH: _("Produktif & disiplin"),
        QUADRANT_PRODUCTIVE_ONLY: _("Produktif tapi tidak disiplin"),
        QUADRANT_DISCIPLINED_ONLY: _("Disiplin tapi tidak produktif"),
        QUADRANT_NEITHER: _("Tidak produktif"),
    }


def quadrant_of(
    productivity,
    discipline,
    *,
    productivity_threshold=DEFAULT_QUADRANT_THRESHOLD,
    discipline_threshold=DEFAULT_QUADRANT_THRESHOLD,
) -> str:
    """Productive means productivity ≥ threshold; disciplined means discipline ≥ threshold."""
    productive = to_decimal(productivity) >= to_decimal(productivity_threshold)
    disciplined = to_decimal(discipline) >= to_decimal(discipline_threshold)
    if productive and disciplined:
        return QUADRANT_BOTH
    if productive:
        return QUADRANT_PRODUCTIVE_ONLY
    if disciplined:
        return QUADRANT_DISCIPLINED_ONLY
    return QUADRANT_NEITHER


# --- Integrity rules (pure thresholds) ------------------------------------------------------------

DEFAULT_INSTANT_APPROVAL_SECONDS = 60
DEFAULT_INSTANT_APPROVAL_SHARE = Decimal(95)
DEFAULT_INSTANT_APPROVAL_MIN_ENTRIES = 20


def is_rubber_stamping(
    *,
    decided: int,
    approved_instantly: int,
    min_entries: int = DEFAULT_INSTANT_APPROVAL_MIN_ENTRIES,
    share_percent=DEFAULT_INSTANT_APPROVAL_SHARE,
) -> bool:
    """A supervisor who approved more than `share_percent` of ≥ `min_entries` entries instantly."""
    if decided < min_entries or decided <= 0:
        return False
    return Decimal(approved_instantly) * HUNDRED / Decimal(decided) > to_decimal(share_percent)
