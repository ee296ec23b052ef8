"""praja.core.db.prepared_cursor: hot hand-written queries are planned once per connection on PostgreSQL."""

import pytest
from django.db import connection

from praja.core.db import prepared_cursor

QUERY = "SELECT slug, name FROM tenancy_tenant WHERE code = %s AND is_active = %s"


@pytest.mark.django_db
@pytest.mark.postgres_only
def test_prepared_cursor_answers_like_djangos_cursor_and_prepares_on_postgresql(tenant_a, tenant_b):
    with connection.cursor() as cursor:
        cursor.execute(QUERY, [tenant_b.code, True])
        expected = cursor.fetchall()

    answers = []
    for tenant in (tenant_a, tenant_b, tenant_b):
        with prepared_cursor() as cursor:
            cursor.execute(QUERY, [tenant.code, True])
            answers.append(cursor.fetchall())

    assert answers[1] == answers[2] == expected == [(tenant_b.slug, tenant_b.name)]
    assert answers[0] == [(tenant_a.slug, tenant_a.name)]
    if connection.vendor == "postgresql":
        # The statement stays prepared in this connection's session, to be executed without planning.
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [row[0] for row in cursor.fetchall()]
        assert any("FROM tenancy_tenant WHERE code = $1 AND is_active = $2" in text for text in prepared)
    else:
        assert connection.vendor == "sqlite"  # Django's own cursor; sqlite3 caches compiled statements
