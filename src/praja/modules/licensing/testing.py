"""Test helpers of the licensing module and its isolation factories (imported by the walker).

Files: `pdf_upload()`, `image_upload()`; catalogue: `make_permit_type(code)` from the demo catalogue;
applications: `SAMPLE_FORMS`, `fill_application(application, actor)`, `submitted_application(...)`.
"""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from praja.core.testing.isolation import register_isolation_factory

SAMPLE_FORMS = {
    "sip-dokter": {
        "nomor_str": "3121100220145678",
        "jenis_praktik": "mandiri",
        "nama_tempat_praktik": "Praktik dr. Sari",
        "alamat_praktik": "Jl. Dago No. 12, Bandung",
        "sip_ke": "1",
    },
    "sik-perawat": {
        "nomor_str": "3221100220140001",
        "nama_fasyankes": "RSUD Kota Bandung",
        "alamat_praktik": "Jl. Rumah Sakit No. 22, Bandung",
    },
    "izin-reklame": {
        "naskah": "Kopi Aroma Bandung",
        "jenis_konstruksi": "baliho",
        "luas_m2": "6",
        "lama_bulan": "3",
        "lokasi": "Jl. Asia Afrika No. 8, Bandung",
    },
    "izin-penelitian": {
        "judul": "Kualitas layanan perizinan daring",
        "lembaga": "Universitas Padjadjaran",
        "lokasi_penelitian": "DPMPTSP Kota Bandung",
        "tanggal_mulai": "2026-03-01",
        "tanggal_selesai": "2026-05-31",
    },
    "izin-trayek": {"kode_trayek": "AK-05", "nomor_kendaraan": "D 1234 ABC", "jumlah_kendaraan": "1"},
    "izin-operasional-paud": {
        "nama_satuan": "KB Pelangi",
        "bentuk": "kb",
        "alamat": "Jl. Cihampelas 5",
        "jumlah_peserta_didik": "30",
    },
}


def pdf_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (255, 255, 255)).save(buffer, format="PDF")
    return buffer.getvalue()


def image_bytes(fmt: str = "JPEG") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def pdf_upload(name: str = "dokumen.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def image_upload(name: str = "foto.jpg", fmt: str = "JPEG") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(fmt), "image/jpeg" if fmt == "JPEG" else "image/png")


def upload_for(requirement) -> SimpleUploadedFile:
    """A valid file of a type the requirement accepts."""
    types = requirement.accepted_type_list
    if "pdf" in types:
        return pdf_upload(f"{requirement.code}.pdf")
    if "jpeg" in types:
        return image_upload(f"{requirement.code}.jpg")
    return image_upload(f"{requirement.code}.png", fmt="PNG")


def make_permit_type(code: str = "sip-dokter", **overrides):
    """One permit type of the demo catalogue in the active tenant (with overrides on the spec)."""
    from praja.modules.licensing.demo import CATALOGUE, create_permit_type
    from praja.modules.licensing.models import PermitType

    spec = dict(next(item for item in CATALOGUE if item["code"] == code))
    spec.update(overrides)
    existing = PermitType.objects.filter(code=spec["code"]).first()
    return existing or create_permit_type(spec)


def fill_application(application, actor, *, form=None, skip=(), valid_until=None):
    """Fill the sample form and upload every applicable requirement except `skip`."""
    from praja.modules.licensing import actions

    values = form if form is not None else SAMPLE_FORMS.get(application.permit_type.code, {})
    actions.save_application_form(actor=actor, application=application, values=values)
    application.refresh_from_db()
    until = valid_until or (timezone.localdate() + datetime.timedelta(days=365))
    for requirement in actions.applicable_requirements(application):
        if requirement.code in skip:
            continue
        actions.upload_requirement_document(
            actor=actor,
            application=application,
            requirement_code=requirement.code,
            uploaded_file=upload_for(requirement),
            valid_until=until if requirement.check_name else None,
        )
    return application


def submitted_application(actor, permit_type, **start):
    from praja.modules.licensing import actions

    application = actions.start_application(actor=actor, permit_type=permit_type, **start)
    fill_application(application, actor)
    return actions.submit_application(actor=actor, application=application)


# --- Isolation factories ---------------------------------------------------------------------------


@register_isolation_factory("licensing.PermitType")
def _permit_type(tenant, marker, make_user):
    from praja.modules.licensing.models import PermitType

    existing = PermitType.objects.filter(code="izin-reklame").first()
    if existing is not None:
        return existing
    return make_permit_type("izin-reklame", name=f"Izin Reklame {marker}")


@register_isolation_factory("licensing.RequirementSet")
def _requirement_set(tenant, marker, make_user):
    return _permit_type(tenant, marker, make_user).requirement_sets.order_by("version").first()


@register_isolation_factory("licensing.Requirement")
def _requirements(tenant, marker, make_user):
    return list(_requirement_set(tenant, marker, make_user).requirements.all())


@register_isolation_factory("licensing.FormField")
def _form_fields(tenant, marker, make_user):
    return list(_requirement_set(tenant, marker, make_user).form_fields.all())


@register_isolation_factory("licensing.Application")
def _application(tenant, marker, make_user):
    from praja.modules.licensing.models import Application

    existing = Application.objects.exclude(tracking_number=None).first()
    if existing is not None:
        return existing
    applicant = make_user(tenant, marker, email_verified_at=timezone.now())
    return submitted_application(
        applicant,
        _permit_type(tenant, marker, make_user),
        organisation_name=f"CV {marker}",
        representative_position="Direktur",
    )


@register_isolation_factory("licensing.ApplicationDocument")
def _application_documents(tenant, marker, make_user):
    return list(_application(tenant, marker, make_user).documents.all())
