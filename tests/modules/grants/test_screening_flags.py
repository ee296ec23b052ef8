"""Flags: raised once per finding, cleared only by a verifier with TOTP and a written reason."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from praja.core.audit.models import AuditEvent
from praja.modules.grants.screening import actions, selectors
from praja.modules.grants.screening.models import Flag, FlagKind, FlagStatus

pytestmark = pytest.mark.django_db


def register(actor, nik, name, **overrides):
    values = dict(  # noqa: C408
        data_source="dtks", nik=nik, kk_number="3273010101090001", full_name=name,
        birth_date=datetime.date(1990, 5, 17), sex="L", mother_name="Siti Aminah", address="Jl. Merdeka 5",
        rt="1", rw="2", area_code="32.73.01.1001",
    )  # fmt: skip
    values.update(overrides)
    return actions.register_beneficiary(actor=actor, **values)


@pytest.fixture
def people(tenant_a, make_person, totp_for):
    verifier = make_person(tenant_a, roles=["grants_screening_verifier"], full_name="Inspektur Pembantu")
    return {
        "officer": make_person(tenant_a, roles=["grants_registry_officer"], full_name="Petugas Dinsos"),
        "verifier": verifier,
        "verifier_totp": totp_for(verifier),
        "inspector": make_person(tenant_a, roles=["inspector"], full_name="Auditor APIP"),
    }


@pytest.fixture
def flagged(tenant_a, people, in_tenant):
    with in_tenant(tenant_a):
        register(people["officer"], "3273011705900001", "Ahmad Fauzi")
        second = register(
            people["officer"],
            "3273011705900002",
            "Achmad Fauzy",
            kk_number="3273010101090002",
            address="Jalan Merdeka 5",
        )
        return Flag.objects.get(subject_id=second.pk)


def test_registering_a_near_duplicate_raises_one_flag_and_rescreening_does_not_repeat_it(
    tenant_a, people, flagged, in_tenant
):
    with in_tenant(tenant_a):
        assert flagged.kind == FlagKind.NEAR_DUPLICATE_PERSON and flagged.status == FlagStatus.OPEN
        assert flagged.severity == "high"
        beneficiary = selectors.access_beneficiary_by_id(people["officer"], flagged.subject_id)
        assert list(selectors.open_flags_for(beneficiary)) == [flagged]
        actions.screen_beneficiary(beneficiary=beneficiary, actor=people["officer"])
        actions.screen_beneficiary(beneficiary=beneficiary, actor=None)
        assert Flag.objects.count() == 1
        assert AuditEvent.objects.filter(event_type="grants_screening.flag_raised").count() == 1


def test_raise_flag_is_deduplicated_by_kind_subject_and_records(tenant_a, people, flagged, in_tenant):
    with in_tenant(tenant_a):
        beneficiary = selectors.access_beneficiary_by_id(people["officer"], flagged.subject_id)
        first = actions.raise_flag(
            kind=FlagKind.LPJ_OVERDUE,
            subject=beneficiary,
            explanation="LPJ terlambat.",
            evidence={"records": ["x:1"]},
        )
        again = actions.raise_flag(
            kind=FlagKind.LPJ_OVERDUE,
            subject=beneficiary,
            explanation="LPJ terlambat lagi.",
            evidence={"records": ["x:1"]},
        )
        other = actions.raise_flag(
            kind=FlagKind.LPJ_OVERDUE,
            subject=beneficiary,
            explanation="LPJ lain.",
            evidence={"records": ["x:2"]},
        )
        assert first.pk == again.pk and other.pk != first.pk
        assert again.explanation == "LPJ terlambat."
        assert selectors.has_open_flags(beneficiary, kinds=[FlagKind.LPJ_OVERDUE])


def test_verifier_clears_with_reason_and_second_factor_on_the_audit_chain(
    tenant_a, people, flagged, in_tenant
):
    with in_tenant(tenant_a):
        cleared = actions.clear_flag(
            flag=flagged,
            actor=people["verifier"],
            reason="Dua orang berbeda: sudah dicek ke Dukcapil, KK berbeda.",
            otp_verified=True,
        )
        assert cleared.status == FlagStatus.CLEARED
        assert cleared.cleared_by == people["verifier"]
        assert cleared.clear_reason == "Dua orang berbeda: sudah dicek ke Dukcapil, KK berbeda."
        event = AuditEvent.objects.get(event_type="grants_screening.flag_cleared")
        assert event.actor_id == people["verifier"].pk
        assert json.loads(event.data)["reason"] == "Dua orang berbeda: sudah dicek ke Dukcapil, KK berbeda."
        # A cleared finding is not raised again by the next screening.
        beneficiary = selectors.access_beneficiary_by_id(people["officer"], flagged.subject_id)
        actions.screen_beneficiary(beneficiary=beneficiary, actor=None)
        assert Flag.objects.count() == 1 and not selectors.open_flags_for(beneficiary).exists()
        with pytest.raises(ValidationError) as error:
            actions.clear_flag(
                flag=cleared, actor=people["verifier"], reason="Sekali lagi dicek ulang.", otp_verified=True
            )
        assert error.value.messages == ["Temuan ini sudah diselesaikan sebelumnya."]


@pytest.mark.parametrize(
    ("who", "reason", "otp", "error", "message"),
    [
        ("verifier", "", True, ValidationError,
         "Tulis alasan tertulis (paling sedikit 10 karakter) mengapa temuan ini tidak bermasalah."),
        ("verifier", "  ok  ", True, ValidationError,
         "Tulis alasan tertulis (paling sedikit 10 karakter) mengapa temuan ini tidak bermasalah."),
        ("verifier", "Dua orang berbeda menurut Dukcapil.", False, PermissionDenied,
         "Menyelesaikan temuan memerlukan verifikasi dua langkah; masukkan kode autentikator dulu."),
        ("officer", "Dua orang berbeda menurut Dukcapil.", True, PermissionDenied,
         "Anda tidak berwenang melakukan tindakan ini."),
        ("inspector", "Dua orang berbeda menurut Dukcapil.", True, PermissionDenied,
         "Anda tidak berwenang melakukan tindakan ini."),
    ],
)  # fmt: skip
def test_clearing_is_refused_without_reason_second_factor_or_role(
    tenant_a, people, flagged, in_tenant, who, reason, otp, error, message
):
    with in_tenant(tenant_a):
        with pytest.raises(error) as raised:
            actions.clear_flag(flag=flagged, actor=people[who], reason=reason, otp_verified=otp)
        text = raised.value.messages[0] if isinstance(raised.value, ValidationError) else str(raised.value)
        assert text == message
        flagged.refresh_from_db()
        assert (flagged.status, flagged.cleared_by, flagged.clear_reason) == (FlagStatus.OPEN, None, "")
        assert not AuditEvent.objects.filter(event_type="grants_screening.flag_cleared").exists()


def test_flags_of_another_tenant_are_invisible(tenant_a, tenant_b, people, flagged, make_person, in_tenant):
    verifier_b = make_person(tenant_b, roles=["grants_screening_verifier"])
    with in_tenant(tenant_b):
        assert not selectors.list_flags(verifier_b).exists()
        with pytest.raises(Flag.DoesNotExist):
            selectors.access_flag_by_id(verifier_b, flagged.pk)
    with in_tenant(tenant_a):
        assert list(selectors.list_flags(people["inspector"])) == [flagged]
        assert list(selectors.list_flags(people["officer"], kind=FlagKind.DUPLICATE_PHONE)) == []


def test_shared_phone_across_households_is_flagged_but_not_within_one(tenant_a, people, in_tenant):
    with in_tenant(tenant_a):
        register(people["officer"], "3273011705900001", "Ahmad Fauzi", phone="081234567890")
        register(
            people["officer"],
            "3273015203850002",
            "Dewi Lestari",
            birth_date=datetime.date(1985, 3, 12),
            sex="P",
            mother_name="Rohimah",
            phone="081234567890",
        )  # fmt: skip — same KK: a household sharing a phone is normal
        assert not Flag.objects.filter(kind=FlagKind.DUPLICATE_PHONE).exists()
        broker = register(
            people["officer"], "3273012001700003", "Joko Susilo", birth_date=datetime.date(1970, 1, 20),
            mother_name="Karsih", kk_number="3273010101090009", phone="+62 812-3456-7890",
        )  # fmt: skip
        flag = Flag.objects.get(kind=FlagKind.DUPLICATE_PHONE)
        assert flag.subject_id == broker.pk
        assert flag.explanation == (
            "Nomor telepon 081234567890 juga dipakai 2 penerima dari KK lain: Ahmad Fauzi, Dewi Lestari."
        )


def test_standard_price_import_updates_lines_and_reports_bad_rows(tenant_a, make_person, in_tenant):
    from praja.modules.grants.screening.models import StandardUnitPrice

    admin = make_person(tenant_a, roles=["grants_price_admin"])
    content = (
        b"kode,uraian,satuan,harga,tahun\n"
        b"SSH-1,Sewa tenda dan kursi,paket,4000000,2027\n"
        b'SSH-2,Konsumsi peserta,kotak,"25.000",2027\n'
        b"SSH-3,Tanpa harga,buah,,2027\n"
        b"SSH-1,Sewa tenda dan kursi,paket,4500000,2027\n"
    )
    with in_tenant(tenant_a):
        saved, rejected = actions.import_standard_prices(
            actor=admin, content=content, original_name="ssh.csv"
        )
        assert saved == 2
        assert rejected == [
            (4, ["Harga harus bilangan bulat Rupiah lebih dari 0."]),
            (5, ["Kode SSH-1 tahun 2027 sama dengan baris 2."]),
        ]
        assert sorted(StandardUnitPrice.objects.values_list("code", "price")) == [
            ("SSH-1", 4_000_000),
            ("SSH-2", 25_000),
        ]
        actions.import_standard_prices(
            actor=admin, content=b"kode,uraian,satuan,harga,tahun\nSSH-1,Sewa tenda,paket,4200000,2027\n",
            original_name="ssh2.csv",
        )  # fmt: skip
        assert StandardUnitPrice.objects.get(code="SSH-1").price == 4_200_000
        assert AuditEvent.objects.filter(event_type="grants_screening.prices_imported").count() == 2
        officer = make_person(tenant_a, roles=["grants_registry_officer"])
        with pytest.raises(PermissionDenied):
            actions.import_standard_prices(actor=officer, content=content, original_name="ssh.csv")


def test_flags_include_renders_for_g1_pages(tenant_a, people, flagged, in_tenant, rf):
    from django.template.loader import render_to_string

    with in_tenant(tenant_a):
        beneficiary = selectors.access_beneficiary_by_id(people["officer"], flagged.subject_id)
        request = rf.get("/")
        request.user = people["verifier"]
        request.tenant = tenant_a
        html = render_to_string("grants_screening/_flags.html", {"subject": beneficiary, "request": request})
        assert "Kemungkinan orang yang sama (NIK berbeda)" in html
        assert "Periksa dan selesaikan" in html
        request.user = people["officer"]
        html = render_to_string("grants_screening/_flags.html", {"subject": beneficiary, "request": request})
        assert "Rincian temuan" in html and "Periksa dan selesaikan" not in html
