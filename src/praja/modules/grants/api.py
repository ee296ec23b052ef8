"""REST endpoints of the grants module under /t/<slug>/api/v1/grants/ (thin over actions and selectors).

Public:         GET programmes/, GET programmes/<code>/
Representative: GET|POST organisations/, GET organisations/<id>/, POST organisations/<id>/board-members/,
                POST organisations/<id>/bank-account/, POST organisations/<id>/submit/
                GET|POST proposals/, GET proposals/<id>/, PUT proposals/<id>/rab/,
                POST proposals/<id>/submit/ | resubmit/ | withdraw/
Officials:      GET queue/, POST proposals/<id>/checklist/ | return/ | review/ | route/ | evaluate/ |
                verify-amount/ | tapd/ | cancel/
Bansos (grants.manage_bansos): GET bansos/, GET bansos/<id>/, POST bansos/<id>/verify/ | screen/ | cancel/
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from praja.core.accounts.models import OrgUnit
from praja.core.api.base import TenantAPIView
from praja.core.api.permissions import HasTenantPermission
from praja.core.api.steps import CaseStepView, step_builder
from praja.core.workflow.selectors import get_case_timeline
from praja.modules.grants import actions, selectors
from praja.modules.grants.models import (
    BansosCase,
    BoardRole,
    Organisation,
    OrganisationKind,
    Proposal,
)
from praja.modules.grants.permissions import (
    CANCEL_PROPOSALS,
    CHECK_COMPLETENESS,
    CONSIDER_TAPD,
    EVALUATE,
    MANAGE_BANSOS,
    REVIEW_PROPOSALS,
    ROUTE_PROPOSALS,
    VERIFY_AMOUNT,
    VIEW_PROPOSALS,
)

TAGS = ["grants"]


# --- Serializers -----------------------------------------------------------------------------------


class RequiredDocumentSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()
    condition = serializers.CharField(allow_blank=True)


class ProgrammeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    budget_year = serializers.IntegerField()
    kind = serializers.CharField()
    is_planned = serializers.BooleanField()
    envelope = serializers.IntegerField()
    budget_line_code = serializers.CharField()
    max_amount_per_proposal = serializers.IntegerField(allow_null=True)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    lpj_deadline = serializers.DateField()


class ProgrammeDetailSerializer(ProgrammeSerializer):
    eligibility_rules = serializers.DictField()
    required_documents = RequiredDocumentSerializer(many=True)
    social_data_source = serializers.CharField(allow_blank=True)


class BoardMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField()
    full_name = serializers.CharField()
    nik = serializers.CharField()


class BankAccountSerializer(serializers.Serializer):
    bank_name = serializers.CharField()
    account_number = serializers.CharField()
    holder_name = serializers.CharField()
    is_verified = serializers.BooleanField()


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    acronym = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    deed_number = serializers.CharField()
    kemenkumham_sk_number = serializers.CharField()
    npwp = serializers.CharField()
    registered_on = serializers.DateField(allow_null=True)
    address = serializers.CharField()
    area = serializers.CharField(source="area_id", allow_null=True)
    exemption = serializers.CharField(source="exemption.code", allow_null=True, default=None)
    board_members = BoardMemberSerializer(many=True)
    bank_account = serializers.SerializerMethodField()

    def get_bank_account(self, obj) -> dict | None:
        account = obj.bank_accounts.filter(is_active=True).first()
        return BankAccountSerializer(account).data if account else None


class OrganisationCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    acronym = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    deed_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    deed_date = serializers.DateField(required=False, allow_null=True, default=None)
    kemenkumham_sk_number = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    npwp = serializers.CharField(max_length=25, required=False, allow_blank=True, default="")
    registered_on = serializers.DateField(required=False, allow_null=True, default=None)
    has_permanent_secretariat = serializers.BooleanField(required=False, default=False)
    address = serializers.CharField(max_length=300)
    area = serializers.CharField(max_length=13, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class BoardMemberCreateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=BoardRole.choices)
    full_name = serializers.CharField(max_length=150)
    nik = serializers.CharField(max_length=20)


class BankAccountCreateSerializer(serializers.Serializer):
    bank_name = serializers.CharField(max_length=100)
    account_number = serializers.CharField(max_length=30)
    holder_name = serializers.CharField(max_length=200)


class RabLineSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=200)
    volume = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    unit = serializers.CharField(max_length=30)
    unit_price = serializers.IntegerField(min_value=0)
    subtotal = serializers.IntegerField(read_only=True)


class RabSerializer(serializers.Serializer):
    lines = RabLineSerializer(many=True)


class StageReviewSerializer(serializers.Serializer):
    stage = serializers.CharField()
    action = serializers.CharField()
    actor = serializers.CharField(source="actor.full_name")
    amount = serializers.IntegerField(allow_null=True)
    missing_codes = serializers.ListField(child=serializers.CharField())
    remarks = serializers.CharField()
    created_at = serializers.DateTimeField()


class TimelineEntrySerializer(serializers.Serializer):
    occurred_at = serializers.DateTimeField()
    label = serializers.CharField()
    to_status = serializers.CharField()
    to_label = serializers.CharField()
    actor_name = serializers.CharField()
    reason = serializers.CharField()


class ProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    programme = serializers.CharField(source="programme.code")
    organisation_id = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    purpose = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    amount_requested = serializers.IntegerField()
    recommended_amount = serializers.IntegerField(allow_null=True)
    verified_amount = serializers.IntegerField(allow_null=True)
    tapd_amount = serializers.IntegerField(allow_null=True)
    agreed_amount = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    version = serializers.IntegerField()
    submitted_at = serializers.DateTimeField(allow_null=True)


class ProposalDetailSerializer(ProposalSerializer):
    rab_lines = RabLineSerializer(many=True)
    stage_reviews = StageReviewSerializer(many=True)
    timeline = serializers.SerializerMethodField()

    def get_timeline(self, obj) -> list[dict]:
        return TimelineEntrySerializer(get_case_timeline(obj).entries, many=True).data


class ProposalCreateSerializer(serializers.Serializer):
    programme = serializers.SlugField()
    organisation_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    idempotency_key = serializers.UUIDField()
    title = serializers.CharField(max_length=200)
    purpose = serializers.CharField()
    background = serializers.CharField(required=False, allow_blank=True, default="")
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    amount_requested = serializers.IntegerField(min_value=1)
    is_construction = serializers.BooleanField(required=False, default=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ChecklistSerializer(serializers.Serializer):
    checklist = serializers.DictField(child=serializers.BooleanField())
    remarks = serializers.CharField(required=False, allow_blank=True, default="")


class ReturnSerializer(serializers.Serializer):
    missing_codes = serializers.ListField(child=serializers.SlugField(), allow_empty=True)
    reason = serializers.CharField(allow_blank=True)


class DecisionSerializer(serializers.Serializer):
    proceed = serializers.BooleanField()
    remarks = serializers.CharField(required=False, allow_blank=True, default="")


class RouteSerializer(serializers.Serializer):
    org_unit_id = serializers.IntegerField()
    remarks = serializers.CharField(required=False, allow_blank=True, default="")


class EvaluationSerializer(DecisionSerializer):
    amount = serializers.IntegerField(required=False, allow_null=True, min_value=0, default=None)
    field_check_date = serializers.DateField(required=False, allow_null=True, default=None)
    checklist = serializers.DictField(child=serializers.BooleanField(), required=False, default=dict)


class AmountSerializer(DecisionSerializer):
    amount = serializers.IntegerField(required=False, allow_null=True, min_value=0, default=None)
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class QueueItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    title = serializers.CharField()
    recipient = serializers.CharField(source="recipient_name")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")


# --- Helpers ---------------------------------------------------------------------------------------


def _parsed(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _proposal(request, proposal_id: int) -> Proposal:
    try:
        return selectors.access_proposal_by_id(request.user, proposal_id)
    except Proposal.DoesNotExist:
        raise Http404 from None


def _organisation(request, organisation_id: int) -> Organisation:
    try:
        return selectors.access_organisation_by_id(request.user, organisation_id)
    except Organisation.DoesNotExist:
        raise Http404 from None


def _proposal_detail(proposal: Proposal, code=status.HTTP_200_OK) -> Response:
    proposal.refresh_from_db()
    return Response(ProposalDetailSerializer(proposal).data, status=code)


def _organisation_detail(organisation: Organisation, code=status.HTTP_200_OK) -> Response:
    organisation.refresh_from_db()
    return Response(OrganisationSerializer(organisation).data, status=code)


# --- Public ------------------------------------------------------------------------------------------


class ProgrammeListView(TenantAPIView):
    """The published hibah and bansos programmes of this region (public)."""

    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, auth=[], responses=ProgrammeSerializer(many=True))
    def get(self, request):
        return Response(ProgrammeSerializer(selectors.list_published_programmes(), many=True).data)


class ProgrammeDetailView(TenantAPIView):
    """One published programme with its eligibility rules and document checklist (public)."""

    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, auth=[], responses=ProgrammeDetailSerializer)
    def get(self, request, programme_code: str):
        programme = selectors.get_published_programme(programme_code)
        if programme is None:
            raise Http404
        return Response(ProgrammeDetailSerializer(programme).data)


# --- Organisations -----------------------------------------------------------------------------------


class OrganisationListView(TenantAPIView):
    """The organisations the caller represents; POST registers one (draft)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, responses=OrganisationSerializer(many=True))
    def get(self, request):
        return Response(OrganisationSerializer(selectors.list_organisations_of(request.user), many=True).data)

    @extend_schema(tags=TAGS, request=OrganisationCreateSerializer, responses={201: OrganisationSerializer})
    def post(self, request):
        data = dict(_parsed(OrganisationCreateSerializer, request))
        data["area"] = data.get("area") or None
        organisation = actions.register_organisation(actor=request.user, **data)
        return _organisation_detail(organisation, status.HTTP_201_CREATED)


