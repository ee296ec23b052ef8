"""The payment gateway's callback endpoint (public: authenticated by its signature, not a login).

POST /t/<slug>/api/v1/licensing/payments/callback/   (see gateway.py for the body and signature)

Answers:
- 200 {"status": "processed" | "already_processed", "billing_code", "bill_status", "message"}:
  a repeated or replayed callback answers "already_processed" and changes nothing;
- 403 `invalid_signature`: bad or missing signature; recorded on the audit chain of the bill it
  names ("licensing.payment_callback_forged");
- 400 `malformed_callback`: signed, but not a readable notice;
- 404 `not_found`: no bill with that code in this tenant;
- 409 `amount_mismatch` / `bill_expired` / `reference_conflict`: refused and recorded.

Not throttled: a gateway delivers every payment of the region from a few addresses, and an
unsigned request costs one HMAC before it is refused.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from praja.core.api.base import TenantAPIView
from praja.core.api.errors import error_body
from praja.modules.licensing.payments import actions, rules
from praja.modules.licensing.payments.actions import PaymentResult
from praja.modules.licensing.payments.gateway import CallbackError, ForgedCallback, get_provider


class RawBodyParser(BaseParser):
    """Leave the body alone: the signature is over the exact bytes the gateway sent."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        return {}


def handle_callback(*, tenant, body: bytes, headers, provider=None, ip_address: str = "") -> PaymentResult:
    """Verify, parse and apply one gateway callback for `tenant` (the active tenant)."""
    provider = provider or get_provider()
    try:
        notice = provider.parse_callback(tenant=tenant, body=body, headers=headers)
    except ForgedCallback as forged:
        actions.record_forged_callback(
            tenant=tenant, billing_code=forged.billing_code, reason=forged.message, ip_address=ip_address
        )
        return PaymentResult(forged.code, None, forged.message, forged.status)
    except CallbackError as refused:
        return PaymentResult(refused.code, None, refused.message, refused.status)
    return actions.record_payment(notice=notice, provider=provider.name)


CallbackAnswer = inline_serializer(
    "PaymentCallbackAnswer",
    {
        "status": serializers.ChoiceField(choices=["processed", "already_processed"]),
        "billing_code": serializers.CharField(),
        "bill_status": serializers.CharField(),
        "message": serializers.CharField(),
    },
)


@method_decorator(csrf_exempt, name="dispatch")
class PaymentCallbackView(TenantAPIView):
    """A payment gateway reports that a bill was paid (HMAC-SHA256 signed body)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    parser_classes = [RawBodyParser]

    @extend_schema(
        tags=["licensing"],
        auth=[],
        request=inline_serializer(
            "PaymentCallback",
            {
                "billing_code": serializers.CharField(help_text="16 digit, check digit Luhn"),
                "amount": serializers.IntegerField(help_text="Rupiah"),
                "payment_reference": serializers.CharField(),
                "paid_at": serializers.DateTimeField(),
                "channel": serializers.ChoiceField(choices=["bank_transfer", "virtual_account", "qris"]),
            },
        ),
        parameters=[
            OpenApiParameter(
                rules.SIGNATURE_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description="sha256=<hex HMAC-SHA256 of the raw body with the tenant's callback secret>",
            )
        ],
        responses={
            200: CallbackAnswer,
            400: OpenApiTypes.OBJECT,
            403: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
            409: OpenApiTypes.OBJECT,
        },
        examples=[
            OpenApiExample(
                "processed",
                response_only=True,
                value={
                    "status": "processed",
                    "billing_code": "3273260123456786",
                    "bill_status": "paid",
                    "message": "Pembayaran diterima.",
                },
            )
        ],
    )
    def post(self, request):
        result = handle_callback(
            tenant=request.tenant,
            body=request.body,
            headers=request.headers,
            ip_address=request.META.get("REMOTE_ADDR", ""),
        )
        if result.http_status == 404:
            raise Http404
        if result.is_refusal:
            return Response(error_body(result.status, result.message), status=result.http_status)
        return Response(
            {
                "status": result.status,
                "billing_code": result.bill.billing_code,
                "bill_status": result.bill.status,
                "message": str(result.message),
            }
        )
