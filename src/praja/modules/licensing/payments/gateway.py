"""The payment-gateway interface, and the local simulator that stands in for a bank in the demo.

A provider does two things:

    create_payment(bill) -> str                         where the payer goes to pay (a URL)
    parse_callback(*, tenant, body, headers) -> PaymentNotice
        verify the gateway's signature over the raw body, then read the notice; raises
        ForgedCallback (bad or missing signature) or MalformedCallback (signed but unreadable)

`get_provider()` returns the configured one (settings.PRAJA_PAYMENT_PROVIDER, default
"simulator"). A real gateway (a bank's virtual-account API, a QRIS aggregator, the regional
treasury's RKUD reconciliation feed) is another class with the same two methods, registered in
PROVIDERS.

Signed callbacks (the simulator's format; a real provider maps its own to PaymentNotice):

    POST /t/<slug>/api/v1/licensing/payments/callback/
    Content-Type: application/json
    X-Praja-Signature: sha256=<hex HMAC-SHA256 of the raw body with the tenant's callback secret>

    {"billing_code": "3273260123456786", "amount": 1500000, "payment_reference": "SIM-…",
     "paid_at": "2026-03-02T10:15:00+07:00", "channel": "qris"}

The tenant's callback secret is the licensing module parameter `payment_callback_secret` when the
tenant set one (the secret agreed with its gateway), else derived from SECRET_KEY and the tenant's
Kemendagri code (rules.derive_callback_secret), so each tenant's differs and none is stored.
"""

from __future__ import annotations

import datetime
import json
import secrets
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from praja.core.tenancy.urls import tenant_reverse
from praja.modules.licensing.payments import rules
from praja.modules.licensing.payments.models import PaymentChannel

MODULE_NAME = "licensing"
SECRET_PARAMETER = "payment_callback_secret"


@dataclass(frozen=True)
class PaymentNotice:
    """A gateway's report that a bill was paid, after its signature was verified."""

    billing_code: str
    amount: int
    payment_reference: str
    paid_at: datetime.datetime
    channel: str = ""


class CallbackError(Exception):
    code = "invalid"
    status = 400

    def __init__(self, message: str, *, billing_code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.billing_code = billing_code


class ForgedCallback(CallbackError):
    code = "invalid_signature"
    status = 403


class MalformedCallback(CallbackError):
    code = "malformed_callback"
    status = 400


class PaymentProvider(Protocol):
    name: str

    def create_payment(self, bill) -> str: ...

    def parse_callback(self, *, tenant, body: bytes, headers) -> PaymentNotice: ...


def tenant_callback_secret(tenant) -> bytes:
    """Return the tenant's callback secret (its configured one, else the derived one)."""
    from praja.core.tenancy.models import TenantModule

    parameters = (
        TenantModule.all_tenants.filter(tenant=tenant, module=MODULE_NAME)
        .values_list("parameters", flat=True)
        .first()
        or {}
    )
    configured = str(parameters.get(SECRET_PARAMETER) or "").strip()
    if configured:
        return configured.encode()
    return rules.derive_callback_secret(settings.SECRET_KEY, tenant.code)


def _claimed_billing_code(body: bytes) -> str:
    """The billing code a body claims, for the audit record of a refusal (never trusted further)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return ""
    code = data.get("billing_code") if isinstance(data, dict) else None
    return code if isinstance(code, str) and rules.is_valid_billing_code(code) else ""


def read_notice(body: bytes) -> PaymentNotice:
    """Parse a signed body into a PaymentNotice; raise MalformedCallback naming what is wrong."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise MalformedCallback(_("Isi callback bukan JSON yang sah.")) from None
    if not isinstance(data, dict):
        raise MalformedCallback(_("Isi callback harus berupa objek JSON."))
    code = data.get("billing_code")
    if not isinstance(code, str) or not rules.is_valid_billing_code(code):
        raise MalformedCallback(_("Kode bayar tidak sah."))
    amount = data.get("amount")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise MalformedCallback(
            _("Jumlah pembayaran harus bilangan bulat Rupiah yang positif."), billing_code=code
        )
    reference = data.get("payment_reference")
    if not isinstance(reference, str) or not 1 <= len(reference.strip()) <= 80:
        raise MalformedCallback(
            _("Referensi pembayaran wajib diisi (paling banyak 80 karakter)."), billing_code=code
        )
    paid_at = parse_datetime(data["paid_at"]) if isinstance(data.get("paid_at"), str) else None
    if paid_at is None or timezone.is_naive(paid_at):
        raise MalformedCallback(_("Waktu pembayaran harus ISO 8601 dengan zona waktu."), billing_code=code)
    channel = data.get("channel", "")
    if channel not in ("", *PaymentChannel.values):
        raise MalformedCallback(_("Kanal pembayaran tidak dikenal."), billing_code=code)
    return PaymentNotice(
        billing_code=code,
        amount=amount,
        payment_reference=reference.strip(),
        paid_at=paid_at,
        channel=channel,
    )


class SimulatorProvider:
    """The local stand-in for a bank: a page where the payer "pays", and signed callbacks."""

    name = "simulator"

    def create_payment(self, bill) -> str:
        return tenant_reverse(
            "licensing-payment-simulator", tenant=bill.tenant, kwargs={"billing_code": bill.billing_code}
        )

    def parse_callback(self, *, tenant, body: bytes, headers) -> PaymentNotice:
        signature = headers.get(rules.SIGNATURE_HEADER)
        if not rules.is_valid_signature(tenant_callback_secret(tenant), body, signature):
            raise ForgedCallback(
                _("Tanda tangan callback tidak sah."), billing_code=_claimed_billing_code(body)
            )
        return read_notice(body)

    def build_callback(
        self, bill, *, channel: str, paid_at: datetime.datetime | None = None
    ) -> tuple[bytes, dict]:
        """Return the signed body and headers the simulated bank sends for paying `bill`."""
        notice = {
            "billing_code": bill.billing_code,
            "amount": bill.amount,
            "payment_reference": f"SIM-{secrets.token_hex(8).upper()}",
            "paid_at": (paid_at or timezone.now()).isoformat(),
            "channel": channel,
        }
        body = json.dumps(notice, separators=(",", ":")).encode()
        headers = {rules.SIGNATURE_HEADER: rules.sign_callback(tenant_callback_secret(bill.tenant), body)}
        return body, headers


PROVIDERS: dict[str, type] = {"simulator": SimulatorProvider}


def get_provider(name: str | None = None) -> PaymentProvider:
    name = name or getattr(settings, "PRAJA_PAYMENT_PROVIDER", "simulator")
    return PROVIDERS[name]()


def is_simulator_enabled() -> bool:
    """The simulator marks bills paid without money: only in the demo, debug and tests."""
    explicit = getattr(settings, "PRAJA_PAYMENT_SIMULATOR", None)
    if explicit is not None:
        return bool(explicit)
    return bool(getattr(settings, "DEMO_MODE", False) or settings.DEBUG)
