"""Pure rules of retribusi billing: the fee formula language, the fee, billing codes, signatures.

Fee formulas (retribusi from the tenant's Perda)
------------------------------------------------
A permit type's fee is one of: ``none`` (free, e.g. SIP/SIK), ``fixed`` (``fee_amount`` Rupiah) or
``formula``: an arithmetic expression over the application form's field keys, for example the izin
reklame tariff ``luas_m2 * tarif_per_m2 * lama_bulan``. The formula is stored with the permit type
next to its legal basis (the Perda article it implements), so the rule changes when the tenant
publishes a new Perda, on the date it saves the new formula.

The language is a small subset of Python expressions, parsed with ``ast`` and interpreted here;
it is never passed to ``eval``/``compile``. Allowed:
- numbers (``1500``, ``2.5``) and, only as operands of ``==``/``!=``, quoted texts (``"billboard"``);
- the names of the permit type's form fields;
- ``+ - * / // %``, unary ``-``/``+``, parentheses;
- comparisons ``< <= > >= == !=`` (chains allowed), ``and``, ``or``, ``not``;
- conditional expressions ``a if condition else b``;
- the functions ``min(a, b, ...)``, ``max(a, b, ...)``, ``round(x)`` / ``round(x, digits)``
  (digits may be negative: ``round(x, -3)`` rounds to thousands), ``ceil(x)``, ``floor(x)``.
Everything else is refused when the admin saves the formula: attribute access, subscripts,
exponentiation (``**``: a huge power would exhaust the server), lambdas, comprehensions, unknown
names or functions, keyword arguments, texts outside comparisons. Formulas are at most
``MAX_FORMULA_LENGTH`` characters and ``MAX_FORMULA_NODES`` syntax nodes.

Arithmetic is exact (``fractions.Fraction``): ``/`` does not lose cents to binary floating point.
Rounding rule (documented for the Perda): ``round`` inside a formula and the final result both
round half away from zero (``round(2.5) == 3``, not Python's banker's rounding), and the result is
a whole number of Rupiah. A negative result, a division by zero, or a result above
``MAX_FEE_RUPIAH`` is refused with a message naming the problem; so is a missing or non-numeric
form value.

Billing codes (kode bayar)
--------------------------
16 digits: the tenant's Kemendagri code without the dot (4), the year of issue (2), a random
serial (9) and a Luhn check digit (1), e.g. ``3273 26 012345678 5``. The check digit catches every
single mistyped digit and most swapped neighbours before a bank looks the code up.

Callback signatures
-------------------
``X-Praja-Signature: sha256=<hex>`` where hex is HMAC-SHA256 over the exact raw request body with
the tenant's callback secret; compared in constant time.
"""

from __future__ import annotations

import ast
import hashlib
import hmac
import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FEE_NONE = "none"
FEE_FIXED = "fixed"
FEE_FORMULA = "formula"

MAX_FORMULA_LENGTH = 500
MAX_FORMULA_NODES = 120
MAX_NUMBER_DIGITS = 15  # constants and intermediate results stay below 10**15 (a quadrillion)
MAX_MAGNITUDE = Fraction(10**MAX_NUMBER_DIGITS)
MAX_FEE_RUPIAH = 10**13  # ten trillion Rupiah: far above any regional permit fee
FUNCTIONS = ("min", "max", "round", "ceil", "floor")


class RetribusiError(ValidationError):
    """The fee cannot be computed from this form (a value missing or not a number, a bad result)."""


# --- The formula language: checking ----------------------------------------------------------------

