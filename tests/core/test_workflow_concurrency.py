"""Two officials act on the same case at once: exactly one wins, the other is told it moved on.

Real transactions on separate connections (one per thread): the row lock on PostgreSQL, the
IMMEDIATE write lock on SQLite.
"""

import threading

import pytest
from django.db import connection

from praja.core.audit.models import AuditEvent
from praja.core.workflow import CaseMovedOn, SecondFactorRequired
from praja.core.workflow.actions import transition
from praja.core.workflow.models import CaseEvent
from tests.caseapp.factories import new_case, reload
from tests.caseapp.models import SampleCase

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*jobs, prepare=None):
    """Run each job in its own thread and connection, released at the same moment.

    `prepare(index)` runs in the thread before the common start: whatever it returns is the job's
    argument, so every thread holds what it loaded before any of them acts.
    """
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        try:
            prepared = prepare(index) if prepare else None
            barrier.wait(timeout=10)
            results[index] = ("ok", job(prepared) if prepare else job())
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test asserts
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_parallel_transitions_on_one_case(tenant_a, make_person):
    applicant = make_person(tenant_a, full_name="Siti Warga")
    officials = [
        make_person(tenant_a, roles=["official"], full_name=name)
        for name in ("Budi Verifikator", "Rina Verifikator")
    ]
    case = new_case(tenant_a, applicant, status="submitted", documents_complete=True)

    def act(official, name, **kwargs):
        def job(loaded):
            return transition(loaded, name, actor=official, **kwargs)

        return job

    # Each loads the form before either submits, as two officials with the same page open.
    results = run_together(
        act(officials[0], "verify"),
        act(officials[1], "return_to_applicant", reason="Lampirkan denah"),
        prepare=lambda index: SampleCase.all_tenants.get(pk=case.pk),
    )
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], results
    winner = next(index for index, (kind, _) in enumerate(results) if kind == "ok")
    loser_error = results[1 - winner][1]
    assert isinstance(loser_error, CaseMovedOn)
    expected_status = {0: ("verified", "Terverifikasi"), 1: ("returned", "Dikembalikan ke pemohon")}[winner]
    assert str(loser_error).startswith(
        f"Berkas ini sudah diproses oleh {officials[winner].full_name} ({expected_status[1]}) pada "
    )
    assert str(loser_error).endswith(" WIB; tidak ada perubahan.")
    stored = reload(case)
    assert (stored.status, stored.version) == (expected_status[0], 1)
    assert CaseEvent.all_tenants.count() == 1
    assert AuditEvent.objects.filter(event_type__startswith="caseapp.").count() == 1


def test_refused_second_factor_is_committed_on_the_audit_chain(tenant_a, make_person):
    applicant = make_person(tenant_a)
    approver = make_person(tenant_a, roles=["approver"])
    case = new_case(tenant_a, applicant, status="verified")
    assert not connection.in_atomic_block
    with pytest.raises(SecondFactorRequired):
        transition(case, "approve", actor=approver)
    # Another connection sees it: the refusal was committed, the approval was not.
    [(kind, seen)] = run_together(
        lambda: (
            reload(case).status,
            list(
                AuditEvent.objects.filter(tenant=tenant_a)
                .order_by("seq")
                .values_list("event_type", flat=True)
            ),
        )
    )
    assert kind == "ok", seen
    assert seen == ("verified", ["tenant.created", "workflow.second_factor_refused"])
