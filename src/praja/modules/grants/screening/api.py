"""REST endpoints of grants screening under /t/<slug>/api/v1/grants/ (thin over actions and selectors).

Registry:  GET|POST beneficiaries/, GET beneficiaries/<id>/, POST beneficiaries/<id>/screen/,
           GET|POST beneficiaries/imports/ (multipart "file"), GET beneficiaries/imports/<id>/,
           GET beneficiaries/imports/<id>/file/ (the imported spreadsheet itself, audited)
Flags:     GET flags/?kind=&status=, GET flags/<id>/, POST flags/<id>/clear/ {"reason"}
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from praja.core.api.base import TenantAPIMixin
from praja.core.api.permissions import HasTenantPermission, IsTenantMember
from praja.core.documents.responses import stored_file_response
from praja.modules.grants.screening import actions, selectors
from praja.modules.grants.screening.evidence import describe_evidence
from praja.modules.grants.screening.models import (
    Beneficiary,
    DataSource,
    Flag,
    FlagKind,
    FlagStatus,
    ImportBatch,
    Sex,
)
from praja.modules.grants.screening.permissions import CLEAR_FLAGS, MANAGE_REGISTRY, RUN_SCREENING

TAGS = ["grants"]


class _AnyOf(IsTenantMember):
    """A tenant member for whom `check(user)` holds (403 otherwise)."""

    check = staticmethod(lambda user: False)

    @classmethod
    def of(cls, check):
        return type("ScreeningAccess", (cls,), {"check": staticmethod(check)})

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and bool(self.check(request.user))


REGISTRY_READERS = _AnyOf.of(selectors.can_view_registry)
FLAG_READERS = _AnyOf.of(selectors.can_view_flags)
IMPORT_READERS = _AnyOf.of(selectors.can_see_import_batches)


# --- Serializers ------------------------------------------------------------------------------------------


class ScreeningBeneficiarySerializer(serializers.ModelSerializer):
    area_code = serializers.CharField(source="area_id")
    area_name = serializers.CharField(source="area.name")

    class Meta:
        model = Beneficiary
        fields = [
            "id", "nik", "kk_number", "full_name", "birth_date", "sex", "mother_name", "address", "rt", "rw",
            "area_code", "area_name", "phone", "data_source", "source_reference", "created_at",
        ]  # fmt: skip


class ScreeningBeneficiaryCreateSerializer(serializers.Serializer):
    nik = serializers.CharField(max_length=20)
    kk_number = serializers.CharField(max_length=20)
    full_name = serializers.CharField(max_length=150)
    birth_date = serializers.DateField()
    sex = serializers.ChoiceField(choices=Sex.choices)
    mother_name = serializers.CharField(max_length=150, allow_blank=True, default="")
    address = serializers.CharField(max_length=255)
    rt = serializers.CharField(max_length=3, allow_blank=True, default="")
    rw = serializers.CharField(max_length=3, allow_blank=True, default="")
    area_code = serializers.CharField(max_length=13)
    phone = serializers.CharField(max_length=20, allow_blank=True, default="")
    data_source = serializers.ChoiceField(
        choices=[c for c in DataSource.choices if c[0] != DataSource.CITIZEN]
    )
    source_reference = serializers.CharField(max_length=64, allow_blank=True, default="")


class ScreeningRejectionSerializer(serializers.Serializer):
    row_number = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())
    values = serializers.DictField(child=serializers.CharField(allow_blank=True))


class ScreeningImportBatchSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.full_name")
    file_kept = serializers.SerializerMethodField(
        help_text="Whether the imported file itself is kept (GET …/imports/<id>/file/); "
        "batches imported before files were kept have only their SHA-256."
    )

    class Meta:
        model = ImportBatch
        fields = ["id", "original_name", "sha256", "file_kept", "uploaded_by", "created_at", "total_rows",
                  "imported_count", "rejected_count", "screening_status", "screening_progress",
                  "screening_flags", "screening_finished_at"]  # fmt: skip

    def get_file_kept(self, batch: ImportBatch) -> bool:
        return batch.stored_file_id is not None


class ScreeningImportBatchDetailSerializer(ScreeningImportBatchSerializer):
    rejections = ScreeningRejectionSerializer(many=True)

    class Meta(ScreeningImportBatchSerializer.Meta):
        fields = [*ScreeningImportBatchSerializer.Meta.fields, "rejections"]


class ScreeningImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class ScreeningEvidenceLineSerializer(serializers.Serializer):
    label = serializers.CharField()
    text = serializers.CharField()


class ScreeningFlagSerializer(serializers.ModelSerializer):
    cleared_by = serializers.CharField(source="cleared_by.full_name", default=None)
    evidence_text = serializers.SerializerMethodField(help_text="The evidence as readable lines.")

    class Meta:
        model = Flag
        fields = ["id", "kind", "severity", "subject_type", "subject_id", "subject_label", "explanation",
                  "evidence", "evidence_text", "status", "created_at", "cleared_by", "cleared_at",
                  "clear_reason"]  # fmt: skip

    @extend_schema_field(ScreeningEvidenceLineSerializer(many=True))
    def get_evidence_text(self, flag) -> list[dict]:
        return [{"label": line.label, "text": line.text} for line in describe_evidence(flag)]


class ScreeningFlagFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FlagKind.choices, required=False)
    status = serializers.ChoiceField(choices=FlagStatus.choices, required=False)


class ScreeningClearSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True, default="")


def _parsed(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class _View(TenantAPIMixin, GenericAPIView):
    pass


# --- Registry -------------------------------------------------------------------------------------------


class BeneficiaryListView(_View):
    """The registry (search by ?q= name/NIK/KK, ?area=, ?source=); POST registers one person."""

    permission_classes = [REGISTRY_READERS]

    @extend_schema(tags=TAGS, responses=ScreeningBeneficiarySerializer(many=True))
    def get(self, request):
        rows = selectors.list_beneficiaries(
            request.user,
            query=request.query_params.get("q", ""),
            area_code=request.query_params.get("area", ""),
            data_source=request.query_params.get("source", ""),
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ScreeningBeneficiarySerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        request=ScreeningBeneficiaryCreateSerializer,
        responses={201: ScreeningBeneficiarySerializer},
    )
    def post(self, request):
        if not selectors.can_manage_registry(request.user):
            raise ApiPermissionDenied()
        data = _parsed(ScreeningBeneficiaryCreateSerializer, request.data)
        beneficiary = actions.register_beneficiary(actor=request.user, **data)
        return Response(ScreeningBeneficiarySerializer(beneficiary).data, status=status.HTTP_201_CREATED)


def _beneficiary(request, beneficiary_id: int) -> Beneficiary:
    try:
        return selectors.access_beneficiary_by_id(request.user, beneficiary_id)
    except Beneficiary.DoesNotExist:
        raise Http404 from None


class BeneficiaryDetailView(_View):
    """One beneficiary with its flags (the view is recorded on the audit chain)."""

    permission_classes = [REGISTRY_READERS]

    @extend_schema(tags=TAGS, responses=ScreeningBeneficiarySerializer)
    def get(self, request, beneficiary_id: int):
        beneficiary = _beneficiary(request, beneficiary_id)
        actions.record_beneficiary_view(actor=request.user, beneficiary=beneficiary, request=request)
        data = dict(ScreeningBeneficiarySerializer(beneficiary).data)
        data["flags"] = ScreeningFlagSerializer(selectors.flags_for(beneficiary), many=True).data
        return Response(data)


class BeneficiaryScreenView(_View):
    """Screen one beneficiary again; returns its open flags."""

    permission_classes = [HasTenantPermission.of(RUN_SCREENING)]

    @extend_schema(tags=TAGS, request=None, responses=ScreeningFlagSerializer(many=True))
    def post(self, request, beneficiary_id: int):
        beneficiary = _beneficiary(request, beneficiary_id)
        flags = actions.screen_beneficiary(beneficiary=beneficiary, actor=request.user)
        return Response(ScreeningFlagSerializer(flags, many=True).data)


class ImportListView(_View):
    """Imports of this region; POST a CSV/XLSX ("file") to import beneficiaries."""

    permission_classes = [HasTenantPermission.of(MANAGE_REGISTRY)]
    parser_classes = [MultiPartParser]

    @extend_schema(tags=TAGS, responses=ScreeningImportBatchSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(selectors.list_import_batches(request.user))
        return self.get_paginated_response(ScreeningImportBatchSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        request=ScreeningImportUploadSerializer,
        responses={201: ScreeningImportBatchDetailSerializer},
    )
    def post(self, request):
        upload = _parsed(ScreeningImportUploadSerializer, request.data)["file"]
        batch = actions.import_beneficiaries(
            actor=request.user, content=upload.read(), original_name=upload.name
        )
        return Response(ScreeningImportBatchDetailSerializer(batch).data, status=status.HTTP_201_CREATED)


class ImportDetailView(_View):
    permission_classes = [HasTenantPermission.of(MANAGE_REGISTRY)]

    @extend_schema(tags=TAGS, responses=ScreeningImportBatchDetailSerializer)
    def get(self, request, batch_id: int):
        try:
            batch = selectors.access_import_batch_by_id(request.user, batch_id)
        except ImportBatch.DoesNotExist:
            raise Http404 from None
        return Response(ScreeningImportBatchDetailSerializer(batch).data)


class ImportFileView(_View):
    """The spreadsheet a batch was imported from, byte for byte (its SHA-256 is the batch's).

    Registry officers and those who read the registry (verifiers, the inspectorate); every
    download is on the audit chain. 404 for a batch whose file was not kept.
    """

    permission_classes = [IMPORT_READERS]

    @extend_schema(
        tags=TAGS,
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="XLSX or CSV, as uploaded"
            )
        },
    )
    def get(self, request, batch_id: int):
        try:
            batch = selectors.access_import_batch_by_id(request.user, batch_id)
        except ImportBatch.DoesNotExist:
            raise Http404 from None
        if batch.stored_file_id is None:
            raise Http404
        handle = actions.open_import_file(actor=request.user, batch=batch, request=request)
        return stored_file_response(handle, batch.stored_file)


# --- Flags ----------------------------------------------------------------------------------------------


class FlagListView(_View):
    """Screening flags (?kind=, ?status=) for officials and the inspectorate."""

    permission_classes = [FLAG_READERS]

    @extend_schema(
        tags=TAGS, parameters=[ScreeningFlagFilterSerializer], responses=ScreeningFlagSerializer(many=True)
    )
    def get(self, request):
        filters = _parsed(ScreeningFlagFilterSerializer, request.query_params)
        rows = selectors.list_flags(
            request.user, kind=filters.get("kind", ""), status=filters.get("status", "")
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ScreeningFlagSerializer(page, many=True).data)


def _flag(request, flag_id: int) -> Flag:
    try:
        return selectors.access_flag_by_id(request.user, flag_id)
    except Flag.DoesNotExist:
        raise Http404 from None


class FlagDetailView(_View):
    permission_classes = [FLAG_READERS]

    @extend_schema(tags=TAGS, responses=ScreeningFlagSerializer)
    def get(self, request, flag_id: int):
        return Response(ScreeningFlagSerializer(_flag(request, flag_id)).data)


class FlagClearView(_View):
    """Declare a finding not a problem: verifier role, second factor, written reason (audited)."""

    permission_classes = [HasTenantPermission.of(CLEAR_FLAGS)]

    @extend_schema(tags=TAGS, request=ScreeningClearSerializer, responses=ScreeningFlagSerializer)
    def post(self, request, flag_id: int):
        flag = _flag(request, flag_id)
        data = _parsed(ScreeningClearSerializer, request.data)
        flag = actions.clear_flag(
            flag=flag,
            actor=request.user,
            reason=data["reason"],
        )
        return Response(ScreeningFlagSerializer(flag).data)
