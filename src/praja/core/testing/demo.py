"""Demo data: three regions with a realistic organisation, people and one login per role.

Everything is derived from fixed seeds, so running it again finds every row already there and
changes nothing. Demo logins get the password `praja-demo`, which is refused unless the
deployment runs in demo mode (`PRAJA_DEMO=1`).
"""

from __future__ import annotations

import base64
import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from praja.core.accounts.models import OrgUnit, OrgUnitKind, Position, RoleGrant, User
from praja.core.audit.actions import record
from praja.core.modules.registry import all_manifests
from praja.core.permissions.roles import all_roles, get_role
from praja.core.reference.models import Area, AreaLevel
from praja.core.tenancy.context import require_current_tenant, use_tenant
from praja.core.tenancy.models import Tenant, TenantModule

DEMO_PASSWORD = "praja-demo"
# One TOTP secret for every demo login that needs a second factor, so a person can add it to an
# authenticator app once. Demo mode only: it is printed in the README.
DEMO_TOTP_KEY = b"praja-demo-totp-key!"
DEMO_TOTP_KEY_HEX = DEMO_TOTP_KEY.hex()
DEMO_TOTP_SECRET = base64.b32encode(DEMO_TOTP_KEY).decode()
DEMO_TOTP_DEVICE_NAME = "demo"

OPERATOR_EMAIL = "operator@praja.id"
KPK_MONITOR_EMAIL = "kpk.monitor@praja.id"

# (code, slug, letterhead address)
DEMO_TENANTS = (
    ("32.73", "kota-bandung", "Jl. Wastukencana No. 2, Bandung 40117"),
    ("36.04", "kabupaten-serang", "Jl. Veteran No. 1, Serang 42111"),
    ("52.71", "kota-mataram", "Jl. Pejanggik No. 16, Mataram 83121"),
)
# The login name of each core role's demo user; module roles use their own name.
ROLE_LOGIN_NAMES = {
    "tenant_admin": "admin",
    "approver": "approver",
    "official": "official",
    "inspector": "inspector",
    "kpk_monitor": "kpk",
}
CITIZEN_LOGIN_NAME = "citizen"
CITIZENS_PER_TENANT = 24
# Dates are drawn relative to a fixed year so the data does not change with the calendar.
REFERENCE_YEAR = 2025


@dataclass(frozen=True)
class UnitSpec:
    name: str
    head_title: str
    staff_titles: tuple[str, ...] = ("Analis Kebijakan Ahli Muda", "Pengadministrasi Umum")


@dataclass(frozen=True)
class AgencySpec:
    """A perangkat daerah: code after the urusan nomenclature (Permendagri 90/2019), its units."""

    code: str
    name: str
    short_name: str
    head_title: str
    units: tuple[UnitSpec, ...]


def _secretariat(head: str = "Sekretaris") -> UnitSpec:
    return UnitSpec(
        "Sekretariat", head, ("Kepala Subbagian Umum dan Kepegawaian", "Pengadministrasi Perkantoran")
    )


