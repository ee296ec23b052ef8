"""Core API endpoints: the permission matrix on each, and what the right role gets back."""

import pytest
from django.core import mail
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from praja.core.accounts.models import OrgUnit, RoleGrant, User
from praja.core.audit.models import AuditEvent
from praja.core.tenancy.actions import set_module_enabled
from praja.core.testing.permission_matrix import assert_error_envelope, verified_client

pytestmark = pytest.mark.django_db

VALID_NIP = "198503302010011002"  # born 1985-03-30, appointed 2010-01, male, serial 002


def api(tenant, rest=""):
    return f"/t/{tenant.slug}/api/v1/{rest}"


@pytest.fixture
def units(tenant_a, tenant_b, in_tenant):
    with in_tenant(tenant_a):
        dinas = OrgUnit.objects.create(
            code="1.01", name="Dinas Pendidikan", short_name="Disdik", kind="perangkat_daerah"
        )
        unit = OrgUnit.objects.create(code="1.01.01", name="Bidang SD", kind="unit", parent=dinas)
    with in_tenant(tenant_b):
        other = OrgUnit.objects.create(code="1.01", name="Dinas Pendidikan Serang", kind="perangkat_daerah")
    return dinas, unit, other


def grants_of(tenant, in_tenant):
    with in_tenant(tenant):
        return sorted(RoleGrant.objects.values_list("user__email", "role", "revoked_at"))


# --- me/ ---------------------------------------------------------------------------------------


def test_me_shows_the_person_roles_here_and_masks_the_nik(tenant_a, tenant_b, make_person, units, in_tenant):
    dinas = units[0]
    person = make_person(
        tenant_a,
        roles=["official"],
        full_name="Siti Rahmawati",
        email="siti@bandung.go.id",
        nik="3273014101900007",
        org_unit=dinas,
    )
    with in_tenant(tenant_b):  # a role in another tenant does not show here
        RoleGrant.objects.create(user=person, role="inspector")
    response = verified_client(person).get(api(tenant_a, "me/"))
    assert response.status_code == 200
    assert response.json() == {
        "id": person.pk,
        "full_name": "Siti Rahmawati",
        "email": "siti@bandung.go.id",
        "nik_masked": "3273********0007",
        "has_verified_email": True,
        "second_factor_verified": False,
        "preferred_language": "id",
        "roles": [
            {
                "role": "official",
                "label": "Pegawai (ASN)",
                "org_unit": {"id": dinas.pk, "code": "1.01", "name": "Dinas Pendidikan"},
            }
        ],
    }
    assert "3273014101900007" not in response.content.decode()


def test_me_reports_a_verified_second_factor(tenant_a, make_person):
    admin = make_person(tenant_a, roles=["tenant_admin"])
    body = verified_client(admin).get(api(tenant_a, "me/")).json()
    assert body["second_factor_verified"] is True
    assert [role["role"] for role in body["roles"]] == ["tenant_admin"]


def test_me_matrix(permission_matrix, tenant_a):
    # Anyone signed in may ask who they are; a stranger to the tenant simply has no roles here.
    responses = permission_matrix(
        path=api(tenant_a, "me/"),
        tenant=tenant_a,
        right_roles=["official"],
        wrong_roles=[],
        expect={"wrong_role": 200, "other_tenant": 200},
    )
    assert responses["other_tenant"].json()["roles"] == []


# --- tenant/ -----------------------------------------------------------------------------------


def test_tenant_is_public_and_lists_enabled_modules(client, tenant_a, tenant_wita):
    from praja.core.modules.registry import all_manifests

    manifests = all_manifests()
    if manifests:
        set_module_enabled(actor=None, tenant=tenant_a, module=manifests[0].name, enabled=True)
    response = client.get(api(tenant_a, "tenant/"))
    assert response.status_code == 200
    assert response.json() == {
        "code": "32.73",
        "slug": "kota-bandung",
        "name": "Kota Bandung",
        "level": "kota",
        "province_code": "32",
        "province_name": "Jawa Barat",
        "timezone": "Asia/Jakarta",
        "timezone_label": "WIB",
        "modules": [manifests[0].name] if manifests else [],
    }
    wita = client.get(api(tenant_wita, "tenant/")).json()
    assert (wita["name"], wita["timezone"], wita["timezone_label"]) == (
        "Kota Mataram",
        "Asia/Makassar",
        "WITA",
    )


