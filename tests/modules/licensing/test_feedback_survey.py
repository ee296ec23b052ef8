"""The satisfaction survey: one response per issued application, kiosk responses, IKM selectors,
the dashboard, the yearly report PDF and the API."""

from __future__ import annotations

import datetime
import time
from decimal import Decimal

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from praja.core.tenancy.context import use_tenant
from praja.modules.licensing.feedback import actions, selectors
from praja.modules.licensing.feedback.constants import IKM_ELEMENT_CODES
from praja.modules.licensing.feedback.models import IkmReport, SurveyAnswer, SurveyResponse
from praja.modules.licensing.feedback.testing import make_application, make_office, make_permit_type

pytestmark = pytest.mark.django_db

PROFILE = {"age_band": "30-39", "sex": "P", "education": "s1", "occupation": "wirausaha"}


def _answers(score=4, **overrides):
    return {code: overrides.get(code, score) for code in IKM_ELEMENT_CODES}


def _form(score=4, **extra):
    return {**{code: str(score) for code in IKM_ELEMENT_CODES}, **PROFILE, "suggestion": "", **extra}


@pytest.fixture
def issued(tenant_a, make_person):
    applicant = make_person(tenant_a)
    with use_tenant(tenant_a):
        application = make_application(applicant, make_permit_type())
    return applicant, application


# Online survey ---------------------------------------------------------------------------------


def test_applicant_fills_the_survey_once(tenant_a, issued, login_client):
    applicant, application = issued
    client = login_client(applicant)
    url = f"/t/{tenant_a.slug}/licensing/survey/{application.pk}/"
    with use_tenant(tenant_a):
        assert selectors.has_survey_response(application) is False
    assert client.get(url).status_code == 200
    response = client.post(url, _form(3, suggestion="Ruang tunggu nyaman."))
    assert (
        response.status_code == 200 and "Jawaban survei Anda sudah kami terima" in response.content.decode()
    )
    with use_tenant(tenant_a):
        stored = SurveyResponse.objects.get()
        assert selectors.has_survey_response(application) is True
        assert (stored.channel, stored.respondent, stored.permit_type, stored.org_unit) == (
            "online",
            applicant,
            application.permit_type,
            application.permit_type.responsible_org_unit,
        )
        assert sorted(SurveyAnswer.objects.values_list("element", "score")) == [
            (c, 3) for c in IKM_ELEMENT_CODES
        ]
    again = client.post(url, _form(1))
    body = again.content.decode()
    assert "sudah diisi" in body
    with use_tenant(tenant_a):
        assert SurveyResponse.objects.count() == 1
        assert set(SurveyAnswer.objects.values_list("score", flat=True)) == {3}


def test_second_attempt_through_the_action_says_already_filled(tenant_a, issued):
    applicant, application = issued
    with use_tenant(tenant_a):
        actions.submit_survey_response(
            actor=applicant, application=application, answers=_answers(), demographics=PROFILE
        )
        with pytest.raises(actions.SurveyAlreadyFilled) as error:
            actions.submit_survey_response(
                actor=applicant, application=application, answers=_answers(1), demographics=PROFILE
            )
        assert error.value.message.startswith(
            f"Survei kepuasan untuk permohonan {application.tracking_number} sudah diisi"
        )
        # The database enforces it too, whatever path a second row takes.
        with pytest.raises(IntegrityError), transaction.atomic():
            SurveyResponse.objects.create(channel="online", application=application, **PROFILE)
        assert SurveyResponse.objects.count() == 1


def test_survey_waits_for_issue_and_refuses_others(tenant_a, make_person, issued):
    applicant, application = issued
    with use_tenant(tenant_a):
        pending = make_application(applicant, application.permit_type, status="technical_review")
        with pytest.raises(ValidationError) as error:
            actions.submit_survey_response(
                actor=applicant, application=pending, answers=_answers(), demographics=PROFILE
            )
        assert error.value.messages == ["Survei kepuasan dapat diisi setelah izin terbit."]
        stranger = make_person(tenant_a)
        with pytest.raises(PermissionDenied):
            actions.submit_survey_response(
                actor=stranger, application=application, answers=_answers(), demographics=PROFILE
            )
        with pytest.raises(ValidationError) as invalid:
            actions.submit_survey_response(
                actor=applicant,
                application=application,
                answers=_answers(U3=5) | {"U9": ""},
                demographics={**PROFILE, "sex": "X"},
            )
        assert invalid.value.message_dict == {
            "U3": ["Nilai unsur U3 harus 1, 2, 3 atau 4."],
            "U9": ["Pilih nilai 1–4 untuk unsur U9."],
        }
        assert not SurveyResponse.objects.exists()


def test_survey_page_permission_matrix(tenant_a, tenant_b, issued, make_person, login_client, client):
    applicant, application = issued
    url = f"/t/{tenant_a.slug}/licensing/survey/{application.pk}/"
    assert "login" in client.get(url)["Location"]
    assert login_client(make_person(tenant_b)).get(url).status_code == 404  # another region
    assert login_client(make_person(tenant_a)).get(url).status_code == 404  # another citizen
    # Even the head of DPMPTSP, who may read the file, does not answer the applicant's survey.
    head = make_person(tenant_a, roles=["licensing_back_office"])
    assert login_client(head).post(url, _form()).status_code == 404
    with use_tenant(tenant_a):
        assert not SurveyResponse.objects.exists()
    assert login_client(applicant).get(url).status_code == 200