_BINARY = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
}
_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_REFUSED_NAMES = {
    ast.Attribute: gettext_lazy("akses atribut (tanda titik setelah nama)"),
    ast.Subscript: gettext_lazy("indeks atau irisan ([...])"),
    ast.Lambda: gettext_lazy("lambda"),
    ast.ListComp: gettext_lazy("list comprehension"),
    ast.SetComp: gettext_lazy("set comprehension"),
    ast.DictComp: gettext_lazy("dict comprehension"),
    ast.GeneratorExp: gettext_lazy("generator"),
    ast.List: gettext_lazy("daftar ([...])"),
    ast.Tuple: gettext_lazy("tuple"),
    ast.Set: gettext_lazy("himpunan ({...})"),
    ast.Dict: gettext_lazy("kamus ({...})"),
    ast.JoinedStr: gettext_lazy("f-string"),
    ast.NamedExpr: gettext_lazy("penugasan (:=)"),
    ast.Starred: gettext_lazy("argumen berbintang (*)"),
    ast.Await: gettext_lazy("await"),
    ast.Yield: gettext_lazy("yield"),
}


def _node_label(node: ast.AST) -> str:
    for kind, label in _REFUSED_NAMES.items():
        if isinstance(node, kind):
            return str(label)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        return _("pemangkatan (**)")
    if isinstance(node, ast.BinOp | ast.UnaryOp):
        return _("operator %(op)s") % {"op": type(node.op).__name__}
    if isinstance(node, ast.Compare):
        return _("perbandingan %(op)s") % {"op": " ".join(type(op).__name__ for op in node.ops)}
    return type(node).__name__


def _at(node: ast.AST) -> str:
    column = getattr(node, "col_offset", None)
    return _(" (kolom %(column)s)") % {"column": column + 1} if column is not None else ""


class _Checker:
    """Walk a parsed formula and collect every refused construct, with Indonesian messages."""

    def __init__(self, field_keys: set[str] | None) -> None:
        # None: any plain name is a form field (evaluation, where a missing value is named instead).
        self.field_keys = field_keys
        self.errors: list[str] = []

    def refuse(self, message: str) -> None:
        if message not in self.errors:
            self.errors.append(message)

    def check(self, node: ast.AST, *, text_allowed: bool = False) -> None:
        if isinstance(node, ast.Constant):
            self._constant(node, text_allowed=text_allowed)
        elif isinstance(node, ast.Name):
            self._name(node)
        elif isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            self.check(node.left)
            self.check(node.right)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd | ast.Not):
            self.check(node.operand)
        elif isinstance(node, ast.BoolOp):
            for value in node.values:
                self.check(value)
        elif isinstance(node, ast.Compare) and all(type(op) in _COMPARE for op in node.ops):
            # Texts only where equality is asked: jenis == "billboard".
            equality = all(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops)
            for operand in (node.left, *node.comparators):
                self.check(operand, text_allowed=equality)
        elif isinstance(node, ast.IfExp):
            self.check(node.test)
            self.check(node.body)
            self.check(node.orelse)
        elif isinstance(node, ast.Call):
            self._call(node)
        elif isinstance(node, ast.Attribute):
            self.refuse(self._refusal(node))
            self.check(node.value)  # name what stands before the dot too (e.g. __import__)
        else:
            self.refuse(self._refusal(node))

    @staticmethod
    def _refusal(node: ast.AST) -> str:
        return _("Rumus retribusi tidak boleh memuat %(what)s%(at)s.") % {
            "what": _node_label(node),
            "at": _at(node),
        }

    def _constant(self, node: ast.Constant, *, text_allowed: bool) -> None:
        value = node.value
        if isinstance(value, bool) or value is None or isinstance(value, bytes | complex):
            self.refuse(_("Rumus retribusi hanya boleh memuat angka%(at)s.") % {"at": _at(node)})
        elif isinstance(value, str):
            if not text_allowed:
                self.refuse(
                    _("Teks %(text)s hanya boleh dipakai dalam perbandingan == atau !=%(at)s.")
                    % {"text": repr(value)[:40], "at": _at(node)}
                )
        elif abs(value) >= MAX_MAGNITUDE:
            self.refuse(
                _("Angka %(value)s terlalu besar; paling banyak %(digits)s digit.")
                % {"value": str(value)[:30], "digits": MAX_NUMBER_DIGITS}
            )

    def _name(self, node: ast.Name) -> None:
        if node.id in FUNCTIONS:
            self.refuse(
                _("Fungsi %(name)s harus dipanggil dengan tanda kurung, mis. %(name)s(a, b).")
                % {"name": node.id}
            )
        elif node.id.startswith("_") or (self.field_keys is not None and node.id not in self.field_keys):
            self.refuse(_("Isian '%(name)s' tidak ada di formulir jenis izin ini.") % {"name": node.id})

    def _call(self, node: ast.Call) -> None:
        if not isinstance(node.func, ast.Name):
            self.check(node.func)
            for argument in node.args:
                self.check(argument)
            return
        name = node.func.id
        if name not in FUNCTIONS:
            self.refuse(
                _("Fungsi %(name)s tidak dikenal; yang boleh: %(allowed)s.")
                % {"name": name, "allowed": ", ".join(FUNCTIONS)}
            )
            return
        if node.keywords:
            self.refuse(_("Fungsi %(name)s tidak menerima argumen bernama.") % {"name": name})
        count = len(node.args)
        expected_ok = {
            "min": count >= 2,
            "max": count >= 2,
            "round": count in (1, 2),
            "ceil": count == 1,
            "floor": count == 1,
        }[name]
        if not expected_ok:
            self.refuse(_("Jumlah argumen fungsi %(name)s salah%(at)s.") % {"name": name, "at": _at(node)})
        for argument in node.args:
            self.check(argument)
        if name == "round" and count == 2 and not _is_integer_literal(node.args[1]):
            self.refuse(_("Argumen kedua round() harus bilangan bulat, mis. round(x, -3)."))


