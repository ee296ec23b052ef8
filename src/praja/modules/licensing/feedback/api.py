"""REST endpoints of the survey and complaints under /t/<slug>/api/v1/licensing/ (thin).

Each endpoint parses, calls one action or selector, and answers; refusals use the error envelope.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from praja.core.api.base import TenantAPIView
from praja.core.api.permissions import IsTenantMember, IsTenantOfficial
from praja.modules.licensing.feedback import actions, ratelimit, rules, selectors
from praja.modules.licensing.feedback.constants import (
    AgeBand,
    ComplaintBand,
    Education,
    Occupation,
    Sex,
)

# Serializers -----------------------------------------------------------------------------------


class ElementSerializer(serializers.Serializer):
    code = serializers.CharField()
    total = serializers.IntegerField()
    answered = serializers.IntegerField()
    nrr = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True)


class IkmResultSerializer(serializers.Serializer):
    respondents = serializers.IntegerField()
    exact = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, help_text="IKM with the weight 1/9"
    )
    official = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text="IKM with the published weight 0.111 (graded)",
    )
    grade = serializers.CharField()
    grade_label = serializers.CharField()
    elements = ElementSerializer(many=True)


class IkmRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="key", allow_null=True)
    name = serializers.CharField()
    ikm = IkmResultSerializer(source="result")


class IkmReportSerializer(serializers.Serializer):
    period = serializers.CharField()
    period_label = serializers.CharField()
    overall = IkmResultSerializer()
    by_permit_type = IkmRowSerializer(many=True)
    by_org_unit = IkmRowSerializer(many=True)


class DemographicsSerializer(serializers.Serializer):
    age_band = serializers.ChoiceField(choices=AgeBand.choices)
    sex = serializers.ChoiceField(choices=Sex.choices)
    education = serializers.ChoiceField(choices=Education.choices)
    occupation = serializers.ChoiceField(choices=Occupation.choices)


class SurveyInputSerializer(DemographicsSerializer):
    application_id = serializers.IntegerField()
    answers = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=4),
        help_text="Scores 1–4 keyed by element code U1…U9",
    )
    suggestion = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class KioskSurveyInputSerializer(DemographicsSerializer):
    permit_type_code = serializers.CharField(required=False, allow_blank=True, default="")
    answers = serializers.DictField(child=serializers.IntegerField(min_value=1, max_value=4))
    suggestion = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class SurveyCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    channel = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class ComplaintInputSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000)
    application_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=30)
    permit_type_code = serializers.CharField(required=False, allow_blank=True, default="")
    contact_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    contact_email = serializers.CharField(required=False, allow_blank=True, default="", max_length=254)
    contact_phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    lapor_reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)


class ComplaintPublicSerializer(serializers.Serializer):
    """What a complainant sees: status, dates, the answer; never officials' names."""

    id = serializers.IntegerField()
    number = serializers.CharField()
    subject = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    band = serializers.CharField()
    received_at = serializers.DateTimeField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    rejection_reason = serializers.CharField()
    application_number = serializers.CharField(source="application.tracking_number", default=None)
    lapor_reference = serializers.CharField()


class ComplaintOfficialSerializer(ComplaintPublicSerializer):
    description = serializers.CharField()
    contact_name = serializers.CharField()
    contact_email = serializers.CharField()
    contact_phone = serializers.CharField()
    complainant_id = serializers.IntegerField(allow_null=True)
    assigned_to_id = serializers.IntegerField(allow_null=True)
    assigned_org_unit_id = serializers.IntegerField(allow_null=True)


class ComplaintCreatedSerializer(serializers.Serializer):
    number = serializers.CharField()
    access_code = serializers.CharField()
    status = serializers.CharField()
    received_at = serializers.DateTimeField()


class ComplaintTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["assign", "reassign", "answer", "close", "reject", "lapor"])
    band = serializers.ChoiceField(choices=ComplaintBand.choices, required=False)
    assignee_id = serializers.IntegerField(required=False)
    org_unit_id = serializers.IntegerField(required=False, allow_null=True)
    answer = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    lapor_reference = serializers.CharField(required=False, allow_blank=True, default="")
    expected_version = serializers.IntegerField(required=False)


class TrackInputSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=20)
    access_code = serializers.CharField(max_length=40)


class RegisterSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    total = serializers.IntegerField()
    answered = serializers.IntegerField()
    answered_within_deadline = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    by_band = serializers.DictField(child=serializers.IntegerField())
    by_month = serializers.DictField(child=serializers.IntegerField())


# Helpers ---------------------------------------------------------------------------------------


