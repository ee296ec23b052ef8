"""`praja demo`: load the demo regions, people and logins (demo mode only), and print the logins.

praja demo                 create what is missing (idempotent), then print the logins
praja demo --list          print the logins without changing anything
praja demo totp <email>    print the current TOTP code of a demo login
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from praja.core.accounts.models import User
from praja.core.tenancy.management.commands.tenant import format_table
from praja.core.testing.demo import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    DemoModeRequired,
    build_demo,
    current_demo_totp,
    iter_demo_logins,
)


class Command(BaseCommand):
    help = "Muat data demo (hanya bila PRAJA_DEMO=1) dan tampilkan login demo."
    # `make demo` runs migrate (with the checks) just before; checking twice only slows the start.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument(
            "action",
            nargs="?",
            choices=["load", "totp"],
            default="load",
            help="load (bawaan): muat data demo; totp: kode TOTP saat ini untuk satu email.",
        )
        parser.add_argument("email", nargs="?", help="Email login demo (untuk totp).")
        parser.add_argument(
            "--list",
            action="store_true",
            dest="list_only",
            help="Hanya tampilkan login demo, tanpa mengubah apa pun.",
        )

    def handle(self, *args, action: str, email: str | None, list_only: bool, **options):
        try:
            if action == "totp":
                if not email:
                    raise CommandError(_("Sebutkan email login demo, mis. praja demo totp operator@praja.id"))
                self.stdout.write(current_demo_totp(email))
                return
            if not list_only:
                result = build_demo()
                if result.changed:
                    added = ", ".join(f"{count} {what}" for what, count in result.created.items())
                    self.stdout.write(_("Data demo dimuat: %(added)s.") % {"added": added})
                else:
                    self.stdout.write(_("Data demo sudah lengkap; tidak ada yang diubah."))
        except DemoModeRequired as error:
            raise CommandError(str(error)) from None
        except User.DoesNotExist as error:
            raise CommandError(str(error)) from None
        self.print_logins()

    def print_logins(self) -> None:
        logins = list(iter_demo_logins())
        if not logins:
            self.stdout.write(_("Belum ada login demo. Jalankan: PRAJA_DEMO=1 praja demo"))
            return
        self.stdout.write("")
        self.stdout.write(_("Login demo (kata sandi semua akun: %(password)s)") % {"password": DEMO_PASSWORD})
        rows = [
            [login.email, login.label, login.tenant, _("ya") if login.needs_second_factor else "-"]
            for login in logins
        ]
        self.stdout.write(format_table([_("EMAIL"), _("PERAN"), _("DAERAH"), _("TOTP")], rows))
        if any(login.needs_second_factor for login in logins):
            self.stdout.write(
                _(
                    "Akun bertanda TOTP memakai kunci demo yang sama: %(secret)s\n"
                    "Tambahkan ke aplikasi autentikator, atau lihat kode saat ini: praja demo totp <email>"
                )
                % {"secret": DEMO_TOTP_SECRET}
            )
