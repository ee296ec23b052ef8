"""Bansos screening in headless Chromium, with axe on every page.

A Dinas Sosial officer imports a spreadsheet with bad rows; the upload saves the good row, the
screening runs as a background task (the test settings run tasks at once, after the commit) and the
report shows the rejected rows with reasons, offers them as CSV and lists the finding with its
explanation. A verifier signs in with TOTP, reads the finding's evidence as sentences, is refused a
reason that is too short, and clears it with a written reason.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from praja.core.audit.models import AuditEvent
from praja.core.tenancy.context import use_tenant
from praja.modules.grants.screening import actions
from praja.modules.grants.screening.models import Flag, FlagStatus, ImportBatch, ScreeningStatus
from tests.browser.conftest import assert_accessible, log_in_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "NIK,No KK,Nama,Tanggal lahir,Jenis kelamin,Nama ibu,Alamat,RT,RW,Kode kelurahan,Telepon,Sumber data,Referensi"  # noqa: E501
ROWS = [
    # Good, but probably Ahmad Fauzi (registered already) under another NIK.
    "3273011705900099,3273010101090099,Achmad Fauzy,17-05-1990,L,Siti Aminah,Jalan Merdeka 5,1,2,32.73.01.1001,,DTKS,D-99",  # noqa: E501
    # Bad: the birth date disagrees with the NIK.
    "3273011705900005,3273010101090005,Budi Tanggal,18-05-1990,L,Onah,Jl. A 1,,,32.73.01.1001,,DTKS,",
    # Bad: a kelurahan of another region.
    "3273011705900006,3273010101090006,Cucu Serang,17-05-1990,L,Onah,Jl. B 2,,,36.04.05.2001,,DTKS,",
]


# The report page asks for the status every 3 seconds; allow a few rounds on a busy machine.
POLL_WAIT_MS = 12_000


@pytest.fixture(autouse=True)
def _areas(reference_areas):
    """A transactional test's flush empties the area reference; reload it before adding tenants."""