def _permit_type_by_code(code: str):
    if not code:
        return None
    permit_type = selectors.list_permit_types_for_forms().filter(code=code).first()
    if permit_type is None:
        raise ValidationError({"permit_type_code": [_("Jenis izin dengan kode ini tidak ditemukan.")]})
    return permit_type


def _throttled(error: ratelimit.RateLimited) -> Throttled:
    return Throttled(wait=error.retry_after, detail=error.message)


# Endpoints -------------------------------------------------------------------------------------


class IkmView(TenantAPIView):
    """Published IKM figures (PermenPANRB 14/2017) of the tenant, per permit type and per office."""

    permission_classes = [AllowAny]

    @extend_schema(responses=IkmReportSerializer, operation_id="licensing_ikm")
    def get(self, request):
        text = request.query_params.get("period") or str(timezone.localdate().year)
        try:
            period = rules.parse_period(text)
        except rules.PeriodError as error:
            raise ValidationError({"period": [str(error)]}) from error
        data = {
            "period": period.code,
            "period_label": period.label,
            "overall": selectors.ikm_for_tenant(period),
            "by_permit_type": selectors.list_ikm_by_permit_type(period),
            "by_org_unit": selectors.list_ikm_by_org_unit(period),
        }
        return Response(IkmReportSerializer(data).data)


class SurveyView(TenantAPIView):
    """The applicant's survey for an issued application (once per application)."""

    permission_classes = [IsTenantMember]

    @extend_schema(
        request=SurveyInputSerializer,
        responses={201: SurveyCreatedSerializer},
        operation_id="licensing_survey_submit",
    )
    def post(self, request):
        from praja.modules.licensing.selectors import access_application_by_id

        payload = SurveyInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            application = access_application_by_id(request.user, data["application_id"])
        except Exception as error:
            raise NotFound() from error
        if application.applicant_id != request.user.pk:
            raise NotFound()
        response = actions.submit_survey_response(
            actor=request.user,
            application=application,
            answers=data["answers"],
            demographics={name: data[name] for name in ("age_band", "sex", "education", "occupation")},
            suggestion=data["suggestion"],
        )
        return Response(SurveyCreatedSerializer(response).data, status=status.HTTP_201_CREATED)


class KioskSurveyView(TenantAPIView):
    """An anonymous walk-in response (kiosk), rate-limited per address."""

    permission_classes = [AllowAny]

    @extend_schema(
        request=KioskSurveyInputSerializer,
        responses={201: SurveyCreatedSerializer},
        operation_id="licensing_survey_kiosk",
    )
    def post(self, request):
        payload = KioskSurveyInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            response = actions.submit_kiosk_survey(
                permit_type=_permit_type_by_code(data["permit_type_code"]),
                answers=data["answers"],
                demographics={name: data[name] for name in ("age_band", "sex", "education", "occupation")},
                suggestion=data["suggestion"],
                client_key=ratelimit.client_key(request),
            )
        except ratelimit.RateLimited as error:
            raise _throttled(error) from error
        return Response(SurveyCreatedSerializer(response).data, status=status.HTTP_201_CREATED)


class ComplaintListView(TenantAPIView):
    """GET: the caller's complaints (officials: those they handle). POST: file a complaint (public)."""

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsTenantMember()]

    @extend_schema(responses=ComplaintPublicSerializer(many=True), operation_id="licensing_complaints_list")
    def get(self, request):
        if selectors.can_handle_complaints(request.user) or IsTenantOfficial().has_permission(request, self):
            complaints = selectors.list_complaints_for_handling(request.user)
            return Response(ComplaintOfficialSerializer(complaints, many=True).data)
        return Response(
            ComplaintPublicSerializer(selectors.list_complaints_for_user(request.user), many=True).data
        )

    @extend_schema(
        request=ComplaintInputSerializer,
        responses={201: ComplaintCreatedSerializer},
        operation_id="licensing_complaints_create",
    )
    def post(self, request):
        from praja.core.api.permissions import is_member_of_tenant
        from praja.modules.licensing.feedback.constants import ComplaintChannel

        payload = ComplaintInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        user = request.user
        actor = user if user.is_authenticated and is_member_of_tenant(user, request.tenant) else None
        try:
            complaint, token = actions.submit_complaint(
                actor=actor,
                subject=data["subject"],
                description=data["description"],
                application_number=data["application_number"],
                permit_type=_permit_type_by_code(data["permit_type_code"]),
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                contact_phone=data["contact_phone"],
                lapor_reference=data["lapor_reference"],
                channel=ComplaintChannel.LAPOR if data["lapor_reference"] else ComplaintChannel.API,
                client_key=ratelimit.client_key(request),
            )
        except ratelimit.RateLimited as error:
            raise _throttled(error) from error
        body = {
            "number": complaint.number,
            "access_code": token,
            "status": complaint.status,
            "received_at": complaint.received_at,
        }
        return Response(ComplaintCreatedSerializer(body).data, status=status.HTTP_201_CREATED)