# --- org-units/ --------------------------------------------------------------------------------


def test_org_units_matrix_and_list(permission_matrix, tenant_a, units):
    dinas, unit, _other = units
    responses = permission_matrix(
        path=api(tenant_a, "org-units/"),
        tenant=tenant_a,
        right_roles=["official"],
        wrong_roles=[],
        expect={"wrong_role": 403},
    )
    assert responses["right_role"].json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": dinas.pk,
                "code": "1.01",
                "name": "Dinas Pendidikan",
                "short_name": "Disdik",
                "kind": "perangkat_daerah",
                "parent": None,
            },
            {
                "id": unit.pk,
                "code": "1.01.01",
                "name": "Bidang SD",
                "short_name": "",
                "kind": "unit",
                "parent": dinas.pk,
            },
        ],
    }
    # A citizen registered here (no role) is a member, but not an official.
    assert_error_envelope(responses["wrong_role"], status=403, code="permission_denied")


def test_org_unit_detail_matrix(permission_matrix, tenant_a, units):
    dinas = units[0]
    responses = permission_matrix(
        path=api(tenant_a, f"org-units/{dinas.pk}/"),
        tenant=tenant_a,
        right_roles=["approver"],
        wrong_roles=[],
        expect={"wrong_role": 403},
    )
    assert responses["right_role"].json()["name"] == "Dinas Pendidikan"


# --- people/ -----------------------------------------------------------------------------------


def test_people_list_matrix(permission_matrix, tenant_a, make_person, units):
    colleague = make_person(
        tenant_a, roles=["approver"], full_name="Agus Salim", nip="198001012005011001", org_unit=units[0]
    )
    make_person(tenant_a, full_name="Warga Tanpa Peran")  # a citizen: no role, not listed
    responses = permission_matrix(
        path=api(tenant_a, "people/"), tenant=tenant_a, right_roles=["tenant_admin"], wrong_roles=["approver"]
    )
    body = responses["right_role"].json()
    names = [person["full_name"] for person in body["results"]]
    assert "Warga Tanpa Peran" not in names
    entry = next(person for person in body["results"] if person["id"] == colleague.pk)
    assert entry == {
        "id": colleague.pk,
        "full_name": "Agus Salim",
        "email": colleague.email,
        "nip": "198001012005011001",
        "phone": "",
        "is_active": True,
        "roles": [
            {
                "role": "approver",
                "label": "Pejabat penyetuju/penandatangan",
                "org_unit": {"id": units[0].pk, "code": "1.01", "name": "Dinas Pendidikan"},
            }
        ],
    }


def test_create_official_matrix_creates_once_and_refusals_change_nothing(
    permission_matrix, tenant_a, units, in_tenant, django_capture_on_commit_callbacks
):
    data = {
        "full_name": "Dewi Lestari",
        "email": "dewi@bandung.go.id",
        "nip": "1985 0330 2010 01 1 002",
        "org_unit": units[0].pk,
    }
    with django_capture_on_commit_callbacks(execute=True):
        responses = permission_matrix(
            path=api(tenant_a, "people/"),
            method="post",
            data=data,
            tenant=tenant_a,
            right_roles=["tenant_admin"],
            wrong_roles=["official"],
            expect={"right_role": 201},
            snapshot=lambda: sorted(User.objects.values_list("email", flat=True)),
        )
    body = responses["right_role"].json()
    dewi = User.objects.get(email="dewi@bandung.go.id")
    assert body["id"] == dewi.pk and body["nip"] == VALID_NIP
    assert body["roles"][0]["role"] == "official"
    assert dewi.home_tenant == tenant_a
    with in_tenant(tenant_a):
        assert AuditEvent.objects.filter(tenant=tenant_a, event_type="accounts.official_created").count() == 1
    assert [message.to for message in mail.outbox] == [["dewi@bandung.go.id"]]


def test_create_official_with_a_bad_nip_names_the_field_in_indonesian(tenant_a, make_person):
    admin = verified_client(make_person(tenant_a, roles=["tenant_admin"]))
    response = admin.post(
        api(tenant_a, "people/"),
        {"full_name": "X", "email": "x@bandung.go.id", "nip": "12345"},
        content_type="application/json",
    )
    error = assert_error_envelope(response, status=400)
    assert error["message"] == "Periksa kembali isian berikut."
    assert list(error["fields"]) == ["nip"]
    assert "18 digit" in error["fields"]["nip"][0]
    assert not User.objects.filter(email="x@bandung.go.id").exists()


