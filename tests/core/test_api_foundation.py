"""The API foundation: one error envelope in the user's language, pagination, rate limits, the
schema and its docs served by Praja itself, and the same endpoints on a tenant's own host."""

import re

import pytest
from rest_framework.authtoken.models import Token

from praja.core.accounts.models import OrgUnit
from praja.core.testing.permission_matrix import assert_error_envelope, verified_client

pytestmark = pytest.mark.django_db


def api(tenant, rest=""):
    return f"/t/{tenant.slug}/api/v1/{rest}"


@pytest.fixture
def official_a(tenant_a, make_person):
    return verified_client(make_person(tenant_a, roles=["official"]))


@pytest.fixture
def admin_a(tenant_a, make_person):
    return verified_client(make_person(tenant_a, roles=["tenant_admin"]))


# --- the error envelope ------------------------------------------------------------------------


def test_another_tenants_object_and_a_missing_one_answer_byte_for_byte_alike(
    official_a, tenant_a, tenant_b, in_tenant
):
    with in_tenant(tenant_b):
        foreign = OrgUnit.objects.create(code="9.99", name="Rahasia Serang", kind="perangkat_daerah")
    for language in ("id", "en"):
        foreign_response = official_a.get(
            api(tenant_a, f"org-units/{foreign.pk}/"), HTTP_ACCEPT_LANGUAGE=language
        )
        missing_response = official_a.get(
            api(tenant_a, f"org-units/{foreign.pk + 1000}/"), HTTP_ACCEPT_LANGUAGE=language
        )
        assert foreign_response.status_code == missing_response.status_code == 404
        assert foreign_response.content == missing_response.content
        assert foreign_response["Content-Type"] == missing_response["Content-Type"]
    assert official_a.get(api(tenant_a, f"org-units/{foreign.pk}/")).json() == {
        "error": {"code": "not_found", "message": "Data tidak ditemukan.", "fields": {}}
    }


def test_anonymous_gets_401_with_the_token_challenge(client, tenant_a):
    response = client.get(api(tenant_a, "org-units/"))
    assert response["WWW-Authenticate"] == "Token"
    assert assert_error_envelope(response, status=401, code="not_authenticated")["message"] == (
        "Data autentikasi tidak diberikan."
    )


def test_wrong_role_gets_403_in_indonesian(official_a, tenant_a):
    error = assert_error_envelope(
        official_a.get(api(tenant_a, "roles/")), status=403, code="permission_denied"
    )
    assert error["message"] == "Anda tidak berwenang melakukan tindakan ini."


def test_method_not_allowed_is_405_in_the_envelope(official_a, tenant_a):
    error = assert_error_envelope(
        official_a.delete(api(tenant_a, "org-units/")), status=405, code="method_not_allowed"
    )
    assert error["message"] == "Metode DELETE tidak diizinkan untuk alamat ini."


