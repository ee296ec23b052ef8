"""Reads of the grants module: organisations, programmes, proposals, queues, eligibility facts."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.permissions.checks import has_permission
from praja.core.permissions.roles import VIEW_ALL_CASES
from praja.core.tenancy.context import require_current_tenant
from praja.core.tenancy.urls import tenant_reverse
from praja.modules.grants import rules
from praja.modules.grants.models import (
    BansosCase,
    Decree,
    Nphd,
    Organisation,
    OrganisationStatus,
    Programme,
    ProgrammeKind,
    Proposal,
    ProposalStatus,
)
from praja.modules.grants.permissions import (
    APPROVE_DECREE,
    CHECK_COMPLETENESS,
    CONSIDER_TAPD,
    EVALUATE,
    MANAGE_BANSOS,
    MANAGE_PROGRAMMES,
    PREPARE_DECREE,
    PREPARE_NPHD,
    REVIEW_PROPOSALS,
    ROUTE_PROPOSALS,
    SANCTION_ORGANISATIONS,
    SIGN_NPHD,
    VERIFY_AMOUNT,
    VERIFY_ORGANISATIONS,
    VIEW_PROPOSALS,
)

S = ProposalStatus
# A proposal counts as "funded" (for "not every year") once its recipient is set in a decree.
FUNDED_STATUSES = (
    S.IN_DECREE,
    S.NPHD_SIGNED,
    S.DISBURSING,
    S.IN_PROGRESS,
    S.LPJ_SUBMITTED,
    S.LPJ_REJECTED,
    S.LPJ_OVERDUE,
    S.CLOSED,
)
# Which permission works each queue status, in Sabilulungan's order.
QUEUE_STATUSES = {
    S.SUBMITTED: CHECK_COMPLETENESS,
    S.COMPLETE: REVIEW_PROPOSALS,
    S.ROUTING: ROUTE_PROPOSALS,
    S.EVALUATION: EVALUATE,
    S.RECOMMENDED: VERIFY_AMOUNT,
    S.VERIFIED: CONSIDER_TAPD,
    S.TAPD_APPROVED: PREPARE_DECREE,
    S.IN_DECREE: SIGN_NPHD,
}


# --- Programmes -------------------------------------------------------------------------------------


def get_grants_parameters(tenant) -> dict:
    """The tenant's parameters of the module "grants" (manifest defaults filled in)."""
    from praja.core.tenancy.models import TenantModule
    from praja.modules.grants.manifest import MANIFEST

    row = TenantModule.all_tenants.filter(tenant=tenant, module=MANIFEST.name).only("parameters").first()
    return {**MANIFEST.default_parameters, **(row.parameters if row is not None else {})}


def list_published_programmes() -> QuerySet[Programme]:
    return Programme.objects.filter(is_published=True).order_by("-budget_year", "name")


def list_programmes() -> QuerySet[Programme]:
    return Programme.objects.order_by("-budget_year", "name")


def list_open_programmes(*, now=None) -> QuerySet[Programme]:
    now = now or timezone.now()
    return list_published_programmes().filter(opens_at__lte=now, closes_at__gt=now)


def get_published_programme(code: str) -> Programme | None:
    return list_published_programmes().filter(code=code).first()


def can_manage_programmes(user) -> bool:
    """The grants administrator, or the tenant admin (who manages the region's modules)."""
    from praja.core.permissions.roles import MANAGE_MODULES

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return has_permission(user, MANAGE_PROGRAMMES) or has_permission(user, MANAGE_MODULES)


def access_programme_by_id(user, programme_id) -> Programme:
    """Published programmes for everyone; drafts only for programme managers."""
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        raise Programme.DoesNotExist
    if programme.is_published or can_manage_programmes(user):
        return programme
    raise Programme.DoesNotExist


def programme_allocated(programme: Programme) -> int:
    """Σ of approved decree entries of the programme (what the envelope already carries)."""
    total = Decree.objects.filter(programme=programme, approved_at__isnull=False).aggregate(
        total=Sum("total_amount")
    )["total"]
    return int(total or 0)


# --- Organisations ----------------------------------------------------------------------------------


def is_representative(user, organisation: Organisation) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return (
        organisation.registered_by_id == user.pk or organisation.representatives.filter(pk=user.pk).exists()
    )


def list_organisations_of(user) -> QuerySet[Organisation]:
    if user is None or not user.is_authenticated:
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(Q(registered_by=user) | Q(representatives=user))
        .distinct()
        .order_by("name")
    )


def is_organisation_official(user) -> bool:
    return any(
        has_permission(user, perm) for perm in (VERIFY_ORGANISATIONS, SANCTION_ORGANISATIONS, VIEW_PROPOSALS)
    ) or has_permission(user, VIEW_ALL_CASES)


