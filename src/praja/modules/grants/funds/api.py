"""REST API of grant funds under /t/<slug>/api/v1/grants/ (tag "grants-funds"), thin over actions.

Officials: funds/proposals/<id>/tranches/ (GET, POST), funds/tranches/<id>/{verify,approve,cancel,
disburse}/ (POST), funds/transfer-batches/ (GET, POST), funds/transfer-batches/<id>/ (GET),
funds/transfer-batches/<id>/confirmations/ (POST the bank's CSV as text),
funds/disbursements/<id>/confirm/ (POST SP2D), funds/proposals/<id>/lpj/ (GET; POST multipart by
the recipient), funds/proposals/<id>/lpj/review/ (POST).
Public, no login: public/recipients/, public/stages/, public/report/<year>/,
public/grants/<id>/complaints/ (POST).
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from praja.core.api.base import TenantAPIView
from praja.core.api.pagination import PageNumberPagination
from praja.core.api.permissions import HasTenantPermission, IsTenantMember
from praja.core.ratelimit import RateLimited
from praja.modules.grants.funds import actions, complaints, contract, lpj, selectors
from praja.modules.grants.funds.models import Disbursement, LpjReport, Tranche, TransferBatch
from praja.modules.grants.funds.permissions import (
    APPROVE_TRANCHE,
    REQUEST_TRANCHE,
    REVIEW_LPJ,
    TRANSFER,
    VERIFY_TRANCHE,
)
from praja.modules.grants.funds.public import selectors as public_selectors
from praja.modules.grants.funds.public import throttle as complaint_throttle
from praja.modules.grants.models import Proposal

TAG = "grants-funds"


class FundsDisbursementSerializer(serializers.ModelSerializer):
    batch_number = serializers.CharField(source="batch.number", default=None, read_only=True)

    class Meta:
        model = Disbursement
        fields = [
            "id",
            "reference",
            "amount",
            "description",
            "beneficiary_name",
            "bank_name",
            "account_number",
            "account_holder",
            "batch_number",
            "sp2d_number",
            "sp2d_date",
            "bank_reference",
            "confirmed_at",
        ]


class FundsTrancheSerializer(serializers.ModelSerializer):
    disbursement = serializers.SerializerMethodField()

    class Meta:
        model = Tranche
        fields = ["id", "proposal", "number", "amount", "status", "requested_at", "paid_at", "disbursement"]

    def get_disbursement(self, tranche) -> dict | None:
        item = getattr(tranche, "disbursement", None) if hasattr(tranche, "disbursement") else None
        return FundsDisbursementSerializer(item).data if item is not None else None


class FundsTrancheRequestSerializer(serializers.Serializer):
    amount = serializers.IntegerField(min_value=1)
    idempotency_key = serializers.CharField(max_length=80)


class FundsReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class FundsIdempotencySerializer(serializers.Serializer):
    idempotency_key = serializers.CharField(max_length=80)


class FundsBatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = TransferBatch
        fields = ["id", "number", "created_at", "line_count", "total_amount", "sha256"]


class FundsBatchCreateSerializer(serializers.Serializer):
    disbursement_ids = serializers.ListField(child=serializers.IntegerField(), required=False)


class FundsConfirmationFileSerializer(serializers.Serializer):
    csv = serializers.CharField(max_length=2_000_000)


class FundsSp2dSerializer(serializers.Serializer):
    sp2d_number = serializers.CharField(max_length=60)
    sp2d_date = serializers.DateField()
    bank_reference = serializers.CharField(max_length=80, required=False, allow_blank=True)


class FundsLpjReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = LpjReport
        fields = [
            "id",
            "revision",
            "usage_report",
            "value_reported",
            "submitted_at",
            "reviewed_at",
            "is_accepted",
            "review_reasons",
        ]


class FundsLpjSubmitSerializer(serializers.Serializer):
    usage_report = serializers.CharField()
    value_reported = serializers.IntegerField(min_value=0)
    statement_file = serializers.FileField()
    receipt_files = serializers.ListField(child=serializers.FileField(), min_length=1)
    photo_files = serializers.ListField(child=serializers.FileField(), min_length=1)


class FundsLpjReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "reject"])
    reasons = serializers.CharField(required=False, allow_blank=True, max_length=4000)


def _proposal(request, proposal_id) -> Proposal:
    try:
        return selectors.access_proposal_by_id(request.user, proposal_id)
    except Proposal.DoesNotExist as missing:
        raise NotFound() from missing


def _tranche(request, tranche_id) -> Tranche:
    try:
        return selectors.access_tranche_by_id(request.user, tranche_id)
    except Tranche.DoesNotExist as missing:
        raise NotFound() from missing


def _tranche_payload(tranche: Tranche) -> dict:
    tranche = Tranche.objects.select_related("disbursement", "disbursement__batch").get(pk=tranche.pk)
    return FundsTrancheSerializer(tranche).data


class ProposalTranchesView(TenantAPIView):
    """Tranches of one awarded grant (officials and its recipient); officials request a new one."""

    permission_classes = [IsTenantMember]

    def get_permissions(self):
        if self.request.method == "POST":
            return [HasTenantPermission.of(REQUEST_TRANCHE)()]
        return super().get_permissions()

    @extend_schema(tags=[TAG], responses=FundsTrancheSerializer(many=True))
    def get(self, request, proposal_id: int):
        proposal = _proposal(request, proposal_id)
        return Response(FundsTrancheSerializer(selectors.list_tranches(proposal), many=True).data)

    @extend_schema(tags=[TAG], request=FundsTrancheRequestSerializer, responses={201: FundsTrancheSerializer})
    def post(self, request, proposal_id: int):
        proposal = _proposal(request, proposal_id)
        body = FundsTrancheRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        tranche = actions.request_tranche(actor=request.user, proposal=proposal, **body.validated_data)
        return Response(_tranche_payload(tranche), status=201)


def _tranche_step(permission: str, step: str, body_serializer=None):
    class View(TenantAPIView):
        permission_classes = [HasTenantPermission.of(permission)]

        @extend_schema(
            tags=[TAG],
            request=body_serializer,
            responses=FundsTrancheSerializer,
            operation_id=f"grants_funds_tranche_{step}",
        )
        def post(self, request, tranche_id: int):
            tranche = _tranche(request, tranche_id)
            data = {}
            if body_serializer is not None:
                body = body_serializer(data=request.data)
                body.is_valid(raise_exception=True)
                data = body.validated_data
            if step == "verify":
                actions.verify_tranche(actor=request.user, tranche=tranche, request=request)
            elif step == "approve":
                actions.approve_tranche(actor=request.user, tranche=tranche, request=request)
            elif step == "cancel":
                actions.cancel_tranche(
                    actor=request.user, tranche=tranche, reason=data["reason"], request=request
                )
            else:
                result = actions.disburse_tranche(
                    actor=request.user,
                    tranche=tranche,
                    idempotency_key=data["idempotency_key"],
                    request=request,
                )
                return Response(_tranche_payload(tranche), status=201 if result.created else 200)
            return Response(_tranche_payload(tranche))

    View.__name__ = f"Tranche{step.title()}View"
    View.__doc__ = f"Tranche step {step!r}."
    return View


TrancheVerifyView = _tranche_step(VERIFY_TRANCHE, "verify")
TrancheApproveView = _tranche_step(APPROVE_TRANCHE, "approve")
TrancheCancelView = _tranche_step(VERIFY_TRANCHE, "cancel", FundsReasonSerializer)
TrancheDisburseView = _tranche_step(TRANSFER, "disburse", FundsIdempotencySerializer)


class TransferBatchesView(TenantAPIView):
    """The finance office's transfer files: list, or batch every order not yet in a file."""

    permission_classes = [HasTenantPermission.of(TRANSFER)]

    @extend_schema(tags=[TAG], responses=FundsBatchSerializer(many=True))
    def get(self, request):
        return Response(FundsBatchSerializer(selectors.list_batches()[:200], many=True).data)

    @extend_schema(tags=[TAG], request=FundsBatchCreateSerializer, responses={201: FundsBatchSerializer})
    def post(self, request):
        body = FundsBatchCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        batch = actions.create_transfer_batch(
            actor=request.user, disbursement_ids=body.validated_data.get("disbursement_ids")
        )
        return Response(FundsBatchSerializer(batch).data, status=201)


