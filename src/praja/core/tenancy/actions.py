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
    """Create the tenant of a province (`32`) or regency/city (`32.73`) from the area reference."""
    code = code.strip()
    area = Area.objects.filter(code=code, level__in=[AreaLevel.PROVINCE, AreaLevel.REGENCY]).first()
    if area is None:
        raise ValidationError(
            _("Kode %(code)s bukan kode provinsi atau kabupaten/kota dalam data wilayah Kemendagri.")
            % {"code": code},
            code="unknown_area",
        )
    if Tenant.objects.filter(code=code).exists():
        raise ValidationError(_("Pemerintah daerah dengan kode %(code)s sudah ada.") % {"code": code}, code="exists")
    level, name = _level_and_name(area)
    province_code = code[:2]
    province = Area.objects.get(code=province_code)
    with transaction.atomic():
        tenant = Tenant.objects.create(
            code=code, slug=slug or slugify(name), name=name, level=level, province_code=province_code,
            province_name=province.name, timezone=timezone_for_province(province_code), host_name=host_name,
        )
        with use_tenant(tenant):
            record("tenant.created", actor=actor, obj=tenant, data={"code": code, "name": name, "slug": tenant.slug})
    return tenant


def set_module_enabled(*, actor, tenant: Tenant, module: str, enabled: bool) -> TenantModule:
    from praja.core.modules.registry import get_manifest
    from praja.core.permissions.checks import require
    from praja.core.permissions.roles import MANAGE_MODULES

    manifest = get_manifest(module)
    if manifest is None:
        raise ValidationError(_("Modul %(module)s tidak dikenal.") % {"module": module}, code="unknown_module")
    with use_tenant(tenant), transaction.atomic():
        if actor is not None:
            require(actor, MANAGE_MODULES)
        item, _created = TenantModule.objects.get_or_create(
            module=module, defaults={"parameters": dict(manifest.default_parameters), "is_enabled": enabled}
        )
        if item.is_enabled != enabled or _created:
            item.is_enabled = enabled
            item.save(update_fields=["is_enabled", "updated_at"])
            record("tenant.module_enabled" if enabled else "tenant.module_disabled", actor=actor, obj=item,
                   data={"module": module})
    return item