class OrganisationDetailView(TenantAPIView):
    """One organisation (its representatives, or grants officials once submitted)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, responses=OrganisationSerializer)
    def get(self, request, organisation_id: int):
        return _organisation_detail(_organisation(request, organisation_id))


class BoardMemberView(TenantAPIView):
    """Add a board member (valid 16-digit NIK, once per board)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, request=BoardMemberCreateSerializer, responses={201: OrganisationSerializer})
    def post(self, request, organisation_id: int):
        organisation = _organisation(request, organisation_id)
        actions.add_board_member(
            actor=request.user, organisation=organisation, **_parsed(BoardMemberCreateSerializer, request)
        )
        return _organisation_detail(organisation, status.HTTP_201_CREATED)


class BankAccountView(TenantAPIView):
    """Set the organisation's bank account (holder must be the organisation)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, request=BankAccountCreateSerializer, responses={201: OrganisationSerializer})
    def post(self, request, organisation_id: int):
        organisation = _organisation(request, organisation_id)
        actions.set_bank_account(
            actor=request.user, organisation=organisation, **_parsed(BankAccountCreateSerializer, request)
        )
        return _organisation_detail(organisation, status.HTTP_201_CREATED)


class OrganisationSubmitView(TenantAPIView):
    """Submit the organisation for verification."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, request=None, responses=OrganisationSerializer)
    def post(self, request, organisation_id: int):
        organisation = _organisation(request, organisation_id)
        actions.submit_organisation(actor=request.user, organisation=organisation, request=request)
        return _organisation_detail(organisation)


