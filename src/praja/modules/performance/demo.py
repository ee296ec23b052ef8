"""Demo data of e-Kinerja for Kota Bandung: the approved configuration from January 2026, the
activity catalogue of several positions, the employees of DPMPTSP and BKPSDM with their supervisor
chain, and a realistic month of entries and attendance (plus this month so far).

Demo logins (password `praja-demo`): employee `official@kota-bandung.demo.praja.id` (Penata
Perizinan Ahli Muda); supervisor `performance-pegawai@kota-bandung.demo.praja.id` (Kepala Bidang
Pelayanan Perizinan); BKPSDM `performance-bkpsdm@…`, Kepala BKPSDM `performance-bkpsdm-head@…`.
Loaded for Bandung only; other regions adopt the configuration (`praja tenant adopt --modules
performance`). Running it again changes nothing.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from praja.core.accounts.models import OrgUnit, OrgUnitKind, Position, RoleGrant
from praja.core.audit.actions import record
from praja.core.calendar import selectors as calendar
from praja.core.workflow.registry import allow_status_assignment
from praja.modules.performance import rules
from praja.modules.performance.models import (
    AbsenceKind,
    AbsenceRequest,
    Activity,
    ActivityEntry,
    AttendanceEvent,
    AttendanceKind,
    AttendanceSource,
    AttendanceTerminal,
    ConfigStatus,
    Employee,
    EmploymentType,
    EntryStatus,
    JobClassAllowance,
    PerformanceConfig,
    RequestStatus,
)
from praja.modules.performance.permissions import PEGAWAI

DEMO_TENANT_CODE = "32.73"
DEMO_AGENCIES = ("2.18", "5.03")
EFFECTIVE_FROM = datetime.date(2026, 1, 1)
LEGAL_BASIS = (
    "Peraturan Wali Kota Bandung Nomor 116 Tahun 2021 tentang Pedoman Penilaian Kinerja Pegawai "
    "sebagaimana diubah dengan Peraturan Wali Kota Nomor 39 Tahun 2022; PP 94/2021 tentang Disiplin "
    "PNS; Perpres 21/2023 tentang Hari Kerja dan Jam Kerja Instansi Pemerintah."
)
# Besaran TPP per kelas jabatan (Rupiah per month) — illustrative figures of the demo.
ALLOWANCES = {
    1: 1_750_000, 2: 1_900_000, 3: 2_100_000, 4: 2_300_000, 5: 2_600_000, 6: 2_900_000,
    7: 3_300_000, 8: 3_800_000, 9: 5_000_000, 10: 5_800_000, 11: 7_200_000, 12: 8_600_000,
    13: 10_500_000, 14: 14_000_000, 15: 21_000_000, 16: 28_000_000, 17: 35_000_000,
}  # fmt: skip
# (code, name, output unit, standard minutes, job family); family "" = open to everyone.
ACTIVITIES = (
    ("rapat-koordinasi", "Mengikuti rapat koordinasi", "notulen", 90, ""),
    ("laporan-harian", "Menyusun laporan kegiatan harian", "laporan", 30, ""),
    ("verifikasi-berkas", "Memverifikasi kelengkapan berkas permohonan izin", "berkas", 20, "perizinan"),
    ("kajian-teknis", "Menyusun kajian teknis permohonan izin", "kajian", 120, "perizinan"),
    ("draf-izin", "Menyiapkan draf surat izin", "draf", 30, "perizinan"),
    ("layanan-konsultasi", "Memberikan konsultasi perizinan kepada pemohon", "pemohon", 15, "perizinan"),
    ("agenda-surat", "Mengagendakan surat masuk dan keluar", "surat", 5, "administrasi"),
    ("arsip", "Menata arsip dinamis", "berkas", 10, "administrasi"),
    ("data-kepegawaian", "Memutakhirkan data kepegawaian", "data pegawai", 15, "kepegawaian"),
    ("usulan-mutasi", "Menyiapkan usulan mutasi dan promosi", "usulan", 60, "kepegawaian"),
    ("bahan-diklat", "Menyusun bahan pengembangan kompetensi", "modul", 180, "kepegawaian"),
    ("disposisi", "Memberikan disposisi dan arahan kepada bawahan", "disposisi", 10, "struktural"),
    ("evaluasi-kinerja", "Mengevaluasi kinerja bawahan", "pegawai", 20, "struktural"),
    ("paraf-naskah", "Memeriksa dan memaraf naskah dinas", "naskah", 15, "struktural"),
)


def job_family_for(title: str) -> str:
    lowered = title.lower()
    if lowered.startswith(("kepala", "sekretaris")):
        return "struktural"
    if "perizinan" in lowered:
        return "perizinan"
    if "sumber daya manusia" in lowered or "kepegawaian" in lowered or "widyaiswara" in lowered:
        return "kepegawaian"
    return "administrasi"


def create_config(
    *, effective_from: datetime.date = EFFECTIVE_FROM, approved: bool = True, **overrides
) -> PerformanceConfig:
    """Bandung's configuration with its TPP table and catalogue in the active tenant."""
    from django.db.models import Max

    version = (PerformanceConfig.objects.aggregate(top=Max("version"))["top"] or 0) + 1
    with allow_status_assignment():
        config = PerformanceConfig.objects.create(
            version=version,
            effective_from=effective_from,
            status=ConfigStatus.APPROVED if approved else ConfigStatus.DRAFT,
            approved_at=timezone.now() if approved else None,
            **{"legal_basis": LEGAL_BASIS, **overrides},
        )
    JobClassAllowance.objects.bulk_create(
        [
            JobClassAllowance(tenant=config.tenant, config=config, job_class=k, amount=v)
            for k, v in ALLOWANCES.items()
        ]
    )
    Activity.objects.bulk_create(
        [
            Activity(
                tenant=config.tenant,
                config=config,
                code=c,
                name=n,
                output_unit=u,
                standard_minutes=m,
                job_family=f,
            )
            for c, n, u, m, f in ACTIVITIES
        ]
    )
    return config


