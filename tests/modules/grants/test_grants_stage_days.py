"""Stage deadlines per Sabilulungan stage are tenant parameters of the module "grants": declared in
the manifest, edited by the tenant admin on the module's parameter page, copied by adoption, and
used by the SLA clock (and so the timeline) when a proposal enters the stage."""

from __future__ import annotations

import pytest

from praja.core.modules.registry import get_manifest
from praja.core.tenancy.actions import set_module_enabled, set_module_parameters
from praja.core.tenancy.context import use_tenant
from praja.core.tenancy.models import TenantModule
from praja.core.testing.permission_matrix import verified_client
from praja.core.workflow.selectors import get_case_timeline, get_sla_status
from praja.modules.grants import actions, rules
from praja.modules.grants.testing import draft_proposal, full_checklist, place_proposal

pytestmark = pytest.mark.django_db

STAGE_KEYS = (
    "stage_days_organisation_verification",
    "stage_days_completeness",
    "stage_days_head_review",
    "stage_days_routing",
    "stage_days_evaluation",
    "stage_days_verification",
    "stage_days_tapd",
)


@pytest.fixture
def tenant_admin(grants_office, make_person):
    return make_person(grants_office.tenant, roles=["tenant_admin"], full_name="Admin Bandung")


def test_the_manifest_declares_one_deadline_per_stage():
    parameters = get_manifest("grants").default_parameters
    assert {key: parameters[key] for key in STAGE_KEYS} == {
        "stage_days_organisation_verification": 5,
        "stage_days_completeness": 5,
        "stage_days_head_review": 5,
        "stage_days_routing": 5,
        "stage_days_evaluation": 15,
        "stage_days_verification": 10,
        "stage_days_tapd": 10,
    }


def test_the_clock_of_each_stage_takes_the_tenant_parameter(grants_office, tenant_admin):
    office = grants_office
    set_module_parameters(
        actor=tenant_admin,
        tenant=office.tenant,
        module="grants",
        parameters={"stage_days_completeness": 3, "stage_days_head_review": 2, "stage_days_evaluation": 20},
    )
    with use_tenant(office.tenant):
        proposal = draft_proposal(office.representative, office.programme, office.organisation)
        actions.submit_proposal(actor=office.representative, proposal=proposal)
        assert get_sla_status(proposal).working_days == 3
        assert get_case_timeline(proposal).sla.working_days == 3
        actions.check_completeness(actor=office.tu, proposal=proposal, checklist=full_checklist(proposal))
        assert get_sla_status(proposal).working_days == 2
        routing = place_proposal(office.representative, office.programme, office.organisation, "routing")
        actions.route_proposal(actor=office.committee, proposal=routing, org_unit=office.dinas)
        assert get_sla_status(routing).working_days == 20


def test_without_parameters_the_defaults_apply_and_a_change_never_moves_a_running_deadline(
    grants_office, tenant_admin
):
    office = grants_office
    with use_tenant(office.tenant):
        proposal = draft_proposal(office.representative, office.programme, office.organisation)
        actions.submit_proposal(actor=office.representative, proposal=proposal)
        before = get_sla_status(proposal)
    assert before.working_days == 5
    set_module_parameters(
        actor=tenant_admin, tenant=office.tenant, module="grants", parameters={"stage_days_completeness": 9}
    )
    with use_tenant(office.tenant):
        after = get_sla_status(proposal)
    assert (after.working_days, after.due_at) == (5, before.due_at)


def test_the_tenant_admin_edits_the_deadlines_on_the_parameter_page(grants_office, tenant_admin):
    tenant = grants_office.tenant
    set_module_enabled(actor=None, tenant=tenant, module="grants", enabled=True)
    client = verified_client(tenant_admin)
    page = f"/t/{tenant.slug}/manage/modules/grants/parameters/"
    html = client.get(page).content.decode()
    assert 'name="stage_days_evaluation"' in html and 'value="15"' in html
    parameters = get_manifest("grants").default_parameters
    data = {key: str(value) for key, value in parameters.items()}
    data["stage_days_evaluation"] = "12"
    response = client.post(page, data)
    assert response.status_code == 302
    stored = TenantModule.all_tenants.get(tenant=tenant, module="grants").parameters
    assert stored["stage_days_evaluation"] == 12
    refused = client.post(page, {**data, "stage_days_tapd": "sepuluh"})
    assert refused.status_code == 200
    assert TenantModule.all_tenants.get(tenant=tenant, module="grants").parameters["stage_days_tapd"] == 10


def test_adoption_copies_the_stage_deadlines(grants_office, tenant_admin, tenant_b, make_person):
    from praja.core.tenancy.adoption import adopt_configuration

    set_module_enabled(actor=None, tenant=grants_office.tenant, module="grants", enabled=True)
    set_module_parameters(
        actor=tenant_admin, tenant=grants_office.tenant, module="grants", parameters={"stage_days_tapd": 7}
    )
    operator = make_person(tenant_b, roles=["tenant_admin"])
    adopt_configuration(actor=operator, source=grants_office.tenant, target=tenant_b, modules=["grants"])
    adopted = TenantModule.all_tenants.get(tenant=tenant_b, module="grants").parameters
    assert (adopted["stage_days_tapd"], adopted["stage_days_evaluation"]) == (7, 15)


@pytest.mark.parametrize(
    ("stored", "expected"),
    [(7, 7), (1, 1), (0, 15), (-3, 15), (True, 15), ("7", 15), (None, 15)],
)
def test_a_deadline_below_one_day_or_not_a_number_falls_back_to_the_default(stored, expected):
    assert rules.stage_days({"stage_days_evaluation": stored}, "stage_days_evaluation") == expected
    assert rules.stage_days({}, "stage_days_evaluation") == 15