# --- Proposals -------------------------------------------------------------------------------------


class ProposalListView(TenantAPIView):
    """The caller's proposals; POST starts a draft (the idempotency key makes a retry return the same)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, responses=ProposalSerializer(many=True))
    def get(self, request):
        return Response(ProposalSerializer(selectors.list_proposals_of(request.user), many=True).data)

    @extend_schema(tags=TAGS, request=ProposalCreateSerializer, responses={201: ProposalDetailSerializer})
    def post(self, request):
        data = dict(_parsed(ProposalCreateSerializer, request))
        programme = selectors.get_published_programme(data.pop("programme"))
        if programme is None:
            raise Http404
        organisation_id = data.pop("organisation_id")
        organisation = _organisation(request, organisation_id) if organisation_id else None
        proposal = actions.start_proposal(
            actor=request.user,
            programme=programme,
            organisation=organisation,
            idempotency_key=data.pop("idempotency_key"),
            **data,
        )
        return _proposal_detail(proposal, status.HTTP_201_CREATED)


class ProposalDetailView(TenantAPIView):
    """One proposal with RAB, stage results and timeline."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, responses=ProposalDetailSerializer)
    def get(self, request, proposal_id: int):
        proposal = _proposal(request, proposal_id)
        actions.record_proposal_view(actor=request.user, proposal=proposal, request=request)
        return _proposal_detail(proposal)


