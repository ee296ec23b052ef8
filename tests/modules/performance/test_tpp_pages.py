"""Pages, exports and API of the monthly close: who sees what, approval with TOTP, documents."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from praja.core.tenancy.context import use_tenant
from praja.modules.performance.tpp import actions
from praja.modules.performance.tpp.models import MonthClose
from praja.modules.performance.tpp.testing import add_attendance, add_entry, make_office

MAY = datetime.date(2026, 5, 1)
DAYS = [datetime.date(2026, 5, d) for d in (4, 5, 6, 7, 8, 11, 12, 13, 18, 19, 20, 21, 22, 25, 26, 29)]
BASE = "/t/kota-bandung/performance/tpp/"
API = "/t/kota-bandung/api/v1/performance/"


@pytest.fixture
def world(tenant_a, make_person):
    """Two offices; Dinas Pendidikan's staff 1 works 90 % and is late once; Dinkes' staff never logs."""
    dik = make_office(tenant_a, make_person, code="1.01", name="Dinas Pendidikan", staff=2)
    from praja.core.accounts.models import OrgUnit, Position
    from praja.modules.performance.tpp.testing import make_employee

    with use_tenant(tenant_a):
        dinkes = OrgUnit.objects.create(code="1.02", name="Dinas Kesehatan", kind="perangkat_daerah")
        nurse_user = make_person(tenant_a, roles=["performance_pegawai"], full_name="Perawat Dinkes")
        nurse = make_employee(
            tenant_a,
            nurse_user,
            unit=dinkes,
            position=Position.objects.create(org_unit=dinkes, title="Perawat", holder=nurse_user),
        )
    first = dik.staff[0]
    for day in DAYS:
        add_entry(first, day, "08:00", "12:30", validated_by=dik.head)
        add_attendance(first, day, "08:15" if day.day == 5 else "07:25", "16:35")
    bkpsdm = make_person(tenant_a, roles=["performance_bkpsdm"], full_name="Operator BKPSDM")
    with use_tenant(tenant_a):
        close = actions.compute_month_close(actor=bkpsdm, month=MAY, today=datetime.date(2026, 6, 10))
    return {
        "tenant": tenant_a,
        "dik": dik,
        "dinkes": dinkes,
        "nurse": nurse,
        "bkpsdm": bkpsdm,
        "close": close,
        "admin_dik": make_person(
            tenant_a, roles=["performance_admin_opd"], org_unit=dik.unit, full_name="Admin Dik"
        ),
        "inspector": make_person(tenant_a, roles=["performance_inspector"], full_name="Inspektur"),
    }


def names_on(response) -> list[str]:
    text = response.content.decode()
    return [
        name
        for name in (
            "Staf Dinas Pendidikan 1",
            "Staf Dinas Pendidikan 2",
            "Kepala Dinas Pendidikan",
            "Perawat Dinkes",
        )
        if name in text
    ]


def test_dashboard_scope_own_team_office_tenant(world, login_client, make_person, tenant_b):
    dik = world["dik"]
    cases = {
        "employee": (dik.users[0], ["Staf Dinas Pendidikan 1"], "Hasil Anda sendiri"),
        "supervisor": (
            dik.head,
            ["Staf Dinas Pendidikan 1", "Staf Dinas Pendidikan 2", "Kepala Dinas Pendidikan"],
            "Tim Anda",
        ),
        "office": (
            world["admin_dik"],
            ["Staf Dinas Pendidikan 1", "Staf Dinas Pendidikan 2", "Kepala Dinas Pendidikan"],
            "Perangkat daerah Anda",
        ),
        "tenant": (
            world["inspector"],
            [
                "Staf Dinas Pendidikan 1",
                "Staf Dinas Pendidikan 2",
                "Kepala Dinas Pendidikan",
                "Perawat Dinkes",
            ],
            "Seluruh pemerintah daerah",
        ),
    }
    for label, (user, expected, scope) in cases.items():
        response = login_client(user).get(BASE + "?month=2026-05")
        assert response.status_code == 200, label
        assert names_on(response) == expected, label
        assert scope in response.content.decode(), label
        assert '<svg xmlns="http://www.w3.org/2000/svg"' in response.content.decode()
    stranger = make_person(tenant_b, roles=["performance_bkpsdm"])
    assert login_client(stranger).get(BASE).status_code == 404
    assert login_client(make_person(tenant_b)).get(BASE).status_code == 404


def test_my_tpp_page_explains_the_withheld_amount_line_by_line(world, login_client):
    response = login_client(world["dik"].users[0]).get(BASE + "me/")
    text = response.content.decode()
    assert response.status_code == 200
    assert '<strong class="tpp-gross">Rp4.680.000</strong>' in text  # 2,700,000 + 0.4 x 5,000,000 x 99 %
    assert "produktivitas 90 %: Rp300.000 dari bagian kinerja tidak dibayarkan" in text
    assert "TL2 pada 5 Mei 2026: 1 % dari bagian disiplin = Rp20.000" in text
    assert '<dd class="tpp-withheld-total">Rp320.000</dd>' in text


def test_csv_export_has_only_the_viewers_scope(world, login_client):
    response = login_client(world["admin_dik"]).get(BASE + "export.csv?month=2026-05")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["bulan", "versi", "nama"]
    assert sorted(row[2] for row in rows[1:]) == [
        "Kepala Dinas Pendidikan",
        "Staf Dinas Pendidikan 1",
        "Staf Dinas Pendidikan 2",
    ]
    first = next(row for row in rows if row[2] == "Staf Dinas Pendidikan 1")
    assert first[10:13] == ["90.00", "99.00", "produktif_disiplin"]
    assert first[16:] == ["4680000", "320000"]
    xlsx = login_client(world["inspector"]).get(BASE + "export.xlsx?month=2026-05")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 2 + 4 + 1  # title, header, four employees, totals


def test_closes_page_only_for_bkpsdm_and_a_second_compute_needs_a_reason(world, login_client):
    assert login_client(world["dik"].users[0]).get(BASE + "closes/").status_code == 403
    client = login_client(world["bkpsdm"])
    response = client.post(BASE + "closes/", {"month": "2026-05", "reason": ""}, follow=True)
    assert "Perhitungan ulang adalah koreksi: isi alasannya" in response.content.decode()
    assert MonthClose.all_tenants.count() == 1
    response = client.post(BASE + "closes/", {"month": "2026-05", "reason": "Koreksi presensi"})
    assert response.status_code == 302
    assert MonthClose.all_tenants.order_by("-version").first().version == 2


def test_head_approves_with_totp_bkpsdm_locks_then_signed_pdf_and_xlsx(
    world, login_client, make_person, totp_for
):
    head = make_person(world["tenant"], roles=["performance_bkpsdm_head"], full_name="Kepala BKPSDM")
    totp_for(head)
    close = world["close"]
    url = f"{BASE}closes/{close.pk}/"
    without = login_client(head)
    response = without.post(url, {"action": "approve"}, follow=True)
    assert "memerlukan verifikasi dua langkah" in response.content.decode()
    close.refresh_from_db()
    assert close.status == "computed"
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=head)
    login_client(head, otp_device=device).post(url, {"action": "approve"})
    bkpsdm = login_client(world["bkpsdm"])
    pdf_url = f"{BASE}closes/{close.pk}/units/{world['dik'].unit.pk}/list.pdf"
    response = bkpsdm.post(pdf_url, follow=True)
    assert "hanya dibuat dari tutup buku yang sudah disetujui dan dikunci" in response.content.decode()
    bkpsdm.post(url, {"action": "lock"})
    close.refresh_from_db()
    assert close.status == "locked"
    assert bkpsdm.post(pdf_url).status_code == 302
    pdf = bkpsdm.get(pdf_url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    # The OPD admin of another office cannot fetch this office's list.
    other_admin = make_person(world["tenant"], roles=["performance_admin_opd"], org_unit=world["dinkes"])
    assert login_client(other_admin).get(pdf_url).status_code == 404
    xlsx = login_client(world["admin_dik"]).get(
        f"{BASE}closes/{close.pk}/units/{world['dik'].unit.pk}/list.xlsx"
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    totals = [cell.value for cell in sheet[sheet.max_row]]
    assert totals[1] == "Jumlah"
    assert totals[7] == 5_000_000 * 2 + 8_000_000
    # Staff 2 and the head logged nothing and never attended: 16 TK days x 3 % = 48 % off discipline.
    assert totals[12] == 4_680_000 + 1_040_000 + 1_664_000


def test_signals_page_for_the_inspectorate_only(world, login_client):
    assert login_client(world["dik"].head).get(BASE + "signals/").status_code == 403
    response = login_client(world["inspector"]).get(BASE + "signals/?month=2026-05")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Perawat Dinkes tidak memiliki catatan presensi" in text


def test_api_results_me_scope_and_signals(world, login_client, client, make_person, tenant_b):
    staff = login_client(world["dik"].users[0])
    mine = staff.get(API + "results/me/?month=2026-05").json()
    assert [(row["employee_name"], row["gross"], row["withheld_total"]) for row in mine] == [
        ("Staf Dinas Pendidikan 1", 4_680_000, 320_000)
    ]
    assert mine[0]["withheld"][1]["reason"] == "TL2 pada 5 Mei 2026: 1 % dari bagian disiplin = Rp20.000"
    team = login_client(world["dik"].head).get(API + "results/?month=2026-05").json()
    assert team["count"] == 3
    assert staff.get(API + "results/?month=2026-05").json()["count"] == 1
    assert staff.get(API + "results/?month=Mei").json()["error"]["fields"]["month"] == [
        "Format bulan harus TTTT-BB, misalnya 2026-05."
    ]
    assert staff.get(API + "signals/").status_code == 403
    assert staff.get(API + "closes/").status_code == 403
    inspector = login_client(world["inspector"])
    signals = inspector.get(API + "signals/?kind=paid_while_absent").json()
    assert [row["subject_label"] for row in signals["results"]] == [
        "Kepala Dinas Pendidikan",
        "Perawat Dinkes",
        "Staf Dinas Pendidikan 2",
    ]
    closes = inspector.get(API + "closes/").json()
    assert [(row["version"], row["status"]) for row in closes["results"]] == [(1, "computed")]
    assert client.get(API + "results/me/").status_code == 401
    assert (
        login_client(make_person(tenant_b, roles=["performance_inspector"])).get(API + "signals/").status_code
        == 404
    )


def test_team_page_of_p1_shows_the_team_quadrant_of_this_months_close(tenant_a, make_person, login_client):
    from praja.modules.performance import selectors as performance

    office = make_office(tenant_a, make_person, code="9.01", name="Dinas Arsip", staff=2)
    bkpsdm = make_person(tenant_a, roles=["performance_bkpsdm"])
    # A month closes by hand only after its validation deadline: take the month before last.
    today = performance.local_today(tenant_a)
    past = (today.replace(day=1) - datetime.timedelta(days=32)).replace(day=1)
    with use_tenant(tenant_a):
        actions.compute_month_close(actor=bkpsdm, month=past)
    response = login_client(office.head).get(f"/t/kota-bandung/performance/team/?month={past:%Y-%m}")
    text = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="tpp-team-quadrant-title">Kuadran tim</h2>' in text
    assert "<td>Staf Dinas Arsip 1</td>" in text and "<td>Staf Dinas Arsip 2</td>" in text
    assert 'aria-labelledby="tpp-team-quadrant-title tpp-team-quadrant-desc"' in text
