"""Flag evidence reads as labelled sentences (Indonesian, English catalogue), never as raw JSON."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from praja.core.testing.permission_matrix import verified_client
from praja.modules.grants.screening import actions
from praja.modules.grants.screening.evidence import describe_evidence
from praja.modules.grants.screening.models import Flag, FlagKind


def lines(kind, evidence):
    return [(line.label, line.text) for line in describe_evidence(Flag(kind=kind, evidence=evidence))]


NEAR = {
    "records": ["grants_screening.beneficiary:7"],
    "other": {"id": 7, "nik": "3273011705900001", "name": "Ahmad Fauzi"},
    "score": 96.4,
    "name_score": 91,
    "birth": "swapped",
    "mother_score": 100,
    "address_score": 88,
}


def test_near_duplicate_evidence():
    assert lines(FlagKind.NEAR_DUPLICATE_PERSON, NEAR) == [
        ("Orang lain", "Ahmad Fauzi (NIK 3273011705900001)"),
        ("Skor kemiripan", "96.4 dari 100"),
        ("Kemiripan nama", "91%"),
        ("Tanggal lahir", "sama, hari dan bulan tertukar"),
        ("Kemiripan nama ibu", "100%"),
        ("Kemiripan alamat", "88%"),
        ("Catatan terkait", "Penerima terdaftar #7"),
    ]


def test_price_board_document_and_bank_evidence():
    price = {
        "records": ["grants_screening.standardunitprice:3"],
        "rab_line": 12,
        "unit_price": 1_500_000,
        "standard_price": 1_200_000,
        "excess_percent": 25.0,
    }
    assert lines(FlagKind.PRICE_ABOVE_STANDARD, price) == [
        ("Harga satuan dalam RAB", "Rp1.500.000"),
        ("Standar satuan harga", "Rp1.200.000"),
        ("Selisih", "25.0% di atas standar"),
        ("Baris RAB", "#12"),
        ("Catatan terkait", "Baris standar satuan harga #3"),
    ]
    board = {
        "records": ["grants.bansoscase:4", "grants.proposal:9"],
        "nik": "3273012507790006",
        "organisations": [{"id": 2, "name": "Perkumpulan Seni Cikapundung"}],
        "years": [2026, 2027],
        "same_year": True,
    }
    assert lines(FlagKind.BOARD_MEMBER_BANSOS, board) == [
        ("Lembaga", "Perkumpulan Seni Cikapundung (#2)"),
        ("Tahun", "2026, 2027 (bantuan dan hibah pada tahun yang sama)"),
        ("NIK", "3273012507790006"),
        ("Catatan terkait", "Penerima bansos (kasus) #4, Usulan #9"),
    ]
    document = {"records": ["grants.organisation:5"], "sha256": "ab" * 32}
    assert lines(FlagKind.DUPLICATE_DOCUMENT, document) == [
        ("Sidik SHA-256 berkas", "abababababababab…"),
        ("Catatan terkait", "Lembaga #5"),
    ]
    bank = {"records": [], "holder_name": "Budi Santoso", "issue": "mismatch"}
    assert lines(FlagKind.BANK_NAME_MISMATCH, bank) == [
        ("Masalah nama", "tidak sesuai dengan nama lembaga"),
        ("Nama pemilik rekening", "Budi Santoso"),
    ]
    # Evidence of G3's overdue LPJ flag and an unknown key still read as text.
    overdue = {"lpj_deadline": "2028-01-10", "proposal_number": "HBH/2027/0001", "catatan_lain": True}
    assert lines(FlagKind.LPJ_OVERDUE, overdue) == [
        ("Batas waktu LPJ", "2028-01-10"),
        ("Nomor usulan", "HBH/2027/0001"),
        ("Catatan lain", "ya"),
    ]


def test_evidence_in_english():
    with translation.override("en"):
        assert lines(FlagKind.NEAR_DUPLICATE_PERSON, NEAR)[:4] == [
            ("Other person", "Ahmad Fauzi (NIK 3273011705900001)"),
            ("Similarity score", "96.4 out of 100"),
            ("Name similarity", "91%"),
            ("Date of birth", "same, day and month swapped"),
        ]


@pytest.mark.django_db
def test_flag_page_shows_readable_evidence(tenant_a, make_person, in_tenant):
    officer = make_person(tenant_a, roles=["grants_registry_officer"])
    with in_tenant(tenant_a):
        for nik, name, address in (
            ("3273011705900001", "Ahmad Fauzi", "Jl. Merdeka 5"),
            ("3273011705900002", "Achmad Fauzy", "Jalan Merdeka 5"),
        ):
            actions.register_beneficiary(
                actor=officer, data_source="dtks", nik=nik, kk_number=f"32730101010900{nik[-2:]}",
                full_name=name, birth_date=datetime.date(1990, 5, 17), sex="L", mother_name="Siti Aminah",
                address=address, rt="1", rw="2", area_code="32.73.01.1001",
            )  # fmt: skip
        flag = Flag.objects.get()
        beneficiary_id = flag.subject_id
    client = verified_client(officer)
    text = client.get(f"/t/{tenant_a.slug}/grants/screening/flags/{flag.pk}/").content.decode()
    assert "<dt>Orang lain</dt><dd>Ahmad Fauzi (NIK 3273011705900001)</dd>" in text
    assert "<dt>Tanggal lahir</dt><dd>sama</dd>" in text
    assert "{&#x27;records&#x27;" not in text and "&#x27;name_score&#x27;" not in text
    # The beneficiary's page lists the flag with the same readable evidence.
    page = client.get(f"/t/{tenant_a.slug}/grants/screening/beneficiaries/{beneficiary_id}/").content.decode()
    assert "<dt>Kemiripan nama ibu</dt><dd>100%</dd>" in page