def _batch(request, batch_id) -> TransferBatch:
    try:
        return selectors.access_batch_by_id(request.user, batch_id)
    except TransferBatch.DoesNotExist as missing:
        raise NotFound() from missing


class TransferBatchView(TenantAPIView):
    """One transfer file: its lines and the CSV text handed to the bank."""

    permission_classes = [HasTenantPermission.of(TRANSFER)]

    @extend_schema(
        tags=[TAG],
        responses=inline_serializer(
            "GrantsTransferBatchDetail",
            {
                "batch": FundsBatchSerializer(),
                "lines": FundsDisbursementSerializer(many=True),
                "csv": serializers.CharField(),
            },
        ),
    )
    def get(self, request, batch_id: int):
        batch = _batch(request, batch_id)
        return Response(
            {
                "batch": FundsBatchSerializer(batch).data,
                "lines": FundsDisbursementSerializer(
                    selectors.list_batch_disbursements(batch), many=True
                ).data,
                "csv": actions.transfer_file_text(batch),
            }
        )


class BatchConfirmationView(TenantAPIView):
    """Apply the bank's confirmation CSV to a transfer file (all lines or none)."""

    permission_classes = [HasTenantPermission.of(TRANSFER)]

    @extend_schema(
        tags=[TAG],
        request=FundsConfirmationFileSerializer,
        responses=inline_serializer(
            "GrantsConfirmationResult",
            {
                "confirmed": serializers.ListField(child=serializers.CharField()),
                "already_confirmed": serializers.ListField(child=serializers.CharField()),
            },
        ),
    )
    def post(self, request, batch_id: int):
        batch = _batch(request, batch_id)
        body = FundsConfirmationFileSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = actions.import_bank_confirmation(
            actor=request.user, batch=batch, text=body.validated_data["csv"], request=request
        )
        return Response({"confirmed": result.confirmed, "already_confirmed": result.already_confirmed})


