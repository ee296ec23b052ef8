"""Seed a benchmark database for the licensing benchmarks; run in a subprocess (see bench._server).

python -m bench._licensing_seed tracking N    migrate, Kota Bandung, N submitted applications with
                                              their timeline events and SLA clocks (bulk_create)
python -m bench._licensing_seed submit N      migrate, Kota Bandung, a published permit type with two
                                              mandatory uploads, N verified applicants with API tokens
python -m bench._licensing_seed count         applications per applicant and tracking number (JSON)
"""

from __future__ import annotations

import datetime
import json
import os
import random
import sys
import time

TENANT_CODE = "32.73"
BATCH = 5000


def _migrate() -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    return time.perf_counter() - started


def _tenant():
    from praja.core.tenancy.actions import add_tenant
    from praja.core.tenancy.models import Tenant

    return Tenant.objects.filter(code=TENANT_CODE).first() or add_tenant(code=TENANT_CODE, actor=None)


def _permit_type(tenant, *, uploads: bool):
    from django.utils import timezone

    from praja.core.tenancy.context import use_tenant
    from praja.modules.licensing.models import FormField, PermitType, Requirement, RequirementSet

    with use_tenant(tenant):
        permit_type = PermitType.objects.create(
            code="reklame",
            name="Izin Reklame",
            legal_basis="Perda Kota Bandung tentang Reklame",
            sla_working_days=5,
            fee_kind="fixed",
            fee_amount=1_500_000,
            permit_number_prefix="503/REK",
            is_published=True,
        )
        version = RequirementSet.objects.create(
            permit_type=permit_type,
            version=1,
            effective_from=timezone.now() - datetime.timedelta(days=1),
            published_at=timezone.now() - datetime.timedelta(days=1),
        )
        FormField.objects.create(requirement_set=version, key="lokasi", label="Lokasi reklame", kind="text")
        if uploads:
            Requirement.objects.create(
                requirement_set=version, code="ktp", label="KTP pemohon", accepted_types="pdf", position=1
            )
            Requirement.objects.create(
                requirement_set=version,
                code="desain",
                label="Desain reklame",
                accepted_types="pdf",
                position=2,
            )
    return permit_type, version


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    """executemany straight into the table: several times faster than bulk_create for ~550,000 rows."""
    from django.db import connection

    def adapt(value):
        if isinstance(value, datetime.datetime):
            return connection.ops.adapt_datetimefield_value(value)
        return value

    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(column) for column in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [tuple(adapt(value) for value in row) for row in rows])


