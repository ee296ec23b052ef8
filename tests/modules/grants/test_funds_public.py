"""The public record without login: recipients (page, CSV, JSON, API), stages, the yearly report
and the "Laporkan" form; never a NIK or an individual's address; bounded queries."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.cache import cache
from django.test import Client

from praja.core.calendar.selectors import local_date
from praja.core.notifications.models import OutboxMessage
from praja.core.reference.models import Area, AreaLevel
from praja.modules.grants.funds import lpj
from praja.modules.grants.funds.errors import FundsRuleViolation
from praja.modules.grants.funds.models import Complaint, Tranche
from praja.modules.grants.funds.testing import make_awarded_grant, make_organisation, make_programme
from praja.modules.grants.models import ProposalStatus
from praja.modules.grants.screening.models import Beneficiary
from praja.modules.licensing.testing import image_upload, pdf_upload
from tests.modules.grants.funds_fixtures import *  # noqa: F403
from tests.modules.grants.funds_fixtures import paid_through

pytestmark = pytest.mark.django_db

INDIVIDUAL_NIK = "3273014101900007"
INDIVIDUAL_ADDRESS = "Jl. Rahasia Pribadi No. 13 RT 02 RW 05"


def kelurahan_of(district_code: str) -> Area:
    return Area.objects.filter(level=AreaLevel.VILLAGE, parent_code=district_code).order_by("code").first()


@pytest.fixture
def record(funds_office, in_tenant):
    """Two programmes of 2026: an organisation paid in full and reported, an individual (bansos
    through a proposal) paid in part, an organisation awarded but not paid; one draft proposal."""
    office = funds_office
    with in_tenant(office.tenant):
        district = Area.objects.get(code="32.73.01")
        hibah = make_programme(code="hibah-ormas-2026", name="Hibah Ormas", envelope=500_000_000)
        social = make_programme(code="bansos-2026", name="Bantuan Sosial Warga", envelope=50_000_000)
        organisation = make_organisation(
            registered_by=office.applicant, name="Yayasan Cahaya Umat", area=kelurahan_of("32.73.01")
        )
        paid = make_awarded_grant(
            applicant=office.applicant,
            programme=hibah,
            organisation=organisation,
            amount=200_000_000,
            number="HBH-2026-000001",
            title="Renovasi madrasah",
        )
        paid_through(office, paid, 200_000_000, sp2d="SP2D-1/LS/2026")
        lpj.submit_lpj(
            actor=office.applicant,
            proposal=paid.proposal,
            usage_report="Selesai.",
            value_reported=180_000_000,
            statement_file=pdf_upload(),
            receipt_files=[pdf_upload()],
            photo_files=[image_upload()],
        )
        beneficiary = Beneficiary.objects.create(
            nik=INDIVIDUAL_NIK,
            kk_number="3273010101900001",
            full_name="Siti Nurhaliza",
            birth_date=datetime.date(1990, 1, 1),
            sex="P",
            address=INDIVIDUAL_ADDRESS,
            area=kelurahan_of("32.73.02"),
            data_source="local",
        )
        individual_org = make_organisation(registered_by=office.applicant, name="Rekening Penyalur Bansos")
        individual = make_awarded_grant(
            applicant=office.applicant,
            programme=social,
            organisation=individual_org,
            amount=10_000_000,
            number="BNS-2026-000001",
            title="Bantuan usaha warung",
        )
        paid_through(office, individual, 4_000_000, sp2d="SP2D-2/LS/2026")
        # Bansos to a person: no organisation, the beneficiary names them (the money went through a
        # channelling account above; here the record shows the person).
        individual.proposal.organisation = None
        individual.proposal.beneficiary = beneficiary
        individual.proposal.save(update_fields=["organisation", "beneficiary"])
        awarded = make_awarded_grant(
            applicant=office.applicant,
            programme=hibah,
            amount=50_000_000,
            number="HBH-2026-000002",
            title="Pelatihan kader posyandu",
        )
        draft = make_awarded_grant(
            applicant=office.applicant, programme=hibah, status=ProposalStatus.DRAFT, number="HBH-2026-000099"
        )
    return {
        "office": office,
        "district": district,
        "paid": paid,
        "individual": individual,
        "awarded": awarded,
        "draft": draft,
        "hibah": hibah,
        "social": social,
    }


def url(tenant, path):
    return f"/t/{tenant.slug}/grants/{path}"


def test_the_recipient_list_shows_the_public_record_without_login(record):
    tenant = record["office"].tenant
    response = Client().get(url(tenant, "public/penerima/"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Penerima hibah dan bansos</h1>" in html
    assert "Yayasan Cahaya Umat" in html
    assert "Sumur Bandung" in html.upper().title() or record["district"].name in html
    assert "Rp200.000.000" in html
    assert "S*** N***" in html
    assert "Siti Nurhaliza" not in html
    assert "HBH-2026-000002" in html and "Belum dicairkan" in html
    assert "HBH-2026-000099" not in html  # a draft is no recipient
    assert "3 penerima" in html


def test_the_downloads_list_every_recipient_exactly(record, in_tenant):
    tenant = record["office"].tenant
    with in_tenant(tenant):
        paid_on = Tranche.objects.get(proposal=record["paid"].proposal).paid_at
    paid_on = local_date(tenant, paid_on).isoformat()
    csv_text = b"".join(Client().get(url(tenant, "public/penerima.csv")).streaming_content).decode()
    district = record["district"].name
    lines = csv_text.lstrip("\ufeff").splitlines()
    assert lines[0] == (
        "nomor,penerima,kecamatan,program,tahun,peruntukan,nilai_hibah,dicairkan,tanggal_pencairan,status_lpj"
    )
    assert (
        lines[3] == f"HBH-2026-000001,Yayasan Cahaya Umat,{district},Hibah Ormas,2026,Renovasi madrasah,"
        f"200000000,200000000,{paid_on},submitted"
    )
    assert lines[1].startswith("HBH-2026-000002,")
    assert len(lines) == 4
    body = json.loads(b"".join(Client().get(url(tenant, "public/penerima.json")).streaming_content))
    numbers = [item["number"] for item in body["recipients"]]
    assert numbers == ["HBH-2026-000002", "BNS-2026-000001", "HBH-2026-000001"]
    individual = body["recipients"][1]
    assert individual["recipient"] == "S*** N***"
    assert (individual["amount"], individual["disbursed"], individual["lpj_status"]) == (
        10_000_000,
        4_000_000,
        "not_due",
    )


@pytest.mark.parametrize(
    "path",
    [
        "public/penerima/",
        "public/penerima.csv",
        "public/penerima.json",
        "public/tahapan/",
        "public/laporan/",
        "INDIVIDUAL",
    ],
)
def test_no_nik_and_no_individual_address_is_ever_public(record, path):
    tenant = record["office"].tenant
    if path == "INDIVIDUAL":
        path = f"public/hibah/{record['individual'].proposal.pk}/"
    response = Client().get(url(tenant, path))
    assert response.status_code == 200
    content = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
    for secret in (INDIVIDUAL_NIK, INDIVIDUAL_ADDRESS, "Siti Nurhaliza", record["office"].applicant.nik):
        assert secret not in content
    api = Client().get(f"/t/{tenant.slug}/api/v1/grants/public/recipients/")
    assert api.status_code == 200
    for secret in (INDIVIDUAL_NIK, INDIVIDUAL_ADDRESS, "Siti Nurhaliza"):
        assert secret not in api.content.decode()


def test_the_api_pages_and_filters_recipients(record):
    tenant = record["office"].tenant
    client = Client()
    first = client.get(f"/t/{tenant.slug}/api/v1/grants/public/recipients/?page_size=2").json()
    assert first["count"] == 3
    assert [row["number"] for row in first["results"]] == ["HBH-2026-000002", "BNS-2026-000001"]
    overdue = client.get(f"/t/{tenant.slug}/api/v1/grants/public/recipients/?lpj=submitted").json()
    assert [row["number"] for row in overdue["results"]] == ["HBH-2026-000001"]
    by_district = client.get(f"/t/{tenant.slug}/api/v1/grants/public/recipients/?kecamatan=32.73.02").json()
    assert [row["number"] for row in by_district["results"]] == ["BNS-2026-000001"]
    bad = client.get(f"/t/{tenant.slug}/api/v1/grants/public/recipients/?kecamatan=bandung")
    assert bad.status_code == 400
    assert (
        bad.json()["error"]["fields"] == {"kecamatan": ["Masukkan nilai yang valid."]}
        or bad.json()["error"]["code"] == "invalid"
    )


def test_the_stages_list_shows_every_submitted_proposal(record):
    tenant = record["office"].tenant
    html = Client().get(url(tenant, "public/tahapan/")).content.decode()
    assert "<h1>Tahapan proposal hibah</h1>" in html
    assert "LPJ diserahkan" in html and "NPHD ditandatangani" in html
    assert "HBH-2026-000099" not in html
    api = Client().get(f"/t/{tenant.slug}/api/v1/grants/public/stages/").json()
    assert [row["stage"] for row in api["results"]] == ["nphd_signed", "in_progress", "lpj_submitted"]


def test_the_yearly_report_adds_up(record):
    tenant = record["office"].tenant
    report = Client().get(f"/t/{tenant.slug}/api/v1/grants/public/report/2026/").json()
    assert (report["budget"], report["disbursed"], report["disbursed_percent"]) == (
        550_000_000,
        204_000_000,
        37.1,
    )
    assert (report["recipients_paid"], report["recipients_reported"], report["value_reported"]) == (
        2,
        1,
        180_000_000,
    )
    assert report["compliance_percent"] == 50.0
    by_code = {row["code"]: row for row in report["programmes"]}
    assert by_code["hibah-ormas-2026"]["disbursed_percent"] == 40.0
    assert by_code["hibah-ormas-2026"]["compliance_percent"] == 100.0
    assert by_code["bansos-2026"]["compliance_percent"] == 0.0
    html = Client().get(url(tenant, "public/laporan/?tahun=2026")).content.decode()
    assert "Rp204.000.000 (37,1 %)" in html
    assert Client().get(url(tenant, "public/laporan/?tahun=1999")).status_code == 404


def test_the_yearly_report_downloads_as_csv_with_the_same_figures(record):
    """Analysts get the page's figures as one table: a row per programme, the year, each office."""
    import csv
    import io

    tenant = record["office"].tenant
    page = Client().get(url(tenant, "public/laporan/?tahun=2026")).content.decode()
    assert f"/t/{tenant.slug}/grants/public/laporan.csv?tahun=2026" in page
    response = Client().get(url(tenant, "public/laporan.csv?tahun=2026"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"laporan-hibah-bansos-{tenant.slug}-2026.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    total = next(row for row in rows if row["bagian"] == "total")
    assert (total["nama"], total["anggaran"], total["realisasi"], total["persen_realisasi"]) == (
        "2026",
        "550000000",
        "204000000",
        "37.10",
    )
    assert (total["penerima_dicairkan"], total["menyerahkan_lpj"], total["nilai_lpj"]) == (
        "2",
        "1",
        "180000000",
    )
    assert total["persen_kepatuhan_lpj"] == "50.00"
    programmes = [row for row in rows if row["bagian"] == "program"]
    assert len(programmes) == 2
    assert [row for row in rows if row["bagian"] == "perangkat_daerah"]
    assert Client().get(url(tenant, "public/laporan.csv?tahun=1999")).status_code == 404
    assert Client().get(url(tenant, "public/laporan.csv?tahun=dua")).status_code == 404


def test_the_public_list_costs_the_same_queries_for_many_rows(
    record, funds_office, in_tenant, django_assert_max_num_queries
):
    tenant = record["office"].tenant
    client = Client()
    client.get(url(tenant, "public/penerima/"))  # warm the kecamatan cache
    with django_assert_max_num_queries(6):
        assert client.get(url(tenant, "public/penerima/")).status_code == 200
    with in_tenant(tenant):
        for _index in range(30):
            make_awarded_grant(applicant=funds_office.applicant, programme=record["hibah"], amount=1_000_000)
    # The count is cached a minute; past it, the page counts again (still a bounded number of queries).
    assert "3 penerima" in client.get(url(tenant, "public/penerima/")).content.decode()
    cache.clear()
    with django_assert_max_num_queries(6):
        response = client.get(url(tenant, "public/penerima/"))
    assert "33 penerima" in response.content.decode()
    with django_assert_max_num_queries(6):
        assert client.get(f"/t/{tenant.slug}/api/v1/grants/public/recipients/").status_code == 200


def test_a_complaint_is_stored_and_sent_to_the_inspectorate(record, in_tenant):
    office = record["office"]
    tenant = office.tenant
    grant_id = record["paid"].proposal.pk
    client = Client()
    short = client.post(url(tenant, f"public/hibah/{grant_id}/"), {"laporan": "Fiktif."})
    assert short.status_code == 400
    assert "sedikitnya 20 karakter" in short.content.decode()
    with in_tenant(tenant):
        assert Complaint.objects.count() == 0
    response = client.post(
        url(tenant, f"public/hibah/{grant_id}/"),
        {"nama": "", "kontak": "", "laporan": "Dana dipotong 20% oleh perantara saat pencairan."},
    )
    assert response.status_code == 200
    with in_tenant(tenant):
        complaint = Complaint.objects.get()
    assert f"kode {complaint.tracking_code}" in response.content.decode()
    assert complaint.text == "Dana dipotong 20% oleh perantara saat pencairan."
    assert (
        OutboxMessage.objects.filter(
            recipient=office.inspector, template="grants_funds/complaint_received"
        ).count()
        == 1
    )
    api = client.post(
        f"/t/{tenant.slug}/api/v1/grants/public/grants/{grant_id}/complaints/",
        {"text": "Kegiatan tidak pernah dilaksanakan di lokasi."},
        content_type="application/json",
    )
    assert api.status_code == 201
    draft = client.post(
        f"/t/{tenant.slug}/api/v1/grants/public/grants/{record['draft'].proposal.pk}/complaints/",
        {"text": "Kegiatan tidak pernah dilaksanakan di lokasi."},
        content_type="application/json",
    )
    assert draft.status_code == 404


def test_the_inspectorate_answers_a_complaint_once(record, in_tenant):
    from praja.core.testing.permission_matrix import verified_client
    from praja.modules.grants.funds import complaints

    office = record["office"]
    tenant = office.tenant
    with in_tenant(tenant):
        complaint = complaints.file_complaint(
            proposal=record["paid"].proposal, text="Bantuan tidak sampai ke warga yang berhak."
        )
    page = f"/t/{tenant.slug}/grants/funds/complaints/{complaint.pk}/"
    inspector = verified_client(office.inspector)
    assert (
        complaint.tracking_code
        in inspector.get(f"/t/{tenant.slug}/grants/funds/complaints/").content.decode()
    )
    empty = inspector.post(page, {"answer": ""})
    assert empty.status_code == 400
    assert (
        inspector.post(page, {"answer": "Sudah diperiksa; dana dikembalikan ke kas daerah."}).status_code
        == 302
    )
    with in_tenant(tenant):
        complaint.refresh_from_db()
        assert complaint.answer == "Sudah diperiksa; dana dikembalikan ke kas daerah."
        assert complaint.answered_by == office.inspector
        with pytest.raises(FundsRuleViolation) as again:
            complaints.answer_complaint(actor=office.inspector, complaint=complaint, answer="Lagi.")
        assert again.value.messages == ["Laporan ini sudah dijawab."]
        with pytest.raises(FundsRuleViolation) as forbidden:
            complaints.answer_complaint(actor=office.treasurer, complaint=complaint, answer="Bukan wewenang.")
        assert forbidden.value.code == "forbidden"


def test_reports_are_limited_per_address_and_grant_with_a_429(record, in_tenant, make_person):
    """Three reports an hour per address and grant (tenant parameter); the fourth is refused in
    Indonesian with HTTP 429, keeps the text, stores nothing; another grant or address still works."""
    from praja.core.tenancy.actions import set_module_parameters
    from praja.modules.grants.funds.public.throttle import DEFAULT_PER_HOUR

    office = record["office"]
    tenant = office.tenant
    grant_id = record["paid"].proposal.pk
    page = url(tenant, f"public/hibah/{grant_id}/")
    text = "Dana dipotong 20% oleh perantara saat pencairan."
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert DEFAULT_PER_HOUR == 3
    for _index in range(2):
        assert client.post(page, {"laporan": text}).status_code == 200
    api = f"/t/{tenant.slug}/api/v1/grants/public/grants/{grant_id}/complaints/"
    assert client.post(api, {"text": text}, content_type="application/json").status_code == 201
    refused = client.post(page, {"nama": "Warga", "laporan": text + " Tambahan."})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    html = refused.content.decode()
    assert "Terlalu banyak laporan dari alamat Anda tentang hibah ini." in html
    assert "Tambahan." in html  # the text is not lost
    api_refused = client.post(api, {"text": text}, content_type="application/json")
    assert api_refused.status_code == 429
    assert api_refused.json()["error"]["message"].startswith("Terlalu banyak permintaan.")
    with in_tenant(tenant):
        assert Complaint.objects.filter(proposal_id=grant_id).count() == 3
    other_grant = url(tenant, f"public/hibah/{record['awarded'].proposal.pk}/")
    assert client.post(other_grant, {"laporan": text}).status_code == 200
    assert Client(REMOTE_ADDR="203.0.113.8").post(page, {"laporan": text}).status_code == 200
    # Invalid reports do not count: the form answers 400 and the limit is untouched.
    fresh = Client(REMOTE_ADDR="198.51.100.1")
    for _index in range(5):
        assert fresh.post(page, {"laporan": "pendek"}).status_code == 400
    assert fresh.post(page, {"laporan": text}).status_code == 200
    # The tenant admin raises the limit; the same address may report again.
    set_module_parameters(
        actor=make_person(tenant, roles=["tenant_admin"], full_name="Admin Bandung"),
        tenant=tenant,
        module="grants",
        parameters={"complaints_per_hour_per_grant": 5},
    )
    assert client.post(page, {"laporan": text}).status_code == 200


def test_the_report_limit_answers_in_english_too(record):
    tenant = record["office"].tenant
    page = url(tenant, f"public/hibah/{record['paid'].proposal.pk}/")
    client = Client(REMOTE_ADDR="203.0.113.9", HTTP_ACCEPT_LANGUAGE="en")
    for _index in range(3):
        client.post(page, {"laporan": "Dana dipotong 20% oleh perantara saat pencairan."})
    refused = client.post(page, {"laporan": "Dana dipotong 20% oleh perantara saat pencairan."})
    assert refused.status_code == 429
    assert "Too many reports from your address about this grant." in refused.content.decode()
