"""Test helpers of retribusi billing, and the isolation factories for its models.

    make_permit_type(tenant, **fields) -> PermitType           published, with a requirement set
    make_application(tenant, *, status=AWAITING_PAYMENT, fee_amount=1_500_000, **fields) -> Application
    make_bill(tenant, **application_fields) -> Bill            through actions.create_bill
    signed_callback(bill, **overrides) -> (body bytes, headers) the simulator's signed notice

Applications are put in the wanted state directly (registry.allow_status_assignment), as demo
loaders do: these helpers test billing, not the licensing workflow.
"""

from __future__ import annotations

import itertools
import json

from django.utils import timezone

from praja.core.testing.isolation import register_isolation_factory
from praja.core.workflow.registry import allow_status_assignment

_serial = itertools.count(1)


def make_permit_type(tenant, **fields):
    from praja.core.tenancy.context import use_tenant
    from praja.modules.licensing.models import FormField, PermitType, RequirementSet

    number = next(_serial)
    fields.setdefault("code", f"izin-uji-{number}")
    fields.setdefault("name", f"Izin Uji {number}")
    fields.setdefault("legal_basis", "Perda Kota Bandung Nomor 1 Tahun 2024")
    fields.setdefault("sla_working_days", 5)
    fields.setdefault("fee_kind", "fixed")
    fields.setdefault("fee_amount", 1_500_000)
    fields.setdefault("permit_number_prefix", "503/UJI")
    fields.setdefault("is_published", True)
    with use_tenant(tenant):
        permit_type = PermitType.objects.create(**fields)
        requirement_set = RequirementSet.objects.create(
            permit_type=permit_type, version=1, effective_from=timezone.now(), published_at=timezone.now()
        )
        FormField.objects.create(
            requirement_set=requirement_set, key="luas_m2", label="Luas (m2)", kind="number"
        )
    return permit_type


def make_application(tenant, *, permit_type=None, applicant=None, status="awaiting_payment", **fields):
    from praja.core.accounts.models import User
    from praja.core.tenancy.context import use_tenant
    from praja.modules.licensing.models import Application

    permit_type = permit_type or make_permit_type(tenant)
    number = next(_serial)
    if applicant is None:
        applicant = User.objects.create_user(
            email=f"pemohon{number}-{tenant.pk}@contoh.id",
            password=None,
            full_name=f"Pemohon Rahasia {number}",
            home_tenant=tenant,
        )
    now = timezone.now()
    if status in ("approved", "awaiting_payment", "paid", "issued") and "approved_by" not in fields:
        fields["approved_by"] = make_head(tenant)
        fields.setdefault("approved_at", now)
    fields.setdefault("tracking_number", f"UJI-{now.year}-{number:06d}")
    fields.setdefault("fee_amount", permit_type.fee_amount if permit_type.fee_kind == "fixed" else 1_500_000)
    if status != "draft":
        fields.setdefault("submitted_at", now)
    with use_tenant(tenant), allow_status_assignment():
        return Application.objects.create(
            permit_type=permit_type,
            requirement_set=permit_type.requirement_sets.order_by("-version").first(),
            applicant=applicant,
            status=status,
            **fields,
        )


def make_head(tenant):
    """A Kepala DPMPTSP of `tenant` (the signer of permits issued after payment)."""
    from praja.core.accounts.models import RoleGrant, User
    from praja.core.tenancy.context import use_tenant

    number = next(_serial)
    head = User.objects.create_user(
        email=f"kepala{number}-{tenant.pk}@contoh.go.id",
        password=None,
        full_name=f"Kepala DPMPTSP {number}",
        home_tenant=tenant,
    )
    with use_tenant(tenant):
        RoleGrant.objects.create(user=head, role="licensing_head")
    return head


def make_bill(tenant, *, application=None, **application_fields):
    from praja.core.tenancy.context import use_tenant
    from praja.modules.licensing.payments.actions import create_bill

    application = application or make_application(tenant, **application_fields)
    with use_tenant(tenant):
        return create_bill(application=application)


def signed_callback(bill, *, secret: bytes | None = None, **overrides) -> tuple[bytes, dict]:
    """The simulator's signed callback for `bill`, with fields overridden (and re-signed)."""
    from praja.modules.licensing.payments import rules
    from praja.modules.licensing.payments.gateway import tenant_callback_secret

    notice = {
        "billing_code": bill.billing_code,
        "amount": bill.amount,
        "payment_reference": f"REF-{bill.billing_code}",
        "paid_at": timezone.now().isoformat(),
        "channel": "qris",
    }
    notice.update(overrides)
    body = json.dumps(notice).encode()
    key = secret if secret is not None else tenant_callback_secret(bill.tenant)
    return body, {rules.SIGNATURE_HEADER: rules.sign_callback(key, body)}


@register_isolation_factory("licensing_payments.Bill")
def _bill(tenant, marker, make_user):
    permit_type = make_permit_type(tenant, name=f"Izin Reklame {marker}")
    applicant = make_user(tenant, marker)
    return make_bill(tenant, permit_type=permit_type, applicant=applicant)


@register_isolation_factory("licensing_payments.Payment")
def _payment(tenant, marker, make_user):
    from praja.modules.licensing.payments.gateway import read_notice
    from praja.modules.licensing.payments.models import Payment

    bill = _bill(tenant, marker, make_user)
    body, _headers = signed_callback(bill, payment_reference=f"REF-{marker}-{bill.pk}")
    notice = read_notice(body)
    # Stored directly: a payment row without running the licensing workflow's issuance.
    return Payment.objects.create(
        bill=bill,
        provider="simulator",
        payment_reference=notice.payment_reference,
        channel=notice.channel,
        amount=notice.amount,
        paid_at=notice.paid_at,
        received_at=timezone.now(),
        outcome="duplicate",
    )