def load_demo(tenant) -> int:
    """Manifest hook of `praja demo` (the active tenant is `tenant`)."""
    if tenant.code != DEMO_TENANT_CODE:
        return 0
    with transaction.atomic():
        config = (
            PerformanceConfig.objects.filter(status=ConfigStatus.APPROVED).order_by("effective_from").first()
        )
        created = 0
        if config is None:
            config = create_config()
            created += 1
        employees = _ensure_employees()
        _ensure_terminal()
        today = calendar.local_date(tenant, timezone.now())
        previous = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        months = [m for m in (previous, today.replace(day=1)) if m >= EFFECTIVE_FROM]
        for employee in employees:
            for month in months:
                created += _ensure_month(
                    tenant, config, employee, month, today, validated=month < today.replace(day=1)
                )
        if created:
            record(
                "performance.demo_loaded",
                data={"employees": len(employees), "months": [m.isoformat() for m in months]},
            )
    return created


def _ensure_employees() -> list[Employee]:
    agencies = OrgUnit.objects.filter(kind=OrgUnitKind.PERANGKAT_DAERAH, code__in=DEMO_AGENCIES)
    existing = {e.user_id: e for e in Employee.objects.all()}
    employees = []
    for agency in agencies:
        positions = Position.objects.filter(
            org_unit__in=[agency, *agency.children.all()], holder__isnull=False
        )
        for position in positions.select_related("holder").order_by("pk"):
            user = position.holder
            employee = existing.get(user.pk)
            if employee is None:
                employee = Employee.objects.create(
                    user=user,
                    position=position,
                    org_unit=agency,
                    job_class=position.job_class or 8,
                    job_family=job_family_for(position.title),
                    employment_type=EmploymentType.CPNS
                    if position.title.endswith("Ahli Pertama")
                    else EmploymentType.PNS,
                )
                existing[user.pk] = employee
                # Position holders already hold an official's role (core.work_queue); others get pegawai.
                if not RoleGrant.objects.filter(user=user, revoked_at__isnull=True).exists():
                    RoleGrant.objects.create(user=user, role=PEGAWAI.name)
            employees.append(employee)
    return employees


def _ensure_terminal() -> None:
    from praja.core.accounts.models import User

    if AttendanceTerminal.objects.exists():
        return
    agency = OrgUnit.objects.filter(code="2.18").first()
    service = User.objects.filter(email__startswith="performance-terminal@").first()
    AttendanceTerminal.objects.create(
        code="bdg-dpmptsp-01", name="Mesin presensi lobi DPMPTSP", org_unit=agency, service_user=service
    )


