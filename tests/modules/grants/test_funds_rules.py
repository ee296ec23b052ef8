"""Pure rules of grant funds: masking, deadlines, amounts, the bank files."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from praja.modules.grants.funds import rules


@pytest.mark.parametrize(
    ("name", "masked"),
    [("Siti Nurhaliza", "S*** N***"), ("  ahmad   budi santoso ", "A*** B*** S***"), ("", "***")],
)
def test_an_individual_is_masked(name, masked):
    assert rules.mask_person_name(name) == masked


@given(st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll")), min_size=2, max_size=20))
def test_a_masked_name_never_shows_more_than_initials(word):
    tokens = rules.mask_person_name(f"{word} {word}").split(" ")
    assert len(tokens) == 2
    for token in tokens:
        assert token.endswith("***")
        assert token[:-3] == word[0].upper()


def test_the_lpj_is_due_on_10_january_and_late_from_the_11th():
    due = rules.default_lpj_due_date(2026)
    assert due == datetime.date(2027, 1, 10)
    assert not rules.is_lpj_overdue(due, datetime.date(2027, 1, 10))
    assert rules.is_lpj_overdue(due, datetime.date(2027, 1, 11))


def test_amount_and_envelope_rules():
    assert rules.refuse_tranche_amount(amount=50, agreed=100, already_requested=50) is None
    assert (
        rules.refuse_tranche_amount(amount=0, agreed=100, already_requested=0)
        == "Jumlah tahap harus lebih dari Rp0."
    )
    assert rules.refuse_envelope(amount=1, envelope=10, committed=9) is None
    assert "melebihi sisa pagu program Rp0" in rules.refuse_envelope(amount=1, envelope=10, committed=10)
    assert rules.format_rupiah(1_500_000) == "Rp1.500.000"


def test_the_transfer_file_cannot_carry_spreadsheet_formulas():
    text = rules.render_transfer_csv(
        [rules.TransferLine('=HYPERLINK("x")', "Bank BJB", "0012", 5, "R/T1", "Hibah\nR")]
    )
    assert text.splitlines()[1] == '"\'=HYPERLINK(""x"")",Bank BJB,0012,5,R/T1,Hibah R'


def test_a_bad_confirmation_file_names_every_bad_row():
    with pytest.raises(rules.ConfirmationFileError) as refused:
        rules.parse_confirmation_csv(
            "referensi,nomor_sp2d,tanggal_sp2d,referensi_bank\nA/T1,,2026-01-01,\nB/T1,S1,kemarin,\nC/T1,S2,2026-01-02\n"
        )
    assert refused.value.problems == [
        "Baris 2: referensi dan nomor SP2D wajib diisi.",
        "Baris 3: tanggal SP2D 'kemarin' harus berformat TTTT-BB-HH.",
        "Baris 4: harus berisi 4 kolom.",
    ]
    with pytest.raises(rules.ConfirmationFileError) as header:
        rules.parse_confirmation_csv("ref,sp2d\n")
    assert header.value.problems == ["Baris judul harus: referensi,nomor_sp2d,tanggal_sp2d,referensi_bank."]