def test_validation_errors_name_each_field_and_follow_the_users_language(admin_a, tenant_a):
    response = admin_a.post(
        api(tenant_a, "people/"), {"email": "bukan-email"}, content_type="application/json"
    )
    error = assert_error_envelope(response, status=400)
    assert error["message"] == "Periksa kembali isian berikut."
    # DRF's own texts come through Django's locale: Indonesian by default ...
    assert error["fields"] == {
        "full_name": ["Bidang ini harus diisi."],
        "email": ["Masukkan alamat email dengan format yang benar."],
        "nip": ["Bidang ini harus diisi."],
    }
    # ... and English when the client asks for it.
    english = admin_a.post(
        api(tenant_a, "people/"),
        {"email": "bukan-email"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.json()["error"]["fields"]["full_name"] == ["This field is required."]
    assert english["Content-Language"] == "en"


def test_malformed_json_and_wrong_media_type_are_explained(admin_a, tenant_a):
    broken = admin_a.post(api(tenant_a, "people/"), "{nip:", content_type="application/json")
    assert assert_error_envelope(broken, status=400, code="parse_error")["message"] == (
        "Isi permintaan bukan JSON yang sah."
    )
    text = admin_a.post(api(tenant_a, "people/"), "nip=1", content_type="text/plain")
    assert assert_error_envelope(text, status=415, code="unsupported_media_type")["message"] == (
        "Format isi permintaan tidak didukung; kirim JSON."
    )


# --- pagination --------------------------------------------------------------------------------


@pytest.fixture
def many_units(tenant_a, in_tenant):
    with in_tenant(tenant_a):
        OrgUnit.objects.bulk_create(
            OrgUnit(
                tenant=tenant_a, code=f"9.{number:03d}", name=f"Unit {number:03d}", kind="perangkat_daerah"
            )
            for number in range(205)
        )


def test_pagination_pages_count_and_links(official_a, tenant_a, many_units):
    first = official_a.get(api(tenant_a, "org-units/")).json()
    assert (first["count"], len(first["results"]), first["previous"]) == (205, 25, None)
    assert first["next"] == f"http://testserver{api(tenant_a, 'org-units/')}?page=2"
    assert first["results"][0]["code"] == "9.000"
    big = official_a.get(api(tenant_a, "org-units/"), {"page_size": 1000}).json()
    assert len(big["results"]) == 200  # page_size is capped at 200
    last = official_a.get(api(tenant_a, "org-units/"), {"page_size": 200, "page": 2}).json()
    assert [unit["code"] for unit in last["results"]] == ["9.200", "9.201", "9.202", "9.203", "9.204"]
    assert last["next"] is None
    assert last["previous"] == f"http://testserver{api(tenant_a, 'org-units/')}?page_size=200"


def test_a_page_past_the_end_is_404_naming_the_page(official_a, tenant_a, many_units):
    error = assert_error_envelope(
        official_a.get(api(tenant_a, "org-units/"), {"page": 99}), status=404, code="invalid_page"
    )
    assert error["message"] == "Halaman 99 tidak ada."


# --- rate limits -------------------------------------------------------------------------------


def test_anonymous_callers_are_rate_limited_with_429_in_the_envelope(client, tenant_a, official_a, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "2000/min"},
    }
    statuses = [client.get(api(tenant_a, "tenant/")).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = client.get(api(tenant_a, "tenant/"))
    error = assert_error_envelope(refused, status=429, code="throttled")
    seconds = int(refused["Retry-After"])
    assert 1 <= seconds <= 60
    assert error["message"] == f"Terlalu banyak permintaan. Coba lagi dalam {seconds} detik."
    # Signed-in people are counted per account, not by the anonymous limit.
    assert official_a.get(api(tenant_a, "tenant/")).status_code == 200


# --- health, schema and docs -------------------------------------------------------------------


def test_api_answers_forbid_loading_or_framing_anything_while_pages_keep_their_policy(
    client, official_a, tenant_a
):
    """JSON is never a document: every API answer, errors included, carries the strictest policy."""
    for response in (
        official_a.get(api(tenant_a, "org-units/")),
        client.get(api(tenant_a, "org-units/")),  # 401 in the envelope
        official_a.get(api(tenant_a, "org-units/999999/")),  # 404 in the envelope
    ):
        assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    page = client.get(f"/t/{tenant_a.slug}/")
    assert "default-src 'self'" in page["Content-Security-Policy"]
    assert "form-action 'self'" in page["Content-Security-Policy"]


def test_healthz_is_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok"})


def test_schema_is_openapi_3_with_tenant_routes_and_the_error_envelope(client, db):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/t/{tenant_slug}/api/v1/me/",
        "/t/{tenant_slug}/api/v1/tenant/",
        "/t/{tenant_slug}/api/v1/org-units/",
        "/t/{tenant_slug}/api/v1/org-units/{id}/",
        "/t/{tenant_slug}/api/v1/people/",
        "/t/{tenant_slug}/api/v1/people/{id}/token/",
        "/t/{tenant_slug}/api/v1/roles/",
        "/t/{tenant_slug}/api/v1/roles/{id}/revoke/",
    ):
        assert path in schema["paths"], path
    tenant_slug = next(
        parameter
        for parameter in schema["paths"]["/t/{tenant_slug}/api/v1/me/"]["get"]["parameters"]
        if parameter["name"] == "tenant_slug"
    )
    assert tenant_slug["in"] == "path" and tenant_slug["required"] is True
    assert tenant_slug["example"] == "kota-bandung" and "own host" in tenant_slug["description"]
    assert schema["components"]["schemas"]["Error"]["required"] == ["error"]
    me = schema["paths"]["/t/{tenant_slug}/api/v1/me/"]["get"]["responses"]
    assert me["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Me"}
    assert me["401"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    listed = schema["paths"]["/t/{tenant_slug}/api/v1/org-units/"]["get"]
    assert {parameter["name"] for parameter in listed["parameters"]} >= {"page", "page_size", "tenant_slug"}
    assert set(schema["components"]["securitySchemes"]) >= {"tokenAuth", "cookieAuth"}
    assert client.get("/api/v1/schema/")["Content-Type"].startswith("application/vnd.oai.openapi")


def test_docs_are_served_from_praja_static_files_only(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, html[:500]
    assert all(url.startswith("/static/") for url in urls), urls
    assert (
        "http://" not in html.split("<script nonce")[0] and "https://" not in html.split("<script nonce")[0]
    )
    # The inline starter script carries the nonce the CSP header allows.
    nonce = re.search(r'<script nonce="([^"]+)">', html).group(1)
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert "/api/v1/schema/" in html
    for url in urls:
        assert client.get(url).status_code == 200, url


# --- a tenant's own host -----------------------------------------------------------------------


def test_the_api_answers_at_api_v1_on_a_tenants_own_host(client, tenant_a, tenant_b, make_person, many_units):
    tenant_a.host_name = "bandung.praja.example"
    tenant_a.save()
    host = {"HTTP_HOST": "bandung.praja.example"}
    assert client.get("/api/v1/tenant/", **host).json()["name"] == "Kota Bandung"
    official = make_person(tenant_a, roles=["official"])
    token = Token.objects.create(user=official)
    auth = {**host, "HTTP_AUTHORIZATION": f"Token {token.key}"}
    listed = client.get("/api/v1/org-units/", **auth).json()
    assert listed["count"] == 205
    assert listed["next"] == "http://bandung.praja.example/api/v1/org-units/?page=2"
    assert client.get("/api/v1/me/", **auth).json()["email"] == official.email
    # The schema and docs stay global on every host; another tenant's prefix is not served here.
    assert client.get("/api/v1/schema/", {"format": "json"}, **host).status_code == 200
    assert client.get(f"/t/{tenant_b.slug}/api/v1/tenant/", **host).status_code == 404


def test_unknown_api_paths_and_unknown_tenants_answer_with_the_json_envelope(client, tenant_a):
    for path in ("/t/kota-bandung/api/v1/tidak-ada/", "/t/kota-tidak-ada/api/v1/me/", "/api/v1/tidak-ada/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("application/json"), path
        assert response.json()["error"]["code"] == "not_found", path
    page = client.get("/t/kota-tidak-ada/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


# --- content negotiation -----------------------------------------------------------------------


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "text/html, application/json;q=0.9"])
def test_json_is_answered_to_any_caller_that_takes_it(official_a, tenant_a, accept):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    response = official_a.get(api(tenant_a, "org-units/"), **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "results" in response.json()


@pytest.mark.parametrize(
    ("accept", "query", "status"),
    [("text/html", "", 406), ("application/xml", "", 406), (None, "?format=xml", 404)],
)
def test_a_caller_that_takes_no_json_is_refused(official_a, tenant_a, accept, query, status):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    response = official_a.get(api(tenant_a, "org-units/") + query, **headers)
    assert response.status_code == status