def access_organisation_by_id(user, organisation_id) -> Organisation:
    """A representative's own organisation, or any submitted one for grants officials of this tenant.
    Missing and forbidden alike raise Organisation.DoesNotExist."""
    if user is None or not user.is_authenticated:
        raise Organisation.DoesNotExist
    organisation = (
        Organisation.objects.select_related("area", "supervising_org_unit", "exemption")
        .filter(pk=organisation_id)
        .first()
    )
    if organisation is None:
        raise Organisation.DoesNotExist
    if is_representative(user, organisation):
        return organisation
    if organisation.status != OrganisationStatus.DRAFT and is_organisation_official(user):
        return organisation
    raise Organisation.DoesNotExist


def list_organisations_for_verification() -> QuerySet[Organisation]:
    return Organisation.objects.filter(status=OrganisationStatus.SUBMITTED).order_by("submitted_at", "pk")


def funded_in_year(organisation: Organisation, budget_year: int) -> bool:
    return Proposal.objects.filter(
        organisation=organisation, programme__budget_year=budget_year, status__in=FUNDED_STATUSES
    ).exists()


def has_overdue_lpj(organisation: Organisation) -> bool:
    return Proposal.objects.filter(organisation=organisation, status=S.LPJ_OVERDUE).exists()


def organisation_refusals(
    organisation: Organisation, programme: Programme, *, on_date: datetime.date | None = None
) -> list[rules.Refusal]:
    """Every eligibility rule of `programme` the organisation fails today, each naming its regulation."""
    tenant = require_current_tenant()
    on_date = on_date or timezone.localdate()
    refusals = rules.check_organisation(
        organisation,
        {**rules.DEFAULT_HIBAH_RULES, **(programme.eligibility_rules or {})},
        on_date=on_date,
        tenant_code=tenant.code,
        funded_previous_year=funded_in_year(organisation, programme.budget_year - 1),
        is_exempt=organisation.exemption_id is not None,
        is_suspended=organisation.status == OrganisationStatus.SUSPENDED,
        has_overdue_lpj=has_overdue_lpj(organisation),
    )
    if organisation.status not in (OrganisationStatus.VERIFIED, OrganisationStatus.SUSPENDED):
        refusals.insert(
            0,
            rules.Refusal(
                "organisation_not_verified",
                str(
                    _("Lembaga %(name)s belum terverifikasi; ajukan verifikasi lembaga terlebih dahulu.")
                    % {"name": organisation.name}
                ),
            ),
        )
    refusals.extend(rules.check_board(organisation.board_members.all(), today=on_date))
    return refusals


# --- Proposals --------------------------------------------------------------------------------------


def proposal_refusals(proposal: Proposal, *, now=None) -> list[rules.Refusal]:
    """Why `proposal` may not be submitted now (empty when it may)."""
    now = now or timezone.now()
    programme = proposal.programme
    refusals = []
    window = rules.check_window(opens_at=programme.opens_at, closes_at=programme.closes_at, now=now)
    if window:
        refusals.append(window)
    dates = rules.check_dates(proposal.start_date, proposal.end_date)
    if dates:
        refusals.append(dates)
    maximum = rules.check_max_amount(proposal.amount_requested, programme.max_amount_per_proposal)
    if maximum:
        refusals.append(maximum)
    refusals.extend(rules.check_rab(proposal.rab_lines.all(), amount_requested=proposal.amount_requested))
    if proposal.organisation_id:
        refusals.extend(
            organisation_refusals(proposal.organisation, programme, on_date=timezone.localdate(now))
        )
    elif programme.kind == ProgrammeKind.HIBAH:
        refusals.append(
            rules.Refusal(
                "legal_entity_required",
                _("Hibah hanya untuk lembaga; pilih lembaga yang Anda wakili."),
                "UU 23/2014 Pasal 298 ayat (5)",
            )
        )
    return refusals


def applicable_documents_for(proposal: Proposal) -> list[dict]:
    rented = bool(proposal.organisation_id and proposal.organisation.secretariat_rented)
    return rules.applicable_documents(
        proposal.programme.required_documents, is_construction=proposal.is_construction, rented_office=rented
    )


def current_documents(proposal: Proposal) -> dict:
    """code -> current ProposalDocument."""
    return {doc.code: doc for doc in proposal.documents.filter(is_current=True).select_related("stored_file")}


def is_grants_official(user, proposal: Proposal | None = None) -> bool:
    org_unit = proposal.org_unit if proposal is not None else None
    return has_permission(user, VIEW_PROPOSALS, org_unit=org_unit) or has_permission(user, VIEW_ALL_CASES)


def is_proposal_party(user, proposal: Proposal) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if proposal.applicant_id == user.pk:
        return True
    return bool(proposal.organisation_id and is_representative(user, proposal.organisation))


