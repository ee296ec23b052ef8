"""Schemathesis against Praja's own OpenAPI schema, in-process through the WSGI app: no 5xx anywhere.

Every operation is called as a verified tenant admin of Kota Bandung (the widest core role), with
the tenant slug fixed to Bandung's so requests reach the views instead of the unknown-tenant 404.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from praja.config.wsgi import application  # noqa: E402
from praja.core.accounts.models import OrgUnit
from praja.core.testing.permission_matrix import verified_client

# Loaded once at collection: generating the schema touches no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@pytest.fixture
def tenant_admin_session(db, tenant_a, make_person, in_tenant):
    """A verified tenant admin of Kota Bandung, with one org unit to read."""
    # The WSGI handler closes the connection when a request starts and finishes; inside the test
    # transaction that would end it (as Django's own test client knows), so keep it meanwhile.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with in_tenant(tenant_a):
        OrgUnit.objects.create(code="1.01", name="Dinas Pendidikan", kind="perangkat_daerah")
    client = verified_client(make_person(tenant_a, roles=["tenant_admin"]))
    try:
        yield {"tenant_slug": tenant_a.slug, "cookies": {"sessionid": client.cookies["sessionid"].value}}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_with_a_server_error(case, tenant_admin_session):
    case.path_parameters = {
        **(case.path_parameters or {}),
        "tenant_slug": tenant_admin_session["tenant_slug"],
    }
    case.call_and_validate(cookies=tenant_admin_session["cookies"], checks=[not_a_server_error])
