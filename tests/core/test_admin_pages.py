"""Who may open the tenant admin, work-queue and platform pages: the permission matrix.

Every admin page, GET and POST alike, answers:
anonymous -> login redirect; citizen or official of the tenant -> 403 "Tidak berwenang";
tenant admin without a verified second factor -> 403 asking for the authenticator code;
another tenant's admin -> the plain 404; the tenant's verified admin -> the page.
A refused request changes nothing: the audit chain keeps its length.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from praja.core.accounts.models import OrgUnit, Position, RoleGrant
from praja.core.audit.models import AuditEvent
from praja.core.tenancy.urls import tenant_reverse

pytestmark = pytest.mark.django_db

FORBIDDEN_TEXT = "Tidak berwenang"
VERIFY_TEXT = "Perlu verifikasi dua langkah"


@pytest.fixture
def world(tenant_a, tenant_b, make_person, totp_for, login_client, in_tenant):
    """Tenant A with one unit, position and official; clients for each kind of visitor."""
    with in_tenant(tenant_a):
        unit = OrgUnit.objects.create(code="1.01", name="Dinas Pendidikan", kind="perangkat_daerah")
        position = Position.objects.create(org_unit=unit, title="Kepala Dinas")
    official = make_person(tenant_a, roles=["official"])
    with in_tenant(tenant_a):
        grant = RoleGrant.objects.get(user=official)
    admin_a = make_person(tenant_a, roles=["tenant_admin"])
    totp_for(admin_a)
    admin_b = make_person(tenant_b, roles=["tenant_admin"])
    totp_for(admin_b)
    citizen = make_person(tenant_a)

    def device(user):
        return TOTPDevice.objects.get(user=user)

    clients = {
        "anonymous": Client(),
        "citizen": login_client(citizen),
        "official": login_client(official),
        "admin_without_otp": login_client(admin_a),
        "admin_other_tenant": login_client(admin_b, otp_device=device(admin_b)),
        "admin": login_client(admin_a, otp_device=device(admin_a)),
    }
    return {
        "tenant": tenant_a,
        "unit": unit,
        "position": position,
        "official": official,
        "grant": grant,
        "admin": admin_a,
        "clients": clients,
    }


# (url name, kwargs from the world, method, POST data, status for the right admin)
ADMIN_ROUTES = [
    ("manage-home", {}, "get", None, 200),
    ("manage-people", {}, "get", None, 200),
    ("manage-official-create", {}, "get", None, 200),
    ("manage-person", {"user_id": "official"}, "get", None, 200),
    ("manage-role-grant", {"user_id": "official"}, "post", {"role": "approver"}, 302),
    ("manage-role-revoke", {"grant_id": "grant"}, "post", {}, 302),
    ("manage-org-units", {}, "get", None, 200),
    ("manage-org-unit", {"unit_id": "unit"}, "get", None, 200),
    ("manage-org-unit-delete", {"unit_id": "unit"}, "post", {}, 302),
    ("manage-position-create", {"unit_id": "unit"}, "get", None, 200),
    ("manage-position", {"position_id": "position"}, "get", None, 200),
    ("manage-modules", {}, "get", None, 200),
    ("manage-module-switch", {"module": "sample"}, "post", {"enabled": "1"}, 302),
    ("manage-module-parameters", {"module": "sample"}, "get", None, 200),
    ("manage-settings", {}, "get", None, 200),
    ("manage-holidays", {}, "get", None, 200),
    ("manage-holiday-remove", {}, "post", {"date": "2031-03-04"}, 302),
]


def _url(world, name, kwargs):
    resolved = {
        key: getattr(world[value], "pk", world[value]) if isinstance(value, str) and value in world else value
        for key, value in kwargs.items()
    }
    return tenant_reverse(name, tenant=world["tenant"], kwargs=resolved or None)


def _call(client, method, url, data):
    return client.post(url, data or {}) if method == "post" else client.get(url)


@pytest.mark.parametrize(
    ("name", "kwargs", "method", "data", "ok_status"), ADMIN_ROUTES, ids=[route[0] for route in ADMIN_ROUTES]
)
def test_admin_page_permission_matrix(world, name, kwargs, method, data, ok_status):
    url = _url(world, name, kwargs)
    clients = world["clients"]
    events_before = AuditEvent.objects.count()

    response = _call(clients["anonymous"], method, url, data)
    assert response.status_code == 302
    assert response["Location"] == f"/t/kota-bandung/login/?next={url.replace('/', '%2F')}"

    for visitor in ("citizen", "official"):
        response = _call(clients[visitor], method, url, data)
        assert response.status_code == 403, visitor
        assert FORBIDDEN_TEXT in response.content.decode(), visitor

    response = _call(clients["admin_without_otp"], method, url, data)
    assert response.status_code == 403
    assert VERIFY_TEXT in response.content.decode()
    assert "kode 6 digit" in response.content.decode()

    response = _call(clients["admin_other_tenant"], method, url, data)
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()
    assert "Menu admin daerah" not in response.content.decode()

    assert AuditEvent.objects.count() == events_before, "a refused request left a trace of change"

    response = _call(clients["admin"], method, url, data)
    assert response.status_code == ok_status


def test_missing_and_other_tenant_objects_are_the_same_404(world, tenant_b, in_tenant):
    with in_tenant(tenant_b):
        unit_b = OrgUnit.objects.create(code="9.01", name="Dinas Serang", kind="perangkat_daerah")
    admin = world["clients"]["admin"]
    for unit_id in (unit_b.pk, 999_999):
        response = admin.get(
            tenant_reverse("manage-org-unit", tenant=world["tenant"], kwargs={"unit_id": unit_id})
        )
        assert response.status_code == 404
        assert "Dinas Serang" not in response.content.decode()
    assert (
        admin.get(
            tenant_reverse("manage-module-parameters", tenant=world["tenant"], kwargs={"module": "tidak-ada"})
        ).status_code
        == 404
    )


def test_admin_without_device_is_told_to_enrol(world, tenant_a, make_person, login_client):
    newcomer = make_person(tenant_a, roles=["tenant_admin"])
    response = login_client(newcomer).get(tenant_reverse("manage-modules", tenant=tenant_a))
    body = response.content.decode()
    assert response.status_code == 403
    assert "belum memiliki aplikasi autentikator" in body
    assert 'href="/t/kota-bandung/2fa/setup/?next=%2Ft%2Fkota-bandung%2Fmanage%2Fmodules%2F"' in body


def test_admin_verifies_second_factor_on_the_page_itself(
    world, tenant_a, make_person, login_client, totp_for
):
    admin = make_person(tenant_a, roles=["tenant_admin"])
    token = totp_for(admin)
    client = login_client(admin)
    url = tenant_reverse("manage-modules", tenant=tenant_a)

    right = client.post(url, {"otp_token": token()})
    assert right.status_code == 302 and right["Location"] == url
    assert client.get(url).status_code == 200


def test_wrong_authenticator_code_is_refused(world, tenant_a, make_person, login_client, totp_for):
    admin = make_person(tenant_a, roles=["tenant_admin"])
    token = totp_for(admin)
    client = login_client(admin)
    url = tenant_reverse("manage-modules", tenant=tenant_a)

    wrong = client.post(url, {"otp_token": "000000" if token() != "000000" else "111111"})
    assert wrong.status_code == 403
    assert "Kode autentikator salah atau kedaluwarsa" in wrong.content.decode()
    assert client.get(url).status_code == 403


# --- Work queue --------------------------------------------------------------------------------------


def test_work_queue_permission_matrix(world, tenant_a, tenant_b, make_person, login_client):
    url = tenant_reverse("work-queue", tenant=tenant_a)
    clients = world["clients"]
    assert clients["anonymous"].get(url).status_code == 302
    assert clients["citizen"].get(url).status_code == 403
    assert clients["admin"].get(url).status_code == 403  # admins administer; officials work cases
    assert login_client(make_person(tenant_b, roles=["official"])).get(url).status_code == 404
    assert clients["official"].get(url).status_code == 200
    # Approvers need a second factor to approve, not to see what waits for them.
    assert login_client(make_person(tenant_a, roles=["approver"])).get(url).status_code == 200


# --- Platform ----------------------------------------------------------------------------------------


@pytest.fixture
def operator(make_person):
    return make_person(None, is_platform_operator=True)


PLATFORM_ROUTES = [
    ("platform-home", {}, "get", None, 200),
    ("platform-tenant-active", {"tenant_id": "tenant"}, "post", {"active": "0"}, 302),
]


@pytest.mark.parametrize(
    ("name", "kwargs", "method", "data", "ok_status"),
    PLATFORM_ROUTES,
    ids=[route[0] for route in PLATFORM_ROUTES],
)
def test_platform_page_permission_matrix(
    world, operator, totp_for, login_client, name, kwargs, method, data, ok_status
):
    from django.urls import reverse

    url = reverse(name, kwargs={key: world[value].pk for key, value in kwargs.items()} or None)
    events_before = AuditEvent.objects.count()
    response = _call(world["clients"]["anonymous"], method, url, data)
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")
    for visitor in ("citizen", "admin"):
        assert _call(world["clients"][visitor], method, url, data).status_code == 404, visitor
    response = _call(login_client(operator), method, url, data)
    assert response.status_code == 403 and VERIFY_TEXT in response.content.decode()
    assert AuditEvent.objects.count() == events_before
    totp_for(operator)
    verified = login_client(operator, otp_device=TOTPDevice.objects.get(user=operator))
    assert _call(verified, method, url, data).status_code == ok_status


def test_landing_pages_answer_everyone(world, tenant_a):
    anonymous = Client()
    portal = anonymous.get("/")
    assert portal.status_code == 200
    assert "Kota Bandung" in portal.content.decode() and "Kabupaten Serang" in portal.content.decode()
    home = anonymous.get("/t/kota-bandung/")
    body = home.content.decode()
    assert home.status_code == 200
    assert "Pemerintah Kota Bandung" in body
    assert 'href="/t/kota-bandung/login/"' in body and 'href="/t/kota-bandung/register/"' in body
    assert "Belum ada layanan yang dibuka di daerah ini." in body
    assert 'href="/t/kota-bandung/audit/checkpoints/"' in body


def test_navigation_offers_only_the_pages_a_person_may_open(world):
    home = "/t/kota-bandung/"
    official_nav = world["clients"]["official"].get(home).content.decode()
    admin_nav = world["clients"]["admin"].get(home).content.decode()
    citizen_nav = world["clients"]["citizen"].get(home).content.decode()
    assert (
        'href="/t/kota-bandung/queue/"' in official_nav
        and 'href="/t/kota-bandung/manage/"' not in official_nav
    )
    assert 'href="/t/kota-bandung/manage/"' in admin_nav and 'href="/t/kota-bandung/queue/"' not in admin_nav
    assert "/queue/" not in citizen_nav and "/manage/" not in citizen_nav
