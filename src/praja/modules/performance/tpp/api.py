"""REST endpoints of the monthly close under /t/<slug>/api/v1/performance/ (thin over selectors).

GET results/me/?month=YYYY-MM      the caller's results (latest version of each closed month, or one)
GET results/?month=YYYY-MM&unit=ID  results in the caller's scope (own / team / office / tenant), paged
GET closes/?month=YYYY-MM           close versions and status (BKPSDM, its head, inspectorate)
GET closes/<id>/                    one close version
GET signals/?month=YYYY-MM&kind=    integrity signals (performance.view_all)
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from praja.core.api.base import TenantAPIView
from praja.core.api.pagination import PageNumberPagination
from praja.core.api.permissions import IsTenantMember
from praja.modules.performance.tpp import selectors
from praja.modules.performance.tpp.models import MonthClose, SignalKind

TAGS = ["performance"]
MONTH = OpenApiParameter("month", OpenApiTypes.STR, description="Bulan, format TTTT-BB (mis. 2026-05).")
UNIT = OpenApiParameter("unit", OpenApiTypes.INT, description="Id perangkat daerah.")
KIND = OpenApiParameter("kind", OpenApiTypes.STR, enum=list(SignalKind.values))


class WithheldSerializer(serializers.Serializer):
    kind = serializers.CharField()
    code = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    amount = serializers.IntegerField()
    reason = serializers.CharField()


class ResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    month = serializers.DateField(source="close.month")
    close_version = serializers.IntegerField(source="close.version")
    close_status = serializers.CharField(source="close.status")
    employee_id = serializers.IntegerField()
    employee_name = serializers.CharField()
    nip = serializers.CharField()
    org_unit_id = serializers.IntegerField()
    job_class = serializers.IntegerField()
    employment_type = serializers.CharField()
    pay_status = serializers.CharField()
    approved_minutes = serializers.IntegerField()
    expected_minutes = serializers.IntegerField()
    productivity_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    deduction_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    discipline_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    class_amount = serializers.IntegerField()
    ceiling = serializers.IntegerField()
    kinerja_part = serializers.IntegerField()
    disiplin_part = serializers.IntegerField()
    gross = serializers.IntegerField()
    withheld_total = serializers.IntegerField()
    withheld = WithheldSerializer(many=True)


class CloseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    month = serializers.DateField()
    version = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    config_version = serializers.IntegerField()
    working_days = serializers.IntegerField()
    employee_count = serializers.IntegerField()
    total_ceiling = serializers.IntegerField()
    total_paid = serializers.IntegerField()
    signal_count = serializers.IntegerField()
    reason = serializers.CharField()
    computed_at = serializers.DateTimeField()
    approved_at = serializers.DateTimeField(allow_null=True)
    locked_at = serializers.DateTimeField(allow_null=True)


class SignalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    subject_type = serializers.CharField()
    subject_id = serializers.CharField()
    subject_label = serializers.CharField()
    org_unit_id = serializers.IntegerField(allow_null=True)
    month = serializers.DateField()
    explanation = serializers.CharField()
    evidence = serializers.JSONField()
    created_at = serializers.DateTimeField()


def _month(request, *, required: bool = False):
    value = request.query_params.get("month")
    if not value:
        if required:
            month = selectors.latest_closed_months(1)
            return month[0] if month else None
        return None
    month = selectors.parse_month(value)
    if month is None:
        raise ValidationError({"month": [_("Format bulan harus TTTT-BB, misalnya 2026-05.")]})
    return month


def _paged(view, request, queryset, serializer_class):
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


class MyResultsView(TenantAPIView):
    """The caller's own TPP results with every withheld Rupiah explained."""

    permission_classes = [IsTenantMember]

    @extend_schema(tags=TAGS, parameters=[MONTH], responses=ResultSerializer(many=True))
    def get(self, request):
        month = _month(request)
        if month is not None:
            result = selectors.get_my_result(request.user, month)
            results = [result] if result else []
        else:
            results = selectors.list_my_results(request.user)
        return Response(ResultSerializer(results, many=True).data)


class ResultListView(TenantAPIView):
    """Results of one month in the caller's scope (own, team, office or tenant), newest close version."""

    permission_classes = [IsTenantMember]

    @extend_schema(tags=TAGS, parameters=[MONTH, UNIT], responses=ResultSerializer(many=True))
    def get(self, request):
        month = _month(request, required=True)
        close = selectors.latest_close(month) if month else None
        try:
            unit = int(request.query_params.get("unit") or 0) or None
        except ValueError:
            raise ValidationError({"unit": [_("Id perangkat daerah harus angka.")]}) from None
        queryset = selectors.visible_results(request.user, close, org_unit_id=unit).select_related("close")
        return _paged(self, request, queryset, ResultSerializer)


def _require_close_reader(user) -> None:
    from praja.core.permissions.checks import has_permission
    from praja.modules.performance.tpp.permissions import VIEW_TENANT_RESULTS

    if not (selectors.can_manage_closes(user) or has_permission(user, VIEW_TENANT_RESULTS)):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))


class CloseListView(TenantAPIView):
    """Versions of the tenant's monthly close and their status."""

    permission_classes = [IsTenantMember]

    @extend_schema(tags=TAGS, parameters=[MONTH], responses=CloseSerializer(many=True))
    def get(self, request):
        _require_close_reader(request.user)
        queryset = selectors.list_closes()
        month = _month(request)
        if month is not None:
            queryset = queryset.filter(month=month)
        return _paged(self, request, queryset, CloseSerializer)


class CloseDetailView(TenantAPIView):
    permission_classes = [IsTenantMember]

    @extend_schema(tags=TAGS, responses=CloseSerializer)
    def get(self, request, close_id: int):
        try:
            close = selectors.access_close_by_id(request.user, close_id)
        except MonthClose.DoesNotExist:
            raise NotFound() from None
        return Response(CloseSerializer(close).data)


class SignalListView(TenantAPIView):
    """Integrity signals of the tenant (BKPSDM, its head, the inspectorate)."""

    permission_classes = [IsTenantMember]

    @extend_schema(tags=TAGS, parameters=[MONTH, KIND], responses=SignalSerializer(many=True))
    def get(self, request):
        if not selectors.can_view_signals(request.user):
            raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))
        kind = request.query_params.get("kind") or None
        if kind is not None and kind not in SignalKind.values:
            raise ValidationError({"kind": [_("Jenis sinyal tidak dikenal.")]})
        queryset = selectors.list_signals(request.user, month=_month(request), kind=kind)
        return _paged(self, request, queryset, SignalSerializer)