def _is_integer_literal(node: ast.AST) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) is int and abs(node.value) <= MAX_NUMBER_DIGITS


def parse_fee_formula(text: str) -> tuple[ast.Expression | None, list[str]]:
    """Parse `text` into an expression tree; return (tree, []) or (None, [the reason])."""
    text = (text or "").strip()
    if not text:
        return None, [_("Rumus retribusi wajib diisi untuk retribusi berdasarkan rumus.")]
    if len(text) > MAX_FORMULA_LENGTH:
        return None, [
            _("Rumus retribusi terlalu panjang (%(length)s karakter; paling banyak %(max)s).")
            % {"length": len(text), "max": MAX_FORMULA_LENGTH}
        ]
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        if error.offset:
            return None, [
                _(
                    "Rumus retribusi tidak dapat dibaca di kolom %(column)s: "
                    "periksa tanda kurung dan operatornya."
                )
                % {"column": error.offset}
            ]
        return None, [_("Rumus retribusi tidak lengkap: periksa tanda kurung dan operatornya.")]
    except (ValueError, RecursionError, MemoryError):
        return None, [_("Rumus retribusi tidak dapat dibaca.")]
    if sum(1 for _node in ast.walk(tree)) > MAX_FORMULA_NODES:
        return None, [_("Rumus retribusi terlalu rumit; sederhanakan rumusnya.")]
    return tree, []


def validate_fee_formula(text: str, field_keys) -> list[str]:
    """Return the reasons `text` is not an acceptable fee formula over `field_keys` ([] if it is).

    Called by the permit-type catalogue form when the admin saves a formula, so a formula with an
    unknown field, a syntax error or a forbidden construct never reaches an applicant.
    """
    tree, errors = parse_fee_formula(text)
    if tree is None:
        return errors
    checker = _Checker(set(field_keys) if field_keys is not None else None)
    checker.check(tree.body)
    return checker.errors


# --- The formula language: evaluating --------------------------------------------------------------


@dataclass(frozen=True)
class _Value:
    """A formula value: a number (exact), or a text only ever compared for equality."""

    number: Fraction | None = None
    text: str | None = None