def access_proposal_by_id(user, proposal_id) -> Proposal:
    """The applicant's (or a fellow representative's) proposal, or a non-draft one for a grants official
    of this tenant. Missing and forbidden alike raise Proposal.DoesNotExist."""
    if user is None or not user.is_authenticated:
        raise Proposal.DoesNotExist
    proposal = (
        Proposal.objects.select_related("programme", "organisation", "applicant", "org_unit")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise Proposal.DoesNotExist
    if is_proposal_party(user, proposal):
        return proposal
    if proposal.status != S.DRAFT and is_grants_official(user, proposal):
        return proposal
    raise Proposal.DoesNotExist


def list_proposals_of(user) -> QuerySet[Proposal]:
    if user is None or not user.is_authenticated:
        return Proposal.objects.none()
    return (
        Proposal.objects.filter(
            Q(applicant=user) | Q(organisation__representatives=user) | Q(organisation__registered_by=user)
        )
        .distinct()
        .select_related("programme", "organisation")
        .order_by("-created_at", "-pk")
    )


def list_queue(user, *, status: str | None = None) -> list[Proposal]:
    """Proposals waiting for this official, oldest first, per stage they may act on."""
    rows = []
    for queue_status, permission in QUEUE_STATUSES.items():
        if status and status != queue_status:
            continue
        candidates = (
            Proposal.objects.filter(status=queue_status)
            .select_related("programme", "organisation", "org_unit")
            .order_by("updated_at", "pk")
        )
        if queue_status == S.EVALUATION:
            rows.extend(p for p in candidates if has_permission(user, permission, org_unit=p.org_unit))
        elif has_permission(user, permission):
            rows.extend(candidates)
    return rows


def work_queue_items(user) -> list[dict]:
    """Manifest work_queue: proposals and organisations waiting for the official."""
    from praja.core.workflow.selectors import get_sla_status

    items = []
    for proposal in list_queue(user):
        sla = get_sla_status(proposal)
        items.append(
            {
                "title": f"{proposal.number} · {proposal.title}",
                "url": tenant_reverse("grants-official-proposal", kwargs={"proposal_id": proposal.pk}),
                "status_label": str(proposal.get_status_display()),
                "since": proposal.updated_at,
                "sla_days_left": sla.working_days_left if sla and not sla.is_stopped else None,
            }
        )
    if has_permission(user, VERIFY_ORGANISATIONS):
        for organisation in list_organisations_for_verification():
            items.append(
                {
                    "title": str(organisation),
                    "url": tenant_reverse(
                        "grants-official-organisation", kwargs={"organisation_id": organisation.pk}
                    ),
                    "status_label": str(organisation.get_status_display()),
                    "since": organisation.submitted_at,
                    "sla_days_left": None,
                }
            )
    return items


def list_decree_candidates(programme: Programme) -> QuerySet[Proposal]:
    """TAPD-approved proposals of the programme not yet in a decree (draft or approved)."""
    return (
        Proposal.objects.filter(programme=programme, status=S.TAPD_APPROVED)
        .exclude(decree_entries__decree__approved_at__isnull=False)
        .select_related("organisation", "applicant")
        .order_by("number")
    )


def access_decree_by_id(user, decree_id) -> Decree:
    decree = Decree.objects.select_related("programme", "official_document").filter(pk=decree_id).first()
    if decree is None:
        raise Decree.DoesNotExist
    if any(has_permission(user, perm) for perm in (PREPARE_DECREE, APPROVE_DECREE, VIEW_PROPOSALS)):
        return decree
    raise Decree.DoesNotExist


def get_nphd(proposal: Proposal) -> Nphd | None:
    return Nphd.objects.filter(proposal=proposal).select_related("official_document").first()


def may_prepare_nphd(user) -> bool:
    return has_permission(user, PREPARE_NPHD)


# --- Bansos -----------------------------------------------------------------------------------------


def access_bansos_case_by_id(user, case_id) -> BansosCase:
    case = BansosCase.objects.select_related("programme").filter(pk=case_id).first()
    if case is None or not has_permission(user, MANAGE_BANSOS):
        raise BansosCase.DoesNotExist
    return case


def open_screening_flags_for(case) -> list:
    """Open flags G2's screening raised on the case (proposal or bansos case); [] when none.

    Calls G2's `praja.modules.grants.screening.selectors.open_flags_for(subject)`.
    """
    try:
        from praja.modules.grants.screening import selectors as screening
    except ImportError:
        return []
    finder = getattr(screening, "open_flags_for", None)
    if finder is None:
        return []
    flags = list(finder(case))
    beneficiary = getattr(case, "beneficiary", None)
    if beneficiary is not None:
        flags.extend(finder(beneficiary))
    return flags
