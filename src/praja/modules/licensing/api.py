"""REST endpoints of licensing under /t/<slug>/api/v1/licensing/ (thin over actions and selectors).

Public:     GET permit-types/, GET permit-types/<code>/
Applicant:  GET|POST applications/, GET|PATCH applications/<id>/, POST applications/<id>/documents/,
            POST applications/<id>/submit/ | resubmit/ | withdraw/
Officials:  GET queue/, POST applications/<id>/out-of-turn/ | complete/ | return/ | register/ |
            assign-team/ | inspection/ | recommend/ | decide/, POST permits/<id>/revoke/, GET performance/
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from praja.core.api.base import TenantAPIView
from praja.core.api.permissions import HasTenantPermission
from praja.core.api.steps import CaseStepView, step_builder
from praja.core.workflow.selectors import get_case_timeline
from praja.modules.licensing import actions, selectors
from praja.modules.licensing.models import Application, Permit, PermitStatus
from praja.modules.licensing.permissions import (
    ASSIGN_TEAM,
    CHECK_COMPLETENESS,
    DECIDE,
    REGISTER,
    REVIEW,
    REVOKE,
    VIEW_APPLICATIONS,
)

TAGS = ["licensing"]


# --- Serializers -----------------------------------------------------------------------------------


class RequirementSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    is_mandatory = serializers.BooleanField()
    condition = serializers.CharField()
    accepted_types = serializers.ListField(child=serializers.CharField(), source="accepted_type_list")
    check_name = serializers.CharField()


class FormFieldSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    required = serializers.BooleanField()
    choices = serializers.SerializerMethodField()

    def get_choices(self, obj) -> list[list[str]]:
        return [list(pair) for pair in obj.choice_list]


class PermitTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    legal_basis = serializers.CharField()
    responsible_office = serializers.SerializerMethodField()
    sla_working_days = serializers.IntegerField()
    needs_field_inspection = serializers.BooleanField()
    fee_kind = serializers.CharField()
    fee_amount = serializers.IntegerField()
    fee_formula = serializers.CharField()
    fee_legal_basis = serializers.CharField()
    validity_months = serializers.IntegerField(allow_null=True)
    allows_organisation = serializers.BooleanField()
    product = serializers.CharField()

    def get_responsible_office(self, obj) -> str | None:
        return obj.responsible_org_unit.name if obj.responsible_org_unit_id else None


class PermitTypeDetailSerializer(PermitTypeSerializer):
    requirement_version = serializers.IntegerField()
    requirements = RequirementSerializer(many=True)
    form_fields = FormFieldSerializer(many=True)
    procedure = serializers.CharField()
    complaint_handling = serializers.CharField()
    service_guarantee = serializers.CharField()


class DocumentSerializer(serializers.Serializer):
    requirement_code = serializers.CharField()
    file_id = serializers.IntegerField(source="stored_file_id")
    file_name = serializers.CharField(source="stored_file.original_name")
    valid_until = serializers.DateField(allow_null=True)


class TimelineEntrySerializer(serializers.Serializer):
    occurred_at = serializers.DateTimeField()
    label = serializers.CharField()
    to_status = serializers.CharField()
    to_label = serializers.CharField()
    actor_name = serializers.CharField()
    reason = serializers.CharField()


class SlaSerializer(serializers.Serializer):
    working_days = serializers.IntegerField()
    due_at = serializers.DateTimeField()
    working_days_left = serializers.IntegerField()
    is_paused = serializers.BooleanField()
    is_stopped = serializers.BooleanField()
    is_breached = serializers.BooleanField()


class ApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tracking_number = serializers.CharField(allow_null=True)
    registration_number = serializers.CharField()
    permit_type = serializers.CharField(source="permit_type.code")
    requirement_version = serializers.IntegerField(source="requirement_set.version")
    kind = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    organisation_name = serializers.CharField()
    representative_position = serializers.CharField()
    form_data = serializers.JSONField()
    fee_amount = serializers.IntegerField()
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    registered_at = serializers.DateTimeField(allow_null=True)
    issued_at = serializers.DateTimeField(allow_null=True)
    out_of_turn = serializers.SerializerMethodField()

    def get_out_of_turn(self, obj) -> bool:
        return obj.out_of_turn_at is not None


class ApplicationDetailSerializer(ApplicationSerializer):
    documents = serializers.SerializerMethodField()
    returns = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    sla = serializers.SerializerMethodField()
    permit = serializers.SerializerMethodField()

    def get_documents(self, obj) -> list[dict]:
        return DocumentSerializer(
            obj.documents.filter(is_current=True).select_related("stored_file"), many=True
        ).data

    def get_returns(self, obj) -> list[dict]:
        return [
            {
                "requirement_codes": item.requirement_codes,
                "reason": item.reason,
                "returned_at": item.returned_at,
                "answered_at": item.answered_at,
            }
            for item in obj.returns.all()
        ]

    def _timeline(self, obj):
        if not hasattr(self, "_cached_timeline"):
            self._cached_timeline = get_case_timeline(obj)
        return self._cached_timeline

    def get_timeline(self, obj) -> list[dict]:
        return TimelineEntrySerializer(self._timeline(obj).entries, many=True).data

    def get_sla(self, obj) -> dict | None:
        sla = self._timeline(obj).sla
        return SlaSerializer(sla).data if sla else None

    def get_permit(self, obj) -> dict | None:
        permit = Permit.objects.filter(application=obj).select_related("official_document").first()
        if permit is None:
            return None
        return {
            "id": permit.pk,
            "permit_number": permit.permit_number,
            "status": permit.status,
            "valid_from": permit.valid_from,
            "valid_until": permit.valid_until,
            "verification_code": permit.official_document.verification_code
            if permit.official_document
            else None,
        }


class StartSerializer(serializers.Serializer):
    permit_type = serializers.SlugField()
    idempotency_key = serializers.UUIDField()
    organisation_name = serializers.CharField(required=False, allow_blank=True, default="")
    organisation_id_number = serializers.CharField(required=False, allow_blank=True, default="")
    representative_position = serializers.CharField(required=False, allow_blank=True, default="")
    form_data = serializers.DictField(required=False, default=dict)


class FormDataSerializer(serializers.Serializer):
    form_data = serializers.DictField()


class UploadSerializer(serializers.Serializer):
    requirement_code = serializers.SlugField()
    file = serializers.FileField()
    valid_until = serializers.DateField(required=False, allow_null=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReturnSerializer(serializers.Serializer):
    requirement_codes = serializers.ListField(child=serializers.SlugField(), allow_empty=True)
    reason = serializers.CharField(allow_blank=True)


class AssignSerializer(serializers.Serializer):
    member_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class InspectionSerializer(serializers.Serializer):
    inspected_on = serializers.DateField()
    location = serializers.CharField()
    latitude = serializers.CharField()
    longitude = serializers.CharField()
    findings = serializers.CharField()
    is_compliant = serializers.BooleanField()
    photo = serializers.FileField()
    photo_latitude = serializers.CharField()
    photo_longitude = serializers.CharField()
    photo_caption = serializers.CharField(required=False, allow_blank=True, default="")


class ComplianceSerializer(serializers.Serializer):
    label = serializers.CharField()
    finished = serializers.IntegerField()
    within_sla = serializers.IntegerField()
    share = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


# --- Helpers ---------------------------------------------------------------------------------------


def _application(request, application_id: int) -> Application:
    try:
        return selectors.access_application_by_id(request.user, application_id)
    except Application.DoesNotExist:
        raise Http404 from None


def _detail(application: Application, code=status.HTTP_200_OK) -> Response:
    application.refresh_from_db()
    return Response(ApplicationDetailSerializer(application).data, status=code)


def _parsed(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- Public ------------------------------------------------------------------------------------------


class PermitTypeListView(TenantAPIView):
    """The published services of this region (public)."""

    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, auth=[], responses=PermitTypeSerializer(many=True))
    def get(self, request):
        return Response(PermitTypeSerializer(selectors.list_published_permit_types(), many=True).data)


class PermitTypeDetailView(TenantAPIView):
    """One published service with its requirements and form in force now (public)."""

    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, auth=[], responses=PermitTypeDetailSerializer)
    def get(self, request, permit_type_code: str):
        permit_type = selectors.get_published_permit_type(permit_type_code)
        version = selectors.get_current_requirement_set(permit_type) if permit_type else None
        if version is None:
            raise Http404
        permit_type.requirement_version = version.version
        permit_type.requirements = list(version.requirements.all())
        permit_type.form_fields = list(version.form_fields.all())
        return Response(PermitTypeDetailSerializer(permit_type).data)


# --- Applicant -------------------------------------------------------------------------------------


class ApplicationListView(TenantAPIView):
    """The caller's applications; POST starts one (the idempotency key makes a retry return the same)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, responses=ApplicationSerializer(many=True))
    def get(self, request):
        return Response(ApplicationSerializer(selectors.list_my_applications(request.user), many=True).data)

    @extend_schema(tags=TAGS, request=StartSerializer, responses={201: ApplicationDetailSerializer})
    def post(self, request):
        data = _parsed(StartSerializer, request)
        permit_type = selectors.get_published_permit_type(data["permit_type"])
        if permit_type is None:
            raise Http404
        application = actions.start_application(
            actor=request.user,
            permit_type=permit_type,
            idempotency_key=data["idempotency_key"],
            organisation_name=data["organisation_name"],
            organisation_id_number=data["organisation_id_number"],
            representative_position=data["representative_position"],
        )
        if data["form_data"] and application.status == "draft":
            actions.save_application_form(
                actor=request.user, application=application, values=data["form_data"]
            )
        return _detail(application, status.HTTP_201_CREATED)


