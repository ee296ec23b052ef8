"""A permit from application to QR check, in headless Chromium, with axe on every page.

A citizen applies for an izin reklame with uploads; the front office returns it (KTP); the citizen
fixes it; the back office registers it and assigns two officers; the team records the BAP with a
geotagged photo and recommends approval; the head approves with TOTP; the citizen pays on the
simulator, downloads the permit and the QR page says valid; the head revokes it and the same page
says revoked.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from praja.core.tenancy.context import use_tenant
from praja.modules.licensing.models import Application
from praja.modules.licensing.testing import image_bytes, make_permit_type, pdf_bytes
from tests.browser.conftest import PHONE_VIEWPORT, assert_accessible, log_in_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _areas(reference_areas):
    """A transactional test's flush empties the area reference; reload it before adding tenants."""


def _context(browser, live_server, settings):
    context = browser.new_context(locale="id-ID")
    context.set_default_timeout(15_000)
    return context


def _file(name, data, mime):
    return {"name": name, "mimeType": mime, "buffer": data}


PDF = "application/pdf"


def _upload(page, code, name, data, mime=PDF):
    page.locator(f"#file-{code}").set_input_files(_file(name, data, mime))
    page.locator(f"#req-{code} button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.get_by_text(f"Berkas {code} tersimpan.")).to_be_visible()


def test_citizen_to_qr_verified_then_revoked_permit(
    browser, live_server, live_url, settings, tenant_a, make_person, totp_for, tmp_path
):
    settings.PRAJA_PAYMENT_SIMULATOR = True
    settings.PRAJA_PUBLIC_BASE_URL = live_server.url
    settings.PRAJA_DOCUMENT_ROOT = tmp_path / "documents"
    with use_tenant(tenant_a):
        make_permit_type("izin-reklame")
    citizen = make_person(tenant_a, full_name="Dewi Lestari")
    front = make_person(tenant_a, roles=["licensing_front_office"], full_name="Asep Front Office")
    back = make_person(tenant_a, roles=["licensing_back_office"], full_name="Rina Back Office")
    tech1 = make_person(tenant_a, roles=["licensing_technical"], full_name="Teguh Teknis")
    make_person(tenant_a, roles=["licensing_technical"], full_name="Wulan Teknis")
    head = make_person(tenant_a, roles=["licensing_head"], full_name="Hendra Kepala DPMPTSP")
    head_code = totp_for(head)
    people = {}

    def as_person(person, path, totp=None):
        if person.pk not in people:
            context = _context(browser, live_server, settings)
            people[person.pk] = context.new_page()
            # The applications list needs a login (the apply page is public and only links to it).
            log_in_at(people[person.pk], live_url(tenant_a, "licensing/applications/"), person, totp)
        people[person.pk].goto(live_url(tenant_a, path))
        return people[person.pk]

    # 1. The citizen reads the standar pelayanan, applies, uploads and submits.
    anonymous = _context(browser, live_server, settings).new_page()
    anonymous.goto(live_url(tenant_a, "licensing/services/izin-reklame/"))
    assert anonymous.get_by_role("heading", level=1).inner_text() == "Izin Penyelenggaraan Reklame"
    assert_accessible(anonymous)
    anonymous.get_by_role("link", name="Ajukan permohonan").click()
    expect(anonymous.get_by_role("link", name="Masuk untuk mengajukan")).to_be_visible()
    assert_accessible(anonymous)
    page = as_person(citizen, "licensing/services/izin-reklame/apply/")
    assert_accessible(page)
    page.get_by_role("button", name="Mulai permohonan").click()
    page.wait_for_url("**/edit/")
    assert_accessible(page)
    _upload(page, "surat_permohonan", "surat.pdf", pdf_bytes())
    # A wrong type is refused with the reason, on the same page.
    page.locator("#file-ktp").set_input_files(_file("ktp.png", image_bytes("PNG"), "image/png"))
    page.locator("#req-ktp button[type=submit]").click()
    page.wait_for_load_state()
    _upload(page, "ktp", "ktp.pdf", pdf_bytes())
    _upload(page, "desain_reklame", "desain.pdf", pdf_bytes())
    _upload(page, "foto_lokasi", "lokasi.jpg", image_bytes(), "image/jpeg")
    _upload(page, "persetujuan_pemilik", "persetujuan.pdf", pdf_bytes())
    page.get_by_label("Naskah/tema reklame *").fill("Kopi Aroma Bandung")
    page.get_by_label("Jenis reklame *").select_option("baliho")
    page.get_by_label("Luas bidang reklame (m²) *").fill("6")
    page.get_by_label("Lama pemasangan (bulan) *").fill("3")
    page.get_by_label("Alamat lokasi pemasangan *").fill("Jl. Asia Afrika No. 8, Bandung")
    page.get_by_role("button", name="Ajukan permohonan").click()
    page.wait_for_url("**/applications/*/")
    with use_tenant(tenant_a):
        application = Application.objects.get(applicant=citizen)
    assert page.locator(".tracking-number").inner_text() == application.tracking_number
    assert application.fee_amount == 450_000
    assert_accessible(page)

    # 2. The front office returns it, citing the KTP.
    office = as_person(front, "licensing/queue/")
    assert_accessible(office)
    office.get_by_role("link", name=application.tracking_number).click()
    office.wait_for_url(f"**/files/{application.pk}/")
    assert_accessible(office)
    office.get_by_label("ktp — KTP pemohon").check()
    office.get_by_label("Alasan pengembalian").fill("KTP tidak terbaca, unggah pindaian yang jelas.")
    office.get_by_role("button", name="Kembalikan berkas").click()
    expect(office.get_by_text("Berkas dikembalikan ke pemohon.")).to_be_visible()

    # 3. The citizen sees the codes and fixes the file.
    page.goto(live_url(tenant_a, f"licensing/applications/{application.pk}/"))
    assert page.locator(".return-codes").first.inner_text() == "ktp"
    assert_accessible(page)
    page.get_by_role("link", name="Perbaiki dan kirim kembali").click()
    _upload(page, "ktp", "ktp-jelas.pdf", pdf_bytes())
    page.get_by_role("button", name="Kirim perbaikan").click()
    page.wait_for_url(f"**/applications/{application.pk}/")
    assert page.locator(".application-status").inner_text() == "Diajukan"

    # 4. Front office: complete; back office: register and assign two officers by letter.
    office.goto(live_url(tenant_a, f"licensing/files/{application.pk}/"))
    office.get_by_role("button", name="Nyatakan lengkap").click()
    expect(office.get_by_text("Berkas dinyatakan lengkap.")).to_be_visible()
    registry = as_person(back, f"licensing/files/{application.pk}/")
    registry.get_by_role("button", name="Daftarkan berkas (mulai jangka waktu layanan)").click()
    assert registry.locator(".application-status").inner_text() == "Terdaftar"
    registry.get_by_label("Teguh Teknis").check()
    registry.get_by_label("Wulan Teknis").check()
    assert_accessible(registry)
    registry.get_by_role("button", name="Terbitkan surat tugas").click()
    assert registry.locator(".application-status").inner_text() == "Peninjauan lapangan"

    # 5. The team records the BAP with a geotagged photo and recommends approval.
    team = as_person(tech1, f"licensing/files/{application.pk}/")
    assert_accessible(team)
    team.get_by_label("Tanggal pemeriksaan").fill(__import__("datetime").date.today().isoformat())
    team.get_by_label("Lokasi yang diperiksa").fill("Jl. Asia Afrika No. 8")
    team.get_by_label("Lintang lokasi (mis. -6.914744)").fill("-6.921")
    team.get_by_label("Bujur lokasi (mis. 107.609810)").fill("107.607")
    team.get_by_label("Hasil pemeriksaan").fill("Titik pemasangan sesuai, tidak menutup rambu lalu lintas.")
    team.locator("#id_photo_1").set_input_files(_file("depan.jpg", image_bytes(), "image/jpeg"))
    team.get_by_label("Lintang foto 1").fill("-6.9211")
    team.get_by_label("Bujur foto 1").fill("107.6071")
    team.get_by_role("button", name="Simpan BAP").click()
    expect(team.get_by_text("Berita acara pemeriksaan tercatat.")).to_be_visible()
    team.get_by_label("Setujui").check()
    team.get_by_label("Alasan/pertimbangan teknis").fill("Memenuhi ketentuan penyelenggaraan reklame.")
    team.get_by_role("button", name="Kirim rekomendasi").click()
    assert team.locator(".application-status").inner_text() == "Direkomendasikan untuk disetujui"

    # 6. The head approves with TOTP: the bill is issued.
    signer = as_person(head, f"licensing/files/{application.pk}/", totp=head_code)
    assert_accessible(signer)
    signer.get_by_label("Setujui dan terbitkan tagihan retribusi").check()
    signer.get_by_role("button", name="Tandatangani keputusan").click()
    assert signer.locator(".application-status").inner_text() == "Menunggu pembayaran retribusi"

    # 7. The citizen pays on the simulator; the permit is issued and verified by its QR page.
    page.goto(live_url(tenant_a, f"licensing/applications/{application.pk}/"))
    assert page.locator(".bill-amount").inner_text() == "Rp450.000"
    assert_accessible(page)
    page.get_by_role("link", name="Bayar").click()
    assert_accessible(page)
    page.get_by_label("QRIS").check()
    page.get_by_role("button", name="Konfirmasi bayar Rp450.000").click()
    page.goto(live_url(tenant_a, f"licensing/applications/{application.pk}/"))
    assert page.locator(".application-status").inner_text() == "Izin terbit"
    permit_number = page.locator(".permit-number").inner_text()
    assert permit_number.startswith("IR/00001/DPMPTSP/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh izin bertanda tangan elektronik (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert_accessible(page)
    page.get_by_role("link", name="Halaman verifikasi").click()
    assert page.locator(".verify-verdict").inner_text() == "SAH"
    verify_url = page.url
    assert_accessible(page)

    # 8. The head revokes it; the same QR page says so at once.
    signer.goto(live_url(tenant_a, f"licensing/files/{application.pk}/"))
    signer.get_by_label("Alasan pencabutan izin").fill("Reklame dipasang di luar titik yang diizinkan.")
    signer.get_by_role("button", name="Cabut izin").click()
    assert signer.locator(".application-status").inner_text() == "Izin dicabut"
    anonymous.goto(verify_url)
    assert anonymous.locator(".verify-verdict").inner_text() == "DICABUT"
    expect(anonymous.get_by_text("Reklame dipasang di luar titik yang diizinkan.")).to_be_visible()

    # Every page passes axe on a phone too.
    page.set_viewport_size(PHONE_VIEWPORT)
    for path in ("licensing/", "licensing/applications/", f"licensing/applications/{application.pk}/"):
        page.goto(live_url(tenant_a, path))
        assert_accessible(page)
    for context_page in people.values():
        context_page.context.close()
    anonymous.context.close()
