"""The imported spreadsheet itself is kept (core.documents); officials who see the batch download it."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from praja.core.audit.models import AuditEvent
from praja.core.documents.models import StoredFile
from praja.core.testing.permission_matrix import verified_client
from praja.modules.grants.screening import actions
from praja.modules.grants.screening.models import Beneficiary, ImportBatch

pytestmark = pytest.mark.django_db

HEADER = "NIK,No KK,Nama,Tanggal lahir,Jenis kelamin,Nama ibu,Alamat,RT,RW,Kode kelurahan,Telepon,Sumber data,Referensi"  # noqa: E501
GOOD = "3273011705900001,3273010101090001,Ahmad Fauzi,17-05-1990,L,Siti Aminah,Jl. Merdeka 5,1,2,32.73.01.1001,,DTKS,DTKS-001"  # noqa: E501
BAD = "3273011705900005,3273010101090005,Tanggal Salah,18-05-1990,L,Ibu,Jl. A,,,32.73.01.1001,,DTKS,"


def csv_bytes(*rows: str) -> bytes:
    # A BOM and CRLF line ends, as Excel's "CSV UTF-8" writes them: kept byte for byte.
    return "\ufeff".encode() + ("\r\n".join([HEADER, *rows]) + "\r\n").encode()


def xlsx_bytes(*rows: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in [HEADER, *rows]:
        sheet.append(row.split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_macro_content_type(content: bytes) -> bytes:
    """The same workbook declared macro-enabled, as Excel saves an .xlsm."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
            archive.writestr(item, data)
    return target.getvalue()


def imports_url(tenant) -> str:
    return f"/t/{tenant.slug}/grants/screening/imports/"


def report_url(tenant, batch_id: int) -> str:
    return f"/t/{tenant.slug}/grants/screening/imports/{batch_id}/"


def file_url(tenant, batch_id: int) -> str:
    return f"/t/{tenant.slug}/grants/screening/imports/{batch_id}/file/"


@pytest.fixture
def document_root(settings, tmp_path):
    settings.PRAJA_DOCUMENT_ROOT = tmp_path / "documents"
    return settings.PRAJA_DOCUMENT_ROOT