# Kiosk -----------------------------------------------------------------------------------------


def _started(seconds_ago=30):
    return signing.dumps(time.time() - seconds_ago, salt="licensing-feedback-form-started")


def test_kiosk_survey_anonymous_spam_checked_and_rate_limited(client, tenant_a):
    with use_tenant(tenant_a):
        permit_type = make_permit_type()
    url = f"/t/{tenant_a.slug}/licensing/survey/kiosk/"
    assert client.get(url).status_code == 200
    bot = client.post(url, _form(website="x", started=_started()))
    assert bot.status_code == 400 and "terdeteksi otomatis" in bot.content.decode()
    with use_tenant(tenant_a):
        assert not SurveyResponse.objects.exists()
    for _number in range(5):
        assert client.post(url, _form(permit_type=permit_type.pk, started=_started())).status_code == 200
    limited = client.post(url, _form(started=_started()))
    assert limited.status_code == 429 and "Terlalu banyak kiriman" in limited.content.decode()
    with use_tenant(tenant_a):
        assert (
            SurveyResponse.objects.filter(channel="kiosk", application=None, permit_type=permit_type).count()
            == 5
        )


# IKM figures -----------------------------------------------------------------------------------


def _kiosk(permit_type, answers, *, when=None, profile=PROFILE):
    response = actions.submit_kiosk_survey(
        permit_type=permit_type,
        answers=answers,
        demographics=profile,
        client_key=f"k-{time.time()}-{id(answers)}",
    )
    if when is not None:
        SurveyResponse.objects.filter(pk=response.pk).update(submitted_at=when)
    return response


def test_ikm_selectors_reproduce_the_worked_example(tenant_a):
    # 29 respondents: 19 give 4 and 10 give 3 on U1–U8; 20 give 4 and 9 give 3 on U9 (see
    # test_feedback_rules: Σ NRR = 955/29, IKM exact 91.48, official 91.38).
    with use_tenant(tenant_a):
        permit_type = make_permit_type()
        other = make_permit_type("reklame", "Izin Reklame", office=make_office("DPMPTSP", "DPMPTSP"))
        for index in range(29):
            answers = dict.fromkeys(IKM_ELEMENT_CODES, 4 if index < 19 else 3)
            answers["U9"] = 4 if index < 20 else 3
            _kiosk(permit_type, answers)
        _kiosk(other, _answers(1))
        result = selectors.ikm_for_permit_type(permit_type)
        assert (result.exact, result.official, result.grade, result.respondents) == (
            Decimal("91.48"),
            Decimal("91.38"),
            "A",
            29,
        )
        assert selectors.ikm_for_org_unit(permit_type.responsible_org_unit).official == Decimal("91.38")
        other_result = selectors.ikm_for_permit_type(other)
        assert (other_result.exact, other_result.official, other_result.grade) == (
            Decimal("25.00"),
            Decimal("24.98"),
            "D",
        )
        rows = {row.name: row.result for row in selectors.list_ikm_by_permit_type()}
        assert rows["Surat Izin Praktik Dokter"].respondents == 29 and rows["Izin Reklame"].grade == "D"
        offices = {row.name: row.result.respondents for row in selectors.list_ikm_by_org_unit()}
        assert offices == {"DPMPTSP": 1, "Dinas Kesehatan": 29}
        assert selectors.ikm_for_tenant().respondents == 30


def test_ikm_per_period_in_the_tenants_timezone(tenant_a):
    from zoneinfo import ZoneInfo

    wib = ZoneInfo("Asia/Jakarta")
    with use_tenant(tenant_a):
        permit_type = make_permit_type()
        # 31 March 23:30 WIB is still March (16:30 UTC); 1 April 00:30 WIB is April.
        _kiosk(permit_type, _answers(4), when=datetime.datetime(2026, 3, 31, 23, 30, tzinfo=wib))
        _kiosk(permit_type, _answers(2), when=datetime.datetime(2026, 4, 1, 0, 30, tzinfo=wib))
        _kiosk(permit_type, _answers(3), when=datetime.datetime(2025, 12, 31, 12, 0, tzinfo=wib))
        assert selectors.ikm_for_permit_type(permit_type, "2026-03").official == Decimal("99.90")
        assert selectors.ikm_for_permit_type(permit_type, "2026-04").exact == Decimal("50.00")
        quarter = selectors.ikm_for_permit_type(permit_type, "2026-Q1")
        assert (quarter.respondents, quarter.exact) == (1, Decimal("100.00"))
        year = selectors.ikm_for_permit_type(permit_type, "2026")
        assert (year.respondents, year.exact, year.official, year.grade) == (
            2,
            Decimal("75.00"),
            Decimal("74.93"),
            "C",
        )
        empty = selectors.ikm_for_permit_type(permit_type, "2024")
        assert (empty.exact, empty.official, empty.grade, empty.respondents) == (None, None, "", 0)


