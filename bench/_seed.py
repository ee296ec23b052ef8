"""Seed a benchmark database; run in a subprocess whose environment picks the database.

python -m bench._seed demo          migrate, demo data, a session and API tokens (JSON on stdout)
python -m bench._seed all-tenants   add every province and regency/city still missing
"""

from __future__ import annotations

import json
import os
import sys
import time

TENANT = "kota-bandung"
API_CLIENTS = 64  # tokens rotated per request: many machine clients, as the per-account rate limit expects


def seed_demo() -> dict:
    from django.core.management import call_command
    from django.test import Client

    from praja.core.accounts.models import RoleGrant, User
    from praja.core.api.actions import issue_api_token
    from praja.core.tenancy.context import use_tenant
    from praja.core.tenancy.models import Tenant
    from praja.core.testing.demo import build_demo

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.perf_counter()
    build_demo()
    tenant = Tenant.objects.get(slug=TENANT)
    official = User.objects.get(email=f"official@{TENANT}.demo.praja.id")
    client = Client()
    client.force_login(official, backend="praja.core.accounts.backends.IdentifierBackend")
    with use_tenant(tenant):
        user_ids = list(
            RoleGrant.objects.filter(role="official", revoked_at__isnull=True)
            .order_by("user_id")
            .values_list("user_id", flat=True)
            .distinct()[:API_CLIENTS]
        )
    tokens = [issue_api_token(actor=None, user=user).key for user in User.objects.filter(pk__in=user_ids)]
    return {
        "tenant": TENANT,
        "session_cookie": client.cookies["sessionid"].value,
        "tokens": tokens,
        "tenants": Tenant.objects.count(),
        "migrate_seconds": round(migrated - started, 1),
        "seed_seconds": round(time.perf_counter() - migrated, 1),
    }


def add_all_tenants() -> dict:
    from praja.core.reference.models import Area, AreaLevel
    from praja.core.tenancy.actions import add_tenant
    from praja.core.tenancy.models import Tenant

    started = time.perf_counter()
    existing = set(Tenant.objects.values_list("code", flat=True))
    codes = Area.objects.filter(level__in=[AreaLevel.PROVINCE, AreaLevel.REGENCY]).order_by("code")
    added = 0
    for code in codes.values_list("code", flat=True):
        if code not in existing:
            add_tenant(code=code, actor=None)
            added += 1
    return {
        "added": added,
        "tenants": Tenant.objects.count(),
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    command = sys.argv[1]
    result = {"demo": seed_demo, "all-tenants": add_all_tenants}[command]()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
