"""LPJ: filed by the recipient and reviewed; the overdue sweep flags, escalates and suspends in the
tenant's own calendar day; acceptance lifts the suspension."""

from __future__ import annotations

import datetime

import pytest

from praja.core.audit.models import AuditEvent
from praja.core.notifications.models import OutboxMessage
from praja.modules.grants.funds import lpj
from praja.modules.grants.funds.errors import FundsRuleViolation
from praja.modules.grants.funds.models import LpjAttachment, LpjReport
from praja.modules.grants.funds.testing import make_awarded_grant, make_programme
from praja.modules.grants.models import Organisation, OrganisationStatus, Proposal, ProposalStatus
from praja.modules.grants.screening.models import Flag
from praja.modules.licensing.testing import image_upload, pdf_upload
from tests.modules.grants.funds_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def grant_in_progress(office, **kwargs):
    return make_awarded_grant(applicant=office.applicant, status=ProposalStatus.IN_PROGRESS, **kwargs)


def file_lpj(office, grant, *, value=95_000_000, actor=None):
    return lpj.submit_lpj(
        actor=actor or office.applicant,
        proposal=grant.proposal,
        usage_report="Renovasi selesai 100%; pelatihan 40 kader.",
        value_reported=value,
        statement_file=pdf_upload("pernyataan.pdf"),
        receipt_files=[pdf_upload("kuitansi-1.pdf"), image_upload("nota.jpg")],
        photo_files=[image_upload("kegiatan.jpg")],
    )


def test_a_recipient_files_the_lpj_and_a_returned_one_is_revised_then_accepted(funds_office, in_tenant):
    office = funds_office
    with in_tenant(office.tenant):
        grant = grant_in_progress(office)
        first = file_lpj(office, grant)
        grant.proposal.refresh_from_db()
        assert grant.proposal.status == ProposalStatus.LPJ_SUBMITTED
        assert sorted(LpjAttachment.objects.filter(lpj=first).values_list("kind", flat=True)) == [
            "photo",
            "receipts",
            "receipts",
            "statement",
        ]
        with pytest.raises(FundsRuleViolation) as no_reason:
            lpj.review_lpj(actor=office.reviewer, proposal=grant.proposal, accept=False, reasons="  ")
        assert no_reason.value.messages == ["Tuliskan alasan pengembalian LPJ; penerima akan membacanya."]
        lpj.review_lpj(
            actor=office.reviewer,
            proposal=grant.proposal,
            accept=False,
            reasons="Kuitansi semen tidak bermeterai.",
        )
        grant.proposal.refresh_from_db()
        assert grant.proposal.status == ProposalStatus.LPJ_REJECTED
        second = file_lpj(office, grant, value=100_000_000)
        assert second.revision == 2
        lpj.review_lpj(actor=office.reviewer, proposal=grant.proposal, accept=True)
        grant.proposal.refresh_from_db()
        assert grant.proposal.status == ProposalStatus.CLOSED
        assert list(
            LpjReport.objects.order_by("revision").values_list("revision", "is_accepted", "review_reasons")
        ) == [
            (1, False, "Kuitansi semen tidak bermeterai."),
            (2, True, ""),
        ]


def test_only_the_recipient_files_and_only_complete_packages(funds_office, make_person, in_tenant):
    office = funds_office
    stranger = make_person(office.tenant, full_name="Bukan Pengurus")
    with in_tenant(office.tenant):
        grant = grant_in_progress(office)
        with pytest.raises(FundsRuleViolation) as refused:
            file_lpj(office, grant, actor=stranger)
        assert refused.value.messages == ["Hanya penerima hibah yang dapat menyerahkan LPJ."]
        with pytest.raises(FundsRuleViolation) as incomplete:
            lpj.submit_lpj(
                actor=office.applicant,
                proposal=grant.proposal,
                usage_report="Selesai.",
                value_reported=1,
                statement_file=pdf_upload(),
                receipt_files=[pdf_upload()],
                photo_files=[],
            )
        assert incomplete.value.messages == ["Unggah sedikitnya satu foto kegiatan."]
        assert LpjReport.objects.count() == 0
        assert Proposal.objects.get(pk=grant.proposal.pk).status == ProposalStatus.IN_PROGRESS


def _supervised_reviewer(office, make_person):
    from praja.core.accounts.models import OrgUnit, Position

    unit = OrgUnit.objects.create(code="DINSOS", name="Dinas Sosial", kind="perangkat_daerah")
    head = make_person(office.tenant, full_name="Kepala Dinas Sosial")
    head_position = Position.objects.create(org_unit=unit, title="Kepala Dinas", holder=head)
    Position.objects.create(
        org_unit=unit, title="Analis LPJ", holder=office.reviewer, supervisor=head_position
    )
    return unit, head