AGENCIES = (
    AgencySpec(
        "4.01",
        "Sekretariat Daerah",
        "Setda",
        "Sekretaris Daerah",
        (
            UnitSpec("Bagian Organisasi", "Kepala Bagian Organisasi", ("Analis Kelembagaan Ahli Muda",)),
            UnitSpec(
                "Bagian Pengadaan Barang dan Jasa",
                "Kepala Bagian Pengadaan Barang dan Jasa",
                ("Pengelola Pengadaan Barang/Jasa Ahli Muda", "Pengelola Pengadaan Barang/Jasa Ahli Pertama"),
            ),
        ),
    ),
    AgencySpec(
        "2.18",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "DPMPTSP",
        "Kepala Dinas Penanaman Modal dan PTSP",
        (
            _secretariat(),
            UnitSpec(
                "Bidang Pelayanan Perizinan",
                "Kepala Bidang Pelayanan Perizinan",
                ("Penata Perizinan Ahli Muda", "Penata Perizinan Ahli Pertama", "Pengadministrasi Perizinan"),
            ),
            UnitSpec(
                "Bidang Pengaduan, Kebijakan dan Pelaporan Layanan",
                "Kepala Bidang Pengaduan, Kebijakan dan Pelaporan Layanan",
            ),
        ),
    ),
    AgencySpec(
        "5.02",
        "Badan Pengelolaan Keuangan dan Aset Daerah",
        "BPKAD",
        "Kepala BPKAD",
        (
            _secretariat(),
            UnitSpec(
                "Bidang Anggaran",
                "Kepala Bidang Anggaran",
                ("Analis Anggaran Ahli Muda", "Pengelola Anggaran"),
            ),
            UnitSpec(
                "Bidang Perbendaharaan",
                "Kepala Bidang Perbendaharaan",
                ("Bendahara Umum Daerah", "Pengelola Perbendaharaan"),
            ),
            UnitSpec(
                "Bidang Akuntansi dan Aset",
                "Kepala Bidang Akuntansi dan Aset",
                ("Analis Keuangan Pusat dan Daerah Ahli Muda", "Pengurus Barang"),
            ),
        ),
    ),
    AgencySpec(
        "5.01",
        "Badan Perencanaan Pembangunan Daerah",
        "Bappeda",
        "Kepala Bappeda",
        (
            _secretariat(),
            UnitSpec(
                "Bidang Perencanaan, Pengendalian dan Evaluasi Pembangunan",
                "Kepala Bidang Perencanaan, Pengendalian dan Evaluasi Pembangunan",
                ("Perencana Ahli Muda", "Perencana Ahli Pertama"),
            ),
            UnitSpec(
                "Bidang Pemerintahan dan Pembangunan Manusia",
                "Kepala Bidang Pemerintahan dan Pembangunan Manusia",
                ("Perencana Ahli Muda",),
            ),
        ),
    ),
    AgencySpec(
        "1.06",
        "Dinas Sosial",
        "Dinsos",
        "Kepala Dinas Sosial",
        (
            _secretariat(),
            UnitSpec(
                "Bidang Perlindungan dan Jaminan Sosial",
                "Kepala Bidang Perlindungan dan Jaminan Sosial",
                ("Pekerja Sosial Ahli Muda", "Penyuluh Sosial Ahli Pertama"),
            ),
            UnitSpec(
                "Bidang Rehabilitasi dan Pemberdayaan Sosial",
                "Kepala Bidang Rehabilitasi dan Pemberdayaan Sosial",
                ("Pekerja Sosial Ahli Pertama",),
            ),
        ),
    ),
    AgencySpec(
        "5.03",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "BKPSDM",
        "Kepala BKPSDM",
        (
            _secretariat(),
            UnitSpec(
                "Bidang Mutasi dan Promosi",
                "Kepala Bidang Mutasi dan Promosi",
                ("Analis Sumber Daya Manusia Aparatur Ahli Muda", "Pengelola Data Kepegawaian"),
            ),
            UnitSpec(
                "Bidang Pengembangan Kompetensi Aparatur",
                "Kepala Bidang Pengembangan Kompetensi Aparatur",
                ("Widyaiswara Ahli Muda",),
            ),
        ),
    ),
    AgencySpec(
        "6.01",
        "Inspektorat Daerah",
        "Inspektorat",
        "Inspektur",
        (
            _secretariat(),
            UnitSpec(
                "Inspektur Pembantu Wilayah I",
                "Inspektur Pembantu Wilayah I",
                (
                    "Auditor Ahli Madya",
                    "Auditor Ahli Muda",
                    "Pengawas Penyelenggaraan Urusan Pemerintahan Daerah",
                ),
            ),
            UnitSpec(
                "Inspektur Pembantu Wilayah II",
                "Inspektur Pembantu Wilayah II",
                ("Auditor Ahli Muda", "Auditor Ahli Pertama"),
            ),
        ),
    ),
    AgencySpec(
        "2.16",
        "Dinas Komunikasi dan Informatika",
        "Diskominfo",
        "Kepala Dinas Komunikasi dan Informatika",
        (
            _secretariat(),
            UnitSpec(
                "Bidang Aplikasi Informatika",
                "Kepala Bidang Aplikasi Informatika",
                ("Pranata Komputer Ahli Muda", "Pranata Komputer Ahli Pertama"),
            ),
            UnitSpec(
                "Bidang Informasi dan Komunikasi Publik",
                "Kepala Bidang Informasi dan Komunikasi Publik",
                ("Pranata Hubungan Masyarakat Ahli Muda",),
            ),
            UnitSpec(
                "Bidang Persandian dan Statistik",
                "Kepala Bidang Persandian dan Statistik",
                ("Sandiman Ahli Muda", "Statistisi Ahli Pertama"),
            ),
        ),
    ),
    AgencySpec(
        "2.12",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Disdukcapil",
        "Kepala Dinas Kependudukan dan Pencatatan Sipil",
        (
            _secretariat(),
            UnitSpec(
                "Bidang Pelayanan Pendaftaran Penduduk",
                "Kepala Bidang Pelayanan Pendaftaran Penduduk",
                ("Administrator Database Kependudukan Ahli Pertama", "Pengadministrasi Kependudukan"),
            ),
            UnitSpec(
                "Bidang Pelayanan Pencatatan Sipil",
                "Kepala Bidang Pelayanan Pencatatan Sipil",
                ("Pengadministrasi Pencatatan Sipil",),
            ),
        ),
    ),
)
# Job classes (kelas jabatan) by level; Perpres on TPP uses them for weights.
_CLASS_REGIONAL_SECRETARY, _CLASS_HEAD, _CLASS_UNIT_HEAD, _CLASS_SECRETARY, _CLASS_STAFF = 15, 14, 11, 12, 8

