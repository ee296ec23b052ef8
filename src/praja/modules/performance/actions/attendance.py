"""Attendance: web check-in/out, terminal events, apel (morning assembly) absence."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.audit.actions import record
from praja.core.calendar import selectors as calendar
from praja.core.permissions.checks import has_permission
from praja.core.tenancy.context import require_current_tenant
from praja.modules.performance import rules, selectors
from praja.modules.performance.actions._common import (
    CLIENT_CLOCK_TOLERANCE_SECONDS,
    _config_for,
    _require_employee,
)
from praja.modules.performance.models import (
    ApelAbsence,
    AttendanceEvent,
    AttendanceKind,
    AttendanceSource,
    AttendanceTerminal,
    Employee,
)
from praja.modules.performance.permissions import (
    POST_ATTENDANCE_EVENTS,
    RECORD_APEL,
)


def check_in_out(
    *,
    actor,
    kind: str,
    client_time: datetime.datetime | None = None,
    latitude=None,
    longitude=None,
    photo=None,
) -> tuple[AttendanceEvent, str]:
    """Record a web check-in/out at the server's time in the tenant's timezone; return (event, notice)."""
    employee = _require_employee(actor)
    tenant = require_current_tenant()
    if kind not in AttendanceKind.values:
        raise ValidationError({"kind": _("Pilih presensi masuk atau pulang.")})
    now = timezone.now()
    today = calendar.local_date(tenant, now)
    config = _config_for(tenant, today)
    distance = None
    if config.checkin_requires_location:
        if latitude in (None, "") or longitude in (None, ""):
            raise ValidationError(
                {
                    "latitude": _(
                        "Presensi di daerah ini wajib menyertakan lokasi; izinkan akses lokasi lalu ulangi."
                    )
                }
            )
        distance = rules.distance_m(latitude, longitude, config.office_latitude, config.office_longitude)
        if distance > config.geofence_radius_m:
            raise ValidationError(
                {
                    "latitude": _(
                        "Lokasi Anda %(distance)s m dari kantor; presensi hanya dalam radius %(radius)s m."
                    )
                    % {"distance": distance, "radius": config.geofence_radius_m}
                }
            )
    if config.checkin_requires_photo and photo is None:
        raise ValidationError({"photo": _("Presensi di daerah ini wajib menyertakan foto swafoto.")})
    offset = rules.client_offset_seconds(now, client_time)
    with transaction.atomic():
        stored = None
        if photo is not None:
            from praja.core.documents.actions import store_upload

            stored = store_upload(
                actor=actor,
                uploaded_file=photo,
                allowed_types=("jpeg", "png"),
                purpose="performance.attendance_photo",
            )
        event = AttendanceEvent.objects.create(
            employee=employee,
            kind=kind,
            occurred_at=now,
            local_date=today,
            source=AttendanceSource.WEB,
            client_time=client_time,
            client_offset_seconds=offset,
            latitude=latitude or None,
            longitude=longitude or None,
            distance_m=distance,
            photo=stored,
            photo_sha256=stored.sha256 if stored else "",
            recorded_by=actor,
        )
        record(
            "performance.attendance_recorded",
            actor=actor,
            obj=event,
            data={"kind": kind, "source": "web", "at": now.isoformat(), "client_offset_seconds": offset},
        )
    local = timezone.localtime(now, calendar.tenant_timezone(tenant))
    notice = _("Presensi %(kind)s tercatat pukul %(time)s %(zone)s (waktu server).") % {
        "kind": event.get_kind_display().lower(),
        "time": local.strftime("%H.%M"),
        "zone": tenant.timezone_label,
    }
    if offset is not None and abs(offset) > CLIENT_CLOCK_TOLERANCE_SECONDS:
        notice += " " + _(
            "Jam perangkat Anda selisih %(minutes)s menit dari jam server; yang dipakai jam server."
        ) % {"minutes": round(abs(offset) / 60)}
    return event, notice


def record_terminal_event(
    *, actor, terminal_code: str, event_id: str, nip: str, kind: str, occurred_at: datetime.datetime
) -> tuple[AttendanceEvent, bool]:
    """Store one terminal event once: the same (terminal, event id) posted again returns the first."""
    tenant = require_current_tenant()
    if not (actor and actor.is_authenticated and has_permission(actor, POST_ATTENDANCE_EVENTS)):
        raise PermissionDenied(_("Hanya akun mesin presensi yang dapat mengirim kejadian presensi."))
    terminal = AttendanceTerminal.objects.filter(code=terminal_code, is_active=True).first()
    if terminal is None or (terminal.service_user_id and terminal.service_user_id != actor.pk):
        raise ValidationError(
            {
                "terminal": _("Mesin presensi %(code)s tidak terdaftar untuk akun ini.")
                % {"code": terminal_code}
            }
        )
    if kind not in AttendanceKind.values:
        raise ValidationError({"kind": _("Jenis kejadian harus check_in atau check_out.")})
    if not str(event_id).strip():
        raise ValidationError({"event_id": _("Isi nomor kejadian dari mesin (untuk mencegah data ganda).")})
    existing = AttendanceEvent.objects.filter(terminal=terminal, terminal_event_id=event_id).first()
    if existing is not None:
        return existing, False
    employee = Employee.objects.filter(user__nip=nip).first()
    if employee is None:
        raise ValidationError(
            {"nip": _("NIP %(nip)s tidak terdaftar sebagai pegawai daerah ini.") % {"nip": nip}}
        )
    if timezone.is_naive(occurred_at):
        occurred_at = occurred_at.replace(tzinfo=calendar.tenant_timezone(tenant))
    if occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError(
            {"occurred_at": _("Waktu kejadian berada di masa depan; periksa jam mesin presensi.")}
        )
    try:
        with transaction.atomic():
            event = AttendanceEvent.objects.create(
                employee=employee,
                kind=kind,
                occurred_at=occurred_at,
                local_date=calendar.local_date(tenant, occurred_at),
                source=AttendanceSource.TERMINAL,
                terminal=terminal,
                terminal_event_id=event_id,
                recorded_by=actor,
            )
            record(
                "performance.attendance_recorded",
                actor=actor,
                obj=event,
                data={
                    "kind": kind,
                    "source": "terminal",
                    "terminal": terminal.code,
                    "event_id": event_id,
                    "at": occurred_at.isoformat(),
                },
            )
    except IntegrityError:
        # Another request stored the same event first: answer with it (posting twice counts once).
        return AttendanceEvent.objects.get(terminal=terminal, terminal_event_id=event_id), False
    return event, True


def record_apel_absence(*, actor, employee: Employee, day: datetime.date) -> ApelAbsence:
    with transaction.atomic():
        if not (
            actor
            and actor.is_authenticated
            and has_permission(actor, RECORD_APEL, org_unit=employee.org_unit)
        ):
            raise PermissionDenied(
                _(
                    "Hanya admin kepegawaian perangkat daerah atau BKPSDM yang dapat "
                    "mencatat ketidakhadiran apel."
                )
            )
        tenant = require_current_tenant()
        if day > selectors.local_today(tenant):
            raise ValidationError(
                {"date": _("Ketidakhadiran apel hanya dapat dicatat untuk hari ini atau sebelumnya.")}
            )
        if not calendar.is_working_day(tenant, day):
            raise ValidationError(
                {
                    "date": _("Tanggal %(date)s bukan hari kerja (%(reason)s); tidak ada apel.")
                    % {"date": day.strftime("%d-%m-%Y"), "reason": selectors.non_working_reason(tenant, day)}
                }
            )
        if ApelAbsence.objects.filter(employee=employee, date=day).exists():
            raise ValidationError(
                {
                    "date": _("Ketidakhadiran apel %(name)s tanggal %(date)s sudah tercatat.")
                    % {"name": employee, "date": day.strftime("%d-%m-%Y")}
                }
            )
        item = ApelAbsence.objects.create(employee=employee, date=day, recorded_by=actor)
        record(
            "performance.apel_absence_recorded",
            actor=actor,
            obj=item,
            data={"employee": employee.pk, "date": day.isoformat()},
        )
    return item
