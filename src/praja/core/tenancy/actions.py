"""Writers for tenants: adding a region from the reference data, switching modules on and off."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from praja.core.audit.actions import record
from praja.core.reference.areas import timezone_for_province
from praja.core.reference.models import Area, AreaLevel
from praja.core.tenancy.context import use_tenant
from praja.core.tenancy.models import Tenant, TenantLevel, TenantModule


def _level_and_name(area: Area) -> tuple[str, str]:
    if area.level == AreaLevel.PROVINCE:
        return TenantLevel.PROVINCE, f"Provinsi {area.name}"
    if area.name.startswith("Kota "):
        return TenantLevel.CITY, area.name
    return TenantLevel.REGENCY, area.name


def add_tenant(*, code: str, actor=None, slug: str | None = None, host_name: str | None = None) -> Tenant:
    """Create the tenant of a province (`32`) or regency/city (`32.73`) from the area reference.

    `actor` None is the command line (the machine's operator); a web actor must be a platform operator.
    """
    if actor is not None:
        require_platform_operator(actor)
    code = code.strip()
    area = Area.objects.filter(code=code, level__in=[AreaLevel.PROVINCE, AreaLevel.REGENCY]).first()
    if area is None:
        raise ValidationError(
            _("Kode %(code)s bukan kode provinsi atau kabupaten/kota dalam data wilayah Kemendagri.")
            % {"code": code},
            code="unknown_area",
        )
    if Tenant.objects.filter(code=code).exists():
        raise ValidationError(
            _("Pemerintah daerah dengan kode %(code)s sudah ada.") % {"code": code}, code="exists"
        )
    level, name = _level_and_name(area)
    province_code = code[:2]
    province = Area.objects.get(code=province_code)
    with transaction.atomic():
        tenant = Tenant.objects.create(
            code=code,
            slug=slug or slugify(name),
            name=name,
            level=level,
            province_code=province_code,
            province_name=province.name,
            timezone=timezone_for_province(province_code),
            host_name=host_name,
        )
        with use_tenant(tenant):
            record(
                "tenant.created",
                actor=actor,
                obj=tenant,
                data={"code": code, "name": name, "slug": tenant.slug},
            )
    return tenant


def set_module_enabled(*, actor, tenant: Tenant, module: str, enabled: bool) -> TenantModule:
    from praja.core.modules.registry import get_manifest
    from praja.core.permissions.checks import require
    from praja.core.permissions.roles import MANAGE_MODULES

    manifest = get_manifest(module)
    if manifest is None:
        raise ValidationError(
            _("Modul %(module)s tidak dikenal.") % {"module": module}, code="unknown_module"
        )
    with use_tenant(tenant), transaction.atomic():
        if actor is not None:
            require(actor, MANAGE_MODULES)
        item, _created = TenantModule.objects.get_or_create(
            module=module, defaults={"parameters": dict(manifest.default_parameters), "is_enabled": enabled}
        )
        if item.is_enabled != enabled or _created:
            item.is_enabled = enabled
            item.save(update_fields=["is_enabled", "updated_at"])
            record(
                "tenant.module_enabled" if enabled else "tenant.module_disabled",
                actor=actor,
                obj=item,
                data={"module": module},
            )
    return item


# --- Tenant admin: module parameters, letterhead, logo, host name -------------------------------

_PARAMETER_TYPES = (bool, int, float, str, list, dict)


def _parameter_type(default) -> type:
    # bool before int: True is an int to Python but a switch to the admin.
    return next((kind for kind in _PARAMETER_TYPES if isinstance(default, kind)), str)


def check_module_parameters(defaults: dict, values: dict) -> dict:
    """Return `values` if each key is declared and has its default's type; else raise field errors."""
    errors: dict[str, list] = {}
    for key, value in values.items():
        if key not in defaults:
            errors[key] = [
                ValidationError(
                    _("Parameter %(key)s tidak dikenal modul ini.") % {"key": key}, code="unknown_parameter"
                )
            ]
            continue
        kind = _parameter_type(defaults[key])
        is_bool = isinstance(value, bool)
        if kind is float and isinstance(value, int) and not is_bool:
            value = float(value)
        if not isinstance(value, kind) or (kind is not bool and is_bool):
            errors[key] = [
                ValidationError(
                    _("Parameter %(key)s harus bertipe %(kind)s.") % {"key": key, "kind": kind.__name__},
                    code="wrong_type",
                )
            ]
    if errors:
        raise ValidationError(errors)
    return {
        key: float(value) if _parameter_type(defaults[key]) is float else value
        for key, value in values.items()
    }


def set_module_parameters(*, actor, tenant: Tenant, module: str, parameters: dict) -> TenantModule:
    """Change a module's tenant parameters; the audit event keeps the values before and after."""
    from praja.core.modules.registry import get_manifest, is_secret_parameter
    from praja.core.permissions.checks import require
    from praja.core.permissions.roles import MANAGE_PARAMETERS

    def shown(key: str, value):
        # A secret goes on the chain only as "changed", never in clear.
        return ("***" if value else "") if is_secret_parameter(key) else value

    manifest = get_manifest(module)
    if manifest is None:
        raise ValidationError(
            _("Modul %(module)s tidak dikenal.") % {"module": module}, code="unknown_module"
        )
    with use_tenant(tenant), transaction.atomic():
        require(actor, MANAGE_PARAMETERS)
        parameters = check_module_parameters(manifest.default_parameters, parameters)
        item, _created = TenantModule.objects.select_for_update().get_or_create(
            module=module, defaults={"parameters": dict(manifest.default_parameters), "is_enabled": False}
        )
        before = {**manifest.default_parameters, **item.parameters}
        after = {**before, **parameters}
        changed = sorted(key for key in after if before.get(key) != after[key])
        if changed:
            item.parameters = after
            item.save(update_fields=["parameters", "updated_at"])
            record(
                "tenant.module_parameters_changed",
                actor=actor,
                obj=item,
                data={
                    "module": module,
                    "before": {key: shown(key, before.get(key)) for key in changed},
                    "after": {key: shown(key, after[key]) for key in changed},
                },
            )
    return item


_LETTERHEAD_FIELDS = ("letterhead_title", "letterhead_address", "letterhead_contact")


def update_letterhead(
    *, actor, tenant: Tenant, letterhead_title: str, letterhead_address: str, letterhead_contact: str
) -> Tenant:
    """Change the kop surat printed on the tenant's official documents."""
    from praja.core.permissions.checks import require
    from praja.core.permissions.roles import MANAGE_PARAMETERS

    values = {
        "letterhead_title": letterhead_title.strip(),
        "letterhead_address": letterhead_address.strip(),
        "letterhead_contact": letterhead_contact.strip(),
    }
    with use_tenant(tenant), transaction.atomic():
        require(actor, MANAGE_PARAMETERS)
        locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
        before = {field: getattr(locked, field) for field in _LETTERHEAD_FIELDS}
        changed = [field for field in _LETTERHEAD_FIELDS if before[field] != values[field]]
        if changed:
            for field in changed:
                setattr(locked, field, values[field])
            locked.save(update_fields=changed)
            record(
                "tenant.letterhead_changed",
                actor=actor,
                obj=locked,
                data={
                    "before": {field: before[field] for field in changed},
                    "after": {field: values[field] for field in changed},
                },
            )
    return locked


LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_PIXELS = 2048
_LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg"}


def check_logo(upload) -> str:
    """Return the logo's file extension; refuse anything that is not a PNG or JPEG by content."""
    from PIL import Image, UnidentifiedImageError

    # The size is known before reading; an oversize file is refused without being read.
    if upload.size is None or upload.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("Logo terlalu besar: maksimal %(kb)d KB.") % {"kb": LOGO_MAX_BYTES // 1024},
            code="logo_too_large",
        )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("Berkas logo bukan gambar PNG atau JPEG yang utuh."), code="logo_not_image"
        ) from None
    finally:
        upload.seek(0)
    if image_format not in _LOGO_FORMATS:
        raise ValidationError(
            _("Logo harus berupa gambar PNG atau JPEG (berkas ini %(format)s).") % {"format": image_format},
            code="logo_format",
        )
    if max(width, height) > LOGO_MAX_PIXELS:
        raise ValidationError(
            _("Logo terlalu besar: maksimal %(px)d piksel per sisi.") % {"px": LOGO_MAX_PIXELS},
            code="logo_dimensions",
        )
    return _LOGO_FORMATS[image_format]


