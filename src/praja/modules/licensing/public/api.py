"""Public API of licensing (no login): tracking a file, statistics per permit type.

GET /t/<slug>/api/v1/licensing/tracking/<tracking_number>/   status and dates only; unknown numbers
    answer 200 with found=false and the same keys; rate-limited per address (429 beyond the limit)
GET /t/<slug>/api/v1/licensing/statistics/[?year=2026]       every published permit type
GET /t/<slug>/api/v1/licensing/statistics/<code>/[?year=]    one published permit type
"""

from __future__ import annotations

import dataclasses
import json

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from praja.core.api.base import TenantAPIView
from praja.core.calendar.selectors import tenant_timezone
from praja.modules.licensing.public import selectors, throttle
from praja.modules.licensing.public.serializers import PermitTypeStatisticsSerializer, TrackingSerializer
from praja.modules.licensing.public.statistics_cache import cached_statistics, parse_year


class TrackingView(TenantAPIView):
    """Track an application by its tracking number: status and dates, no personal data."""

    authentication_classes: list = []  # public: the same answer for everyone, no session read
    permission_classes = [AllowAny]
    throttle_classes: list = []  # throttle.allow() below: per address, a limit of its own

    @extend_schema(tags=["licensing"], auth=[], responses={200: TrackingSerializer, 429: OpenApiTypes.OBJECT})
    def get(self, request, tracking_number: str):
        allowed, wait = throttle.allow(request)
        if not allowed:
            raise exceptions.Throttled(wait=wait)
        answer = selectors.track_application(tracking_number)
        # Rendered here, byte for byte what DRF's JSONRenderer writes (compact, UTF-8): the most
        # frequent public request skips the renderer and template-response machinery.
        body = json.dumps(tracking_payload(answer, request.tenant), ensure_ascii=False, separators=(",", ":"))
        return HttpResponse(body.encode(), content_type="application/json")


def tracking_payload(answer: selectors.TrackingAnswer, tenant) -> dict:
    """The TrackingSerializer shape, built directly (a hot path), times in the tenant's timezone."""
    zone = tenant_timezone(tenant)

    def moment(value):
        return value.astimezone(zone).isoformat() if value is not None else None

    return {
        "tracking_number": answer.tracking_number,
        "found": answer.found,
        "status": answer.status,
        "status_label": answer.status_label,
        "holder": answer.holder,
        "permit_type": answer.permit_type,
        "submitted_at": moment(answer.submitted_at),
        "registered_at": moment(answer.registered_at),
        "issued_at": moment(answer.issued_at),
        "sla_working_days": answer.sla_working_days,
        "sla_due_at": moment(answer.sla_due_at),
        "sla_working_days_left": answer.sla_working_days_left,
        "sla_paused": answer.sla_paused,
        "steps": [
            {"status": step.status, "status_label": step.status_label, "at": moment(step.at)}
            for step in answer.steps
        ],
    }


YEAR = OpenApiParameter(
    "year",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    required=False,
    description="Tahun pengajuan (zona waktu daerah); kosong: semua tahun",
)


def _year_or_400(request) -> int | None:
    year, error = parse_year(request.query_params.get("year"))
    if error:
        raise exceptions.ValidationError({"year": [error]})
    return year


class StatisticsView(TenantAPIView):
    """Service statistics of every published permit type (applications, time to issue, SLA, returns, IKM)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["licensing"], auth=[], parameters=[YEAR], responses=PermitTypeStatisticsSerializer(many=True)
    )
    def get(self, request):
        year = _year_or_400(request)
        rows = cached_statistics(request.tenant, year)
        return Response(PermitTypeStatisticsSerializer([_as_dict(row) for row in rows], many=True).data)


class PermitTypeStatisticsView(TenantAPIView):
    """Service statistics of one published permit type."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(tags=["licensing"], auth=[], parameters=[YEAR], responses=PermitTypeStatisticsSerializer)
    def get(self, request, permit_type_code: str):
        year = _year_or_400(request)
        row = next(
            (row for row in cached_statistics(request.tenant, year) if row.code == permit_type_code), None
        )
        if row is None:
            raise Http404
        return Response(PermitTypeStatisticsSerializer(_as_dict(row)).data)


def _as_dict(row) -> dict:
    data = dataclasses.asdict(row)
    data["ikm"] = dataclasses.asdict(row.ikm) if row.ikm is not None else None
    return data
