"""The licensing PDFs (documents.py): each is signed for the right office or official, names the
place and NIP where there is one, and is filed against the application with the applicant as its
subject and the right issuer."""

from __future__ import annotations

import subprocess

import pytest

from praja.core.tenancy.context import use_tenant
from praja.modules.licensing import actions, documents
from praja.modules.licensing.models import ApplicationStatus as S
from praja.modules.licensing.models import InspectionReport, TeamAssignment
from tests.modules.licensing.conftest import place_in_status

pytestmark = pytest.mark.django_db

HEAD_TITLE = "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Bandung"


def pdf_text(document, tmp_path) -> str:
    path = tmp_path / f"{document.verification_code}.pdf"
    path.write_bytes(document.file.absolute_path.read_bytes())
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def filing(document) -> tuple:
    return (
        document.document_type,
        document.title,
        document.subject_user_id,
        document.issued_by_id,
        document.case_object_id,
    )


def test_receipt_is_issued_by_the_applicant_for_the_office(office, tmp_path):
    application = place_in_status(office, S.SUBMITTED)
    with use_tenant(office.tenant):
        document = documents.render_receipt(application)
    assert filing(document) == (
        "licensing.receipt",
        "Bukti Pendaftaran Permohonan Izin",
        office.citizen.pk,
        office.citizen.pk,
        str(application.pk),
    )
    text = pdf_text(document, tmp_path)
    assert "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu" in text
    assert application.tracking_number in text and "Bandung," in text
    assert "NIP" not in text  # signed for the office, by no named official


def test_assignment_letter_and_bap_are_signed_by_their_officials(office, tmp_path):
    reviewed = place_in_status(office, S.TECHNICAL_REVIEW)
    inspected = place_in_status(office, S.RECOMMENDED_APPROVE, permit_type=office.reklame)
    with use_tenant(office.tenant):
        letter = documents.render_assignment_letter(
            TeamAssignment.objects.get(application=reviewed), actor=office.back
        )
        bap = documents.render_inspection_report(
            InspectionReport.objects.get(application=inspected), actor=office.tech1
        )
    assert filing(letter) == (
        "licensing.assignment_letter",
        "Surat Tugas Tim Teknis",
        office.citizen.pk,
        office.back.pk,
        str(reviewed.pk),
    )
    assert filing(bap) == (
        "licensing.inspection_report",
        "Berita Acara Pemeriksaan Lapangan",
        office.citizen.pk,
        office.tech1.pk,
        str(inspected.pk),
    )
    letter_text = pdf_text(letter, tmp_path)
    assert "Kepala Bidang Pelayanan Perizinan" in letter_text and "Petugas Back" in letter_text
    assert "Teknis Satu" in letter_text and "(ketua tim)" in letter_text
    bap_text = pdf_text(bap, tmp_path)
    assert "Ketua Tim Teknis" in bap_text and "Jl. Asia Afrika 8" in bap_text


def test_permit_and_rejection_are_signed_by_the_head_with_nip(office, tmp_path):
    approved = place_in_status(office, S.APPROVED)
    rejected = place_in_status(office, S.RECOMMENDED_REJECT)
    with use_tenant(office.tenant):
        permit = actions.issue_permit(application=approved)
        rejected.decision_reason = "STR sudah tidak berlaku."
        rejection = documents.render_rejection_letter(rejected, actor=office.head)
    assert filing(permit.official_document) == (
        "licensing.permit.sip-dokter",
        "Surat Izin Praktik (SIP) Dokter",
        office.citizen.pk,
        office.head.pk,
        str(approved.pk),
    )
    assert filing(rejection) == (
        "licensing.rejection_letter",
        "Surat Penolakan Permohonan Izin",
        office.citizen.pk,
        office.head.pk,
        str(rejected.pk),
    )
    for document in (permit.official_document, rejection):
        text = pdf_text(document, tmp_path)
        assert HEAD_TITLE in text
        assert "dr. Kepala DPMPTSP" in text and "NIP 197001011995031001" in text
    assert "STR sudah tidak berlaku." in pdf_text(rejection, tmp_path)
