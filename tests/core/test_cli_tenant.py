"""`praja tenant add|list|adopt` and the adoption action behind it."""

import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from praja.core.accounts.models import OrgUnit, RoleGrant, User
from praja.core.audit.models import AuditEvent
from praja.core.modules import registry
from praja.core.modules.registry import Manifest
from praja.core.tenancy.adoption import adopt_configuration
from praja.core.tenancy.context import use_tenant
from praja.core.tenancy.models import Tenant, TenantModule
from tests.caseapp.models import SampleCase


def run(*args) -> str:
    out = StringIO()
    call_command("tenant", *args, stdout=out)
    return out.getvalue()


# --- add ---------------------------------------------------------------------------------------


def test_add_takes_name_level_province_and_timezone_from_the_code(db):
    output = run("add", "36.03")
    assert output.splitlines() == [
        "Daerah ditambahkan: Kabupaten Tangerang (36.03)",
        "  slug       : kabupaten-tangerang",
        "  tingkat    : Kabupaten",
        "  provinsi   : Banten (36)",
        "  zona waktu : WIB (Asia/Jakarta)",
        "  host       : -",
        "  alamat     : /t/kabupaten-tangerang/",
    ]
    tenant = Tenant.objects.get(code="36.03")
    assert (tenant.name, tenant.level, tenant.province_name, tenant.timezone) == (
        "Kabupaten Tangerang",
        "kabupaten",
        "Banten",
        "Asia/Jakarta",
    )
    assert AuditEvent.objects.filter(tenant=tenant, event_type="tenant.created").count() == 1


def test_add_a_province_in_wita_with_its_own_slug_and_host(db):
    output = run("add", "52", "--slug", "ntb", "--host", "Layanan.NTBProv.go.id")
    assert "Daerah ditambahkan: Provinsi Nusa Tenggara Barat (52)" in output
    assert "  zona waktu : WITA (Asia/Makassar)" in output
    tenant = Tenant.objects.get(code="52")
    assert (tenant.slug, tenant.host_name, tenant.level) == ("ntb", "layanan.ntbprov.go.id", "provinsi")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["99.99"], "Kode 99.99 bukan kode provinsi atau kabupaten/kota dalam data wilayah Kemendagri."),
        (
            ["32.73.01"],
            "Kode 32.73.01 bukan kode provinsi atau kabupaten/kota dalam data wilayah Kemendagri.",
        ),
        (
            ["36.03", "--slug", "Kab Tangerang!"],
            "Slug Kab Tangerang! tidak sah: gunakan huruf kecil, angka dan tanda hubung.",
        ),
        (["36.03", "--host", "bukan host"], "Nama host bukan host tidak sah"),
        (["36.03", "--host", "127.0.0.1"], "Nama host 127.0.0.1"),
    ],
)
def test_add_refuses_bad_input_and_creates_nothing(db, args, message):
    with pytest.raises(CommandError) as error:
        run("add", *args)
    assert str(error.value).startswith(message)
    assert Tenant.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_add_refuses_an_existing_code_or_slug(tenant_a):
    with pytest.raises(CommandError, match=r"^Pemerintah daerah dengan kode 32.73 sudah ada.$"):
        run("add", "32.73")
    with pytest.raises(CommandError, match=r"^Slug kota-bandung sudah dipakai daerah lain.$"):
        run("add", "36.03", "--slug", "kota-bandung")
    assert list(Tenant.objects.values_list("code", flat=True)) == ["32.73"]


# --- list --------------------------------------------------------------------------------------


def test_list_shows_every_tenant_with_its_enabled_modules(tenant_a, tenant_b, tenant_wita):
    tenant_a.host_name = "bandung.praja.example"
    tenant_a.save()
    tenant_wita.is_active = False
    tenant_wita.save()
    with use_tenant(tenant_a):
        TenantModule.objects.create(module="sample", is_enabled=True)
        TenantModule.objects.create(module="perizinan", is_enabled=True)
    with use_tenant(tenant_b):
        TenantModule.objects.create(module="sample", is_enabled=False)
    assert run("list").splitlines() == [
        "KODE   SLUG              NAMA              TINGKAT    ZONA  HOST                   AKTIF  MODUL",
        "32.73  kota-bandung      Kota Bandung      Kota       WIB   bandung.praja.example  ya     perizinan,sample",  # noqa: E501
        "36.04  kabupaten-serang  Kabupaten Serang  Kabupaten  WIB   -                      ya     -",
        "52.71  kota-mataram      Kota Mataram      Kota       WITA  -                      tidak  -",
        "3 daerah.",
    ]