def _round_half_up(value: Fraction, digits: int = 0) -> Fraction:
    quantum = Fraction(10) ** -digits
    scaled = value / quantum
    whole = math.floor(abs(scaled) + Fraction(1, 2))
    return Fraction(whole if scaled >= 0 else -whole) * quantum


def _form_number(key: str, raw) -> _Value:
    if isinstance(raw, bool):
        return _Value(number=Fraction(int(raw)))
    if isinstance(raw, int | float | Decimal):
        return _Value(number=_bounded(key, Decimal(str(raw))))
    text = str(raw).strip()[:60]
    if text == "":
        raise RetribusiError(
            _("Isian %(field)s wajib diisi untuk menghitung retribusi.") % {"field": key},
            code="missing_value",
        )
    candidate = text.replace(" ", "")
    if candidate.count(",") == 1 and "." not in candidate:
        candidate = candidate.replace(",", ".")  # Indonesian decimal comma: 12,5
    try:
        number = Decimal(candidate)
    except InvalidOperation:
        return _Value(text=text)  # a choice such as "billboard"; arithmetic on it is refused
    if not number.is_finite():
        return _Value(text=text)
    return _Value(number=_bounded(key, number))


def _bounded(key: str, number: Decimal) -> Fraction:
    # Checked before Fraction(): "1e999999999" would otherwise build a billion-digit integer.
    if not number.is_finite():
        raise RetribusiError(_("Isian %(field)s harus berupa angka.") % {"field": key}, code="not_a_number")
    if number != 0 and not -MAX_NUMBER_DIGITS <= number.adjusted() < MAX_NUMBER_DIGITS:
        raise RetribusiError(
            _("Isian %(field)s di luar rentang yang dapat dihitung.") % {"field": key}, code="out_of_range"
        )
    return Fraction(number)


