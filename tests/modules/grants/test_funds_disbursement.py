"""Grant money: tranches paid exactly once, after the NPHD, to the verified account, within the
NPHD amount and the programme's envelope; the transfer file and the bank's confirmation."""

from __future__ import annotations

import datetime

import pytest

from praja.core.audit.models import AuditEvent
from praja.core.workflow.errors import SecondFactorRequired, SeparationOfDutiesViolation
from praja.modules.grants.funds import actions
from praja.modules.grants.funds.errors import FundsRuleViolation
from praja.modules.grants.funds.models import Disbursement, Tranche, TrancheStatus, TransferBatch
from praja.modules.grants.funds.testing import make_awarded_grant, make_organisation, make_programme
from praja.modules.grants.models import BankAccount, ProposalStatus
from tests.modules.grants.funds_fixtures import *  # noqa: F403
from tests.modules.grants.funds_fixtures import paid_through

pytestmark = pytest.mark.django_db


def approved_tranche(office, grant, amount, key="t1"):
    tranche = actions.request_tranche(
        actor=office.officer, proposal=grant.proposal, amount=amount, idempotency_key=key
    )
    actions.verify_tranche(actor=office.verifier, tranche=tranche)
    actions.approve_tranche(actor=office.approver, tranche=tranche, otp_verified=True)
    return tranche


def test_two_tranches_are_paid_through_the_whole_chain(funds_office, in_tenant):
    office = funds_office
    with in_tenant(office.tenant):
        grant = make_awarded_grant(applicant=office.applicant, amount=150_000_000)
        first = paid_through(office, grant, 90_000_000, sp2d="SP2D-0001/LS/2026")
        grant.proposal.refresh_from_db()
        assert first.status == TrancheStatus.PAID
        assert first.number == 1
        assert grant.proposal.status == ProposalStatus.IN_PROGRESS
        second = paid_through(office, grant, 60_000_000, sp2d="SP2D-0002/LS/2026")
        grant.proposal.refresh_from_db()
        assert second.number == 2
        assert grant.proposal.status == ProposalStatus.IN_PROGRESS
        orders = list(Disbursement.objects.order_by("pk").values_list("reference", "amount", "sp2d_number"))
        number = grant.proposal.number
        assert orders == [
            (f"{number}/T1", 90_000_000, "SP2D-0001/LS/2026"),
            (f"{number}/T2", 60_000_000, "SP2D-0002/LS/2026"),
        ]
        transitions = list(
            AuditEvent.objects.filter(event_type__startswith="grants.")
            .order_by("seq")
            .values_list("event_type", flat=True)
        )
        assert transitions == [
            "grants.disbursement_requested",
            "grants.disbursement_confirmed",
            "grants.disbursement_requested",
            "grants.disbursement_confirmed",
        ]


def test_no_tranche_before_the_nphd_is_signed_by_both_parties(funds_office, in_tenant):
    office = funds_office
    with in_tenant(office.tenant):
        grant = make_awarded_grant(
            applicant=office.applicant, signed_by_both=False, status=ProposalStatus.IN_DECREE
        )
        with pytest.raises(FundsRuleViolation) as refused:
            actions.request_tranche(
                actor=office.officer, proposal=grant.proposal, amount=1_000_000, idempotency_key="k"
            )
        assert refused.value.code == "nphd_not_signed"
        assert refused.value.messages == [
            "Hibah baru dapat dicairkan setelah NPHD ditandatangani kedua pihak "
            "(Permendagri 32/2011 Pasal 16–17 s.t.d.t.d. Permendagri 99/2019)."
        ]
        assert Tranche.objects.count() == 0


def test_an_nphd_unsigned_after_approval_blocks_the_payment(funds_office, in_tenant):
    office = funds_office
    with in_tenant(office.tenant):
        grant = make_awarded_grant(applicant=office.applicant)
        tranche = approved_tranche(office, grant, 10_000_000)
        grant.nphd.official_signed_at = None
        grant.nphd.save(update_fields=["official_signed_at"])
        with pytest.raises(FundsRuleViolation) as refused:
            actions.disburse_tranche(actor=office.treasurer, tranche=tranche, idempotency_key="p1")
        assert refused.value.code == "nphd_not_signed"
        tranche.refresh_from_db()
        assert tranche.status == TrancheStatus.APPROVED
        assert Disbursement.objects.count() == 0


