"""REST endpoints of e-Kinerja under /t/<slug>/api/v1/performance/ (thin over actions and selectors).

Employee:    GET activities/, GET|POST entries/, GET|PATCH|DELETE entries/<id>/, GET month/,
             POST attendance/check/, GET|POST absences/, GET|POST corrections/
Supervisor:  GET validation/, POST entries/<id>/validate/, POST validation/bulk/,
             POST absences/<id>/decide/, POST corrections/<id>/decide/ (endorse or reject)
Personnel admin (admin OPD, BKPSDM): POST corrections/<id>/decide/ on an endorsed correction
             (reason required; approval creates the attendance event)
Terminal:    POST attendance/events/ (machine token; idempotent on terminal + event_id)
Refusals come back in the error envelope with the action's Indonesian message.
"""

from __future__ import annotations

import datetime

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from praja.core.api.base import TenantAPIView
from praja.core.api.pagination import PageNumberPagination
from praja.core.api.permissions import HasTenantPermission, IsTenantMember
from praja.modules.performance import actions, selectors
from praja.modules.performance.models import (
    AbsenceKind,
    AbsenceRequest,
    ActivityEntry,
    AttendanceCorrection,
    AttendanceKind,
)
from praja.modules.performance.permissions import POST_ATTENDANCE_EVENTS

TAGS = ["performance"]


# --- Serializers -----------------------------------------------------------------------------------


class ActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    output_unit = serializers.CharField()
    standard_minutes = serializers.IntegerField()
    job_family = serializers.CharField()


class EntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    employee = serializers.CharField(source="employee.user.full_name")
    date = serializers.DateField()
    start_time = serializers.TimeField(format="%H:%M")
    end_time = serializers.TimeField(format="%H:%M")
    activity = serializers.IntegerField(source="activity_id", allow_null=True)
    activity_name = serializers.CharField(source="title")
    is_additional_task = serializers.BooleanField()
    description = serializers.CharField()
    volume = serializers.IntegerField()
    output = serializers.CharField()
    evidence_sha256 = serializers.CharField()
    evidence_link = serializers.CharField()
    is_official_travel = serializers.BooleanField()
    claimed_minutes = serializers.IntegerField()
    credited_minutes = serializers.IntegerField()
    approved_minutes = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    validation_reason = serializers.CharField()
    config_version = serializers.IntegerField(source="config.version")


class EntryResultSerializer(EntrySerializer):
    notice = serializers.CharField()


class EntryInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    activity = serializers.IntegerField(required=False, allow_null=True)
    is_additional_task = serializers.BooleanField(required=False, default=False)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    volume = serializers.IntegerField(min_value=1, max_value=1000)
    output = serializers.CharField(max_length=300)
    evidence = serializers.FileField(required=False, allow_null=True)
    evidence_link = serializers.URLField(required=False, allow_blank=True, default="")
    is_official_travel = serializers.BooleanField(required=False, default=False)


class EntryPatchSerializer(serializers.Serializer):
    date = serializers.DateField(required=False)
    start_time = serializers.TimeField(required=False)
    end_time = serializers.TimeField(required=False)
    activity = serializers.IntegerField(required=False, allow_null=True)
    is_additional_task = serializers.BooleanField(required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=300)
    volume = serializers.IntegerField(required=False, min_value=1, max_value=1000)
    output = serializers.CharField(required=False, max_length=300)
    evidence_link = serializers.URLField(required=False, allow_blank=True)
    is_official_travel = serializers.BooleanField(required=False)


class EntryDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject", "adjust"])
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    approved_minutes = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class BulkDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"], default="approve")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    entry_ids = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=500)
    date = serializers.DateField(required=False)


class BulkResultSerializer(serializers.Serializer):
    approved_or_rejected = serializers.ListField(child=serializers.IntegerField())
    refused = serializers.ListField(child=serializers.DictField())


class TerminalEventSerializer(serializers.Serializer):
    terminal = serializers.CharField(max_length=40)
    event_id = serializers.CharField(max_length=80)
    nip = serializers.CharField(max_length=18)
    kind = serializers.ChoiceField(choices=AttendanceKind.choices)
    occurred_at = serializers.DateTimeField()


class AttendanceEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    local_date = serializers.DateField()
    source = serializers.CharField()
    terminal_event_id = serializers.CharField()
    client_offset_seconds = serializers.IntegerField(allow_null=True)


class CheckSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AttendanceKind.choices)
    client_time = serializers.DateTimeField(required=False, allow_null=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)


class AbsenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    employee = serializers.CharField(source="employee.user.full_name")
    kind = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    reason = serializers.CharField()
    status = serializers.CharField()
    decision_reason = serializers.CharField()


class AbsenceInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AbsenceKind.choices)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    reason = serializers.CharField(max_length=1000)


class CorrectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    employee = serializers.CharField(source="employee.user.full_name")
    date = serializers.DateField()
    kind = serializers.CharField()
    corrected_time = serializers.TimeField(format="%H:%M")
    reason = serializers.CharField()
    status = serializers.CharField()
    endorsed_by = serializers.CharField(source="endorsed_by.full_name", allow_null=True, default=None)
    endorsement_reason = serializers.CharField()
    decision_reason = serializers.CharField()


class CorrectionInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=AttendanceKind.choices)
    corrected_time = serializers.TimeField()
    reason = serializers.CharField(max_length=1000)


class RequestDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class DaySerializer(serializers.Serializer):
    date = serializers.DateField()
    state = serializers.CharField()
    late_minutes = serializers.IntegerField()
    early_leave_minutes = serializers.IntegerField()
    codes = serializers.ListField(child=serializers.CharField())
    forgot_check_out = serializers.BooleanField()
    deduction_percent = serializers.DecimalField(max_digits=6, decimal_places=2)


class MonthSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    working_days = serializers.IntegerField()
    working_days_so_far = serializers.IntegerField()
    quota_minutes_per_day = serializers.IntegerField()
    approved_minutes = serializers.IntegerField()
    submitted_minutes = serializers.IntegerField()
    productivity_percent = serializers.DecimalField(max_digits=6, decimal_places=2)
    productivity_so_far_percent = serializers.DecimalField(max_digits=6, decimal_places=2)
    deduction_percent = serializers.DecimalField(max_digits=6, decimal_places=2)
    estimated_tpp = serializers.IntegerField(allow_null=True)
    days = DaySerializer(many=True)


# --- Helpers -----------------------------------------------------------------------------------------


def _employee(request):
    employee = selectors.get_employee_for_user(request.user)
    if employee is None:
        raise PermissionDenied(_("Anda belum terdaftar sebagai pegawai ASN di e-Kinerja daerah ini."))
    return employee


def _entry(request, entry_id) -> ActivityEntry:
    try:
        return selectors.access_entry_by_id(request.user, entry_id)
    except ActivityEntry.DoesNotExist:
        raise Http404 from None


def _month(request) -> tuple[int, int]:
    text = request.query_params.get("month")
    if not text:
        today = selectors.local_today(request.tenant)
        return today.year, today.month
    try:
        year, month = (int(part) for part in text.split("-"))
        datetime.date(year, month, 1)
        if not 2000 <= year <= 2100:
            raise ValueError(year)
    except ValueError:
        raise serializers.ValidationError(
            {"month": [_("Tulis bulan sebagai TTTT-BB, misalnya 2026-05.")]}
        ) from None
    return year, month


def _entry_data(result) -> dict:
    """`EntryResultSerializer(...).data` written out, as DRF's fields give each value.

    It answers every entry post (the hot path, bench.performance_entries), where building the
    serializer (DRF copies its 21 fields for each instance) cost more CPU than the answer itself.
    test_the_answer_to_a_post_is_what_the_serializer_gives keeps the two equal.
    """
    entry = result.entry
    return {
        "id": entry.pk,
        "employee": str(entry.employee.user.full_name),
        "date": entry.date.isoformat(),
        "start_time": entry.start_time.strftime("%H:%M"),
        "end_time": entry.end_time.strftime("%H:%M"),
        "activity": entry.activity_id,
        "activity_name": str(entry.title),
        "is_additional_task": bool(entry.is_additional_task),
        "description": str(entry.description),
        "volume": int(entry.volume),
        "output": str(entry.output),
        "evidence_sha256": str(entry.evidence_sha256),
        "evidence_link": str(entry.evidence_link),
        "is_official_travel": bool(entry.is_official_travel),
        "claimed_minutes": int(entry.claimed_minutes),
        "credited_minutes": int(entry.credited_minutes),
        "approved_minutes": entry.approved_minutes,
        "status": str(entry.status),
        "validation_reason": str(entry.validation_reason),
        "config_version": int(entry.config.version),
        "notice": str(result.notice),
    }


