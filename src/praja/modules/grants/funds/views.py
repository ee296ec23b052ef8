"""Pages of grant funds for officials and recipients: the disbursement queue, one grant's money and
LPJ, transfer batches, and the inspectorate's complaints.

Thin: parse with forms, read with selectors, write with one action, render; a refusal becomes an
Indonesian message on the same page and changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from praja.core.permissions.checks import has_permission, requires_second_factor
from praja.core.tenancy.middleware import not_found_response
from praja.core.tenancy.urls import tenant_reverse
from praja.core.web.access import (
    forbidden_response,
    holds_any_permission,
    is_second_factor_verified,
    login_url_for,
    second_factor_gate,
    tenant_page_refusal,
    tenant_permission_required,
)
from praja.core.workflow.errors import WorkflowError
from praja.modules.grants.funds import actions, complaints, contract, forms, lpj, selectors
from praja.modules.grants.funds.models import Complaint, Disbursement, Tranche, TrancheStatus, TransferBatch
from praja.modules.grants.funds.permissions import (
    APPROVE_TRANCHE,
    HANDLE_COMPLAINTS,
    REQUEST_TRANCHE,
    REVIEW_LPJ,
    TRANSFER,
    VERIFY_TRANCHE,
)
from praja.modules.grants.models import Proposal, ProposalStatus


def official_required(*permissions: str) -> Callable:
    """Login, membership, one of `permissions`; the second factor for roles that need one."""
    return tenant_permission_required(*permissions, second_factor=None)


def _refusal_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _back(request, name: str, **kwargs) -> HttpResponseRedirect:
    return HttpResponseRedirect(tenant_reverse(name, tenant=request.tenant, kwargs=kwargs or None))


@official_required(*selectors.OFFICIAL_PERMISSIONS)
def queue_page(request: HttpRequest) -> HttpResponse:
    tranches = list(selectors.list_tranche_queue()[:200])
    lpj_waiting = list(
        Proposal.objects.filter(status=ProposalStatus.LPJ_SUBMITTED)
        .select_related("organisation")
        .order_by("pk")[:200]
    )
    return render(
        request,
        "grants_funds/queue.html",
        {
            "tranches": tranches,
            "lpj_waiting": lpj_waiting,
            "can_transfer": has_permission(request.user, TRANSFER),
        },
    )


def _tranche_buttons(user, tranche: Tranche) -> list[tuple[str, str]]:
    buttons = []
    if tranche.status == TrancheStatus.REQUESTED and has_permission(user, VERIFY_TRANCHE):
        buttons.append(("verify", _("Verifikasi")))
    if tranche.status == TrancheStatus.VERIFIED and has_permission(user, APPROVE_TRANCHE):
        buttons.append(("approve", _("Setujui pencairan")))
    if tranche.status == TrancheStatus.APPROVED and has_permission(user, TRANSFER):
        buttons.append(("disburse", _("Buat perintah transfer")))
    return buttons


@require_http_methods(["GET", "POST"])
def proposal_funds_page(request: HttpRequest, proposal_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponseRedirect(login_url_for(request))
    try:
        proposal = selectors.access_proposal_by_id(request.user, proposal_id)
    except Proposal.DoesNotExist:
        return not_found_response(request)
    is_official = selectors.is_funds_official(request.user)
    if is_official and requires_second_factor(request.user) and not is_second_factor_verified(request.user):
        return second_factor_gate(request)
    request_form = forms.TrancheRequestForm(initial={"idempotency_key": uuid.uuid4().hex})
    review_form = forms.LpjReviewForm()
    if request.method == "POST":
        if request.POST.get("form") == "tranche" and has_permission(request.user, REQUEST_TRANCHE):
            request_form = forms.TrancheRequestForm(request.POST)
            if request_form.is_valid():
                try:
                    tranche = actions.request_tranche(
                        actor=request.user,
                        proposal=proposal,
                        amount=request_form.cleaned_data["amount"],
                        idempotency_key=request_form.cleaned_data["idempotency_key"],
                    )
                    messages.success(request, _("Tahap %(number)s diajukan.") % {"number": tranche.number})
                    return _back(request, "grants-funds-proposal", proposal_id=proposal.pk)
                except (ValidationError, WorkflowError) as error:
                    request_form.add_error("amount", _refusal_text(error))
        elif request.POST.get("form") == "review" and has_permission(request.user, REVIEW_LPJ):
            review_form = forms.LpjReviewForm(request.POST)
            if review_form.is_valid():
                try:
                    lpj.review_lpj(
                        actor=request.user,
                        proposal=proposal,
                        accept=review_form.cleaned_data["decision"] == "accept",
                        reasons=review_form.cleaned_data["reasons"],
                        request=request,
                    )
                    messages.success(request, _("Hasil pemeriksaan LPJ disimpan."))
                    return _back(request, "grants-funds-proposal", proposal_id=proposal.pk)
                except (ValidationError, WorkflowError) as error:
                    review_form.add_error(None, _refusal_text(error))
        else:
            return forbidden_response(request)
    tranches = selectors.list_tranches(proposal)
    context = {
        "proposal": proposal,
        "is_official": is_official,
        "is_party": contract.is_party(request.user, proposal),
        "nphd_amount": contract.signed_nphd_amount(proposal),
        "lpj_due": contract.lpj_due_date(proposal),
        "rows": [{"tranche": item, "buttons": _tranche_buttons(request.user, item)} for item in tranches],
        "can_request": has_permission(request.user, REQUEST_TRANCHE),
        "can_cancel": has_permission(request.user, VERIFY_TRANCHE),
        "can_review": has_permission(request.user, REVIEW_LPJ)
        and proposal.status == ProposalStatus.LPJ_SUBMITTED,
        "can_submit_lpj": contract.is_party(request.user, proposal)
        and proposal.status
        in (ProposalStatus.IN_PROGRESS, ProposalStatus.LPJ_REJECTED, ProposalStatus.LPJ_OVERDUE),
        "lpj_reports": selectors.list_lpj_reports(proposal),
        "request_form": request_form,
        "review_form": review_form,
        "cancel_form": forms.CancelForm(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "grants_funds/proposal.html", context, status=status)


TRANCHE_ACTIONS = {
    "verify": VERIFY_TRANCHE,
    "approve": APPROVE_TRANCHE,
    "disburse": TRANSFER,
    "cancel": VERIFY_TRANCHE,
}


@require_POST
def tranche_action(request: HttpRequest, tranche_id: int, action: str) -> HttpResponse:
    permission = TRANCHE_ACTIONS.get(action)
    if permission is None:
        return not_found_response(request)
    refused = tenant_page_refusal(request, holds_any_permission(permission))
    if refused:
        return refused
    try:
        tranche = selectors.access_tranche_by_id(request.user, tranche_id)
    except Tranche.DoesNotExist:
        return not_found_response(request)
    try:
        if action == "verify":
            actions.verify_tranche(actor=request.user, tranche=tranche, request=request)
        elif action == "approve":
            actions.approve_tranche(actor=request.user, tranche=tranche, request=request)
        elif action == "disburse":
            actions.disburse_tranche(
                actor=request.user, tranche=tranche, idempotency_key=f"page-{tranche.pk}", request=request
            )
        else:
            form = forms.CancelForm(request.POST)
            actions.cancel_tranche(
                actor=request.user, tranche=tranche, reason=form.data.get("reason", ""), request=request
            )
        messages.success(
            request,
            _("Tahap %(number)s: %(status)s.")
            % {"number": tranche.number, "status": Tranche.objects.get(pk=tranche.pk).get_status_display()},
        )
    except (ValidationError, WorkflowError) as error:
        messages.error(request, _refusal_text(error))
    return _back(request, "grants-funds-proposal", proposal_id=tranche.proposal_id)


@official_required(TRANSFER)
@require_http_methods(["GET", "POST"])
def batches_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            batch = actions.create_transfer_batch(actor=request.user)
            messages.success(request, _("Berkas transfer %(number)s dibuat.") % {"number": batch.number})
            return _back(request, "grants-funds-batch", batch_id=batch.pk)
        except ValidationError as error:
            messages.error(request, _refusal_text(error))
            return _back(request, "grants-funds-batches")
    return render(
        request,
        "grants_funds/batches.html",
        {
            "batches": list(selectors.list_batches()[:100]),
            "pending": list(selectors.list_unbatched_disbursements()),
        },
    )


@official_required(TRANSFER)
@require_http_methods(["GET", "POST"])
def batch_page(request: HttpRequest, batch_id: int) -> HttpResponse:
    try:
        batch = selectors.access_batch_by_id(request.user, batch_id)
    except TransferBatch.DoesNotExist:
        return not_found_response(request)
    upload_form = forms.ConfirmationUploadForm()
    sp2d_form = forms.Sp2dForm()
    status = 200
    if request.method == "POST":
        status = 400
        if request.POST.get("form") == "upload":
            upload_form = forms.ConfirmationUploadForm(request.POST, request.FILES)
            if upload_form.is_valid():
                raw = upload_form.cleaned_data["file"].read(2_000_000)
                try:
                    result = actions.import_bank_confirmation(
                        actor=request.user, batch=batch, text=raw.decode("utf-8-sig"), request=request
                    )
                    messages.success(
                        request,
                        _("%(count)s pembayaran dikonfirmasi.") % {"count": len(result.confirmed)},
                    )
                    return _back(request, "grants-funds-batch", batch_id=batch.pk)
                except UnicodeDecodeError:
                    upload_form.add_error("file", _("Berkas harus CSV berenkode UTF-8."))
                except (ValidationError, WorkflowError) as error:
                    upload_form.add_error("file", _refusal_text(error))
        else:
            sp2d_form = forms.Sp2dForm(request.POST)
            if sp2d_form.is_valid():
                try:
                    order = Disbursement.objects.get(pk=sp2d_form.cleaned_data["disbursement"], batch=batch)
                    actions.confirm_disbursement(
                        actor=request.user,
                        disbursement=order,
                        sp2d_number=sp2d_form.cleaned_data["sp2d_number"],
                        sp2d_date=sp2d_form.cleaned_data["sp2d_date"],
                        bank_reference=sp2d_form.cleaned_data["bank_reference"],
                        request=request,
                    )
                    messages.success(
                        request, _("Pembayaran %(reference)s dikonfirmasi.") % {"reference": order.reference}
                    )
                    return _back(request, "grants-funds-batch", batch_id=batch.pk)
                except Disbursement.DoesNotExist:
                    sp2d_form.add_error(None, _("Pembayaran tidak ditemukan dalam berkas ini."))
                except (ValidationError, WorkflowError) as error:
                    sp2d_form.add_error(None, _refusal_text(error))
    return render(
        request,
        "grants_funds/batch.html",
        {
            "batch": batch,
            "lines": list(selectors.list_batch_disbursements(batch)),
            "upload_form": upload_form,
            "sp2d_form": sp2d_form,
        },
        status=status,
    )


@official_required(TRANSFER)
def batch_csv(request: HttpRequest, batch_id: int) -> HttpResponse:
    try:
        batch = selectors.access_batch_by_id(request.user, batch_id)
    except TransferBatch.DoesNotExist:
        return not_found_response(request)
    response = HttpResponse(actions.transfer_file_text(batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{batch.number}.csv"'
    return response


@require_http_methods(["GET", "POST"])
def lpj_page(request: HttpRequest, proposal_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponseRedirect(login_url_for(request))
    try:
        proposal = selectors.access_proposal_by_id(request.user, proposal_id)
    except Proposal.DoesNotExist:
        return not_found_response(request)
    if not contract.is_party(request.user, proposal):
        return forbidden_response(request)
    form = forms.LpjForm()
    status = 200
    if request.method == "POST":
        form = forms.LpjForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                lpj.submit_lpj(
                    actor=request.user,
                    proposal=proposal,
                    usage_report=data["usage_report"],
                    value_reported=data["value_reported"],
                    statement_file=data["statement_file"],
                    receipt_files=data["receipt_files"],
                    photo_files=data["photo_files"],
                    request=request,
                )
                messages.success(request, _("LPJ diserahkan dan menunggu pemeriksaan."))
                return _back(request, "grants-funds-proposal", proposal_id=proposal.pk)
            except (ValidationError, WorkflowError) as error:
                field = getattr(error, "field", None)
                form.add_error(field if field in form.fields else None, _refusal_text(error))
    return render(
        request,
        "grants_funds/lpj.html",
        {"proposal": proposal, "form": form, "lpj_due": contract.lpj_due_date(proposal)},
        status=status,
    )


@official_required(HANDLE_COMPLAINTS)
def complaints_page(request: HttpRequest) -> HttpResponse:
    return render(
        request, "grants_funds/complaints.html", {"complaints": list(selectors.list_complaints()[:200])}
    )


@official_required(HANDLE_COMPLAINTS)
@require_http_methods(["GET", "POST"])
def complaint_page(request: HttpRequest, complaint_id: int) -> HttpResponse:
    try:
        complaint = selectors.access_complaint_by_id(request.user, complaint_id)
    except Complaint.DoesNotExist:
        return not_found_response(request)
    form = forms.AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                complaints.answer_complaint(
                    actor=request.user, complaint=complaint, answer=form.cleaned_data["answer"]
                )
                messages.success(request, _("Jawaban disimpan."))
                return _back(request, "grants-funds-complaint", complaint_id=complaint.pk)
            except ValidationError as error:
                form.add_error("answer", _refusal_text(error))
    return render(
        request, "grants_funds/complaint.html", {"complaint": complaint, "form": form}, status=status
    )
