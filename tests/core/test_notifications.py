"""notify(): the outbox is written in the caller's transaction and sent only after it commits."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from praja.core.notifications.actions import notify
from praja.core.notifications.models import MessageStatus, OutboxMessage
from praja.core.notifications.rendering import UnknownTemplate
from praja.core.notifications.selectors import list_in_app_messages
from praja.core.tenancy.context import use_tenant

pytestmark = pytest.mark.django_db

VERIFY_BODY_ID = (
    "Halo Budi Santoso,\n\n"
    "Terima kasih telah mendaftar di Praja. Buka tautan berikut untuk memverifikasi alamat email Anda:\n\n"
    "https://praja.example/t/kota-bandung/verify?token=a&b=1\n\n"
    "Jika Anda tidak mendaftar, abaikan email ini."
)
VERIFY_CONTEXT = {
    "verify_url": "https://praja.example/t/kota-bandung/verify?token=a&b=1",
    "name": "Budi Santoso",
}


def test_notify_writes_rows_now_and_sends_email_only_after_commit(
    tenant_a, make_person, django_capture_on_commit_callbacks
):
    person = make_person(tenant_a, email="budi@contoh.go.id")
    with use_tenant(tenant_a), django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            messages = notify(recipient=person, template="accounts/verify_email", context=VERIFY_CONTEXT)
            assert [m.channel for m in messages] == ["in_app", "email"]
            assert OutboxMessage.objects.filter(recipient=person).count() == 2
        assert mail.outbox == []  # committed, but the commit hooks have not run yet

    assert len(callbacks) == 1  # only the email needs sending; in-app is delivered by being stored
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["budi@contoh.go.id"]
    assert email.subject == "Verifikasi alamat email Anda di Praja"
    assert email.body == VERIFY_BODY_ID  # plain text: "&" is not HTML-escaped
    assert email.extra_headers["Content-Language"] == "id"

    in_app, sent_email = (OutboxMessage.objects.get(pk=m.pk) for m in messages)
    assert (in_app.tenant, in_app.status, in_app.body) == (tenant_a, MessageStatus.SENT, VERIFY_BODY_ID)
    assert in_app.sent_at is not None and in_app.read_at is None
    assert (sent_email.status, sent_email.attempts, sent_email.address) == (
        MessageStatus.SENT,
        1,
        "budi@contoh.go.id",
    )
    assert sent_email.sent_at is not None and sent_email.last_error == ""


def test_rolled_back_action_leaves_no_message_and_sends_nothing(
    tenant_a, make_person, django_capture_on_commit_callbacks
):
    person = make_person(tenant_a)
    # Nested on purpose: the action's transaction ends before the commit hooks would run.
    with use_tenant(tenant_a), django_capture_on_commit_callbacks(execute=True) as callbacks:  # noqa: SIM117
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(
                recipient=person,
                template="accounts/verify_email",
                context=VERIFY_CONTEXT,
                channels=("in_app", "email", "sms"),
            )
            raise RuntimeError("the business action failed after notify()")

    assert callbacks == []
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


def test_english_reader_gets_the_message_rendered_with_english_active(
    tenant_a, make_person, django_capture_on_commit_callbacks
):
    person = make_person(tenant_a, email="ann@contoh.go.id", preferred_language="en")
    with use_tenant(tenant_a), django_capture_on_commit_callbacks(execute=True):
        [message] = notify(
            recipient=person,
            template="accounts/password_reset",
            context={"reset_url": "https://praja.example/reset/xyz"},
            channels=("email",),
        )

    # English wording comes from the lead's translation catalogue; until then the proof is that
    # English was the active language while rendering (recorded on the row and in the email).
    assert OutboxMessage.objects.get(pk=message.pk).language == "en"
    [email] = mail.outbox
    assert email.extra_headers["Content-Language"] == "en"
    assert "https://praja.example/reset/xyz" in email.body


def test_unsupported_language_falls_back_to_indonesian(
    tenant_a, make_person, django_capture_on_commit_callbacks
):
    person = make_person(tenant_a, preferred_language="fr")
    with use_tenant(tenant_a), django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient=person,
            template="generic",
            context={"subject": "Uji", "body": "Isi"},
            channels=("email",),
        )
    assert mail.outbox[0].extra_headers["Content-Language"] == "id"
    assert (mail.outbox[0].subject, mail.outbox[0].body) == ("Uji", "Isi")


def test_workflow_templates_render_their_context(tenant_a, make_person, django_capture_on_commit_callbacks):
    person = make_person(tenant_a)
    with use_tenant(tenant_a), django_capture_on_commit_callbacks(execute=True):
        breached = notify(
            recipient=person,
            template="workflow/sla_breached",
            context={"case": "IMB-2026-0001", "holder": "Siti Aminah", "due": "3 Maret 2026"},
            channels=("in_app",),
        )[0]
        changed = notify(
            recipient=person,
            template="workflow/status_changed",
            context={
                "case": "IMB-2026-0001",
                "status_label": "Disetujui",
                "timeline_url": "https://praja.example/berkas/1",
            },
            channels=("in_app",),
        )[0]
    assert breached.subject == "Batas waktu layanan terlampaui: IMB-2026-0001"
    assert breached.body.startswith(
        "Berkas IMB-2026-0001 yang dipegang oleh Siti Aminah "
        "telah melewati batas waktu layanan (3 Maret 2026)."
    )
    assert changed.subject == "Status berkas IMB-2026-0001: Disetujui"
    assert changed.body == (
        "Status berkas IMB-2026-0001 sekarang: Disetujui.\n\n"
        "Lihat riwayat berkas: https://praja.example/berkas/1"
    )


def test_platform_message_has_no_tenant(make_person, django_capture_on_commit_callbacks):
    person = make_person(None)
    with django_capture_on_commit_callbacks(execute=True):
        [message] = notify(
            recipient=person,
            template="accounts/password_reset",
            context={"reset_url": "https://praja.example/reset/1"},
            channels=("email",),
        )
    assert OutboxMessage.objects.get(pk=message.pk).tenant is None
    assert mail.outbox[0].subject == "Atur ulang kata sandi Praja"


def test_sms_to_person_without_phone_is_failed_with_reason_and_not_sent(
    tenant_a, make_person, django_capture_on_commit_callbacks
):
    person = make_person(tenant_a, phone="")
    with use_tenant(tenant_a), django_capture_on_commit_callbacks(execute=True) as callbacks:
        [message] = notify(
            recipient=person, template="generic", context={"subject": "S", "body": "B"}, channels=("sms",)
        )
    assert callbacks == []
    assert message.status == MessageStatus.FAILED
    assert message.last_error == "Penerima tidak memiliki alamat untuk saluran sms."


def test_unknown_template_or_channel_writes_nothing(tenant_a, make_person):
    person = make_person(tenant_a)
    with use_tenant(tenant_a):
        with pytest.raises(UnknownTemplate):
            notify(recipient=person, template="accounts/no_such_template")
        with pytest.raises(ValueError, match="Unknown notification channel"):
            notify(
                recipient=person, template="generic", context={"subject": "S", "body": "B"}, channels=("fax",)
            )
    assert OutboxMessage.objects.count() == 0


def test_dedup_key_queues_a_message_once(tenant_a, make_person, django_capture_on_commit_callbacks):
    person = make_person(tenant_a)
    with use_tenant(tenant_a), django_capture_on_commit_callbacks(execute=True):
        first = notify(
            recipient=person,
            template="generic",
            context={"subject": "S", "body": "B"},
            channels=("email",),
            dedup_key="sla:case-7:2026-03-03",
        )
        second = notify(
            recipient=person,
            template="generic",
            context={"subject": "S", "body": "B"},
            channels=("email",),
            dedup_key="sla:case-7:2026-03-03",
        )
    assert first[0].pk == second[0].pk
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def _generic(person, tenant, subject):
    with use_tenant(tenant):
        return notify(
            recipient=person,
            template="generic",
            context={"subject": subject, "body": "Isi"},
            channels=("in_app",),
        )[0]


def test_inbox_page_lists_only_own_messages_of_this_tenant(tenant_a, tenant_b, make_person, login_client):
    person, other = make_person(tenant_a), make_person(tenant_a)
    _generic(person, tenant_a, "Izin Anda disetujui")
    _generic(other, tenant_a, "Pesan untuk orang lain")
    _generic(person, tenant_b, "Pesan dari Serang")
    client = login_client(person)

    page = client.get(f"/t/{tenant_a.slug}/notifications/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Izin Anda disetujui" in html
    assert "1 notifikasi belum dibaca." in html
    assert "Pesan untuk orang lain" not in html
    assert "Pesan dari Serang" not in html

    with use_tenant(tenant_a):
        assert [m.subject for m in list_in_app_messages(other)] == ["Pesan untuk orang lain"]
    with use_tenant(tenant_b):
        assert [m.subject for m in list_in_app_messages(other)] == []


def test_other_tenant_inbox_shows_none_of_this_tenants_messages(
    tenant_a, tenant_b, make_person, login_client
):
    person = make_person(tenant_a)
    _generic(person, tenant_a, "Izin Anda disetujui")
    html = login_client(person).get(f"/t/{tenant_b.slug}/notifications/").content.decode()
    assert "Izin Anda disetujui" not in html
    assert "Belum ada notifikasi." in html


def test_mark_read_and_refusal_for_someone_elses_message(tenant_a, tenant_b, make_person, login_client):
    person, other = make_person(tenant_a), make_person(tenant_a)
    mine = _generic(person, tenant_a, "Milik saya")
    theirs = _generic(other, tenant_a, "Milik orang lain")
    client = login_client(person)

    response = client.post(f"/t/{tenant_a.slug}/notifications/{mine.pk}/read/")
    assert response.status_code == 302
    assert response["Location"] == f"/t/{tenant_a.slug}/notifications/"
    mine.refresh_from_db()
    assert mine.status == MessageStatus.READ and mine.read_at is not None

    assert client.post(f"/t/{tenant_a.slug}/notifications/{theirs.pk}/read/").status_code == 404
    assert client.post(f"/t/{tenant_b.slug}/notifications/{mine.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None and theirs.status == MessageStatus.SENT


def test_mark_all_read(tenant_a, make_person, login_client):
    person = make_person(tenant_a)
    _generic(person, tenant_a, "Satu")
    _generic(person, tenant_a, "Dua")
    client = login_client(person)
    assert client.post(f"/t/{tenant_a.slug}/notifications/read-all/").status_code == 302
    with use_tenant(tenant_a):
        assert {m.status for m in list_in_app_messages(person)} == {MessageStatus.READ}
    assert "0 notifikasi belum dibaca." in client.get(f"/t/{tenant_a.slug}/notifications/").content.decode()


def test_inbox_needs_login(tenant_a):
    from django.test import Client

    response = Client().get(f"/t/{tenant_a.slug}/notifications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