# Which position each core demo login holds: (agency code, unit name or None for the head, title).
DEMO_LOGIN_POSITIONS = {
    "approver": ("2.18", None, "Kepala Dinas Penanaman Modal dan PTSP"),
    "official": ("2.18", "Bidang Pelayanan Perizinan", "Penata Perizinan Ahli Muda"),
    "tenant_admin": ("2.16", "Bidang Aplikasi Informatika", "Kepala Bidang Aplikasi Informatika"),
    "inspector": ("6.01", "Inspektur Pembantu Wilayah I", "Auditor Ahli Muda"),
    # e-Kinerja (performance): this login is the direct supervisor of the `official` login.
    "performance_pegawai": ("2.18", "Bidang Pelayanan Perizinan", "Kepala Bidang Pelayanan Perizinan"),
}
# Core demo logins scoped to a perangkat daerah (the others act tenant-wide).
DEMO_LOGIN_SCOPE = {"approver": "2.18", "official": "2.18"}


class DemoModeRequired(ImproperlyConfigured):
    """The demo password may only be set on a deployment running in demo mode."""


@dataclass
class DemoLogin:
    email: str
    label: str
    tenant: str  # tenant name, or a description for platform-wide logins
    needs_second_factor: bool = False


@dataclass
class DemoResult:
    created: dict[str, int] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)

    def count(self, what: str, number: int = 1) -> None:
        if number:
            self.created[what] = self.created.get(what, 0) + number

    @property
    def changed(self) -> bool:
        return bool(self.created)


def demo_email(role_or_citizen: str, tenant_slug: str) -> str:
    local = ROLE_LOGIN_NAMES.get(role_or_citizen, role_or_citizen.replace("_", "-").replace(".", "-"))
    return f"{local}@{tenant_slug}.demo.praja.id"


def demo_roles() -> list[str]:
    """Every role a demo tenant gets one login for: the core roles first, then those modules add."""
    core = list(ROLE_LOGIN_NAMES)
    return core + [role.name for role in all_roles() if role.name not in ROLE_LOGIN_NAMES]


# --- People generated from a seed -----------------------------------------------------------------


@dataclass
class PersonSpec:
    full_name: str
    email: str
    nik: str
    nip: str | None
    phone: str


_DEGREES = ("S.E.", "S.H.", "S.Kom.", "S.Sos.", "S.T.", "S.AP.", "M.Si.", "M.M.", "S.Ak.", "M.AP.")
_MOBILE_PREFIXES = ("811", "812", "813", "821", "822", "852", "853", "857", "858", "877", "878", "895", "896")


