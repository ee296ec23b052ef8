"""Spreadsheet uploads (XLSX, CSV): accepted only where a caller asks for them, by their whole content."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from praja.core.audit.models import AuditEvent
from praja.core.documents.actions import store_upload
from praja.core.documents.models import StoredFile
from praja.core.documents.rules import candidate_kind, is_utf8_text, kind_of_zip

pytestmark = pytest.mark.django_db

SHEETS = ("xlsx", "csv")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "\ufeffNIK;Nama;Alamat\r\n3273011705900001;Ahmad Fauzi;Jl. Merdeka 5 – Sukasari\r\n".encode()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["NIK", "Nama"])
    workbook.active.append(["3273011705900001", "Ahmad Fauzi"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def word_document_bytes() -> bytes:
    return zip_bytes({
        "[Content_Types].xml": b'<Types><Override PartName="/word/document.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "word/document.xml": b"<w:document/>",
    })  # fmt: skip


def macro_workbook_bytes() -> bytes:
    return zip_bytes({
        "[Content_Types].xml": b'<Types><Override PartName="/xl/workbook.xml" '
        b'ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>',
        "xl/workbook.xml": b"<workbook/>",
        "xl/vbaProject.bin": b"\x00macro",
    })  # fmt: skip


@pytest.fixture
def document_root(settings, tmp_path):
    settings.PRAJA_DOCUMENT_ROOT = tmp_path / "documents"
    return settings.PRAJA_DOCUMENT_ROOT


@pytest.fixture
def official(tenant_a, make_person):
    return make_person(tenant_a, roles=["official"])


def stored_paths(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize(
    ("name", "maker", "kind", "content_type"),
    [
        (
            "dtks.xlsx",
            xlsx_bytes,
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("dtks.csv", lambda: CSV, "csv", "text/csv"),
        ("dtks.txt", lambda: CSV, "csv", "text/csv"),  # the content decides, the name claims nothing
    ],
)
def test_spreadsheets_are_stored_where_the_caller_allows_them(
    official, in_tenant, tenant_a, document_root, name, maker, kind, content_type
):
    content = maker()
    with in_tenant(tenant_a):
        stored = store_upload(
            actor=official, uploaded_file=SimpleUploadedFile(name, content), allowed_types=SHEETS
        )
        assert (stored.kind, stored.content_type, stored.original_name) == (kind, content_type, name)
        assert stored.absolute_path.read_bytes() == content
        assert stored.absolute_path.suffix == f".{kind}"
        assert AuditEvent.objects.filter(event_type="document.uploaded", object_id=str(stored.pk)).exists()


@pytest.mark.parametrize(
    ("name", "maker", "message"),
    [
        # The default (PDF, JPG, PNG) is unchanged, and so are its words.
        (
            "dtks.xlsx",
            xlsx_bytes,
            "Berkas 'dtks.xlsx' bukan PDF, JPG atau PNG: isinya arsip terkompresi (ZIP/RAR). "
            "Unggah PDF, JPG atau PNG.",
        ),
        (
            "dtks.csv",
            lambda: CSV,
            "Berkas 'dtks.csv' bukan PDF, JPG atau PNG: isinya data yang tidak dikenali. "
            "Unggah PDF, JPG atau PNG.",
        ),
    ],
)
def test_the_default_allowed_types_still_refuse_spreadsheets(
    official, in_tenant, tenant_a, document_root, name, maker, message
):
    with in_tenant(tenant_a), pytest.raises(ValidationError) as refusal:
        store_upload(actor=official, uploaded_file=SimpleUploadedFile(name, maker()))
    assert refusal.value.messages == [message]
    assert stored_paths(document_root) == []


@pytest.mark.parametrize(
    ("name", "maker", "code", "message"),
    [
        (
            "penerima.xlsx",
            lambda: CSV,
            "wrong_type",
            "Berkas 'penerima.xlsx' bukan XLSX: isinya berkas CSV. Beri nama berakhiran .csv atau "
            "unggah XLSX yang benar.",
        ),
        (
            "penerima.xlsx",
            word_document_bytes,
            "wrong_type",
            "Berkas 'penerima.xlsx' bukan XLSX: isinya arsip terkompresi (ZIP/RAR). Unggah XLSX atau CSV.",
        ),
        (
            "penerima.xlsm",
            macro_workbook_bytes,
            "wrong_type",
            "Berkas 'penerima.xlsm' bukan XLSX atau CSV: isinya buku kerja Excel bermakro (XLSM). "
            "Unggah XLSX atau CSV.",
        ),
        (
            "penerima.csv",
            xlsx_bytes,
            "wrong_type",
            "Berkas 'penerima.csv' bukan CSV: isinya berkas XLSX. Beri nama berakhiran .xlsx atau "
            "unggah CSV yang benar.",
        ),
        (
            "penerima.xlsx",
            lambda: xlsx_bytes()[:-200],  # cut short: the central directory is gone
            "damaged",
            "Berkas 'penerima.xlsx' rusak: tidak dapat dibuka sebagai XLSX. Unggah ulang berkas yang utuh.",
        ),
        (
            "penerima.csv",
            lambda: "NIK,Nama\n".encode("utf-16-le"),  # "Unicode text": a NUL after every letter
            "wrong_type",
            "Berkas 'penerima.csv' bukan CSV: isinya data yang tidak dikenali. Unggah XLSX atau CSV.",
        ),
        (
            "penerima.csv",
            # UTF-8 at the start, Windows-1252 further on: the whole file is read before it is accepted.
            lambda: CSV + "Dede Ruslí;Jl. Kopo\n".encode("cp1252"),
            "wrong_type",
            "Berkas 'penerima.csv' bukan CSV: isinya data yang tidak dikenali. Unggah XLSX atau CSV.",
        ),
        (
            "penerima.csv",
            lambda: CSV + b"\x00\x00binary",
            "wrong_type",
            "Berkas 'penerima.csv' bukan CSV: isinya data yang tidak dikenali. Unggah XLSX atau CSV.",
        ),
    ],
)
def test_a_file_that_is_not_the_spreadsheet_it_claims_is_refused_and_nothing_is_kept(
    official, in_tenant, tenant_a, document_root, name, maker, code, message
):
    with in_tenant(tenant_a):
        with pytest.raises(ValidationError) as refusal:
            store_upload(
                actor=official, uploaded_file=SimpleUploadedFile(name, maker()), allowed_types=SHEETS
            )
        assert StoredFile.objects.count() == 0
        assert not AuditEvent.objects.filter(event_type="document.uploaded").exists()
    assert (refusal.value.code, refusal.value.messages) == (code, [message])
    assert stored_paths(document_root) == []


def test_a_zip_claiming_to_unpack_past_the_limit_is_refused_unread(
    official, in_tenant, tenant_a, document_root, monkeypatch
):
    from praja.core.documents import actions

    monkeypatch.setattr(actions, "MAX_UNPACKED_ZIP_BYTES", 1000)
    with in_tenant(tenant_a), pytest.raises(ValidationError) as refusal:
        store_upload(
            actor=official, uploaded_file=SimpleUploadedFile("besar.xlsx", xlsx_bytes()), allowed_types=SHEETS
        )
    assert refusal.value.code == "damaged"
    assert stored_paths(document_root) == []


def test_spreadsheet_rules():
    assert candidate_kind(b"PK\x03\x04\x14\x00", allowed_types=SHEETS) == "xlsx"
    assert candidate_kind(b"PK\x03\x04\x14\x00", allowed_types=("pdf",)) == "archive"
    assert candidate_kind("NIK;Nama;Ala\xe2".encode()[:-1], allowed_types=SHEETS) == "csv"  # cut mid-letter
    assert candidate_kind(b"NIK\x00Nama", allowed_types=SHEETS) == "unknown"
    assert candidate_kind(b"NIK,Nama", allowed_types=("pdf",)) == "unknown"
    assert candidate_kind(b"%PDF-1.7", allowed_types=SHEETS) == "pdf"
    content_types = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    assert kind_of_zip({"[Content_Types].xml", "xl/workbook.xml"}, content_types) == "xlsx"
    assert kind_of_zip({"[Content_Types].xml"}, content_types) == "archive"
    assert kind_of_zip({"xl/workbook.xml"}, content_types) == "archive"
    assert is_utf8_text([b"a,b\n", "é".encode()[:1], "é".encode()[1:]])
    assert not is_utf8_text(["é".encode()[:1]])  # ends inside a letter
    assert is_utf8_text(["é".encode()[:1]], complete=False)
    assert not is_utf8_text([b"a\x00b"])