def test_an_overdue_lpj_is_flagged_escalated_and_suspends_until_accepted(
    funds_office, make_person, in_tenant
):
    office = funds_office
    with in_tenant(office.tenant):
        unit, head = _supervised_reviewer(office, make_person)
        programme = make_programme(
            budget_year=2026, lpj_deadline=datetime.date(2027, 1, 10), managing_org_unit=unit
        )
        grant = grant_in_progress(office, programme=programme)
        # 23:59 WIB on 10 January is still on time.
        assert lpj.mark_overdue_lpjs(now=datetime.datetime(2027, 1, 10, 16, 59, tzinfo=UTC)) == []
        assert Proposal.objects.get(pk=grant.proposal.pk).status == ProposalStatus.IN_PROGRESS
        # 00:01 WIB on 11 January it is overdue.
        marked = lpj.mark_overdue_lpjs(now=datetime.datetime(2027, 1, 10, 17, 1, tzinfo=UTC))
        assert marked == [grant.proposal.pk]
        grant.proposal.refresh_from_db()
        assert grant.proposal.status == ProposalStatus.LPJ_OVERDUE
        flag = Flag.objects.get(
            subject_type="grants.proposal", subject_id=grant.proposal.pk, kind="lpj_overdue"
        )
        assert flag.status == "open"
        assert flag.explanation == (
            f"LPJ hibah {grant.proposal.number} belum diterima sampai batas 2027-01-10 "
            "(Permendagri 32/2011 Pasal 19–20 s.t.d.t.d. Permendagri 99/2019)."
        )
        organisation = Organisation.objects.get(pk=grant.organisation.pk)
        assert organisation.status == OrganisationStatus.SUSPENDED
        assert organisation.suspension_legal_basis.startswith("Permendagri 32/2011 Pasal 19–20")
        assert "kas daerah" in organisation.suspension_legal_basis
        told = set(
            OutboxMessage.objects.filter(template="grants_funds/lpj_overdue", channel="in_app").values_list(
                "recipient_id", flat=True
            )
        )
        assert told == {office.reviewer.pk, head.pk}
        # A second run changes nothing.
        assert lpj.mark_overdue_lpjs(now=datetime.datetime(2027, 1, 12, tzinfo=UTC)) == []
        assert AuditEvent.objects.filter(event_type="grants.lpj_overdue").count() == 1
        # The late LPJ is filed and accepted: the suspension is lifted.
        file_lpj(office, grant)
        lpj.review_lpj(actor=office.reviewer, proposal=grant.proposal, accept=True)
        organisation.refresh_from_db()
        assert organisation.status == OrganisationStatus.VERIFIED
        assert organisation.suspension_legal_basis == ""
        assert Proposal.objects.get(pk=grant.proposal.pk).status == ProposalStatus.CLOSED


def test_the_deadline_follows_the_tenants_timezone(tenant_wita, make_person, in_tenant, document_root):
    applicant = make_person(tenant_wita, full_name="Baiq Rahmawati")
    with in_tenant(tenant_wita):
        grant = make_awarded_grant(
            applicant=applicant,
            status=ProposalStatus.IN_PROGRESS,
            programme=make_programme(lpj_deadline=datetime.date(2027, 1, 10)),
        )
        # 16:30 UTC is 00:30 WITA on 11 January (but still 23:30 WIB on the 10th).
        assert lpj.mark_overdue_lpjs(now=datetime.datetime(2027, 1, 10, 16, 30, tzinfo=UTC)) == [
            grant.proposal.pk
        ]


def test_an_lpj_of_another_status_is_never_marked_overdue(funds_office, in_tenant):
    office = funds_office
    with in_tenant(office.tenant):
        programme = make_programme(lpj_deadline=datetime.date(2027, 1, 10))
        submitted = make_awarded_grant(
            applicant=office.applicant, programme=programme, status=ProposalStatus.LPJ_SUBMITTED
        )
        not_paid = make_awarded_grant(applicant=office.applicant, programme=programme)
        assert lpj.mark_overdue_lpjs(now=datetime.datetime(2027, 3, 1, tzinfo=UTC)) == []
        assert Proposal.objects.get(pk=submitted.proposal.pk).status == ProposalStatus.LPJ_SUBMITTED
        assert Proposal.objects.get(pk=not_paid.proposal.pk).status == ProposalStatus.NPHD_SIGNED
