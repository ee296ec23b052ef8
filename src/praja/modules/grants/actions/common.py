"""Shared constants and helpers of the grants actions (numbering, permission and input checks)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from praja.core.permissions.checks import has_permission
from praja.core.workflow.errors import PermissionDenied
from praja.modules.grants.models import (
    NumberSequence,
    Organisation,
    OrganisationStatus,
    ProposalStatus,
)

S = ProposalStatus
OS = OrganisationStatus
EDITABLE_ORGANISATION = (OS.DRAFT, OS.REJECTED)
EDITABLE_PROPOSAL = (S.DRAFT, S.RETURNED)
DOCUMENT_TYPES = ("pdf", "jpeg", "png")
ORGANISATION_DOCUMENT_CODES = {
    "akta_notaris": "Akta notaris pendirian",
    "sk_kemenkumham": "SK Kemenkumham",
    "npwp": "NPWP lembaga",
    "surat_domisili": "Surat keterangan domisili",
    "tanda_daftar": "Tanda daftar / izin operasional",
    "kontrak_sewa": "Kontrak sewa sekretariat",
    "foto_sekretariat": "Foto sekretariat",
    "ktp_ketua": "KTP ketua",
    "ktp_sekretaris": "KTP sekretaris",
}


# --- Helpers ---------------------------------------------------------------------------------------


def next_number(name: str, year: int) -> int:
    """Take the next value of a per-tenant yearly counter (locked row; call inside a transaction)."""
    with transaction.atomic():
        sequence, _created = NumberSequence.objects.select_for_update().get_or_create(name=name, year=year)
        NumberSequence.objects.filter(pk=sequence.pk).update(last_value=F("last_value") + 1)
        return NumberSequence.objects.values_list("last_value", flat=True).get(pk=sequence.pk)


def _require(actor, permission: str, message: str | None = None) -> None:
    if (
        actor is None
        or not getattr(actor, "is_authenticated", False)
        or not has_permission(actor, permission)
    ):
        raise PermissionDenied(message or _("Anda tidak berwenang melakukan tindakan ini."))


def _refuse_unless_representative(actor, organisation: Organisation) -> None:
    from praja.modules.grants.selectors import is_representative

    if not is_representative(actor, organisation):
        raise PermissionDenied(_("Hanya wakil lembaga ini yang dapat mengubahnya."))


def _refuse_unless_editable_organisation(organisation: Organisation) -> None:
    if organisation.status not in EDITABLE_ORGANISATION:
        raise ValidationError(
            _("Data lembaga berstatus %(status)s tidak dapat diubah; hubungi verifikator lembaga.")
            % {"status": organisation.get_status_display()},
            code="not_editable",
        )


def _clean_digits(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def _parse_amount(value, *, field: str, label: str) -> int:
    try:
        amount = int(str(value).replace(".", "").replace(",", "").strip())
    except (TypeError, ValueError):
        raise ValidationError(
            {field: _("%(label)s harus berupa angka Rupiah tanpa desimal.") % {"label": label}}
        ) from None
    if amount < 0:
        raise ValidationError({field: _("%(label)s tidak boleh negatif.") % {"label": label}})
    return amount


def _check_area(area_code: str | None):
    from praja.core.reference.models import Area

    if not area_code:
        return None
    area = Area.objects.filter(code=area_code).first()
    if area is None or area.level != "village":
        raise ValidationError(
            {"area": _("Kode kelurahan/desa %(code)s tidak dikenal.") % {"code": area_code}}
        )
    return area