MONTH_PARAMETER = OpenApiParameter("month", str, description="TTTT-BB (default: bulan ini)")


# --- Employee ------------------------------------------------------------------------------------------


class ActivityListView(TenantAPIView):
    permission_classes = [IsTenantMember]

    @extend_schema(
        tags=TAGS,
        summary="Katalog aktivitas jabatan saya",
        parameters=[OpenApiParameter("date", datetime.date, description="Tanggal (default: hari ini)")],
        responses=ActivitySerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        employee = _employee(request)
        day = request.query_params.get("date")
        try:
            day = datetime.date.fromisoformat(day) if day else selectors.local_today(request.tenant)
        except ValueError:
            raise serializers.ValidationError({"date": [_("Tulis tanggal sebagai TTTT-BB-HH.")]}) from None
        config = selectors.config_for_date(request.tenant, day)
        items = selectors.catalogue_for(employee, config) if config else []
        return Response(ActivitySerializer(items, many=True).data)


class EntryListView(TenantAPIView):
    permission_classes = [IsTenantMember]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        summary="Aktivitas saya sebulan",
        parameters=[MONTH_PARAMETER],
        responses=EntrySerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        employee = _employee(request)
        year, month = _month(request)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(
            selectors.list_entries_for_month(employee, year, month).select_related(
                "config", "employee__user"
            ),
            request,
            view=self,
        )
        return paginator.get_paginated_response(EntrySerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Catat aktivitas",
        request=EntryInputSerializer,
        responses={201: EntryResultSerializer},
    )
    def post(self, request, *args, **kwargs):
        # log_entry refuses a non-employee itself (403, same message) while it locks the row.
        serializer = EntryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = actions.log_entry(
            actor=request.user,
            day=data["date"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            volume=data["volume"],
            output=data["output"],
            activity_id=data.get("activity"),
            is_additional_task=data["is_additional_task"],
            description=data["description"],
            evidence_file=data.get("evidence"),
            evidence_link=data["evidence_link"],
            is_official_travel=data["is_official_travel"],
        )
        return Response(_entry_data(result), status=status.HTTP_201_CREATED)


class EntryDetailView(TenantAPIView):
    permission_classes = [IsTenantMember]

    @extend_schema(tags=TAGS, summary="Satu aktivitas", responses=EntrySerializer)
    def get(self, request, entry_id: int, *args, **kwargs):
        return Response(EntrySerializer(_entry(request, entry_id)).data)

    @extend_schema(
        tags=TAGS,
        summary="Ubah aktivitas (selama diajukan)",
        request=EntryPatchSerializer,
        responses=EntryResultSerializer,
    )
    def patch(self, request, entry_id: int, *args, **kwargs):
        entry = _entry(request, entry_id)
        serializer = EntryPatchSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        if "activity" in values:
            values["activity_id"] = values.pop("activity")
        result = actions.update_entry(actor=request.user, entry=entry, values=values)
        return Response(_entry_data(result))

    @extend_schema(tags=TAGS, summary="Hapus aktivitas (selama diajukan)", responses={204: None})
    def delete(self, request, entry_id: int, *args, **kwargs):
        actions.delete_entry(actor=request.user, entry=_entry(request, entry_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MonthView(TenantAPIView):
    permission_classes = [IsTenantMember]

    @extend_schema(
        tags=TAGS, summary="Ringkasan bulan saya", parameters=[MONTH_PARAMETER], responses=MonthSerializer
    )
    def get(self, request, *args, **kwargs):
        employee = _employee(request)
        year, month = _month(request)
        summary = selectors.month_summary(employee, year, month)
        estimate = selectors.tpp_estimate(employee, summary)
        data = {name: getattr(summary, name) for name in MonthSerializer().fields if hasattr(summary, name)}
        data["estimated_tpp"] = estimate.gross if estimate else None
        return Response(MonthSerializer(data).data)


class CheckView(TenantAPIView):
    permission_classes = [IsTenantMember]

    @extend_schema(
        tags=TAGS,
        summary="Presensi web (jam server)",
        request=CheckSerializer,
        responses={201: AttendanceEventSerializer},
    )
    def post(self, request, *args, **kwargs):
        serializer = CheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        event, notice = actions.check_in_out(
            actor=request.user,
            kind=data["kind"],
            client_time=data.get("client_time"),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
        )
        body = AttendanceEventSerializer(event).data
        body["notice"] = notice
        return Response(body, status=status.HTTP_201_CREATED)


class TerminalEventView(TenantAPIView):
    permission_classes = [HasTenantPermission.of(POST_ATTENDANCE_EVENTS)]

    @extend_schema(
        tags=TAGS,
        summary="Kejadian dari mesin presensi (idempoten)",
        request=TerminalEventSerializer,
        responses={201: AttendanceEventSerializer, 200: AttendanceEventSerializer},
    )
    def post(self, request, *args, **kwargs):
        serializer = TerminalEventSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        event, created = actions.record_terminal_event(
            actor=request.user,
            terminal_code=data["terminal"],
            event_id=data["event_id"],
            nip=data["nip"],
            kind=data["kind"],
            occurred_at=data["occurred_at"],
        )
        return Response(
            AttendanceEventSerializer(event).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class AbsenceListView(TenantAPIView):
    permission_classes = [IsTenantMember]

    @extend_schema(
        tags=TAGS,
        summary="Permohonan cuti/izin/sakit/dinas luar saya",
        responses=AbsenceSerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        employee = _employee(request)
        items = AbsenceRequest.objects.filter(employee=employee).select_related("employee__user")[:200]
        return Response(AbsenceSerializer(items, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Ajukan cuti/izin/sakit/dinas luar",
        request=AbsenceInputSerializer,
        responses={201: AbsenceSerializer},
    )
    def post(self, request, *args, **kwargs):
        _employee(request)
        serializer = AbsenceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = actions.request_absence(actor=request.user, **serializer.validated_data)
        return Response(AbsenceSerializer(item).data, status=status.HTTP_201_CREATED)


class CorrectionListView(TenantAPIView):
    permission_classes = [IsTenantMember]

    @extend_schema(tags=TAGS, summary="Koreksi presensi saya", responses=CorrectionSerializer(many=True))
    def get(self, request, *args, **kwargs):
        employee = _employee(request)
        items = AttendanceCorrection.objects.filter(employee=employee).select_related("employee__user")[:200]
        return Response(CorrectionSerializer(items, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Ajukan koreksi presensi",
        request=CorrectionInputSerializer,
        responses={201: CorrectionSerializer},
    )
    def post(self, request, *args, **kwargs):
        _employee(request)
        serializer = CorrectionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item = actions.request_correction(
            actor=request.user,
            day=data["date"],
            kind=data["kind"],
            corrected_time=data["corrected_time"],
            reason=data["reason"],
        )
        return Response(CorrectionSerializer(item).data, status=status.HTTP_201_CREATED)


# --- Supervisor -------------------------------------------------------------------------------------------


class ValidationQueueView(TenantAPIView):
    permission_classes = [IsTenantMember]

    @extend_schema(
        tags=TAGS,
        summary="Aktivitas bawahan langsung yang menunggu validasi",
        parameters=[OpenApiParameter("date", datetime.date, description="Hanya tanggal ini")],
        responses=EntrySerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        day = request.query_params.get("date")
        try:
            day = datetime.date.fromisoformat(day) if day else None
        except ValueError:
            raise serializers.ValidationError({"date": [_("Tulis tanggal sebagai TTTT-BB-HH.")]}) from None
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(
            selectors.list_entries_to_validate(request.user, day=day).select_related("config"),
            request,
            view=self,
        )
        return paginator.get_paginated_response(EntrySerializer(page, many=True).data)


class ValidateView(TenantAPIView):
    permission_classes = [IsTenantMember]

    @extend_schema(
        tags=TAGS,
        summary="Validasi satu aktivitas",
        request=EntryDecisionSerializer,
        responses=EntrySerializer,
    )
    def post(self, request, entry_id: int, *args, **kwargs):
        entry = _entry(request, entry_id)
        serializer = EntryDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actions.validate_entry(
            actor=request.user,
            entry=entry,
            decision=data["decision"],
            reason=data["reason"],
            approved_minutes=data.get("approved_minutes"),
            request=request,
        )
        return Response(EntrySerializer(entry).data)


class BulkValidateView(TenantAPIView):
    permission_classes = [IsTenantMember]

    @extend_schema(
        tags=TAGS,
        summary="Validasi banyak aktivitas (pilihan atau satu hari)",
        request=BulkDecisionSerializer,
        responses=BulkResultSerializer,
    )
    def post(self, request, *args, **kwargs):
        serializer = BulkDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data.get("date"):
            entries = list(selectors.list_entries_to_validate(request.user, day=data["date"]))
        elif data.get("entry_ids"):
            entries = [_entry(request, entry_id) for entry_id in data["entry_ids"]]
        else:
            raise serializers.ValidationError(
                {"entry_ids": [_("Pilih aktivitas atau tanggal yang akan divalidasi.")]}
            )
        result = actions.validate_entries(
            actor=request.user,
            entries=entries,
            decision=data["decision"],
            reason=data["reason"],
            request=request,
        )
        return Response(
            {
                "approved_or_rejected": [entry.pk for entry in result.done],
                "refused": [{"id": entry.pk, "message": message} for entry, message in result.refused],
            }
        )


class _RequestDecideView(TenantAPIView):
    """POST {decision, reason} on a request the actor may see; subclasses name what differs."""

    permission_classes = [IsTenantMember]
    model = None
    lookup_kwarg = ""
    serializer_class = None

    def get_item(self, user, pk):
        raise NotImplementedError

    def decide(self, **kwargs):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            item = self.get_item(request.user, kwargs[self.lookup_kwarg])
        except self.model.DoesNotExist:
            raise NotFound() from None
        serializer = RequestDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        self.decide(
            actor=request.user,
            item=item,
            approve=data["decision"] == "approve",
            reason=data["reason"],
            request=request,
        )
        return Response(self.serializer_class(item).data)


@extend_schema_view(
    post=extend_schema(
        tags=TAGS,
        summary="Setujui/tolak permohonan",
        request=RequestDecisionSerializer,
        responses=AbsenceSerializer,
    )
)
class AbsenceDecideView(_RequestDecideView):
    model = AbsenceRequest
    lookup_kwarg = "request_id"
    serializer_class = AbsenceSerializer

    def get_item(self, user, pk):
        return selectors.access_absence_by_id(user, pk)

    def decide(self, **kwargs):
        return actions.decide_absence(**kwargs)


@extend_schema_view(
    post=extend_schema(
        tags=TAGS,
        summary="Setujui/tolak koreksi presensi (atasan langsung, lalu admin kepegawaian)",
        request=RequestDecisionSerializer,
        responses=CorrectionSerializer,
    )
)
class CorrectionDecideView(_RequestDecideView):
    model = AttendanceCorrection
    lookup_kwarg = "correction_id"
    serializer_class = CorrectionSerializer

    def get_item(self, user, pk):
        return selectors.access_correction_by_id(user, pk)

    def decide(self, **kwargs):
        return actions.decide_correction(**kwargs)


# --- Personnel administration (admin kepegawaian OPD, BKPSDM) and read-only review --------------------


class EmployeeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="user.full_name")
    nip = serializers.CharField(source="user.nip")
    org_unit = serializers.CharField(source="org_unit.code")
    position = serializers.CharField(source="position.title", allow_null=True, default=None)
    job_class = serializers.IntegerField()
    job_family = serializers.CharField()
    employment_type = serializers.CharField()
    status = serializers.CharField()


class EmployeeInputSerializer(serializers.Serializer):
    nip = serializers.CharField(max_length=18)
    org_unit = serializers.CharField(max_length=30, help_text="Kode perangkat daerah, misalnya 2.18")
    position = serializers.IntegerField(required=False, allow_null=True)
    job_class = serializers.IntegerField(min_value=1, max_value=17)
    job_family = serializers.SlugField(required=False, allow_blank=True, default="")
    employment_type = serializers.ChoiceField(choices=["pns", "pppk", "cpns"])


class ApelInputSerializer(serializers.Serializer):
    employee = serializers.IntegerField()
    date = serializers.DateField()


class EmployeeListView(TenantAPIView):
    permission_classes = [IsTenantMember]

    @extend_schema(
        tags=TAGS,
        summary="Pegawai yang dapat Anda lihat (admin OPD, BKPSDM, inspektorat)",
        responses=EmployeeSerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.list_employees(request.user), request, view=self)
        return paginator.get_paginated_response(EmployeeSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Daftarkan pegawai ASN ke e-Kinerja",
        request=EmployeeInputSerializer,
        responses={201: EmployeeSerializer},
    )
    def post(self, request, *args, **kwargs):
        from praja.core.accounts.models import OrgUnit, Position, User

        serializer = EmployeeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        org_unit = OrgUnit.objects.filter(code=data["org_unit"]).first()
        user = User.objects.filter(nip=data["nip"]).first()
        if org_unit is None:
            raise serializers.ValidationError(
                {"org_unit": [_("Perangkat daerah itu tidak ada di daerah ini.")]}
            )
        if user is None:
            raise serializers.ValidationError({"nip": [_("Tidak ada akun dengan NIP itu.")]})
        position = None
        if data.get("position"):
            position = Position.objects.filter(pk=data["position"]).first()
            if position is None:
                raise serializers.ValidationError({"position": [_("Jabatan itu tidak ada di daerah ini.")]})
        employee = actions.register_employee(
            actor=request.user,
            user=user,
            org_unit=org_unit,
            position=position,
            job_class=data["job_class"],
            job_family=data["job_family"],
            employment_type=data["employment_type"],
        )
        return Response(EmployeeSerializer(employee).data, status=status.HTTP_201_CREATED)


class EmployeeMonthView(TenantAPIView):
    permission_classes = [IsTenantMember]

    @extend_schema(
        tags=TAGS,
        summary="Ringkasan bulan seorang pegawai (atasan, admin, inspektorat)",
        parameters=[MONTH_PARAMETER],
        responses=MonthSerializer,
    )
    def get(self, request, employee_id: int, *args, **kwargs):
        from praja.modules.performance.models import Employee

        try:
            employee = selectors.access_employee_by_id(request.user, employee_id)
        except Employee.DoesNotExist:
            raise NotFound() from None
        year, month = _month(request)
        summary = selectors.month_summary(employee, year, month)
        estimate = selectors.tpp_estimate(employee, summary)
        data = {name: getattr(summary, name) for name in MonthSerializer().fields if hasattr(summary, name)}
        data["estimated_tpp"] = estimate.gross if estimate else None
        return Response(MonthSerializer(data).data)


class ApelAbsenceView(TenantAPIView):
    permission_classes = [IsTenantMember]

    @extend_schema(
        tags=TAGS,
        summary="Catat pegawai tidak ikut apel",
        request=ApelInputSerializer,
        responses={201: ApelInputSerializer},
    )
    def post(self, request, *args, **kwargs):
        from praja.modules.performance.models import Employee

        serializer = ApelInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            employee = selectors.access_employee_by_id(request.user, data["employee"])
        except Employee.DoesNotExist:
            raise NotFound() from None
        actions.record_apel_absence(actor=request.user, employee=employee, day=data["date"])
        return Response({"employee": employee.pk, "date": data["date"]}, status=status.HTTP_201_CREATED)
