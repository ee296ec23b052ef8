"""Isolation factories for the feedback app's models (imported by the tenant-isolation walker).

Each factory runs inside `use_tenant(tenant)` and writes through the app's own actions, so the rows
are in real states (a received complaint with its SLA clock, a signed IKM report).
"""

from __future__ import annotations

import itertools

from praja.core.testing.isolation import register_isolation_factory
from praja.modules.licensing.feedback.constants import IKM_ELEMENT_CODES

DEMOGRAPHICS = {"age_band": "30-39", "sex": "P", "education": "s1", "occupation": "wirausaha"}


@register_isolation_factory("licensing_feedback.SurveyResponse")
def survey_response(tenant, marker, make_user):
    from praja.modules.licensing.feedback.actions import submit_kiosk_survey

    return submit_kiosk_survey(
        answers=dict.fromkeys(IKM_ELEMENT_CODES, 3),
        demographics=DEMOGRAPHICS,
        suggestion=f"Saran {marker}: antrean kios lebih tertib",
        client_key=f"isolation-{marker}",
    )


@register_isolation_factory("licensing_feedback.SurveyAnswer")
def survey_answers(tenant, marker, make_user):
    return list(survey_response(tenant, marker, make_user).answers.all())


@register_isolation_factory("licensing_feedback.Complaint")
def complaint(tenant, marker, make_user):
    from praja.modules.licensing.feedback.actions import submit_complaint

    made, _token = submit_complaint(
        actor=None,
        subject=f"Pengaduan {marker}",
        description=f"Petugas loket {marker} meminta uang tambahan di luar retribusi resmi.",
        contact_name=f"Pelapor {marker}",
        contact_email=f"{marker.lower().replace('~', '')}@pelapor.contoh.id",
        client_key=f"isolation-{marker}",
    )
    return made


@register_isolation_factory("licensing_feedback.ComplaintSequence")
def complaint_sequence(tenant, marker, make_user):
    from praja.modules.licensing.feedback.models import ComplaintSequence

    complaint(tenant, marker, make_user)
    return list(ComplaintSequence.objects.all())


@register_isolation_factory("licensing_feedback.IkmReport")
def ikm_report(tenant, marker, make_user):
    from praja.core.accounts.models import RoleGrant
    from praja.modules.licensing.feedback.actions import generate_ikm_report

    head = make_user(tenant, marker)
    RoleGrant.objects.create(user=head, role="licensing_head")
    survey_response(tenant, marker, make_user)
    from django.utils import timezone

    return generate_ikm_report(actor=head, year=timezone.localdate().year)


# Helpers for the feedback tests (fixtures write rows directly, as caseapp's factories do). ------


def make_office(code: str = "DINKES", name: str = "Dinas Kesehatan"):
    """An office (perangkat daerah) of the active tenant."""
    from praja.core.accounts.models import OrgUnit, OrgUnitKind

    return OrgUnit.objects.get_or_create(
        code=code, defaults={"name": name, "kind": OrgUnitKind.PERANGKAT_DAERAH}
    )[0]


def make_permit_type(code: str = "sip-dokter", name: str = "Surat Izin Praktik Dokter", *, office=None):
    """A published permit type of the active tenant with a published requirement version 1."""
    from django.utils import timezone

    from praja.modules.licensing.models import PermitType, RequirementSet

    permit_type = PermitType.objects.create(
        code=code,
        name=name,
        legal_basis="Permenkes 2052/2011",
        sla_working_days=7,
        responsible_org_unit=office if office is not None else make_office(),
        permit_number_prefix=code.upper(),
        is_published=True,
    )
    now = timezone.now()
    RequirementSet.objects.create(permit_type=permit_type, version=1, published_at=now, effective_from=now)
    return permit_type


def make_application(applicant, permit_type, *, status: str = "issued", number: str | None = None):
    """An application of the active tenant in `status` (issued ones carry issued_at)."""
    from django.utils import timezone

    from praja.core.workflow import allow_status_assignment
    from praja.modules.licensing.models import Application

    serial = next(_application_serial)
    now = timezone.now()
    with allow_status_assignment():
        return Application.objects.create(
            tracking_number=number or f"TST-{now.year}-{serial:06d}",
            permit_type=permit_type,
            requirement_set=permit_type.requirement_sets.order_by("-version").first(),
            applicant=applicant,
            status=status,
            submitted_at=now,
            issued_at=now if status in ("issued", "revoked") else None,
            org_unit=permit_type.responsible_org_unit,
        )


_application_serial = itertools.count(1)