def test_tranches_never_add_up_above_the_nphd_amount(funds_office, in_tenant):
    office = funds_office
    with in_tenant(office.tenant):
        grant = make_awarded_grant(applicant=office.applicant, amount=100_000_000)
        actions.request_tranche(
            actor=office.officer, proposal=grant.proposal, amount=70_000_000, idempotency_key="a"
        )
        with pytest.raises(FundsRuleViolation) as refused:
            actions.request_tranche(
                actor=office.officer, proposal=grant.proposal, amount=30_000_001, idempotency_key="b"
            )
        assert refused.value.code == "above_agreed_amount"
        assert refused.value.messages == [
            "Jumlah tahap Rp30.000.001 melebihi sisa nilai NPHD Rp30.000.000 (nilai NPHD Rp100.000.000). "
            "Jumlah seluruh tahap tidak boleh melebihi nilai yang disepakati dalam NPHD "
            "(Permendagri 32/2011 Pasal 16–17 s.t.d.t.d. Permendagri 99/2019)."
        ]
        assert list(Tranche.objects.values_list("amount", flat=True)) == [70_000_000]
        exact = actions.request_tranche(
            actor=office.officer, proposal=grant.proposal, amount=30_000_000, idempotency_key="c"
        )
        assert exact.number == 2


def test_a_cancelled_tranche_frees_its_amount(funds_office, in_tenant):
    office = funds_office
    with in_tenant(office.tenant):
        grant = make_awarded_grant(applicant=office.applicant, amount=100_000_000)
        tranche = actions.request_tranche(
            actor=office.officer, proposal=grant.proposal, amount=100_000_000, idempotency_key="a"
        )
        actions.cancel_tranche(actor=office.verifier, tranche=tranche, reason="Salah nominal")
        again = actions.request_tranche(
            actor=office.officer, proposal=grant.proposal, amount=100_000_000, idempotency_key="b"
        )
        assert (again.number, again.status) == (2, TrancheStatus.REQUESTED)


def test_payment_only_to_a_verified_account_and_the_snapshot_is_kept(funds_office, in_tenant):
    office = funds_office
    with in_tenant(office.tenant):
        organisation = make_organisation(registered_by=office.applicant, verified_account=False)
        grant = make_awarded_grant(applicant=office.applicant, organisation=organisation)
        tranche = approved_tranche(office, grant, 25_000_000)
        with pytest.raises(FundsRuleViolation) as refused:
            actions.disburse_tranche(actor=office.treasurer, tranche=tranche, idempotency_key="p1")
        assert refused.value.code == "no_verified_account"
        assert "hanya dibayar LS ke rekening penerima" in refused.value.messages[0]
        assert Disbursement.objects.count() == 0
        tranche.refresh_from_db()
        assert tranche.status == TrancheStatus.APPROVED

        account = BankAccount.objects.get(organisation=organisation)
        account.is_verified = True
        account.save(update_fields=["is_verified"])
        order = actions.disburse_tranche(
            actor=office.treasurer, tranche=tranche, idempotency_key="p2"
        ).disbursement
        original_number = account.account_number
        # The account changes later: the order keeps what it was made for.
        account.account_number = "9999999999"
        account.save(update_fields=["account_number"])
        order.refresh_from_db()
        assert (order.bank_name, order.account_number, order.account_holder, order.amount) == (
            "Bank BJB",
            original_number,
            organisation.name,
            25_000_000,
        )
        assert order.bank_account_id == account.pk


def test_the_programme_envelope_is_never_exceeded(funds_office, in_tenant):
    office = funds_office
    with in_tenant(office.tenant):
        programme = make_programme(envelope=150_000_000)
        first = make_awarded_grant(applicant=office.applicant, programme=programme, amount=100_000_000)
        second = make_awarded_grant(applicant=office.applicant, programme=programme, amount=100_000_000)
        paid_through(office, first, 100_000_000)
        tranche = approved_tranche(office, second, 60_000_000, key="second")
        with pytest.raises(FundsRuleViolation) as refused:
            actions.disburse_tranche(actor=office.treasurer, tranche=tranche, idempotency_key="p-second")
        assert refused.value.code == "above_envelope"
        assert refused.value.messages[0].startswith(
            "Pencairan Rp60.000.000 melebihi sisa pagu program Rp50.000.000 (pagu Rp150.000.000)."
        )
        assert Disbursement.objects.count() == 1
        within = approved_tranche(office, second, 40_000_000, key="second-b")
        actions.cancel_tranche(actor=office.verifier, tranche=tranche, reason="Melebihi pagu")
        assert actions.disburse_tranche(actor=office.treasurer, tranche=within, idempotency_key="p-b").created