def test_ikm_dashboard_permission_matrix(permission_matrix, tenant_a):
    with use_tenant(tenant_a):
        _kiosk(make_permit_type(), _answers(4))
    responses = permission_matrix(
        path=f"/t/{tenant_a.slug}/licensing/ikm/?period=2026",
        kind="page",
        tenant=tenant_a,
        right_roles=["licensing_head"],
        wrong_roles=["licensing_technical"],
    )
    assert "Surat Izin Praktik Dokter" in responses["right_role"].content.decode()


def test_inspector_reads_the_dashboard(tenant_a, make_person, login_client):
    inspector = login_client(make_person(tenant_a, roles=["inspector"]))
    response = inspector.get(f"/t/{tenant_a.slug}/licensing/ikm/?period=2026-13")
    assert response.status_code == 200
    assert "Periode tidak dikenali" in response.content.decode()
    assert 'action="/t/kota-bandung/licensing/ikm/report/"' not in response.content.decode()


def test_yearly_report_pdf_stores_both_figures(tenant_a, tenant_b, make_person, client):
    year = timezone.localdate().year
    with use_tenant(tenant_a):
        permit_type = make_permit_type()
        for index in range(29):
            answers = dict.fromkeys(IKM_ELEMENT_CODES, 4 if index < 19 else 3)
            answers["U9"] = 4 if index < 20 else 3
            _kiosk(permit_type, answers)
    from praja.core.testing.permission_matrix import verified_client

    url = f"/t/{tenant_a.slug}/licensing/ikm/report/"
    assert "login" in client.post(url, {"year": year})["Location"]
    assert (
        verified_client(make_person(tenant_b, roles=["licensing_head"])).post(url, {"year": year}).status_code
        == 404
    )
    assert (
        verified_client(make_person(tenant_a, roles=["inspector"])).post(url, {"year": year}).status_code
        == 403
    )
    with use_tenant(tenant_a):
        assert not IkmReport.objects.exists()
    head = verified_client(make_person(tenant_a, roles=["licensing_head"]))
    response = head.post(url, {"year": year})
    assert response.status_code == 302 and response["Location"].endswith("/licensing/ikm/")
    with use_tenant(tenant_a):
        report = IkmReport.objects.get()
    assert (report.year, report.respondents, report.ikm_exact, report.ikm_official, report.grade) == (
        year,
        29,
        Decimal("91.48"),
        Decimal("91.38"),
        "A",
    )
    assert report.document.document_type == "licensing.ikm_report"
    assert report.document.title == f"Laporan Survei Kepuasan Masyarakat Tahun {year}"


# API -------------------------------------------------------------------------------------------


def test_api_public_ikm_and_kiosk(client, tenant_a):
    with use_tenant(tenant_a):
        permit_type = make_permit_type()
    base = f"/t/{tenant_a.slug}/api/v1/licensing"
    payload = {"answers": _answers(3), "permit_type_code": permit_type.code, **PROFILE}
    created = client.post(f"{base}/surveys/kiosk/", payload, content_type="application/json")
    assert created.status_code == 201 and created.json()["channel"] == "kiosk"
    bad = client.post(
        f"{base}/surveys/kiosk/", {**payload, "answers": _answers(3, U2=7)}, content_type="application/json"
    )
    assert bad.status_code == 400 and "answers" in str(bad.json()["error"]["fields"])
    year = timezone.localdate().year
    body = client.get(f"{base}/ikm/", {"period": str(year)}).json()
    assert body["period"] == str(year) and body["overall"]["respondents"] == 1
    assert body["overall"]["exact"] == "75.00" and body["overall"]["official"] == "74.93"
    assert body["by_permit_type"][0]["name"] == "Surat Izin Praktik Dokter"
    wrong = client.get(f"{base}/ikm/", {"period": "kemarin"})
    assert (
        wrong.status_code == 400 and "Periode tidak dikenali" in wrong.json()["error"]["fields"]["period"][0]
    )


def test_api_survey_permission_matrix(permission_matrix, tenant_a, issued):
    applicant, application = issued
    data = {"application_id": application.pk, "answers": _answers(4), **PROFILE}
    # Officials and strangers get 404 (not their file); the applicant is the only right actor, checked below.
    permission_matrix(
        path=f"/t/{tenant_a.slug}/api/v1/licensing/surveys/",
        method="post",
        data=data,
        tenant=tenant_a,
        right_roles=["licensing_back_office"],
        wrong_roles=["official"],
        expect={"wrong_role": 404, "right_role": 404},
        snapshot=lambda: SurveyResponse.objects.count(),
    )
    from praja.core.testing.permission_matrix import verified_client

    client = verified_client(applicant)
    url = f"/t/{tenant_a.slug}/api/v1/licensing/surveys/"
    assert client.post(url, data, content_type="application/json").status_code == 201
    again = client.post(url, data, content_type="application/json")
    assert again.status_code == 400
    assert "sudah diisi" in again.json()["error"]["message"]