class DisbursementConfirmView(TenantAPIView):
    """Record the SP2D of one payment order: its tranche is paid."""

    permission_classes = [HasTenantPermission.of(TRANSFER)]

    @extend_schema(tags=[TAG], request=FundsSp2dSerializer, responses=FundsDisbursementSerializer)
    def post(self, request, disbursement_id: int):
        try:
            order = selectors.access_disbursement_by_id(request.user, disbursement_id)
        except Disbursement.DoesNotExist as missing:
            raise NotFound() from missing
        body = FundsSp2dSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        order = actions.confirm_disbursement(
            actor=request.user, disbursement=order, request=request, **body.validated_data
        )
        return Response(FundsDisbursementSerializer(order).data)


class LpjView(TenantAPIView):
    """A grant's LPJ submissions (officials and recipient); the recipient files one (multipart)."""

    permission_classes = [IsTenantMember]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(tags=[TAG], responses=FundsLpjReportSerializer(many=True))
    def get(self, request, proposal_id: int):
        proposal = _proposal(request, proposal_id)
        return Response(FundsLpjReportSerializer(selectors.list_lpj_reports(proposal), many=True).data)

    @extend_schema(
        tags=[TAG],
        request={"multipart/form-data": FundsLpjSubmitSerializer},
        responses={201: FundsLpjReportSerializer},
    )
    def post(self, request, proposal_id: int):
        proposal = _proposal(request, proposal_id)
        data = {
            "usage_report": request.data.get("usage_report"),
            "value_reported": request.data.get("value_reported"),
            "statement_file": request.FILES.get("statement_file"),
            "receipt_files": request.FILES.getlist("receipt_files"),
            "photo_files": request.FILES.getlist("photo_files"),
        }
        body = FundsLpjSubmitSerializer(data=data)
        body.is_valid(raise_exception=True)
        report = lpj.submit_lpj(actor=request.user, proposal=proposal, request=request, **body.validated_data)
        return Response(FundsLpjReportSerializer(report).data, status=201)


