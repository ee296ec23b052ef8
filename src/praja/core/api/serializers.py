"""Shapes of the core endpoints' input and output. Thin: no writes, no business rules."""

from __future__ import annotations

import copy

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from praja.core.accounts.models import OrgUnit, OrgUnitKind, RoleGrant, User
from praja.core.api.fields import TenantPrimaryKeyRelatedField
from praja.core.permissions.roles import all_roles, get_role
from praja.core.tenancy.models import IndonesianTimezone, Tenant, TenantLevel


class ModelSerializer(serializers.ModelSerializer):
    """DRF's ModelSerializer, building its fields from the model once per class instead of per instance.

    The built fields depend only on the class (Meta, declared fields, the model), so each instance
    gets a deep copy of the first set, the same way DRF already copies declared fields.
    """

    def get_fields(self):
        cls = type(self)
        built = _BUILT_FIELDS.get(cls)
        if built is None:
            built = _BUILT_FIELDS[cls] = super().get_fields()
        return copy.deepcopy(built)


_BUILT_FIELDS: dict[type, dict] = {}


def mask_nik(nik: str | None) -> str | None:
    """`3273010101900001` -> `3273********0001`: enough to recognise, not enough to reuse."""
    if not nik:
        return None
    return nik[:4] + "*" * (len(nik) - 8) + nik[-4:]


class OrgUnitRefSerializer(ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name"]


class RoleSerializer(serializers.Serializer):
    role = serializers.CharField()
    label = serializers.CharField()
    org_unit = OrgUnitRefSerializer(allow_null=True)


def _role_items(grants) -> list[dict]:
    items = []
    for grant in grants:
        role = get_role(grant.role)
        items.append(
            {"role": grant.role, "label": str(role.label) if role else grant.role, "org_unit": grant.org_unit}
        )
    return items


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    email = serializers.EmailField()
    nik_masked = serializers.CharField(allow_null=True, help_text=_("NIK dengan 8 digit tengah disamarkan."))
    has_verified_email = serializers.BooleanField()
    second_factor_verified = serializers.BooleanField()
    preferred_language = serializers.CharField()
    roles = RoleSerializer(many=True, help_text=_("Peran aktif di pemerintah daerah ini."))


def me_data(user: User, *, grants, second_factor_verified: bool) -> dict:
    return {
        "id": user.pk,
        "full_name": user.full_name,
        "email": user.email,
        "nik_masked": mask_nik(user.nik),
        "has_verified_email": user.has_verified_email,
        "second_factor_verified": second_factor_verified,
        "preferred_language": user.preferred_language,
        "roles": _role_items(grants),
    }


class TenantSerializer(ModelSerializer):
    level = serializers.ChoiceField(choices=TenantLevel.choices)
    timezone = serializers.ChoiceField(choices=IndonesianTimezone.choices)
    timezone_label = serializers.CharField(help_text=_("WIB, WITA atau WIT."))
    modules = serializers.SerializerMethodField(help_text=_("Modul yang aktif di daerah ini."))

    class Meta:
        model = Tenant
        fields = [
            "code",
            "slug",
            "name",
            "level",
            "province_code",
            "province_name",
            "timezone",
            "timezone_label",
            "modules",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_modules(self, tenant: Tenant) -> list[str]:
        return self.context["modules"]


class OrgUnitSerializer(ModelSerializer):
    kind = serializers.ChoiceField(choices=OrgUnitKind.choices)

    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name", "short_name", "kind", "parent"]


class PersonSerializer(ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "full_name", "email", "nip", "phone", "is_active", "roles"]

    @extend_schema_field(RoleSerializer(many=True))
    def get_roles(self, user: User) -> list[dict]:
        grants = self.context["grants_by_user"].get(user.pk, [])
        return RoleSerializer(_role_items(grants), many=True).data


class OfficialCreateSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    nip = serializers.CharField(max_length=30, help_text=_("18 digit; titik dan spasi boleh."))
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    org_unit = TenantPrimaryKeyRelatedField(
        OrgUnit,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Perangkat daerah tempat perannya berlaku (kosong: seluruh daerah)."),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Kirim sebagai header `Authorization: Token <token>`."))


class RoleGrantSerializer(ModelSerializer):
    user = serializers.SerializerMethodField()
    label = serializers.SerializerMethodField()
    org_unit = OrgUnitRefSerializer(allow_null=True)
    is_active = serializers.SerializerMethodField()

    class Meta:
        model = RoleGrant
        fields = ["id", "user", "role", "label", "org_unit", "granted_at", "revoked_at", "is_active"]

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_user(self, grant: RoleGrant) -> dict:
        return {"id": grant.user_id, "full_name": grant.user.full_name, "email": grant.user.email}

    def get_label(self, grant: RoleGrant) -> str:
        role = get_role(grant.role)
        return str(role.label) if role else grant.role

    def get_is_active(self, grant: RoleGrant) -> bool:
        return grant.revoked_at is None


class RoleGrantCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text=_("Email akun orang yang diberi peran."))
    role = serializers.ChoiceField(choices=())
    org_unit = TenantPrimaryKeyRelatedField(
        OrgUnit,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Batasi peran ke satu perangkat daerah (kosong: seluruh daerah)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Modules register roles when they load; read the registry when the serializer is used.
        self.fields["role"].choices = [(role.name, str(role.label)) for role in all_roles()]

    def validate_email(self, value: str) -> User:
        user = User.objects.filter(email__iexact=value.strip(), is_active=True).first()
        if user is None:
            raise serializers.ValidationError(
                _("Tidak ada akun aktif dengan email ini."), code="unknown_user"
            )
        return user