def test_list_without_tenants_says_how_to_add_one(db):
    assert run("list") == "Belum ada daerah. Tambahkan dengan: praja tenant add <kode>\n"


# --- adopt -------------------------------------------------------------------------------------

# A module's own adoptable configuration (think: a permit catalogue), kept per tenant id.
CATALOGUES: dict[int, list[str]] = {}


def adopt_catalogue(source, target, actor=None):
    """Copy the source's catalogue entries the target lacks; report the ones copied."""
    target_items = CATALOGUES.setdefault(target.pk, [])
    copied = [item for item in CATALOGUES.get(source.pk, []) if item not in target_items]
    target_items.extend(copied)
    return [f"katalog: {item}" for item in copied]


@pytest.fixture
def catalogue_module():
    manifest = Manifest(
        name="katalog",
        label="Katalog izin",
        default_parameters={"sla_days": 5, "fee": 0},
        adopt=adopt_catalogue,
    )
    registry.register(manifest)
    CATALOGUES.clear()
    yield manifest
    registry._MANIFESTS.pop("katalog", None)
    CATALOGUES.clear()


@pytest.fixture
def bandung_configured(tenant_a, tenant_b, catalogue_module, make_person):
    """Kota Bandung with two configured modules, cases and people; Kabupaten Serang still bare."""
    with use_tenant(tenant_a):
        TenantModule.objects.create(
            module="sample",
            is_enabled=True,
            parameters={
                "sla_days": 3,
                "fee": 15000.0,
                "requires_attachment": True,
                "intro_text": "Sampurasun",
                "retired_key": 1,
            },
        )
        TenantModule.objects.create(module="katalog", is_enabled=False, parameters={"sla_days": 7, "fee": 0})
        unit = OrgUnit.objects.create(code="2.18", name="DPMPTSP", kind="perangkat_daerah")
    applicant = make_person(tenant_a)
    make_person(tenant_a, roles=["approver"], org_unit=unit)
    with use_tenant(tenant_a):
        SampleCase.objects.create(title="Izin reklame", applicant=applicant)
    CATALOGUES[tenant_a.pk] = ["Izin reklame", "Izin usaha mikro"]
    return tenant_a


def test_adopt_copies_module_configuration_but_no_cases_or_people(bandung_configured, tenant_b):
    people_before = User.objects.count()
    output = run("adopt", "--from", "kota-bandung", "--to", "kabupaten-serang")
    assert output.splitlines() == [
        "Adopsi konfigurasi Kota Bandung -> Kabupaten Serang",
        "  katalog: ditambahkan (nonaktif); parameter diubah: sla_days; katalog: Izin reklame; "
        "katalog: Izin usaha mikro",
        "  sample: ditambahkan (aktif); parameter diubah: fee, intro_text, sla_days",
        "2 modul berubah; dicatat di rantai audit Kabupaten Serang (#2).",
    ]
    with use_tenant(tenant_b):
        rows = {row.module: (row.is_enabled, row.parameters) for row in TenantModule.objects.all()}
        assert rows == {
            "sample": (
                True,
                {"sla_days": 3, "fee": 15000.0, "requires_attachment": True, "intro_text": "Sampurasun"},
            ),
            "katalog": (False, {"sla_days": 7, "fee": 0}),
        }
        assert SampleCase.objects.count() == 0
        assert RoleGrant.objects.count() == 0
        assert OrgUnit.objects.count() == 0
    assert CATALOGUES[tenant_b.pk] == ["Izin reklame", "Izin usaha mikro"]
    assert User.objects.count() == people_before
    event = AuditEvent.objects.get(tenant=tenant_b, event_type="tenant.configuration_adopted")
    data = json.loads(event.data)
    assert data["source"] == {"code": "32.73", "slug": "kota-bandung", "name": "Kota Bandung"}
    assert data["modules"] == ["katalog", "sample"]
    assert data["changes"][1]["parameters"]["fee"] == {"before": 0.0, "after": 15000.0}
    # The source's chain is untouched.
    assert not AuditEvent.objects.filter(
        tenant=bandung_configured, event_type="tenant.configuration_adopted"
    ).exists()


