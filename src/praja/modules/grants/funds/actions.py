"""Writers of grant money: request, verify, approve, disburse (payment order), batch, confirm.

Every write takes its row locks in one order — programme, proposal, tranche — checks the money
rules under them, records its audit event in the same transaction, and is idempotent where a
client may retry (an idempotency key per tranche request and per payment order).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.audit.actions import record
from praja.core.calendar.selectors import local_date
from praja.core.permissions.checks import has_permission
from praja.core.tenancy.context import require_current_tenant
from praja.core.workflow.actions import transition
from praja.modules.grants.funds import contract, rules
from praja.modules.grants.funds.errors import FundsRuleViolation
from praja.modules.grants.funds.models import (
    Disbursement,
    Tranche,
    TrancheStatus,
    TransferBatch,
)
from praja.modules.grants.funds.permissions import REQUEST_TRANCHE, TRANSFER

logger = logging.getLogger(__name__)

TRANCHE_REQUESTED = "grants_funds.tranche_requested"
DISBURSEMENT_ORDERED = "grants_funds.disbursement_ordered"
BATCH_CREATED = "grants_funds.transfer_batch_created"
DISBURSEMENT_REFUSED = "grants_funds.disbursement_refused"

LIVE_TRANCHE_STATUSES = (
    TrancheStatus.REQUESTED,
    TrancheStatus.VERIFIED,
    TrancheStatus.APPROVED,
    TrancheStatus.IN_TRANSFER,
    TrancheStatus.PAID,
)


def _refuse(message: str, code: str, field: str | None = None):
    raise FundsRuleViolation(message, code=code, field=field)


def _require(actor, permission: str) -> None:
    if actor is None or not actor.is_authenticated or not has_permission(actor, permission):
        _refuse(_("Anda tidak berwenang melakukan tindakan ini."), "forbidden")


def _requested_total(proposal_id: int, *, exclude_pk: int | None = None) -> int:
    tranches = Tranche.objects.filter(proposal_id=proposal_id, status__in=LIVE_TRANCHE_STATUSES)
    if exclude_pk is not None:
        tranches = tranches.exclude(pk=exclude_pk)
    return tranches.aggregate(total=Sum("amount"))["total"] or 0


def _programme_committed(programme_id: int) -> int:
    """Money of the programme already ordered for payment (in transfer or paid)."""
    return (
        Disbursement.objects.filter(tranche__programme_id=programme_id).aggregate(total=Sum("amount"))[
            "total"
        ]
        or 0
    )


def _refuse_unless_payable(proposal) -> int:
    """The NPHD amount of `proposal` when its NPHD is signed by both parties; else refuse."""
    agreed = contract.signed_nphd_amount(proposal)
    if agreed is None:
        _refuse(rules.nphd_not_signed_message(), "nphd_not_signed")
    return agreed


def request_tranche(*, actor, proposal, amount: int, idempotency_key: str) -> Tranche:
    """Open tahap N of a grant's payment for `amount` Rupiah (N = the next number).

    Refused unless the NPHD is signed by both parties and Σ live tranches + amount ≤ the NPHD
    amount. A repeated call with the same idempotency key returns the tranche it made.
    """
    _require(actor, REQUEST_TRANCHE)
    key = (idempotency_key or "").strip()[:80]
    if not key:
        _refuse(_("Kunci idempotensi wajib diisi."), "idempotency_key_required", "idempotency_key")
    with transaction.atomic():
        existing = Tranche.objects.filter(idempotency_key=key).first()
        if existing is not None:
            if existing.proposal_id != proposal.pk or existing.amount != amount:
                _refuse(
                    _("Kunci idempotensi ini sudah dipakai untuk permintaan lain."),
                    "idempotency_key_reused",
                    "idempotency_key",
                )
            return existing
        locked = contract.lock_proposal(proposal.pk)
        agreed = _refuse_unless_payable(locked)
        message = rules.refuse_tranche_amount(
            amount=amount, agreed=agreed, already_requested=_requested_total(locked.pk)
        )
        if message:
            _refuse(message, "above_agreed_amount", "amount")
        number = Tranche.objects.filter(proposal_id=locked.pk).order_by("-number").first() or None
        tranche = Tranche.objects.create(
            proposal_id=locked.pk,
            programme_id=contract.programme_id_of(locked),
            number=(number.number + 1) if number else 1,
            amount=amount,
            idempotency_key=key,
            requested_by=actor,
        )
        record(
            TRANCHE_REQUESTED,
            actor=actor,
            obj=tranche,
            data={
                "proposal_id": locked.pk,
                "proposal_number": contract.proposal_number(locked),
                "number": tranche.number,
                "amount": amount,
                "nphd_amount": agreed,
            },
        )
    return tranche


def verify_tranche(*, actor, tranche: Tranche, request=None) -> Tranche:
    transition(tranche, "verify", actor=actor, request=request)
    return tranche


def approve_tranche(*, actor, tranche: Tranche, request=None, otp_verified: bool | None = None) -> Tranche:
    """The PPKD/BUD approves the tahap (second factor); the money rules are re-checked first."""
    proposal = contract.get_proposal(tranche.proposal_id)
    _refuse_unless_payable(proposal)
    transition(tranche, "approve", actor=actor, request=request, otp_verified=otp_verified)
    return tranche


def cancel_tranche(*, actor, tranche: Tranche, reason: str, request=None) -> Tranche:
    transition(tranche, "cancel", actor=actor, reason=reason, request=request)
    return tranche


@dataclass(frozen=True)
class DisbursementResult:
    disbursement: Disbursement
    created: bool


def disburse_tranche(*, actor, tranche: Tranche, idempotency_key: str, request=None) -> DisbursementResult:
    """Make the one payment order (LS) of an approved tranche; safe to call any number of times.

    Locks programme, proposal and tranche rows in that order. A tranche that already has its
    payment order (whatever key the caller sends) or a key already used answers with that order
    and `created=False`. Otherwise the rules are checked under the locks: NPHD signed by both
    parties, Σ tranches ≤ NPHD amount, the programme's payments ≤ its envelope, a verified bank
    account in the organisation's name (snapshotted on the order); the amount is the tranche's
    amount, nothing deducted. The tranche moves APPROVED → IN_TRANSFER and the proposal to
    disbursing (G1's request_disbursement / request_next_tranche).
    """
    _require(actor, TRANSFER)
    key = (idempotency_key or "").strip()[:80]
    if not key:
        _refuse(_("Kunci idempotensi wajib diisi."), "idempotency_key_required", "idempotency_key")
    with transaction.atomic():
        contract.lock_programme(tranche.programme_id)
        proposal = contract.lock_proposal(tranche.proposal_id)
        locked = Tranche.objects.select_for_update().get(pk=tranche.pk)
        same_key = Disbursement.objects.filter(idempotency_key=key).first()
        if same_key is not None:
            if same_key.tranche_id != locked.pk:
                _refuse(
                    _("Kunci idempotensi ini sudah dipakai untuk tahap lain."),
                    "idempotency_key_reused",
                    "idempotency_key",
                )
            return DisbursementResult(same_key, False)
        already = Disbursement.objects.filter(tranche=locked).first()
        if already is not None:
            return DisbursementResult(already, False)
        if locked.status != TrancheStatus.APPROVED:
            _refuse(
                _(
                    "Tahap %(number)s belum disetujui (status: %(status)s); hanya tahap yang disetujui "
                    "dapat ditransfer."
                )
                % {"number": locked.number, "status": locked.get_status_display()},
                "tranche_not_approved",
            )
        agreed = _refuse_unless_payable(proposal)
        message = rules.refuse_tranche_amount(
            amount=locked.amount,
            agreed=agreed,
            already_requested=_requested_total(proposal.pk, exclude_pk=locked.pk),
        )
        if message:
            _refuse(message, "above_agreed_amount")
        envelope = contract.programme_envelope(tranche.programme_id)
        message = rules.refuse_envelope(
            amount=locked.amount, envelope=envelope, committed=_programme_committed(tranche.programme_id)
        )
        if message:
            _refuse(message, "above_envelope")
        account = contract.verified_bank_account(proposal)
        if account is None:
            _refuse(rules.no_verified_account_message(), "no_verified_account")
        number = contract.proposal_number(proposal)
        try:
            with transaction.atomic():
                disbursement = Disbursement.objects.create(
                    tranche=locked,
                    idempotency_key=key,
                    amount=locked.amount,
                    reference=rules.transfer_reference(proposal_number=number, tranche_number=locked.number),
                    description=rules.transfer_description(
                        proposal_number=number, tranche_number=locked.number
                    ),
                    beneficiary_name=contract.recipient_name(proposal)[:200],
                    bank_account_id=account.pk,
                    bank_name=account.bank_name,
                    account_number=account.account_number,
                    account_holder=account.holder_name,
                    created_by=actor,
                )
        except IntegrityError:
            # Only reachable where row locks are no-ops and a racing writer won: answer with its order.
            existing = Disbursement.objects.filter(tranche=locked).first()
            if existing is None:
                raise
            return DisbursementResult(existing, False)
        record(
            DISBURSEMENT_ORDERED,
            actor=actor,
            obj=disbursement,
            data={
                "proposal_id": proposal.pk,
                "tranche_id": locked.pk,
                "tranche_number": locked.number,
                "amount": disbursement.amount,
                "reference": disbursement.reference,
                "bank_account_id": account.pk,
                "bank_name": account.bank_name,
                "account_number": account.account_number,
                "account_holder": account.holder_name,
            },
        )
        transition(locked, "send_to_transfer", actor=actor, request=request)
        contract.start_disbursement(proposal, actor=actor, request=request)
    return DisbursementResult(disbursement, True)


def _next_batch_number(tenant, now: datetime.datetime) -> str:
    day = local_date(tenant, now)
    prefix = f"TRF-{day:%Y%m%d}-"
    count = TransferBatch.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{count + 1:03d}"


def create_transfer_batch(*, actor, disbursement_ids: list[int] | None = None) -> TransferBatch:
    """Put the payment orders not yet in a batch (or the given ones) into a new transfer file."""
    _require(actor, TRANSFER)
    tenant = require_current_tenant()
    now = timezone.now()
    with transaction.atomic():
        pending = Disbursement.objects.select_for_update().filter(
            batch__isnull=True, confirmed_at__isnull=True
        )
        if disbursement_ids is not None:
            pending = pending.filter(pk__in=disbursement_ids)
        lines = list(pending.order_by("pk"))
        if not lines:
            _refuse(
                _("Tidak ada perintah pembayaran yang menunggu dimasukkan ke berkas transfer."),
                "nothing_to_batch",
            )
        batch = TransferBatch.objects.create(
            number=_next_batch_number(tenant, now),
            created_by=actor,
            line_count=len(lines),
            total_amount=sum(line.amount for line in lines),
        )
        Disbursement.objects.filter(pk__in=[line.pk for line in lines]).update(batch=batch)
        batch.sha256 = hashlib.sha256(transfer_file_text(batch).encode()).hexdigest()
        batch.save(update_fields=["sha256"])
        record(
            BATCH_CREATED,
            actor=actor,
            obj=batch,
            data={
                "number": batch.number,
                "line_count": batch.line_count,
                "total_amount": batch.total_amount,
                "references": [line.reference for line in lines],
                "sha256": batch.sha256,
            },
        )
    return batch


def transfer_file_text(batch: TransferBatch) -> str:
    """The CSV the finance office hands to the bank for `batch` (same bytes every time)."""
    lines = [
        rules.TransferLine(
            beneficiary_name=item.account_holder,
            bank_name=item.bank_name,
            account_number=item.account_number,
            amount=item.amount,
            reference=item.reference,
            description=item.description,
        )
        for item in Disbursement.objects.filter(batch=batch).order_by("pk")
    ]
    return rules.render_transfer_csv(lines)


def confirm_disbursement(
    *,
    actor,
    disbursement: Disbursement,
    sp2d_number: str,
    sp2d_date: datetime.date,
    bank_reference: str = "",
    request=None,
) -> Disbursement:
    """Record the SP2D (and the bank's reference) of a payment order: its tranche is PAID.

    Confirming an order already confirmed with the same SP2D number changes nothing; with another
    number it is refused. When no other order of the proposal waits for the bank, the proposal
    moves on to implementation (G1's confirm_disbursement).
    """
    _require(actor, TRANSFER)
    sp2d_number = (sp2d_number or "").strip()
    if not sp2d_number:
        _refuse(_("Nomor SP2D wajib diisi."), "sp2d_required", "sp2d_number")
    with transaction.atomic():
        proposal = contract.lock_proposal(disbursement.tranche.proposal_id)
        locked = Disbursement.objects.select_for_update().select_related("tranche").get(pk=disbursement.pk)
        if locked.confirmed_at is not None:
            if locked.sp2d_number == sp2d_number:
                return locked
            _refuse(
                _("Pembayaran %(reference)s sudah dikonfirmasi dengan SP2D %(number)s.")
                % {"reference": locked.reference, "number": locked.sp2d_number},
                "already_confirmed",
            )
        if locked.batch_id is None:
            _refuse(
                _("Pembayaran %(reference)s belum dimasukkan ke berkas transfer.")
                % {"reference": locked.reference},
                "not_in_batch",
            )
        now = timezone.now()
        locked.sp2d_number = sp2d_number[:60]
        locked.sp2d_date = sp2d_date
        locked.bank_reference = (bank_reference or "").strip()[:80]
        locked.confirmed_by = actor
        locked.confirmed_at = now
        locked.save(
            update_fields=["sp2d_number", "sp2d_date", "bank_reference", "confirmed_by", "confirmed_at"]
        )
        transition(
            locked.tranche,
            "confirm_paid",
            actor=actor,
            request=request,
            updates={"paid_at": now},
            data={
                "sp2d_number": locked.sp2d_number,
                "sp2d_date": sp2d_date.isoformat(),
                "reference": locked.reference,
            },
        )
        waiting = Tranche.objects.filter(proposal_id=proposal.pk, status=TrancheStatus.IN_TRANSFER).exists()
        if not waiting:
            contract.finish_disbursement(proposal, actor=actor, request=request)
    disbursement.refresh_from_db()
    return locked


@dataclass(frozen=True)
class ConfirmationImport:
    confirmed: list[str]
    already_confirmed: list[str]


def import_bank_confirmation(*, actor, batch: TransferBatch, text: str, request=None) -> ConfirmationImport:
    """Apply the bank's confirmation CSV of `batch`: all lines or none.

    Every reference must belong to the batch; an unknown reference, a bad row or a conflicting SP2D
    refuses the whole file with the rows named.
    """
    _require(actor, TRANSFER)
    try:
        lines = rules.parse_confirmation_csv(text)
    except rules.ConfirmationFileError as error:
        _refuse(" ".join(error.problems), "bad_confirmation_file", "file")
    orders = {
        item.reference: item for item in Disbursement.objects.filter(batch=batch).select_related("tranche")
    }
    unknown = [line.reference for line in lines if line.reference not in orders]
    if unknown:
        _refuse(
            _("Referensi berikut bukan bagian dari berkas %(batch)s: %(references)s.")
            % {"batch": batch.number, "references": ", ".join(unknown)},
            "unknown_reference",
            "file",
        )
    confirmed: list[str] = []
    already: list[str] = []
    with transaction.atomic():
        for line in lines:
            order = orders[line.reference]
            was_confirmed = order.confirmed_at is not None
            confirm_disbursement(
                actor=actor,
                disbursement=order,
                sp2d_number=line.sp2d_number,
                sp2d_date=line.sp2d_date,
                bank_reference=line.bank_reference,
                request=request,
            )
            (already if was_confirmed else confirmed).append(line.reference)
    return ConfirmationImport(confirmed, already)
