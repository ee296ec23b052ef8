"""Pages of the local payment simulator: the stand-in for a bank's payment page (demo and tests).

/t/<slug>/licensing/payments/simulator/<billing_code>/   GET: the bill and the channels; POST: pay.

No login: a real payer reaches the bank's page by the billing code alone, and the page shows no
personal data (permit type, amount, due date). Paying sends the gateway's signed callback to the
same handler the callback endpoint uses (api.handle_callback), so the signature check, the row lock
and the idempotency are exercised exactly as for a bank. Answers 404 when the simulator is
switched off (production: settings.PRAJA_PAYMENT_SIMULATOR false, or neither demo nor debug).
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from praja.modules.licensing.payments import selectors
from praja.modules.licensing.payments.gateway import SimulatorProvider, is_simulator_enabled
from praja.modules.licensing.payments.models import PaymentChannel


class SimulatedPaymentForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Cara membayar"),
        choices=PaymentChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih cara membayar: transfer bank, virtual account atau QRIS.")},
    )


@require_http_methods(["GET", "POST"])
def payment_simulator(request: HttpRequest, billing_code: str) -> HttpResponse:
    if not is_simulator_enabled():
        raise Http404
    bill = selectors.get_bill_by_code(billing_code)
    if bill is None:
        raise Http404
    form = SimulatedPaymentForm(request.POST if request.method == "POST" else None)
    result = None
    status = 200
    if request.method == "POST":
        if not bill.is_payable:
            status = 409
        elif form.is_valid():
            from praja.modules.licensing.payments.api import handle_callback

            provider = SimulatorProvider()
            body, headers = provider.build_callback(bill, channel=form.cleaned_data["channel"])
            result = handle_callback(
                tenant=request.tenant,
                body=body,
                headers=headers,
                provider=provider,
                ip_address=request.META.get("REMOTE_ADDR", ""),
            )
            bill.refresh_from_db()
            status = 200 if not result.is_refusal else result.http_status
        else:
            status = 400
    return render(
        request,
        "licensing_payments/simulator.html",
        {"bill": bill, "form": form, "result": result, "channels": PaymentChannel},
        status=status,
    )
