"""Helpers shared by the e-Kinerja writers: the integrity signal, the employee of the actor, the
config in force for a day."""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from praja.modules.performance import selectors
from praja.modules.performance.models import (
    Employee,
)

logger = logging.getLogger(__name__)

# A client clock further off than this is mentioned to the employee (it is never used anyway).
CLIENT_CLOCK_TOLERANCE_SECONDS = 120
EVIDENCE_TYPES = ("pdf", "jpeg", "png")


def _signal(**kwargs) -> None:
    """Raise an integrity signal through P2's tpp app (after commit; never breaks the caller)."""

    def send() -> None:
        try:
            from praja.modules.performance.tpp.actions import record_signal
        except ImportError:  # pragma: no cover - tpp not installed
            return
        try:
            with transaction.atomic():
                record_signal(**kwargs)
        except Exception:  # a signal is advisory; the user's action already succeeded or was refused
            logger.exception("integrity signal %s failed", kwargs.get("kind"))

    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(send)
    else:
        send()


def _require_employee(actor) -> Employee:
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Masuk terlebih dahulu."))
    employee = selectors.get_employee_for_user(actor)
    if employee is None:
        raise PermissionDenied(_("Anda belum terdaftar sebagai pegawai ASN di e-Kinerja daerah ini."))
    return employee


def _lock_employee_and_version_in_force(actor, tenant, day: datetime.date):
    """The actor's Employee row, locked for the transaction, and the approved config in force for
    the day's month, found in one statement (the entry hot path, bench.performance_entries).

    Per-employee writes serialise on this lock, so the overlap check and the daily cap hold when the
    same employee posts twice at once. The config is the process's kept copy of that approved
    version (`selectors.frozen_config`): read it, never change it. Call inside `transaction.atomic()`.
    """
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Masuk terlebih dahulu."))
    employee, config_id, approved_at = selectors.lock_employee_with_version_in_force(actor, day)
    if employee is None:
        raise PermissionDenied(_("Anda belum terdaftar sebagai pegawai ASN di e-Kinerja daerah ini."))
    employee.user = actor  # the row was found by this user: no join to read it again
    if config_id is None:
        raise _no_config_for(day)
    return employee, selectors.frozen_config(tenant, config_id, approved_at)


def _no_config_for(day: datetime.date) -> ValidationError:
    return ValidationError(
        {
            "date": _("Belum ada konfigurasi kinerja yang disetujui BKPSDM untuk bulan %(month)s.")
            % {"month": day.strftime("%m-%Y")}
        }
    )


def _config_for(tenant, day: datetime.date):
    """The approved config in force for the day's month."""
    config = selectors.config_for_date(tenant, day)
    if config is None:
        raise _no_config_for(day)
    return config