def files_on_disk(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def officer(tenant_a, make_person):
    return make_person(tenant_a, roles=["grants_registry_officer"], full_name="Petugas Dinsos")


def upload(client, tenant, content: bytes, name: str):
    return client.post(imports_url(tenant), {"file": SimpleUploadedFile(name, content)})


def downloaded_bytes(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("name", "maker", "kind", "content_type"),
    [
        ("dtks-sukasari.csv", csv_bytes, "csv", "text/csv"),
        (
            "dtks-sukasari.xlsx",
            xlsx_bytes,
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_the_uploaded_file_is_kept_and_downloads_byte_for_byte(
    tenant_a, officer, make_person, in_tenant, document_root, name, maker, kind, content_type
):
    content = maker(GOOD, BAD)
    client = verified_client(officer)
    response = upload(client, tenant_a, content, name)
    assert response.status_code == 302
    with in_tenant(tenant_a):
        batch = ImportBatch.objects.select_related("stored_file").get()
        stored = batch.stored_file
        assert (stored.original_name, stored.kind, stored.content_type, stored.owner_id) == (
            name, kind, content_type, officer.pk,
        )  # fmt: skip
        # One checksum: the batch's is the stored file's, and both are the uploaded bytes'.
        assert batch.sha256 == stored.sha256 == hashlib.sha256(content).hexdigest()
        imported = AuditEvent.objects.get(event_type="grants_screening.beneficiaries_imported")
        assert json.loads(imported.data)["file_id"] == stored.pk
        assert AuditEvent.objects.filter(event_type="document.uploaded", object_id=str(stored.pk)).exists()

    page = client.get(report_url(tenant_a, batch.pk)).content.decode()
    assert f'href="{file_url(tenant_a, batch.pk)}"' in page
    assert batch.sha256 in page

    # The inspectorate (the auditor) downloads exactly what was imported; the download is audited.
    inspector = make_person(tenant_a, roles=["inspector"], full_name="Auditor Inspektorat")
    for person in (officer, inspector):
        download = verified_client(person).get(file_url(tenant_a, batch.pk))
        assert download.status_code == 200
        assert downloaded_bytes(download) == content
        assert download["Content-Type"] == content_type
        assert download["Content-Disposition"] == f'attachment; filename="{name}"'
        assert download["X-Content-Type-Options"] == "nosniff"
    with in_tenant(tenant_a):
        downloads = AuditEvent.objects.filter(event_type="grants_screening.import_file_downloaded")
        assert [event.actor_id for event in downloads.order_by("pk")] == [officer.pk, inspector.pk]
        assert json.loads(downloads.first().data) == {
            "batch": batch.pk, "file_id": stored.pk, "file": name, "sha256": batch.sha256,
        }  # fmt: skip


def test_another_tenant_or_a_user_without_permission_cannot_download(
    tenant_a, tenant_b, officer, make_person, in_tenant, document_root
):
    with in_tenant(tenant_a):
        batch = actions.import_beneficiaries(actor=officer, content=csv_bytes(GOOD), original_name="a.csv")
    officer_b = verified_client(make_person(tenant_b, roles=["grants_registry_officer"]))
    # Through A's address (not a member) and through B's own address with A's batch id: not found.
    assert officer_b.get(file_url(tenant_a, batch.pk)).status_code == 404
    assert officer_b.get(file_url(tenant_b, batch.pk)).status_code == 404
    assert officer_b.get(f"/t/{tenant_b.slug}/grants/screening/imports/{batch.pk}/status/").status_code == 404
    clerk = verified_client(make_person(tenant_a, roles=["official"]))
    refused = clerk.get(file_url(tenant_a, batch.pk))
    assert refused.status_code == 403
    assert b"Ahmad Fauzi" not in refused.content
    assert Client().get(file_url(tenant_a, batch.pk)).status_code == 302
    with in_tenant(tenant_a):
        assert not AuditEvent.objects.filter(event_type="grants_screening.import_file_downloaded").exists()


def test_a_file_that_claims_xlsx_but_is_not_one_is_refused_and_nothing_is_saved(
    tenant_a, officer, in_tenant, document_root
):
    client = verified_client(officer)
    with in_tenant(tenant_a):
        events_before = AuditEvent.objects.count()
    response = upload(client, tenant_a, csv_bytes(GOOD), "penerima.xlsx")
    assert response.status_code == 200
    assert (
        "Berkas &#x27;penerima.xlsx&#x27; bukan XLSX: isinya berkas CSV. Beri nama berakhiran .csv atau "
        "unggah XLSX yang benar."
    ) in response.content.decode()
    with in_tenant(tenant_a):
        assert ImportBatch.objects.count() == 0 and Beneficiary.objects.count() == 0
        assert StoredFile.objects.count() == 0 and AuditEvent.objects.count() == events_before
    assert files_on_disk(document_root) == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "penerima.xlsx",
            b"PK\x03\x04" + b"\x00" * 200,
            "Berkas XLSX rusak atau bukan XLSX.",
        ),
        (
            "penerima.pdf",
            b"%PDF-1.7\n" + b"0" * 200,
            "Berkas 'penerima.pdf' berjenis PDF, yang tidak diterima di sini. Unggah XLSX atau CSV.",
        ),
    ],
)
def test_other_files_that_are_not_spreadsheets_are_refused(
    tenant_a, officer, in_tenant, document_root, name, content, message
):
    with in_tenant(tenant_a):
        with pytest.raises(ValidationError) as refusal:
            actions.import_beneficiaries(actor=officer, content=content, original_name=name)
        assert refusal.value.messages == [message]
        assert ImportBatch.objects.count() == 0 and StoredFile.objects.count() == 0
    assert files_on_disk(document_root) == []


def test_a_macro_workbook_is_refused_when_it_would_be_kept_and_the_rows_go_back(
    tenant_a, officer, in_tenant, document_root
):
    content = with_macro_content_type(xlsx_bytes(GOOD))
    with in_tenant(tenant_a):
        with pytest.raises(ValidationError) as refusal:
            actions.import_beneficiaries(actor=officer, content=content, original_name="penerima.xlsm")
        assert refusal.value.messages == [
            "Berkas 'penerima.xlsm' bukan XLSX atau CSV: isinya buku kerja Excel bermakro (XLSM). "
            "Unggah XLSX atau CSV."
        ]
        # The rows were read and checked, but the batch, rows and audit event are one transaction.
        assert ImportBatch.objects.count() == 0 and Beneficiary.objects.count() == 0
        assert StoredFile.objects.count() == 0
        assert not AuditEvent.objects.filter(event_type="grants_screening.beneficiaries_imported").exists()
    assert files_on_disk(document_root) == []


def test_a_batch_that_fails_after_its_file_was_stored_leaves_no_file_behind(
    tenant_a, officer, in_tenant, document_root, monkeypatch
):
    from django.db import OperationalError

    content = csv_bytes(GOOD)
    with in_tenant(tenant_a):
        actions.import_beneficiaries(actor=officer, content=csv_bytes(), original_name="kosong.csv")
        kept = files_on_disk(document_root)
        assert len(kept) == 1  # another batch's file, which must stay

        def locked(*args, **kwargs):
            raise OperationalError("database is locked")

        # The rows' insert fails after the file and the batch row were written in the transaction.
        monkeypatch.setattr(type(Beneficiary.objects), "bulk_create", locked)
        with pytest.raises(OperationalError):
            actions.import_beneficiaries(actor=officer, content=content, original_name="penerima.csv")
        assert ImportBatch.objects.count() == 1 and StoredFile.objects.count() == 1
    assert files_on_disk(document_root) == kept


def test_a_batch_imported_before_files_were_kept_still_shows(tenant_a, officer, in_tenant):
    with in_tenant(tenant_a):
        batch = ImportBatch.objects.create(
            original_name="lama.csv",
            sha256="ab" * 32,
            uploaded_by=officer,
            total_rows=0,
            screening_status="done",
        )
    client = verified_client(officer)
    page = client.get(report_url(tenant_a, batch.pk))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Berkas asli impor ini tidak tersimpan (diimpor sebelum berkas disimpan)." in text
    assert "ab" * 32 in text and file_url(tenant_a, batch.pk) not in text
    assert client.get(file_url(tenant_a, batch.pk)).status_code == 404
    with in_tenant(tenant_a), pytest.raises(ValidationError):
        actions.open_import_file(actor=officer, batch=batch)


def test_the_api_upload_keeps_the_file_too(tenant_a, officer, in_tenant, document_root):
    content = xlsx_bytes(GOOD)
    response = verified_client(officer).post(
        f"/t/{tenant_a.slug}/api/v1/grants/beneficiaries/imports/",
        {"file": SimpleUploadedFile("dtsen.xlsx", content)},
    )
    assert response.status_code == 201, response.content
    assert response.json()["sha256"] == hashlib.sha256(content).hexdigest()
    with in_tenant(tenant_a):
        stored = ImportBatch.objects.get().stored_file
        assert stored.absolute_path.read_bytes() == content


def api_file_url(tenant, batch_id: int) -> str:
    return f"/t/{tenant.slug}/api/v1/grants/beneficiaries/imports/{batch_id}/file/"


def test_the_api_downloads_the_imported_file_for_who_may_see_the_batch(
    tenant_a, tenant_b, officer, make_person, in_tenant, document_root
):
    content = csv_bytes(GOOD, BAD)
    api_officer = verified_client(officer)
    created = api_officer.post(
        f"/t/{tenant_a.slug}/api/v1/grants/beneficiaries/imports/",
        {"file": SimpleUploadedFile("dtks.csv", content)},
    )
    assert created.status_code == 201 and created.json()["file_kept"] is True
    batch_id = created.json()["id"]
    inspector = verified_client(make_person(tenant_a, roles=["inspector"]))
    download = inspector.get(api_file_url(tenant_a, batch_id))
    assert download.status_code == 200
    assert downloaded_bytes(download) == content
    assert download["Content-Disposition"] == 'attachment; filename="dtks.csv"'
    assert download["X-Content-Type-Options"] == "nosniff"

    officer_b = verified_client(make_person(tenant_b, roles=["grants_registry_officer"]))
    assert officer_b.get(api_file_url(tenant_b, batch_id)).status_code == 404
    assert (
        verified_client(make_person(tenant_a, roles=["official"]))
        .get(api_file_url(tenant_a, batch_id))
        .status_code
        == 403
    )
    assert Client().get(api_file_url(tenant_a, batch_id)).status_code == 401
    with in_tenant(tenant_a):
        downloads = AuditEvent.objects.filter(event_type="grants_screening.import_file_downloaded")
        assert downloads.count() == 1
        old = ImportBatch.objects.create(
            original_name="lama.csv",
            sha256="ab" * 32,
            uploaded_by=officer,
            total_rows=0,
            screening_status="done",
        )
    listed = {item["id"]: item["file_kept"] for item in api_officer.get(
        f"/t/{tenant_a.slug}/api/v1/grants/beneficiaries/imports/"
    ).json()["results"]}  # fmt: skip
    assert listed == {batch_id: True, old.pk: False}
    assert api_officer.get(api_file_url(tenant_a, old.pk)).status_code == 404


def test_an_oversize_spreadsheet_is_refused_before_it_is_read_whole(
    tenant_a, officer, make_person, in_tenant, document_root, settings
):
    settings.PRAJA_UPLOAD_MAX_BYTES = 100 * 1024
    client = verified_client(officer)
    padding = "\r\n".join([GOOD] * 4000).encode()  # ~0.5 MB of rows
    # Far over the limit: refused from Content-Length alone, the body is never parsed.
    declared = upload(client, tenant_a, csv_bytes() + padding, "besar.csv")
    # Just over it: the upload handler skips the file while it streams in.
    streamed = upload(client, tenant_a, csv_bytes() + padding[:120_000], "agak-besar.csv")
    assert declared.status_code == streamed.status_code == 413
    assert "Berkas terlalu besar. Ukuran maksimum 0,1 MB." in declared.content.decode()
    assert "Berkas &#x27;agak-besar.csv&#x27; terlalu besar. Ukuran maksimum 0,1 MB." in (
        streamed.content.decode()
    )
    with in_tenant(tenant_a):
        assert ImportBatch.objects.count() == 0 and Beneficiary.objects.count() == 0
    assert files_on_disk(document_root) == []
    # Only registry officers see the page, whatever the size of what others send.
    clerk = verified_client(make_person(tenant_a, roles=["official"]))
    assert upload(clerk, tenant_a, csv_bytes() + padding, "besar.csv").status_code == 403
