"""Public tracking by tracking number: status and dates only, unknown numbers look alike, rate limit."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from praja.core.workflow.models import CaseEvent, SlaClock
from praja.modules.licensing.payments.testing import make_application, make_permit_type

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
SUBMITTED = datetime.datetime(2026, 2, 2, 9, 0, tzinfo=WIB)
REGISTERED = datetime.datetime(2026, 2, 3, 14, 30, tzinfo=WIB)
SECRETS = (
    "Siti Rahmawati",
    "CV Sinar Rahasia",
    "Jl. Cempaka Rahasia",
    "Petugas Budi",
    "salah ketik",
    "siti@",
)


@pytest.fixture
def tracked(tenant_a, in_tenant, make_person):
    from praja.modules.licensing.models import Application, ApplicationReturn

    applicant = make_person(tenant_a, full_name="Siti Rahmawati", email="siti@contoh.id")
    officer = make_person(tenant_a, roles=["licensing_front_office"], full_name="Petugas Budi")
    permit_type = make_permit_type(tenant_a, name="Izin Reklame", sla_working_days=5)
    application = make_application(
        tenant_a,
        permit_type=permit_type,
        applicant=applicant,
        status="technical_review",
        tracking_number="BDG-2026-000123",
        organisation_name="CV Sinar Rahasia",
        form_data={"alamat": "Jl. Cempaka Rahasia 12"},
        submitted_at=SUBMITTED,
        registered_at=REGISTERED,
    )
    with in_tenant(tenant_a):
        content_type = ContentType.objects.get_for_model(Application)
        for transition, source, target, moment in [
            ("submit", "draft", "submitted", SUBMITTED),
            ("return", "submitted", "returned", SUBMITTED + datetime.timedelta(hours=2)),
            ("resubmit", "returned", "submitted", SUBMITTED + datetime.timedelta(hours=5)),
            ("register", "submitted", "registered", REGISTERED),
            ("start_review", "registered", "technical_review", REGISTERED + datetime.timedelta(hours=1)),
        ]:
            CaseEvent.objects.create(
                content_type=content_type,
                object_id=str(application.pk),
                workflow="licensing.application",
                transition=transition,
                from_status=source,
                to_status=target,
                actor=officer,
                actor_label="Petugas Budi",
                reason="NIK salah ketik" if transition == "return" else "",
                occurred_at=moment,
            )
        SlaClock.objects.create(
            content_type=content_type,
            object_id=str(application.pk),
            workflow="licensing.application",
            working_days=5,
            started_at=REGISTERED,
            due_at=datetime.datetime(2026, 2, 10, 23, 59, 59, tzinfo=WIB),
        )
        ApplicationReturn.objects.create(
            application=application,
            stage="completeness",
            requirement_codes=["ktp"],
            reason="NIK salah ketik",
            returned_by=officer,
            returned_at=SUBMITTED + datetime.timedelta(hours=2),
        )
    return application


def api(tenant, number: str, client: Client | None = None):
    return (client or Client()).get(f"/t/{tenant.slug}/api/v1/licensing/tracking/{number}/")


def test_tracking_shows_status_and_dates(tenant_a, tracked):
    now = datetime.datetime(2026, 2, 5, 12, 0, tzinfo=WIB)
    from praja.core.tenancy.context import use_tenant
    from praja.modules.licensing.public.selectors import track_application

    with use_tenant(tenant_a):
        answer = track_application(" bdg-2026-000123 ", now=now)
    assert answer.found and answer.tracking_number == "BDG-2026-000123"
    assert answer.status == "technical_review"
    assert answer.permit_type == "Izin Reklame"
    assert answer.sla_working_days == 5
    assert answer.sla_working_days_left == 3  # Fri 6, Mon 9, Tue 10 February
    assert [step.status for step in answer.steps] == [
        "submitted",
        "returned",
        "submitted",
        "registered",
        "technical_review",
    ]

    body = api(tenant_a, "BDG-2026-000123").json()
    assert body["found"] is True
    assert body["status_label"] == "Kajian teknis"
    assert body["registered_at"] == "2026-02-03T14:30:00+07:00"
    assert body["sla_due_at"] == "2026-02-10T23:59:59+07:00"
    assert [step["status"] for step in body["steps"]][-1] == "technical_review"


def test_tracking_answer_is_the_api_s_usual_json(tenant_a, tracked):
    from rest_framework.renderers import JSONRenderer

    response = api(tenant_a, "BDG-2026-000123", Client(HTTP_ACCEPT_LANGUAGE="id"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    # The bytes any other endpoint's renderer would write for the same answer (compact, UTF-8).
    assert response.content == JSONRenderer().render(response.json())
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert response["Vary"] == "Accept-Language"  # the labels speak the caller's language


def test_tracking_answers_in_each_callers_language(tenant_a, tracked):
    # The labels are translated once per language and kept: a caller in English must not change
    # what the next caller in Indonesian reads, nor the other way round.
    def words(language):
        body = (
            Client(HTTP_ACCEPT_LANGUAGE=language)
            .get(f"/t/{tenant_a.slug}/api/v1/licensing/tracking/BDG-2026-000123/")
            .json()
        )
        return body["status_label"], body["holder"], [step["status_label"] for step in body["steps"]]

    indonesian = words("id")
    assert indonesian[:2] == ("Kajian teknis", "Tim teknis")
    assert (indonesian[2][0], indonesian[2][-1]) == ("Diajukan", "Kajian teknis")
    english = words("en")
    assert english[:2] == ("Technical review", "Technical team")
    assert (english[2][0], english[2][-1]) == ("Submitted", "Technical review")
    assert words("id") == indonesian
    assert words("en") == english


def test_tracking_shows_no_personal_data(tenant_a, tracked):
    text = api(tenant_a, "BDG-2026-000123").content.decode()
    page = Client().get(f"/t/{tenant_a.slug}/licensing/lacak/", {"nomor": "BDG-2026-000123"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kajian teknis" in html and "Izin Reklame" in html
    for secret in (*SECRETS, tracked.applicant.nik, tracked.applicant.email):
        assert secret not in text, secret
        assert secret not in html, secret
    assert set(api(tenant_a, "BDG-2026-000123").json()) == {
        "tracking_number",
        "found",
        "status",
        "status_label",
        "holder",
        "permit_type",
        "submitted_at",
        "registered_at",
        "issued_at",
        "sla_working_days",
        "sla_due_at",
        "sla_working_days_left",
        "sla_paused",
        "steps",
    }


def test_unknown_draft_malformed_and_other_tenant_numbers_answer_alike(
    tenant_a, tenant_b, tracked, in_tenant
):
    make_application(tenant_a, status="draft", tracking_number="BDG-2026-000999")
    make_application(tenant_b, status="registered", tracking_number="SRG-2026-000001")

    def unknown_shape(number):
        response = api(tenant_a, number)
        assert response.status_code == 200
        body = response.json()
        body.pop("tracking_number")
        return body

    answers = [
        unknown_shape(number)
        for number in ("BDG-2026-000124", "BDG-2026-000999", "SRG-2026-000001", "x", "%3Cscript%3E", "A" * 39)
    ]
    assert all(answer == answers[0] for answer in answers)
    assert answers[0] == {
        "found": False,
        "status": None,
        "status_label": None,
        "holder": None,
        "permit_type": None,
        "submitted_at": None,
        "registered_at": None,
        "issued_at": None,
        "sla_working_days": None,
        "sla_due_at": None,
        "sla_working_days_left": None,
        "sla_paused": None,
        "steps": [],
    }
    page = Client().get(f"/t/{tenant_a.slug}/licensing/lacak/", {"nomor": "BDG-2026-000999"})
    assert "Permohonan dengan nomor BDG-2026-000999 tidak ditemukan." in page.content.decode()


def test_tracking_is_rate_limited_per_address(tenant_a, tracked, settings):
    settings.PRAJA_LICENSING_TRACKING_PER_MINUTE = 3
    client = Client()
    assert [api(tenant_a, f"BDG-2026-00012{index}", client).status_code for index in range(3)] == [200] * 3
    refused = api(tenant_a, "BDG-2026-000123", client)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert "found" not in refused.json()
    page = client.get(f"/t/{tenant_a.slug}/licensing/lacak/", {"nomor": "BDG-2026-000123"})
    assert page.status_code == 429
    assert "Terlalu banyak pencarian dari alamat Anda" in page.content.decode()
    assert "Kajian teknis" not in page.content.decode()


def test_tracking_query_count_is_bounded(tenant_a, tracked, django_assert_max_num_queries):
    client = Client()
    api(tenant_a, "BDG-2026-000123", client)  # warm the tenant and content-type caches
    with django_assert_max_num_queries(4):
        assert api(tenant_a, "BDG-2026-000123", client).json()["found"] is True


def test_tracking_page_without_a_number_shows_the_form(tenant_a):
    page = Client().get(f"/t/{tenant_a.slug}/licensing/lacak/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="nomor"' in html and "Lacak permohonan izin" in html
    empty = Client().get(f"/t/{tenant_a.slug}/licensing/lacak/", {"nomor": ""})
    assert empty.status_code == 400
    assert "Isi nomor pendaftaran yang tertera pada bukti pendaftaran." in empty.content.decode()
