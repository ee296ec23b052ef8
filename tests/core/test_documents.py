"""Uploads: type by content, size before reading, checksum, immutability, who may open a file."""

import hashlib
import io
import json
import re
import stat

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import DatabaseError, connection, transaction
from django.http import Http404
from PIL import Image

from praja.core.audit.models import AuditEvent
from praja.core.documents.actions import open_stored_file, store_upload
from praja.core.documents.models import StoredFile
from praja.core.documents.rules import normalize_verification_code, sniff_content
from praja.core.documents.selectors import access_stored_file_by_id

ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
WINDOWS_EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (255, 255, 255)).save(buffer, format="PDF")
    return buffer.getvalue()


@pytest.fixture
def document_root(settings, tmp_path):
    settings.PRAJA_DOCUMENT_ROOT = tmp_path / "documents"
    return settings.PRAJA_DOCUMENT_ROOT


def stored_paths(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def h1(response) -> str:
    return re.search(r"<h1>(.*?)</h1>", response.content.decode()).group(1)


@pytest.fixture
def citizen(tenant_a, make_person):
    return make_person(tenant_a)


class CountingUpload(UploadedFile):
    """An upload whose size may be unknown, yielding its bytes lazily and counting what was read."""

    def __init__(self, name: str, total: int, *, declared_size=None, chunk=64 * 1024, head=b"%PDF-1.7\n"):
        super().__init__(file=None, name=name, content_type="application/pdf", size=declared_size)
        self.total, self.chunk_size_bytes, self.head, self.bytes_read = total, chunk, head, 0

    def chunks(self, chunk_size=None):
        sent = 0
        while sent < self.total:
            piece = min(self.chunk_size_bytes, self.total - sent)
            data = (self.head + b"0" * piece)[:piece] if sent == 0 else b"0" * piece
            sent += piece
            self.bytes_read = sent
            yield data


@pytest.mark.parametrize(
    ("name", "maker", "kind", "content_type"),
    [
        ("surat-pengantar.pdf", pdf_bytes, "pdf", "application/pdf"),
        ("pas-foto.JPG", lambda: image_bytes("JPEG"), "jpeg", "image/jpeg"),
        ("ktp.png", lambda: image_bytes("PNG"), "png", "image/png"),
        ("tanpa-ekstensi", lambda: image_bytes("PNG"), "png", "image/png"),
    ],
)
def test_upload_is_accepted_by_its_content_and_stored_with_its_checksum(
    citizen, in_tenant, tenant_a, document_root, name, maker, kind, content_type
):
    content = maker()
    with in_tenant(tenant_a):
        # The browser's claimed type is ignored: the content decides.
        stored = store_upload(
            actor=citizen,
            uploaded_file=SimpleUploadedFile(name, content, "text/plain"),
            purpose="Persyaratan izin",
        )
        event = AuditEvent.objects.get(tenant=tenant_a, event_type="document.uploaded")
    assert (stored.original_name, stored.kind, stored.content_type, stored.size, stored.purpose) == (
        name,
        kind,
        content_type,
        len(content),
        "Persyaratan izin",
    )
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert (
        stored.storage_path
        == f"32.73/{stored.sha256[:2]}/{stored.sha256}{'.jpg' if kind == 'jpeg' else '.' + kind}"
    )
    assert stored.absolute_path.read_bytes() == content
    assert stat.S_IMODE(stored.absolute_path.stat().st_mode) == 0o444
    assert (event.object_id, json.loads(event.data)["sha256"]) == (str(stored.pk), stored.sha256)
    assert stored_paths(document_root) == [stored.absolute_path]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "laporan.pdf",
            ELF_BYTES,
            "Berkas 'laporan.pdf' bukan PDF: isinya berkas program (executable). Unggah PDF, JPG atau PNG.",
        ),
        (
            "foto.jpg",
            WINDOWS_EXE_BYTES,
            "Berkas 'foto.jpg' bukan JPG: isinya berkas program (executable). Unggah PDF, JPG atau PNG.",
        ),
        (
            "setup.exe",
            WINDOWS_EXE_BYTES,
            "Berkas 'setup.exe' bukan PDF, JPG atau PNG: isinya berkas program (executable). "
            "Unggah PDF, JPG atau PNG.",
        ),
        (
            "ktp.pdf",
            image_bytes("PNG"),
            "Berkas 'ktp.pdf' bukan PDF: isinya berkas PNG. "
            "Beri nama berakhiran .png atau unggah PDF yang benar.",
        ),
        (
            "data.pdf",
            b"PK\x03\x04" + b"\x00" * 64,
            "Berkas 'data.pdf' bukan PDF: isinya arsip terkompresi (ZIP/RAR). Unggah PDF, JPG atau PNG.",
        ),
        (
            "rusak.pdf",
            b"%PDF-1.7\nbukan pdf sungguhan" * 3,
            "Berkas 'rusak.pdf' rusak: tidak dapat dibuka sebagai PDF. Unggah ulang berkas yang utuh.",
        ),
        ("kosong.pdf", b"", "Berkas 'kosong.pdf' kosong."),
    ],
)
def test_refused_upload_says_why_and_stores_nothing(
    citizen, in_tenant, tenant_a, document_root, name, content, message
):
    with in_tenant(tenant_a):
        with pytest.raises(ValidationError) as refusal:
            store_upload(actor=citizen, uploaded_file=SimpleUploadedFile(name, content, "application/pdf"))
        assert StoredFile.objects.count() == 0
        assert not AuditEvent.objects.filter(event_type="document.uploaded").exists()
    assert refusal.value.messages == [message]
    assert stored_paths(document_root) == []


