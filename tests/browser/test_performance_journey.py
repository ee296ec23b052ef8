"""A month of e-Kinerja to a TPP the employee can read, in headless Chromium, with axe on every page.

An employee logs three activities of a working day on P1's day page; the supervisor rejects one
with a reason and approves the rest on the team page; the clock moves past the month's validation
deadline (a manual close before it is refused) and BKPSDM computes the month's close; the head
of BKPSDM approves it with TOTP; the employee opens "TPP saya" and reads the TPP with every withheld
Rupiah explained (productivity and the days without attendance).
"""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from praja.core.tenancy.context import use_tenant
from praja.modules.performance import rules as performance_rules
from praja.modules.performance import selectors as performance
from praja.modules.performance.models import ActivityEntry
from praja.modules.performance.tpp import rules
from praja.modules.performance.tpp.models import EmployeeMonthResult, MonthClose
from praja.modules.performance.tpp.testing import make_office
from tests.browser.conftest import PHONE_VIEWPORT, assert_accessible, log_in_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _areas(reference_areas):
    """A transactional test's flush empties the area reference; reload it before adding tenants."""


def _open_working_day(tenant, config) -> datetime.date:
    """The latest working day up to today whose entry deadline (H+N) has not passed."""
    today = performance.local_today(tenant)
    check = performance.working_day_checker(tenant)
    for back in range(15):
        day = today - datetime.timedelta(days=back)
        if (
            check(day)
            and performance_rules.entry_deadline(day, config.entry_deadline_working_days, check) >= today
        ):
            return day
    raise AssertionError("no open working day in the last two weeks")


def _past_validation_deadline(monkeypatch, tenant, config, day) -> None:
    """Move the server's clock (this process: the live server too) to 08.00 after the deadline."""
    from django.utils import timezone

    from praja.core.calendar.selectors import tenant_timezone

    deadline = performance_rules.validation_deadline(day, config.validation_deadline_day)
    moment = datetime.datetime.combine(
        deadline + datetime.timedelta(days=1), datetime.time(8, 0), tzinfo=tenant_timezone(tenant)
    )
    monkeypatch.setattr(timezone, "now", lambda: moment)


def _add_entry(page, start, end, volume, output):
    page.get_by_label("Jam mulai").fill(start)
    page.get_by_label("Jam selesai").fill(end)
    page.locator("#id_activity").select_option(label="Menyusun konsep surat (30 menit/surat)")
    page.get_by_label("Volume").fill(str(volume))
    page.get_by_label("Keluaran (hasil kerja)").fill(output)
    page.get_by_role("button", name="Simpan aktivitas").click()
    page.wait_for_load_state()
    expect(page.get_by_text(f"Aktivitas tersimpan: {volume * 30} menit dihitung")).to_be_visible()


