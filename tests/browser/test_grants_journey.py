"""A hibah from an organisation's registration to the signed NPHD, in headless Chromium, with axe.

An organisation registers (board, bank account), is verified, proposes with a RAB and uploads, is
returned once for a missing NPWP, fixes it; the TU ticks the checklist, the mayor reviews (TOTP),
the Tim Pertimbangan routes it, the technical office evaluates and recommends, the Tim verifies,
TAPD approves (TOTP); the DNC PBH is built and approved with TOTP (signed PDF with QR); the NPHD is
signed by the chair (password) and the mayor (TOTP). Then grants_funds (G3's pages): one tranche is
requested, verified, approved (TOTP) and ordered; the transfer file is made and the SP2D confirmed;
the LPJ deadline passes (the hourly job runs), the grant is flagged and the organisation suspended;
the chair files the LPJ late, and the public recipient list shows the grant with its LPJ status; the
yearly report counts it; a visitor reports the grant ("Laporkan") until the rate limit answers.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from praja.core.tenancy.context import use_tenant
from praja.core.testing.plugin import PASSWORD
from praja.modules.grants.models import Organisation, Proposal
from praja.modules.grants.testing import BOARD_NIKS, NPWP, image_bytes, make_programme, pdf_bytes
from tests.browser.conftest import PHONE_VIEWPORT, assert_accessible, log_in_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _areas(reference_areas):
    """A transactional test's flush empties the area reference; reload it before adding tenants."""


def _pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes()}


