"""Fifty concurrent disbursement requests for one tranche make exactly one payment order."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from praja.core.audit.models import AuditEvent
from praja.core.tenancy.context import use_tenant
from praja.modules.grants.funds import actions
from praja.modules.grants.funds.models import Disbursement, Tranche, TrancheStatus
from praja.modules.grants.funds.testing import make_awarded_grant
from praja.modules.grants.models import Proposal, ProposalStatus
from tests.modules.grants.funds_fixtures import *  # noqa: F403

REQUESTS = 50


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_key", [True, False], ids=["one-idempotency-key", "fifty-keys"])
def test_fifty_concurrent_disbursements_of_one_tranche_pay_once(funds_office, same_key):
    office = funds_office
    with use_tenant(office.tenant):
        grant = make_awarded_grant(applicant=office.applicant, amount=80_000_000)
        tranche = actions.request_tranche(
            actor=office.officer, proposal=grant.proposal, amount=80_000_000, idempotency_key="req-1"
        )
        actions.verify_tranche(actor=office.verifier, tranche=tranche)
        actions.approve_tranche(actor=office.approver, tranche=tranche, otp_verified=True)
    barrier = threading.Barrier(REQUESTS)
    outcomes: list = [None] * REQUESTS

    def request(index: int) -> None:
        try:
            with use_tenant(office.tenant):
                mine = Tranche.objects.get(pk=tranche.pk)
                barrier.wait(timeout=60)
                key = "pay-1" if same_key else f"pay-{index}"
                result = actions.disburse_tranche(actor=office.treasurer, tranche=mine, idempotency_key=key)
                outcomes[index] = (result.created, result.disbursement.pk)
        except Exception as error:  # noqa: BLE001 - reported in the assertion below
            outcomes[index] = ("error", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(index,)) for index in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    with use_tenant(office.tenant):
        orders = list(Disbursement.objects.all())
        assert len(orders) == 1
        assert sorted(outcomes) == [(False, orders[0].pk)] * (REQUESTS - 1) + [(True, orders[0].pk)]
        assert orders[0].amount == 80_000_000
        assert Tranche.objects.get(pk=tranche.pk).status == TrancheStatus.IN_TRANSFER
        assert Proposal.objects.get(pk=grant.proposal.pk).status == ProposalStatus.DISBURSING
        assert AuditEvent.objects.filter(event_type="grants_funds.disbursement_ordered").count() == 1
        assert AuditEvent.objects.filter(event_type="grants_funds.tranche_sent_to_transfer").count() == 1