def _ensure_month(
    tenant, config, employee, month: datetime.date, today: datetime.date, *, validated: bool
) -> int:
    first, last = rules.month_bounds(month.year, month.month)
    last = min(last, today - datetime.timedelta(days=1))
    if last < first or ActivityEntry.objects.filter(employee=employee, date__range=(first, last)).exists():
        return 0
    rng = random.Random(f"{tenant.code}/{employee.user_id}/{month.isoformat()}")
    catalogue = list(
        Activity.objects.filter(config=config, job_family__in=[employee.job_family, ""]).order_by("code")
    )
    supervisor_id = _supervisor_user_id(employee)
    zone = calendar.tenant_timezone(tenant)
    entries, events = [], []
    day = first
    sick_day = first + datetime.timedelta(days=rng.randrange(3, 20))
    while day <= last:
        if not calendar.is_working_day(tenant, day):
            day += datetime.timedelta(days=1)
            continue
        roll = rng.random()
        if day == sick_day and roll < 0.5:
            _approved_sick_day(employee, day, supervisor_id)
            day += datetime.timedelta(days=1)
            continue
        if roll < 0.03:  # tanpa keterangan
            day += datetime.timedelta(days=1)
            continue
        check_in = datetime.time(7, rng.choice([5, 12, 18, 22, 25, 28, 29, 29, 41, 55]))
        if rng.random() < 0.08:
            check_in = datetime.time(8, rng.choice([5, 20, 45]))
        end = rules.office_window(config.office_hours, day)[1]
        events.append(_event(employee, AttendanceKind.CHECK_IN, day, check_in, zone))
        if rng.random() > 0.04:  # otherwise: forgot to check out
            out_minutes = rules.minutes_of(end) + rng.choice([-50, -10, 2, 5, 12, 20, 35])
            events.append(
                _event(
                    employee,
                    AttendanceKind.CHECK_OUT,
                    day,
                    datetime.time(out_minutes // 60, out_minutes % 60),
                    zone,
                )
            )
        entries.extend(_day_entries(rng, config, employee, catalogue, day, validated, supervisor_id))
        day += datetime.timedelta(days=1)
    with allow_status_assignment():
        ActivityEntry.objects.bulk_create(entries)
    AttendanceEvent.objects.bulk_create(events)
    return len(entries)


def _approved_sick_day(employee, day, supervisor_id) -> None:
    with allow_status_assignment():
        AbsenceRequest.objects.create(
            employee=employee,
            owner=employee.user,
            kind=AbsenceKind.SICK,
            start_date=day,
            end_date=day,
            reason="Demam, surat keterangan dokter terlampir.",
            status=RequestStatus.APPROVED,
            decided_by_id=supervisor_id,
            decided_at=timezone.now(),
        )


def _supervisor_user_id(employee) -> int | None:
    from praja.modules.performance.selectors import supervisor_user_id_of

    return supervisor_user_id_of(employee)


def _event(employee, kind, day, moment, zone) -> AttendanceEvent:
    return AttendanceEvent(
        tenant=employee.tenant,
        employee=employee,
        kind=kind,
        occurred_at=datetime.datetime.combine(day, moment, tzinfo=zone),
        local_date=day,
        source=AttendanceSource.TERMINAL,
    )


def _day_entries(rng, config, employee, catalogue, day, validated, supervisor_id) -> list[ActivityEntry]:
    slots = [(8, 0), (9, 30), (10, 45), (13, 0), (14, 30)]
    count = rng.choice([3, 4, 4, 5])
    remaining = config.daily_quota_minutes
    entries = []
    for hour, minute in slots[:count]:
        activity = rng.choice(catalogue)
        volume = max(1, min(6, round(rng.uniform(40, 100) / activity.standard_minutes)))
        claimed = volume * activity.standard_minutes
        credited = min(claimed, remaining)
        remaining -= credited
        start = datetime.time(hour, minute)
        end_minutes = min(rules.minutes_of(start) + 75, 16 * 60)
        status, approved, reason = EntryStatus.SUBMITTED, None, ""
        if validated and supervisor_id:
            roll = rng.random()
            if roll < 0.05:
                status, approved, reason = EntryStatus.REJECTED, 0, "Keluaran tidak sesuai uraian aktivitas."
            elif roll < 0.12:
                status, approved, reason = (
                    EntryStatus.ADJUSTED,
                    credited // 2,
                    "Volume disesuaikan dengan bukti.",
                )
            else:
                status, approved = EntryStatus.APPROVED, credited
        entries.append(
            ActivityEntry(
                tenant=employee.tenant,
                employee=employee,
                owner=employee.user,
                config=config,
                date=day,
                start_time=start,
                end_time=datetime.time(end_minutes // 60, end_minutes % 60),
                activity=activity,
                volume=volume,
                output=f"{volume} {activity.output_unit}",
                evidence_link="",
                claimed_minutes=claimed,
                credited_minutes=credited,
                approved_minutes=approved,
                status=status,
                validated_by_id=supervisor_id if status != EntryStatus.SUBMITTED else None,
                validated_at=timezone.now() if status != EntryStatus.SUBMITTED else None,
                validation_reason=reason,
            )
        )
    return entries
