"""`praja demo`: demo regions, organisation, people and logins; demo mode only; idempotent."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from praja.core.accounts.models import OrgUnit, Position, RoleGrant, User
from praja.core.accounts.rules import parse_nik, parse_nip
from praja.core.accounts.selectors import get_supervisor_of
from praja.core.audit.models import AuditEvent
from praja.core.modules import registry
from praja.core.modules.registry import Manifest
from praja.core.reference.models import Area
from praja.core.tenancy.context import use_tenant
from praja.core.tenancy.models import Tenant, TenantModule
from praja.core.testing.demo import DEMO_TOTP_KEY_HEX, DEMO_TOTP_SECRET, DemoBuilder

LOADED: list[str] = []


def load_demo_permits(tenant):
    LOADED.append(tenant.slug)


@pytest.fixture
def demo_module():
    """A module with demo data of its own, so `praja demo` has a load_demo hook to call."""
    registry.register(Manifest(name="demo-izin", label="Izin demo", load_demo=load_demo_permits))
    LOADED.clear()
    yield
    registry._MANIFESTS.pop("demo-izin", None)
    LOADED.clear()


def demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "tenants": Tenant.objects.count(),
        "users": User.objects.count(),
        "units": OrgUnit.all_tenants.count(),
        "positions": Position.all_tenants.count(),
        "grants": RoleGrant.all_tenants.count(),
        "devices": TOTPDevice.objects.count(),
        "events": AuditEvent.objects.count(),
        "modules": TenantModule.all_tenants.count(),
    }


def test_demo_is_refused_outside_demo_mode_and_changes_nothing(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError) as error:
        demo()
    assert str(error.value) == (
        "Mode demo tidak aktif: kata sandi demo hanya boleh dipasang bila PRAJA_DEMO=1. Tidak ada yang diubah."  # noqa: E501
    )
    with pytest.raises(CommandError, match="^Mode demo tidak aktif"):
        demo("totp", "operator@praja.id")
    assert counts() == dict.fromkeys(counts(), 0)


def test_demo_creates_three_regions_and_a_second_run_changes_nothing(db, settings, demo_module):
    settings.DEMO_MODE = True
    first = demo()
    assert first.startswith("Data demo dimuat: 3 daerah, ")
    assert [(t.code, t.slug, t.name, t.timezone_label) for t in Tenant.objects.order_by("code")] == [
        ("32.73", "kota-bandung", "Kota Bandung", "WIB"),
        ("36.04", "kabupaten-serang", "Kabupaten Serang", "WIB"),
        ("52.71", "kota-mataram", "Kota Mataram", "WITA"),
    ]
    assert LOADED == ["kota-bandung", "kabupaten-serang", "kota-mataram"]
    # A module an admin switched off stays off, and its demo loader is not called again.
    serang = Tenant.objects.get(slug="kabupaten-serang")
    with use_tenant(serang):
        TenantModule.objects.filter(module="demo-izin").update(is_enabled=False)
    before = counts()

    second = demo()
    assert second.startswith("Data demo sudah lengkap; tidak ada yang diubah.\n")
    assert counts() == before
    assert LOADED == ["kota-bandung", "kabupaten-serang", "kota-mataram", "kota-bandung", "kota-mataram"]
    # Both runs print the same logins.
    assert first.split("\n", 1)[1] == second.split("\n", 1)[1]
    lines = second.splitlines()
    assert lines[2] == "Login demo (kata sandi semua akun: praja-demo)"
    assert lines[3].split() == ["EMAIL", "PERAN", "DAERAH", "TOTP"]
    assert lines[4].split() == ["operator@praja.id", "Operator", "platform", "semua", "daerah", "ya"]
    assert lines[5].split() == ["kpk.monitor@praja.id", "Pemantau", "KPK", "3", "daerah", "demo", "-"]
    assert lines[6].split() == [
        "admin@kota-bandung.demo.praja.id",
        "Admin",
        "daerah",
        "(Diskominfo)",
        "Kota",
        "Bandung",
        "ya",
    ]
    assert f"Akun bertanda TOTP memakai kunci demo yang sama: {DEMO_TOTP_SECRET}" in second
    assert demo("--list").splitlines()[1:] == lines[2:]


def test_demo_people_organisation_and_logins(db, settings, client):
    settings.DEMO_MODE = True
    demo()
    bandung = Tenant.objects.get(slug="kota-bandung")
    emails = {
        f"{name}@kota-bandung.demo.praja.id"
        for name in ["admin", "approver", "official", "inspector", "kpk", "citizen"]
    }
    logins = User.objects.filter(email__in=emails | {"operator@praja.id", "kpk.monitor@praja.id"})
    assert logins.count() == len(emails) + 2
    assert all(user.check_password("praja-demo") and user.has_verified_email for user in logins)
    # Modules' roles get a login each too (demo_roles); the rest are generated people.
    role_logins = set(DemoBuilder.tenant_login_emails(bandung))
    generated = (
        User.objects.exclude(pk__in=logins.values("pk"))
        .exclude(email__in=role_logins)
        .filter(email__endswith="@kota-bandung.demo.praja.id")
    )
    assert generated.count() > 100
    assert not any(user.has_usable_password() for user in generated)

    # NIKs carry a real district of the person's region; NIPs agree with the NIK's birth date and sex.
    districts = set(Area.objects.filter(level="district").values_list("code", flat=True))
    with_nik = User.objects.exclude(nik=None).select_related("home_tenant")
    assert with_nik.count() > 300
    for user in with_nik:
        nik = parse_nik(user.nik, district_exists=districts.__contains__)
        assert nik.district_code.startswith(user.home_tenant.code + ".")
        if user.nip:
            nip = parse_nip(user.nip)
            assert (nip.birth_date, nip.is_female) == (nik.birth_date, nik.is_female)
    assert User.objects.exclude(nip=None).count() > 250

    with use_tenant(bandung):
        assert {
            "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
            "Badan Pengelolaan Keuangan dan Aset Daerah",
            "Badan Perencanaan Pembangunan Daerah",
            "Dinas Sosial",
            "Inspektorat Daerah",
            "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
            "Dinas Komunikasi dan Informatika",
        } <= set(OrgUnit.objects.filter(kind="perangkat_daerah").values_list("name", flat=True))
        official = User.objects.get(email="official@kota-bandung.demo.praja.id")
        chain = [official]
        while (supervisor := get_supervisor_of(chain[-1])) is not None:
            chain.append(supervisor)
        assert [user.positions.get().title for user in chain] == [
            "Penata Perizinan Ahli Muda",
            "Kepala Bidang Pelayanan Perizinan",
            "Kepala Dinas Penanaman Modal dan PTSP",
            "Sekretaris Daerah",
        ]
        assert chain[2].email == "approver@kota-bandung.demo.praja.id"
        grant = RoleGrant.objects.get(user=chain[2])
        assert (grant.role, grant.org_unit.short_name) == ("approver", "DPMPTSP")

    monitor = User.objects.get(email="kpk.monitor@praja.id")
    assert sorted(RoleGrant.all_tenants.filter(user=monitor).values_list("tenant__slug", "role")) == [
        ("kabupaten-serang", "kpk_monitor"),
        ("kota-bandung", "kpk_monitor"),
        ("kota-mataram", "kpk_monitor"),
    ]
    operator = User.objects.get(email="operator@praja.id")
    assert operator.is_platform_operator

    # Logins needing a second factor share the printed demo secret; `praja demo totp` gives the code.
    with_device = set(TOTPDevice.objects.values_list("user__email", flat=True))
    assert {
        "operator@praja.id",
        "admin@kota-bandung.demo.praja.id",
        "approver@kota-mataram.demo.praja.id",
    } <= with_device
    assert "official@kota-bandung.demo.praja.id" not in with_device
    device = TOTPDevice.objects.get(user=operator)
    assert device.key == DEMO_TOTP_KEY_HEX and device.confirmed
    code = demo("totp", "operator@praja.id").strip()
    assert code == f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    with pytest.raises(
        CommandError, match="^Akun official@kota-bandung.demo.praja.id tidak punya perangkat TOTP"
    ):
        demo("totp", "official@kota-bandung.demo.praja.id")

    # The official can log in with the demo password on the real login page.
    response = client.post(
        "/t/kota-bandung/login/",
        {"identifier": "official@kota-bandung.demo.praja.id", "password": "praja-demo"},
    )
    assert response.status_code == 302
    assert client.get("/t/kota-bandung/profile/").status_code == 200
