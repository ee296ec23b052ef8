"""Bulk import of beneficiaries: good rows in, every bad row reported with its row number and reason."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from praja.core.audit.models import AuditEvent
from praja.modules.grants.screening import actions, selectors
from praja.modules.grants.screening.models import (
    Beneficiary,
    DataSource,
    Flag,
    FlagKind,
    ImportBatch,
    ScreeningStatus,
)

pytestmark = pytest.mark.django_db

HEADER = "NIK,No KK,Nama,Tanggal lahir,Jenis kelamin,Nama ibu,Alamat,RT,RW,Kode kelurahan,Telepon,Sumber data,Referensi"  # noqa: E501
# Sukarasa (32.73.01.1001) and Cipaganti (32.73.02.1001) are kelurahan of Kota Bandung.
GOOD_1 = "3273011705900001,3273010101090001,Ahmad Fauzi,17-05-1990,L,Siti Aminah,Jl. Merdeka 5,1,2,32.73.01.1001,0812 3456 7890,DTKS,DTKS-001"  # noqa: E501
GOOD_2 = "3273015203850002,3273010101090002,Dewi Lestari,1985-03-12,P,Rohimah,Jl. Sukajadi 10,3,4,32.73.02.1001,,dtsen,"  # noqa: E501


def csv_bytes(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


@pytest.fixture
def officer(tenant_a, make_person):
    return make_person(tenant_a, roles=["grants_registry_officer"], full_name="Petugas Dinsos")


def test_good_rows_are_imported_and_every_bad_row_is_reported(tenant_a, officer, in_tenant):
    with in_tenant(tenant_a):
        actions.register_beneficiary(
            actor=officer, data_source="local", nik="3273014107800003", kk_number="3273010101090003",
            full_name="Nur Hasanah", birth_date=datetime.date(1980, 7, 1), sex="P", mother_name="Aisyah",
            address="Gg. Kenari 3", rt="1", rw="1", area_code="32.73.01.1002",
        )  # fmt: skip
        content = csv_bytes(
            GOOD_1,
            GOOD_2,
            "327301170590001,3273010101090004,Nama Pendek NIK,17-05-1990,L,Ibu,Jl. A,,,32.73.01.1001,,DTKS,",
            "3273011705900005,3273010101090005,Tanggal Salah,18-05-1990,L,Ibu,Jl. A,,,32.73.01.1001,,DTKS,",
            "3273011705900006,3273010101090006,Kelurahan Asing,17-05-1990,L,Ibu,Jl. A,,,36.04.05.2001,,DTKS,",
            "3273011705900001,3273010101090007,Ahmad Kembar,17-05-1990,L,Ibu,Jl. A,,,32.73.01.1001,,DTKS,",
            "3273014107800003,3273010101090003,Nur Hasanah,01-07-1980,P,Aisyah,Gg. Kenari 3,,,32.73.01.1002,,DTKS,",  # noqa: E501
            "3273011705900008,3273010101090008,,17-05-1990,L,Ibu,Jl. A,,,32.73.01.1001,,DTKS,",
            "3273013213900009,3273010101090009,Tanggal NIK Rusak,13-32-1990,L,Ibu,Jl. A,,,32.73.01.1001,,DTKS,",  # noqa: E501
            "3273011705900010,3273010101090010,Pria Perempuan,17-05-1990,P,Ibu,Jl. A,,,32.73.01.1001,,DTKS,",
        )
        batch = actions.import_beneficiaries(actor=officer, content=content, original_name="penerima.csv")

        assert (batch.total_rows, batch.imported_count, batch.rejected_count) == (10, 2, 8)
        assert sorted(Beneficiary.objects.filter(import_batch=batch).values_list("full_name", flat=True)) == [
            "Ahmad Fauzi",
            "Dewi Lestari",
        ]
        ahmad = Beneficiary.objects.get(nik="3273011705900001")
        assert (ahmad.birth_date, ahmad.sex, ahmad.phone, ahmad.rt, ahmad.area_id, ahmad.data_source) == (
            datetime.date(1990, 5, 17), "L", "081234567890", "001", "32.73.01.1001", DataSource.DTKS,
        )  # fmt: skip
        reasons = {item.row_number: item.reasons for item in batch.rejections.all()}
        assert reasons == {
            4: ["NIK: NIK harus 16 digit; yang Anda isi 15 digit."],
            5: [
                "Tanggal lahir 18-05-1990 tidak sesuai dengan NIK (digit 7-12 menunjukkan 17-05-1990; "
                "untuk perempuan tanggal ditambah 40)."
            ],
            6: ["Kelurahan/desa dengan kode 36.04.05.2001 tidak dikenal di wilayah daerah ini."],
            7: ["NIK sama dengan baris 2 dalam berkas ini."],
            8: ["NIK 3273014107800003 sudah terdaftar sebagai penerima di daerah ini."],
            9: ["Kolom Nama kosong."],
            10: [
                "NIK: Tanggal lahir dalam NIK (digit 7-12, 321390) bukan tanggal yang sah; "
                "untuk perempuan tanggal ditambah 40.",
                "Tanggal lahir 13-32-1990 tidak dikenali; tulis TTTT-BB-HH atau HH-BB-TTTT.",
            ],
            11: ["Jenis kelamin tidak sesuai dengan NIK (tanggal lahir perempuan dalam NIK ditambah 40)."],
        }
        rejected = batch.rejections.get(row_number=4)
        assert rejected.values["full_name"] == "Nama Pendek NIK"
        event = AuditEvent.objects.get(event_type="grants_screening.beneficiaries_imported")
        assert json.loads(event.data)["imported"] == 2 and json.loads(event.data)["rejected"] == 8


def test_xlsx_with_date_cells_imports(tenant_a, officer, in_tenant):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append([
        "3273011705900001", "3273010101090001", "Ahmad Fauzi", datetime.datetime(1990, 5, 17), "Laki-laki",
        "Siti Aminah", "Jl. Merdeka 5", "1", "2", "3273011001", 81234567890, "DTKS", "X1",
    ])  # fmt: skip
    sheet.append(["1234", "", "Salah", None, "X", "", "", "", "", "", "", "BPS", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with in_tenant(tenant_a):
        batch = actions.import_beneficiaries(
            actor=officer, content=buffer.getvalue(), original_name="data.xlsx"
        )
        assert (batch.imported_count, batch.rejected_count) == (1, 1)
        assert Beneficiary.objects.get().area_id == "32.73.01.1001"
        assert batch.rejections.get().reasons == [
            "Kolom No KK kosong.",
            "Kolom Tanggal lahir kosong.",
            "Kolom Alamat kosong.",
            "Kolom Kode kelurahan kosong.",
            "NIK: NIK harus 16 digit; yang Anda isi 4 digit.",
            "Jenis kelamin harus L (laki-laki) atau P (perempuan).",
            "Sumber data harus DTKS, DTSEN atau lokal (verifikasi pemerintah daerah).",
        ]


def test_a_file_without_a_required_column_is_refused_whole(tenant_a, officer, in_tenant):
    content = b"NIK,Nama,Tanggal lahir\n3273011705900001,Ahmad Fauzi,17-05-1990\n"
    with in_tenant(tenant_a):
        with pytest.raises(ValidationError) as error:
            actions.import_beneficiaries(actor=officer, content=content, original_name="kurang.csv")
        assert error.value.messages == [
            "Kolom wajib tidak ada: No KK, Jenis kelamin, Alamat, Kode kelurahan, Sumber data. Gunakan templat impor."  # noqa: E501
        ]
        assert ImportBatch.objects.count() == 0 and Beneficiary.objects.count() == 0


def test_only_registry_officers_import(tenant_a, make_person, in_tenant):
    clerk = make_person(tenant_a, roles=["official"])
    with in_tenant(tenant_a):
        with pytest.raises(PermissionDenied):
            actions.import_beneficiaries(actor=clerk, content=csv_bytes(GOOD_1), original_name="a.csv")
        assert Beneficiary.objects.count() == 0
        assert not AuditEvent.objects.filter(event_type="grants_screening.beneficiaries_imported").exists()


def test_import_flags_near_duplicates_of_people_already_registered(
    tenant_a, officer, in_tenant, django_capture_on_commit_callbacks
):
    with in_tenant(tenant_a), django_capture_on_commit_callbacks(execute=True):
        actions.import_beneficiaries(actor=officer, content=csv_bytes(GOOD_1), original_name="a.csv")
    typo = "3273011705900099,3273010101090099,Achmad Fauzy,17-05-1990,L,Siti Aminah,Jalan Merdeka 5,1,2,32.73.01.1001,,DTKS,"  # noqa: E501
    with in_tenant(tenant_a), django_capture_on_commit_callbacks(execute=True):
        second = actions.import_beneficiaries(actor=officer, content=csv_bytes(typo), original_name="b.csv")
    with in_tenant(tenant_a):
        assert second.imported_count == 1
        second.refresh_from_db()
        assert (second.screening_status, second.screening_progress, second.screening_flags) == (
            ScreeningStatus.DONE, 100, 1,
        )  # fmt: skip
        flag = Flag.objects.get(kind=FlagKind.NEAR_DUPLICATE_PERSON)
        newcomer = Beneficiary.objects.get(nik="3273011705900099")
        assert (flag.subject_type, flag.subject_id) == ("grants_screening.beneficiary", newcomer.pk)
        assert flag.explanation.startswith(
            "Achmad Fauzy (NIK 3273011705900099) kemungkinan orang yang sama dengan Ahmad Fauzi "
            "(NIK 3273011705900001): nama mirip "
        )
        assert "tanggal lahir sama, nama ibu sama" in flag.explanation
        assert flag.evidence["other"]["nik"] == "3273011705900001"
        # Importing the same people again does not duplicate the finding.
        actions.screen_beneficiary(beneficiary=newcomer, actor=None)
        assert Flag.objects.filter(kind=FlagKind.NEAR_DUPLICATE_PERSON).count() == 1


def test_citizen_registers_themself_with_their_own_nik_only(tenant_a, make_person, in_tenant):
    citizen = make_person(tenant_a, nik="3273015203850002", full_name="Dewi Lestari")
    fields = dict(  # noqa: C408
        kk_number="3273010101090002", full_name="Dewi Lestari", birth_date=datetime.date(1985, 3, 12), sex="P",  # noqa: E501
        mother_name="Rohimah", address="Jl. Sukajadi 10", rt="3", rw="4", area_code="32.73.02.1001",
    )  # fmt: skip
    with in_tenant(tenant_a):
        with pytest.raises(ValidationError) as error:
            actions.register_beneficiary(
                actor=citizen, citizen=citizen, data_source="citizen", nik="3273011705900001", **fields
            )
        assert "NIK harus sama dengan NIK akun Anda." in error.value.messages
        beneficiary = actions.register_beneficiary(
            actor=citizen, citizen=citizen, data_source="citizen", nik="3273015203850002", **fields
        )
        assert beneficiary.citizen == citizen and beneficiary.data_source == DataSource.CITIZEN
        again = actions.register_beneficiary(
            actor=citizen, citizen=citizen, data_source="citizen", nik="3273015203850002", **fields
        )
        assert again.pk == beneficiary.pk and Beneficiary.objects.count() == 1
        # A citizen may not register somebody else.
        with pytest.raises(PermissionDenied):
            actions.register_beneficiary(actor=citizen, data_source="local", nik="3273011705900001", **fields)
        assert selectors.access_beneficiary_by_id(citizen, beneficiary.pk) == beneficiary


def test_registry_and_matching_never_cross_tenants(
    tenant_a, tenant_b, officer, make_person, in_tenant, django_capture_on_commit_callbacks
):
    officer_b = make_person(tenant_b, roles=["grants_registry_officer"])
    with in_tenant(tenant_a), django_capture_on_commit_callbacks(execute=True):
        actions.import_beneficiaries(actor=officer, content=csv_bytes(GOOD_1), original_name="a.csv")
    with in_tenant(tenant_a):
        ahmad = Beneficiary.objects.get()
    serang = (
        "3604051705900001,3604050101090001,Achmad Fauzy,17-05-1990,L,Siti Aminah,Jl. Merdeka 5,1,2,"
        "36.04.05.2001,,DTKS,"
    )
    with in_tenant(tenant_b), django_capture_on_commit_callbacks(execute=True):
        batch = actions.import_beneficiaries(
            actor=officer_b, content=csv_bytes(serang), original_name="b.csv"
        )
    with in_tenant(tenant_b):
        batch.refresh_from_db()
        assert batch.imported_count == 1 and batch.screening_status == ScreeningStatus.DONE
        assert Flag.objects.count() == 0
        with pytest.raises(Beneficiary.DoesNotExist):
            selectors.access_beneficiary_by_id(officer_b, ahmad.pk)
        assert list(selectors.list_beneficiaries(officer_b).values_list("full_name", flat=True)) == [
            "Achmad Fauzy"
        ]
    with in_tenant(tenant_a):
        assert Flag.objects.count() == 0
        # A Bandung official sees nothing of Serang's registry.
        assert list(selectors.list_beneficiaries(officer).values_list("nik", flat=True)) == [
            "3273011705900001"
        ]
