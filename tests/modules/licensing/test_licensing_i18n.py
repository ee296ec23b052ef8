"""Licensing text that used to stay Indonesian for an English reader: API errors, fee-formula errors,
requirement checks, the CLI's error, and two page strings (the queue's "received" column, the apply
page's title). Each assertion fails while the string is unmarked or untranslated."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from praja.core.testing.permission_matrix import assert_error_envelope, verified_client
from praja.modules.licensing.models import ApplicationStatus as S
from praja.modules.licensing.payments.rules import validate_fee_formula
from tests.modules.licensing.conftest import place_in_status

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_complaint_register_year_error_follows_the_language(client, tenant_a):
    url = f"/t/{tenant_a.slug}/api/v1/licensing/complaints/register/?year=tahun-ini"
    indonesian = assert_error_envelope(client.get(url), status=400)
    assert indonesian["fields"]["year"] == ["Tahun harus berupa angka, misalnya 2026."]
    in_english = assert_error_envelope(client.get(url, HTTP_ACCEPT_LANGUAGE="en"), status=400)
    assert in_english["fields"]["year"] == ["The year must be a number, for example 2026."]


def test_assigning_an_unknown_officer_by_api_is_refused_in_english(office):
    application = place_in_status(office, S.REGISTERED)
    back = verified_client(office.back)
    response = back.post(
        f"/t/{office.tenant.slug}/api/v1/licensing/applications/{application.pk}/assign-team/",
        {"member_ids": [999_999], "notes": ""},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert assert_error_envelope(response, status=400)["fields"]["member_ids"] == ["Unknown officer."]


def test_fee_formula_errors_name_the_construct_in_the_readers_language():
    with translation.override("en"):
        assert validate_fee_formula("luas_m2.real", ["luas_m2"]) == [
            "The levy formula may not contain attribute access (a dot after a name) (column 1)."
        ]
        assert validate_fee_formula("luas_m2 ** 2", ["luas_m2"]) == [
            "The levy formula may not contain exponentiation (**) (column 1)."
        ]
    with translation.override("id"):
        assert validate_fee_formula("luas_m2 ** 2", ["luas_m2"]) == [
            "Rumus retribusi tidak boleh memuat pemangkatan (**) (kolom 1)."
        ]


def test_requirement_check_labels_follow_the_language():
    from praja.modules.licensing.forms import RequirementForm

    with translation.override("en"):
        choices = dict(RequirementForm().fields["check_name"].choices)
        assert str(choices["not_expired"]) == "Still valid on the filing date"
    with translation.override("id"):
        choices = dict(RequirementForm().fields["check_name"].choices)
        assert str(choices["not_expired"]) == "Masih berlaku pada tanggal pengajuan"


def test_api_token_command_error_is_translated():
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("api", "token", "tidak-ada@contoh.id")
    assert str(refused.value) == "No active account has the email tidak-ada@contoh.id."


def test_queue_received_column_and_apply_title_in_english(office):
    place_in_status(office, S.SUBMITTED)
    queue = english(verified_client(office.front)).get(f"/t/{office.tenant.slug}/licensing/queue/")
    html = queue.content.decode()
    assert '<th scope="col">Received</th>' in html
    assert '<th scope="col">Log in</th>' not in html
    apply = english(verified_client(office.citizen)).get(
        f"/t/{office.tenant.slug}/licensing/services/sip-dokter/apply/"
    )
    assert (
        f"<title>Apply for Surat Izin Praktik (SIP) Dokter — {office.tenant.name}" in apply.content.decode()
    )
