"""Fixtures of the grants tests (G1): a Bandung hibah office, an organisation and its representative.

G2/G3 keep their own fixtures in their own modules; this file only adds what the grants top level
needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass
class GrantsOffice:
    tenant: object
    representative: object  # citizen, NIK = the chair's NIK
    tu: object
    head: object
    head_totp: object
    committee: object
    committee2: object
    evaluator: object
    tapd: object
    tapd_totp: object
    verifier: object
    admin: object
    treasurer: object
    lpj_reviewer: object
    dinas: object  # the technical office (OrgUnit) proposals are routed to
    programme: object
    organisation: object


@pytest.fixture(autouse=True)
def _indonesian_by_default():
    """Start every test in Indonesian (the source language): an earlier request in the same worker
    may have left English active in this thread, and messages are asserted exactly."""
    from django.utils import translation

    with translation.override("id"):
        yield


@pytest.fixture
def document_root(settings, tmp_path):
    settings.PRAJA_DOCUMENT_ROOT = tmp_path / "documents"
    return settings.PRAJA_DOCUMENT_ROOT


@pytest.fixture
def grants_office(tenant_a, make_person, totp_for, document_root):
    from praja.core.accounts.models import OrgUnit
    from praja.core.tenancy.context import use_tenant
    from praja.modules.grants.testing import BOARD_NIKS, make_organisation, make_programme

    with use_tenant(tenant_a):
        dinas = OrgUnit.objects.create(
            code="2.19.0.00.0.00.01.0000",
            name="Dinas Kebudayaan dan Pariwisata",
            short_name="Disbudpar",
            kind="perangkat_daerah",
        )
    representative = make_person(tenant_a, full_name="Asep Sunandar", nik=BOARD_NIKS["chair"])
    head = make_person(
        tenant_a, roles=["grants_head"], full_name="Wali Kota Bandung", nip="197001011995031001"
    )
    tapd = make_person(tenant_a, roles=["grants_tapd"], full_name="Sekda Ketua TAPD")
    office = GrantsOffice(
        tenant=tenant_a,
        representative=representative,
        tu=make_person(tenant_a, roles=["grants_tu"], full_name="Petugas TU Pimpinan"),
        head=head,
        head_totp=totp_for(head),
        committee=make_person(tenant_a, roles=["grants_committee"], full_name="Tim Pertimbangan Satu"),
        committee2=make_person(tenant_a, roles=["grants_committee"], full_name="Tim Pertimbangan Dua"),
        evaluator=make_person(
            tenant_a, roles=["grants_evaluator"], org_unit=dinas, full_name="Evaluator Disbudpar"
        ),
        tapd=tapd,
        tapd_totp=totp_for(tapd),
        verifier=make_person(tenant_a, roles=["grants_org_verifier"], full_name="Verifikator Kesbangpol"),
        admin=make_person(tenant_a, roles=["grants_admin"], full_name="Pengelola Hibah Kesra"),
        treasurer=make_person(tenant_a, roles=["grants_treasurer"], full_name="Bendahara PPKD"),
        lpj_reviewer=make_person(tenant_a, roles=["grants_lpj_reviewer"], full_name="Pemeriksa LPJ"),
        dinas=dinas,
        programme=None,
        organisation=None,
    )
    with use_tenant(tenant_a):
        office.programme = make_programme()
        office.organisation = make_organisation(representative)
    return office
