"""Retribusi rules: the safe fee-formula language, rounding, billing codes and callback signatures."""

from __future__ import annotations

import hashlib
import hmac
import time
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from praja.modules.licensing.payments import rules
from praja.modules.licensing.payments.rules import (
    RetribusiError,
    compute_retribusi,
    evaluate_fee_formula,
    format_rupiah,
    is_valid_billing_code,
    make_billing_code,
    validate_fee_formula,
)

REKLAME_FIELDS = ["luas_m2", "tarif_per_m2", "lama_bulan", "jenis"]


def permit_type(kind, amount=0, formula=""):
    return SimpleNamespace(fee_kind=kind, fee_amount=amount, fee_formula=formula)


# --- compute_retribusi ---------------------------------------------------------------------------


def test_free_permit_costs_nothing_whatever_the_form_says():
    assert compute_retribusi(permit_type("none", amount=99_000), {"luas_m2": "10"}) == 0


def test_fixed_fee_is_the_published_amount():
    assert compute_retribusi(permit_type("fixed", amount=1_500_000), {}) == 1_500_000


def test_reklame_formula_multiplies_area_tariff_and_months():
    fee = compute_retribusi(
        permit_type("formula", formula="luas_m2 * tarif_per_m2 * lama_bulan"),
        {"luas_m2": "12,5", "tarif_per_m2": "20000", "lama_bulan": 3},
    )
    assert fee == 750_000


def test_formula_with_choice_and_conditional_expression():
    formula = 'luas_m2 * (25000 if jenis == "billboard" else 10000) * max(lama_bulan, 1)'
    assert validate_fee_formula(formula, REKLAME_FIELDS) == []
    assert evaluate_fee_formula(formula, {"luas_m2": 8, "jenis": "billboard", "lama_bulan": 0}) == 200_000
    assert evaluate_fee_formula(formula, {"luas_m2": 8, "jenis": "spanduk", "lama_bulan": 2}) == 160_000


def test_division_is_exact_and_result_rounds_half_away_from_zero():
    # 0.1 + 0.2 in floating point would not be 0.3; Fractions are exact.
    assert evaluate_fee_formula("(a + b) * 10", {"a": "0.1", "b": "0.2"}) == 3
    assert evaluate_fee_formula("x / 2", {"x": 5}) == 3  # 2.5 -> 3 (banker's rounding would give 2)
    assert evaluate_fee_formula("x / 2", {"x": 3}) == 2  # 1.5 -> 2
    assert evaluate_fee_formula("x / 4", {"x": 1}) == 0  # 0.25 -> 0


def test_round_to_thousands_floor_ceil_and_min():
    assert evaluate_fee_formula("round(x, -3)", {"x": 1_234_500}) == 1_235_000
    assert evaluate_fee_formula("round(x, -3)", {"x": 1_234_499}) == 1_234_000
    assert evaluate_fee_formula("ceil(x / 30) * 5000", {"x": 31}) == 10_000
    assert evaluate_fee_formula("floor(x / 30) * 5000", {"x": 59}) == 5_000
    assert evaluate_fee_formula("min(x * 1000, 50000)", {"x": 80}) == 50_000


def test_comparison_chains_and_boolean_operators():
    formula = "100000 if 0 < luas <= 10 and not kecil else 250000"
    assert validate_fee_formula(formula, ["luas", "kecil"]) == []
    assert evaluate_fee_formula(formula, {"luas": 10, "kecil": False}) == 100_000
    assert evaluate_fee_formula(formula, {"luas": 11, "kecil": False}) == 250_000
    assert evaluate_fee_formula(formula, {"luas": 5, "kecil": True}) == 250_000


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (
            {"luas_m2": "", "tarif_per_m2": 1, "lama_bulan": 1},
            "Isian luas_m2 wajib diisi untuk menghitung retribusi.",
        ),
        ({"tarif_per_m2": 1, "lama_bulan": 1}, "Isian luas_m2 wajib diisi untuk menghitung retribusi."),
        (
            {"luas_m2": "sepuluh", "tarif_per_m2": 1, "lama_bulan": 1},
            "Isian luas_m2 harus berupa angka untuk menghitung retribusi.",
        ),
        (
            {"luas_m2": "1e999999999", "tarif_per_m2": 1, "lama_bulan": 1},
            "Isian luas_m2 di luar rentang yang dapat dihitung.",
        ),
        (
            {"luas_m2": -2, "tarif_per_m2": 1000, "lama_bulan": 1},
            "Hasil perhitungan retribusi negatif (-2000); periksa isian formulir.",
        ),
        (
            {"luas_m2": 10**14, "tarif_per_m2": 10**14, "lama_bulan": 1},
            "Hasil perhitungan retribusi terlalu besar.",
        ),
    ],
)
def test_bad_form_values_are_refused_naming_what_to_fix(form, message):
    with pytest.raises(RetribusiError) as refused:
        compute_retribusi(permit_type("formula", formula="luas_m2 * tarif_per_m2 * lama_bulan"), form)
    assert refused.value.messages == [message]