def set_tenant_logo(*, actor, tenant: Tenant, upload) -> Tenant:
    """Replace the tenant's logo with a checked PNG or JPEG; the audit event keeps its SHA-256."""
    import hashlib

    from django.core.files.base import ContentFile

    from praja.core.permissions.checks import require
    from praja.core.permissions.roles import MANAGE_PARAMETERS

    with use_tenant(tenant), transaction.atomic():
        require(actor, MANAGE_PARAMETERS)
        extension = check_logo(upload)
        content = upload.read()
        digest = hashlib.sha256(content).hexdigest()
        locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
        before = locked.logo.name or None
        locked.logo.save(f"{locked.slug}-{digest[:16]}.{extension}", ContentFile(content), save=False)
        locked.save(update_fields=["logo"])
        record(
            "tenant.logo_changed",
            actor=actor,
            obj=locked,
            data={"before": before, "after": locked.logo.name, "sha256": digest, "bytes": len(content)},
        )
    return locked


def check_host_name(value: str, *, tenant: Tenant) -> str | None:
    """Normalise a tenant host name (empty means none) or raise a field error saying what is wrong."""
    import re

    from django.conf import settings

    host = (value or "").strip().lower().rstrip(".")
    if not host:
        return None
    label = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
    if len(host) > 253 or not re.fullmatch(rf"{label}(\.{label})+", host):
        raise ValidationError(
            _(
                "Nama host %(host)s tidak sah: gunakan huruf kecil, angka, tanda hubung dan titik, mis. "
                "layanan.bandung.go.id."
            )
            % {"host": host},
            code="host_invalid",
        )
    if host in {name.strip("[]").lower() for name in settings.PRAJA_PLATFORM_HOSTS}:
        raise ValidationError(
            _("Nama host %(host)s adalah alamat platform, bukan milik satu daerah.") % {"host": host},
            code="host_platform",
        )
    if Tenant.objects.filter(host_name=host).exclude(pk=tenant.pk).exists():
        raise ValidationError(
            _("Nama host %(host)s sudah dipakai daerah lain.") % {"host": host}, code="host_taken"
        )
    return host