def test_create_official_refuses_another_tenants_org_unit_as_missing(tenant_a, make_person, units):
    admin = verified_client(make_person(tenant_a, roles=["tenant_admin"]))
    other_unit = units[2]
    response = admin.post(
        api(tenant_a, "people/"),
        {"full_name": "Y", "email": "y@bandung.go.id", "nip": VALID_NIP, "org_unit": other_unit.pk},
        content_type="application/json",
    )
    missing = admin.post(
        api(tenant_a, "people/"),
        {"full_name": "Y", "email": "y@bandung.go.id", "nip": VALID_NIP, "org_unit": 999999},
        content_type="application/json",
    )
    assert response.status_code == missing.status_code == 400
    # DRF's own message, in Indonesian through Django's locale; the foreign unit reads as missing.
    assert response.json()["error"]["fields"] == {
        "org_unit": [f'Objek dengan primary key "{other_unit.pk}" tidak ditemukan.']
    }
    assert missing.json()["error"]["fields"] == {
        "org_unit": ['Objek dengan primary key "999999" tidak ditemukan.']
    }
    assert not User.objects.filter(email="y@bandung.go.id").exists()


def test_admin_without_a_verified_second_factor_is_told_to_use_it(tenant_a, make_person):
    admin = make_person(tenant_a, roles=["tenant_admin"])
    client = verified_client(admin, needs_second_factor=False)
    error = assert_error_envelope(
        client.get(api(tenant_a, "people/")), status=403, code="second_factor_required"
    )
    assert error["message"] == "Masuk dengan kode autentikator (TOTP) dulu untuk memakai fungsi ini."


# --- tokens ------------------------------------------------------------------------------------


def test_issue_token_matrix_and_token_authenticates(permission_matrix, tenant_a, make_person, client):
    robot = make_person(tenant_a, roles=["official"], full_name="Integrasi SIMPEG")
    responses = permission_matrix(
        path=api(tenant_a, f"people/{robot.pk}/token/"),
        method="post",
        tenant=tenant_a,
        right_roles=["tenant_admin"],
        wrong_roles=["official"],
        expect={"right_role": 201},
        snapshot=lambda: list(Token.objects.values_list("key", flat=True)),
    )
    key = responses["right_role"].json()["token"]
    assert Token.objects.get(user=robot).key == key
    me = client.get(api(tenant_a, "me/"), HTTP_AUTHORIZATION=f"Token {key}")
    assert me.status_code == 200 and me.json()["full_name"] == "Integrasi SIMPEG"
    assert me.json()["second_factor_verified"] is False  # a token is no second factor
    assert AuditEvent.objects.filter(tenant=tenant_a, event_type="api.token_issued").count() == 1
    assert key not in AuditEvent.objects.get(event_type="api.token_issued").data


def test_reissuing_a_token_revokes_the_old_one(tenant_a, make_person, client):
    admin = verified_client(make_person(tenant_a, roles=["tenant_admin"]))
    robot = make_person(tenant_a, roles=["official"])
    first = admin.post(api(tenant_a, f"people/{robot.pk}/token/")).json()["token"]
    second = admin.post(api(tenant_a, f"people/{robot.pk}/token/")).json()["token"]
    assert first != second
    old = client.get(api(tenant_a, "me/"), HTTP_AUTHORIZATION=f"Token {first}")
    assert_error_envelope(old, status=401, code="authentication_failed")
    assert old.json()["error"]["message"] == (
        "Token API tidak berlaku (salah, sudah diganti, atau akunnya nonaktif)."
    )


def test_token_for_someone_without_a_role_here_is_not_found(tenant_a, tenant_b, make_person):
    admin = verified_client(make_person(tenant_a, roles=["tenant_admin"]))
    outsider = make_person(tenant_b, roles=["official"])
    response = admin.post(api(tenant_a, f"people/{outsider.pk}/token/"))
    assert_error_envelope(response, status=404, code="not_found")
    assert not Token.objects.filter(user=outsider).exists()


