"""Isolation factories of grants screening (imported by the tenant-isolation walker)."""

from __future__ import annotations

import datetime
import itertools

from praja.core.testing.isolation import register_isolation_factory

_serial = itertools.count(1)


def _village(tenant) -> str:
    from praja.core.reference.models import Area, AreaLevel

    area = (
        Area.objects.filter(code__startswith=tenant.code + ".", level=AreaLevel.VILLAGE)
        .order_by("code")
        .first()
    )
    return area.code


@register_isolation_factory("grants_screening.Beneficiary")
def _beneficiary(tenant, marker, make_user):
    from praja.modules.grants.screening.models import Beneficiary

    existing = Beneficiary.objects.first()
    if existing is not None:
        return existing
    village = _village(tenant)
    prefix = village[:8].replace(".", "")
    serial = next(_serial)
    return Beneficiary.objects.create(
        nik=f"{prefix}170590{serial:04d}",
        kk_number=f"{prefix}0101090{serial:03d}",
        full_name=f"Penerima {marker}",
        birth_date=datetime.date(1990, 5, 17),
        sex="L",
        mother_name=f"Ibu {marker}",
        address=f"Jl. {marker}",
        area_id=village,
        data_source="dtks",
    )


@register_isolation_factory("grants_screening.Flag")
def _flag(tenant, marker, make_user):
    from praja.modules.grants.screening.actions import raise_flag

    beneficiary = _beneficiary(tenant, marker, make_user)
    return raise_flag(
        kind="other", subject=beneficiary, explanation=f"Temuan {marker}", evidence={"records": [marker]}
    )


@register_isolation_factory("grants_screening.ImportBatch")
def _batch(tenant, marker, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from praja.core.documents.actions import store_upload
    from praja.modules.grants.screening.models import ImportBatch, ImportRejection

    uploader = make_user(tenant, marker)
    # The imported file is kept too, with the marker inside, so its download route is walked.
    stored = store_upload(
        actor=uploader,
        uploaded_file=SimpleUploadedFile(f"impor-{marker}.csv", f"NIK,Nama\n1,{marker}\n".encode()),
        allowed_types=("csv",),
    )
    batch = ImportBatch.objects.create(
        original_name=f"impor-{marker}.csv", sha256=stored.sha256, stored_file=stored, uploaded_by=uploader,
        total_rows=1, rejected_count=1,
    )  # fmt: skip
    ImportRejection.objects.create(batch=batch, row_number=2, values={"full_name": marker}, reasons=[marker])
    return batch


@register_isolation_factory("grants_screening.ImportRejection")
def _rejection(tenant, marker, make_user):
    return _batch(tenant, marker, make_user).rejections.get()


@register_isolation_factory("grants_screening.StandardUnitPrice")
def _price(tenant, marker, make_user):
    from praja.modules.grants.screening.models import StandardUnitPrice

    return StandardUnitPrice.objects.create(
        code=f"SSH-{next(_serial)}", description=f"Barang {marker}", unit="buah", price=10_000, year=2027
    )
