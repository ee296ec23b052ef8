"""Writers of bansos cases for individuals/households (workflow "grants.bansos")."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from praja.core.audit.actions import record
from praja.core.workflow.actions import transition
from praja.modules.grants.actions.common import (
    _parse_amount,
    _require,
    next_number,
)
from praja.modules.grants.models import (
    BansosCase,
    Programme,
    ProgrammeKind,
    SocialDataSource,
)
from praja.modules.grants.permissions import (
    MANAGE_BANSOS,
)

# --- Bansos to individuals/households ---------------------------------------------------------------------


def register_bansos_case(
    *,
    actor,
    programme: Programme,
    recipient_name: str,
    amount,
    beneficiary=None,
    recipient_address: str = "",
    social_risk: str = "",
    social_data_source: str = "",
    social_data_reference: str = "",
) -> BansosCase:
    _require(actor, MANAGE_BANSOS)
    errors = {}
    if programme.kind != ProgrammeKind.BANSOS:
        errors["programme"] = _("Penerima perorangan hanya untuk program bansos.")
    if not (recipient_name or "").strip():
        errors["recipient_name"] = _("Isi nama penerima.")
    try:
        amount = _parse_amount(amount, field="amount", label=_("Nilai bansos"))
        if amount <= 0:
            errors["amount"] = _("Nilai bansos harus lebih dari nol Rupiah.")
    except ValidationError as error:
        errors.update(error.message_dict)
    if social_data_source not in SocialDataSource.values:
        errors["social_data_source"] = _("Pilih sumber data sosial.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        year = programme.budget_year
        case = BansosCase.objects.create(
            number=f"BSS-{year}-{next_number('bansos', year):06d}",
            programme=programme,
            beneficiary=beneficiary,
            recipient_name=recipient_name.strip(),
            recipient_address=(recipient_address or "").strip(),
            amount=amount,
            social_risk=(social_risk or "").strip(),
            social_data_source=social_data_source,
            social_data_reference=(social_data_reference or "").strip(),
            created_by=actor,
        )
        record(
            "grants.bansos_registered",
            actor=actor,
            obj=case,
            data={"programme": programme.code, "amount": amount},
        )
    return case


def verify_bansos_case(*, actor, case: BansosCase, request=None) -> BansosCase:
    transition(case, "verify_social_data", actor=actor, request=request)
    return case


def screen_bansos_case(*, actor, case: BansosCase, request=None) -> BansosCase:
    """Run G2's duplicate screening on the beneficiary, then pass when no flag is open."""
    if case.beneficiary_id:
        try:
            from praja.modules.grants.screening.actions import screen_beneficiary
        except ImportError:
            screen_beneficiary = None
        if screen_beneficiary is not None:
            screen_beneficiary(beneficiary=case.beneficiary, actor=None)
    transition(case, "mark_screened", actor=actor, request=request)
    return case


def cancel_bansos_case(*, actor, case: BansosCase, reason: str, request=None) -> BansosCase:
    reason = (reason or "").strip()
    transition(
        case, "cancel", actor=actor, reason=reason, request=request, updates={"cancellation_reason": reason}
    )
    return case
