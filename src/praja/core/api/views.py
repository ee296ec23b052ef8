"""Core endpoints: who am I, this tenant, its organisation, its people and their roles.

Thin by design: parse with a serializer, read through selectors and the tenant-filtered managers,
write only through actions (which check permissions again inside their transaction).
"""

from __future__ import annotations

from collections import defaultdict

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from praja.core.accounts import admin_actions
from praja.core.accounts.models import RoleGrant
from praja.core.accounts.selectors import (
    list_active_role_grants_with_org_units,
    list_org_units,
    list_people_with_roles,
)
from praja.core.api import serializers
from praja.core.api.actions import issue_api_token
from praja.core.api.base import TenantAPIView, TenantGenericViewSet
from praja.core.api.permissions import HasTenantPermission, IsTenantOfficial, is_second_factor_verified
from praja.core.permissions.roles import MANAGE_PEOPLE, MANAGE_ROLES
from praja.core.tenancy.selectors import list_enabled_modules


class MeView(TenantAPIView):
    """The signed-in person and their roles in this tenant."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=serializers.MeSerializer, tags=["core"])
    def get(self, request):
        grants = list(list_active_role_grants_with_org_units(request.user))
        data = serializers.me_data(
            request.user, grants=grants, second_factor_verified=is_second_factor_verified(request.user)
        )
        return Response(serializers.MeSerializer(data).data)


class TenantView(TenantAPIView):
    """This regional government: name, Kemendagri code, level, timezone, active modules. Public."""

    permission_classes = [AllowAny]

    @extend_schema(responses=serializers.TenantSerializer, tags=["core"], auth=[])
    def get(self, request):
        context = {"modules": sorted(list_enabled_modules(request.tenant))}
        return Response(serializers.TenantSerializer(request.tenant, context=context).data)


@extend_schema(tags=["core"])
class OrgUnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantGenericViewSet):
    """Perangkat daerah and their units, for the tenant's officials."""

    permission_classes = [IsTenantOfficial]
    serializer_class = serializers.OrgUnitSerializer

    def get_queryset(self):
        return list_org_units()


def _grants_by_user(users) -> dict[int, list[RoleGrant]]:
    grouped: dict[int, list[RoleGrant]] = defaultdict(list)
    grants = RoleGrant.objects.filter(user__in=[user.pk for user in users], revoked_at__isnull=True)
    for grant in grants.select_related("org_unit").order_by("role", "pk"):
        grouped[grant.user_id].append(grant)
    return grouped


@extend_schema(tags=["core"])
class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantGenericViewSet):
    """People holding a role in this tenant; tenant admins create officials and issue API tokens."""

    permission_classes = [HasTenantPermission.of(MANAGE_PEOPLE)]
    serializer_class = serializers.PersonSerializer

    def get_queryset(self):
        return list_people_with_roles()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["grants_by_user"] = {}
        return context

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        context = {**self.get_serializer_context(), "grants_by_user": _grants_by_user(page)}
        return self.get_paginated_response(
            serializers.PersonSerializer(page, many=True, context=context).data
        )

    def retrieve(self, request, *args, **kwargs):
        person = self.get_object()
        context = {**self.get_serializer_context(), "grants_by_user": _grants_by_user([person])}
        return Response(serializers.PersonSerializer(person, context=context).data)

    @extend_schema(
        request=serializers.OfficialCreateSerializer, responses={201: serializers.PersonSerializer}
    )
    def create(self, request, *args, **kwargs):
        """Create an official (NIP validated); they get the `official` role and a password link by email."""
        form = serializers.OfficialCreateSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        person = admin_actions.create_official(actor=request.user, **form.validated_data)
        context = {**self.get_serializer_context(), "grants_by_user": _grants_by_user([person])}
        return Response(
            serializers.PersonSerializer(person, context=context).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={201: serializers.TokenSerializer})
    @action(detail=True, methods=["post"])
    def token(self, request, *args, **kwargs):
        """Issue a new API token for this person; any earlier token stops working."""
        person = self.get_object()
        token = issue_api_token(actor=request.user, user=person)
        return Response({"token": token.key}, status=status.HTTP_201_CREATED)


@extend_schema(tags=["core"])
class RoleGrantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantGenericViewSet):
    """Role grants in this tenant, for tenant admins: list, grant, revoke."""

    permission_classes = [HasTenantPermission.of(MANAGE_ROLES)]
    serializer_class = serializers.RoleGrantSerializer

    def get_queryset(self):
        return RoleGrant.objects.select_related("user", "org_unit").order_by("-granted_at", "-pk")

    @extend_schema(
        request=serializers.RoleGrantCreateSerializer, responses={201: serializers.RoleGrantSerializer}
    )
    def create(self, request, *args, **kwargs):
        """Grant a role to a person (by email), optionally limited to one perangkat daerah."""
        form = serializers.RoleGrantCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        grant = admin_actions.grant_role(
            actor=request.user,
            user=form.validated_data["email"],
            role=form.validated_data["role"],
            org_unit=form.validated_data["org_unit"],
        )
        return Response(serializers.RoleGrantSerializer(grant).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=serializers.RoleGrantSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, *args, **kwargs):
        """End this grant; the row stays with its revocation time."""
        grant = admin_actions.revoke_role(actor=request.user, grant=self.get_object())
        return Response(serializers.RoleGrantSerializer(grant).data)
