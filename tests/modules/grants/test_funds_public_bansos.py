"""Bansos to individuals on the public recipient record: a masked name, the kecamatan, amount,
programme and disbursement date once the case is in an approved decree; never NIK, KK or address."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.cache import cache
from django.test import Client

from praja.core.calendar.selectors import local_date
from praja.core.reference.models import Area, AreaLevel
from praja.core.tenancy.context import use_tenant
from praja.core.workflow.actions import transition
from praja.core.workflow.models import CaseEvent
from praja.modules.grants import actions
from praja.modules.grants.screening.models import Beneficiary
from praja.modules.grants.testing import make_programme

pytestmark = pytest.mark.django_db

NIK = "3273014101900007"
KK = "3273010101900001"
ADDRESS = "Jl. Rahasia Pribadi No. 13 RT 02 RW 05"


@pytest.fixture
def bansos_record(grants_office):
    office = grants_office
    with use_tenant(office.tenant):
        village = (
            Area.objects.filter(level=AreaLevel.VILLAGE, parent_code="32.73.02").order_by("code").first()
        )
        district = Area.objects.get(code="32.73.02")
        beneficiary = Beneficiary.objects.create(
            nik=NIK,
            kk_number=KK,
            full_name="Siti Nurhaliza",
            birth_date=datetime.date(1990, 1, 1),
            sex="P",
            address=ADDRESS,
            area=village,
            data_source="local",
        )
        programme = make_programme("bansos-2027", kind="bansos", name="Bansos Warga Rentan")

        def register(name, amount, beneficiary=None):
            return actions.register_bansos_case(
                actor=office.admin,
                programme=programme,
                beneficiary=beneficiary,
                recipient_name=name,
                recipient_address=ADDRESS,
                amount=amount,
                social_data_source="dtsen",
                social_data_reference=f"DTSEN-{amount}",
            )

        siti = register("Siti Nurhaliza", 2_400_000, beneficiary)
        ujang = register("Ujang Koswara", 1_800_000)
        for case in (siti, ujang):
            actions.verify_bansos_case(actor=office.admin, case=case)
            actions.screen_bansos_case(actor=office.admin, case=case)
        decree = actions.build_decree(actor=office.admin, programme=programme)
        actions.approve_decree(actor=office.head, decree=decree, otp_verified=True)
        pending = register("Dedi Mulyadi", 900_000)  # registered only: not public
        siti.refresh_from_db()
        transition(siti, "record_bank_confirmation", actor=None)
        disbursed_at = CaseEvent.objects.get(object_id=str(siti.pk), to_status="disbursed").occurred_at
    return {
        "office": office,
        "siti": siti,
        "ujang": ujang,
        "pending": pending,
        "district": district.name,
        "paid_on": local_date(office.tenant, disbursed_at).isoformat(),
    }


def url(tenant, path):
    return f"/t/{tenant.slug}/grants/{path}"


def _no_personal_data(text: str) -> None:
    for secret in (NIK, KK, ADDRESS, "Siti Nurhaliza", "Ujang Koswara", "Dedi", "DTSEN-"):
        assert secret not in text


def test_the_page_lists_decreed_bansos_recipients_masked(bansos_record):
    tenant = bansos_record["office"].tenant
    response = Client().get(url(tenant, "public/penerima/"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 id="bansos-perorangan">Penerima bansos perorangan</h2>' in html
    assert "2 penerima bansos perorangan yang sudah ditetapkan" in html
    assert "0 penerima" in html  # no hibah proposals awarded yet
    siti_row = html.split(f'<th scope="row">{bansos_record["siti"].number}</th>')[1].split("</tr>")[0]
    assert "S*** N***" in siti_row
    assert bansos_record["district"] in siti_row
    assert "Rp2.400.000" in siti_row
    assert bansos_record["paid_on"] in siti_row
    ujang_row = html.split(f'<th scope="row">{bansos_record["ujang"].number}</th>')[1].split("</tr>")[0]
    assert "U*** K***" in ujang_row and "Rp1.800.000" in ujang_row
    assert bansos_record["pending"].number not in html
    _no_personal_data(html)


def test_the_downloads_list_bansos_recipients_exactly(bansos_record):
    tenant = bansos_record["office"].tenant
    siti, ujang = bansos_record["siti"], bansos_record["ujang"]
    csv_text = b"".join(Client().get(url(tenant, "public/penerima.csv")).streaming_content).decode()
    lines = csv_text.lstrip("\ufeff").splitlines()
    assert lines[1:] == [
        f"{ujang.number},U*** K***,,Bansos Warga Rentan,2027,Bansos Warga Rentan,1800000,0,,bansos",
        f"{siti.number},S*** N***,{bansos_record['district']},Bansos Warga Rentan,2027,Bansos Warga Rentan,"
        f"2400000,2400000,{bansos_record['paid_on']},bansos",
    ]
    _no_personal_data(csv_text)
    raw = b"".join(Client().get(url(tenant, "public/penerima.json")).streaming_content).decode()
    _no_personal_data(raw)
    body = json.loads(raw)
    assert body["recipients"][1] == {
        "number": siti.number,
        "recipient": "S*** N***",
        "kecamatan": bansos_record["district"],
        "programme": "Bansos Warga Rentan",
        "year": 2027,
        "purpose": "Bansos Warga Rentan",
        "amount": 2_400_000,
        "disbursed": 2_400_000,
        "disbursed_on": bansos_record["paid_on"],
        "lpj_status": "bansos",
        "lpj_status_label": "Bansos perorangan (tanpa LPJ)",
    }
    filtered = json.loads(
        b"".join(Client().get(url(tenant, "public/penerima.json?kecamatan=32.73.02")).streaming_content)
    )
    assert [item["number"] for item in filtered["recipients"]] == [siti.number]
    by_lpj = json.loads(
        b"".join(Client().get(url(tenant, "public/penerima.json?lpj=submitted")).streaming_content)
    )
    assert by_lpj["recipients"] == []


def test_the_page_with_bansos_keeps_the_query_bound(bansos_record, django_assert_max_num_queries):
    tenant = bansos_record["office"].tenant
    client = Client()
    client.get(url(tenant, "public/penerima/"))  # warm the kecamatan cache
    cache.clear()
    with django_assert_max_num_queries(6):
        assert client.get(url(tenant, "public/penerima/")).status_code == 200


def test_bansos_pages_count_in_the_same_query(bansos_record):
    from praja.modules.grants.funds.public import selectors

    siti, ujang = bansos_record["siti"], bansos_record["ujang"]
    with use_tenant(bansos_record["office"].tenant):
        first, total = selectors.list_bansos_page(selectors.RecipientFilters(), page=1, page_size=1)
        second, total_again = selectors.list_bansos_page(selectors.RecipientFilters(), page=2, page_size=1)
        none, zero = selectors.list_bansos_page(selectors.RecipientFilters(year=2026), page=1)
    assert (total, total_again, zero, none) == (2, 2, 0, [])
    assert [first[0]["number"], second[0]["number"]] == [ujang.number, siti.number]


def test_the_bansos_section_is_translated(bansos_record):
    tenant = bansos_record["office"].tenant
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get(url(tenant, "public/penerima/")).content.decode()
    assert "Individual social aid recipients" in html
    assert "2 individual social aid recipients listed in a decree of the head of region" in html


def api(tenant, path):
    return f"/t/{tenant.slug}/api/v1/grants/{path}"


def test_the_api_lists_bansos_recipients_masked_after_the_grants(bansos_record):
    tenant = bansos_record["office"].tenant
    siti, ujang = bansos_record["siti"], bansos_record["ujang"]
    response = Client().get(api(tenant, "public/recipients/"))
    assert response.status_code == 200
    _no_personal_data(response.content.decode())
    body = response.json()
    assert body["count"] == 2
    assert [item["number"] for item in body["results"]] == [ujang.number, siti.number]
    assert body["results"][1] == {
        "number": siti.number,
        "recipient": "S*** N***",
        "kecamatan": bansos_record["district"],
        "programme": "Bansos Warga Rentan",
        "year": 2027,
        "purpose": "Bansos Warga Rentan",
        "amount": 2_400_000,
        "disbursed": 2_400_000,
        "disbursed_on": bansos_record["paid_on"],
        "lpj_status": "bansos",
        "lpj_status_label": "Bansos perorangan (tanpa LPJ)",
        "proposal_id": None,
    }
    assert bansos_record["pending"].number not in response.content.decode()
    client = Client()
    by_district = client.get(api(tenant, "public/recipients/?kecamatan=32.73.02")).json()
    assert [item["number"] for item in by_district["results"]] == [siti.number]
    assert client.get(api(tenant, "public/recipients/?lpj=submitted")).json()["count"] == 0
    only_bansos = client.get(api(tenant, "public/recipients/?lpj=bansos")).json()
    assert only_bansos["count"] == 2
    second_page = client.get(api(tenant, "public/recipients/?page_size=1&page=2")).json()
    assert [item["number"] for item in second_page["results"]] == [siti.number]


def test_the_api_pages_across_grants_and_bansos(bansos_record, in_tenant_awarded_grant):
    """One awarded hibah proposal, then the two bansos cases: a page may span both lists."""
    tenant = bansos_record["office"].tenant
    siti, ujang = bansos_record["siti"], bansos_record["ujang"]
    client = Client()
    first = client.get(api(tenant, "public/recipients/?page_size=2")).json()
    assert first["count"] == 3
    assert [item["number"] for item in first["results"]] == [in_tenant_awarded_grant, ujang.number]
    assert first["results"][0]["proposal_id"] is not None
    second = client.get(api(tenant, "public/recipients/?page_size=2&page=2")).json()
    assert [item["number"] for item in second["results"]] == [siti.number]


@pytest.fixture
def in_tenant_awarded_grant(bansos_record):
    from praja.modules.grants.testing import place_proposal

    office = bansos_record["office"]
    with use_tenant(office.tenant):
        proposal = place_proposal(office.representative, office.programme, office.organisation, "nphd_signed")
    return proposal.number


def test_the_yearly_report_counts_bansos_individuals_without_an_lpj(bansos_record):
    tenant = bansos_record["office"].tenant
    response = Client().get(api(tenant, "public/report/2027/"))
    assert response.status_code == 200
    _no_personal_data(response.content.decode())
    report = response.json()
    bansos = {row["code"]: row for row in report["programmes"]}["bansos-2027"]
    assert (
        bansos["recipients_awarded"],
        bansos["recipients_paid"],
        bansos["individuals_paid"],
        bansos["recipients_owing_lpj"],
        bansos["disbursed"],
        bansos["compliance_percent"],
    ) == (2, 1, 1, 0, 2_400_000, None)
    assert (report["disbursed"], report["recipients_paid"], report["individuals_paid"]) == (2_400_000, 1, 1)
    assert report["compliance_percent"] is None  # nobody owes an LPJ yet
    html = Client().get(url(tenant, "public/laporan/?tahun=2027")).content.decode()
    _no_personal_data(html)
    row = html.split('data-programme="bansos-2027"')[1].split("</tr>")[0]
    assert "Rp2.400.000" in row
    assert "Tidak berlaku (bansos perorangan tanpa LPJ)" in row
    assert "termasuk 1 penerima bansos perorangan" in html


@pytest.mark.parametrize(
    "path",
    ["public/recipients/", "public/recipients/?lpj=bansos", "public/report/2027/", "public/stages/"],
)
def test_no_personal_data_of_bansos_individuals_in_the_api(bansos_record, path):
    tenant = bansos_record["office"].tenant
    response = Client().get(api(tenant, path))
    assert response.status_code == 200
    _no_personal_data(response.content.decode())
