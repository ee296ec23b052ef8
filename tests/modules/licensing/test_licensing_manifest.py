"""The licensing manifest: its parameters (feedback deadlines, the gateway's callback secret) on the
admin's parameter page, the secret never shown or copied in clear, complaints in the work queue, and
labels that follow the reader's language."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from praja.core.audit.models import AuditEvent
from praja.core.modules.registry import get_manifest
from praja.core.tenancy.actions import set_module_enabled
from praja.core.tenancy.context import use_tenant
from praja.core.tenancy.models import TenantModule
from praja.core.testing.permission_matrix import verified_client
from praja.modules.licensing.feedback.constants import FEEDBACK_DEFAULT_PARAMETERS
from praja.modules.licensing.payments import rules as payment_rules
from praja.modules.licensing.payments.gateway import tenant_callback_secret

pytestmark = pytest.mark.django_db

SECRET = "rahasia-bank-bjb-2026"


def parameters_page(tenant):
    return f"/t/{tenant.slug}/manage/modules/licensing/parameters/"


def stored_parameters(tenant) -> dict:
    return TenantModule.all_tenants.get(tenant=tenant, module="licensing").parameters


def parameter_events(tenant) -> list[dict]:
    return [
        json.loads(event.data)
        for event in AuditEvent.objects.filter(
            tenant=tenant, event_type="tenant.module_parameters_changed"
        ).order_by("seq")
    ]


def form_data(**overrides) -> dict:
    data = {"tracking_prefix": "", "payment_due_working_days": "7", "payment_callback_secret": ""}
    data.update({key: str(value) for key, value in FEEDBACK_DEFAULT_PARAMETERS.items()})
    data.update(overrides)
    return data


@pytest.fixture
def admin_client(tenant_a, make_person):
    return verified_client(make_person(tenant_a, roles=["tenant_admin"], full_name="Admin Bandung"))


def test_manifest_declares_feedback_parameters_and_the_callback_secret():
    parameters = get_manifest("licensing").default_parameters
    assert parameters == {
        "tracking_prefix": "",
        "payment_due_working_days": 7,
        "payment_callback_secret": "",
        "complaint_days_verification": 3,
        "complaint_days_light": 2,
        "complaint_days_normative": 5,
        "complaint_days_no_supervision": 14,
        "complaint_days_investigation": 60,
        "public_submissions_per_hour": 5,
    }


def test_admin_changes_a_complaint_deadline_on_the_parameters_page(tenant_a, admin_client):
    from praja.modules.licensing.feedback.selectors import get_feedback_parameters

    page = admin_client.get(parameters_page(tenant_a)).content.decode()
    assert 'name="complaint_days_light"' in page and 'value="2"' in page
    response = admin_client.post(parameters_page(tenant_a), form_data(complaint_days_light="4"))
    assert response.status_code == 302
    assert get_feedback_parameters(tenant_a)["complaint_days_light"] == 4
    assert parameter_events(tenant_a) == [
        {"module": "licensing", "before": {"complaint_days_light": 2}, "after": {"complaint_days_light": 4}}
    ]


def test_callback_secret_is_set_kept_and_cleared_but_never_shown_or_audited(tenant_a, admin_client):
    derived = payment_rules.derive_callback_secret(settings.SECRET_KEY, tenant_a.code)
    assert tenant_callback_secret(tenant_a) == derived

    admin_client.post(parameters_page(tenant_a), form_data(payment_callback_secret=SECRET))
    assert stored_parameters(tenant_a)["payment_callback_secret"] == SECRET
    assert tenant_callback_secret(tenant_a) == SECRET.encode()

    page = admin_client.get(parameters_page(tenant_a)).content.decode()
    assert SECRET not in page
    assert 'type="password" name="payment_callback_secret"' in page
    assert "Rahasia tersimpan dan tidak ditampilkan; kosongkan untuk tidak mengubahnya." in page

    # Saving other parameters with the secret field left empty keeps the secret.
    response = admin_client.post(parameters_page(tenant_a), form_data(payment_due_working_days="10"))
    assert response.status_code == 302
    assert stored_parameters(tenant_a)["payment_callback_secret"] == SECRET
    assert stored_parameters(tenant_a)["payment_due_working_days"] == 10

    # A refused form does not echo the secret either.
    refused = admin_client.post(
        parameters_page(tenant_a), form_data(payment_callback_secret="baru", payment_due_working_days="x")
    )
    assert refused.status_code == 200
    assert "baru" not in refused.content.decode() and SECRET not in refused.content.decode()
    assert stored_parameters(tenant_a)["payment_callback_secret"] == SECRET

    admin_client.post(
        parameters_page(tenant_a),
        form_data(payment_callback_secret__clear="on", payment_due_working_days="10"),
    )
    assert stored_parameters(tenant_a)["payment_callback_secret"] == ""
    assert tenant_callback_secret(tenant_a) == derived
    assert "Rahasia belum diisi." in admin_client.get(parameters_page(tenant_a)).content.decode()

    events = parameter_events(tenant_a)
    assert [event["after"] for event in events] == [
        {"payment_callback_secret": "***"},
        {"payment_due_working_days": 10},
        {"payment_callback_secret": ""},
    ]
    assert all(SECRET not in json.dumps(event) for event in events)


def test_adopting_licensing_never_copies_the_callback_secret(tenant_a, tenant_b, make_person):
    from praja.core.tenancy.actions import set_module_parameters
    from praja.core.tenancy.adoption import adopt_configuration

    admin = make_person(tenant_a, roles=["tenant_admin"])
    set_module_enabled(actor=None, tenant=tenant_a, module="licensing", enabled=True)
    set_module_parameters(
        actor=admin,
        tenant=tenant_a,
        module="licensing",
        parameters={"payment_callback_secret": SECRET, "complaint_days_light": 4},
    )
    operator = make_person(tenant_b, roles=["tenant_admin"])
    adopt_configuration(actor=operator, source=tenant_a, target=tenant_b, modules=["licensing"])
    adopted = stored_parameters(tenant_b)
    assert (adopted["complaint_days_light"], adopted["payment_callback_secret"]) == (4, "")
    assert tenant_callback_secret(tenant_b) == payment_rules.derive_callback_secret(
        settings.SECRET_KEY, tenant_b.code
    )


def test_open_complaints_appear_in_the_handlers_work_queue(tenant_a, make_person):
    from praja.modules.licensing.feedback.actions import submit_complaint

    set_module_enabled(actor=None, tenant=tenant_a, module="licensing", enabled=True)
    with use_tenant(tenant_a):
        complaint, _token = submit_complaint(
            actor=None,
            subject="Pungutan liar di loket",
            description="Petugas loket meminta uang tambahan di luar retribusi resmi.",
            contact_name="Siti Aminah",
            contact_email="siti@contoh.id",
            client_key="10.0.0.1",
        )
    handler = verified_client(make_person(tenant_a, roles=["licensing_complaints"]))
    body = handler.get(f"/t/{tenant_a.slug}/queue/").content.decode()
    assert f"{complaint.number} · Pungutan liar di loket" in body
    assert f'href="/t/{tenant_a.slug}/licensing/complaints/{complaint.pk}/"' in body
    assert "Perizinan" in body
    # An official without the complaints role does not get it.
    other = verified_client(make_person(tenant_a, roles=["licensing_front_office"]))
    assert complaint.number not in other.get(f"/t/{tenant_a.slug}/queue/").content.decode()


def test_manifest_label_follows_the_language_of_the_request():
    manifest = get_manifest("licensing")
    with translation.override("en"):
        assert str(manifest.label) == "Licensing"
    with translation.override("id"):
        assert str(manifest.label) == "Perizinan"


def test_tenant_home_and_admin_messages_name_the_module_in_the_readers_language(tenant_a, make_person):
    set_module_enabled(actor=None, tenant=tenant_a, module="licensing", enabled=True)
    visitor = Client()
    assert (
        "Perizinan</a> — Perizinan online: permohonan" in visitor.get(f"/t/{tenant_a.slug}/").content.decode()
    )
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    home = visitor.get(f"/t/{tenant_a.slug}/").content.decode()
    assert "Licensing</a> — Online licensing: applications, verification" in home

    admin = verified_client(make_person(tenant_a, roles=["tenant_admin"]))
    admin.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    switched = admin.post(
        f"/t/{tenant_a.slug}/manage/modules/licensing/switch/", {"enabled": "0"}, follow=True
    )
    assert "Module Licensing disabled." in switched.content.decode()
