"""Helpers that build SampleCases for the workflow tests."""

from praja.core.tenancy.context import use_tenant
from praja.core.workflow import allow_status_assignment
from tests.caseapp.models import SampleCase


def new_case(tenant, applicant, *, status="draft", **fields) -> SampleCase:
    """Create a case; a state other than draft is written directly, as a fixture may."""
    fields.setdefault("title", "Izin contoh")
    with use_tenant(tenant), allow_status_assignment():
        return SampleCase.objects.create(applicant=applicant, status=status, **fields)


def reload(case) -> SampleCase:
    return SampleCase.all_tenants.get(pk=case.pk)