class LpjReviewView(TenantAPIView):
    """Accept the latest LPJ (the grant closes) or return it with reasons."""

    permission_classes = [HasTenantPermission.of(REVIEW_LPJ)]

    @extend_schema(tags=[TAG], request=FundsLpjReviewSerializer, responses=FundsLpjReportSerializer)
    def post(self, request, proposal_id: int):
        proposal = _proposal(request, proposal_id)
        body = FundsLpjReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = lpj.review_lpj(
            actor=request.user,
            proposal=proposal,
            accept=body.validated_data["decision"] == "accept",
            reasons=body.validated_data.get("reasons", ""),
            request=request,
        )
        return Response(FundsLpjReportSerializer(report).data)


# --- public ------------------------------------------------------------------------------------


class FundsRecipientSerializer(serializers.Serializer):
    number = serializers.CharField()
    recipient = serializers.CharField()
    kecamatan = serializers.CharField()
    programme = serializers.CharField()
    year = serializers.IntegerField()
    purpose = serializers.CharField()
    amount = serializers.IntegerField()
    disbursed = serializers.IntegerField()
    disbursed_on = serializers.DateField(allow_null=True)
    lpj_status = serializers.CharField()
    lpj_status_label = serializers.CharField()
    proposal_id = serializers.IntegerField(allow_null=True, help_text="null for bansos to an individual")


class FundsStageSerializer(serializers.Serializer):
    number = serializers.CharField()
    recipient = serializers.CharField()
    programme = serializers.CharField()
    year = serializers.IntegerField()
    stage = serializers.CharField()
    stage_label = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()


class FundsRecipientQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    programme = serializers.SlugField(required=False, max_length=50)
    kecamatan = serializers.RegexField(r"^\d{2}\.\d{2}\.\d{2}$", required=False, max_length=8)
    lpj = serializers.ChoiceField(
        required=False,
        choices=["not_applicable", "not_due", "submitted", "revision", "overdue", "accepted", "bansos"],
    )
    q = serializers.CharField(required=False, max_length=100)


class _Page(PageNumberPagination):
    page_size = public_selectors.PAGE_SIZE