def test_adopt_twice_changes_nothing_the_second_time(bandung_configured, tenant_b):
    run("adopt", "--from", "kota-bandung", "--to", "kabupaten-serang")
    events = AuditEvent.objects.filter(tenant=tenant_b).count()
    output = run("adopt", "--from", "32.73", "--to", "36.04")
    assert output.splitlines() == [
        "Adopsi konfigurasi Kota Bandung -> Kabupaten Serang",
        "  katalog: tidak berubah",
        "  sample: tidak berubah",
        "Tidak ada yang berubah: konfigurasi Kabupaten Serang sudah sama.",
    ]
    assert AuditEvent.objects.filter(tenant=tenant_b).count() == events


def test_adopt_overwrites_a_changed_parameter_and_switch_and_reports_only_that(bandung_configured, tenant_b):
    run("adopt", "--from", "kota-bandung", "--to", "kabupaten-serang", "--modules", "sample")
    with use_tenant(tenant_b):
        row = TenantModule.objects.get(module="sample")
        row.is_enabled = False
        row.parameters = {**row.parameters, "sla_days": 10}
        row.save()
        assert not TenantModule.objects.filter(module="katalog").exists()
    output = run("adopt", "--from", "kota-bandung", "--to", "kabupaten-serang", "--modules", "sample")
    assert output.splitlines()[1] == "  sample: kini aktif; parameter diubah: sla_days"
    report = adopt_configuration(actor=None, source=bandung_configured, target=tenant_b, modules=["sample"])
    assert not report.changed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--from", "kota-bandung", "--to", "kota-bogor"],
            "Daerah kota-bogor tidak ditemukan; lihat `praja tenant list` untuk slug dan kodenya.",
        ),
        (
            ["--from", "kota-bandung", "--to", "kota-bandung"],
            "Daerah sumber dan tujuan sama (Kota Bandung); pilih daerah lain sebagai sumber.",
        ),
        (
            ["--from", "kota-bandung", "--to", "kabupaten-serang", "--modules", "sample,hibah"],
            "Modul hibah tidak dikenal.",
        ),
        (
            ["--from", "kabupaten-serang", "--to", "kota-bandung", "--modules", "sample"],
            "Modul sample belum diatur di Kabupaten Serang, jadi tidak ada yang dapat diadopsi.",
        ),
    ],
)
def test_adopt_refuses_bad_input_and_changes_nothing(bandung_configured, tenant_b, args, message):
    with pytest.raises(CommandError) as error:
        run("adopt", *args)
    assert str(error.value) == message
    with use_tenant(tenant_b):
        assert TenantModule.objects.count() == 0
    assert not AuditEvent.objects.filter(event_type="tenant.configuration_adopted").exists()


def test_adopt_by_a_person_needs_the_target_admin_or_a_platform_operator(
    bandung_configured, tenant_b, make_person
):
    bandung_admin = make_person(bandung_configured, roles=["tenant_admin"])
    with pytest.raises(PermissionDenied):
        adopt_configuration(actor=bandung_admin, source=bandung_configured, target=tenant_b)
    with use_tenant(tenant_b):
        assert TenantModule.objects.count() == 0

    serang_admin = make_person(tenant_b, roles=["tenant_admin"])
    report = adopt_configuration(
        actor=serang_admin, source=bandung_configured, target=tenant_b, modules=["sample"]
    )
    assert report.changed_modules == ["sample"]
    event = AuditEvent.objects.get(tenant=tenant_b, event_type="tenant.configuration_adopted")
    assert event.actor_id == serang_admin.pk

    operator = make_person(None, is_platform_operator=True)
    report = adopt_configuration(
        actor=operator, source=bandung_configured, target=tenant_b, modules=["katalog"]
    )
    assert report.changed_modules == ["katalog"]