def set_tenant_host_name(*, actor, tenant: Tenant, host_name: str) -> Tenant:
    """Serve the tenant on its own host name as well (empty removes it)."""
    from praja.core.permissions.checks import require
    from praja.core.permissions.roles import MANAGE_PARAMETERS

    with use_tenant(tenant), transaction.atomic():
        require(actor, MANAGE_PARAMETERS)
        locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
        host = check_host_name(host_name, tenant=locked)
        if host != locked.host_name:
            before, locked.host_name = locked.host_name, host
            locked.save(update_fields=["host_name"])
            record(
                "tenant.host_name_changed", actor=actor, obj=locked, data={"before": before, "after": host}
            )
    return locked


# --- Platform operator ----------------------------------------------------------------------------


def require_platform_operator(actor) -> None:
    from django.core.exceptions import PermissionDenied

    if actor is None or not getattr(actor, "is_platform_operator", False) or not actor.is_active:
        raise PermissionDenied(_("Hanya operator platform yang boleh melakukan tindakan ini."))


def set_tenant_active(*, actor, tenant: Tenant, active: bool) -> Tenant:
    """Open or close a tenant; a closed tenant's pages answer 404 and its data stays untouched."""
    with use_tenant(tenant), transaction.atomic():
        require_platform_operator(actor)
        locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
        if locked.is_active != active:
            locked.is_active = active
            locked.save(update_fields=["is_active"])
            event = "tenant.activated" if active else "tenant.deactivated"
            record(event, actor=actor, obj=locked, data={"code": locked.code})
            record(event, actor=actor, obj=locked, data={"code": locked.code}, platform=True)
    return locked
