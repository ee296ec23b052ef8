"""The English translation: the catalogue is complete and compiled, pages are Indonesian by default
and English once the person asks for it (language switch, cookie or Accept-Language), and API error
messages follow the same choice.

The compiled catalogues (*.mo) are not in git; `make messages` builds them (and `make test` runs it
first). Every English assertion here fails when the English catalogue is missing or stale.
"""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from praja.core.testing.permission_matrix import assert_error_envelope

pytestmark = pytest.mark.django_db

MAKE_MESSAGES = "build the catalogues with `make messages`"


def catalogue(language: str, suffix: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / f"django.{suffix}"


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def english_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- the catalogues ----------------------------------------------------------------------------


def test_both_catalogues_exist_and_english_is_compiled():
    assert catalogue("id", "po").is_file(), "the id catalogue makes `id` a locale of Praja's own strings"
    assert catalogue("en", "po").is_file()
    assert catalogue("en", "mo").is_file(), f"no compiled English catalogue: {MAKE_MESSAGES}"
    with translation.override("en"):
        assert translation.gettext("Masuk") == "Log in", f"English catalogue not loaded: {MAKE_MESSAGES}"


def test_the_english_catalogue_is_complete_and_the_compiled_one_is_current(tmp_path):
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (Debian package gettext) is not installed")
    compiled = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(compiled), str(catalogue("en", "po"))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # "656 translated messages." and nothing fuzzy or untranslated
    assert "translated message" in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, result.stderr

    with compiled.open("rb") as handle:
        expected = gettext.GNUTranslations(handle)._catalog
    stale = []
    with translation.override("en"):
        for key, text in expected.items():
            if key == "":
                continue  # the header
            if isinstance(key, tuple):
                msgid, index = key
                got = translation.ngettext(msgid, msgid, 1 if index == 0 else 2)
            else:
                got = translation.gettext(key)
            if got != text:
                stale.append((key, got, text))
    assert len(expected) > 100
    assert not stale, f"{len(stale)} strings differ from django.po, e.g. {stale[:3]}: {MAKE_MESSAGES}"


PACKAGE = Path(settings.LOCALE_PATHS[0]).parent  # src/praja


def english_catalogues(package: Path = PACKAGE) -> list[Path]:
    """Every English django.po under `package`: the main one and each module's and sub-app's own."""
    return sorted(
        path
        for path in package.glob("**/locale/en/LC_MESSAGES/django.po")
        if not {".venv", "node_modules", "site-packages"} & set(path.relative_to(package).parts)
    )


@pytest.mark.parametrize(
    "po_path",
    english_catalogues(),
    ids=lambda path: str(path.relative_to(PACKAGE)),
)
def test_every_english_catalogue_is_complete_and_compiled(po_path, tmp_path):
    """The main catalogue and every module's own: nothing fuzzy, nothing untranslated, .mo current."""
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (Debian package gettext) is not installed")
    compiled = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(compiled), str(po_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "translated message" in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, (po_path, result.stderr)
    shipped = po_path.with_suffix(".mo")
    assert shipped.is_file(), f"{shipped} is missing: run compilemessages in its app"
    with compiled.open("rb") as fresh, shipped.open("rb") as current:
        expected = gettext.GNUTranslations(fresh)._catalog
        actual = gettext.GNUTranslations(current)._catalog
    keys = expected.keys() | actual.keys()
    stale = sorted(str(key) for key in keys if expected.get(key) != actual.get(key))
    assert not stale, f"{shipped} differs from its django.po in {len(stale)} strings, e.g. {stale[:3]}"


def test_the_walk_finds_module_and_sub_app_catalogues(tmp_path):
    wanted = [
        "locale/en/LC_MESSAGES/django.po",
        "modules/grants/funds/locale/en/LC_MESSAGES/django.po",
        "modules/grants/locale/en/LC_MESSAGES/django.po",
    ]
    ignored = [
        "locale/id/LC_MESSAGES/django.po",
        "modules/grants/locale/en/LC_MESSAGES/djangojs.po",
        ".venv/lib/foo/locale/en/LC_MESSAGES/django.po",
    ]
    for relative in wanted + ignored:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("")
    assert [str(path.relative_to(tmp_path)) for path in english_catalogues(tmp_path)] == wanted
    assert catalogue("en", "po") in english_catalogues()


def test_plural_forms_are_translated():
    singular = "%(counter)s notifikasi belum dibaca."
    with translation.override("en"):
        assert translation.ngettext(singular, singular, 1) % {"counter": 1} == "1 unread notification."
        assert translation.ngettext(singular, singular, 3) % {"counter": 3} == "3 unread notifications."
    with translation.override("id"):
        assert translation.ngettext(singular, singular, 3) % {"counter": 3} == "3 notifikasi belum dibaca."


# --- pages -------------------------------------------------------------------------------------


def test_pages_are_indonesian_by_default(client, tenant_a):
    home = html(client.get(f"/t/{tenant_a.slug}/"))
    assert '<html lang="id">' in home
    assert f"Selamat datang di layanan elektronik {tenant_a.name}" in home
    assert "Daftar sebagai warga" in home
    assert "Welcome to" not in home

    login = html(client.get(f"/t/{tenant_a.slug}/login/"))
    assert "<h1>Masuk</h1>" in login
    assert "Lupa kata sandi?" in login
    assert "Email, NIK atau NIP" in login
    assert "Log in" not in login

    register = html(client.get(f"/t/{tenant_a.slug}/register/"))
    assert "<h1>Daftar sebagai warga</h1>" in register
    assert "Nama lengkap" in register
    assert "Already have an account?" not in register


def test_the_language_switch_turns_the_pages_english(client, tenant_a):
    home_path = f"/t/{tenant_a.slug}/"
    switched = client.post("/i18n/setlang/", {"language": "en", "next": home_path})
    assert switched.status_code == 302
    assert switched["Location"] == home_path
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    home = html(client.get(home_path))
    assert '<html lang="en">' in home
    assert f"Welcome to the online services of {tenant_a.name}" in home
    assert "Register as a citizen" in home
    assert "Skip to main content" in home
    assert "Selamat datang" not in home
    assert "Daftar sebagai warga" not in home
    # The switch offers the way back, in its own language.
    assert 'value="id" lang="id">Bahasa Indonesia</button>' in home

    login = html(client.get(f"/t/{tenant_a.slug}/login/"))
    assert "<h1>Log in</h1>" in login
    assert "Forgot your password?" in login
    assert "Email, NIK or NIP" in login
    assert "Password" in login
    for indonesian in ("<h1>Masuk</h1>", "Lupa kata sandi", "Belum punya akun", "Kata sandi"):
        assert indonesian not in login

    register = html(client.get(f"/t/{tenant_a.slug}/register/"))
    assert "<h1>Register as a citizen</h1>" in register
    assert "Full name" in register
    assert "Mobile number" in register
    assert "Repeat password" in register
    assert "Already have an account?" in register
    for indonesian in ("Nama lengkap", "Nomor HP", "Ulangi kata sandi", "Sudah punya akun"):
        assert indonesian not in register

    # ... and back again.
    client.post("/i18n/setlang/", {"language": "id", "next": home_path})
    assert "<h1>Masuk</h1>" in html(client.get(f"/t/{tenant_a.slug}/login/"))


def test_accept_language_and_the_cookie_choose_english(tenant_a):
    by_header = html(Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/t/{tenant_a.slug}/login/"))
    assert "<h1>Log in</h1>" in by_header
    by_cookie = html(english_client().get(f"/t/{tenant_a.slug}/register/"))
    assert "<h1>Register as a citizen</h1>" in by_cookie


def test_a_logged_in_person_sees_english_navigation(tenant_a, make_person, login_client):
    person = make_person(tenant_a, full_name="Siti Nurhaliza")
    person_client = login_client(person)
    person_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    home = html(person_client.get(f"/t/{tenant_a.slug}/"))
    assert "You are logged in as Siti Nurhaliza." in home
    for label in ("Home", "My files", "Profile", "Notifications", "Log out"):
        assert label in home, label
    for label in ("Berkas saya", "Profil", "Notifikasi", "Keluar"):
        assert f">{label}<" not in home, label


# --- the API -----------------------------------------------------------------------------------


def test_api_errors_follow_the_requested_language(client, tenant_a):
    me = f"/t/{tenant_a.slug}/api/v1/me/"
    indonesian = client.get(me)
    assert assert_error_envelope(indonesian, status=401, code="not_authenticated")["message"] == (
        "Data autentikasi tidak diberikan."
    )
    english = client.get(me, HTTP_ACCEPT_LANGUAGE="en")
    assert assert_error_envelope(english, status=401, code="not_authenticated")["message"] == (
        "Authentication credentials were not provided."
    )
    assert english["Content-Language"] == "en"

    # A message of Praja's own (praja.core.api.errors), not Django REST framework's.
    bad_token = {"HTTP_AUTHORIZATION": "Token 0000000000000000000000000000000000000000"}
    assert assert_error_envelope(client.get(me, **bad_token), status=401)["message"] == (
        "Token API tidak berlaku (salah, sudah diganti, atau akunnya nonaktif)."
    )
    english = assert_error_envelope(client.get(me, HTTP_ACCEPT_LANGUAGE="en", **bad_token), status=401)
    assert english["message"] == (
        "The API token is not valid (it is wrong, has been replaced, or its account is inactive)."
    )


def test_unknown_tenant_404_speaks_the_visitors_language(client, tenant_a):
    english = client.get("/t/kota-tidak-ada/", HTTP_ACCEPT_LANGUAGE="en")
    indonesian = client.get("/t/kota-tidak-ada/", HTTP_ACCEPT_LANGUAGE="id")
    assert english.status_code == indonesian.status_code == 404
    assert "Halaman tidak ditemukan" in indonesian.content.decode()
    assert "Halaman tidak ditemukan" not in english.content.decode()
