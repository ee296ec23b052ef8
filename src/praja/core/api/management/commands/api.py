"""`praja api token <email>`: issue (or replace) the API token of a machine client's account."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from praja.core.accounts.models import User
from praja.core.api.actions import issue_api_token


class Command(BaseCommand):
    help = "API administration. `praja api token <email>` prints a new token for that account."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        token = subcommands.add_parser("token", help="issue a new API token (the old one stops working)")
        token.add_argument("email")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "token":
            user = User.objects.filter(email__iexact=options["email"].strip()).first()
            if user is None or not user.is_active:
                raise CommandError(
                    _("Tidak ada akun aktif dengan email %(email)s.") % {"email": options["email"]}
                )
            token = issue_api_token(actor=None, user=user)
            self.stdout.write(token.key)