def test_employee_day_to_explained_tpp(
    browser, live_server, live_url, settings, tenant_a, make_person, totp_for, monkeypatch
):
    settings.PRAJA_PUBLIC_BASE_URL = live_server.url
    office = make_office(tenant_a, make_person, staff=1)
    employee_user = office.users[0]
    bkpsdm = make_person(tenant_a, roles=["performance_bkpsdm"], full_name="Operator BKPSDM")
    head = make_person(tenant_a, roles=["performance_bkpsdm_head"], full_name="Kepala BKPSDM")
    head_code = totp_for(head)
    day = _open_working_day(tenant_a, office.config)
    pages = {}

    def as_person(person, path, totp=None, phone=False):
        if person.pk not in pages:
            context = browser.new_context(locale="id-ID", viewport=PHONE_VIEWPORT if phone else None)
            context.set_default_timeout(15_000)
            pages[person.pk] = context.new_page()
            log_in_at(pages[person.pk], live_url(tenant_a, path), person, totp)
        else:
            pages[person.pk].goto(live_url(tenant_a, path))
        return pages[person.pk]

    # 1. The employee logs three activities of the day (on a phone).
    page = as_person(employee_user, f"performance/day/?date={day:%Y-%m-%d}", phone=True)
    assert_accessible(page)
    _add_entry(page, "08:00", "09:00", 2, "2 konsep surat undangan")
    _add_entry(page, "09:00", "10:30", 3, "3 konsep nota dinas")
    _add_entry(page, "10:30", "11:00", 1, "1 konsep surat edaran")
    assert_accessible(page)

    # 2. The supervisor rejects the last one with a reason, then approves the rest of the day.
    with use_tenant(tenant_a):
        doubtful = ActivityEntry.objects.get(employee=office.staff[0], start_time=datetime.time(10, 30))
    page = as_person(office.head, "performance/team/")
    assert_accessible(page)
    page.locator(f"#decision-{doubtful.pk}").select_option("reject")
    page.locator(f"#reason-{doubtful.pk}").fill("Surat edaran sudah dibuat kemarin")
    page.locator(f"#decision-{doubtful.pk}").locator("xpath=ancestor::form").get_by_role(
        "button", name="Simpan"
    ).click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Setujui semua 2 aktivitas hari ini").click()
    page.wait_for_load_state()
    expect(page.get_by_text("2 aktivitas divalidasi.")).to_be_visible()
    with use_tenant(tenant_a):
        statuses = dict(
            ActivityEntry.objects.filter(employee=office.staff[0]).values_list("start_time", "status")
        )
    assert statuses == {
        datetime.time(8, 0): "approved",
        datetime.time(9, 0): "approved",
        datetime.time(10, 30): "rejected",
    }

    # 3. BKPSDM may not close the month while supervisors can still validate it ...
    page = as_person(bkpsdm, "performance/tpp/closes/")
    assert_accessible(page)
    page.get_by_label("Bulan (TTTT-BB)").fill(f"{day:%Y-%m}")
    page.get_by_role("button", name="Hitung").click()
    page.wait_for_load_state()
    expect(page.get_by_text(f"Bulan {day:%m/%Y} belum dapat ditutup")).to_be_visible()
    with use_tenant(tenant_a):
        assert not MonthClose.objects.exists()
    # ... so the days pass to the morning after the validation deadline; everyone signs in anew.
    _past_validation_deadline(monkeypatch, tenant_a, office.config, day)
    for context in {page.context for page in pages.values()}:
        context.close()
    pages.clear()
    page = as_person(bkpsdm, "performance/tpp/closes/")
    page.get_by_label("Bulan (TTTT-BB)").fill(f"{day:%Y-%m}")
    page.get_by_role("button", name="Hitung").click()
    page.wait_for_url("**/tpp/closes/*/")
    assert page.locator(".tpp-close-status").inner_text() == "Dihitung"
    assert_accessible(page)
    close_path = page.url.split(f"/t/{tenant_a.slug}/", 1)[1]
    page = as_person(head, close_path, totp=head_code)
    page.get_by_role("button", name="Setujui hasil tutup buku").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Hasil tutup buku disetujui.")).to_be_visible()
    assert page.locator(".tpp-close-status").inner_text() == "Disetujui BKPSDM"
    with use_tenant(tenant_a):
        close = MonthClose.objects.get()
        result = EmployeeMonthResult.objects.get(close=close, employee=office.staff[0])
    assert (close.status, close.approved_by_id) == ("approved", head.pk)

    # 4. The employee reads the TPP, every withheld Rupiah with its reason.
    page = as_person(employee_user, "performance/tpp/me/")
    assert_accessible(page)
    expected = rules.productivity_percent(150, quota_minutes_per_day=300, working_days=close.working_days)
    assert result.approved_minutes == 150
    assert result.productivity_percent == expected
    assert page.locator(".tpp-gross").inner_text() == rules.format_rupiah(result.gross)
    assert page.locator(".tpp-withheld-total").inner_text() == rules.format_rupiah(
        result.ceiling - result.gross
    )
    reasons = page.locator(".tpp-withheld tbody td:first-child").all_inner_texts()
    assert reasons[0] == (
        f"produktivitas {rules.format_percent(expected)}: "
        f"{rules.format_rupiah(3_000_000 - result.kinerja_part)} dari bagian kinerja tidak dibayarkan"
    )
    # The days before today without any attendance record are TK (3 % each), one line per day.
    assert reasons == [item["reason"] for item in result.withheld]
    assert all(reason.startswith("TK pada ") for reason in reasons[1:])
    assert sum(item["amount"] for item in result.withheld) == result.ceiling - result.gross


def _last_working_day(tenant) -> datetime.date:
    today = performance.local_today(tenant)
    check = performance.working_day_checker(tenant)
    return next(
        today - datetime.timedelta(days=back)
        for back in range(15)
        if check(today - datetime.timedelta(days=back))
    )