def test_division_by_zero_is_refused():
    with pytest.raises(RetribusiError) as refused:
        evaluate_fee_formula("1000 / lama_bulan", {"lama_bulan": "0"})
    assert refused.value.messages == ["Rumus retribusi membagi dengan nol; periksa isian formulir."]


def test_a_stored_formula_that_became_unsafe_is_not_run():
    with pytest.raises(RetribusiError) as refused:
        compute_retribusi(permit_type("formula", formula="luas_m2 ** 99999999"), {"luas_m2": 9})
    assert refused.value.messages == ["Rumus retribusi tidak boleh memuat pemangkatan (**) (kolom 1)."]


# --- validate_fee_formula: what the admin sees when saving --------------------------------------


def test_a_correct_formula_has_no_errors():
    assert validate_fee_formula("luas_m2 * tarif_per_m2 * lama_bulan", REKLAME_FIELDS) == []


@pytest.mark.parametrize(
    ("formula", "errors"),
    [
        ("", ["Rumus retribusi wajib diisi untuk retribusi berdasarkan rumus."]),
        ("luas * 1000", ["Isian 'luas' tidak ada di formulir jenis izin ini."]),
        ("luas_m2 *", ["Rumus retribusi tidak lengkap: periksa tanda kurung dan operatornya."]),
        (
            "luas_m2 lama_bulan",
            ["Rumus retribusi tidak dapat dibaca di kolom 9: periksa tanda kurung dan operatornya."],
        ),
        (
            "(luas_m2 * 2",
            ["Rumus retribusi tidak dapat dibaca di kolom 1: periksa tanda kurung dan operatornya."],
        ),
        (
            '__import__("os").system("rm -rf /")',
            [
                "Rumus retribusi tidak boleh memuat akses atribut (tanda titik setelah nama) (kolom 1).",
                "Fungsi __import__ tidak dikenal; yang boleh: min, max, round, ceil, floor.",
                "Teks 'rm -rf /' hanya boleh dipakai dalam perbandingan == atau != (kolom 25).",
            ],
        ),
        (
            "luas_m2.__class__.__mro__",
            [
                "Rumus retribusi tidak boleh memuat akses atribut (tanda titik setelah nama) (kolom 1).",
            ],
        ),
        ("9 ** 9 ** 9", ["Rumus retribusi tidak boleh memuat pemangkatan (**) (kolom 1)."]),
        ("luas_m2 ** 99999999", ["Rumus retribusi tidak boleh memuat pemangkatan (**) (kolom 1)."]),
        ("eval('1')", ["Fungsi eval tidak dikenal; yang boleh: min, max, round, ceil, floor."]),
        ("[x for x in luas_m2]", ["Rumus retribusi tidak boleh memuat list comprehension (kolom 1)."]),
        ("(lambda: 1)()", ["Rumus retribusi tidak boleh memuat lambda (kolom 2)."]),
        ("luas_m2[0]", ["Rumus retribusi tidak boleh memuat indeks atau irisan ([...]) (kolom 1)."]),
        ("round(luas_m2, ndigits=2)", ["Fungsi round tidak menerima argumen bernama."]),
        ("min(luas_m2)", ["Jumlah argumen fungsi min salah (kolom 1)."]),
        ("round(luas_m2, lama_bulan)", ["Argumen kedua round() harus bilangan bulat, mis. round(x, -3)."]),
        ("max * 2", ["Fungsi max harus dipanggil dengan tanda kurung, mis. max(a, b)."]),
        (
            '"billboard" * 2',
            ["Teks 'billboard' hanya boleh dipakai dalam perbandingan == atau != (kolom 1)."],
        ),
        ("luas_m2 if True else 0", ["Rumus retribusi hanya boleh memuat angka (kolom 12)."]),
        ("10000000000000000 * luas_m2", ["Angka 10000000000000000 terlalu besar; paling banyak 15 digit."]),
        ("x := 2", ["Rumus retribusi tidak dapat dibaca di kolom 3: periksa tanda kurung dan operatornya."]),
        ("luas_m2 " + "+ 1 " * 200, ["Rumus retribusi terlalu panjang (807 karakter; paling banyak 500)."]),
        ("+".join(["luas_m2"] * 62), ["Rumus retribusi terlalu rumit; sederhanakan rumusnya."]),
    ],
)
def test_malicious_or_broken_formulas_are_refused_with_reasons(formula, errors):
    assert validate_fee_formula(formula, REKLAME_FIELDS) == errors