class PeopleFactory:
    """Deterministic Indonesian people for one tenant: names, valid NIKs (tenant's districts), NIPs.

    Each person is drawn from its own seed (tenant, position or role), so adding a position or a
    module role later leaves every existing demo person exactly as it was.
    """

    def __init__(self, tenant_code: str, tenant_slug: str, used_niks: set[str], used_nips: set[str]):
        from faker import Faker

        self.fake = Faker("id_ID")
        self.code = tenant_code
        self.slug = tenant_slug
        self.districts = list(
            Area.objects.filter(parent_code=tenant_code, level=AreaLevel.DISTRICT)
            .order_by("code")
            .values_list("code", flat=True)
        )
        if not self.districts:
            raise ImproperlyConfigured(f"no districts of {tenant_code} in the area reference data")
        self.used_niks, self.used_nips = used_niks, used_nips
        self.used_emails: set[str] = set()

    @property
    def random(self):
        # Faker replaces its Random instance on the first seed_instance(); always ask for the current one.
        return self.fake.random

    def _birth_date(self, min_age: int, max_age: int) -> datetime.date:
        start = datetime.date(REFERENCE_YEAR - max_age, 1, 1)
        end = datetime.date(REFERENCE_YEAR - min_age, 12, 31)
        return start + datetime.timedelta(days=self.random.randint(0, (end - start).days))

    def _nik(self, birth: datetime.date, is_female: bool) -> str:
        district = self.random.choice(self.districts).replace(".", "")
        day = birth.day + (40 if is_female else 0)  # Permendagri 19/2018: women's day + 40
        while True:
            serial = self.random.randint(1, 9999)
            nik = f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"
            if nik not in self.used_niks:
                self.used_niks.add(nik)
                return nik

    def _nip(self, birth: datetime.date, is_female: bool) -> str:
        # NIP: birth date, CPNS appointment (TMT) year and month, sex (1 male, 2 female), serial.
        appointed = min(birth.year + self.random.randint(22, 30), REFERENCE_YEAR - 1)
        while True:
            nip = (
                f"{birth:%Y%m%d}{appointed}{self.random.randint(1, 12):02d}{2 if is_female else 1}"
                f"{self.random.randint(1, 999):03d}"
            )
            if nip not in self.used_nips:
                self.used_nips.add(nip)
                return nip

    def _email(self, first: str, last: str) -> str:
        local = f"{slugify(first)}.{slugify(last)}".strip(".") or "warga"
        while True:
            email = f"{local}{self.random.randint(1, 99)}@{self.slug}.demo.praja.id"
            if email not in self.used_emails:
                self.used_emails.add(email)
                return email

    def person(self, seed: str, *, civil_servant: bool, email: str | None = None) -> PersonSpec:
        self.fake.seed_instance(f"praja-demo-{self.code}-{seed}")
        is_female = self.random.random() < 0.5
        if is_female:
            first, last = self.fake.first_name_female(), self.fake.last_name_female()
        else:
            first, last = self.fake.first_name_male(), self.fake.last_name_male()
        full_name = f"{first} {last}"
        if civil_servant and self.random.random() < 0.6:
            full_name += f", {self.random.choice(_DEGREES)}"
        birth = self._birth_date(24, 57) if civil_servant else self._birth_date(18, 75)
        phone = f"0{self.random.choice(_MOBILE_PREFIXES)}{self.random.randint(1000000, 99999999)}"
        return PersonSpec(
            full_name=full_name,
            email=email or self._email(first, last),
            nik=self._nik(birth, is_female),
            nip=self._nip(birth, is_female) if civil_servant else None,
            phone=phone,
        )


# --- Builders ------------------------------------------------------------------------------------


def require_demo_mode() -> None:
    if not settings.DEMO_MODE:
        raise DemoModeRequired(
            _(
                "Mode demo tidak aktif: kata sandi demo hanya boleh dipasang bila PRAJA_DEMO=1. "
                "Tidak ada yang diubah."
            )
        )


