"""The platform operator's login at /login/ (one login form with the tenant login) and the operator's
own authenticator enrolment at /platform/2fa/setup/, recorded on the platform's audit chain."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from praja.core.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

SETUP = "/platform/2fa/setup/"
PASSWORD = "rahasia-uji-123"


@pytest.fixture
def operator(make_person):
    return make_person(None, is_platform_operator=True, email="operator@praja.go.id")


def code_of(device, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits, drift=drift):06d}"


def wrong_code(device) -> str:
    valid = {code_of(device, drift) for drift in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def platform_events(event_type: str) -> list[dict]:
    return [
        json.loads(event.data)
        for event in AuditEvent.objects.filter(tenant=None, event_type=event_type).order_by("seq")
    ]


def log_in(client: Client, identifier: str, password: str = PASSWORD, **extra):
    return client.post("/login/", {"identifier": identifier, "password": password, **extra})


# --- one login form ------------------------------------------------------------------------------


def test_platform_and_tenant_login_pages_offer_the_same_fields(client, tenant_a):
    platform = client.get("/login/").content.decode()
    tenant = client.get(f"/t/{tenant_a.slug}/login/").content.decode()
    for page in (platform, tenant):
        assert "Email, NIK atau NIP" in page
        assert 'autocomplete="username"' in page and 'autocomplete="current-password"' in page
    # Only the platform login asks for the code in the same step.
    assert "Kode autentikator (jika akun Anda memakainya)" in platform
    assert "Kode autentikator (jika akun Anda memakainya)" not in tenant


def test_platform_login_keeps_the_spaces_of_a_password_and_ignores_the_case_of_the_email(make_person):
    operator = make_person(None, is_platform_operator=True, email="operator@praja.go.id")
    operator.set_password("  kata sandi berspasi  ")
    operator.save(update_fields=["password"])
    refused = log_in(Client(), "operator@praja.go.id", "kata sandi berspasi")
    assert refused.context["form"].non_field_errors() == ["Email/NIK/NIP atau kata sandi salah."]
    response = log_in(Client(), "  Operator@Praja.GO.id ", "  kata sandi berspasi  ")
    assert response.status_code == 302


# --- enrolment -----------------------------------------------------------------------------------


def test_operator_without_an_app_is_sent_to_enrol_and_confirms_with_a_code(operator):
    client = Client()
    response = log_in(client, "operator@praja.go.id")
    assert (response.status_code, response["Location"]) == (302, f"{SETUP}?next=%2Fplatform%2F")
    assert platform_events("platform.operator_login") == [{"second_factor": False}]

    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert "<h1>Pasang verifikasi dua langkah</h1>" in body
    assert 'src="data:image/png;base64,' in body and 'id="totp-secret"' in body
    assert '<input type="hidden" name="next" value="/platform/">' in body
    device = TOTPDevice.objects.get(user=operator, confirmed=False)

    wrong = client.post(SETUP, {"otp_token": wrong_code(device), "next": "/platform/"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors == {
        "otp_token": ["Kode autentikator salah atau kedaluwarsa. Coba kode yang baru."]
    }
    assert not TOTPDevice.objects.filter(user=operator, confirmed=True).exists()
    assert client.get("/platform/").status_code == 403
    assert platform_events("auth.second_factor_failed") == [{"user_id": operator.pk, "stage": "enrolment"}]

    # django-otp throttles after a failure; the next code is accepted once the pause is over.
    throttled = client.post(SETUP, {"otp_token": code_of(device), "next": "/platform/"})
    assert throttled.context["form"].errors == {
        "otp_token": ["Terlalu banyak kode salah. Tunggu beberapa detik, lalu coba lagi."]
    }
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=None, throttling_failure_count=0
    )
    done = client.post(SETUP, {"otp_token": code_of(device), "next": "/platform/"})
    assert (done.status_code, done["Location"]) == (302, "/platform/")
    assert TOTPDevice.objects.get(user=operator).confirmed is True
    assert client.get("/platform/").status_code == 200  # this session is verified
    assert platform_events("accounts.totp_enrolled") == [{"user_id": operator.pk, "device_id": device.pk}]
    assert not AuditEvent.objects.filter(event_type="accounts.totp_enrolled").exclude(tenant=None).exists()

    # Enrolled: the next login needs the code, and the setup page says the app is installed.
    assert log_in(Client(), "operator@praja.go.id").context["form"].errors == {
        "otp_token": ["Akun ini memakai kode autentikator: isi kode 6 digit yang berlaku."]
    }
    again = client.get(SETUP, follow=True)
    assert again.redirect_chain == [("/platform/", 302)]
    assert "Aplikasi autentikator Anda sudah terpasang." in again.content.decode()


def test_platform_page_without_an_app_links_to_the_platform_enrolment(operator, login_client):
    client = login_client(operator)
    page = client.get("/platform/")
    assert page.status_code == 403
    assert f'href="{SETUP}?next=%2Fplatform%2F"' in page.content.decode()
    assert "Minta admin daerah" not in page.content.decode()


def test_enrolled_operator_with_an_unverified_session_is_sent_to_the_code_prompt(operator, login_client):
    TOTPDevice.objects.create(user=operator, name="default", confirmed=True)
    response = login_client(operator).get(SETUP)
    assert (response.status_code, response["Location"]) == (302, "/platform/")


def test_only_platform_operators_open_the_platform_enrolment(tenant_a, make_person, login_client):
    anonymous = Client().get(SETUP)
    assert (anonymous.status_code, anonymous["Location"]) == (
        302,
        "/login/?next=%2Fplatform%2F2fa%2Fsetup%2F",
    )
    official = make_person(tenant_a, roles=["tenant_admin"])
    assert login_client(official).get(SETUP).status_code == 404
    assert not TOTPDevice.objects.filter(user=official).exists()