class _PublicView(TenantAPIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


class PublicRecipientsView(_PublicView):
    """Awarded grants with recipient (organisation name or masked individual), kecamatan, amount,
    purpose, disbursement date and LPJ status, then bansos to individuals in an approved decree
    (masked name, lpj_status "bansos", proposal_id null). No NIK, no KK, no address."""

    @extend_schema(
        tags=[TAG],
        auth=[],
        parameters=[FundsRecipientQuerySerializer],
        responses=FundsRecipientSerializer(many=True),
    )
    def get(self, request):
        query = FundsRecipientQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        filters = public_selectors.RecipientFilters(
            year=data.get("year"),
            programme=data.get("programme", ""),
            kecamatan=data.get("kecamatan", ""),
            lpj=data.get("lpj", ""),
            search=data.get("q", "").strip(),
        )
        paginator = _Page()
        rows = paginator.paginate_queryset(public_selectors.AllRecipientRows(filters), request, view=self)
        return paginator.get_paginated_response(FundsRecipientSerializer(rows, many=True).data)


class PublicStagesView(_PublicView):
    """Every submitted proposal's stage (number, proposer, programme, stage, dates)."""

    @extend_schema(
        tags=[TAG],
        auth=[],
        parameters=[FundsRecipientQuerySerializer],
        responses=FundsStageSerializer(many=True),
    )
    def get(self, request):
        query = FundsRecipientQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        paginator = _Page()
        queryset = public_selectors.stages_queryset(
            year=query.validated_data.get("year"), search=query.validated_data.get("q", "").strip()
        )
        page = paginator.paginate_queryset(
            public_selectors.PagedRows(queryset, public_selectors.STAGE_FIELDS), request, view=self
        )
        return paginator.get_paginated_response(
            FundsStageSerializer(public_selectors.stage_rows(page), many=True).data
        )


class FundsProgrammeReportSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    budget = serializers.IntegerField()
    disbursed = serializers.IntegerField()
    disbursed_percent = serializers.FloatField(allow_null=True)
    recipients_awarded = serializers.IntegerField()
    recipients_paid = serializers.IntegerField()
    recipients_reported = serializers.IntegerField()
    value_reported = serializers.IntegerField()
    compliance_percent = serializers.FloatField(allow_null=True)
    recipients_owing_lpj = serializers.IntegerField()
    individuals_paid = serializers.IntegerField()


class FundsOfficeComplianceSerializer(serializers.Serializer):
    office = serializers.CharField()
    recipients_paid = serializers.IntegerField()
    recipients_reported = serializers.IntegerField()
    compliance_percent = serializers.FloatField(allow_null=True)


class FundsYearReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    budget = serializers.IntegerField()
    disbursed = serializers.IntegerField()
    disbursed_percent = serializers.FloatField(allow_null=True)
    recipients_paid = serializers.IntegerField()
    recipients_reported = serializers.IntegerField()
    value_reported = serializers.IntegerField()
    compliance_percent = serializers.FloatField(allow_null=True)
    recipients_owing_lpj = serializers.IntegerField()
    individuals_paid = serializers.IntegerField()
    programmes = FundsProgrammeReportSerializer(many=True)
    offices = FundsOfficeComplianceSerializer(many=True)


class PublicReportView(_PublicView):
    """The yearly report: budget, disbursed Rp and %, recipients paid/reported, value reported,
    LPJ compliance per programme and per supervising office."""

    @extend_schema(tags=[TAG], auth=[], responses=FundsYearReportSerializer)
    def get(self, request, year: int):
        if year not in public_selectors.list_report_years():
            raise Http404
        return Response(FundsYearReportSerializer(public_selectors.cached_yearly_report(year)).data)


class FundsComplaintSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=complaints.TEXT_MAX)
    name = serializers.CharField(required=False, allow_blank=True, max_length=120)
    contact = serializers.CharField(required=False, allow_blank=True, max_length=120)


class PublicComplaintView(_PublicView):
    """File a complaint ("Laporkan") about one awarded grant; answers the tracking code."""

    parser_classes = [JSONParser]

    @extend_schema(
        tags=[TAG],
        auth=[],
        request=FundsComplaintSerializer,
        responses={201: inline_serializer("GrantsComplaintFiled", {"code": serializers.CharField()})},
    )
    def post(self, request, proposal_id: int):
        proposal = Proposal.objects.filter(pk=proposal_id, status__in=contract.AWARDED_STATUSES).first()
        if proposal is None:
            raise NotFound()
        body = FundsComplaintSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            complaint_throttle.check_complaint_rate(request, proposal_id=proposal.pk)
        except RateLimited as error:
            raise Throttled(wait=error.retry_after, detail=error.message) from error
        complaint = complaints.file_complaint(
            proposal=proposal,
            text=body.validated_data["text"],
            reporter_name=body.validated_data.get("name", ""),
            reporter_contact=body.validated_data.get("contact", ""),
        )
        return Response({"code": complaint.tracking_code}, status=201)
