"""The pure eligibility and amount rules: each with examples that must pass and must fail, and the
rule and regulation each refusal names."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from praja.modules.grants import rules

TODAY = datetime.date(2026, 11, 29)


def org(**overrides):
    values = {
        "deed_number": "12",
        "kemenkumham_sk_number": "AHU-0012345.AH.01.04.Tahun 2015",
        "registered_on": datetime.date(2016, 6, 1),
        "area_id": "32.73.01.1001",
        "has_permanent_secretariat": True,
        "suspension_reason": "",
    }
    values.update(overrides)
    return SimpleNamespace(**values)


def codes(refusals):
    return [item.code for item in refusals]


def check(organisation, **kwargs):
    return rules.check_organisation(
        organisation, dict(rules.DEFAULT_HIBAH_RULES), on_date=TODAY, tenant_code="32.73", **kwargs
    )


def test_a_complete_legal_entity_passes_every_hibah_rule():
    assert check(org()) == []


@pytest.mark.parametrize(
    ("overrides", "code", "regulation"),
    [
        ({"deed_number": ""}, "legal_entity_required", "UU 23/2014 Pasal 298 ayat (5)"),
        ({"kemenkumham_sk_number": ""}, "legal_entity_required", "UU 23/2014 Pasal 298 ayat (5)"),
        ({"registered_on": datetime.date(2024, 1, 15)}, "min_years_registered", "Permendagri 14/2016"),
        ({"registered_on": None}, "min_years_registered", "Permendagri 14/2016"),
        ({"area_id": "36.04.01.2001"}, "domiciled_in_tenant", "Permendagri 14/2016"),
        ({"area_id": None}, "domiciled_in_tenant", "Permendagri 14/2016"),
        ({"has_permanent_secretariat": False}, "permanent_secretariat_required", "Permendagri 14/2016"),
    ],
)
def test_each_organisation_rule_refuses_and_names_its_regulation(overrides, code, regulation):
    refusals = check(org(**overrides))
    assert codes(refusals) == [code]
    assert regulation in refusals[0].regulation
    assert regulation in str(refusals[0])


def test_registered_exactly_three_years_passes_one_day_short_fails():
    assert check(org(registered_on=datetime.date(2023, 11, 29))) == []
    refusal = check(org(registered_on=datetime.date(2023, 11, 30)))[0]
    assert refusal.code == "min_years_registered"
    assert refusal.message == (
        "Lembaga harus terdaftar di pemerintah daerah paling singkat 3 tahun; "
        "baru terdaftar sejak 30-11-2023."
    )


def test_not_every_year_refuses_a_repeat_grant_unless_exempt():
    refusal = check(org(), funded_previous_year=True)
    assert codes(refusal) == ["not_funded_previous_year"]
    assert refusal[0].regulation == "Permendagri 32/2011 Pasal 4 ayat (4)"
    assert "KONI, PMI, Pramuka" in refusal[0].message
    assert check(org(), funded_previous_year=True, is_exempt=True) == []
    assert check(org(), funded_previous_year=False) == []


def test_suspended_or_overdue_lpj_is_excluded():
    suspended = check(org(suspension_reason="LPJ 2025 tidak diserahkan"), is_suspended=True)
    assert codes(suspended) == ["suspended"]
    assert "LPJ 2025 tidak diserahkan" in suspended[0].message
    assert "Pasal 19" in suspended[0].regulation
    overdue = check(org(), has_overdue_lpj=True)
    assert codes(overdue) == ["lpj_overdue"]


def test_rules_are_data_a_programme_may_switch_off():
    relaxed = {**rules.DEFAULT_HIBAH_RULES, "min_years_registered": 0, "legal_entity_required": False}
    assert (
        rules.check_organisation(
            org(deed_number="", registered_on=None), relaxed, on_date=TODAY, tenant_code="32.73"
        )
        == []
    )


def test_builtin_exemptions_carry_their_laws():
    table = {code: basis for code, _name, basis in rules.BUILTIN_EXEMPTIONS}
    assert table["koni"].startswith("UU 3/2005 Pasal 69")
    assert table["pramuka"] == "UU 12/2010 Pasal 36"
    assert table["korpri"] == "Keppres 24/2010"
    assert "UU 1/2018" in table["pmi"]


def member(role, nik, name="Pengurus"):
    return SimpleNamespace(role=role, nik=nik, full_name=name)


def test_board_needs_chair_secretary_treasurer_with_valid_niks():
    good = [
        member("chair", "3273011505800001"),
        member("secretary", "3273015206850002"),
        member("treasurer", "3273012003820003"),
    ]
    assert rules.check_board(good, today=TODAY) == []
    missing = rules.check_board(good[:1], today=TODAY)
    assert codes(missing) == ["board_incomplete"]
    assert "sekretaris, bendahara" in missing[0].message
    bad = rules.check_board([*good[:2], member("treasurer", "3273013202820003", "Dadang")], today=TODAY)
    assert codes(bad) == ["board_nik_invalid"]
    assert bad[0].message.startswith("NIK pengurus Dadang tidak sah:")
    twice = rules.check_board([*good, member("other", "3273011505800001")], today=TODAY)
    assert codes(twice) == ["board_nik_duplicate"]


@pytest.mark.parametrize("value", ["12345", "32730115058000011", "327301150580000A"])
def test_board_nik_refuses_malformed_numbers(value):
    with pytest.raises(ValidationError):
        rules.check_board_nik(value, today=TODAY)


def test_npwp_accepts_15_and_16_digits_and_refuses_bad_check_digit():
    assert rules.parse_npwp("01.300.066.6-091.000") == "013000666091000"
    assert rules.parse_npwp("3273011505800001") == "3273011505800001"
    with pytest.raises(ValidationError) as error:
        rules.parse_npwp("013000665091000")
    assert error.value.messages == ["NPWP 013000665091000 tidak sah: digit periksanya tidak cocok."]
    with pytest.raises(ValidationError) as error:
        rules.parse_npwp("0130006660910")
    assert "harus 15 digit" in error.value.messages[0]


@pytest.mark.parametrize(
    ("holder", "matches"),
    [
        ("YAYASAN SABILULUNGAN BRAGA", True),
        ("Yayasan  Sabilulungan-Braga.", True),
        ("Sabilulungan Braga", True),
        ("Asep Sunandar", False),
        ("Yayasan Sabilulungan", False),
        ("", False),
    ],
)
def test_bank_holder_must_be_the_organisation(holder, matches):
    assert rules.holder_name_matches(holder, organisation_name="Yayasan Sabilulungan Braga") is matches


def test_bank_holder_refusal_message():
    refusal = rules.check_bank_holder("Asep Sunandar", organisation_name="Yayasan Sabilulungan Braga")
    assert refusal.code == "bank_holder_mismatch"
    assert refusal.message.startswith(
        'Nama pemilik rekening "Asep Sunandar" tidak sama dengan nama lembaga "Yayasan Sabilulungan Braga".'
    )


def test_rab_subtotal_and_total_against_request():
    assert rules.rab_subtotal(Decimal("2.5"), 1_000_001) == 2_500_003  # 2,500,002.5 rounds half up
    lines = [SimpleNamespace(subtotal=10_000_000), SimpleNamespace(subtotal=5_000_000)]
    assert rules.check_rab(lines, amount_requested=15_000_000) == []
    over = rules.check_rab(lines, amount_requested=14_999_999)
    assert codes(over) == ["rab_exceeds_request"]
    assert over[0].message == "Jumlah RAB Rp15.000.000 melebihi nilai yang diajukan Rp14.999.999."
    assert codes(rules.check_rab([], amount_requested=1)) == ["rab_missing"]


@given(st.lists(st.integers(min_value=1, max_value=10**10), min_size=1, max_size=20), st.integers(0, 10**11))
def test_rab_refused_exactly_when_total_exceeds_request(subtotals, requested):
    refusals = rules.check_rab(
        [SimpleNamespace(subtotal=value) for value in subtotals], amount_requested=requested
    )
    assert bool(refusals) is (sum(subtotals) > requested)


def test_window_is_half_open():
    opens = datetime.datetime(2026, 9, 1, 8, 0, tzinfo=datetime.UTC)
    closes = datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.UTC)
    assert rules.check_window(opens_at=opens, closes_at=closes, now=opens) is None
    assert rules.check_window(opens_at=opens, closes_at=closes, now=closes).code == "outside_window"
    early = rules.check_window(opens_at=opens, closes_at=closes, now=opens - datetime.timedelta(seconds=1))
    assert (
        early.message
        == "Pengajuan proposal untuk program ini hanya dibuka 01-09-2026 08.00 sampai 01-12-2026 08.00."
    )


def test_stage_amount_at_most_previous_unless_override_with_reason():
    assert rules.check_stage_amount(10, previous=10, previous_label="rekomendasi") is None
    refusal = rules.check_stage_amount(11, previous=10, previous_label="rekomendasi perangkat daerah")
    assert refusal.code == "amount_above_previous"
    assert refusal.message.startswith(
        "Nilai Rp11 melebihi rekomendasi perangkat daerah Rp10; tuliskan alasan"
    )
    assert rules.check_stage_amount(11, previous=10, previous_label="x", override_reason="  ") is not None
    assert rules.check_stage_amount(11, previous=10, previous_label="x", override_reason="Harga naik") is None
    hard = rules.check_stage_amount(
        11, previous=10, previous_label="nilai yang diajukan", allow_override=False, override_reason="alasan"
    )
    assert hard.message == "Nilai Rp11 melebihi nilai yang diajukan Rp10."
    assert rules.check_stage_amount(None, previous=10, previous_label="x").code == "amount_required"


@given(st.integers(0, 10**12), st.integers(0, 10**12))
def test_stage_amount_without_reason_never_exceeds_previous(amount, previous):
    refusal = rules.check_stage_amount(amount, previous=previous, previous_label="x")
    assert (refusal is None) is (amount <= previous)


def test_decree_total_within_envelope():
    assert rules.check_decree_total(500, envelope=500) is None
    refusal = rules.check_decree_total(501, envelope=500)
    assert refusal.message == "Jumlah DNC PBH Rp501 melebihi pagu program Rp500."
    assert refusal.regulation == "UU 23/2014 Pasal 298 ayat (4)"


def test_checklist_items_follow_conditions():
    construction = rules.applicable_documents(
        rules.DEFAULT_REQUIRED_DOCUMENTS, is_construction=True, rented_office=False
    )
    plain = rules.applicable_documents(
        rules.DEFAULT_REQUIRED_DOCUMENTS, is_construction=False, rented_office=False
    )
    rented = rules.applicable_documents(
        rules.DEFAULT_REQUIRED_DOCUMENTS, is_construction=False, rented_office=True
    )
    plain_codes = {item["code"] for item in plain}
    assert {"gambar_bangunan", "pernyataan_dana_pendamping"} <= {item["code"] for item in construction}
    assert "gambar_bangunan" not in plain_codes and "kontrak_sewa" not in plain_codes
    assert "kontrak_sewa" in {item["code"] for item in rented}
    ticked = dict.fromkeys(plain_codes, True)
    assert rules.missing_checklist_codes(plain, ticked) == []
    ticked["npwp"] = False
    assert rules.missing_checklist_codes(plain, ticked) == ["npwp"]


def test_lpj_deadline_is_10_january_next_year_and_social_data_rule():
    assert rules.default_lpj_deadline(2027) == datetime.date(2028, 1, 10)
    assert rules.check_social_data(required=False, source="", reference="") is None
    assert rules.check_social_data(required=True, source="dtsen", reference="DTSEN-1") is None
    refusal = rules.check_social_data(required=True, source="dtsen", reference=" ")
    assert refusal.code == "social_data_source_required"
    assert "Permensos 3/2021" in refusal.regulation