def test_a_payment_order_is_made_once_whatever_the_key(funds_office, in_tenant):
    office = funds_office
    with in_tenant(office.tenant):
        grant = make_awarded_grant(applicant=office.applicant)
        tranche = approved_tranche(office, grant, 10_000_000)
        first = actions.disburse_tranche(actor=office.treasurer, tranche=tranche, idempotency_key="p1")
        again = actions.disburse_tranche(actor=office.treasurer, tranche=tranche, idempotency_key="p1")
        other_key = actions.disburse_tranche(actor=office.treasurer, tranche=tranche, idempotency_key="p2")
        assert first.created and not again.created and not other_key.created
        assert again.disbursement.pk == other_key.disbursement.pk == first.disbursement.pk
        assert Disbursement.objects.count() == 1
        assert AuditEvent.objects.filter(event_type="grants_funds.disbursement_ordered").count() == 1


def test_no_deduction_the_order_equals_the_tranche(funds_office, in_tenant):
    office = funds_office
    with in_tenant(office.tenant):
        grant = make_awarded_grant(applicant=office.applicant, amount=12_345_678)
        tranche = paid_through(office, grant, 12_345_678)
        assert tranche.disbursement.amount == tranche.amount == 12_345_678


def test_approval_needs_the_second_factor_and_another_person(funds_office, make_person, in_tenant):
    office = funds_office
    with in_tenant(office.tenant):
        grant = make_awarded_grant(applicant=office.applicant)
        tranche = actions.request_tranche(
            actor=office.officer, proposal=grant.proposal, amount=5_000_000, idempotency_key="k"
        )
        actions.verify_tranche(actor=office.verifier, tranche=tranche)
        with pytest.raises(SecondFactorRequired):
            actions.approve_tranche(actor=office.approver, tranche=tranche, otp_verified=False)
        tranche.refresh_from_db()
        assert tranche.status == TrancheStatus.VERIFIED
        both = make_person(
            office.tenant, roles=["grants_disbursement_verifier", "grants_disbursement_approver"]
        )
        other = actions.request_tranche(
            actor=office.officer, proposal=grant.proposal, amount=5_000_000, idempotency_key="k2"
        )
        actions.verify_tranche(actor=both, tranche=other)
        with pytest.raises(SeparationOfDutiesViolation):
            actions.approve_tranche(actor=both, tranche=other, otp_verified=True)


def test_only_approved_tranches_are_paid(funds_office, in_tenant):
    office = funds_office
    with in_tenant(office.tenant):
        grant = make_awarded_grant(applicant=office.applicant)
        tranche = actions.request_tranche(
            actor=office.officer, proposal=grant.proposal, amount=5_000_000, idempotency_key="k"
        )
        with pytest.raises(FundsRuleViolation) as refused:
            actions.disburse_tranche(actor=office.treasurer, tranche=tranche, idempotency_key="p")
        assert refused.value.code == "tranche_not_approved"
        with pytest.raises(FundsRuleViolation) as forbidden:
            actions.disburse_tranche(actor=office.officer, tranche=tranche, idempotency_key="p")
        assert forbidden.value.code == "forbidden"
        assert Disbursement.objects.count() == 0


def test_the_transfer_file_lists_each_order_exactly(funds_office, in_tenant):
    office = funds_office
    with in_tenant(office.tenant):
        grant = make_awarded_grant(applicant=office.applicant, number="HBH-2026-000007")
        other = make_awarded_grant(applicant=office.applicant, number="HBH-2026-000008")
        orders = []
        for index, item in enumerate((grant, other), start=1):
            tranche = approved_tranche(office, item, 1_500_000 * index, key=f"k{index}")
            orders.append(
                actions.disburse_tranche(actor=office.treasurer, tranche=tranche, idempotency_key=f"p{index}")
            )
        batch = actions.create_transfer_batch(actor=office.treasurer)
        accounts = [BankAccount.objects.get(organisation=item.organisation) for item in (grant, other)]
        assert actions.transfer_file_text(batch) == (
            "nama_penerima,bank,nomor_rekening,jumlah,referensi,uraian\r\n"
            f"{grant.organisation.name},Bank BJB,{accounts[0].account_number},1500000,HBH-2026-000007/T1,"
            "Hibah HBH-2026-000007 tahap 1\r\n"
            f"{other.organisation.name},Bank BJB,{accounts[1].account_number},3000000,HBH-2026-000008/T1,"
            "Hibah HBH-2026-000008 tahap 1\r\n"
        )
        assert (batch.line_count, batch.total_amount) == (2, 4_500_000)
        assert batch.number.startswith("TRF-") and batch.number.endswith("-001")
        with pytest.raises(FundsRuleViolation) as nothing:
            actions.create_transfer_batch(actor=office.treasurer)
        assert nothing.value.code == "nothing_to_batch"
        assert TransferBatch.objects.count() == 1