class DemoBuilder:
    def __init__(self) -> None:
        self.result = DemoResult()
        self._password_hash = ""
        self.grants: dict[int, set[tuple[int, str]]] = {}  # tenant id -> (user id, role) held
        self.used_niks: set[str] = set()
        self.used_nips: set[str] = set()
        self.users_by_email = {
            user.email: user for user in User.objects.filter(email__endswith=".demo.praja.id")
        } | {user.email: user for user in User.objects.filter(email__in=[OPERATOR_EMAIL, KPK_MONITOR_EMAIL])}

    @property
    def password_hash(self) -> str:
        # Hashed once, and only when a login is created: argon2 is slow on purpose.
        if not self._password_hash:
            self._password_hash = make_password(DEMO_PASSWORD)
        return self._password_hash

    # people

    def ensure_user(
        self,
        spec: PersonSpec | None,
        *,
        email: str,
        full_name: str = "",
        tenant: Tenant | None,
        can_log_in: bool,
        is_platform_operator: bool = False,
    ) -> User:
        user = self.users_by_email.get(email)
        if user is not None:
            return user
        fields = {"full_name": full_name, "phone": ""}
        if spec is not None:
            fields = {"full_name": spec.full_name, "phone": spec.phone, "nik": spec.nik, "nip": spec.nip}
            # A real account may already hold the number; the demo person then goes without.
            if User.objects.filter(nik=spec.nik).exists():
                fields["nik"] = None
            if spec.nip and User.objects.filter(nip=spec.nip).exists():
                fields["nip"] = None
        user = User(
            email=email,
            home_tenant=tenant,
            email_verified_at=timezone.now(),
            is_platform_operator=is_platform_operator,
            **fields,
        )
        if can_log_in:
            user.password = self.password_hash
        else:
            user.set_unusable_password()
        user.save()
        self.users_by_email[email] = user
        self.result.count(_("orang"))
        return user

    def ensure_grant(self, user: User, role: str, org_unit: OrgUnit | None = None) -> None:
        """Grant `role` in the active tenant unless the person already holds it there."""
        tenant = require_current_tenant()
        if tenant.pk not in self.grants:
            self.grants[tenant.pk] = set(
                RoleGrant.objects.filter(revoked_at__isnull=True).values_list("user_id", "role")
            )
        if (user.pk, role) not in self.grants[tenant.pk]:
            RoleGrant.objects.create(user=user, role=role, org_unit=org_unit)
            self.grants[tenant.pk].add((user.pk, role))
            self.result.count(_("peran"))

    def ensure_second_factor(self, user: User) -> None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from praja.core.permissions.checks import requires_second_factor

        if requires_second_factor(user) and not TOTPDevice.objects.filter(user=user).exists():
            TOTPDevice.objects.create(
                user=user, name=DEMO_TOTP_DEVICE_NAME, key=DEMO_TOTP_KEY_HEX, confirmed=True
            )
            self.result.count(_("perangkat TOTP"))

    # tenants

    def ensure_tenant(self, code: str, slug: str, address: str) -> Tenant:
        from praja.core.tenancy.actions import add_tenant

        tenant = Tenant.objects.filter(code=code).first()
        if tenant is None:
            tenant = add_tenant(code=code, actor=None, slug=slug)
            tenant.letterhead_address = address
            tenant.save(update_fields=["letterhead_address"])
            self.result.count(_("daerah"))
        return tenant

    def ensure_organisation(self, tenant: Tenant) -> dict[tuple[str, str | None, str], Position]:
        """Create the perangkat daerah, units and positions; return positions by (agency, unit, title)."""
        units = {unit.code: unit for unit in OrgUnit.objects.all()}
        positions = {(p.org_unit_id, p.title): p for p in Position.objects.all()}
        by_key: dict[tuple[str, str | None, str], Position] = {}

        def unit(code, name, short_name, kind, parent=None) -> OrgUnit:
            if code not in units:
                units[code] = OrgUnit.objects.create(
                    code=code, name=name, short_name=short_name, kind=kind, parent=parent
                )
                self.result.count(_("unit organisasi"))
            return units[code]

        def position(org_unit, title, job_class, supervisor) -> Position:
            key = (org_unit.pk, title)
            if key not in positions:
                positions[key] = Position.objects.create(
                    org_unit=org_unit, title=title, job_class=job_class, supervisor=supervisor
                )
                self.result.count(_("jabatan"))
            return positions[key]

        regional_secretary = None
        for agency in AGENCIES:
            agency_unit = unit(agency.code, agency.name, agency.short_name, OrgUnitKind.PERANGKAT_DAERAH)
            is_secretariat = agency.code == "4.01"
            head = position(
                agency_unit,
                agency.head_title,
                _CLASS_REGIONAL_SECRETARY if is_secretariat else _CLASS_HEAD,
                regional_secretary,
            )
            if is_secretariat:
                regional_secretary = head
            by_key[(agency.code, None, agency.head_title)] = head
            for number, spec in enumerate(agency.units, start=1):
                org_unit = unit(f"{agency.code}.{number:02d}", spec.name, "", OrgUnitKind.UNIT, agency_unit)
                unit_head = position(
                    org_unit,
                    spec.head_title,
                    _CLASS_SECRETARY if spec.name == "Sekretariat" else _CLASS_UNIT_HEAD,
                    head,
                )
                by_key[(agency.code, spec.name, spec.head_title)] = unit_head
                for title in spec.staff_titles:
                    by_key[(agency.code, spec.name, title)] = position(
                        org_unit, title, _CLASS_STAFF, unit_head
                    )
        return by_key

    def fill_positions(
        self, tenant: Tenant, people: PeopleFactory, positions: dict[tuple[str, str | None, str], Position]
    ) -> None:
        login_for = {key: role for role, key in DEMO_LOGIN_POSITIONS.items()}
        agencies = {unit.code: unit for unit in OrgUnit.objects.filter(kind=OrgUnitKind.PERANGKAT_DAERAH)}
        for key, position in positions.items():
            role = login_for.get(key)
            email = demo_email(role, tenant.slug) if role else None
            spec = people.person("/".join(part or "" for part in key), civil_servant=True, email=email)
            user = self.ensure_user(spec, email=spec.email, tenant=tenant, can_log_in=role is not None)
            if position.holder_id is None:
                position.holder = user
                position.save(update_fields=["holder"])
            agency = agencies[key[0]]
            if role is None:
                self.ensure_grant(user, "approver" if key[1] is None else "official", agency)
            else:
                scope = DEMO_LOGIN_SCOPE.get(role)
                self.ensure_grant(user, role, agencies[scope] if scope else None)

    def add_role_logins(self, tenant: Tenant, people: PeopleFactory) -> None:
        """One login for each role that does not hold a position (KPK, module roles), and a citizen."""
        for role in demo_roles():
            if role in DEMO_LOGIN_POSITIONS:
                continue
            spec = people.person(
                f"role/{role}", civil_servant=role != "kpk_monitor", email=demo_email(role, tenant.slug)
            )
            user = self.ensure_user(spec, email=spec.email, tenant=tenant, can_log_in=True)
            self.ensure_grant(user, role)
        spec = people.person(
            "citizen-login", civil_servant=False, email=demo_email(CITIZEN_LOGIN_NAME, tenant.slug)
        )
        self.ensure_user(spec, email=spec.email, tenant=tenant, can_log_in=True)
        for number in range(1, CITIZENS_PER_TENANT + 1):
            spec = people.person(f"citizen/{number}", civil_servant=False)
            self.ensure_user(spec, email=spec.email, tenant=tenant, can_log_in=False)

    def ensure_modules(self, tenant: Tenant) -> None:
        from praja.core.tenancy.actions import set_module_enabled

        configured = set(TenantModule.objects.values_list("module", flat=True))
        for manifest in all_manifests():
            # Switch on what has never been configured; a module an admin switched off stays off.
            if manifest.name not in configured:
                set_module_enabled(actor=None, tenant=tenant, module=manifest.name, enabled=True)
                self.result.count(_("modul"))
        enabled = set(TenantModule.objects.filter(is_enabled=True).values_list("module", flat=True))
        for manifest in all_manifests():
            if manifest.name in enabled and manifest.load_demo is not None:
                manifest.load_demo(tenant)

    def build_tenant(self, code: str, slug: str, address: str) -> Tenant:
        tenant = self.ensure_tenant(code, slug, address)
        before = dict(self.result.created)
        with use_tenant(tenant):
            people = PeopleFactory(code, tenant.slug, self.used_niks, self.used_nips)
            positions = self.ensure_organisation(tenant)
            self.fill_positions(tenant, people, positions)
            self.add_role_logins(tenant, people)
            self.ensure_modules(tenant)
            for email in self.tenant_login_emails(tenant):
                self.ensure_second_factor(self.users_by_email[email])
            added = {
                what: count - before.get(what, 0)
                for what, count in self.result.created.items()
                if count != before.get(what, 0)
            }
            if added:
                record("demo.data_loaded", data={"added": added})
        return tenant

    def build_platform_logins(self, tenants: list[Tenant]) -> None:
        operator = self.ensure_user(
            None,
            email=OPERATOR_EMAIL,
            full_name="Operator Platform Praja",
            tenant=None,
            can_log_in=True,
            is_platform_operator=True,
        )
        self.ensure_second_factor(operator)
        monitor = self.ensure_user(
            None,
            email=KPK_MONITOR_EMAIL,
            full_name="Pemantau KPK Koordinasi Wilayah",
            tenant=None,
            can_log_in=True,
        )
        for tenant in tenants:
            with use_tenant(tenant):
                self.ensure_grant(monitor, "kpk_monitor")
        self.ensure_second_factor(monitor)

    @staticmethod
    def tenant_login_emails(tenant: Tenant) -> list[str]:
        return [demo_email(role, tenant.slug) for role in demo_roles()] + [
            demo_email(CITIZEN_LOGIN_NAME, tenant.slug)
        ]