def seed_tracking(count: int) -> dict:
    """N applications in assorted states, each with 1-4 timeline events and (if registered) a clock."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from praja.core.accounts.models import User
    from praja.core.tenancy.context import use_tenant
    from praja.core.workflow.models import CaseEvent, SlaClock
    from praja.core.workflow.registry import allow_status_assignment
    from praja.modules.licensing.models import Application

    migrate_seconds = _migrate()
    started = time.perf_counter()
    tenant = _tenant()
    permit_type, version = _permit_type(tenant, uploads=False)
    applicant = User.objects.create_user(
        email="pemohon@bench.praja.id", password=None, full_name="Pemohon Bench", home_tenant=tenant
    )
    from django.utils import timezone

    rng = random.Random(7)
    # One application a minute up to now (100,000 span ~69 days): the older ones issued, with
    # stopped clocks; the last two weeks' still moving through the steps.
    now = timezone.now()
    base = now - datetime.timedelta(minutes=count)
    recent = now - datetime.timedelta(days=14)
    path = [
        ("submit", "draft", "submitted"),
        ("register", "submitted", "registered"),
        ("start_review", "registered", "technical_review"),
        ("approve", "technical_review", "approved"),
        ("issue", "approved", "issued"),
    ]
    numbers = []
    with use_tenant(tenant), allow_status_assignment(), transaction.atomic():
        content_type = ContentType.objects.get_for_model(Application)
        for start in range(0, count, BATCH):
            rows = []
            steps_of = []
            for index in range(start, min(count, start + BATCH)):
                submitted = base + datetime.timedelta(minutes=index)
                steps = len(path) if submitted < recent else rng.randint(1, len(path) - 1)
                number = f"BDG-2026-{index + 1:06d}"
                numbers.append(number)
                steps_of.append(steps)
                rows.append(
                    Application(
                        tenant=tenant,
                        tracking_number=number,
                        permit_type=permit_type,
                        requirement_set=version,
                        applicant=applicant,
                        status=path[steps - 1][2],
                        submitted_at=submitted,
                        registered_at=submitted + datetime.timedelta(hours=4) if steps >= 2 else None,
                        issued_at=submitted + datetime.timedelta(days=5) if steps == len(path) else None,
                        fee_amount=1_500_000,
                        form_data={"lokasi": "Jl. Asia Afrika"},
                    )
                )
            created = Application.objects.bulk_create(rows, batch_size=1000)
            if created and created[0].pk is None:  # backends that do not return ids
                ids = dict(
                    Application.objects.filter(
                        tracking_number__in=[r.tracking_number for r in rows]
                    ).values_list("tracking_number", "pk")
                )
                for row in created:
                    row.pk = ids[row.tracking_number]
            events, clocks = [], []
            for application, steps in zip(created, steps_of, strict=True):
                for position, (name, source, target) in enumerate(path[:steps]):
                    moment = application.submitted_at + datetime.timedelta(hours=24 * position)
                    events.append(
                        (
                            tenant.pk,
                            content_type.pk,
                            str(application.pk),
                            "licensing.application",
                            name,
                            source,
                            target,
                            "Petugas",
                            "",
                            moment,
                        )
                    )
                if application.registered_at:
                    clocks.append(
                        (
                            tenant.pk,
                            content_type.pk,
                            str(application.pk),
                            "licensing.application",
                            5,
                            application.registered_at,
                            application.registered_at + datetime.timedelta(days=7),
                            0,
                            application.issued_at,
                        )
                    )
            _insert(
                CaseEvent,
                [
                    "tenant_id",
                    "content_type_id",
                    "object_id",
                    "workflow",
                    "transition",
                    "from_status",
                    "to_status",
                    "actor_label",
                    "reason",
                    "occurred_at",
                ],
                events,
            )
            _insert(
                SlaClock,
                [
                    "tenant_id",
                    "content_type_id",
                    "object_id",
                    "workflow",
                    "working_days",
                    "started_at",
                    "due_at",
                    "paused_working_days",
                    "stopped_at",
                ],
                clocks,
            )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after a bulk load: the planner needs statistics
    sample = rng.sample(numbers, min(2000, len(numbers)))
    return {
        "tenant": tenant.slug,
        "applications": Application.all_tenants.filter(tenant=tenant).count(),
        "events": CaseEvent.all_tenants.filter(tenant=tenant).count(),
        "numbers": sample,
        "migrate_seconds": round(migrate_seconds, 1),
        "seed_seconds": round(time.perf_counter() - started, 1),
    }


def seed_submit(count: int) -> dict:
    """A permit type with two mandatory PDF uploads and N verified applicants with API tokens."""
    from django.utils import timezone

    from praja.core.accounts.models import User
    from praja.core.api.actions import issue_api_token

    migrate_seconds = _migrate()
    started = time.perf_counter()
    tenant = _tenant()
    _permit_type(tenant, uploads=True)
    tokens = []
    for index in range(count):
        user = User.objects.create_user(
            email=f"pemohon{index}@bench.praja.id",
            password=None,
            full_name=f"Pemohon Bench {index}",
            home_tenant=tenant,
            email_verified_at=timezone.now(),
            nik=f"327301010190{index:04d}",
        )
        tokens.append(issue_api_token(actor=None, user=user).key)
    return {
        "tenant": tenant.slug,
        "permit_type": "reklame",
        "tokens": tokens,
        "migrate_seconds": round(migrate_seconds, 1),
        "seed_seconds": round(time.perf_counter() - started, 1),
    }


def count_applications() -> dict:
    from django.db.models import Count

    from praja.modules.licensing.models import Application, ApplicationDocument

    tenant = _tenant()
    applications = Application.all_tenants.filter(tenant=tenant)
    per_applicant = dict(
        applications.values_list("applicant__email")
        .annotate(n=Count("pk"))
        .values_list("applicant__email", "n")
    )
    numbers = list(applications.exclude(tracking_number=None).values_list("tracking_number", flat=True))
    return {
        "applications": applications.count(),
        "submitted": applications.exclude(status="draft").count(),
        "per_applicant": per_applicant,
        "distinct_tracking_numbers": len(set(numbers)),
        "tracking_numbers": len(numbers),
        "documents": ApplicationDocument.all_tenants.filter(tenant=tenant, is_current=True).count(),
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench._licensing_settings")
    import django

    django.setup()
    command = sys.argv[1]
    argument = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    result = {"tracking": seed_tracking, "submit": seed_submit}.get(command)
    print(json.dumps(result(argument) if result else count_applications()))


if __name__ == "__main__":
    main()
