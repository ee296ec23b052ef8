"""A month of e-Kinerja to a TPP the employee can read, in headless Chromium, with axe on every page.

An employee logs three activities of a working day on P1's day page; the supervisor rejects one
with a reason and approves the rest on the team page; BKPSDM computes the month's close; the head
of BKPSDM approves it with TOTP; the employee opens "TPP saya" and reads the TPP with every withheld
Rupiah explained (productivity and the days without attendance).
"""

from __future__ import annotations

import datetime

import pytest

from praja.core.tenancy.context import use_tenant
from praja.core.testing.plugin import PASSWORD
from praja.modules.performance import rules as performance_rules
from praja.modules.performance import selectors as performance
from praja.modules.performance.models import ActivityEntry
from praja.modules.performance.tpp import rules
from praja.modules.performance.tpp.models import EmployeeMonthResult, MonthClose
from praja.modules.performance.tpp.testing import make_office
from tests.browser.conftest import PHONE_VIEWPORT, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _areas(reference_areas):
    """A transactional test's flush empties the area reference; reload it before adding tenants."""


def _log_in(page, url, user, totp=None):
    page.goto(url)
    page.wait_for_url("**/login/?next=*")
    page.get_by_label("Email, NIK atau NIP").fill(user.email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    if totp is not None:
        page.wait_for_url("**/login/second-factor/*")
        page.get_by_label("Kode 6 digit dari aplikasi autentikator").fill(totp())
        page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_url(url)


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


def _add_entry(page, start, end, volume, output):
    page.get_by_label("Jam mulai").fill(start)
    page.get_by_label("Jam selesai").fill(end)
    page.locator("#id_activity").select_option(label="Menyusun konsep surat (30 menit/surat)")
    page.get_by_label("Volume").fill(str(volume))
    page.get_by_label("Keluaran (hasil kerja)").fill(output)
    page.get_by_role("button", name="Simpan aktivitas").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"Aktivitas tersimpan: {volume * 30} menit dihitung").is_visible()


def test_employee_day_to_explained_tpp(
    browser, live_server, live_url, settings, tenant_a, make_person, totp_for
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
            _log_in(pages[person.pk], live_url(tenant_a, path), person, totp)
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
    assert page.get_by_text("2 aktivitas divalidasi.").is_visible()
    with use_tenant(tenant_a):
        statuses = dict(
            ActivityEntry.objects.filter(employee=office.staff[0]).values_list("start_time", "status")
        )
    assert statuses == {
        datetime.time(8, 0): "approved",
        datetime.time(9, 0): "approved",
        datetime.time(10, 30): "rejected",
    }

    # 3. BKPSDM computes the month; the head of BKPSDM approves it with TOTP.
    page = as_person(bkpsdm, "performance/tpp/closes/")
    assert_accessible(page)
    page.get_by_label("Bulan (TTTT-BB)").fill(f"{day:%Y-%m}")
    page.get_by_role("button", name="Hitung").click()
    page.wait_for_url("**/tpp/closes/*/")
    assert page.locator(".tpp-close-status").inner_text() == "Dihitung"
    assert_accessible(page)
    close_path = page.url.split(f"/t/{tenant_a.slug}/", 1)[1]
    page = as_person(head, close_path, totp=head_code)
    page.get_by_role("button", name="Setujui hasil tutup buku").click()
    page.wait_for_load_state()
    assert page.get_by_text("Hasil tutup buku disetujui.").is_visible()
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
