"""Fixtures of the licensing tests: Bandung's catalogue and the people of a DPMPTSP."""

from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass
class Office:
    tenant: object
    citizen: object
    front: object
    back: object
    tech1: object
    tech2: object
    head: object
    head_totp: object
    admin: object
    sip: object  # free, no inspection, STR checked
    reklame: object  # formula fee, field inspection
    dinkes: object
    dpupr: object


@pytest.fixture
def document_root(settings, tmp_path):
    settings.PRAJA_DOCUMENT_ROOT = tmp_path / "documents"
    return settings.PRAJA_DOCUMENT_ROOT


@pytest.fixture
def office(tenant_a, make_person, totp_for, document_root):
    from praja.core.tenancy.context import use_tenant
    from praja.modules.licensing.testing import make_permit_type

    with use_tenant(tenant_a):
        sip = make_permit_type("sip-dokter")
        reklame = make_permit_type("izin-reklame")
        dinkes, dpupr = sip.responsible_org_unit, reklame.responsible_org_unit
    head = make_person(
        tenant_a, roles=["licensing_head"], full_name="dr. Kepala DPMPTSP", nip="197001011995031001"
    )
    return Office(
        tenant=tenant_a,
        citizen=make_person(tenant_a, full_name="Sari Wulandari"),
        front=make_person(tenant_a, roles=["licensing_front_office"], full_name="Petugas Front"),
        back=make_person(tenant_a, roles=["licensing_back_office"], full_name="Petugas Back"),
        tech1=make_person(tenant_a, roles=["licensing_technical"], full_name="Teknis Satu"),
        tech2=make_person(tenant_a, roles=["licensing_technical"], full_name="Teknis Dua"),
        head=head,
        head_totp=totp_for(head),
        admin=make_person(tenant_a, roles=["licensing_admin"], full_name="Admin Katalog"),
        sip=sip,
        reklame=reklame,
        dinkes=dinkes,
        dpupr=dpupr,
    )


def place_in_status(office, status, *, permit_type=None, applicant=None):
    """An application of `permit_type` (SIP by default) already in `status`, with the rows that status
    implies (tracking number, team letter, BAP, approval), written as fixture data."""
    import datetime

    from django.utils import timezone

    from praja.core.tenancy.context import use_tenant
    from praja.core.workflow.registry import allow_status_assignment
    from praja.modules.licensing import actions
    from praja.modules.licensing.models import (
        Application,
        InspectionReport,
        TeamAssignment,
        TeamMember,
    )
    from praja.modules.licensing.models import (
        ApplicationStatus as S,
    )
    from praja.modules.licensing.testing import fill_application

    permit_type = permit_type or office.sip
    applicant = applicant or office.citizen
    with use_tenant(office.tenant):
        application = actions.start_application(actor=applicant, permit_type=permit_type)
        fill_application(application, applicant)
        if status == S.DRAFT:
            return application
        now = timezone.now()
        fields = {
            "status": status,
            "tracking_number": f"BDG-2026-{application.pk:06d}",
            "submitted_at": now,
            "queued_at": now,
            "fee_amount": actions._compute_fee(application),
        }
        if status not in (S.SUBMITTED, S.RETURNED, S.COMPLETE):
            fields.update(registered_at=now, registration_number=f"0001/REG/DPMPTSP/{application.pk}")
        if status in (S.APPROVED, S.AWAITING_PAYMENT, S.PAID, S.ISSUED, S.REJECTED, S.EXPIRED, S.REVOKED):
            fields.update(approved_by=office.head, approved_at=now)
        with allow_status_assignment():
            Application.objects.filter(pk=application.pk).update(**fields)
        application = Application.objects.get(pk=application.pk)
        if status in (
            S.TECHNICAL_REVIEW,
            S.FIELD_INSPECTION,
            S.REVISION,
            S.RECOMMENDED_APPROVE,
            S.RECOMMENDED_REJECT,
        ):
            assignment = TeamAssignment.objects.create(
                application=application,
                letter_number=f"ST-{application.pk}",
                with_field_inspection=permit_type.needs_field_inspection,
                assigned_by=office.back,
                assigned_at=now,
            )
            TeamMember.objects.create(assignment=assignment, user=office.tech1, is_lead=True)
            TeamMember.objects.create(assignment=assignment, user=office.tech2)
            if permit_type.needs_field_inspection and status != S.FIELD_INSPECTION:
                InspectionReport.objects.create(
                    application=application,
                    assignment=assignment,
                    inspected_on=datetime.date.today(),
                    location="Jl. Asia Afrika 8",
                    latitude="-6.921",
                    longitude="107.607",
                    findings="Sesuai",
                    is_compliant=True,
                    recorded_by=office.tech1,
                    recorded_at=now,
                )
        return application
