"""Public statistics per permit type, exact on a constructed data set, with a bounded query count."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from praja.core.workflow.models import SlaClock
from praja.modules.licensing.payments.testing import make_application, make_permit_type

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, 0, tzinfo=WIB)


def add_clock(application, *, paused: int, sla: int):
    from praja.modules.licensing.models import Application

    SlaClock.objects.create(
        content_type=ContentType.objects.get_for_model(Application),
        object_id=str(application.pk),
        workflow="licensing.application",
        working_days=sla,
        started_at=application.registered_at,
        due_at=application.registered_at + datetime.timedelta(days=30),
        paused_working_days=paused,
        stopped_at=application.issued_at,
    )


@pytest.fixture
def data_set(tenant_a, tenant_b, in_tenant, make_person):
    from praja.core.calendar.actions import add_tenant_holiday
    from praja.modules.licensing.models import ApplicationReturn, Requirement, RequirementSet

    officer = make_person(tenant_a, roles=["tenant_admin"])
    reklame = make_permit_type(tenant_a, code="reklame", name="Izin Reklame", sla_working_days=5)
    make_permit_type(tenant_a, code="penelitian", name="Izin Penelitian", sla_working_days=3)
    hidden = make_permit_type(tenant_a, code="rahasia", name="Izin Belum Terbit", is_published=False)
    with in_tenant(tenant_a):
        add_tenant_holiday(actor=officer, date=datetime.date(2026, 3, 25), name="Hari Jadi Kota Uji")
        first = reklame.requirement_sets.get()
        second = RequirementSet.objects.create(permit_type=reklame, version=2, published_at=at(2026, 1, 1))
        Requirement.objects.create(requirement_set=first, code="ktp", label="KTP lama")
        Requirement.objects.create(requirement_set=second, code="ktp", label="KTP elektronik pemohon")
        Requirement.objects.create(requirement_set=second, code="str", label="STR yang masih berlaku")
        Requirement.objects.create(requirement_set=second, code="pas-foto", label="Pas foto 4x6")

    def issued(submitted, registered, issued_at, *, paused, sla=5):
        application = make_application(
            tenant_a,
            permit_type=reklame,
            status="issued",
            submitted_at=submitted,
            registered_at=registered,
            issued_at=issued_at,
        )
        with in_tenant(tenant_a):
            add_clock(application, paused=paused, sla=sla)
        return application

    # Mon 2 Feb -> Thu 5 Feb: 3 working days, within the SLA of 5.
    issued(at(2026, 2, 2, 8), at(2026, 2, 2), at(2026, 2, 5, 15), paused=0)
    # Mon 9 Feb -> Mon 23 Feb: 8 working days (16 cuti bersama and 17 Imlek off), 2 paused: 6 > 5.
    returned = issued(at(2026, 2, 9, 8), at(2026, 2, 9), at(2026, 2, 23), paused=2)
    # Fri 13 Mar -> Thu 26 Mar: 16, 17, 26 (Nyepi, Idul Fitri and the city's own 25 March off): 3.
    issued(at(2026, 3, 13, 8), at(2026, 3, 13), at(2026, 3, 26), paused=0)
    # Filed in 2025 under an SLA of 7: Mon 22 Dec -> Mon 5 Jan, 7 working days, 1 paused: 6 <= 7.
    issued(at(2025, 12, 20), at(2025, 12, 22), at(2026, 1, 5), paused=1, sla=7)
    in_progress = make_application(
        tenant_a,
        permit_type=reklame,
        status="technical_review",
        submitted_at=at(2026, 4, 1),
        registered_at=at(2026, 4, 2),
    )
    make_application(tenant_a, permit_type=reklame, status="rejected", submitted_at=at(2026, 4, 3))
    make_application(tenant_a, permit_type=reklame, status="draft")
    make_application(tenant_a, permit_type=hidden, status="submitted", submitted_at=at(2026, 4, 3))
    other = make_permit_type(tenant_b, code="reklame", name="Izin Reklame Serang")
    make_application(
        tenant_b,
        permit_type=other,
        status="issued",
        submitted_at=at(2026, 2, 2),
        registered_at=at(2026, 2, 2),
        issued_at=at(2026, 2, 3),
    )
    with in_tenant(tenant_a):
        for application, codes in [
            (returned, ["ktp", "str"]),
            (returned, ["str"]),
            (in_progress, ["str", "pas-foto", "str"]),
        ]:
            ApplicationReturn.objects.create(
                application=application,
                stage="completeness",
                requirement_codes=codes,
                reason="Kurang",
                returned_by=officer,
                returned_at=application.submitted_at,
            )
    return reklame


def test_statistics_are_exact_over_all_years(tenant_a, in_tenant, data_set, django_assert_max_num_queries):
    from praja.modules.licensing.public.selectors import ReturnReason, list_permit_type_statistics

    with in_tenant(tenant_a), django_assert_max_num_queries(12):
        rows = list_permit_type_statistics()
    assert [row.code for row in rows] == ["penelitian", "reklame"]
    empty, reklame = rows
    assert (empty.applications, empty.issued, empty.median_working_days_to_issue, empty.share_within_sla) == (
        0,
        0,
        None,
        None,
    )
    assert reklame.applications == 6  # the draft and the unpublished type's file do not count
    assert (reklame.issued, reklame.rejected, reklame.in_progress) == (4, 1, 1)
    assert reklame.median_working_days_to_issue == 4.5  # 3, 3, 6, 6
    assert (reklame.issued_within_sla, reklame.share_within_sla) == (3, 0.75)
    assert (reklame.returns, reklame.applications_returned) == (3, 2)
    assert reklame.top_return_reasons == (
        ReturnReason("str", "STR yang masih berlaku", 3),
        ReturnReason("ktp", "KTP elektronik pemohon", 1),
        ReturnReason("pas-foto", "Pas foto 4x6", 1),
    )


def test_statistics_of_one_year_count_the_files_submitted_that_year(tenant_a, in_tenant, data_set):
    from praja.modules.licensing.public.selectors import get_permit_type_statistics

    with in_tenant(tenant_a):
        row = get_permit_type_statistics(data_set, year=2026)
        assert (row.applications, row.issued, row.median_working_days_to_issue) == (5, 3, 3)
        assert (row.issued_within_sla, round(row.share_within_sla, 4)) == (2, 0.6667)
        assert get_permit_type_statistics(data_set, year=2024).applications == 0


def test_statistics_api_and_page(tenant_a, data_set):
    client = Client()
    body = client.get(f"/t/{tenant_a.slug}/api/v1/licensing/statistics/").json()
    assert [row["code"] for row in body] == ["penelitian", "reklame"]
    reklame = body[1]
    assert {
        key: reklame[key]
        for key in (
            "applications",
            "issued",
            "median_working_days_to_issue",
            "issued_within_sla",
            "share_within_sla",
            "returns",
        )
    } == {
        "applications": 6,
        "issued": 4,
        "median_working_days_to_issue": 4.5,
        "issued_within_sla": 3,
        "share_within_sla": 0.75,
        "returns": 3,
    }
    assert reklame["top_return_reasons"][0] == {
        "requirement_code": "str",
        "label": "STR yang masih berlaku",
        "count": 3,
    }
    one = client.get(f"/t/{tenant_a.slug}/api/v1/licensing/statistics/reklame/", {"year": "2026"}).json()
    assert (one["applications"], one["issued"]) == (5, 3)
    assert client.get(f"/t/{tenant_a.slug}/api/v1/licensing/statistics/rahasia/").status_code == 404
    bad = client.get(f"/t/{tenant_a.slug}/api/v1/licensing/statistics/", {"year": "dua ribu"})
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {"year": ["Tahun harus berupa angka empat digit, mis. 2026."]}

    page = client.get(f"/t/{tenant_a.slug}/licensing/statistik/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Izin Reklame" in html and "Izin Belum Terbit" not in html and "Serang" not in html
    assert "75% (3/4)" in html
    assert "4,5" in html
    assert "STR yang masih berlaku</abbr>: 3" in html
    single = client.get(f"/t/{tenant_a.slug}/licensing/statistik/reklame/", {"tahun": "2026"})
    assert "67% (2/3)" in single.content.decode()