def test_type_not_allowed_for_this_upload_is_refused(citizen, in_tenant, tenant_a, document_root):
    with in_tenant(tenant_a), pytest.raises(ValidationError) as refusal:
        store_upload(
            actor=citizen,
            uploaded_file=SimpleUploadedFile("foto.png", image_bytes("PNG")),
            allowed_types=("pdf",),
        )
    assert refusal.value.messages == [
        "Berkas 'foto.png' berjenis PNG, yang tidak diterima di sini. Unggah PDF."
    ]
    assert stored_paths(document_root) == []


def test_declared_oversize_is_refused_before_a_single_byte_is_read(
    citizen, in_tenant, tenant_a, document_root
):
    upload = CountingUpload("besar.pdf", 12_900_000, declared_size=12_900_000)
    with in_tenant(tenant_a), pytest.raises(ValidationError) as refusal:
        store_upload(actor=citizen, uploaded_file=upload, max_bytes=10 * 1024 * 1024)
    assert refusal.value.messages == ["Berkas 'besar.pdf' terlalu besar (12,3 MB). Ukuran maksimum 10 MB."]
    assert upload.bytes_read == 0
    assert stored_paths(document_root) == []


def test_undeclared_oversize_stops_at_the_limit_while_streaming(citizen, in_tenant, tenant_a, document_root):
    upload = CountingUpload("besar.pdf", 50 * 1024 * 1024, declared_size=None, chunk=64 * 1024)
    with in_tenant(tenant_a), pytest.raises(ValidationError) as refusal:
        store_upload(actor=citizen, uploaded_file=upload, max_bytes=1024 * 1024)
    assert refusal.value.messages == ["Berkas 'besar.pdf' terlalu besar. Ukuran maksimum 1 MB."]
    assert upload.bytes_read <= 1024 * 1024 + 64 * 1024  # one chunk past the limit, not 50 MB
    with in_tenant(tenant_a):
        assert StoredFile.objects.count() == 0
    assert stored_paths(document_root) == []


def test_same_bytes_twice_make_two_rows_sharing_one_unchanged_file(
    citizen, make_person, in_tenant, tenant_a, document_root
):
    content = pdf_bytes()
    other = make_person(tenant_a)
    with in_tenant(tenant_a):
        first = store_upload(actor=citizen, uploaded_file=SimpleUploadedFile("a.pdf", content))
        before = first.absolute_path.stat()
        second = store_upload(actor=other, uploaded_file=SimpleUploadedFile("b.pdf", content))
    assert first.pk != second.pk
    assert (first.storage_path, first.sha256) == (second.storage_path, second.sha256)
    after = first.absolute_path.stat()
    assert (after.st_ino, after.st_mtime_ns, stat.S_IMODE(after.st_mode)) == (
        before.st_ino,
        before.st_mtime_ns,
        0o444,
    )
    assert stored_paths(document_root) == [first.absolute_path]