def _complaint_body(request, complaint):
    if complaint.complainant_id == request.user.pk:
        return ComplaintPublicSerializer(complaint).data
    return ComplaintOfficialSerializer(complaint).data


class ComplaintDetailView(TenantAPIView):
    permission_classes = [IsTenantMember]

    @extend_schema(responses=ComplaintOfficialSerializer, operation_id="licensing_complaint_detail")
    def get(self, request, complaint_id: int):
        complaint = selectors.access_complaint_by_id(request.user, complaint_id)
        return Response(_complaint_body(request, complaint))


class ComplaintTransitionView(TenantAPIView):
    """Move a complaint: assign, reassign, answer, close, reject; or record its LAPOR! ticket."""

    permission_classes = [IsTenantMember]

    @extend_schema(
        request=ComplaintTransitionSerializer,
        responses=ComplaintOfficialSerializer,
        operation_id="licensing_complaint_transition",
    )
    def post(self, request, complaint_id: int):
        from praja.core.accounts.models import OrgUnit

        complaint = selectors.access_complaint_by_id(request.user, complaint_id)
        payload = ComplaintTransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        action = data["action"]
        user = request.user
        assignee = None
        if "assignee_id" in data:
            assignee = selectors.list_assignable_officials().filter(pk=data["assignee_id"]).first()
        org_unit = OrgUnit.objects.filter(pk=data.get("org_unit_id") or 0).first()
        if action in {"assign", "reassign"} and assignee is None:
            raise ValidationError({"assignee_id": [_("Pilih pejabat pemerintah daerah ini yang aktif.")]})
        if action == "assign":
            if "band" not in data:
                raise ValidationError({"band": [_("Pilih kategori penyelesaian pengaduan.")]})
            actions.assign_complaint(
                actor=user,
                complaint=complaint,
                band=data["band"],
                assignee=assignee,
                org_unit=org_unit,
                request=request,
            )
        elif action == "reassign":
            actions.reassign_complaint(
                actor=user,
                complaint=complaint,
                assignee=assignee,
                reason=data["reason"],
                org_unit=org_unit,
                request=request,
            )
        elif action == "answer":
            actions.answer_complaint(actor=user, complaint=complaint, answer=data["answer"], request=request)
        elif action == "close":
            actions.close_complaint(actor=user, complaint=complaint, request=request)
        elif action == "reject":
            actions.reject_complaint(actor=user, complaint=complaint, reason=data["reason"], request=request)
        else:
            actions.set_lapor_reference(actor=user, complaint=complaint, reference=data["lapor_reference"])
        return Response(_complaint_body(request, complaint))


class ComplaintTrackView(TenantAPIView):
    """A complaint's status for whoever holds its number and access code (anonymous complainants)."""

    permission_classes = [AllowAny]

    @extend_schema(
        request=TrackInputSerializer,
        responses=ComplaintPublicSerializer,
        operation_id="licensing_complaint_track",
    )
    def post(self, request):
        payload = TrackInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            ratelimit.hit(tenant=request.tenant, scope="track", key=ratelimit.client_key(request), limit=60)
        except ratelimit.RateLimited as error:
            raise _throttled(error) from error
        complaint = selectors.get_complaint_by_access_code(
            payload.validated_data["number"], payload.validated_data["access_code"]
        )
        if complaint is None:
            raise NotFound()
        return Response(ComplaintPublicSerializer(complaint).data)


class ComplaintRegisterView(TenantAPIView):
    """The public complaint register: counts only, no personal data."""

    permission_classes = [AllowAny]

    @extend_schema(responses=RegisterSerializer, operation_id="licensing_complaint_register")
    def get(self, request):
        try:
            year = int(request.query_params.get("year") or timezone.localdate().year)
        except ValueError as error:
            raise ValidationError({"year": [_("Tahun harus berupa angka, misalnya 2026.")]}) from error
        register = selectors.get_complaint_register(year)
        body = {
            "year": year,
            "total": register.total,
            "answered": register.answered,
            "answered_within_deadline": register.answered_within_deadline,
            "by_status": {value: count for value, _label, count in register.by_status},
            "by_band": dict(
                zip(ComplaintBand.values, [count for _label, count in register.by_band], strict=True)
            ),
            "by_month": {f"{index + 1:02d}": count for index, (_name, count) in enumerate(register.by_month)},
        }
        return Response(RegisterSerializer(body).data)