class ApplicationDetailView(TenantAPIView):
    """One application with its documents, returns, timeline and SLA; PATCH saves form data (draft)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, responses=ApplicationDetailSerializer)
    def get(self, request, application_id: int):
        application = _application(request, application_id)
        actions.record_application_view(actor=request.user, application=application, request=request)
        return _detail(application)

    @extend_schema(tags=TAGS, request=FormDataSerializer, responses=ApplicationDetailSerializer)
    def patch(self, request, application_id: int):
        application = _application(request, application_id)
        data = _parsed(FormDataSerializer, request)
        actions.save_application_form(actor=request.user, application=application, values=data["form_data"])
        return _detail(application)


class DocumentUploadView(TenantAPIView):
    """Upload the file of one requirement (multipart)."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS, request={"multipart/form-data": UploadSerializer}, responses={201: DocumentSerializer}
    )
    def post(self, request, application_id: int):
        application = _application(request, application_id)
        data = _parsed(UploadSerializer, request)
        document = actions.upload_requirement_document(
            actor=request.user,
            application=application,
            requirement_code=data["requirement_code"],
            uploaded_file=data["file"],
            valid_until=data.get("valid_until"),
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class _ApplicationStep(CaseStepView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    case_kwarg = "application_id"
    request_serializer = ReasonSerializer
    detail_serializer = ApplicationDetailSerializer
    schema_tags = TAGS

    def get_case(self, request, case_id: int) -> Application:
        return selectors.access_application_by_id(request.user, case_id)


# One POST step endpoint over an action (praja.core.api.steps).
_step = step_builder(_ApplicationStep)


SubmitView = _step(
    "SubmitView",
    "Submit a complete draft (a repeat answers the same file).",
    lambda r, a, d: actions.submit_application(actor=r.user, application=a, request=r),
)
ResubmitView = _step(
    "ResubmitView",
    "Send a returned file back after fixing it.",
    lambda r, a, d: actions.resubmit_application(actor=r.user, application=a, request=r),
)
WithdrawView = _step(
    "WithdrawView",
    "Withdraw one's own application.",
    lambda r, a, d: actions.withdraw_application(actor=r.user, application=a, reason=d["reason"], request=r),
)


# --- Officials -------------------------------------------------------------------------------------


class QueueView(TenantAPIView):
    """The official's files, first in first out per permit type."""

    permission_classes = [HasTenantPermission.of(VIEW_APPLICATIONS)]

    @extend_schema(tags=TAGS, responses=ApplicationSerializer(many=True))
    def get(self, request):
        return Response(ApplicationSerializer(selectors.list_queue(request.user), many=True).data)


OutOfTurnView = _step(
    "OutOfTurnView",
    "Take a file out of turn with a written reason (flagged, audited).",
    lambda r, a, d: actions.take_out_of_turn(actor=r.user, application=a, reason=d["reason"], request=r),
    permission=VIEW_APPLICATIONS,
)
CompleteView = _step(
    "CompleteView",
    "Front office: the file is complete.",
    lambda r, a, d: actions.mark_application_complete(actor=r.user, application=a, request=r),
    permission=CHECK_COMPLETENESS,
)
ReturnView = _step(
    "ReturnView",
    "Return the file citing requirement codes and a reason.",
    lambda r, a, d: actions.return_application(
        actor=r.user, application=a, requirement_codes=d["requirement_codes"], reason=d["reason"], request=r
    ),
    permission=VIEW_APPLICATIONS,
    serializer=ReturnSerializer,
)
RegisterView = _step(
    "RegisterView",
    "Back office: register the file (the SLA clock starts).",
    lambda r, a, d: actions.register_application(actor=r.user, application=a, request=r),
    permission=REGISTER,
)


def _assign(request, application, data):
    from praja.core.accounts.models import User

    members = list(User.objects.filter(pk__in=data["member_ids"], is_active=True))
    if len(members) != len(set(data["member_ids"])):
        from django.core.exceptions import ValidationError

        raise ValidationError({"member_ids": _("Petugas tidak dikenal.")})
    actions.assign_technical_team(
        actor=request.user, application=application, members=members, notes=data["notes"], request=request
    )


AssignTeamView = _step(
    "AssignTeamView",
    "Back office: assign the technical team by letter.",
    _assign,
    permission=ASSIGN_TEAM,
    serializer=AssignSerializer,
)


def _inspect(request, application, data):
    actions.record_inspection(
        actor=request.user,
        application=application,
        inspected_on=data["inspected_on"],
        location=data["location"],
        latitude=data["latitude"],
        longitude=data["longitude"],
        findings=data["findings"],
        is_compliant=data["is_compliant"],
        photos=[
            {
                "file": data["photo"],
                "latitude": data["photo_latitude"],
                "longitude": data["photo_longitude"],
                "caption": data["photo_caption"],
            }
        ],
        request=request,
    )


class InspectionView(
    _step("_InspectionBase", "", _inspect, permission=REVIEW, serializer=InspectionSerializer)
):
    """Technical team: record the BAP with a geotagged photo (multipart)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        request={"multipart/form-data": InspectionSerializer},
        responses=ApplicationDetailSerializer,
    )
    def post(self, request, application_id: int):
        return super().post(request, application_id=application_id)


RecommendView = _step(
    "RecommendView",
    "Technical team: recommend approval or rejection with reasons.",
    lambda r, a, d: actions.recommend(
        actor=r.user, application=a, approve=d["decision"] == "approve", reason=d["reason"], request=r
    ),
    permission=REVIEW,
    serializer=DecisionSerializer,
)
DecideView = _step(
    "DecideView",
    "Head of DPMPTSP: approve or reject (second factor required).",
    lambda r, a, d: actions.decide_application(
        actor=r.user, application=a, approve=d["decision"] == "approve", reason=d["reason"], request=r
    ),
    permission=DECIDE,
    serializer=DecisionSerializer,
)


class RevokeView(TenantAPIView):
    """Head of DPMPTSP: revoke an issued permit with a reason (verification page says so at once)."""

    permission_classes = [HasTenantPermission.of(REVOKE)]

    @extend_schema(tags=TAGS, request=ReasonSerializer, responses=ApplicationDetailSerializer)
    def post(self, request, permit_id: int):
        try:
            permit = selectors.access_permit_by_id(request.user, permit_id)
        except Permit.DoesNotExist:
            raise Http404 from None
        data = _parsed(ReasonSerializer, request)
        if permit.status != PermitStatus.VALID:
            from django.core.exceptions import ValidationError

            raise ValidationError(_("Izin ini sudah tidak berlaku."))
        actions.revoke_permit(actor=request.user, permit=permit, reason=data["reason"], request=request)
        return _detail(permit.application)


class PerformanceView(TenantAPIView):
    """SLA compliance per permit type, office and official (heads, inspectors, admins)."""

    permission_classes = [HasTenantPermission.of(VIEW_APPLICATIONS)]

    @extend_schema(
        tags=TAGS,
        responses=inline_serializer(
            "LicensingPerformance",
            {
                "by_permit_type": ComplianceSerializer(many=True),
                "by_office": ComplianceSerializer(many=True),
                "by_official": ComplianceSerializer(many=True),
            },
        ),
    )
    def get(self, request):
        if not selectors.can_view_performance(request.user):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied()
        return Response(
            {
                "by_permit_type": ComplianceSerializer(
                    selectors.sla_compliance_by_permit_type(), many=True
                ).data,
                "by_office": ComplianceSerializer(selectors.sla_compliance_by_office(), many=True).data,
                "by_official": ComplianceSerializer(selectors.sla_compliance_by_official(), many=True).data,
            }
        )
