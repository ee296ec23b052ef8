"""The pure TPP formula: the worked example, rounding, caps, CPNS share, not-paid statuses, quadrants."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from praja.modules.performance.tpp import rules
from praja.modules.performance.tpp.rules import Deduction, compute_tpp

MAY = datetime.date(2026, 5, 1)


def day(n: int) -> datetime.date:
    return MAY.replace(day=n)


def test_worked_example_of_the_domain_brief():
    result = compute_tpp(
        class_amount=5_000_000,
        employment_type="pns",
        pay_status="aktif",
        productivity=Decimal(90),
        deductions=[
            Deduction("TL2", day(5), Decimal(1)),
            Deduction("TL1", day(6), Decimal("0.5")),
            Deduction("APEL", day(11), Decimal(2)),
        ],
    )
    assert result.ceiling == 5_000_000
    assert result.kinerja_part == 2_700_000
    assert result.disiplin_part == 1_930_000
    assert result.gross == 4_630_000
    assert result.discipline_percent == Decimal("96.50")
    assert [(item.amount, item.reason) for item in result.withheld] == [
        (300_000, "produktivitas 90 %: Rp300.000 dari bagian kinerja tidak dibayarkan"),
        (20_000, "TL2 pada 5 Mei 2026: 1 % dari bagian disiplin = Rp20.000"),
        (10_000, "TL1 pada 6 Mei 2026: 0,5 % dari bagian disiplin = Rp10.000"),
        (40_000, "APEL pada 11 Mei 2026: 2 % dari bagian disiplin = Rp40.000"),
    ]
    assert result.withheld_total == 5_000_000 - 4_630_000


def test_full_marks_withhold_nothing():
    result = compute_tpp(class_amount=3_250_000, employment_type="pns", pay_status="aktif", productivity=100)
    assert (result.gross, result.withheld) == (3_250_000, ())


def test_productivity_above_hundred_counts_as_hundred_and_negative_as_zero():
    full = compute_tpp(class_amount=1_000_000, employment_type="pns", pay_status="aktif", productivity=130)
    none = compute_tpp(class_amount=1_000_000, employment_type="pns", pay_status="aktif", productivity=-5)
    assert full.kinerja_part == 600_000
    assert none.kinerja_part == 0
    assert none.withheld[0].reason == "produktivitas 0 %: Rp600.000 dari bagian kinerja tidak dibayarkan"


def test_deductions_are_capped_at_hundred_percent_and_later_ones_explain_why_nothing_more():
    result = compute_tpp(
        class_amount=2_000_000,
        employment_type="pns",
        pay_status="aktif",
        productivity=100,
        deductions=[Deduction("TK", day(n), Decimal(3)) for n in range(4, 29)]
        + [Deduction("TK", day(29), Decimal(30)), Deduction("TL1", day(30), Decimal("0.5"))],
    )
    assert result.deduction_percent == Decimal(100)
    assert result.disiplin_part == 0
    assert result.gross == 1_200_000
    assert result.withheld[-2].amount == 200_000
    assert result.withheld[-2].reason == (
        "TK pada 29 Mei 2026: 30 % dari bagian disiplin, dipotong Rp200.000 sampai batas potongan 100 %"
    )
    assert result.withheld[-1].amount == 0
    assert "tidak dipotong lagi karena potongan sudah mencapai batas 100 %" in result.withheld[-1].reason
    assert result.withheld_total == 800_000


def test_cumulative_rounding_keeps_the_items_summing_exactly():
    # 1/3 % of 1,000,001 each would be 3,333.34 — rounded separately the items drift.
    result = compute_tpp(
        class_amount=2_500_003,
        employment_type="pns",
        pay_status="aktif",
        productivity=Decimal("33.33"),
        deductions=[Deduction("TL1", day(n), Decimal("0.33")) for n in (4, 5, 6)],
    )
    assert result.kinerja_ceiling == 1_500_002
    assert result.disiplin_ceiling == 1_000_001
    assert [item.amount for item in result.withheld[1:]] == [3_300, 3_300, 3_300]
    assert result.withheld_total == result.ceiling - result.gross


def test_cpns_gets_the_share_of_the_class_amount():
    result = compute_tpp(class_amount=5_000_000, employment_type="cpns", pay_status="aktif", productivity=90)
    assert result.ceiling == 4_000_000
    assert result.gross == 0.6 * 4_000_000 * 0.9 + 0.4 * 4_000_000
    assert result.gross == 3_760_000


def test_status_not_paid_gets_nothing_with_the_reason():
    result = compute_tpp(
        class_amount=5_000_000,
        employment_type="pns",
        pay_status="tugas_belajar",
        productivity=100,
        statuses_not_paid={"tugas_belajar", "cltn"},
        status_label="Tugas belajar",
    )
    assert result.gross == 0
    assert not result.is_paid
    assert [(item.kind, item.amount, item.reason) for item in result.withheld] == [
        (
            "not_paid",
            5_000_000,
            "Status kepegawaian Tugas belajar tidak dibayarkan TPP: Rp5.000.000 tidak dibayarkan",
        )
    ]


def test_weights_must_add_up_to_hundred():
    with pytest.raises(ValueError, match="Bobot kinerja dan disiplin harus berjumlah 100 %"):
        compute_tpp(
            class_amount=1, employment_type="pns", pay_status="aktif", productivity=1, kinerja_weight=70
        )


def test_productivity_percent_from_minutes_quota_and_working_days():
    assert rules.productivity_percent(5_940, quota_minutes_per_day=300, working_days=22) == Decimal("90.00")
    assert rules.productivity_percent(9_999, quota_minutes_per_day=300, working_days=22) == Decimal("100.00")
    assert rules.productivity_percent(100, quota_minutes_per_day=300, working_days=0) == Decimal("0.00")
    # 1 / 6,300 = 0.0159 %: rounded down, never paying for minutes not worked.
    assert rules.productivity_percent(1, quota_minutes_per_day=300, working_days=21) == Decimal("0.01")


def test_discipline_percent_floors_at_zero():
    assert rules.discipline_percent([Decimal("3.5")]) == Decimal("96.50")
    assert rules.discipline_percent([Decimal(60), Decimal(70)]) == Decimal("0.00")


def test_formatting_is_indonesian():
    assert rules.format_rupiah(4_630_000) == "Rp4.630.000"
    assert rules.format_percent(Decimal("3.50")) == "3,5 %"
    assert rules.format_percent(Decimal("96.25")) == "96,25 %"


@pytest.mark.parametrize(
    ("productivity", "discipline", "expected"),
    [
        (75, 75, rules.QUADRANT_BOTH),
        (90, 74.99, rules.QUADRANT_PRODUCTIVE_ONLY),
        (74.99, 100, rules.QUADRANT_DISCIPLINED_ONLY),
        (10, 10, rules.QUADRANT_NEITHER),
    ],
)
def test_quadrant_default_thresholds_are_75_75(productivity, discipline, expected):
    assert rules.quadrant_of(productivity, discipline) == expected


def test_rubber_stamping_needs_twenty_entries_and_more_than_95_percent():
    assert rules.is_rubber_stamping(decided=20, approved_instantly=20)
    assert not rules.is_rubber_stamping(decided=20, approved_instantly=19)  # exactly 95 %
    assert not rules.is_rubber_stamping(decided=19, approved_instantly=19)


# --- Properties ------------------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=60_000_000)
percents = st.decimals(min_value=0, max_value=120, places=2, allow_nan=False, allow_infinity=False)
deduction_lists = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=28),
        st.sampled_from(["TL1", "TL2", "TL3", "PSW1", "TK", "APEL"]),
        st.decimals(min_value=0, max_value=40, places=2, allow_nan=False, allow_infinity=False),
    ),
    max_size=25,
).map(lambda items: [Deduction(code, day(n), percent) for n, code, percent in items])
weights = st.integers(min_value=0, max_value=100).map(Decimal)


def _tpp(amount, productivity, deductions, employment="pns", kinerja=Decimal(60)):
    return compute_tpp(
        class_amount=amount,
        employment_type=employment,
        pay_status="aktif",
        productivity=productivity,
        deductions=deductions,
        kinerja_weight=kinerja,
        disiplin_weight=100 - kinerja,
    )


@settings(max_examples=200, deadline=None)
@given(amounts, percents, deduction_lists, weights, st.sampled_from(["pns", "cpns", "pppk"]))
def test_never_negative_never_above_ceiling_and_withheld_items_sum(
    amount, productivity, deductions, kinerja, kind
):
    result = _tpp(amount, productivity, deductions, kind, kinerja)
    assert 0 <= result.kinerja_part <= result.kinerja_ceiling
    assert 0 <= result.disiplin_part <= result.disiplin_ceiling
    assert 0 <= result.gross <= result.ceiling <= amount
    assert all(item.amount >= 0 for item in result.withheld)
    assert result.withheld_total == result.ceiling - result.gross


@settings(max_examples=200, deadline=None)
@given(amounts, percents, percents, deduction_lists)
def test_monotone_in_productivity(amount, first, second, deductions):
    low, high = sorted([first, second])
    assert _tpp(amount, low, deductions).gross <= _tpp(amount, high, deductions).gross


@settings(max_examples=200, deadline=None)
@given(amounts, percents, deduction_lists, deduction_lists)
def test_monotone_in_discipline_more_deductions_never_pay_more(amount, productivity, some, more):
    assert _tpp(amount, productivity, some + more).gross <= _tpp(amount, productivity, some).gross


@settings(max_examples=200, deadline=None)
@given(amounts, percents, deduction_lists)
def test_cpns_is_the_share_of_pns(amount, productivity, deductions):
    cpns = _tpp(amount, productivity, deductions, "cpns")
    pns_on_share = _tpp(rules.round_rupiah(Decimal(amount) * Decimal("0.8")), productivity, deductions)
    assert cpns.ceiling == pns_on_share.ceiling
    assert cpns.gross == pns_on_share.gross
    assert cpns.gross <= _tpp(amount, productivity, deductions).gross