class RabView(TenantAPIView):
    """Replace the RAB lines (Σ ≤ amount requested)."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(tags=TAGS, request=RabSerializer, responses=ProposalDetailSerializer)
    def put(self, request, proposal_id: int):
        proposal = _proposal(request, proposal_id)
        data = _parsed(RabSerializer, request)
        actions.set_rab_lines(
            actor=request.user, proposal=proposal, lines=[dict(line) for line in data["lines"]]
        )
        return _proposal_detail(proposal)


class _ProposalStep(CaseStepView):
    case_kwarg = "proposal_id"
    request_serializer = ReasonSerializer
    detail_serializer = ProposalDetailSerializer
    schema_tags = TAGS

    def get_case(self, request, case_id: int) -> Proposal:
        return selectors.access_proposal_by_id(request.user, case_id)


# One POST step endpoint over an action (praja.core.api.steps).
_step = step_builder(_ProposalStep)


def _org_unit(data) -> OrgUnit:
    org_unit = OrgUnit.objects.filter(pk=data["org_unit_id"]).first()
    if org_unit is None:
        from rest_framework.exceptions import ValidationError

        raise ValidationError({"org_unit_id": ["Perangkat daerah tidak ditemukan."]})
    return org_unit


SubmitView = _step(
    "SubmitView",
    "Submit a draft proposal (eligibility checked; a repeat answers the same).",
    lambda r, p, d: actions.submit_proposal(actor=r.user, proposal=p, request=r),
)
ResubmitView = _step(
    "ResubmitView",
    "Send a returned proposal back to the TU.",
    lambda r, p, d: actions.resubmit_proposal(actor=r.user, proposal=p, request=r),
)
WithdrawView = _step(
    "WithdrawView",
    "Withdraw one's own proposal.",
    lambda r, p, d: actions.withdraw_proposal(actor=r.user, proposal=p, reason=d["reason"], request=r),
)
ChecklistView = _step(
    "ChecklistView",
    "TU: all checklist codes ticked → complete.",
    lambda r, p, d: actions.check_completeness(
        actor=r.user, proposal=p, checklist=d["checklist"], remarks=d["remarks"], request=r
    ),
    permission=CHECK_COMPLETENESS,
    serializer=ChecklistSerializer,
)
ReturnView = _step(
    "ReturnView",
    "TU: return to the applicant citing the missing document codes.",
    lambda r, p, d: actions.return_proposal(
        actor=r.user, proposal=p, missing_codes=d["missing_codes"], reason=d["reason"], request=r
    ),
    permission=CHECK_COMPLETENESS,
    serializer=ReturnSerializer,
)
ReviewView = _step(
    "ReviewView",
    "Head of region's review: proceed or reject (remarks).",
    lambda r, p, d: actions.review_proposal(
        actor=r.user, proposal=p, proceed=d["proceed"], remarks=d["remarks"], request=r
    ),
    permission=REVIEW_PROPOSALS,
    serializer=DecisionSerializer,
)
RouteView = _step(
    "RouteView",
    "Tim Pertimbangan: route to the technical office.",
    lambda r, p, d: actions.route_proposal(
        actor=r.user, proposal=p, org_unit=_org_unit(d), remarks=d["remarks"], request=r
    ),
    permission=ROUTE_PROPOSALS,
    serializer=RouteSerializer,
)
EvaluateView = _step(
    "EvaluateView",
    "Technical office: recommended amount after a field check, or refusal.",
    lambda r, p, d: actions.evaluate_proposal(
        actor=r.user,
        proposal=p,
        recommend=d["proceed"],
        amount=d["amount"],
        field_check_date=d["field_check_date"],
        checklist=d["checklist"],
        remarks=d["remarks"],
        request=r,
    ),
    permission=EVALUATE,
    serializer=EvaluationSerializer,
)
VerifyAmountView = _step(
    "VerifyAmountView",
    "Tim Pertimbangan: verify the amount (≤ office unless override reason).",
    lambda r, p, d: actions.verify_proposal_amount(
        actor=r.user,
        proposal=p,
        proceed=d["proceed"],
        amount=d["amount"],
        override_reason=d["override_reason"],
        remarks=d["remarks"],
        request=r,
    ),
    permission=VERIFY_AMOUNT,
    serializer=AmountSerializer,
)
TapdView = _step(
    "TapdView",
    "TAPD: final amount (second factor), or not budgeted.",
    lambda r, p, d: actions.consider_at_tapd(
        actor=r.user,
        proposal=p,
        budgeted=d["proceed"],
        amount=d["amount"],
        override_reason=d["override_reason"],
        remarks=d["remarks"],
        request=r,
    ),
    permission=CONSIDER_TAPD,
    serializer=AmountSerializer,
)
CancelView = _step(
    "CancelView",
    "Cancel a proposal at any stage (reason).",
    lambda r, p, d: actions.cancel_proposal(actor=r.user, proposal=p, reason=d["reason"], request=r),
    permission=CANCEL_PROPOSALS,
)


class QueueView(TenantAPIView):
    """Proposals waiting for the caller, per stage they may act on."""

    permission_classes = [HasTenantPermission.of(VIEW_PROPOSALS)]

    @extend_schema(tags=TAGS, responses=QueueItemSerializer(many=True))
    def get(self, request):
        return Response(QueueItemSerializer(selectors.list_queue(request.user), many=True).data)


# --- Bansos cases (individuals/households) ---------------------------------------------------------


class BansosCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    programme = serializers.CharField(source="programme.code")
    recipient_name = serializers.CharField()
    recipient_address = serializers.CharField()
    amount = serializers.IntegerField()
    social_data_source = serializers.CharField()
    social_data_reference = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    cancellation_reason = serializers.CharField()


class BansosCaseDetailSerializer(BansosCaseSerializer):
    social_risk = serializers.CharField()
    timeline = serializers.SerializerMethodField()

    def get_timeline(self, obj) -> list[dict]:
        return TimelineEntrySerializer(get_case_timeline(obj).entries, many=True).data


def _bansos_case(request, case_id: int) -> BansosCase:
    try:
        return selectors.access_bansos_case_by_id(request.user, case_id)
    except BansosCase.DoesNotExist:
        raise Http404 from None


def _bansos_detail(case: BansosCase, code=status.HTTP_200_OK) -> Response:
    case.refresh_from_db()
    return Response(BansosCaseDetailSerializer(case).data, status=code)


class BansosCaseListView(TenantAPIView):
    """The bansos recipients (individuals/households) of this region, by programme and number."""

    permission_classes = [HasTenantPermission.of(MANAGE_BANSOS)]

    @extend_schema(tags=TAGS, responses=BansosCaseSerializer(many=True))
    def get(self, request):
        cases = BansosCase.objects.select_related("programme").order_by("programme__code", "number")[:500]
        return Response(BansosCaseSerializer(cases, many=True).data)


class BansosCaseDetailView(TenantAPIView):
    """One bansos case with its timeline."""

    permission_classes = [HasTenantPermission.of(MANAGE_BANSOS)]

    @extend_schema(tags=TAGS, responses=BansosCaseDetailSerializer)
    def get(self, request, case_id: int):
        return _bansos_detail(_bansos_case(request, case_id))


class _BansosStep(TenantAPIView):
    permission_classes = [HasTenantPermission.of(MANAGE_BANSOS)]
    parser_classes = [JSONParser]

    def run(self, request, case: BansosCase, data: dict) -> None:
        raise NotImplementedError

    def post(self, request, case_id: int):
        case = _bansos_case(request, case_id)
        data = _parsed(ReasonSerializer, request)
        self.run(request, case, data)
        return _bansos_detail(case)


class BansosVerifyView(_BansosStep):
    """Verify the social data (DTKS/DTSEN id when the programme requires it)."""

    def run(self, request, case, data):
        actions.verify_bansos_case(actor=request.user, case=case, request=request)

    @extend_schema(tags=TAGS, request=None, responses=BansosCaseDetailSerializer)
    def post(self, request, case_id: int):
        return super().post(request, case_id)


class BansosScreenView(_BansosStep):
    """Run the duplicate screening; passes when no screening flag is open."""

    def run(self, request, case, data):
        actions.screen_bansos_case(actor=request.user, case=case, request=request)

    @extend_schema(tags=TAGS, request=None, responses=BansosCaseDetailSerializer)
    def post(self, request, case_id: int):
        return super().post(request, case_id)


class BansosCancelView(_BansosStep):
    """Cancel a bansos case before disbursement (reason required)."""

    def run(self, request, case, data):
        actions.cancel_bansos_case(actor=request.user, case=case, reason=data["reason"], request=request)

    @extend_schema(tags=TAGS, request=ReasonSerializer, responses=BansosCaseDetailSerializer)
    def post(self, request, case_id: int):
        return super().post(request, case_id)