def test_personnel_admin_on_a_phone_registers_edits_records_apel_and_approves_a_correction(
    browser, live_server, live_url, settings, tenant_a, make_person, totp_for
):
    """BKPSDM registers an employee by NIP (a wrong NIP first: the field says why, nothing is lost),
    the OPD's admin changes a status with its SK and records an apel absence; a forgotten check-out
    is endorsed by the supervisor and approved by the admin with a reason and the TOTP code."""
    from praja.modules.performance.models import ApelAbsence, AttendanceCorrection, Employee

    settings.PRAJA_PUBLIC_BASE_URL = live_server.url
    office = make_office(tenant_a, make_person, staff=1)
    staff_user, staff = office.users[0], office.staff[0]
    newcomer = make_person(tenant_a, nip="198703152010012003", full_name="Rina Pranata Komputer")
    bkpsdm = make_person(tenant_a, roles=["performance_bkpsdm"], full_name="Operator BKPSDM")
    admin = make_person(
        tenant_a, roles=["performance_admin_opd"], org_unit=office.unit, full_name="Admin Kepegawaian"
    )
    admin_code = totp_for(admin)
    day = _last_working_day(tenant_a)
    contexts = []

    def phone_as(person, path, totp=None):
        context = browser.new_context(locale="id-ID", viewport=PHONE_VIEWPORT)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        log_in_at(page, live_url(tenant_a, path), person, totp)
        return page

    # 1. BKPSDM registers the newcomer; a NIP with 17 digits is refused on its field.
    page = phone_as(bkpsdm, "performance/employees/")
    assert_accessible(page)
    page.get_by_role("link", name="Daftarkan pegawai").click()
    page.wait_for_url("**/employees/new/")
    page.get_by_label("NIP").fill("19870315201001200")
    page.get_by_label("Perangkat daerah").select_option(label=str(office.unit))
    page.get_by_label("Kelas jabatan").fill("7")
    page.get_by_label("Rumpun jabatan (untuk katalog aktivitas)").fill("administrasi")
    page.get_by_label("Jenis kepegawaian").select_option("pppk")
    page.get_by_role("button", name="Daftarkan pegawai").click()
    page.wait_for_load_state()
    expect(page.get_by_text("NIP harus 18 digit; yang Anda isi 17 digit.")).to_be_visible()
    assert page.get_by_label("Rumpun jabatan (untuk katalog aktivitas)").input_value() == "administrasi"
    assert page.get_by_label("Kelas jabatan").input_value() == "7"
    assert_accessible(page)
    page.get_by_label("NIP").fill("198703152010012003")
    page.get_by_role("button", name="Daftarkan pegawai").click()
    page.wait_for_url("**/employees/")
    expect(page.get_by_text("Rina Pranata Komputer terdaftar sebagai pegawai e-Kinerja.")).to_be_visible()
    with use_tenant(tenant_a):
        registered = Employee.objects.get(user=newcomer)
    assert (registered.org_unit_id, registered.job_class, registered.employment_type) == (
        office.unit.pk,
        7,
        "pppk",
    )

    # 2. The OPD's admin changes the newcomer's status: the SK is required, then saved.
    # The admin has an authenticator, so signing in asks for its code (the session is then verified).
    page = admin_page = phone_as(admin, f"performance/employees/{registered.pk}/edit/", totp=admin_code)
    assert_accessible(page)
    page.get_by_label("Status kepegawaian").select_option("tugas_belajar")
    page.get_by_role("button", name="Simpan perubahan").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Isi dasar perubahan status (nomor SK).")).to_be_visible()
    assert page.get_by_label("Status kepegawaian").input_value() == "tugas_belajar"
    page.get_by_label("Dasar perubahan status (nomor SK)").fill("SK Wali Kota 800/77/2026")
    page.get_by_role("button", name="Simpan perubahan").click()
    page.wait_for_url("**/employees/")
    registered.refresh_from_db()
    assert registered.status == "tugas_belajar"

    # 3. ... and records that the staff member missed the morning apel.
    page.goto(live_url(tenant_a, "performance/apel/"))
    assert_accessible(page)
    page.get_by_label("Pegawai").select_option(str(staff.pk))
    page.get_by_label("Tanggal apel").fill(f"{day:%Y-%m-%d}")
    page.get_by_role("button", name="Catat tidak ikut apel").click()
    page.wait_for_url("**/apel/")
    expect(page.get_by_text(f"tanggal {day:%d-%m-%Y} dicatat.")).to_be_visible()
    with use_tenant(tenant_a):
        assert ApelAbsence.objects.filter(employee=staff, date=day).exists()

    # 4. A forgotten check-out: the employee asks, the supervisor endorses, the admin approves.
    page = phone_as(staff_user, "performance/requests/")
    page.locator("#id_correction-date").fill(f"{day:%Y-%m-%d}")
    page.locator("#id_correction-kind").select_option("check_out")
    page.locator("#id_correction-corrected_time").fill("16:05")
    page.locator("#id_correction-reason").fill("Lupa presensi pulang, rapat sampai 16.00")
    page.locator("#id_correction-reason").locator("xpath=ancestor::form").get_by_role("button").click()
    page.wait_for_url("**/requests/")
    with use_tenant(tenant_a):
        correction = AttendanceCorrection.objects.get(employee=staff)
    page = phone_as(office.head, "performance/team/")
    page.get_by_role("button", name="Setujui, teruskan ke admin kepegawaian").click()
    page.wait_for_url("**/team/")
    correction.refresh_from_db()
    assert correction.status == "endorsed"

    page = admin_page  # still signed in and verified (a TOTP code is accepted only once)
    page.goto(live_url(tenant_a, "performance/corrections/"))
    assert_accessible(page)
    expect(page.get_by_text("Lupa presensi pulang, rapat sampai 16.00")).to_be_visible()
    page.get_by_label("Keputusan").select_option("approve")
    page.get_by_role("button", name="Kirim keputusan").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Isi alasan keputusan; alasan dicatat pada jejak audit.")).to_be_visible()
    assert page.get_by_label("Keputusan").input_value() == "approve"
    assert_accessible(page)
    page.get_by_label("Alasan (dicatat pada jejak audit)").fill("Notulen rapat terlampir")
    page.get_by_role("button", name="Kirim keputusan").click()
    page.wait_for_url("**/corrections/")
    expect(page.get_by_text("disetujui; presensi tercatat.")).to_be_visible()
    correction.refresh_from_db()
    assert (correction.status, correction.decided_by_id, correction.event.source) == (
        "approved",
        admin.pk,
        "correction",
    )
    for context in contexts:
        context.close()