def test_my_files_lists_uploads_and_accepts_a_new_one(
    citizen, login_client, tenant_a, document_root, in_tenant
):
    client = login_client(citizen)
    content = image_bytes("PNG")
    response = client.post(
        "/t/kota-bandung/my-files/",
        {
            "file": SimpleUploadedFile("pas-foto.png", content, "image/png"),
            "purpose": "Pas foto",
        },
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Berkas &#x27;pas-foto.png&#x27; tersimpan." in page
    with in_tenant(tenant_a):
        stored = StoredFile.objects.get()
    assert "pas-foto.png" in page and "PNG" in page and stored.sha256[:12] in page
    assert f'href="/t/kota-bandung/files/{stored.pk}/"' in page


def test_my_files_page_refuses_a_renamed_executable_with_the_reason(
    citizen, login_client, tenant_a, document_root, in_tenant
):
    response = login_client(citizen).post(
        "/t/kota-bandung/my-files/",
        {
            "file": SimpleUploadedFile("laporan.pdf", ELF_BYTES, "application/pdf"),
        },
    )
    assert response.status_code == 200
    assert (
        "Berkas &#x27;laporan.pdf&#x27; bukan PDF: isinya berkas program (executable). "
        "Unggah PDF, JPG atau PNG."
    ) in response.content.decode()
    with in_tenant(tenant_a):
        assert StoredFile.objects.count() == 0
    assert stored_paths(document_root) == []


def test_oversize_request_gets_the_clear_message_not_a_400(
    citizen, login_client, tenant_a, document_root, in_tenant, settings
):
    settings.PRAJA_UPLOAD_MAX_BYTES = 100 * 1024
    client = login_client(citizen)
    # Far over the limit: refused from Content-Length alone, the body is never parsed.
    declared = client.post(
        "/t/kota-bandung/my-files/",
        {
            "file": SimpleUploadedFile("besar.pdf", b"%PDF-1.7\n" + b"0" * 400_000, "application/pdf"),
        },
    )
    # Just over the limit (within the multipart allowance): the upload handler skips it mid-stream.
    streamed = client.post(
        "/t/kota-bandung/my-files/",
        {
            "file": SimpleUploadedFile("agak-besar.pdf", b"%PDF-1.7\n" + b"0" * 120_000, "application/pdf"),
        },
    )
    assert declared.status_code == streamed.status_code == 413
    assert "Berkas terlalu besar. Ukuran maksimum 0,1 MB." in declared.content.decode()
    assert (
        "Berkas &#x27;agak-besar.pdf&#x27; terlalu besar. Ukuran maksimum 0,1 MB."
        in streamed.content.decode()
    )
    with in_tenant(tenant_a):
        assert StoredFile.objects.count() == 0
    assert stored_paths(document_root) == []


def test_my_files_needs_login(client, tenant_a):
    response = client.get("/t/kota-bandung/my-files/")
    assert response.status_code == 302
    assert "next=%2Ft%2Fkota-bandung%2Fmy-files%2F" in response["Location"]


def test_owner_downloads_as_attachment_with_nosniff_and_no_view_event(
    citizen, login_client, tenant_a, in_tenant, document_root
):
    content = pdf_bytes()
    with in_tenant(tenant_a):
        stored = store_upload(actor=citizen, uploaded_file=SimpleUploadedFile("surat.pdf", content))
    response = login_client(citizen).get(f"/t/kota-bandung/files/{stored.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"] == 'attachment; filename="surat.pdf"'
    assert (response["Content-Type"], response["X-Content-Type-Options"]) == ("application/pdf", "nosniff")
    assert not AuditEvent.objects.filter(event_type="personal_data.viewed").exists()


def test_official_opening_a_citizens_file_is_on_the_audit_chain(
    citizen, make_person, login_client, tenant_a, in_tenant, document_root
):
    official = make_person(tenant_a, roles=["official"], nip="198503102010011001")
    with in_tenant(tenant_a):
        stored = store_upload(actor=citizen, uploaded_file=SimpleUploadedFile("ktp.png", image_bytes("PNG")))
    response = login_client(official).get(f"/t/kota-bandung/files/{stored.pk}/")
    assert response.status_code == 200
    event = AuditEvent.objects.get(tenant=tenant_a, event_type="personal_data.viewed")
    data = json.loads(event.data)
    assert (event.actor_id, event.object_type, event.object_id) == (
        official.pk,
        "accounts.user",
        str(citizen.pk),
    )
    assert (data["citizen_id"], data["purpose"]) == (citizen.pk, "Membuka berkas 'ktp.png'")


def test_other_people_and_other_tenants_get_the_same_404(
    citizen, make_person, login_client, tenant_a, tenant_b, in_tenant, document_root
):
    with in_tenant(tenant_a):
        stored = store_upload(actor=citizen, uploaded_file=SimpleUploadedFile("ktp.png", image_bytes("PNG")))
    neighbour = make_person(tenant_a)
    serang_official = make_person(tenant_b, roles=["official", "inspector"])
    responses = [
        login_client(neighbour).get(f"/t/kota-bandung/files/{stored.pk}/"),
        login_client(serang_official).get(f"/t/kota-bandung/files/{stored.pk}/"),
        login_client(serang_official).get(f"/t/kabupaten-serang/files/{stored.pk}/"),
        login_client(citizen).get(f"/t/kabupaten-serang/files/{stored.pk}/"),
    ]
    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    missing = login_client(neighbour).get(f"/t/kota-bandung/files/{stored.pk + 1000}/")
    assert [h1(r) for r in responses] == [h1(missing)] * 4
    assert h1(missing) == "Halaman tidak ditemukan"
    assert all("ktp.png" not in r.content.decode() for r in responses)
    assert not AuditEvent.objects.filter(event_type="personal_data.viewed").exists()
    with in_tenant(tenant_b), pytest.raises(Http404):
        access_stored_file_by_id(serang_official, stored.pk)
    with in_tenant(tenant_a), pytest.raises(Http404):
        access_stored_file_by_id(neighbour, stored.pk)


def test_selector_and_open_action(citizen, make_person, in_tenant, tenant_a, document_root):
    inspector = make_person(tenant_a, roles=["inspector"])
    with in_tenant(tenant_a):
        stored = store_upload(actor=citizen, uploaded_file=SimpleUploadedFile("ktp.png", image_bytes("PNG")))
        found = access_stored_file_by_id(inspector, str(stored.pk))
        with open_stored_file(actor=inspector, stored_file=found) as handle:
            assert handle.read() == stored.absolute_path.read_bytes()
        assert (
            AuditEvent.objects.filter(event_type="personal_data.viewed", actor_id=inspector.pk).count() == 1
        )


def test_content_sniffing_and_code_normalising_rules():
    assert [
        sniff_content(b)
        for b in (b"%PDF-1.4", b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", ELF_BYTES, b"hello")
    ] == ["pdf", "jpeg", "png", "executable", "unknown"]
    assert normalize_verification_code("abcd-efgh-jkmn") == "ABCDEFGHJKMN"
    assert normalize_verification_code(" 0o1i l234 5678 ") == "0011123456 78".replace(" ", "")
    assert normalize_verification_code("ABCD-EFGH-JKM") is None
    assert normalize_verification_code("ABCD-EFGH-JKMU") is None


def test_file_linked_to_a_case_names_the_case_when_an_official_opens_it(
    citizen, make_person, in_tenant, tenant_a, tenant_b, document_root
):
    from tests.caseapp.models import SampleCase

    official = make_person(tenant_a, roles=["official"])
    with in_tenant(tenant_a):
        case = SampleCase.objects.create(title="Izin usaha warung", applicant=citizen)
        stored = store_upload(
            actor=citizen, uploaded_file=SimpleUploadedFile("npwp.pdf", pdf_bytes()), case=case
        )
        assert (stored.case, stored.case_object_id) == (case, str(case.pk))
        open_stored_file(actor=official, stored_file=access_stored_file_by_id(official, stored.pk)).close()
        data = json.loads(AuditEvent.objects.get(event_type="personal_data.viewed").data)
    assert (data["case_type"], data["case_id"], data["case_label"]) == (
        "caseapp.samplecase",
        case.pk,
        "Izin usaha warung",
    )
    with in_tenant(tenant_b), pytest.raises(ValueError):
        store_upload(actor=citizen, uploaded_file=SimpleUploadedFile("npwp.pdf", pdf_bytes()), case=case)


def test_anonymous_download_goes_to_login_and_reveals_nothing(
    client, citizen, in_tenant, tenant_a, document_root
):
    with in_tenant(tenant_a):
        stored = store_upload(actor=citizen, uploaded_file=SimpleUploadedFile("ktp.png", image_bytes("PNG")))
    response = client.get(f"/t/kota-bandung/files/{stored.pk}/")
    assert response.status_code == 302
    assert f"next=%2Ft%2Fkota-bandung%2Ffiles%2F{stored.pk}%2F" in response["Location"]


@pytest.mark.postgres_only
def test_stored_file_rows_refuse_update_on_postgresql(citizen, in_tenant, tenant_a, document_root):
    with in_tenant(tenant_a):
        stored = store_upload(actor=citizen, uploaded_file=SimpleUploadedFile("ktp.png", image_bytes("PNG")))
    forged = "0" * 64
    if connection.vendor == "postgresql":
        with (
            pytest.raises(DatabaseError, match="Cannot update rows from documents_storedfile"),
            transaction.atomic(),
        ):
            StoredFile.all_tenants.filter(pk=stored.pk).update(sha256=forged)
        assert StoredFile.all_tenants.get(pk=stored.pk).sha256 == stored.sha256
    else:
        # SQLite has no such wall; the file on disk still carries the true checksum in its name.
        StoredFile.all_tenants.filter(pk=stored.pk).update(sha256=forged)
        assert stored.absolute_path.name.startswith(stored.sha256)
