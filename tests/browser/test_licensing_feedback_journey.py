"""Browser journey (headless Chromium): a walk-in respondent fills the kiosk survey, a visitor files a
complaint and follows it, a handler assigns and answers it; every page passes axe."""

from __future__ import annotations

import pytest

from praja.core.testing.plugin import PASSWORD
from praja.modules.licensing.feedback.models import Complaint, SurveyResponse
from praja.modules.licensing.feedback.testing import make_permit_type
from tests.browser.conftest import PHONE_VIEWPORT, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _areas(reference_areas):
    """A transactional test's flush empties the area reference; reload it before adding tenants."""


def test_kiosk_survey_and_complaint_journey(page, live_url, tenant_a, make_person, in_tenant):  # noqa: F811
    with in_tenant(tenant_a):
        make_permit_type()
    handler = make_person(tenant_a, roles=["licensing_complaints"], full_name="Dewi Pengaduan")
    officer = make_person(tenant_a, roles=["licensing_technical"], full_name="Agus Teknis")

    page.set_viewport_size(PHONE_VIEWPORT)
    page.goto(live_url(tenant_a, "licensing/survey/kiosk/"))
    assert_accessible(page)
    page.get_by_label("Layanan yang Anda terima").select_option(label="Surat Izin Praktik Dokter")
    for code in ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"):
        page.locator(f"input[name='{code}'][value='4']").check()
    page.get_by_label("Umur").select_option("30-39")
    page.get_by_label("Perempuan").check()
    page.get_by_label("Pendidikan terakhir").select_option("s1")
    page.get_by_label("Pekerjaan").select_option("wirausaha")
    page.wait_for_timeout(3100)  # a person takes longer than the anti-spam minimum
    page.get_by_role("button", name="Kirim jawaban survei").click()
    page.get_by_text("Jawaban survei Anda sudah kami terima").wait_for()
    assert_accessible(page)
    with in_tenant(tenant_a):
        assert SurveyResponse.objects.filter(channel="kiosk").count() == 1

    page.goto(live_url(tenant_a, "licensing/complaints/new/"))
    assert_accessible(page)
    page.get_by_label("Pokok pengaduan").fill("Antrean loket terlalu lama")
    page.get_by_label("Uraian pengaduan").fill("Saya menunggu tiga jam di loket DPMPTSP tanpa nomor antrean.")
    page.get_by_label("Nama Anda").fill("Rudi Hartono")
    page.get_by_label("Email").fill("rudi@contoh.id")
    page.wait_for_timeout(3100)
    page.get_by_role("button", name="Kirim pengaduan").click()
    page.get_by_role("heading", name="Pengaduan diterima").wait_for()
    assert_accessible(page)
    number = page.locator("dd strong").inner_text()
    code = page.locator("dd code").inner_text()

    page.goto(live_url(tenant_a, "licensing/complaints/track/"))
    page.get_by_label("Nomor pengaduan").fill(number)
    page.get_by_label("Kode akses").fill(code)
    page.get_by_role("button", name="Lihat status").click()
    page.get_by_text("Diterima", exact=True).first.wait_for()
    assert_accessible(page)

    page.goto(live_url(tenant_a, "licensing/complaints/register/"))
    assert_accessible(page)
    assert "Rudi" not in page.content()

    # The handler logs in, assigns the complaint and answers it.
    page.goto(live_url(tenant_a, "licensing/complaints/"))
    page.get_by_label("Email, NIK atau NIP").fill(handler.email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("link", name=number).click()
    assert_accessible(page)
    page.get_by_label("Kategori penyelesaian").select_option("ringan")
    page.get_by_label("Pejabat yang ditugasi").select_option(label=str(officer))
    page.get_by_role("button", name="Tugaskan").click()
    page.get_by_text("diperbarui").wait_for()
    page.get_by_label("Jawaban untuk pelapor").fill("Kami menambah petugas loket mulai minggu depan.")
    page.get_by_role("button", name="Kirim jawaban").click()
    page.get_by_text("diperbarui").wait_for()
    assert_accessible(page)
    with in_tenant(tenant_a):
        complaint = Complaint.objects.get(number=number)
    assert (complaint.status, complaint.band, complaint.assigned_to_id) == ("answered", "ringan", officer.pk)
