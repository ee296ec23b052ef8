"""pytest plugin shared by every module's tests: two tenants, their people, and helpers.

Tenant A is Kota Bandung (WIB), tenant B Kabupaten Serang (WIB); `tenant_wita` is Kota Mataram.
Fixtures that create people take roles by name, e.g. `make_person(tenant_a, roles=["approver"])`.
"""

from __future__ import annotations

import itertools

import pytest

_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _language_of_the_next_test_is_the_default():
    """A request with Accept-Language leaves its language active in the thread (LocaleMiddleware
    activates and never deactivates): without this, the next test on the worker spoke English."""
    yield
    from django.utils import translation

    translation.deactivate()


def _next_nik() -> str:
    # 32.73.01 (Sumur Bandung) is a real district; birth 01-01-1990, serial from the counter.
    return f"327301010190{next(_serial):04d}"


@pytest.fixture
def tenant_a(db):
    from praja.core.tenancy.actions import add_tenant

    return add_tenant(code="32.73")


@pytest.fixture
def tenant_b(db):
    from praja.core.tenancy.actions import add_tenant

    return add_tenant(code="36.04")


@pytest.fixture
def tenant_wita(db):
    from praja.core.tenancy.actions import add_tenant

    return add_tenant(code="52.71")


@pytest.fixture
def make_person(db):
    """make_person(tenant, roles=[...], verified=True, **fields) -> User with password 'rahasia-uji-123'."""
    from django.utils import timezone

    from praja.core.accounts.models import RoleGrant, User
    from praja.core.tenancy.context import use_tenant

    def make(tenant=None, *, roles=(), verified=True, org_unit=None, **fields):
        number = next(_serial)
        fields.setdefault("email", f"orang{number}@contoh.go.id")
        fields.setdefault("full_name", f"Orang Uji {number}")
        fields.setdefault("nik", _next_nik())
        if verified:
            fields.setdefault("email_verified_at", timezone.now())
        user = User.objects.create_user(password=PASSWORD, home_tenant=tenant, **fields)
        for role in roles:
            with use_tenant(tenant):
                RoleGrant.objects.create(user=user, role=role, org_unit=org_unit)
        return user

    return make


PASSWORD = "rahasia-uji-123"


@pytest.fixture
def in_tenant():
    """`with in_tenant(tenant): ...` activates a tenant context inside a test."""
    from praja.core.tenancy.context import use_tenant

    return use_tenant


@pytest.fixture
def totp_for():
    """totp_for(user) enrols a confirmed TOTP device and returns a function giving a valid token.

    A code is accepted once per time step; `code(ahead=1)` is the next step's, which the device
    also accepts (it allows one step of clock drift), for a test that needs a second code at once.
    """
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def enrol(user):
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)

        def code(ahead: int = 0) -> str:
            return f"{totp(device.bin_key, step=device.step, digits=device.digits, drift=ahead):06d}"

        return code

    return enrol


@pytest.fixture
def login_client(client):
    """login_client(user, otp=None) -> a Django test client logged in (and OTP-verified if given)."""
    from django.test import Client

    def login(user, *, otp_device=None):
        c = Client()
        c.force_login(user, backend="praja.core.accounts.backends.IdentifierBackend")
        if otp_device is not None:
            session = c.session
            session["otp_device_id"] = otp_device.persistent_id
            session.save()
        return c

    return login


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Start each test with empty throttle counters (they live in the local-memory cache)."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    cache = caches["default"]
    if isinstance(cache, LocMemCache):
        cache.clear()
    yield


@pytest.fixture
def permission_matrix(make_person, tenant_b):
    """permission_matrix(path=..., tenant=tenant_a, right_roles=[...], wrong_roles=[...], method=, data=,
    kind="api"|"page", expect={actor: status}, snapshot=callable) -> {actor: response}.

    Acts as anonymous, a right-role person of tenant_b (the other tenant), a wrong-role and a
    right-role person of `tenant`; see praja.core.testing.permission_matrix.
    """
    from praja.core.testing.permission_matrix import check_permission_matrix, matrix_people

    def run(*, tenant, right_roles, wrong_roles=("official",), other_tenant=None, **kwargs):
        people = matrix_people(
            make_person=make_person,
            tenant=tenant,
            other_tenant=other_tenant or tenant_b,
            right_roles=right_roles,
            wrong_roles=wrong_roles,
        )
        return check_permission_matrix(people=people, tenant=tenant, **kwargs)

    return run


@pytest.fixture(scope="session", autouse=True)
def keep_reference_data_across_flushes():
    """Leave the reference tables (areas: ~92,000 rows from a migration) out of test flushes.

    `django_db(transaction=True)` tests (live server journeys, concurrency) end by flushing every
    table; reloading all areas after each would take seconds, and without villages and districts
    NIK and address checks fail. Tests never write reference data, so keeping it is safe.
    """
    from django.apps import apps
    from django.db.backends.base.introspection import BaseDatabaseIntrospection

    kept = {model._meta.db_table for model in apps.get_app_config("reference").get_models()}
    original = BaseDatabaseIntrospection.django_table_names

    def django_table_names(self, only_existing=False, include_views=True):
        return [name for name in original(self, only_existing, include_views) if name not in kept]

    BaseDatabaseIntrospection.django_table_names = django_table_names
    try:
        yield
    finally:
        BaseDatabaseIntrospection.django_table_names = original


@pytest.fixture
def reference_areas(db):
    """Provinces and regencies/cities present, whatever flushed the tables before this test.

    `keep_reference_data_across_flushes` normally keeps them; this reloads the two levels a tenant
    needs if they are missing anyway (e.g. a database created without the data migration).
    """
    from praja.core.reference.areas import iter_area_rows
    from praja.core.reference.models import Area

    if not Area.objects.filter(level="regency").exists():
        Area.objects.bulk_create(
            [
                Area(code=code, parent_code=parent, level=level, name=name)
                for code, parent, level, name in iter_area_rows(("province", "regency"))
            ],
            ignore_conflicts=True,
        )
