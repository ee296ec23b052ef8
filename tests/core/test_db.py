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


@pytest.mark.django_db
@pytest.mark.postgres_only
def test_an_orm_query_run_again_and_again_is_prepared_once_on_postgresql(tenant_a):
    """Settings bind Django's queries on the server, so a repeated one is planned only once."""
    from praja.core.tenancy.models import Tenant

    for _ in range(6):
        assert Tenant.objects.filter(code=tenant_a.code, is_active=True).values_list("slug").get() == (
            tenant_a.slug,
        )
    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"  # sqlite3 caches compiled statements by itself
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('"tenancy_tenant"."code" = $1' in text for text in prepared), prepared


@pytest.mark.django_db
def test_insert_rows_stores_every_row_with_its_values_in_the_callers_transaction(tenant_a):
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from praja.core.calendar.models import TenantHoliday
    from praja.core.db import INSERT_BATCH, insert_rows

    table = TenantHoliday._meta.db_table
    columns = ["tenant_id", "date", "name", "kind", "created_by_id", "created_at"]
    start, now = datetime.date(2030, 1, 1), timezone.now()
    # More rows than one batch, names with characters COPY must escape, a NULL foreign key.
    rows = [
        [
            tenant_a.pk,
            start + datetime.timedelta(days=n),
            f'Libur\t{n}\\ "Nyepi"\nke-{n}',
            "day_off",
            None,
            now,
        ]
        for n in range(INSERT_BATCH + 5)
    ]

    assert insert_rows(table, columns, iter(rows)) == len(rows)

    stored = TenantHoliday.all_tenants.filter(tenant=tenant_a, date__gte=start).order_by("date")
    assert stored.count() == len(rows)
    last = stored.last()
    assert last.name == f'Libur\t{len(rows) - 1}\\ "Nyepi"\nke-{len(rows) - 1}'
    assert last.created_by_id is None and last.kind == "day_off"

    # In the caller's transaction: rolled back with it.
    later = [[tenant_a.pk, datetime.date(2029, 1, 1), "Batal", "day_off", None, now]]
    with pytest.raises(RuntimeError), transaction.atomic():
        insert_rows(table, columns, later)
        raise RuntimeError
    assert not TenantHoliday.all_tenants.filter(tenant=tenant_a, date=datetime.date(2029, 1, 1)).exists()
