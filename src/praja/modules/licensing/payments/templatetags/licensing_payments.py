"""Template helpers of retribusi billing: `{% licensing_bill application as bill %}`, `|rupiah`."""

from __future__ import annotations

from django import template

from praja.modules.licensing.payments import rules, selectors
from praja.modules.licensing.payments.gateway import get_provider, is_simulator_enabled

register = template.Library()


@register.simple_tag
def licensing_bill(application):
    """The application's bill to show (live first), or None."""
    return selectors.get_bill_for_application(application)


@register.simple_tag
def payment_url(bill) -> str:
    """Where the payer goes to pay `bill` ("" when no online payment is available)."""
    if bill is None or not bill.is_payable:
        return ""
    provider = get_provider(bill.provider)
    if provider.name == "simulator" and not is_simulator_enabled():
        return ""
    return provider.create_payment(bill)


@register.filter
def rupiah(amount) -> str:
    """1500000 -> "Rp1.500.000"."""
    if amount in (None, ""):
        return ""
    return rules.format_rupiah(int(amount))


@register.filter
def billing_code_groups(code: str) -> str:
    """3273260123456786 -> "3273 2601 2345 6786"."""
    return rules.format_billing_code(code or "")
