"""Journeys a citizen and an approver walk: register, verify, log in; log in with TOTP; enrol TOTP."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django.core import mail
from playwright.sync_api import expect

from praja.core.audit.models import AuditEvent
from praja.core.testing.plugin import PASSWORD
from tests.browser.conftest import PHONE_VIEWPORT, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITIZEN_PASSWORD = "Kopi-Tubruk-2024!"


def _wrong_code(device) -> str:
    from django_otp.oath import totp

    valid = {f"{totp(device.bin_key, drift=d):06d}" for d in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def _log_in(page, identifier: str, password: str) -> None:
    page.get_by_label("Email, NIK atau NIP").fill(identifier)
    page.get_by_label(re.compile(r"^Kata sandi")).fill(password)
    page.get_by_role("button", name="Masuk").click()


def test_a_citizen_registers_on_a_phone_verifies_email_and_logs_in(page, live_url, tenant_a):
    page.set_viewport_size(PHONE_VIEWPORT)
    page.goto(live_url(tenant_a, "register/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Daftar sebagai warga"
    assert_accessible(page)

    page.get_by_label("NIK").fill("3273 0155 0392 0001")  # a woman: day 15 + 40
    page.get_by_label("Nama lengkap").fill("Dewi Lestari")
    page.get_by_label("Email").fill("dewi@contoh.id")
    page.get_by_label("Nomor HP").fill("0812 3456 7890")
    page.get_by_label(re.compile(r"^Kata sandi")).fill(CITIZEN_PASSWORD)
    page.get_by_label("Ulangi kata sandi").fill("Kopi-Tubruk-2025!")
    page.get_by_role("button", name="Daftar").click()
    # The mismatch is named on its field; what was typed stays.
    expect(page.get_by_text("Kedua kata sandi tidak sama.")).to_be_visible()
    assert page.get_by_label("Nama lengkap").input_value() == "Dewi Lestari"
    assert_accessible(page)

    page.get_by_label(re.compile(r"^Kata sandi")).fill(CITIZEN_PASSWORD)
    page.get_by_label("Ulangi kata sandi").fill(CITIZEN_PASSWORD)
    page.get_by_role("button", name="Daftar").click()
    page.wait_for_url("**/register/done/")
    assert "dewi@contoh.id" in page.get_by_role("main").inner_text()
    assert_accessible(page)

    [message] = mail.outbox
    assert message.to == ["dewi@contoh.id"]
    verify_url = re.search(r"http://\S+/verify-email/\S+/", message.body).group(0)
    page.goto(verify_url)
    expect(page.get_by_text("Email dewi@contoh.id telah terverifikasi.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("main").get_by_role("link", name="Masuk").click()
    page.wait_for_url("**/login/")
    assert_accessible(page)
    _log_in(page, "3273015503920001", CITIZEN_PASSWORD)
    page.wait_for_url("**/t/kota-bandung/my-files/")
    assert page.get_by_role("heading", level=1).inner_text() == "Berkas saya"
    nav = page.get_by_role("navigation", name="Navigasi utama")
    assert nav.get_by_role("link", name="Berkas saya").get_attribute("aria-current") == "page"
    expect(nav.get_by_role("button", name="Keluar")).to_be_visible()
    assert_accessible(page)

    page.goto(live_url(tenant_a, "profile/"))
    assert page.locator("#masked-nik").inner_text() == "327301********01"
    expect(page.get_by_text("Terverifikasi", exact=True)).to_be_visible()
    assert_accessible(page)


@pytest.mark.urls("tests.browser.protected_urls")
def test_an_approver_logs_in_with_a_totp_code(page, live_url, tenant_a, make_person, totp_for):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    approver = make_person(tenant_a, roles=["approver"], full_name="Bambang Sutrisno")
    code_now = totp_for(approver)
    device = TOTPDevice.objects.get(user=approver)

    page.goto(live_url(tenant_a, "test/approve/"))
    page.wait_for_url("**/login/?next=*")
    _log_in(page, approver.email, PASSWORD)
    page.wait_for_url("**/login/second-factor/")
    assert_accessible(page)

    page.get_by_label("Kode 6 digit dari aplikasi autentikator").fill(_wrong_code(device))
    page.get_by_role("button", name="Verifikasi").click()
    expect(page.get_by_text("Kode autentikator salah atau kedaluwarsa. Coba kode yang baru.")).to_be_visible()
    assert_accessible(page)
    assert (
        AuditEvent.objects.filter(
            tenant=tenant_a, event_type="auth.second_factor_failed", actor_id=approver.pk
        ).count()
        == 1
    )

    time.sleep(1.1)  # django-otp makes the next try wait one second after a wrong code
    page.get_by_label("Kode 6 digit dari aplikasi autentikator").fill(code_now())
    page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_url("**/test/approve/")
    assert page.get_by_role("heading", level=1).inner_text() == "Persetujuan"
    assert_accessible(page)
    assert (
        AuditEvent.objects.filter(
            tenant=tenant_a, event_type="auth.official_login", actor_id=approver.pk
        ).count()
        == 1
    )


@pytest.mark.urls("tests.browser.protected_urls")
def test_an_approver_without_a_device_is_made_to_enrol_one(page, live_url, tenant_a, make_person):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    approver = make_person(tenant_a, roles=["approver"])
    page.goto(live_url(tenant_a, "login/"))
    _log_in(page, approver.email, PASSWORD)
    page.wait_for_url("**/2fa/setup/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Pasang verifikasi dua langkah"
    expect(page.get_by_role("img", name="Kode QR untuk aplikasi autentikator")).to_be_visible()
    assert_accessible(page)

    # Until enrolled, the approval page sends the approver back here.
    page.goto(live_url(tenant_a, "test/approve/"))
    page.wait_for_url("**/2fa/setup/?next=*")

    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Kode 6 digit dari aplikasi autentikator").fill(f"{totp(b32decode(secret)):06d}")
    page.get_by_role("button", name="Konfirmasi").click()
    page.wait_for_url("**/test/approve/")
    assert page.get_by_role("heading", level=1).inner_text() == "Persetujuan"
    expect(page.get_by_text("Verifikasi dua langkah aktif.")).to_be_visible()
    assert_accessible(page)
    assert TOTPDevice.objects.get(user=approver).confirmed
