"""Official PDFs: letterhead, QR, PAdES signature, public verification, revocation, supersession."""

import asyncio
import io
import re
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageChops

from praja.core.audit.models import AuditEvent
from praja.core.documents.actions import (
    render_official_pdf,
    revoke_official_document,
    supersede_official_document,
)
from praja.core.documents.models import DocumentStatus, OfficialDocument, StoredFile
from praja.core.documents.pdf import check_signature, html_to_pdf, qr_png, sign_pdf, verification_url


@pytest.fixture
def document_root(settings, tmp_path):
    settings.PRAJA_DOCUMENT_ROOT = tmp_path / "documents"
    settings.PRAJA_PUBLIC_BASE_URL = "https://praja.contoh.go.id"
    return settings.PRAJA_DOCUMENT_ROOT


@pytest.fixture
def bandung(tenant_a):
    logo = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 90, 170)).save(logo, format="PNG")
    tenant_a.logo.save("bandung.png", ContentFile(logo.getvalue()), save=False)
    tenant_a.letterhead_address = "Jalan Wastukancana Nomor 2, Bandung 40117"
    tenant_a.letterhead_contact = "Telepon (022) 4234793 · pemkot@bandung.go.id"
    tenant_a.save()
    return tenant_a


@pytest.fixture
def approver(bandung, make_person):
    return make_person(bandung, roles=["approver"], full_name="Drs. Asep Sunandar", nip="197001011990031001")


@pytest.fixture
def citizen(bandung, make_person):
    return make_person(bandung, full_name="Siti Rahmawati")


@pytest.fixture
def issue(bandung, approver, citizen, document_root):
    def make(title="Surat Keterangan Domisili Usaha", tenant=None, actor=None):
        return render_official_pdf(
            tenant=tenant or bandung,
            template_name="documents/official_letter.html",
            context={
                "number": "503/123/DPMPTSP/2026",
                "paragraphs": ["Yang bertanda tangan di bawah ini menerangkan bahwa:"],
                "fields": [("Nama", citizen.full_name), ("Usaha", "Warung Kopi Sukasari")],
                "place": "Bandung",
                "signatory_title": "Kepala DPMPTSP",
                "signatory_name": approver.full_name,
            },
            title=title,
            document_type="surat_keterangan",
            subject_user=citizen,
            actor=actor or approver,
        )

    return make


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_official_pdf_carries_letterhead_code_and_the_qr_of_its_verification_url(
    issue, in_tenant, bandung, tmp_path
):
    document = issue()
    data = document.file.absolute_path.read_bytes()
    text = pdf_text(data, tmp_path)
    url = f"https://praja.contoh.go.id/t/kota-bandung/verify/{document.verification_code}"
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{12}", document.verification_code)
    for expected in (
        "PEMERINTAH KOTA BANDUNG",
        "Jalan Wastukancana Nomor 2, Bandung 40117",
        "SURAT KETERANGAN DOMISILI USAHA",
        "Nomor: 503/123/DPMPTSP/2026",
        "Warung Kopi Sukasari",
        f"Kode verifikasi: {document.grouped_code}",
        url,
    ):
        assert expected in text
    assert verification_url(bandung, document.verification_code) == url
    # The PDF holds two images: the tenant's logo, and exactly the QR code of the verification URL.
    (tmp_path / "images").mkdir()
    subprocess.run(
        ["pdfimages", "-png", str(tmp_path / "doc.pdf"), str(tmp_path / "images" / "img")], check=True
    )
    images = [Image.open(path).convert("RGB") for path in sorted((tmp_path / "images").iterdir())]
    expected_qr = Image.open(io.BytesIO(qr_png(url))).convert("RGB")
    [logo] = [image for image in images if image.size == (64, 64)]
    [embedded_qr] = [image for image in images if image.size == expected_qr.size]
    assert logo.getpixel((5, 5)) == (10, 90, 170)
    assert ImageChops.difference(embedded_qr, expected_qr).getbbox() is None
    with in_tenant(bandung):
        stored = StoredFile.objects.get(pk=document.file_id)
        event = AuditEvent.objects.get(event_type="document.issued")
    assert (stored.owner, stored.kind, stored.sha256, document.sha256) == (
        document.subject_user,
        "pdf",
        document.sha256,
        stored.sha256,
    )
    assert event.object_id == str(document.pk)