def test_import_report_rejections_and_clearing_a_flag(
    browser, live_url, tenant_a, make_person, totp_for, tmp_path
):
    officer = make_person(tenant_a, roles=["grants_registry_officer"], full_name="Petugas Dinsos")
    verifier = make_person(tenant_a, roles=["grants_screening_verifier"], full_name="Verifikator Dinsos")
    verifier_code = totp_for(verifier)
    with use_tenant(tenant_a):
        actions.register_beneficiary(
            actor=officer, data_source="dtks", nik="3273011705900001", kk_number="3273010101090001",
            full_name="Ahmad Fauzi", birth_date=datetime.date(1990, 5, 17), sex="L", mother_name="Siti Aminah",  # noqa: E501
            address="Jl. Merdeka 5", rt="1", rw="2", area_code="32.73.01.1001",
        )  # fmt: skip

    # 1. The officer uploads the spreadsheet.
    page = browser.new_context(locale="id-ID").new_page()
    imports_url = live_url(tenant_a, "grants/screening/imports/")
    log_in_at(page, imports_url, officer)
    assert_accessible(page)
    page.get_by_label("Berkas penerima (CSV atau XLSX)").set_input_files(
        {"name": "dtks-sukasari.csv", "mimeType": "text/csv", "buffer": "\n".join([HEADER, *ROWS]).encode()}
    )
    page.get_by_role("button", name="Impor").click()
    page.wait_for_url("**/grants/screening/imports/*/")

    # 2. The report: one row in, two rejected with their reasons, screening done with one finding.
    expect(page.get_by_text("1 baris diterima, 2 baris ditolak.")).to_be_visible()
    expect(page.get_by_text("3 baris: 1 diterima, 2 ditolak.")).to_be_visible()
    status = page.locator("section.screening-status").get_by_role("status")
    assert status.inner_text().startswith("Penyaringan selesai — 1 temuan baru.")
    rejected = page.get_by_role("table", name="Baris yang ditolak")
    expect(rejected.get_by_role("row", name="Budi Tanggal")).to_be_visible()
    assert rejected.get_by_text(
        "Tanggal lahir 18-05-1990 tidak sesuai dengan NIK (digit 7-12 menunjukkan 17-05-1990; "
        "untuk perempuan tanggal ditambah 40)."
    ).is_visible()
    assert rejected.get_by_text(
        "Kelurahan/desa dengan kode 36.04.05.2001 tidak dikenal di wilayah daerah ini."
    ).is_visible()
    findings = page.get_by_role("table", name="Temuan penyaringan baris impor ini")
    assert findings.get_by_text(
        "Achmad Fauzy (NIK 3273011705900099) kemungkinan orang yang sama dengan Ahmad Fauzi"
    ).is_visible()
    assert_accessible(page)
    with use_tenant(tenant_a):
        batch = ImportBatch.objects.get(original_name="dtks-sukasari.csv")
        assert (batch.imported_count, batch.rejected_count, batch.screening_status) == (
            1, 2, ScreeningStatus.DONE,
        )  # fmt: skip

    # 3. The rejected rows download as CSV, with the reasons first.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh baris yang ditolak (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == f"penerima-ditolak-{batch.pk}.csv"
    path = tmp_path / "rejected.csv"
    download.save_as(path)
    rows = path.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("Baris,Alasan,NIK,No KK,Nama")
    assert [row.split(",")[0] for row in rows[1:]] == ["3", "4"]
    assert "Budi Tanggal" in rows[1] and "Cucu Serang" in rows[2]

    # 4. The verifier (TOTP) reads the finding and its evidence.
    review = browser.new_context(locale="id-ID").new_page()
    flags_url = live_url(tenant_a, "grants/screening/flags/")
    log_in_at(review, flags_url, verifier, verifier_code)
    assert_accessible(review)
    review.get_by_role("link", name="Kemungkinan orang yang sama (NIK berbeda)").click()
    review.wait_for_url("**/grants/screening/flags/*/")
    evidence = review.locator("dl.evidence")
    expect(evidence.get_by_text("Orang lain")).to_be_visible()
    expect(evidence.get_by_text("Ahmad Fauzi (NIK 3273011705900001)")).to_be_visible()
    expect(evidence.get_by_text("Kemiripan nama ibu")).to_be_visible()
    assert "records" not in review.content()
    assert_accessible(review)

    # 5. Too short a reason is refused and nothing changes; a written reason clears it.
    reason_box = review.get_by_label("Alasan tertulis mengapa temuan ini tidak bermasalah")
    reason_box.fill("beda")
    review.get_by_role("button", name="Selesaikan temuan").click()
    # The form comes back on the same URL: wait for the answer, not for a navigation.
    expect(review.get_by_text("paling sedikit 10 karakter", exact=False)).to_be_visible()
    assert_accessible(review)
    with use_tenant(tenant_a):
        assert Flag.objects.get().status == FlagStatus.OPEN
    reason = "Dua orang berbeda: dicek ke Dukcapil, NIK 3273011705900001 milik kakaknya."
    review.get_by_label("Alasan tertulis mengapa temuan ini tidak bermasalah").fill(reason)
    review.get_by_role("button", name="Selesaikan temuan").click()
    expect(
        review.get_by_text("Temuan dinyatakan tidak bermasalah dan dicatat pada jejak audit.")
    ).to_be_visible()
    expect(review.get_by_text(reason)).to_be_visible()
    assert_accessible(review)
    with use_tenant(tenant_a):
        flag = Flag.objects.get()
        assert (flag.status, flag.cleared_by_id, flag.clear_reason) == (
            FlagStatus.CLEARED,
            verifier.pk,
            reason,
        )
        assert AuditEvent.objects.filter(event_type="grants_screening.flag_cleared").count() == 1


