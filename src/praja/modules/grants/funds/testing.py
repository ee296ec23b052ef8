"""Test and bench factories of grant funds: an awarded grant ready for disbursement.

Builds G1's rows directly (status assignment allowed here only), so the funds tests do not walk
the whole proposal workflow; G1's tests and the browser journey walk it.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass

from django.utils import timezone

from praja.core.workflow.registry import allow_status_assignment
from praja.modules.grants.models import (
    BankAccount,
    Nphd,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Programme,
    ProgrammeKind,
    Proposal,
    ProposalStatus,
)

_serial = itertools.count(1)


def make_programme(
    *,
    code: str | None = None,
    envelope: int = 1_000_000_000,
    budget_year: int = 2026,
    lpj_deadline: datetime.date | None = None,
    managing_org_unit=None,
    name: str = "",
) -> Programme:
    serial = next(_serial)
    now = timezone.now()
    return Programme.objects.create(
        code=code or f"hibah-{serial}",
        name=name or f"Hibah Lembaga Kemasyarakatan {serial}",
        budget_year=budget_year,
        kind=ProgrammeKind.HIBAH,
        envelope=envelope,
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now + datetime.timedelta(days=30),
        lpj_deadline=lpj_deadline or datetime.date(budget_year + 1, 1, 10),
        managing_org_unit=managing_org_unit,
        is_published=True,
    )


def make_organisation(
    *,
    registered_by,
    name: str = "",
    area=None,
    verified_account: bool = True,
    supervising_org_unit=None,
    representatives=(),
) -> Organisation:
    serial = next(_serial)
    with allow_status_assignment():
        organisation = Organisation.objects.create(
            name=name or f"Yayasan Bina Warga {serial}",
            kind=OrganisationKind.YAYASAN,
            address=f"Jl. Merdeka No. {serial}, Bandung",
            area=area,
            registered_by=registered_by,
            status=OrganisationStatus.VERIFIED,
            supervising_org_unit=supervising_org_unit,
            deed_number=f"AKTA-{serial}",
            kemenkumham_sk_number=f"AHU-{serial:07d}.AH.01.04",
        )
    organisation.representatives.add(registered_by, *representatives)
    if verified_account is not None:
        BankAccount.objects.create(
            organisation=organisation,
            bank_name="Bank BJB",
            account_number=f"00{serial:010d}",
            holder_name=organisation.name,
            is_verified=verified_account,
            verified_at=timezone.now() if verified_account else None,
        )
    return organisation


@dataclass
class AwardedGrant:
    programme: Programme
    organisation: Organisation | None
    proposal: Proposal
    nphd: Nphd


def make_awarded_grant(
    *,
    applicant,
    programme: Programme | None = None,
    organisation: Organisation | None = None,
    amount: int = 100_000_000,
    signed_by_both: bool = True,
    individual: bool = False,
    status: str = ProposalStatus.NPHD_SIGNED,
    official=None,
    title: str = "",
    number: str | None = None,
    beneficiary=None,
) -> AwardedGrant:
    """A proposal with a signed NPHD of `amount` (Rupiah) in `status` (nphd_signed by default)."""
    programme = programme or make_programme()
    if organisation is None and not individual:
        organisation = make_organisation(registered_by=applicant)
    serial = next(_serial)
    now = timezone.now()
    with allow_status_assignment():
        proposal = Proposal.objects.create(
            number=number or f"HBH-{programme.budget_year}-{serial:06d}",
            programme=programme,
            organisation=organisation,
            beneficiary=beneficiary,
            applicant=applicant,
            budget_year=programme.budget_year,
            title=title or f"Renovasi sekretariat dan pelatihan kader {serial}",
            purpose="Meningkatkan layanan sosial bagi warga.",
            start_date=datetime.date(programme.budget_year, 3, 1),
            end_date=datetime.date(programme.budget_year, 11, 30),
            amount_requested=amount,
            recommended_amount=amount,
            verified_amount=amount,
            tapd_amount=amount,
            agreed_amount=amount,
            status=status,
            submitted_at=now - datetime.timedelta(days=90),
            decided_at=now - datetime.timedelta(days=10),
        )
    nphd = Nphd.objects.create(
        proposal=proposal,
        number=f"NPHD/{serial:05d}/{programme.budget_year}",
        amount=amount,
        rights_and_obligations="Penerima menggunakan hibah sesuai NPHD.",
        disbursement_procedure="LS ke rekening lembaga, dua tahap.",
        reporting_procedure="LPJ paling lambat 10 Januari tahun berikutnya.",
        lpj_deadline=programme.lpj_deadline,
        prepared_by=official or applicant,
        recipient_signed_by=applicant if signed_by_both else None,
        recipient_signed_at=now if signed_by_both else None,
        official_signed_by=(official or applicant) if signed_by_both else None,
        official_signed_at=now if signed_by_both else None,
    )
    return AwardedGrant(programme, organisation, proposal, nphd)