def test_signature_is_valid_for_pyhanko_and_poppler(issue, bandung, tmp_path):
    document = issue()
    data = document.file.absolute_path.read_bytes()
    assert check_signature(data, tenant=bandung).is_valid
    result = subprocess.run(["pdfsig", str(document.file.absolute_path)], capture_output=True, text=True)
    assert result.returncode == 0
    assert "Signature Type: ETSI.CAdES.detached" in result.stdout
    assert "Signature Validation: Signature is Valid." in result.stdout
    assert "Total document signed" in result.stdout
    assert "Signer Certificate Common Name: Praja Kota Bandung (32.73)" in result.stdout


def test_verify_page_says_valid_and_shows_only_public_facts(issue, client, citizen):
    document = issue()
    page = client.get(f"/t/kota-bandung/verify/{document.verification_code}")
    text = page.content.decode()
    assert page.status_code == 200
    assert "SAH" in text and "Surat Keterangan Domisili Usaha" in text and document.sha256 in text
    assert citizen.full_name not in text and citizen.nik not in text
    # Codes typed from paper: lower case, dashes.
    assert client.get(f"/t/kota-bandung/verify/{document.grouped_code.lower()}").status_code == 200
    facts = client.get(f"/t/kota-bandung/verify/{document.verification_code}?format=json").json()
    assert facts == {
        "code": document.grouped_code,
        "status": "valid",
        "title": "Surat Keterangan Domisili Usaha",
        "document_type": "surat_keterangan",
        "issued_at": document.issued_at.isoformat(),
        "issuer": {"code": "32.73", "name": "Kota Bandung"},
        "sha256": document.sha256,
        "verification_url": f"https://praja.contoh.go.id/t/kota-bandung/verify/{document.verification_code}",
    }