def test_organisation_to_signed_nphd(
    browser, live_server, live_url, settings, tenant_a, make_person, totp_for, tmp_path
):
    settings.PRAJA_PUBLIC_BASE_URL = live_server.url
    settings.PRAJA_DOCUMENT_ROOT = tmp_path / "documents"
    from praja.core.accounts.models import OrgUnit

    with use_tenant(tenant_a):
        make_programme()
        dinas = OrgUnit.objects.create(
            code="2.19",
            name="Dinas Kebudayaan dan Pariwisata",
            short_name="Disbudpar",
            kind="perangkat_daerah",
        )
    chair = make_person(tenant_a, full_name="Asep Sunandar", nik=BOARD_NIKS["chair"])
    tu = make_person(tenant_a, roles=["grants_tu"], full_name="Petugas TU Pimpinan")
    head = make_person(tenant_a, roles=["grants_head"], full_name="Wali Kota Bandung")
    head_code = totp_for(head)
    committee = make_person(tenant_a, roles=["grants_committee"], full_name="Tim Pertimbangan Satu")
    committee2 = make_person(tenant_a, roles=["grants_committee"], full_name="Tim Pertimbangan Dua")
    evaluator = make_person(
        tenant_a, roles=["grants_evaluator"], org_unit=dinas, full_name="Evaluator Disbudpar"
    )
    tapd = make_person(tenant_a, roles=["grants_tapd"], full_name="Sekda Ketua TAPD")
    tapd_code = totp_for(tapd)
    verifier = make_person(tenant_a, roles=["grants_org_verifier"], full_name="Verifikator Kesbangpol")
    admin = make_person(tenant_a, roles=["grants_admin"], full_name="Pengelola Hibah Kesra")
    officer = make_person(tenant_a, roles=["grants_disbursement_officer"], full_name="Pengelola Pencairan")
    funds_verifier = make_person(
        tenant_a, roles=["grants_disbursement_verifier"], full_name="Verifikator Pencairan"
    )
    funds_approver = make_person(tenant_a, roles=["grants_disbursement_approver"], full_name="Kepala BPKAD")
    approver_code = totp_for(funds_approver)
    treasurer = make_person(tenant_a, roles=["grants_treasurer"], full_name="Kuasa BUD")
    treasurer_code = totp_for(treasurer)
    pages = {}

    def as_person(person, path, totp=None, *, phone=False):
        if person.pk not in pages:
            context = browser.new_context(locale="id-ID", viewport=PHONE_VIEWPORT if phone else None)
            context.set_default_timeout(15_000)
            pages[person.pk] = context.new_page()
            log_in_at(pages[person.pk], live_url(tenant_a, "grants/proposals/"), person, totp)
        pages[person.pk].goto(live_url(tenant_a, path))
        return pages[person.pk]

    # 1. The public reads the open call.
    anonymous = browser.new_context(locale="id-ID").new_page()
    anonymous.goto(live_url(tenant_a, "grants/"))
    assert_accessible(anonymous)
    anonymous.get_by_role("link", name="Hibah Lembaga Kemasyarakatan 2027").click()
    expect(anonymous.get_by_text("UU 23/2014 Pasal 298 ayat (5)")).to_be_visible()
    assert_accessible(anonymous)

    # 2. The chair registers the organisation on a phone, adds the board and the bank account.
    page = as_person(chair, "grants/organisations/new/", phone=True)
    assert_accessible(page)
    page.get_by_label("Nama lembaga").fill("Yayasan Sabilulungan Braga")
    page.get_by_label("Jenis lembaga").select_option("yayasan")
    page.get_by_label("Nomor akta notaris pendirian").fill("12")
    page.get_by_label("Tanggal akta notaris").fill("2015-03-02")
    page.get_by_label("Nomor SK Kemenkumham").fill("AHU-0012345.AH.01.04.Tahun 2015")
    page.get_by_label("NPWP lembaga (15 atau 16 digit)").fill(NPWP)
    page.get_by_label("Tanggal terdaftar di pemerintah daerah").fill("2016-06-01")
    page.get_by_label("Memiliki sekretariat tetap").check()
    page.get_by_label("Alamat sekretariat").fill("Jl. Braga No. 10, Bandung")
    page.get_by_label("Kode kelurahan/desa (Kemendagri)").fill("32.73.01.1001")
    page.get_by_role("button", name="Simpan lembaga").click()
    page.wait_for_url("**/grants/organisations/*/")
    assert_accessible(page)
    names = {"chair": "Asep Sunandar", "secretary": "Siti Rohmah", "treasurer": "Dadang Hermawan"}
    for role, nik in BOARD_NIKS.items():
        form = page.locator("#board-form")
        form.locator("#id_board-role").select_option(role)
        form.get_by_label("Nama lengkap").fill(names[role])
        form.get_by_label("NIK (16 digit)").fill(nik)
        form.get_by_role("button", name="Tambah pengurus").click()
        page.wait_for_load_state()
    bank = page.locator("#bank-form")
    bank.get_by_label("Nama bank").fill("Bank BJB")
    bank.get_by_label("Nomor rekening").fill("0012345678901")
    bank.get_by_label("Nama pemilik rekening").fill("Asep Sunandar")
    bank.get_by_role("button", name="Simpan rekening").click()
    expect(page.get_by_text("tidak sama dengan nama lembaga")).to_be_visible()
    bank = page.locator("#bank-form")
    assert bank.get_by_label("Nomor rekening").input_value() == "0012345678901"
    bank.get_by_label("Nama pemilik rekening").fill("YAYASAN SABILULUNGAN BRAGA")
    bank.get_by_role("button", name="Simpan rekening").click()
    page.get_by_role("button", name="Ajukan verifikasi lembaga").click()
    expect(page.get_by_text("Lembaga diajukan untuk verifikasi.")).to_be_visible()
    with use_tenant(tenant_a):
        organisation = Organisation.objects.get(name="Yayasan Sabilulungan Braga")

    # 3. Kesbangpol verifies the account and the organisation.
    office = as_person(verifier, f"grants/verification/{organisation.pk}/")
    assert_accessible(office)
    office.get_by_role("button", name="Verifikasi rekening (nama pemilik = nama lembaga)").click()
    office.get_by_role("button", name="Verifikasi lembaga").click()
    expect(office.get_by_text("Lembaga terverifikasi.")).to_be_visible()

    # 4. The chair proposes with a RAB and uploads every document except the NPWP.
    page = as_person(chair, "grants/programmes/hibah-2027/apply/")
    page.get_by_label("Judul kegiatan").fill("Festival Seni Braga")
    page.get_by_label("Maksud dan tujuan").fill("Pelestarian seni tradisi Sunda bagi pemuda Braga.")
    page.get_by_label("Tanggal mulai kegiatan").fill("2027-03-01")
    page.get_by_label("Tanggal selesai kegiatan").fill("2027-03-31")
    page.get_by_label("Nilai yang diajukan (Rupiah)").fill("20000000")
    page.get_by_role("button", name="Buat draf proposal").click()
    page.wait_for_url("**/edit/")
    assert_accessible(page)
    with use_tenant(tenant_a):
        proposal = Proposal.objects.get(title="Festival Seni Braga")
        codes = [item["code"] for item in proposal.programme.required_documents if not item["condition"]]
    for code in codes:
        if code == "npwp":
            continue
        page.locator(f"#file-{code}").set_input_files(_pdf(f"{code}.pdf"))
        page.locator(f"#doc-{code} button[type=submit]").click()
        page.wait_for_load_state()
    page.locator("#id_rab-0-description").fill("Sewa tenda dan kursi")
    page.locator("#id_rab-0-volume").fill("2")
    page.locator("#id_rab-0-unit").fill("paket")
    page.locator("#id_rab-0-unit_price").fill("5000000")
    page.locator("#id_rab-1-description").fill("Konsumsi peserta")
    page.locator("#id_rab-1-volume").fill("200")
    page.locator("#id_rab-1-unit").fill("kotak")
    page.locator("#id_rab-1-unit_price").fill("25000")
    page.get_by_role("button", name="Ajukan proposal").click()
    page.wait_for_url(f"**/grants/proposals/{proposal.pk}/")
    with use_tenant(tenant_a):
        proposal.refresh_from_db()
    assert page.locator(".proposal-number").inner_text() == proposal.number == "HBH-2027-000001"
    assert_accessible(page)

    # 5. The TU returns it once for the missing NPWP; the chair uploads it and resubmits.
    tu_page = as_person(tu, "grants/queue/")
    assert_accessible(tu_page)
    tu_page.get_by_role("link", name=proposal.number).click()
    tu_page.wait_for_url(f"**/files/{proposal.pk}/")
    assert_accessible(tu_page)
    tu_page.locator("#return-form").get_by_label("npwp — NPWP lembaga").check()
    tu_page.locator("#return-form").get_by_label("Alasan pengembalian").fill(
        "Salinan NPWP lembaga belum ada."
    )
    tu_page.get_by_role("button", name="Kembalikan proposal").click()
    expect(tu_page.get_by_text("Proposal dikembalikan kepada pemohon.")).to_be_visible()
    page.goto(live_url(tenant_a, f"grants/proposals/{proposal.pk}/"))
    assert page.locator(".return-codes").inner_text() == "npwp"
    page.get_by_role("link", name="Perbaiki dan ajukan kembali").click()
    page.locator("#file-npwp").set_input_files(_pdf("npwp.pdf"))
    page.locator("#doc-npwp button[type=submit]").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Ajukan kembali").click()
    page.wait_for_url(f"**/grants/proposals/{proposal.pk}/")

    # 6. TU checklist, mayor's review (TOTP), routing, evaluation, verification, TAPD (TOTP).
    tu_page.goto(live_url(tenant_a, f"grants/files/{proposal.pk}/"))
    boxes = tu_page.locator("#checklist-form input[type=checkbox]")
    for index in range(boxes.count()):
        boxes.nth(index).check()
    tu_page.get_by_role("button", name="Nyatakan lengkap").click()
    expect(tu_page.get_by_text("Proposal dinyatakan lengkap")).to_be_visible()
    mayor = as_person(head, f"grants/files/{proposal.pk}/", head_code)
    mayor.locator("#review-form").get_by_label("Lanjut").check()
    mayor.get_by_role("button", name="Simpan telaah").click()
    expect(mayor.get_by_text("Telaah Kepala Daerah tercatat.")).to_be_visible()
    routing = as_person(committee, f"grants/files/{proposal.pk}/")
    routing.get_by_label("Perangkat daerah teknis").select_option(str(dinas.pk))
    routing.get_by_role("button", name="Disposisikan").click()
    evaluation = as_person(evaluator, f"grants/files/{proposal.pk}/")
    assert_accessible(evaluation)
    form = evaluation.locator("#evaluation-form")
    form.get_by_label("Lanjut").check()
    form.get_by_label("Nilai rekomendasi (Rupiah)").fill("15000000")
    form.get_by_label("Tanggal peninjauan lapangan").fill("2026-11-20")
    boxes = form.locator("input[type=checkbox]")
    for index in range(boxes.count()):
        boxes.nth(index).check()
    evaluation.get_by_role("button", name="Simpan evaluasi").click()
    expect(evaluation.get_by_text("Hasil evaluasi perangkat daerah tercatat.")).to_be_visible()
    verification = as_person(committee2, f"grants/files/{proposal.pk}/")
    verification.locator("#verify-form").get_by_label("Lanjut").check()
    verification.get_by_role("button", name="Simpan verifikasi").click()
    tapd_page = as_person(tapd, f"grants/files/{proposal.pk}/", tapd_code)
    tapd_page.locator("#tapd-form").get_by_label("Lanjut").check()
    tapd_page.get_by_role("button", name="Simpan pertimbangan").click()
    expect(tapd_page.get_by_text("Pertimbangan TAPD tercatat.")).to_be_visible()
    page.goto(live_url(tenant_a, f"grants/proposals/{proposal.pk}/"))
    assert page.locator(".recommended-amount").inner_text() == "Rp15000000"

    # 7. The DNC PBH is built and approved by the mayor with TOTP: signed PDF with QR.
    kesra = as_person(admin, "grants/decrees/")
    assert_accessible(kesra)
    kesra.get_by_role("button", name="Susun DNC PBH").click()
    kesra.wait_for_url("**/grants/decrees/*/")
    expect(kesra.get_by_role("cell", name="Yayasan Sabilulungan Braga")).to_be_visible()
    decree_url = kesra.url
    mayor.goto(decree_url)
    assert_accessible(mayor)
    mayor.get_by_role("button", name="Tetapkan DNC PBH").click()
    assert mayor.locator(".decree-number").inner_text() == "001/DNC-PBH/2027"
    with mayor.expect_download() as download:
        mayor.get_by_role("link", name="Unduh DNC PBH bertanda tangan (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    mayor.get_by_role("link", name="Halaman verifikasi").click()
    expect(mayor.get_by_text("Daftar Nominatif Calon Penerima Belanja Hibah (DNC PBH)").first).to_be_visible()

    # 8. The NPHD: prepared, signed by the chair (password) and by the mayor (TOTP).
    kesra.goto(live_url(tenant_a, f"grants/files/{proposal.pk}/"))
    kesra.get_by_role("button", name="Siapkan NPHD").click()
    page.goto(live_url(tenant_a, f"grants/proposals/{proposal.pk}/"))
    assert_accessible(page)
    page.get_by_label("Kata sandi akun Anda (konfirmasi tanda tangan)").fill("bukan-sandi")
    page.get_by_label("Saya, ketua lembaga, menyetujui seluruh isi NPHD ini").check()
    page.get_by_role("button", name="Tandatangani NPHD").click()
    expect(page.get_by_text("NPHD belum ditandatangani")).to_be_visible()
    page.get_by_label("Kata sandi akun Anda (konfirmasi tanda tangan)").fill(PASSWORD)
    page.get_by_label("Saya, ketua lembaga, menyetujui seluruh isi NPHD ini").check()
    page.get_by_role("button", name="Tandatangani NPHD").click()
    expect(page.get_by_text("NPHD telah Anda tandatangani")).to_be_visible()
    mayor.goto(live_url(tenant_a, f"grants/files/{proposal.pk}/"))
    mayor.get_by_role("button", name="Tandatangani NPHD (Kepala Daerah)").click()
    expect(mayor.get_by_text("NPHD ditandatangani kedua pihak.")).to_be_visible()
    page.goto(live_url(tenant_a, f"grants/proposals/{proposal.pk}/"))
    assert page.locator(".proposal-status").inner_text() == "NPHD ditandatangani"
    assert page.locator(".official-signature").inner_text().startswith("Wali Kota Bandung")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh NPHD bertanda tangan (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert_accessible(page)
    with use_tenant(tenant_a):
        proposal.refresh_from_db()
    assert (proposal.status, proposal.agreed_amount) == ("nphd_signed", 15_000_000)

    # 9. Payment (grants_funds): one tranche, verified, approved with TOTP, ordered, SP2D confirmed.
    funds = f"grants/funds/proposals/{proposal.pk}/"
    officer_page = as_person(officer, funds)
    assert_accessible(officer_page)
    officer_page.get_by_label("Jumlah tahap (Rupiah)").fill("15000000")
    officer_page.get_by_role("button", name="Ajukan tahap").click()
    officer_page.wait_for_load_state()
    as_person(funds_verifier, funds).get_by_role("button", name="Verifikasi").click()
    as_person(funds_approver, funds, approver_code).get_by_role("button", name="Setujui pencairan").click()
    cashier = as_person(treasurer, funds, treasurer_code)
    cashier.get_by_role("button", name="Buat perintah transfer").click()
    cashier.goto(live_url(tenant_a, "grants/funds/batches/"))
    cashier.get_by_role("button", name="Buat berkas transfer").click()
    cashier.wait_for_url("**/funds/batches/*/")
    assert_accessible(cashier)
    cashier.get_by_label("Nomor SP2D").fill("SP2D-0001/LS/2027")
    cashier.get_by_label("Tanggal SP2D").fill("2027-02-15")
    cashier.get_by_role("button", name="Konfirmasi SP2D").click()
    cashier.wait_for_load_state()
    with use_tenant(tenant_a):
        proposal.refresh_from_db()
    assert proposal.status == "in_progress"

    # 10. The LPJ deadline (10 January 2028) passes: the hourly job marks it overdue, flags it and
    # suspends the organisation; the chair then files the LPJ late.
    import datetime

    from django.utils import timezone

    from praja.modules.grants.funds.lpj import mark_overdue_lpjs

    with use_tenant(tenant_a):
        late = timezone.make_aware(datetime.datetime(2028, 1, 12, 9, 0))
        assert mark_overdue_lpjs(now=late) == [proposal.pk]
        proposal.refresh_from_db()
        organisation.refresh_from_db()
    assert (proposal.status, organisation.status) == ("lpj_overdue", "suspended")
    tu_page.goto(live_url(tenant_a, f"grants/files/{proposal.pk}/"))
    expect(tu_page.get_by_text("LPJ terlambat").first).to_be_visible()
    page.goto(live_url(tenant_a, funds))
    page.get_by_role("link", name="Serahkan LPJ").click()
    page.wait_for_url("**/lpj/")
    assert_accessible(page)
    page.get_by_label("Laporan penggunaan hibah").fill(
        "Festival terlaksana 1-31 Maret 2027 dengan 200 peserta."
    )
    page.get_by_label("Nilai yang dipertanggungjawabkan (Rupiah)").fill("15000000")
    page.get_by_label("Surat pernyataan tanggung jawab (PDF)").set_input_files(_pdf("pernyataan.pdf"))
    page.get_by_label("Bukti pengeluaran (PDF/JPEG/PNG, boleh lebih dari satu)").set_input_files(
        [_pdf("kuitansi-1.pdf"), _pdf("kuitansi-2.pdf")]
    )
    page.get_by_label("Foto kegiatan (JPEG/PNG, boleh lebih dari satu)").set_input_files(
        [{"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": image_bytes()}]
    )
    page.get_by_role("button", name="Serahkan LPJ").click()
    page.wait_for_load_state()
    with use_tenant(tenant_a):
        proposal.refresh_from_db()
    assert proposal.status == "lpj_submitted"

    # 11. The public recipient list shows the grant with its LPJ status (no login).
    anonymous.goto(live_url(tenant_a, "grants/public/penerima/"))
    assert_accessible(anonymous)
    row = anonymous.locator("table.recipients tbody tr", has_text=proposal.number)
    assert row.locator("td").nth(0).inner_text() == "Yayasan Sabilulungan Braga"
    assert row.locator("td").last.inner_text() == "Diserahkan, sedang diperiksa"

    # 12. The yearly report counts the grant as paid and reported (LPJ compliance per office).
    anonymous.goto(live_url(tenant_a, "grants/public/laporan/?tahun=2027"))
    assert_accessible(anonymous)
    assert anonymous.locator(".report-paid").inner_text() == "1"
    assert anonymous.locator(".report-compliance").inner_text() == "100,0 %"

    # 13. "Laporkan" on the grant's public page: three reports an hour from one address, the fourth
    # is refused in Indonesian and keeps the text.
    anonymous.goto(live_url(tenant_a, "grants/public/penerima/"))
    anonymous.get_by_role("link", name=proposal.number).click()
    assert_accessible(anonymous)
    for index in range(4):
        anonymous.get_by_label("Isi laporan").fill(
            f"Dana hibah dipotong oleh perantara, laporan ke-{index + 1}."
        )
        anonymous.get_by_role("button", name="Kirim laporan").click()
        anonymous.wait_for_load_state()
        if index < 3:
            expect(
                anonymous.get_by_text("Terima kasih. Laporan Anda diterima dengan kode LAP-")
            ).to_be_visible()
    expect(
        anonymous.get_by_text("Terlalu banyak laporan dari alamat Anda tentang hibah ini.")
    ).to_be_visible()
    assert anonymous.get_by_label("Isi laporan").input_value().endswith("laporan ke-4.")
    assert_accessible(anonymous)
