"""A person's own account: registration, email proof, login lockout, second factor, profile, passwords."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from praja.core.accounts.models import EmailVerification, User
from praja.core.accounts.rules import normalize_phone, parse_nip
from praja.core.audit.models import AuditEvent
from praja.core.testing.plugin import PASSWORD

GOOD_PASSWORD = "Kopi-Tubruk-2024!"
WOMEN_PLUS_40 = "untuk perempuan tanggal ditambah 40."
VALID_NIK = "3273010101900007"  # 32.73.01 Sumur Bandung, born 1 January 1990


def registration(**overrides) -> dict:
    data = {
        "nik": VALID_NIK,
        "full_name": "Siti Nurhaliza",
        "email": "siti@contoh.id",
        "phone": "0812-3456-7890",
        "password": GOOD_PASSWORD,
        "password_confirm": GOOD_PASSWORD,
    }
    return {**data, **overrides}


def field_errors(response, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


def link_in(message, pattern: str) -> str:
    match = re.search(rf"https?://\S+{pattern}\S*", message.body)
    assert match, message.body
    return match.group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def register(client, tenant_a, django_capture_on_commit_callbacks):
    def post(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/t/kota-bandung/register/", registration(**overrides))

    return post


# NIK, NIP and phone: the error names the wrong part


@pytest.mark.parametrize(
    ("nik", "field", "message"),
    [
        ("32730101019000", "nik", "NIK harus 16 digit; yang Anda isi 14 digit."),
        ("3273O10101900007", "nik", "NIK hanya boleh berisi angka."),
        (
            "9999990101900007",
            "nik",
            "Kode wilayah NIK (6 digit pertama, 999999) tidak ditemukan dalam data wilayah Kemendagri.",
        ),
        (
            "3273013201900007",
            "nik",
            f"Tanggal lahir dalam NIK (digit 7-12, 320190) bukan tanggal yang sah; {WOMEN_PLUS_40}",
        ),
        (
            "3273017202900007",
            "nik",
            f"Tanggal lahir dalam NIK (digit 7-12, 720290) bukan tanggal yang sah; {WOMEN_PLUS_40}",
        ),
    ],
)
def test_registration_names_the_wrong_part_of_the_nik_and_stores_nothing(register, nik, field, message):
    response = register(nik=nik)
    assert response.status_code == 200
    assert field_errors(response, field) == [message]
    assert message in response.content.decode()
    # Nothing is lost: the other fields are shown again as typed.
    assert 'value="Siti Nurhaliza"' in response.content.decode()
    assert not User.objects.exists()
    assert mail.outbox == []


def test_a_womans_nik_carries_her_birth_day_plus_forty(register):
    response = register(nik="3273015101900007")  # 11 January 1990, female
    assert response.status_code == 302
    assert User.objects.get().nik == "3273015101900007"


@pytest.mark.parametrize(
    ("nip", "message"),
    [
        ("19850312 201001 1 00", "NIP harus 18 digit; yang Anda isi 17 digit."),
        ("19851312 201001 1 001", "Tanggal lahir dalam NIP (digit 1-8, 19851312) bukan tanggal yang sah."),
        ("19850312 201013 1 001", "TMT CPNS dalam NIP (digit 9-14, 201013) bukan tahun-bulan yang sah."),
        (
            "19850312 201001 3 001",
            "Kode jenis kelamin NIP (digit 15) harus 1 (laki-laki) atau 2 (perempuan).",
        ),
        ("19850312 201001 1 000", "Nomor urut NIP (3 digit terakhir) tidak boleh 000."),
    ],
)
def test_nip_errors_name_the_wrong_part(nip, message):
    with pytest.raises(ValidationError) as caught:
        parse_nip(nip)
    assert caught.value.messages == [message]


def test_a_valid_nip_is_read_into_its_parts():
    parts = parse_nip("19850312 201001 2 004")
    assert (parts.nip, parts.birth_date, parts.appointment_year, parts.is_female) == (
        "198503122010012004",
        datetime.date(1985, 3, 12),
        2010,
        True,
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6285712345678", "+6285712345678"),
        ("0811 234 567", "+62811234567"),
    ],
)
def test_indonesian_mobile_numbers_are_stored_in_one_form(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize("typed", ["021 7654321", "0812", "+1 415 555 0100", "08123456789012"])
def test_other_numbers_are_refused_with_an_example(typed):
    with pytest.raises(
        ValidationError, match=r"Nomor HP harus nomor seluler Indonesia, misalnya 0812 3456 7890"
    ):
        normalize_phone(typed)


# Registration and email proof


def test_registration_stores_the_citizen_unverified_records_it_and_mails_a_link(register, tenant_a):
    response = register()
    assert response.status_code == 302
    assert response["Location"] == "/t/kota-bandung/register/done/"
    user = User.objects.get()
    assert (user.nik, user.full_name, user.email, user.phone, user.home_tenant) == (
        VALID_NIK,
        "Siti Nurhaliza",
        "siti@contoh.id",
        "+6281234567890",
        tenant_a,
    )
    assert user.email_verified_at is None
    assert user.password.startswith("md5$")  # hashed by the configured hasher, never stored plain
    event = AuditEvent.objects.get(tenant=tenant_a, event_type="accounts.citizen_registered")
    assert event.actor_id == user.pk
    assert VALID_NIK not in event.data and "327301********07" in event.data
    [message] = mail.outbox
    assert message.to == ["siti@contoh.id"]
    assert message.subject == "Verifikasi alamat email Anda di Praja"
    url = link_in(message, "/t/kota-bandung/verify-email/")
    token = url.rstrip("/").rsplit("/", 1)[1]
    # Only a hash of the token is kept.
    verification = EmailVerification.objects.get()
    assert verification.token_hash != token and len(verification.token_hash) == 64
    assert not EmailVerification.objects.filter(token_hash__contains=token).exists()


def test_the_verification_link_works_once(register, client):
    register()
    path = path_of(link_in(mail.outbox[0], "/verify-email/"))
    response = client.get(path)
    assert response.status_code == 200
    assert "Email siti@contoh.id telah terverifikasi." in response.content.decode()
    assert User.objects.get().email_verified_at is not None
    again = client.get(path)
    assert again.status_code == 400
    assert "Tautan verifikasi ini sudah dipakai." in again.content.decode()


def test_an_expired_or_unknown_verification_link_verifies_nothing(register, client):
    register()
    path = path_of(link_in(mail.outbox[0], "/verify-email/"))
    EmailVerification.objects.update(created_at=timezone.now() - datetime.timedelta(hours=48, minutes=1))
    response = client.get(path)
    assert response.status_code == 400
    assert "sudah kedaluwarsa (berlaku 48 jam)" in response.content.decode()
    assert User.objects.get().email_verified_at is None
    unknown = client.get("/t/kota-bandung/verify-email/bukan-token-asli/")
    assert unknown.status_code == 400
    assert "Tautan verifikasi ini tidak dikenal." in unknown.content.decode()


def test_duplicate_nik_or_email_is_refused_on_its_field_and_nothing_is_stored(
    register, make_person, tenant_a
):
    make_person(tenant_a, nik=VALID_NIK, email="lama@contoh.id")
    before = (User.objects.count(), AuditEvent.objects.count())
    response = register(email="baru@contoh.id")
    assert field_errors(response, "nik") == [
        "NIK ini sudah terdaftar. Masuk dengan NIK tersebut, atau atur ulang kata sandi bila lupa."
    ]
    response = register(nik="3273010101900008", email="LAMA@contoh.id")
    assert field_errors(response, "email") == ["Email lama@contoh.id sudah dipakai akun lain."]
    assert (User.objects.count(), AuditEvent.objects.count()) == before
    assert mail.outbox == []
    assert not EmailVerification.objects.exists()


def test_weak_or_mismatched_passwords_are_refused_in_indonesian(register):
    response = register(password="1234567890", password_confirm="1234567890")
    assert "Kata sandi ini terlalu umum." in field_errors(response, "password")
    response = register(password_confirm="Kopi-Tubruk-2025!")
    assert field_errors(response, "password_confirm") == ["Kedua kata sandi tidak sama."]
    assert not User.objects.exists()


# Guards used by modules


@pytest.mark.urls("tests.browser.protected_urls")
def test_an_unverified_citizen_cannot_reach_an_application_page(make_person, login_client, tenant_a, client):
    anonymous = client.get("/t/kota-bandung/test/apply/")
    assert anonymous.status_code == 302
    assert anonymous["Location"] == "/t/kota-bandung/login/?next=%2Ft%2Fkota-bandung%2Ftest%2Fapply%2F"
    unverified = make_person(tenant_a, verified=False)
    response = login_client(unverified).get("/t/kota-bandung/test/apply/")
    assert response.status_code == 403
    assert (
        "Sebelum mengajukan layanan, buka tautan verifikasi yang kami kirim ke" in response.content.decode()
    )
    assert "Ajukan layanan" not in response.content.decode()
    verified = make_person(tenant_a)
    assert (
        "<h1>Ajukan layanan</h1>"
        in login_client(verified).get("/t/kota-bandung/test/apply/").content.decode()
    )


def test_an_unverified_citizen_can_ask_for_a_new_link(
    make_person, login_client, tenant_a, django_capture_on_commit_callbacks
):
    person = make_person(tenant_a, verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = login_client(person).post("/t/kota-bandung/verify-email/resend/")
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [person.email]
    assert Client().get(path_of(link_in(message, "/verify-email/"))).status_code == 200
    person.refresh_from_db()
    assert person.has_verified_email


# Login, lockout and the second factor


def login(client, identifier, password=PASSWORD, **extra):
    return client.post("/t/kota-bandung/login/", {"identifier": identifier, "password": password, **extra})


@pytest.mark.parametrize("identifier", ["email", "nik", "nik_spaced"])
def test_a_citizen_logs_in_with_email_or_nik(client, make_person, tenant_a, identifier):
    person = make_person(tenant_a)
    typed = {
        "email": person.email.upper(),
        "nik": person.nik,
        "nik_spaced": f"{person.nik[:6]} {person.nik[6:12]} {person.nik[12:]}",
    }[identifier]
    response = login(client, typed)
    assert response.status_code == 302
    assert client.get("/t/kota-bandung/profile/").context["user"] == person
    # Citizens' logins do not go on the audit chain; officials' do.
    assert not AuditEvent.objects.filter(event_type="auth.official_login").exists()


def test_wrong_password_is_answered_without_saying_which_part_was_wrong(client, make_person, tenant_a):
    person = make_person(tenant_a)
    response = login(client, person.email, "salah-sandi-123")
    assert response.status_code == 200
    assert "Email/NIK/NIP atau kata sandi salah." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_until_the_cool_off_passes(
    client, make_person, tenant_a, settings
):
    from axes.models import AccessAttempt

    person = make_person(tenant_a)
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, person.email, "salah-sandi-123").status_code == 200
    locked = login(client, person.email, "salah-sandi-123")
    assert locked.status_code == 429
    assert (
        "Terlalu banyak percobaan masuk yang gagal. Akun dikunci sementara; coba lagi 15 menit lagi."
        in locked.content.decode()
    )
    # While locked, even the right password is refused, and spelling the identifier differently does not help.
    assert login(client, person.email, PASSWORD).status_code == 429
    assert login(client, f"  {person.email.upper()} ", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # Time passes beyond the cool-off (15 minutes).
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert login(client, person.email, PASSWORD).status_code == 302
    assert int(client.session["_auth_user_id"]) == person.pk


@pytest.mark.urls("tests.browser.protected_urls")
def test_an_approver_without_a_device_is_sent_to_enrol_and_kept_from_approving(client, make_person, tenant_a):
    approver = make_person(tenant_a, roles=["approver"])
    response = login(client, approver.email, next="/t/kota-bandung/test/approve/")
    assert response["Location"] == "/t/kota-bandung/2fa/setup/?next=%2Ft%2Fkota-bandung%2Ftest%2Fapprove%2F"
    blocked = client.get("/t/kota-bandung/test/approve/")
    assert blocked.status_code == 302
    assert blocked["Location"].startswith("/t/kota-bandung/2fa/setup/")
    assert client.get("/t/kota-bandung/test/officials/").status_code == 302
    setup = client.get("/t/kota-bandung/2fa/setup/")
    assert setup.status_code == 200
    assert 'src="data:image/png;base64,' in setup.content.decode()
    # The official login is on the chain, saying no second factor was used.
    event = AuditEvent.objects.get(tenant=tenant_a, event_type="auth.official_login")
    assert event.actor_id == approver.pk


@pytest.mark.urls("tests.browser.protected_urls")
def test_enrolment_confirms_the_device_with_one_code(client, make_person, tenant_a):
    from base64 import b32decode

    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    approver = make_person(tenant_a, roles=["approver"])
    login(client, approver.email)
    page = client.get("/t/kota-bandung/2fa/setup/").content.decode()
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    wrong = client.post("/t/kota-bandung/2fa/setup/", {"otp_token": "12345"})
    assert field_errors(wrong, "otp_token") == [
        "Pastikan nilai ini mengandung paling sedikit 6 karakter (sekarang 5 karakter)."
    ]
    code = f"{totp(b32decode(secret)):06d}"
    response = client.post(
        "/t/kota-bandung/2fa/setup/", {"otp_token": code, "next": "/t/kota-bandung/test/approve/"}
    )
    assert response["Location"] == "/t/kota-bandung/test/approve/"
    assert TOTPDevice.objects.get(user=approver).confirmed
    assert "<h1>Persetujuan</h1>" in client.get("/t/kota-bandung/test/approve/").content.decode()
    assert AuditEvent.objects.filter(
        tenant=tenant_a, event_type="accounts.totp_enrolled", actor_id=approver.pk
    ).exists()


def _wrong_code(device) -> str:
    from django_otp.oath import totp

    valid = {f"{totp(device.bin_key, drift=d):06d}" for d in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


@pytest.mark.urls("tests.browser.protected_urls")
def test_an_approver_with_a_device_must_type_the_code_and_a_wrong_one_is_recorded(
    client, make_person, tenant_a, totp_for
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    approver = make_person(tenant_a, roles=["approver"])
    code_now = totp_for(approver)
    device = TOTPDevice.objects.get(user=approver)
    response = login(client, approver.email, next="/t/kota-bandung/test/approve/")
    assert response["Location"] == "/t/kota-bandung/login/second-factor/"
    # The password alone logs nobody in.
    assert "_auth_user_id" not in client.session
    wrong = client.post("/t/kota-bandung/login/second-factor/", {"otp_token": _wrong_code(device)})
    assert field_errors(wrong, "otp_token") == [
        "Kode autentikator salah atau kedaluwarsa. Coba kode yang baru."
    ]
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.get(tenant=tenant_a, event_type="auth.second_factor_failed")
    assert failed.actor_id == approver.pk
    # django-otp throttles after a failure; the next code is accepted once the pause is over.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=None, throttling_failure_count=0
    )
    right = client.post("/t/kota-bandung/login/second-factor/", {"otp_token": code_now()})
    assert right["Location"] == "/t/kota-bandung/test/approve/"
    assert "<h1>Persetujuan</h1>" in client.get("/t/kota-bandung/test/approve/").content.decode()
    login_event = AuditEvent.objects.get(tenant=tenant_a, event_type="auth.official_login")
    assert login_event.actor_id == approver.pk


def test_throttled_codes_are_refused_with_a_wait_message(client, make_person, tenant_a, totp_for):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    approver = make_person(tenant_a, roles=["approver"])
    code_now = totp_for(approver)
    device = TOTPDevice.objects.get(user=approver)
    login(client, approver.email)
    client.post("/t/kota-bandung/login/second-factor/", {"otp_token": _wrong_code(device)})
    response = client.post("/t/kota-bandung/login/second-factor/", {"otp_token": code_now()})
    assert field_errors(response, "otp_token") == [
        "Terlalu banyak kode salah. Tunggu beberapa detik, lalu coba lagi."
    ]
    assert "_auth_user_id" not in client.session


@pytest.mark.urls("tests.browser.protected_urls")
def test_a_citizen_passes_the_approver_guard_but_not_the_approval_guard(make_person, login_client, tenant_a):
    citizen = make_person(tenant_a)
    citizen_client = login_client(citizen)
    assert "<h1>Ruang pegawai</h1>" in citizen_client.get("/t/kota-bandung/test/officials/").content.decode()
    assert citizen_client.get("/t/kota-bandung/test/approve/")["Location"].startswith(
        "/t/kota-bandung/2fa/setup/"
    )


@pytest.mark.urls("tests.browser.protected_urls")
def test_a_logged_in_approver_with_a_device_steps_up_with_a_code(
    make_person, login_client, tenant_a, totp_for
):
    approver = make_person(tenant_a, roles=["approver"])
    code_now = totp_for(approver)
    approver_client = login_client(approver)
    response = approver_client.get("/t/kota-bandung/test/approve/")
    assert (
        response["Location"]
        == "/t/kota-bandung/login/second-factor/?next=%2Ft%2Fkota-bandung%2Ftest%2Fapprove%2F"
    )
    stepped = approver_client.post(response["Location"], {"otp_token": code_now()})
    assert stepped["Location"] == "/t/kota-bandung/test/approve/"
    assert approver_client.get("/t/kota-bandung/test/approve/").status_code == 200


def test_logout_needs_post_and_ends_the_session(make_person, login_client, tenant_a):
    person_client = login_client(make_person(tenant_a))
    assert person_client.get("/t/kota-bandung/logout/").status_code == 405
    response = person_client.post("/t/kota-bandung/logout/")
    assert response["Location"] == "/t/kota-bandung/"
    assert "_auth_user_id" not in person_client.session


def test_an_off_site_next_is_ignored(client, make_person, tenant_a):
    person = make_person(tenant_a)
    response = login(client, person.email, next="https://jahat.example/")
    assert response["Location"].startswith("/t/kota-bandung/")


def test_the_preferred_language_is_applied_at_login(client, make_person, tenant_a):
    person = make_person(tenant_a, preferred_language="en")
    response = login(client, person.email)
    assert response.cookies["django_language"].value == "en"


# Passwords


def test_password_reset_by_email_end_to_end(
    client, make_person, tenant_a, django_capture_on_commit_callbacks
):
    person = make_person(tenant_a, verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/t/kota-bandung/password/reset/", {"email": person.email.upper()})
    assert response["Location"] == "/t/kota-bandung/password/reset/sent/"
    [message] = mail.outbox
    assert (message.to, message.subject) == ([person.email], "Atur ulang kata sandi Praja")
    path = path_of(link_in(message, "/t/kota-bandung/password/reset/"))
    mismatched = client.post(path, {"new_password": GOOD_PASSWORD, "new_password_confirm": "lain-sekali-99"})
    assert field_errors(mismatched, "new_password_confirm") == ["Kedua kata sandi tidak sama."]
    done = client.post(path, {"new_password": GOOD_PASSWORD, "new_password_confirm": GOOD_PASSWORD})
    assert done["Location"] == "/t/kota-bandung/login/"
    person.refresh_from_db()
    assert person.check_password(GOOD_PASSWORD)
    assert person.has_verified_email  # the link proved the address
    assert AuditEvent.objects.filter(tenant=tenant_a, event_type="accounts.password_reset").count() == 1
    # The link is spent once the password changed.
    again = client.get(path)
    assert again.status_code == 400
    assert "Tautan atur ulang kata sandi tidak berlaku lagi; minta tautan baru." in again.content.decode()
    assert login(client, person.email, GOOD_PASSWORD).status_code == 302


def test_password_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(client, tenant_a):
    response = client.post("/t/kota-bandung/password/reset/", {"email": "tidak-ada@contoh.id"})
    assert response["Location"] == "/t/kota-bandung/password/reset/sent/"
    assert mail.outbox == []


def test_password_change_checks_the_old_password(make_person, login_client, tenant_a):
    person = make_person(tenant_a)
    person_client = login_client(person)
    wrong = person_client.post(
        "/t/kota-bandung/password/change/",
        {
            "old_password": "bukan-ini-123",
            "new_password": GOOD_PASSWORD,
            "new_password_confirm": GOOD_PASSWORD,
        },
    )
    assert field_errors(wrong, "old_password") == ["Kata sandi lama salah."]
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    done = person_client.post(
        "/t/kota-bandung/password/change/",
        {"old_password": PASSWORD, "new_password": GOOD_PASSWORD, "new_password_confirm": GOOD_PASSWORD},
    )
    assert done["Location"] == "/t/kota-bandung/profile/"
    person.refresh_from_db()
    assert person.check_password(GOOD_PASSWORD)
    assert person_client.get("/t/kota-bandung/profile/").status_code == 200  # still logged in


# Profile


def test_profile_shows_masked_nik_roles_and_the_tenants_to_switch_to(
    make_person, login_client, tenant_a, tenant_b
):
    from praja.core.accounts.models import RoleGrant
    from praja.core.tenancy.context import use_tenant

    person = make_person(tenant_a, roles=["inspector"], nik="3273010101900042", nip="198503122010012004")
    with use_tenant(tenant_b):
        RoleGrant.objects.create(user=person, role="kpk_monitor")
    page = login_client(person).get("/t/kota-bandung/profile/").content.decode()
    assert '<dd id="masked-nik">327301********42</dd>' in page
    assert "3273010101900042" not in page
    assert "198503122010012004" in page
    assert "Inspektorat (APIP)" in page and "Pemantau KPK" not in page
    assert '<a href="/t/kabupaten-serang/">Kabupaten Serang</a>' in page
    assert "Kota Bandung</span> (sedang dibuka)" in page


def test_profile_changes_are_saved_and_a_new_email_waits_for_proof(
    make_person, login_client, tenant_a, django_capture_on_commit_callbacks
):
    person = make_person(tenant_a, email="lama@contoh.id")
    person_client = login_client(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = person_client.post(
            "/t/kota-bandung/profile/",
            {
                "full_name": "Siti Aminah",
                "email": "baru@contoh.id",
                "phone": "0857 1234 5678",
                "preferred_language": "en",
            },
        )
    assert response["Location"] == "/t/kota-bandung/profile/"
    assert response.cookies["django_language"].value == "en"
    person.refresh_from_db()
    assert (person.full_name, person.phone, person.preferred_language, person.email) == (
        "Siti Aminah",
        "+6285712345678",
        "en",
        "lama@contoh.id",
    )
    [message] = mail.outbox
    assert message.to == ["baru@contoh.id"]
    assert person_client.get(path_of(link_in(message, "/verify-email/"))).status_code == 200
    person.refresh_from_db()
    assert person.email == "baru@contoh.id"


def test_profile_refuses_an_email_of_another_account(make_person, login_client, tenant_a):
    make_person(tenant_a, email="dipakai@contoh.id")
    person = make_person(tenant_a, email="saya@contoh.id")
    response = login_client(person).post(
        "/t/kota-bandung/profile/",
        {"full_name": "Saya", "email": "dipakai@contoh.id", "phone": "", "preferred_language": "id"},
    )
    assert field_errors(response, "email") == ["Email dipakai@contoh.id sudah dipakai akun lain."]
    person.refresh_from_db()
    assert (person.email, person.full_name) != ("dipakai@contoh.id", "Saya")
    assert mail.outbox == []


def test_profile_needs_login(client, tenant_a):
    response = client.get("/t/kota-bandung/profile/")
    assert response["Location"] == "/t/kota-bandung/login/?next=%2Ft%2Fkota-bandung%2Fprofile%2F"


# Navigation


def test_navigation_offers_login_to_visitors_and_profile_and_logout_to_people(
    client, make_person, login_client, tenant_a
):
    visitor = client.get("/t/kota-bandung/").content.decode()
    assert '<a href="/t/kota-bandung/login/">Masuk</a>' in visitor
    assert '<a href="/t/kota-bandung/register/">Daftar</a>' in visitor
    assert "Keluar" not in visitor
    person_page = login_client(make_person(tenant_a)).get("/t/kota-bandung/profile/").content.decode()
    assert '<a href="/t/kota-bandung/profile/" aria-current="page">Profil</a>' in person_page
    assert "Keluar" in person_page and ">Masuk</a>" not in person_page
    for label in ("Berkas saya", "Siapa melihat data saya", "Notifikasi", "Profil"):
        assert person_page.count(f">{label}</a>") == 1, label
