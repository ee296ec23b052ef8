"""Writers of the service catalogue: permit types, requirement versions, form fields, adoption.

Catalogue writes are actions in the house-style sense (keyword-only, actor, permission inside,
audited, one transaction); they live here to keep actions.py about cases.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.accounts.models import OrgUnit, OrgUnitKind
from praja.core.audit.actions import record
from praja.core.permissions.checks import has_permission
from praja.core.permissions.roles import MANAGE_MODULES
from praja.core.tenancy.context import require_current_tenant, use_tenant
from praja.modules.licensing import rules
from praja.modules.licensing.models import FeeKind, FormField, PermitType, Requirement, RequirementSet
from praja.modules.licensing.permissions import MANAGE_CATALOGUE

PERMIT_TYPE_FIELDS = (
    "code",
    "name",
    "description",
    "legal_basis",
    "responsible_org_unit",
    "sla_working_days",
    "needs_field_inspection",
    "fee_kind",
    "fee_amount",
    "fee_formula",
    "fee_legal_basis",
    "validity_months",
    "pdf_template",
    "permit_number_prefix",
    "allows_organisation",
    "procedure",
    "product",
    "facilities",
    "staff_competence",
    "internal_supervision",
    "complaint_handling",
    "staff_count",
    "service_guarantee",
    "security_guarantee",
    "performance_evaluation",
)
REQUIREMENT_FIELDS = (
    "code",
    "label",
    "help_text",
    "is_mandatory",
    "condition",
    "accepted_types",
    "check_name",
    "position",
)
FORM_FIELD_FIELDS = ("key", "label", "kind", "required", "choices", "help_text", "position")


def can_manage_catalogue(user) -> bool:
    """Licensing admins and the tenant admin manage the catalogue."""
    return bool(user and user.is_authenticated) and (
        has_permission(user, MANAGE_CATALOGUE) or has_permission(user, MANAGE_MODULES)
    )


def _require_catalogue_admin(actor) -> None:
    if not can_manage_catalogue(actor):
        raise PermissionDenied(_("Hanya admin katalog layanan perizinan yang dapat mengubah katalog."))


def _validate_fee(values: dict[str, Any], field_keys=None) -> dict[str, str]:
    errors = {}
    kind = values.get("fee_kind", FeeKind.NONE)
    if kind == FeeKind.FIXED and not values.get("fee_amount"):
        errors["fee_amount"] = _("Isi tarif retribusi tetap (Rupiah) sesuai Perda.")
    if kind == FeeKind.FORMULA:
        if not (values.get("fee_formula") or "").strip():
            errors["fee_formula"] = _("Isi rumus retribusi sesuai Perda.")
        else:
            from praja.modules.licensing.payments.rules import validate_fee_formula

            problems = validate_fee_formula(values["fee_formula"], field_keys)
            if problems:
                errors["fee_formula"] = " ".join(str(problem) for problem in problems)
    if kind != FeeKind.NONE and not (values.get("fee_legal_basis") or "").strip():
        errors["fee_legal_basis"] = _("Retribusi harus berdasarkan Perda; sebutkan dasar tarifnya.")
    return errors


def save_permit_type(*, actor, values: dict[str, Any], permit_type: PermitType | None = None) -> PermitType:
    """Create or update a permit type; a new one gets an empty draft requirement version 1."""
    _require_catalogue_admin(actor)
    field_keys = None
    if permit_type is not None:
        latest = permit_type.requirement_sets.order_by("-version").first()
        field_keys = set(latest.form_fields.values_list("key", flat=True)) if latest else None
    errors = _validate_fee(values, field_keys or None)
    if (
        values.get("code")
        and PermitType.objects.filter(code=values["code"])
        .exclude(pk=getattr(permit_type, "pk", None))
        .exists()
    ):
        errors["code"] = _("Kode %(code)s sudah dipakai jenis izin lain.") % {"code": values["code"]}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        created = permit_type is None
        permit_type = permit_type or PermitType()
        changed = {}
        for name in PERMIT_TYPE_FIELDS:
            if name in values:
                before = getattr(permit_type, name, None)
                setattr(permit_type, name, values[name])
                if before != values[name]:
                    changed[name] = str(values[name])[:200]
        permit_type.save()
        if created:
            RequirementSet.objects.create(permit_type=permit_type, version=1)
        record(
            "licensing.permit_type_created" if created else "licensing.permit_type_changed",
            actor=actor,
            obj=permit_type,
            data={"code": permit_type.code, "changed": sorted(changed)},
        )
    return permit_type


def set_permit_type_published(*, actor, permit_type: PermitType, is_published: bool) -> PermitType:
    """Open or close a service to applicants; opening needs a published requirement version."""
    _require_catalogue_admin(actor)
    if is_published and not permit_type.requirement_sets.filter(published_at__isnull=False).exists():
        raise ValidationError(
            _("Terbitkan versi persyaratan lebih dahulu sebelum membuka layanan."), code="no_version"
        )
    with transaction.atomic():
        permit_type.is_published = is_published
        permit_type.save(update_fields=["is_published", "updated_at"])
        record(
            "licensing.permit_type_published" if is_published else "licensing.permit_type_unpublished",
            actor=actor,
            obj=permit_type,
            data={"code": permit_type.code},
        )
    return permit_type


def _draft_of(requirement_set: RequirementSet) -> None:
    if requirement_set.is_published:
        raise ValidationError(
            _("Versi %(version)d sudah diterbitkan dan tidak dapat diubah; buat versi baru.")
            % {"version": requirement_set.version},
            code="published",
        )


def create_requirement_version(*, actor, permit_type: PermitType) -> RequirementSet:
    """Open a draft version copying the latest one; an existing draft is returned as is."""
    _require_catalogue_admin(actor)
    with transaction.atomic():
        PermitType.objects.select_for_update().get(pk=permit_type.pk)
        latest = permit_type.requirement_sets.order_by("-version").first()
        if latest is not None and not latest.is_published:
            return latest
        draft = RequirementSet.objects.create(
            permit_type=permit_type, version=(latest.version + 1) if latest else 1
        )
        if latest is not None:
            _copy_items(latest, draft)
        record(
            "licensing.requirement_version_created",
            actor=actor,
            obj=draft,
            data={"permit_type": permit_type.code, "version": draft.version},
        )
    return draft


def _copy_items(source: RequirementSet, target: RequirementSet) -> None:
    for item in source.requirements.all():
        Requirement.objects.create(
            requirement_set=target, **{name: getattr(item, name) for name in REQUIREMENT_FIELDS}
        )
    for item in source.form_fields.all():
        FormField.objects.create(
            requirement_set=target, **{name: getattr(item, name) for name in FORM_FIELD_FIELDS}
        )


def _validate_requirement(values: dict[str, Any]) -> dict[str, str]:
    # The kinds a permit requirement may take: documents and photos (spreadsheets are for bulk imports).
    from praja.core.documents.actions import DEFAULT_ALLOWED_TYPES

    errors = {}
    types = [item.strip() for item in (values.get("accepted_types") or "").split(",") if item.strip()]
    if not types or any(item not in DEFAULT_ALLOWED_TYPES for item in types):
        errors["accepted_types"] = _("Jenis berkas diterima: pdf, jpeg dan/atau png, dipisah koma.")
    if values.get("check_name") and values["check_name"] not in rules.REQUIREMENT_CHECKS:
        errors["check_name"] = _("Pemeriksaan tidak dikenal.")
    try:
        rules.parse_condition(values.get("condition") or "")
    except ValueError as error:
        errors["condition"] = str(error)
    return errors


def save_requirement(
    *, actor, requirement_set: RequirementSet, values: dict[str, Any], requirement: Requirement | None = None
) -> Requirement:
    _require_catalogue_admin(actor)
    _draft_of(requirement_set)
    errors = _validate_requirement(values)
    duplicate = requirement_set.requirements.filter(code=values.get("code")).exclude(
        pk=getattr(requirement, "pk", None)
    )
    if duplicate.exists():
        errors["code"] = _("Kode %(code)s sudah ada di versi ini.") % {"code": values.get("code")}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        requirement = requirement or Requirement(requirement_set=requirement_set)
        for name in REQUIREMENT_FIELDS:
            if name in values:
                setattr(requirement, name, values[name])
        requirement.save()
        record(
            "licensing.requirement_saved",
            actor=actor,
            obj=requirement_set,
            data={"code": requirement.code, "version": requirement_set.version},
        )
    return requirement


def delete_requirement(*, actor, requirement: Requirement) -> None:
    _require_catalogue_admin(actor)
    _draft_of(requirement.requirement_set)
    with transaction.atomic():
        record(
            "licensing.requirement_deleted",
            actor=actor,
            obj=requirement.requirement_set,
            data={"code": requirement.code},
        )
        requirement.delete()


def save_form_field(
    *, actor, requirement_set: RequirementSet, values: dict[str, Any], form_field: FormField | None = None
) -> FormField:
    _require_catalogue_admin(actor)
    _draft_of(requirement_set)
    errors = {}
    if values.get("kind") == "choice" and not (values.get("choices") or "").strip():
        errors["choices"] = _("Isian pilihan memerlukan daftar pilihan.")
    if (
        requirement_set.form_fields.filter(key=values.get("key"))
        .exclude(pk=getattr(form_field, "pk", None))
        .exists()
    ):
        errors["key"] = _("Kunci %(key)s sudah ada di versi ini.") % {"key": values.get("key")}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        form_field = form_field or FormField(requirement_set=requirement_set)
        for name in FORM_FIELD_FIELDS:
            if name in values:
                setattr(form_field, name, values[name])
        form_field.save()
        record(
            "licensing.form_field_saved",
            actor=actor,
            obj=requirement_set,
            data={"key": form_field.key, "version": requirement_set.version},
        )
    return form_field


def delete_form_field(*, actor, form_field: FormField) -> None:
    _require_catalogue_admin(actor)
    _draft_of(form_field.requirement_set)
    with transaction.atomic():
        record(
            "licensing.form_field_deleted",
            actor=actor,
            obj=form_field.requirement_set,
            data={"key": form_field.key},
        )
        form_field.delete()


def publish_requirement_set(
    *, actor, requirement_set: RequirementSet, effective_from=None, notes: str = ""
) -> RequirementSet:
    """Freeze a draft version; applications started from now on use it, older ones keep theirs."""
    _require_catalogue_admin(actor)
    _draft_of(requirement_set)
    if not requirement_set.requirements.exists():
        raise ValidationError(_("Versi tanpa persyaratan tidak dapat diterbitkan."), code="empty")
    now = timezone.now()
    with transaction.atomic():
        requirement_set.published_at = now
        requirement_set.published_by = actor
        requirement_set.effective_from = effective_from or now
        if notes:
            requirement_set.notes = notes
        requirement_set.save(update_fields=["published_at", "published_by", "effective_from", "notes"])
        record(
            "licensing.requirement_version_published",
            actor=actor,
            obj=requirement_set,
            data={
                "permit_type": requirement_set.permit_type.code,
                "version": requirement_set.version,
                "requirements": list(requirement_set.requirements.values_list("code", flat=True)),
            },
        )
    return requirement_set


# --- Adoption: `praja tenant adopt --modules licensing` ------------------------------------------


def _target_org_unit(source_unit: OrgUnit | None, created: list[str]) -> OrgUnit | None:
    """The target's perangkat daerah with the source's code (Permendagri 90/2019), made when missing."""
    if source_unit is None:
        return None
    unit = OrgUnit.objects.filter(code=source_unit.code).first()
    if unit is None:
        unit = OrgUnit.objects.create(
            code=source_unit.code,
            name=source_unit.name,
            short_name=source_unit.short_name,
            kind=source_unit.kind or OrgUnitKind.PERANGKAT_DAERAH,
        )
        created.append(
            _("perangkat daerah %(code)s %(name)s dibuat") % {"code": unit.code, "name": unit.name}
        )
    return unit


def adopt_catalogue(*, source, target, actor=None) -> list[str]:
    """Copy `source`'s permit types with their published requirement versions and forms into `target`.

    Runs with `target` active (adoption.py). A permit type the target already has (same code) is
    left alone, so running it again changes nothing. Returns what changed, for the adoption report.
    """
    require_current_tenant()
    with use_tenant(source):
        items = []
        for permit_type in PermitType.objects.select_related("responsible_org_unit").order_by("code"):
            latest = (
                permit_type.requirement_sets.filter(published_at__isnull=False).order_by("-version").first()
            )
            items.append(
                (
                    permit_type,
                    latest,
                    list(latest.requirements.all()) if latest else [],
                    list(latest.form_fields.all()) if latest else [],
                )
            )
    changes: list[str] = []
    now = timezone.now()
    for permit_type, latest, requirements, fields in items:
        if PermitType.objects.filter(code=permit_type.code).exists():
            continue
        values = {
            name: getattr(permit_type, name) for name in PERMIT_TYPE_FIELDS if name != "responsible_org_unit"
        }
        copy = PermitType.objects.create(
            **values,
            is_published=permit_type.is_published and latest is not None,
            responsible_org_unit=_target_org_unit(permit_type.responsible_org_unit, changes),
        )
        if latest is not None:
            version = RequirementSet.objects.create(
                permit_type=copy,
                version=1,
                published_at=now,
                effective_from=now,
                notes=_("Diadopsi dari %(tenant)s versi %(version)d")
                % {"tenant": source.name, "version": latest.version},
            )
            for item in requirements:
                Requirement.objects.create(
                    requirement_set=version, **{n: getattr(item, n) for n in REQUIREMENT_FIELDS}
                )
            for item in fields:
                FormField.objects.create(
                    requirement_set=version, **{n: getattr(item, n) for n in FORM_FIELD_FIELDS}
                )
        record(
            "licensing.permit_type_adopted",
            actor=actor,
            obj=copy,
            data={"code": copy.code, "source": source.code, "requirements": len(requirements)},
        )
        changes.append(_("jenis izin %(code)s (%(name)s) disalin") % {"code": copy.code, "name": copy.name})
    return changes