def test_the_bank_confirmation_file_closes_every_line_or_none(funds_office, in_tenant):
    office = funds_office
    with in_tenant(office.tenant):
        grants = [make_awarded_grant(applicant=office.applicant, number=f"HBH-2026-00010{i}") for i in (1, 2)]
        for index, item in enumerate(grants):
            tranche = approved_tranche(office, item, 2_000_000, key=f"k{index}")
            actions.disburse_tranche(actor=office.treasurer, tranche=tranche, idempotency_key=f"p{index}")
        batch = actions.create_transfer_batch(actor=office.treasurer)
        bad = (
            "referensi,nomor_sp2d,tanggal_sp2d,referensi_bank\n"
            "HBH-2026-000101/T1,SP2D-11/LS/2026,2026-04-02,BJB-1\n"
            "HBH-2026-000999/T1,SP2D-12/LS/2026,2026-04-02,BJB-2\n"
        )
        with pytest.raises(FundsRuleViolation) as refused:
            actions.import_bank_confirmation(actor=office.treasurer, batch=batch, text=bad)
        assert refused.value.messages == [
            f"Referensi berikut bukan bagian dari berkas {batch.number}: HBH-2026-000999/T1."
        ]
        assert Tranche.objects.filter(status=TrancheStatus.PAID).count() == 0
        bad_date = (
            "referensi,nomor_sp2d,tanggal_sp2d,referensi_bank\nHBH-2026-000101/T1,SP2D-11,02/04/2026,\n"
        )
        with pytest.raises(FundsRuleViolation) as refused_date:
            actions.import_bank_confirmation(actor=office.treasurer, batch=batch, text=bad_date)
        assert refused_date.value.messages == [
            "Baris 2: tanggal SP2D '02/04/2026' harus berformat TTTT-BB-HH."
        ]
        good = (
            "referensi,nomor_sp2d,tanggal_sp2d,referensi_bank\n"
            "HBH-2026-000101/T1,SP2D-11/LS/2026,2026-04-02,BJB-1\n"
            "HBH-2026-000102/T1,SP2D-12/LS/2026,2026-04-03,BJB-2\n"
        )
        result = actions.import_bank_confirmation(actor=office.treasurer, batch=batch, text=good)
        assert result.confirmed == ["HBH-2026-000101/T1", "HBH-2026-000102/T1"]
        assert sorted(Tranche.objects.values_list("status", flat=True)) == ["paid", "paid"]
        assert list(
            Disbursement.objects.order_by("pk").values_list("sp2d_number", "sp2d_date", "bank_reference")
        ) == [
            ("SP2D-11/LS/2026", datetime.date(2026, 4, 2), "BJB-1"),
            ("SP2D-12/LS/2026", datetime.date(2026, 4, 3), "BJB-2"),
        ]
        for item in grants:
            item.proposal.refresh_from_db()
            assert item.proposal.status == ProposalStatus.IN_PROGRESS
        again = actions.import_bank_confirmation(actor=office.treasurer, batch=batch, text=good)
        assert (again.confirmed, again.already_confirmed) == (
            [],
            ["HBH-2026-000101/T1", "HBH-2026-000102/T1"],
        )
        conflicting = good.replace("SP2D-11/LS/2026", "SP2D-99/LS/2026")
        with pytest.raises(FundsRuleViolation) as conflict:
            actions.import_bank_confirmation(actor=office.treasurer, batch=batch, text=conflicting)
        assert conflict.value.code == "already_confirmed"
        assert Disbursement.objects.filter(sp2d_number="SP2D-99/LS/2026").count() == 0