def test_praja_api_token_command_prints_a_working_token(tenant_a, make_person, client, capsys):
    robot = make_person(tenant_a, roles=["official"], email="robot@bandung.go.id")
    call_command("api", "token", "robot@bandung.go.id")
    key = capsys.readouterr().out.strip()
    assert Token.objects.get(user=robot).key == key
    assert client.get(api(tenant_a, "me/"), HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert AuditEvent.objects.filter(tenant=None, event_type="api.token_issued").count() == 1


# --- roles/ ------------------------------------------------------------------------------------


def test_roles_list_matrix(permission_matrix, tenant_a, make_person):
    responses = permission_matrix(
        path=api(tenant_a, "roles/"), tenant=tenant_a, right_roles=["tenant_admin"], wrong_roles=["approver"]
    )
    body = responses["right_role"].json()
    assert body["count"] == len(body["results"]) >= 2
    assert {grant["role"] for grant in body["results"]} >= {"tenant_admin", "approver"}
    assert set(body["results"][0]) == {
        "id",
        "user",
        "role",
        "label",
        "org_unit",
        "granted_at",
        "revoked_at",
        "is_active",
    }


def test_grant_role_matrix(permission_matrix, tenant_a, make_person, units, in_tenant):
    person = make_person(tenant_a, roles=["official"], email="budi@bandung.go.id")
    responses = permission_matrix(
        path=api(tenant_a, "roles/"),
        method="post",
        tenant=tenant_a,
        right_roles=["tenant_admin"],
        wrong_roles=["official"],
        expect={"right_role": 201},
        data={"email": "BUDI@bandung.go.id", "role": "approver", "org_unit": units[0].pk},
        snapshot=lambda: sorted(RoleGrant.objects.values_list("user_id", "role")),
    )
    body = responses["right_role"].json()
    assert (body["user"]["id"], body["role"], body["org_unit"]["code"], body["is_active"]) == (
        person.pk,
        "approver",
        "1.01",
        True,
    )
    with in_tenant(tenant_a):
        assert RoleGrant.objects.filter(user=person, role="approver", org_unit=units[0]).count() == 1


def test_grant_role_refusals_are_field_errors(tenant_a, make_person, in_tenant):
    admin_user = make_person(tenant_a, roles=["tenant_admin"])
    admin = verified_client(admin_user)
    before = grants_of(tenant_a, in_tenant)
    unknown = admin.post(
        api(tenant_a, "roles/"), {"email": "nobody@x.id", "role": "approver"}, content_type="application/json"
    )
    assert assert_error_envelope(unknown, status=400, code="unknown_user")["fields"] == {
        "email": ["Tidak ada akun aktif dengan email ini."]
    }
    bad_role = admin.post(
        api(tenant_a, "roles/"), {"email": admin_user.email, "role": "raja"}, content_type="application/json"
    )
    assert list(assert_error_envelope(bad_role, status=400)["fields"]) == ["role"]
    own = admin.post(
        api(tenant_a, "roles/"),
        {"email": admin_user.email, "role": "approver"},
        content_type="application/json",
    )
    assert (
        assert_error_envelope(own, status=403)["message"]
        == "Anda tidak dapat memberi peran kepada diri sendiri."
    )
    assert grants_of(tenant_a, in_tenant) == before


def test_revoke_role_matrix_and_other_tenants_grant_is_not_found(
    permission_matrix, tenant_a, tenant_b, make_person, in_tenant
):
    person = make_person(tenant_a, roles=["approver"])
    with in_tenant(tenant_a):
        grant = RoleGrant.objects.get(user=person)
    responses = permission_matrix(
        path=api(tenant_a, f"roles/{grant.pk}/revoke/"),
        method="post",
        tenant=tenant_a,
        right_roles=["tenant_admin"],
        wrong_roles=["approver"],
        snapshot=lambda: sorted(RoleGrant.objects.values_list("pk", "revoked_at")),
    )
    assert responses["right_role"].json()["is_active"] is False
    # Tenant B's admin names tenant A's grant through B's own prefix: the same 404 as a missing id.
    b_admin = verified_client(make_person(tenant_b, roles=["tenant_admin"]))
    foreign = b_admin.post(api(tenant_b, f"roles/{grant.pk}/revoke/"))
    missing = b_admin.post(api(tenant_b, "roles/99999999/revoke/"))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content


def test_model_serializers_build_their_fields_once_and_give_each_instance_its_own(units, tenant_a, in_tenant):
    """The cached field set of our ModelSerializer must answer exactly as DRF's own, unshared."""
    from rest_framework import serializers as drf

    from praja.core.accounts.models import OrgUnitKind
    from praja.core.api.serializers import OrgUnitSerializer, RoleGrantSerializer

    class PlainOrgUnitSerializer(drf.ModelSerializer):
        kind = drf.ChoiceField(choices=OrgUnitKind.choices)

        class Meta(OrgUnitSerializer.Meta):
            pass

    with in_tenant(tenant_a):
        rows = list(OrgUnit.objects.order_by("code"))
        first, second = OrgUnitSerializer(rows, many=True), OrgUnitSerializer(rows, many=True)
        assert first.data == second.data == PlainOrgUnitSerializer(rows, many=True).data
        assert first.child.fields["parent"] is not second.child.fields["parent"]
        assert first.child.fields["parent"].parent is first.child
        assert set(RoleGrantSerializer().fields) == set(RoleGrantSerializer.Meta.fields)


# --- A token is no second factor: an approval by token carries the person's current code ---------


def _token_for(person) -> str:
    return Token.objects.get_or_create(user=person)[0].key


def test_a_token_call_proves_the_second_factor_with_the_current_code_once(
    tenant_a, make_person, totp_for, client
):
    admin = make_person(tenant_a, roles=["tenant_admin"])
    code = totp_for(admin)
    auth = {"HTTP_AUTHORIZATION": f"Token {_token_for(admin)}"}
    assert client.get(api(tenant_a, "me/"), **auth).json()["second_factor_verified"] is False
    current = code()
    me = client.get(api(tenant_a, "me/"), **auth, HTTP_X_OTP_CODE=current)
    assert me.status_code == 200 and me.json()["second_factor_verified"] is True
    replayed = client.get(api(tenant_a, "me/"), **auth, HTTP_X_OTP_CODE=current)
    assert_error_envelope(replayed, status=403, code="second_factor_invalid")
    assert replayed.json()["error"]["message"] == (
        "Kode autentikator di header X-OTP-Code salah, kedaluwarsa, atau sudah dipakai. "
        "Kirim kode yang baru dari aplikasi autentikator."
    )
    failures = AuditEvent.objects.filter(tenant=tenant_a, event_type="auth.second_factor_failed")
    assert failures.count() == 1 and failures.get().actor_id == admin.pk
    # Right after a wrong code the device waits a moment before it checks another, as at login.
    throttled = client.get(api(tenant_a, "me/"), **auth, HTTP_X_OTP_CODE=code(ahead=1))
    assert_error_envelope(throttled, status=403, code="second_factor_invalid")
    assert throttled.json()["error"]["message"] == (
        "Terlalu banyak kode salah. Tunggu beberapa detik, lalu coba lagi."
    )
    assert failures.count() == 1


def test_a_code_for_a_person_without_an_authenticator_is_refused_with_what_to_do(
    tenant_a, make_person, client
):
    robot = make_person(tenant_a, roles=["official"])
    response = client.get(
        api(tenant_a, "me/"), HTTP_AUTHORIZATION=f"Token {_token_for(robot)}", HTTP_X_OTP_CODE="123456"
    )
    assert_error_envelope(response, status=403, code="second_factor_invalid")
    assert response.json()["error"]["message"] == (
        "Akun ini belum memasang aplikasi autentikator (TOTP). Pasang dulu di halaman profil."
    )


def test_a_workflow_approval_by_token_needs_the_code_and_is_refused_without_it(
    tenant_a, make_person, totp_for
):
    """The workflow's own second-factor check sees a token call's code like a session's TOTP."""
    from django.test import RequestFactory
    from rest_framework.request import Request

    from praja.core.api.authentication import TokenAuthentication
    from praja.core.workflow.checks import second_factor_verified

    approver = make_person(tenant_a, roles=["approver"])
    code = totp_for(approver)

    def authenticated(**headers):
        http = RequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {_token_for(approver)}", **headers)
        http.tenant = tenant_a
        user, _token = TokenAuthentication().authenticate(Request(http))
        return user

    assert second_factor_verified(authenticated()) is False
    assert second_factor_verified(authenticated(HTTP_X_OTP_CODE=code())) is True