def test_the_waiting_report_is_accessible_and_shows_the_worker_finish_in_place(
    page, live_url, tenant_a, make_person, settings, tmp_path
):
    """The task sits in the database queue until a worker runs it, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    officer = make_person(tenant_a, roles=["grants_registry_officer"], full_name="Petugas Dinsos")
    with use_tenant(tenant_a):
        actions.register_beneficiary(
            actor=officer, data_source="dtks", nik="3273011705900001", kk_number="3273010101090001",
            full_name="Ahmad Fauzi", birth_date=datetime.date(1990, 5, 17), sex="L", mother_name="Siti Aminah",  # noqa: E501
            address="Jl. Merdeka 5", rt="1", rw="2", area_code="32.73.01.1001",
        )  # fmt: skip
    content = "\n".join([HEADER, *ROWS]).encode()
    log_in_at(page, live_url(tenant_a, "grants/screening/imports/"), officer)
    page.get_by_label("Berkas penerima (CSV atau XLSX)").set_input_files(
        {"name": "dtks-antre.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Impor").click()
    page.wait_for_url("**/grants/screening/imports/*/")

    # 1. Queued: the status is a live region, the script says it keeps the page up to date.
    status = page.locator("section.screening-status").get_by_role("status")
    expect(status).to_have_text("Menunggu penyaringan")
    expect(
        page.get_by_text("Kemajuan di atas diperbarui sendiri selama halaman ini terbuka.")
    ).to_be_visible()
    expect(page.get_by_role("progressbar", name="Kemajuan penyaringan")).to_be_visible()
    assert_accessible(page)
    with use_tenant(tenant_a):
        batch = ImportBatch.objects.get(original_name="dtks-antre.csv")
        assert batch.screening_status == ScreeningStatus.QUEUED
    page.evaluate("() => { window.sameReportPage = true; }")

    # 2. A worker runs the queued task; the open page shows the result without being reloaded.
    call_command("worker", "--batch", stdout=io.StringIO())
    expect(status).to_have_text("Penyaringan selesai — 1 temuan baru.", timeout=POLL_WAIT_MS)
    findings = page.get_by_role("table", name="Temuan penyaringan baris impor ini")
    expect(
        findings.get_by_text(
            "Achmad Fauzy (NIK 3273011705900099) kemungkinan orang yang sama dengan Ahmad Fauzi"
        )
    ).to_be_visible()
    expect(page.get_by_role("progressbar")).to_have_count(0)
    assert page.evaluate("() => window.sameReportPage === true")  # updated in place
    assert_accessible(page)

    # 3. The original file downloads byte for byte.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh dtks-antre.csv (CSV", exact=False).click()
    download = download_info.value
    assert download.suggested_filename == "dtks-antre.csv"
    path = tmp_path / "original.csv"
    download.save_as(path)
    assert path.read_bytes() == content


def test_running_progress_updates_in_place_and_without_javascript_a_link_reloads(
    page, browser, live_url, tenant_a, make_person
):
    officer = make_person(tenant_a, roles=["grants_registry_officer"], full_name="Petugas Dinsos")
    with use_tenant(tenant_a):
        batch = ImportBatch.objects.create(
            original_name="besar.csv", sha256="0" * 64, uploaded_by=officer, total_rows=1, imported_count=1,
            screening_status=ScreeningStatus.RUNNING, screening_progress=40,
        )  # fmt: skip
    url = live_url(tenant_a, f"grants/screening/imports/{batch.pk}/")

    # With JavaScript: the running state passes axe, and the bar moves without a reload.
    log_in_at(page, url, officer)
    status = page.locator("section.screening-status").get_by_role("status")
    expect(status).to_have_text("Sedang disaring")
    expect(page.locator("[data-screening-percent]")).to_have_text("40%")
    assert_accessible(page)
    page.evaluate("() => { window.sameReportPage = true; }")
    with use_tenant(tenant_a):
        ImportBatch.objects.filter(pk=batch.pk).update(screening_progress=75)
    expect(page.locator("[data-screening-percent]")).to_have_text("75%", timeout=POLL_WAIT_MS)
    expect(page.get_by_role("progressbar", name="Kemajuan penyaringan")).to_have_attribute("value", "75")
    assert page.evaluate("() => window.sameReportPage === true")

    # Without JavaScript: nothing reloads by itself; the reader reloads when they choose.
    no_script = browser.new_context(locale="id-ID", java_script_enabled=False)
    still = no_script.new_page()
    log_in_at(still, url, officer)
    still_status = still.locator("section.screening-status").get_by_role("status")
    assert still_status.inner_text() == "Sedang disaring"
    expect(still.get_by_text("Kemajuan di atas diperbarui sendiri", exact=False)).to_be_hidden()
    with use_tenant(tenant_a):
        ImportBatch.objects.filter(pk=batch.pk).update(
            screening_status=ScreeningStatus.DONE, screening_progress=100
        )
    expect(status).to_have_text("Penyaringan selesai — 0 temuan baru.", timeout=POLL_WAIT_MS)
    assert still_status.inner_text() == "Sedang disaring"  # no reload behind the reader's back
    still.get_by_role("link", name="Muat ulang sekarang").click()
    expect(still_status).to_have_text("Penyaringan selesai — 0 temuan baru.")
    no_script.close()
    assert_accessible(page)
