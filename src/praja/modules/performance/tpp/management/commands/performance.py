"""`praja performance close --tenant <slug> --month 2026-05 [--actor email --reason "..."]`.

Without --actor the close runs as the system (as the scheduled job does) and only for a month that
has no close yet; a correction needs --actor (a BKPSDM user of the tenant) and --reason.
"""

from __future__ import annotations

import time

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from praja.core.tenancy.context import use_tenant
from praja.core.tenancy.selectors import get_tenant_by_code_or_slug
from praja.core.workflow.errors import WorkflowError


class Command(BaseCommand):
    help = "Kinerja pegawai: tutup buku bulanan TPP."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{close}")
        close = actions.add_parser("close", help="Hitung tutup buku bulanan (produktivitas, disiplin, TPP).")
        close.add_argument("--tenant", required=True, help="Slug atau kode daerah, mis. kota-bandung.")
        close.add_argument("--month", required=True, help="Bulan TTTT-BB, mis. 2026-05.")
        close.add_argument("--actor", help="Email pegawai BKPSDM yang menghitung (wajib untuk koreksi).")
        close.add_argument("--reason", default="", help="Alasan koreksi bila bulan sudah pernah dihitung.")

    def handle(self, *args, **options):
        from praja.core.accounts.models import User
        from praja.modules.performance.tpp import actions, selectors
        from praja.modules.performance.tpp.models import MonthClose

        tenant = get_tenant_by_code_or_slug(options["tenant"])
        if tenant is None:
            raise CommandError(_("Daerah %(tenant)s tidak ditemukan.") % {"tenant": options["tenant"]})
        month = selectors.parse_month(options["month"])
        if month is None:
            raise CommandError(_("Format bulan harus TTTT-BB, misalnya 2026-05."))
        actor = None
        if options.get("actor"):
            actor = User.objects.filter(email__iexact=options["actor"]).first()
            if actor is None:
                raise CommandError(_("Pengguna %(email)s tidak ditemukan.") % {"email": options["actor"]})
        started = time.perf_counter()
        with use_tenant(tenant):
            if actor is None and MonthClose.objects.filter(month=month).exists():
                raise CommandError(
                    _("Bulan %(month)s sudah dihitung; koreksi memerlukan --actor dan --reason.")
                    % {"month": options["month"]}
                )
            try:
                close = actions.compute_month_close(
                    actor=actor, month=month, reason=options["reason"], by_system=actor is None
                )
            except (WorkflowError, PermissionDenied) as error:
                raise CommandError(str(getattr(error, "message", None) or error)) from error
        self.stdout.write(
            _(
                "Tutup buku %(month)s versi %(version)s: %(count)s pegawai, TPP %(paid)s dari pagu "
                "%(ceiling)s, %(signals)s sinyal integritas (%(seconds).1f detik)."
            )
            % {
                "month": options["month"],
                "version": close.version,
                "count": close.employee_count,
                "paid": close.total_paid,
                "ceiling": close.total_ceiling,
                "signals": close.signal_count,
                "seconds": time.perf_counter() - started,
            }
        )