def test_unknown_code_and_another_tenants_code_are_unknown(issue, client, tenant_b):
    document = issue()
    for url in (
        "/t/kota-bandung/verify/ZZZZ-ZZZZ-ZZZZ",
        "/t/kota-bandung/verify/bukan-kode",
        f"/t/kabupaten-serang/verify/{document.verification_code}",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "TIDAK DIKENAL" in response.content.decode()
    assert client.get("/t/kota-bandung/verify/ZZZZZZZZZZZZ?format=json").json() == {
        "code": "ZZZZZZZZZZZZ",
        "status": "unknown",
    }


def test_upload_check_tells_the_genuine_pdf_from_one_with_a_flipped_byte(issue, client, settings):
    document = issue()
    genuine = document.file.absolute_path.read_bytes()
    altered = bytearray(genuine)
    altered[len(altered) // 4] ^= 0x01
    url = f"/t/kota-bandung/verify/{document.verification_code}"

    ok = client.post(url, {"file": SimpleUploadedFile("izin.pdf", genuine, "application/pdf")})
    bad = client.post(url, {"file": SimpleUploadedFile("izin.pdf", bytes(altered), "application/pdf")})
    assert ok.status_code == bad.status_code == 200
    assert "COCOK</strong> — Berkas ini sama persis dengan dokumen yang diterbitkan" in ok.content.decode()
    assert "TIDAK COCOK</strong> —\n      Isi berkas ini berbeda" in bad.content.decode()
    assert "tidak sah atau tidak dibuat dengan sertifikat daerah ini" in bad.content.decode()
    checked = client.post(
        f"{url}?format=json", {"file": SimpleUploadedFile("izin.pdf", bytes(altered))}
    ).json()
    assert checked["check"]["is_identical"] is False
    assert checked["check"]["signature_valid"] is False
    assert checked["status"] == "valid"  # the issued document itself is still valid
    settings.PRAJA_UPLOAD_MAX_BYTES = 100 * 1024
    too_big = client.post(url, {"file": SimpleUploadedFile("besar.pdf", genuine + b"0" * 400_000)})
    assert too_big.status_code == 413
    assert "Berkas terlalu besar. Ukuran maksimum 0,1 MB." in too_big.content.decode()


def test_pdf_signed_by_another_tenant_does_not_verify_here(
    issue, bandung, tenant_b, make_person, document_root
):
    serang_approver = make_person(tenant_b, roles=["approver"])
    foreign = issue(tenant=tenant_b, actor=serang_approver)
    data = foreign.file.absolute_path.read_bytes()
    assert check_signature(data, tenant=tenant_b).is_valid
    refused = check_signature(data, tenant=bandung)
    assert (refused.is_valid, refused.problem) == (False, "not signed with the tenant certificate")


def test_revocation_shows_at_once_with_reason_and_date(issue, approver, client, in_tenant, bandung):
    document = issue()
    with in_tenant(bandung):
        revoke_official_document(actor=approver, document=document, reason="Usaha sudah tidak beroperasi.")
        event = AuditEvent.objects.get(event_type="document.revoked")
        document.refresh_from_db()
    page = client.get(f"/t/kota-bandung/verify/{document.verification_code}").content.decode()
    assert "DICABUT" in page and "Alasan: Usaha sudah tidak beroperasi." in page
    facts = client.get(f"/t/kota-bandung/verify/{document.verification_code}?format=json").json()
    assert (facts["status"], facts["revoked_reason"], facts["revoked_at"]) == (
        "revoked",
        "Usaha sudah tidak beroperasi.",
        document.revoked_at.isoformat(),
    )
    assert event.object_id == str(document.pk)
    with in_tenant(bandung), pytest.raises(ValidationError, match="sudah dicabut"):
        revoke_official_document(actor=approver, document=document, reason="lagi")


def test_revocation_needs_an_approver_and_a_reason_and_changes_nothing_otherwise(
    issue, make_person, in_tenant, bandung
):
    document = issue()
    clerk = make_person(bandung, roles=["official"])
    approver = document.issued_by
    with in_tenant(bandung):
        with pytest.raises(PermissionDenied):
            revoke_official_document(actor=clerk, document=document, reason="Salah ketik")
        with pytest.raises(ValidationError) as refusal:
            revoke_official_document(actor=approver, document=document, reason="   ")
        assert refusal.value.message_dict == {"reason": ["Tuliskan alasan pencabutan dokumen."]}
        assert OfficialDocument.objects.get().status == DocumentStatus.VALID
        assert not AuditEvent.objects.filter(event_type="document.revoked").exists()


def test_superseded_document_links_to_its_replacement(issue, approver, client, in_tenant, bandung):
    old = issue()
    new = issue(title="Surat Keterangan Domisili Usaha (Perbaikan)")
    with in_tenant(bandung):
        supersede_official_document(actor=approver, old=old, new=new)
        with pytest.raises(ValidationError, match="sudah diganti"):
            supersede_official_document(actor=approver, old=old, new=new)
        assert AuditEvent.objects.filter(event_type="document.superseded").count() == 1
    page = client.get(f"/t/kota-bandung/verify/{old.verification_code}").content.decode()
    assert "DIGANTI" in page
    assert f'href="/t/kota-bandung/verify/{new.verification_code}"' in page
    facts = client.get(f"/t/kota-bandung/verify/{old.verification_code}?format=json").json()
    assert facts["superseded_by"] == {
        "code": new.grouped_code,
        "url": f"https://praja.contoh.go.id/t/kota-bandung/verify/{new.verification_code}",
    }
    assert (
        client.get(f"/t/kota-bandung/verify/{new.verification_code}?format=json").json()["status"] == "valid"
    )


def test_issuing_needs_a_work_queue_role(issue, citizen):
    with pytest.raises(PermissionDenied):
        issue(actor=citizen)


def test_holder_finds_the_official_pdf_in_my_files(issue, citizen, login_client):
    document = issue()
    page = login_client(citizen).get("/t/kota-bandung/my-files/").content.decode()
    assert f"surat-keterangan-domisili-usaha-{document.verification_code}.pdf" in page
    assert "dokumen resmi" in page


def test_code_lookup_form_sends_to_the_code_page(client, bandung):
    response = client.get("/t/kota-bandung/verify/", {"code": "abcd-efgh-jkmn"})
    assert (response.status_code, response["Location"]) == (302, "/t/kota-bandung/verify/ABCDEFGHJKMN")
    refused = client.get("/t/kota-bandung/verify/", {"code": "123"})
    assert "Kode verifikasi terdiri atas 12 huruf dan angka" in refused.content.decode()


def test_signing_and_checking_work_where_an_event_loop_already_runs(bandung):
    # pyHanko's sync API calls asyncio.run(); under ASGI or Playwright a loop is already running.
    async def sign_and_check():
        signed = sign_pdf(html_to_pdf("<p>Uji</p>"), tenant=bandung, reason="Uji")
        return check_signature(signed, tenant=bandung)

    assert asyncio.run(sign_and_check()).is_valid