def build_demo() -> DemoResult:
    """Create (or find) the demo tenants, their organisation, people and logins; idempotent."""
    require_demo_mode()
    builder = DemoBuilder()
    with transaction.atomic():
        tenants = [builder.build_tenant(code, slug, address) for code, slug, address in DEMO_TENANTS]
        builder.build_platform_logins(tenants)
    builder.result.logins = list(iter_demo_logins())
    return builder.result


def iter_demo_logins() -> Iterator[DemoLogin]:
    """The demo logins that exist in the database, platform-wide ones first."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with_device = set(
        TOTPDevice.objects.filter(name=DEMO_TOTP_DEVICE_NAME).values_list("user__email", flat=True)
    )
    platform = {OPERATOR_EMAIL: _("Operator platform"), KPK_MONITOR_EMAIL: _("Pemantau KPK")}
    existing = set(User.objects.filter(email__in=platform).values_list("email", flat=True))
    for email, label in platform.items():
        if email in existing:
            scope = (
                _("semua daerah")
                if email == OPERATOR_EMAIL
                else _("%(count)d daerah demo") % {"count": len(DEMO_TENANTS)}
            )
            yield DemoLogin(email, label, scope, email in with_device)
    for code, _slug, _address in DEMO_TENANTS:
        tenant = Tenant.objects.filter(code=code).first()
        if tenant is None:
            continue
        emails = {demo_email(role, tenant.slug): role for role in demo_roles()}
        emails[demo_email(CITIZEN_LOGIN_NAME, tenant.slug)] = None
        existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        for email, role_name in emails.items():
            if email not in existing:
                continue
            role = get_role(role_name) if role_name else None
            label = str(role.label) if role else _("Warga")
            yield DemoLogin(email, label, tenant.name, email in with_device)


def current_demo_totp(email: str) -> str:
    """The current six-digit code of a demo login's TOTP device (demo mode only)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    require_demo_mode()
    device = (
        TOTPDevice.objects.filter(user__email=email.strip().lower(), confirmed=True).order_by("pk").first()
    )
    if device is None:
        raise User.DoesNotExist(_("Akun %(email)s tidak punya perangkat TOTP demo.") % {"email": email})
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"
