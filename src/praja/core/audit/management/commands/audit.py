"""`praja audit verify|checkpoint`: check a tenant's hash chain and sign its daily head.

praja audit verify --tenant kota-bandung        (slug or Kemendagri code; exit 1 when broken)
praja audit verify --all [--workers 2]
praja audit verify --platform
praja audit checkpoint --tenant 32.73 [--date 2026-11-29]
praja audit checkpoint --all
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from praja.core.audit.actions import AuditChainBroken, create_daily_checkpoint
from praja.core.audit.verification import VerifyResult, verify_chain
from praja.core.tenancy.models import Tenant
from praja.core.tenancy.selectors import get_tenant_by_code_or_slug


def _describe(name: str, result: VerifyResult) -> str:
    if result.ok:
        return _(
            "Rantai audit %(name)s utuh: %(count)s peristiwa diperiksa, kepala #%(seq)s (%(hash)s), "
            "%(checkpoints)s titik periksa bertanda tangan, %(seconds).2f detik."
        ) % {
            "name": name,
            "count": result.events_checked,
            "seq": result.head_seq,
            "hash": result.head_hash,
            "checkpoints": result.checkpoints_checked,
            "seconds": result.elapsed_seconds,
        }
    return _("Rantai audit %(name)s RUSAK: %(reason)s.") % {"name": name, "reason": result.reason}


class Command(BaseCommand):
    help = "Periksa rantai audit berantai hash dan tandatangani titik periksa hariannya."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{verify,checkpoint}")
        verify = actions.add_parser(
            "verify", help="Hitung ulang hash rantai dan sebut peristiwa pertama yang rusak."
        )
        self._add_target(verify, platform=True)
        verify.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Jumlah proses pemeriksa (bawaan: otomatis untuk rantai besar).",
        )
        checkpoint = actions.add_parser(
            "checkpoint", help="Tandatangani kepala rantai hari ini (sekali per hari)."
        )
        self._add_target(checkpoint, platform=False)
        checkpoint.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="Tanggal titik periksa, YYYY-MM-DD (bawaan: hari ini di zona waktu daerah).",
        )

    @staticmethod
    def _add_target(parser, *, platform: bool) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument(
            "--tenant", help="Slug atau kode Kemendagri daerah, mis. kota-bandung atau 32.73."
        )
        target.add_argument("--all", action="store_true", help="Semua daerah yang aktif.")
        if platform:
            target.add_argument("--platform", action="store_true", help="Rantai milik platform sendiri.")

    def _tenants(self, options) -> list[Tenant]:
        if options.get("all"):
            return list(Tenant.objects.filter(is_active=True).order_by("code"))
        tenant = get_tenant_by_code_or_slug(options["tenant"])
        if tenant is None:
            raise CommandError(
                _("Daerah %(value)s tidak ditemukan: pakai slug atau kode Kemendagri.")
                % {"value": options["tenant"]}
            )
        return [tenant]

    def handle(self, *args, action: str, **options):
        getattr(self, f"handle_{action}")(**options)

    def handle_verify(self, **options):
        targets: list[tuple[str, Tenant | None]]
        if options.get("platform"):
            targets = [(_("platform"), None)]
        else:
            targets = [(tenant.name, tenant) for tenant in self._tenants(options)]
        broken = []
        for name, tenant in targets:
            result = verify_chain(tenant, workers=options.get("workers"))
            line = _describe(name, result)
            if result.ok:
                self.stdout.write(line)
            else:
                self.stderr.write(line)
                broken.append(line)
        if broken:
            raise CommandError(
                broken[0]
                if len(broken) == 1
                else _("%(count)s rantai audit rusak.") % {"count": len(broken)},
                returncode=1,
            )

    def handle_checkpoint(self, **options):
        failed = []
        for tenant in self._tenants(options):
            try:
                checkpoint = create_daily_checkpoint(tenant, options.get("date"))
            except AuditChainBroken as broken:
                line = _("Titik periksa %(name)s tidak ditandatangani: rantai rusak, %(reason)s.") % {
                    "name": tenant.name,
                    "reason": broken.result.reason,
                }
                self.stderr.write(line)
                failed.append(line)
                continue
            self.stdout.write(
                _("Titik periksa %(name)s %(date)s: #%(seq)s %(hash)s")
                % {
                    "name": tenant.name,
                    "date": checkpoint.date.isoformat(),
                    "seq": checkpoint.seq,
                    "hash": checkpoint.head_hash,
                }
            )
        if failed:
            raise CommandError(
                failed[0]
                if len(failed) == 1
                else _("%(count)s titik periksa tidak ditandatangani.") % {"count": len(failed)},
                returncode=1,
            )
