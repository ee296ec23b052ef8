"""Writers of programmes: create and update (eligibility rules and checklist as data)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from praja.core.audit.actions import record
from praja.core.workflow.errors import PermissionDenied
from praja.modules.grants import rules
from praja.modules.grants.models import (
    Programme,
    ProgrammeKind,
    SocialDataSource,
)

# --- Programmes ------------------------------------------------------------------------------------

PROGRAMME_FIELDS = (
    "code",
    "name",
    "description",
    "budget_year",
    "kind",
    "is_planned",
    "envelope",
    "budget_line_code",
    "max_amount_per_proposal",
    "eligibility_rules",
    "required_documents",
    "social_data_source",
    "opens_at",
    "closes_at",
    "lpj_deadline",
    "managing_org_unit",
    "is_published",
)


def _clean_programme(values: dict, *, instance: Programme | None = None) -> dict:
    cleaned = {key: value for key, value in values.items() if key in PROGRAMME_FIELDS}
    merged = {**({key: getattr(instance, key) for key in PROGRAMME_FIELDS} if instance else {}), **cleaned}
    errors = {}
    if not re.fullmatch(r"[a-z0-9-]{2,50}", merged.get("code") or ""):
        errors["code"] = _("Kode 2-50 huruf kecil, angka atau tanda hubung.")
    if not (merged.get("name") or "").strip():
        errors["name"] = _("Isi nama program.")
    if merged.get("kind") not in ProgrammeKind.values:
        errors["kind"] = _("Pilih jenis program: hibah atau bansos.")
    year = merged.get("budget_year")
    if not year or not 2000 <= int(year) <= 2100:
        errors["budget_year"] = _("Isi tahun anggaran (empat digit).")
    if not merged.get("envelope") or int(merged["envelope"]) <= 0:
        errors["envelope"] = _("Pagu program harus lebih dari nol Rupiah.")
    opens_at, closes_at = merged.get("opens_at"), merged.get("closes_at")
    if not opens_at or not closes_at or closes_at <= opens_at:
        errors["closes_at"] = _("Waktu penutupan pengajuan harus setelah waktu pembukaan.")
    maximum = merged.get("max_amount_per_proposal")
    if maximum is not None and merged.get("envelope") and int(maximum) > int(merged["envelope"]):
        errors["max_amount_per_proposal"] = _("Nilai maksimal per proposal tidak boleh melebihi pagu.")
    rules_data = merged.get("eligibility_rules") or {}
    unknown = sorted(set(rules_data) - set(rules.RULE_KEYS))
    if unknown:
        errors["eligibility_rules"] = _("Syarat tidak dikenal: %(keys)s.") % {"keys": ", ".join(unknown)}
    if merged.get("social_data_source") not in SocialDataSource.values:
        errors["social_data_source"] = _("Pilih sumber data sosial.")
    documents = merged.get("required_documents") or []
    codes = [item.get("code") for item in documents if isinstance(item, dict)]
    if len(codes) != len(documents) or any(not code for code in codes) or len(set(codes)) != len(codes):
        errors["required_documents"] = _("Setiap dokumen wajib memiliki kode yang unik.")
    if errors:
        raise ValidationError(errors)
    if not cleaned.get("eligibility_rules") and instance is None:
        cleaned["eligibility_rules"] = dict(
            rules.DEFAULT_HIBAH_RULES if merged["kind"] == ProgrammeKind.HIBAH else rules.DEFAULT_BANSOS_RULES
        )
    if not cleaned.get("required_documents") and instance is None:
        cleaned["required_documents"] = [
            dict(item)
            for item in (
                rules.DEFAULT_REQUIRED_DOCUMENTS
                if merged["kind"] == ProgrammeKind.HIBAH
                else rules.DEFAULT_BANSOS_DOCUMENTS
            )
        ]
    if not merged.get("lpj_deadline"):
        cleaned["lpj_deadline"] = rules.default_lpj_deadline(int(merged["budget_year"]))
    return cleaned


def create_programme(*, actor, **values) -> Programme:
    _require_programme_manager(actor)
    cleaned = _clean_programme(values)
    if Programme.objects.filter(code=cleaned["code"]).exists():
        raise ValidationError({"code": _("Kode program %(code)s sudah dipakai.") % {"code": cleaned["code"]}})
    with transaction.atomic():
        programme = Programme.objects.create(**cleaned)
        record(
            "grants.programme_created",
            actor=actor,
            obj=programme,
            data={"code": programme.code, "envelope": programme.envelope, "kind": programme.kind},
        )
    return programme


def update_programme(*, actor, programme: Programme, **values) -> Programme:
    _require_programme_manager(actor)
    cleaned = _clean_programme(values, instance=programme)
    if "code" in cleaned and Programme.objects.filter(code=cleaned["code"]).exclude(pk=programme.pk).exists():
        raise ValidationError({"code": _("Kode program %(code)s sudah dipakai.") % {"code": cleaned["code"]}})
    for key, value in cleaned.items():
        setattr(programme, key, value)
    with transaction.atomic():
        programme.save(update_fields=[*cleaned, "updated_at"])
        record(
            "grants.programme_updated",
            actor=actor,
            obj=programme,
            data={key: str(value) for key, value in sorted(cleaned.items())},
        )
    return programme


def _require_programme_manager(actor) -> None:
    from praja.modules.grants.selectors import can_manage_programmes

    if not can_manage_programmes(actor):
        raise PermissionDenied(_("Hanya pengelola hibah atau admin daerah yang dapat mengelola program."))
