"""JSON shapes of the public tracking and statistics answers (also the OpenAPI schema)."""

from __future__ import annotations

from rest_framework import serializers


class TrackingStepSerializer(serializers.Serializer):
    status = serializers.CharField()
    status_label = serializers.CharField()
    at = serializers.DateTimeField()


class TrackingSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    found = serializers.BooleanField()
    status = serializers.CharField(allow_null=True)
    status_label = serializers.CharField(allow_null=True)
    holder = serializers.CharField(allow_null=True)
    permit_type = serializers.CharField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    registered_at = serializers.DateTimeField(allow_null=True)
    issued_at = serializers.DateTimeField(allow_null=True)
    sla_working_days = serializers.IntegerField(allow_null=True)
    sla_due_at = serializers.DateTimeField(allow_null=True)
    sla_working_days_left = serializers.IntegerField(allow_null=True)
    sla_paused = serializers.BooleanField(allow_null=True)
    steps = TrackingStepSerializer(many=True)


class ReturnReasonSerializer(serializers.Serializer):
    requirement_code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class IkmSerializer(serializers.Serializer):
    exact = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, coerce_to_string=False)
    official = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, coerce_to_string=False
    )
    grade = serializers.CharField(allow_blank=True)
    grade_label = serializers.CharField(allow_blank=True)
    respondents = serializers.IntegerField()


class PermitTypeStatisticsSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    sla_working_days = serializers.IntegerField()
    applications = serializers.IntegerField()
    issued = serializers.IntegerField()
    rejected = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    median_working_days_to_issue = serializers.FloatField(allow_null=True)
    issued_within_sla = serializers.IntegerField()
    share_within_sla = serializers.FloatField(allow_null=True)
    returns = serializers.IntegerField()
    applications_returned = serializers.IntegerField()
    top_return_reasons = ReturnReasonSerializer(many=True)
    ikm = IkmSerializer(allow_null=True)
