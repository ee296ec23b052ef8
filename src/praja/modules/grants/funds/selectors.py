"""Reads of grant funds for officials and recipients; ids from users go through access_*_by_id.

Missing and forbidden answer the same: the model's DoesNotExist.
"""

from __future__ import annotations

from praja.core.permissions.checks import has_permission
from praja.modules.grants.funds import contract
from praja.modules.grants.funds.models import (
    Complaint,
    Disbursement,
    LpjReport,
    Tranche,
    TrancheStatus,
    TransferBatch,
)
from praja.modules.grants.funds.permissions import HANDLE_COMPLAINTS, REVIEW_LPJ, TRANSFER, VIEW_FUNDS
from praja.modules.grants.models import Proposal

OFFICIAL_PERMISSIONS = (VIEW_FUNDS, TRANSFER, REVIEW_LPJ)


def is_funds_official(user) -> bool:
    return bool(user and user.is_authenticated) and any(
        has_permission(user, permission) for permission in OFFICIAL_PERMISSIONS
    )


def access_proposal_by_id(user, proposal_id) -> Proposal:
    """An awarded proposal seen by a funds official or by its recipient (applicant/representative)."""
    proposal = (
        Proposal.objects.select_related("organisation", "programme")
        .filter(pk=proposal_id, status__in=contract.AWARDED_STATUSES)
        .first()
    )
    if proposal is None or not (is_funds_official(user) or contract.is_party(user, proposal)):
        raise Proposal.DoesNotExist
    return proposal


def access_tranche_by_id(user, tranche_id) -> Tranche:
    tranche = Tranche.objects.select_related("proposal").filter(pk=tranche_id).first()
    if tranche is None or not is_funds_official(user):
        raise Tranche.DoesNotExist
    return tranche


def access_disbursement_by_id(user, disbursement_id) -> Disbursement:
    item = Disbursement.objects.select_related("tranche", "batch").filter(pk=disbursement_id).first()
    if item is None or not (user and user.is_authenticated and has_permission(user, TRANSFER)):
        raise Disbursement.DoesNotExist
    return item


def access_batch_by_id(user, batch_id) -> TransferBatch:
    batch = TransferBatch.objects.filter(pk=batch_id).first()
    if batch is None or not (user and user.is_authenticated and has_permission(user, TRANSFER)):
        raise TransferBatch.DoesNotExist
    return batch


def access_complaint_by_id(user, complaint_id) -> Complaint:
    complaint = Complaint.objects.select_related("proposal").filter(pk=complaint_id).first()
    if complaint is None or not (user and user.is_authenticated and has_permission(user, HANDLE_COMPLAINTS)):
        raise Complaint.DoesNotExist
    return complaint


def list_tranches(proposal) -> list[Tranche]:
    return list(
        Tranche.objects.filter(proposal_id=proposal.pk)
        .select_related("disbursement", "disbursement__batch")
        .order_by("number")
    )


def list_tranche_queue(status: str | None = None):
    queryset = Tranche.objects.select_related("proposal", "proposal__organisation").order_by(
        "requested_at", "pk"
    )
    if status:
        queryset = queryset.filter(status=status)
    else:
        queryset = queryset.exclude(status__in=[TrancheStatus.PAID, TrancheStatus.CANCELLED])
    return queryset


def list_unbatched_disbursements():
    return Disbursement.objects.filter(batch__isnull=True, confirmed_at__isnull=True).order_by("pk")


def list_batches():
    return TransferBatch.objects.order_by("-created_at", "-pk")


def list_batch_disbursements(batch):
    return Disbursement.objects.filter(batch=batch).select_related("tranche").order_by("pk")


def list_lpj_reports(proposal) -> list[LpjReport]:
    return list(
        LpjReport.objects.filter(proposal_id=proposal.pk)
        .prefetch_related("attachments")
        .order_by("-revision")
    )


def list_complaints(*, answered: bool | None = None):
    queryset = Complaint.objects.select_related("proposal").order_by("-created_at", "-pk")
    if answered is not None:
        queryset = queryset.filter(answered_at__isnull=not answered)
    return queryset