def test_refusal_is_fast_and_never_runs_anything(tmp_path):
    marker = tmp_path / "ran"
    started = time.perf_counter()
    errors = validate_fee_formula(f"open({str(marker)!r}, 'w')", REKLAME_FIELDS)
    assert errors and not marker.exists()
    with pytest.raises(RetribusiError):
        evaluate_fee_formula(f"open({str(marker)!r}, 'w')", {"luas_m2": 1})
    assert not marker.exists()
    assert time.perf_counter() - started < 0.5


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=5))
def test_sum_formula_equals_python_sum(values):
    names = [f"v{index}" for index in range(len(values))]
    assert evaluate_fee_formula(" + ".join(names), dict(zip(names, values, strict=True))) == sum(values)


# --- billing codes --------------------------------------------------------------------------------


def test_billing_code_layout_and_check_digit():
    code = make_billing_code(tenant_code="32.73", year=2026, serial=12_345_678)
    assert code == "3273260123456786"
    assert len(code) == 16
    assert rules.format_billing_code(code) == "3273 2601 2345 6786"
    assert is_valid_billing_code(code)


def test_luhn_digit_matches_the_textbook_example():
    assert rules.luhn_check_digit("7992739871") == "3"


def test_every_single_digit_typo_is_caught():
    code = make_billing_code(tenant_code="36.04", year=2026, serial=987_654_321)
    for position in range(16):
        for digit in "0123456789":
            if digit == code[position]:
                continue
            typo = code[:position] + digit + code[position + 1 :]
            assert not is_valid_billing_code(typo), typo


def test_swapped_neighbours_are_caught():
    code = make_billing_code(tenant_code="32.73", year=2026, serial=12_345_678)
    for position in range(15):
        swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
        if swapped != code and {code[position], code[position + 1]} != {"0", "9"}:
            assert not is_valid_billing_code(swapped), swapped


@pytest.mark.parametrize(
    "value",
    ["", "327326012345678", "32732601234567860", "327326012345678a", "３２７３２６０１２３４５６７８６"],
)
def test_malformed_billing_codes_are_invalid(value):
    assert not is_valid_billing_code(value)


def test_billing_code_needs_a_regency_or_city():
    with pytest.raises(ValueError):
        make_billing_code(tenant_code="32", year=2026, serial=1)


# --- Rupiah -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "text"),
    [(0, "Rp0"), (500, "Rp500"), (1_500_000, "Rp1.500.000"), (12_345_678_901, "Rp12.345.678.901")],
)
def test_rupiah_formatting(amount, text):
    assert format_rupiah(amount) == text


# --- signatures -----------------------------------------------------------------------------------


def test_signature_is_hmac_sha256_over_the_raw_body():
    secret, body = b"rahasia", b'{"billing_code": "3273260123456786"}'
    header = rules.sign_callback(secret, body)
    assert header == "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
    assert rules.is_valid_signature(secret, body, header)
    assert not rules.is_valid_signature(secret, body + b" ", header)
    assert not rules.is_valid_signature(b"lain", body, header)
    assert not rules.is_valid_signature(secret, body, None)
    assert not rules.is_valid_signature(secret, body, header.upper())


def test_each_tenant_gets_its_own_derived_secret():
    bandung = rules.derive_callback_secret("kunci", "32.73")
    serang = rules.derive_callback_secret("kunci", "36.04")
    assert bandung != serang and len(bandung) == 32
    assert bandung == rules.derive_callback_secret("kunci", "32.73")
    assert bandung != rules.derive_callback_secret("kunci-lain", "32.73")


def test_median():
    assert rules.median([]) is None
    assert rules.median([3, 1, 2]) == 2
    assert rules.median([4, 1, 2, 3]) == 2.5