class _Evaluator:
    def __init__(self, values: dict) -> None:
        self.values = values

    def number(self, node: ast.AST) -> Fraction:
        value = self.eval(node)
        if value.number is None:
            source = node.id if isinstance(node, ast.Name) else repr(value.text)
            raise RetribusiError(
                _("Isian %(field)s harus berupa angka untuk menghitung retribusi.") % {"field": source},
                code="not_a_number",
            )
        return value.number

    def truth(self, node: ast.AST) -> bool:
        value = self.eval(node)
        return bool(value.number) if value.number is not None else bool(value.text)

    def eval(self, node: ast.AST) -> _Value:
        result = self._eval(node)
        if result.number is not None and abs(result.number) >= MAX_MAGNITUDE:
            raise RetribusiError(_("Hasil perhitungan retribusi terlalu besar."), code="too_large")
        return result

    def _eval(self, node: ast.AST) -> _Value:  # noqa: PLR0911 - one branch per construct
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                return _Value(text=node.value)
            return _Value(number=Fraction(Decimal(str(node.value))))
        if isinstance(node, ast.Name):
            if node.id not in self.values or self.values[node.id] is None:
                raise RetribusiError(
                    _("Isian %(field)s wajib diisi untuk menghitung retribusi.") % {"field": node.id},
                    code="missing_value",
                )
            return _form_number(node.id, self.values[node.id])
        if isinstance(node, ast.BinOp):
            return _Value(number=self._binary(node))
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return _Value(number=Fraction(int(not self.truth(node.operand))))
            operand = self.number(node.operand)
            return _Value(number=-operand if isinstance(node.op, ast.USub) else operand)
        if isinstance(node, ast.BoolOp):
            # Short-circuit like Python, but the result is always 0/1.
            if isinstance(node.op, ast.And):
                return _Value(number=Fraction(int(all(self.truth(value) for value in node.values))))
            return _Value(number=Fraction(int(any(self.truth(value) for value in node.values))))
        if isinstance(node, ast.Compare):
            return _Value(number=Fraction(int(self._compare(node))))
        if isinstance(node, ast.IfExp):
            return self.eval(node.body) if self.truth(node.test) else self.eval(node.orelse)
        if isinstance(node, ast.Call):
            return _Value(number=self._call(node))
        raise RetribusiError(_("Rumus retribusi tidak sah."), code="invalid_formula")

    def _binary(self, node: ast.BinOp) -> Fraction:
        left, right = self.number(node.left), self.number(node.right)
        op = type(node.op)
        if op is ast.Add:
            return left + right
        if op is ast.Sub:
            return left - right
        if op is ast.Mult:
            return left * right
        if op in (ast.Div, ast.FloorDiv, ast.Mod):
            if right == 0:
                raise RetribusiError(
                    _("Rumus retribusi membagi dengan nol; periksa isian formulir."), code="division_by_zero"
                )
            if op is ast.Div:
                return left / right
            if op is ast.FloorDiv:
                return Fraction(left // right)
            return left % right
        raise RetribusiError(_("Rumus retribusi tidak sah."), code="invalid_formula")

    def _compare(self, node: ast.Compare) -> bool:
        left = self.eval(node.left)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = self.eval(comparator)
            if isinstance(op, ast.Eq | ast.NotEq):
                same = (left.number, left.text) == (right.number, right.text)
                outcome = same if isinstance(op, ast.Eq) else not same
            else:
                if left.number is None or right.number is None:
                    raise RetribusiError(
                        _("Hanya angka yang dapat dibandingkan dengan <, <=, > atau >=."), code="not_a_number"
                    )
                outcome = {
                    ast.Lt: left.number < right.number,
                    ast.LtE: left.number <= right.number,
                    ast.Gt: left.number > right.number,
                    ast.GtE: left.number >= right.number,
                }[type(op)]
            if not outcome:
                return False
            left = right
        return True

    def _call(self, node: ast.Call) -> Fraction:
        name = node.func.id  # type: ignore[attr-defined] - checked before evaluation
        if name in ("min", "max"):
            numbers = [self.number(argument) for argument in node.args]
            return min(numbers) if name == "min" else max(numbers)
        value = self.number(node.args[0])
        if name == "ceil":
            return Fraction(math.ceil(value))
        if name == "floor":
            return Fraction(math.floor(value))
        digits = int(self.number(node.args[1])) if len(node.args) == 2 else 0
        return _round_half_up(value, digits)


def evaluate_fee_formula(text: str, form_data: dict) -> int:
    """Evaluate a fee formula over `form_data`; return whole Rupiah (half away from zero).

    The formula is checked again here, so a formula stored before a rule tightened never runs
    unchecked; a name the form lacks is reported as a value to fill in.
    """
    errors = validate_fee_formula(text, None)
    if errors:
        raise RetribusiError(errors[0], code="invalid_formula")
    tree, _errors = parse_fee_formula(text)
    result = _Evaluator(form_data).number(tree.body)
    rupiah = _round_half_up(result)
    if rupiah < 0:
        raise RetribusiError(
            _("Hasil perhitungan retribusi negatif (%(amount)s); periksa isian formulir.")
            % {"amount": int(rupiah)},
            code="negative",
        )
    if rupiah > MAX_FEE_RUPIAH:
        raise RetribusiError(_("Hasil perhitungan retribusi terlalu besar."), code="too_large")
    return int(rupiah)


def compute_fee(*, fee_kind: str, fee_amount: int | None, fee_formula: str, form_data: dict) -> int:
    """Return the retribusi in whole Rupiah for a fee definition and an application's form data."""
    if fee_kind in (FEE_NONE, "", None):
        return 0
    if fee_kind == FEE_FIXED:
        amount = int(fee_amount or 0)
        if amount < 0:
            raise RetribusiError(_("Tarif retribusi tetap tidak boleh negatif."), code="negative")
        return amount
    if fee_kind == FEE_FORMULA:
        return evaluate_fee_formula(fee_formula, form_data or {})
    raise RetribusiError(
        _("Jenis retribusi %(kind)s tidak dikenal.") % {"kind": fee_kind}, code="unknown_fee_kind"
    )


def compute_retribusi(permit_type, form_data: dict) -> int:
    """Return the retribusi in whole Rupiah for `permit_type` (fee_kind none/fixed/formula) and a form.

    Raises RetribusiError (a ValidationError) naming the form value to fix when a formula cannot be
    computed (a value missing or not a number, division by zero, a negative result).
    """
    return compute_fee(
        fee_kind=permit_type.fee_kind,
        fee_amount=permit_type.fee_amount,
        fee_formula=permit_type.fee_formula or "",
        form_data=form_data or {},
    )


# --- Billing codes ---------------------------------------------------------------------------------

BILLING_CODE_LENGTH = 16
BILLING_SERIAL_DIGITS = 9


def luhn_check_digit(digits: str) -> str:
    """Return the Luhn (mod 10) check digit for the string of digits `digits`."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:  # the rightmost payload digit is doubled once the check digit is appended
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def make_billing_code(*, tenant_code: str, year: int, serial: int) -> str:
    """Return the 16-digit billing code: tenant code (4) + year (2) + serial (9) + Luhn digit (1)."""
    region = tenant_code.replace(".", "")
    if len(region) != 4 or not region.isdigit():
        raise ValueError(f"billing codes need a 4-digit regency/city code, got {tenant_code!r}")
    if not 0 <= serial < 10**BILLING_SERIAL_DIGITS:
        raise ValueError("serial out of range")
    payload = f"{region}{year % 100:02d}{serial:0{BILLING_SERIAL_DIGITS}d}"
    return payload + luhn_check_digit(payload)


def is_valid_billing_code(code: str) -> bool:
    """Return whether `code` is 16 digits whose last digit is the Luhn check digit of the rest."""
    code = (code or "").strip()
    return (
        len(code) == BILLING_CODE_LENGTH
        and code.isascii()
        and code.isdigit()
        and luhn_check_digit(code[:-1]) == code[-1]
    )


def format_billing_code(code: str) -> str:
    """Group a billing code in fours for reading aloud: 3273 2601 2345 6785."""
    return " ".join(code[index : index + 4] for index in range(0, len(code), 4))


def format_rupiah(amount: int) -> str:
    """Format whole Rupiah the Indonesian way: 1500000 -> "Rp1.500.000"."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(int(amount)):,}".replace(",", ".")


# --- Callback signatures ---------------------------------------------------------------------------

SIGNATURE_HEADER = "X-Praja-Signature"
SIGNATURE_PREFIX = "sha256="


def sign_callback(secret: bytes, body: bytes) -> str:
    """Return the signature header value for `body`: "sha256=" + hex HMAC-SHA256(secret, body)."""
    return SIGNATURE_PREFIX + hmac.new(secret, body, hashlib.sha256).hexdigest()


def is_valid_signature(secret: bytes, body: bytes, header_value: str | None) -> bool:
    """Return whether `header_value` signs `body` with `secret` (constant-time comparison)."""
    expected = sign_callback(secret, body)
    return hmac.compare_digest(expected.encode(), (header_value or "").strip().encode())


def derive_callback_secret(secret_key: str, tenant_code: str) -> bytes:
    """Return the tenant's callback secret: HMAC-SHA256(SECRET_KEY, "licensing-payments:" + code).

    Derived, not stored, so each tenant's secret differs and rotates with SECRET_KEY; a tenant that
    registered its own secret with a real gateway stores it in the module parameter instead.
    """
    return hmac.new(
        secret_key.encode(), f"licensing-payments:{tenant_code}".encode(), hashlib.sha256
    ).digest()


# --- Working-day statistics ------------------------------------------------------------------------


def median(values: list) -> float | None:
    """Return the median of `values` (the mean of the middle two for an even count), None if empty."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2
