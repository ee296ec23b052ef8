"""Writers of the public's complaints about a grant ("Laporkan"), answered by the inspectorate."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.audit.actions import record
from praja.core.notifications.actions import notify
from praja.core.permissions.checks import has_permission
from praja.modules.grants.funds import contract
from praja.modules.grants.funds.errors import FundsRuleViolation
from praja.modules.grants.funds.models import Complaint
from praja.modules.grants.funds.permissions import HANDLE_COMPLAINTS

COMPLAINT_RECEIVED = "grants_funds.complaint_received"
COMPLAINT_ANSWERED = "grants_funds.complaint_answered"
COMPLAINT_TEMPLATE = "grants_funds/complaint_received"
TEXT_MIN = 20
TEXT_MAX = 4000
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _new_code() -> str:
    return "LAP-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def inspectors():
    from praja.core.accounts.models import RoleGrant, User

    grants = RoleGrant.objects.filter(role="grants_complaints_inspector", revoked_at__isnull=True)
    return list(User.objects.filter(pk__in=grants.values("user_id"), is_active=True).order_by("pk"))


def file_complaint(*, proposal, text: str, reporter_name: str = "", reporter_contact: str = "") -> Complaint:
    """Store a public report about an awarded grant and tell the inspectorate (no login needed)."""
    text = (text or "").strip()
    if len(text) < TEXT_MIN:
        raise FundsRuleViolation(
            _("Tuliskan laporan Anda, sedikitnya %(count)s karakter.") % {"count": TEXT_MIN},
            "text_too_short",
            "text",
        )
    if len(text) > TEXT_MAX:
        raise FundsRuleViolation(
            _("Laporan paling panjang %(count)s karakter.") % {"count": TEXT_MAX}, "text_too_long", "text"
        )
    if proposal.status not in contract.AWARDED_STATUSES:
        raise FundsRuleViolation(_("Hibah ini tidak ditemukan."), "not_found")
    with transaction.atomic():
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    complaint = Complaint.objects.create(
                        proposal_id=proposal.pk,
                        reporter_name=(reporter_name or "").strip()[:120],
                        reporter_contact=(reporter_contact or "").strip()[:120],
                        text=text,
                        tracking_code=_new_code(),
                    )
                break
            except IntegrityError:
                continue
        else:
            raise RuntimeError("no free complaint code after 5 draws")
        number = contract.proposal_number(proposal)
        # The reporter's name and contact stay off the chain (it is published); the text's length only.
        record(
            COMPLAINT_RECEIVED,
            obj=complaint,
            data={"proposal_id": proposal.pk, "proposal_number": number, "code": complaint.tracking_code},
        )
        for person in inspectors():
            notify(
                recipient=person,
                template=COMPLAINT_TEMPLATE,
                context={"code": complaint.tracking_code, "proposal_number": number},
                channels=("in_app",),
            )
    return complaint


def answer_complaint(*, actor, complaint: Complaint, answer: str) -> Complaint:
    if not has_permission(actor, HANDLE_COMPLAINTS):
        raise FundsRuleViolation(_("Anda tidak berwenang melakukan tindakan ini."), "forbidden")
    answer = (answer or "").strip()
    if not answer:
        raise FundsRuleViolation(_("Tuliskan jawaban atas laporan ini."), "answer_required", "answer")
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.answered_at is not None:
            raise FundsRuleViolation(_("Laporan ini sudah dijawab."), "already_answered")
        locked.answer = answer
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.save(update_fields=["answer", "answered_by", "answered_at"])
        record(COMPLAINT_ANSWERED, actor=actor, obj=locked, data={"code": locked.tracking_code})
    return locked
