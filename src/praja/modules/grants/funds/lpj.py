"""Writers of accountability (LPJ): submit, review, and the overdue sweep with its sanctions.

The LPJ's stage is the proposal's status in G1's workflow "grants.proposal" (lpj_submitted,
lpj_rejected, lpj_overdue, closed); LpjReport keeps each submission, its files and its review.
Permendagri 32/2011 Pasal 19–20 (as amended): the report is due by 10 January of the year after
the budget year; a recipient who does not report is excluded from new grants and returns the
unaccounted money to the kas daerah.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.accounts.selectors import get_supervisor_of
from praja.core.calendar.selectors import local_date
from praja.core.documents.actions import store_upload
from praja.core.notifications.actions import notify
from praja.core.permissions.checks import has_permission
from praja.core.tenancy.context import require_current_tenant
from praja.core.workflow.actions import transition
from praja.modules.grants.funds import contract, rules
from praja.modules.grants.funds.errors import FundsRuleViolation
from praja.modules.grants.funds.models import LpjAttachment, LpjAttachmentKind, LpjReport
from praja.modules.grants.funds.permissions import REVIEW_LPJ

logger = logging.getLogger(__name__)

LPJ_SUBMITTED = "grants_funds.lpj_submitted"
LPJ_OVERDUE_ESCALATED = "grants_funds.lpj_overdue_escalated"
LPJ_OVERDUE_TEMPLATE = "grants_funds/lpj_overdue"
LPJ_ALLOWED_TYPES = ("pdf", "jpeg", "png")


def _refuse(message: str, code: str, field: str | None = None):
    raise FundsRuleViolation(message, code=code, field=field)


def submit_lpj(
    *,
    actor,
    proposal,
    usage_report: str,
    value_reported: int,
    statement_file,
    receipt_files: list,
    photo_files: list,
    request=None,
) -> LpjReport:
    """The recipient files its LPJ: usage report, responsibility statement, receipts and photos.

    Only the applicant or a representative of the organisation may file it, while the LPJ is owed
    (implementation, returned for revision, or overdue). Each file is checked by type and size.
    """
    if not contract.is_party(actor, proposal):
        _refuse(_("Hanya penerima hibah yang dapat menyerahkan LPJ."), "forbidden")
    from praja.modules.grants.models import ProposalStatus

    allowed = (ProposalStatus.IN_PROGRESS, ProposalStatus.LPJ_REJECTED, ProposalStatus.LPJ_OVERDUE)
    if proposal.status not in allowed:
        _refuse(
            _('LPJ tidak dapat diserahkan pada tahap "%(stage)s".')
            % {"stage": proposal.get_status_display()},
            "lpj_not_owed",
        )
    usage_report = (usage_report or "").strip()
    problems = {}
    if not usage_report:
        problems["usage_report"] = _("Isi laporan penggunaan hibah.")
    if value_reported is None or value_reported < 0:
        problems["value_reported"] = _("Isi nilai yang dipertanggungjawabkan (Rupiah, tidak negatif).")
    if statement_file is None:
        problems["statement_file"] = _("Unggah surat pernyataan tanggung jawab.")
    if not receipt_files:
        problems["receipt_files"] = _("Unggah bukti pengeluaran yang lengkap dan sah.")
    if not photo_files:
        problems["photo_files"] = _("Unggah sedikitnya satu foto kegiatan.")
    if problems:
        field, message = next(iter(problems.items()))
        error = FundsRuleViolation(message, code="lpj_incomplete", field=field)
        error.problems = problems
        raise error
    with transaction.atomic():
        stored = [
            (
                LpjAttachmentKind.STATEMENT,
                store_upload(
                    actor=actor,
                    uploaded_file=statement_file,
                    allowed_types=("pdf",),
                    case=proposal,
                    purpose="lpj_statement",
                ),
            )
        ]
        stored += [
            (
                LpjAttachmentKind.RECEIPTS,
                store_upload(
                    actor=actor,
                    uploaded_file=item,
                    allowed_types=LPJ_ALLOWED_TYPES,
                    case=proposal,
                    purpose="lpj_receipt",
                ),
            )
            for item in receipt_files
        ]
        stored += [
            (
                LpjAttachmentKind.PHOTO,
                store_upload(
                    actor=actor,
                    uploaded_file=item,
                    allowed_types=("jpeg", "png"),
                    case=proposal,
                    purpose="lpj_photo",
                ),
            )
            for item in photo_files
        ]
        revision = (
            LpjReport.objects.filter(proposal_id=proposal.pk).aggregate(last=Max("revision"))["last"] or 0
        ) + 1
        report = LpjReport.objects.create(
            proposal_id=proposal.pk,
            revision=revision,
            usage_report=usage_report,
            value_reported=value_reported,
            submitted_by=actor,
            submitted_at=timezone.now(),
        )
        LpjAttachment.objects.bulk_create(
            [
                LpjAttachment(tenant=report.tenant, lpj=report, kind=kind, stored_file=item)
                for kind, item in stored
            ]
        )
        transition(
            proposal,
            contract.SUBMIT_LPJ,
            actor=actor,
            request=request,
            data={"lpj_id": report.pk, "revision": revision, "value_reported": value_reported},
        )
    return report


def latest_lpj(proposal) -> LpjReport | None:
    return LpjReport.objects.filter(proposal_id=proposal.pk).order_by("-revision").first()


def review_lpj(*, actor, proposal, accept: bool, reasons: str = "", request=None) -> LpjReport:
    """Accept the latest LPJ (the grant is closed, a suspension for it is lifted) or return it."""
    if not has_permission(actor, REVIEW_LPJ):
        _refuse(_("Anda tidak berwenang melakukan tindakan ini."), "forbidden")
    reasons = (reasons or "").strip()
    if not accept and not reasons:
        _refuse(
            _("Tuliskan alasan pengembalian LPJ; penerima akan membacanya."), "reason_required", "reasons"
        )
    with transaction.atomic():
        report = (
            LpjReport.objects.select_for_update()
            .filter(proposal_id=proposal.pk)
            .order_by("-revision")
            .first()
        )
        if report is None or report.reviewed_at is not None:
            _refuse(_("Tidak ada LPJ yang menunggu pemeriksaan."), "nothing_to_review")
        transition(
            proposal,
            contract.ACCEPT_LPJ if accept else contract.REJECT_LPJ,
            actor=actor,
            reason="" if accept else reasons,
            request=request,
            data={"lpj_id": report.pk, "revision": report.revision},
        )
        report.reviewed_by = actor
        report.reviewed_at = timezone.now()
        report.is_accepted = accept
        report.review_reasons = reasons
        report.save(update_fields=["reviewed_by", "reviewed_at", "is_accepted", "review_reasons"])
        if accept and proposal.organisation_id and not _other_lpj_overdue(proposal):
            _lift_lpj_suspension(proposal)
    return report


def _other_lpj_overdue(proposal) -> bool:
    from praja.modules.grants.models import Proposal, ProposalStatus

    return (
        Proposal.objects.filter(organisation_id=proposal.organisation_id, status=ProposalStatus.LPJ_OVERDUE)
        .exclude(pk=proposal.pk)
        .exists()
    )


def _lift_lpj_suspension(proposal) -> None:
    from praja.modules.grants.models import Organisation, OrganisationStatus

    organisation = Organisation.objects.get(pk=proposal.organisation_id)
    if organisation.status != OrganisationStatus.SUSPENDED:
        return
    if rules.REGULATION_ACCOUNTABILITY not in organisation.suspension_legal_basis:
        return  # suspended for another reason: not ours to lift
    contract.lift_organisation_suspension(
        organisation.pk,
        reason=_("LPJ hibah %(number)s diterima.") % {"number": contract.proposal_number(proposal)},
    )


def mark_overdue_lpjs(*, now: datetime.datetime | None = None) -> list[int]:
    """Mark the active tenant's owed LPJs past their deadline overdue, with the sanctions.

    For each: the proposal moves to lpj_overdue (system), an "lpj_overdue" flag is raised, the LPJ
    reviewers of the supervising office and their supervisors are told, and the organisation is
    suspended from new calls until its LPJ is accepted. The deadline is a local date of the tenant:
    overdue from the next local day. Returns the ids of the proposals marked in this run.
    """
    from praja.modules.grants.models import Proposal
    from praja.modules.grants.screening import actions as screening_actions

    tenant = require_current_tenant()
    now = now or timezone.now()
    today = local_date(tenant, now)
    marked: list[int] = []
    candidates = list(
        Proposal.objects.filter(status__in=contract.LPJ_OWED_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in candidates:
        with transaction.atomic():
            proposal = contract.lock_proposal(pk)
            if proposal.status not in contract.LPJ_OWED_STATUSES:
                continue
            due = contract.lpj_due_date(proposal)
            if not rules.is_lpj_overdue(due, today):
                continue
            number = contract.proposal_number(proposal)
            transition(
                proposal, contract.MARK_LPJ_OVERDUE, actor=None, data={"lpj_deadline": due.isoformat()}
            )
            explanation = _("LPJ hibah %(number)s belum diterima sampai batas %(due)s (%(regulation)s).") % {
                "number": number,
                "due": due.isoformat(),
                "regulation": rules.REGULATION_ACCOUNTABILITY,
            }
            screening_actions.raise_flag(
                kind="lpj_overdue",
                subject=proposal,
                explanation=explanation,
                evidence={"lpj_deadline": due.isoformat(), "proposal_number": number},
                severity="high",
            )
            if proposal.organisation_id:
                contract.suspend_organisation(
                    proposal.organisation_id,
                    reason=explanation,
                    legal_basis=_(
                        "%(regulation)s: penerima yang tidak menyampaikan LPJ dikecualikan dari hibah "
                        "berikutnya dan wajib mengembalikan dana ke kas daerah."
                    )
                    % {"regulation": rules.REGULATION_ACCOUNTABILITY},
                )
            _escalate_overdue(proposal, due=due, tenant=tenant)
            marked.append(pk)
    return marked


def lpj_reviewers_for(proposal):
    """People who review this grant's LPJ: grants_lpj_reviewer granted for the supervising office
    (organisation's SKPD pembina, else the programme's managing office) or tenant-wide."""
    from praja.core.accounts.models import RoleGrant, User

    office_id = None
    if proposal.organisation_id and proposal.organisation.supervising_org_unit_id:
        office_id = proposal.organisation.supervising_org_unit_id
    elif proposal.programme.managing_org_unit_id:
        office_id = proposal.programme.managing_org_unit_id
    grants = RoleGrant.objects.filter(role="grants_lpj_reviewer", revoked_at__isnull=True)
    if office_id is not None:
        from django.db.models import Q

        grants = grants.filter(Q(org_unit_id=office_id) | Q(org_unit__isnull=True))
    return list(User.objects.filter(pk__in=grants.values("user_id"), is_active=True).order_by("pk"))


def _escalate_overdue(proposal, *, due, tenant) -> None:
    reviewers = lpj_reviewers_for(proposal)
    recipients = {person.pk: person for person in reviewers}
    for person in reviewers:
        supervisor = get_supervisor_of(person)
        if supervisor is not None:
            recipients[supervisor.pk] = supervisor
    number = contract.proposal_number(proposal)
    context = {
        "proposal_number": number,
        "recipient": contract.recipient_name(proposal),
        "due_date": due.strftime("%d-%m-%Y"),
        "regulation": rules.REGULATION_ACCOUNTABILITY,
    }
    for person in recipients.values():
        notify(
            recipient=person,
            template=LPJ_OVERDUE_TEMPLATE,
            context=context,
            tenant=tenant,
            dedup_key=f"lpj-overdue-{proposal.pk}",
        )
    from praja.core.audit.actions import record

    record(
        LPJ_OVERDUE_ESCALATED,
        obj=proposal,
        data={"proposal_number": number, "notified": sorted(recipients), "lpj_deadline": due.isoformat()},
    )
