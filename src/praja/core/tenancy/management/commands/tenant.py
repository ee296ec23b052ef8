"""`praja tenant add|list|adopt`: the platform operator's tenant commands.

praja tenant add 36.03 [--slug kab-tangerang] [--host layanan.tangerangkab.go.id]
praja tenant list
praja tenant adopt --from kota-bandung --to kabupaten-serang [--modules perizinan,hibah]
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_slug
from django.utils.translation import gettext as _

from praja.core.tenancy.adoption import AdoptionReport, adopt_configuration
from praja.core.tenancy.models import Tenant, TenantModule
from praja.core.tenancy.selectors import get_tenant_by_code_or_slug


def _messages(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def format_table(headers: list[str], rows: list[list[str]]) -> str:
    """Plain fixed-width table; the last column is not padded so lines carry no trailing spaces."""
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    lines = []
    for row in [headers, *rows]:
        cells = [str(cell).ljust(widths[i]) for i, cell in enumerate(row[:-1])]
        lines.append("  ".join([*cells, str(row[-1])]).rstrip())
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Kelola pemerintah daerah (tenant): tambah dari kode Kemendagri, daftar, adopsi konfigurasi."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{add,list,adopt}")
        add = actions.add_parser("add", help="Tambah daerah dari kode Kemendagri, mis. 36.03.")
        add.add_argument("code", help="Kode provinsi (36) atau kabupaten/kota (36.03).")
        add.add_argument("--slug", help="Slug alamat /t/<slug>/ (bawaan: dari nama daerah).")
        add.add_argument(
            "--host", dest="host_name", help="Nama host sendiri, mis. layanan.tangerangkab.go.id."
        )
        actions.add_parser("list", help="Daftar semua daerah.")
        adopt = actions.add_parser(
            "adopt", help="Salin konfigurasi modul yang dapat diadopsi dari daerah lain."
        )
        adopt.add_argument("--from", dest="source", required=True, help="Slug atau kode daerah sumber.")
        adopt.add_argument("--to", dest="target", required=True, help="Slug atau kode daerah tujuan.")
        adopt.add_argument(
            "--modules", help="Modul yang diadopsi, dipisah koma (bawaan: semua yang diatur sumber)."
        )

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"handle_{action}")(**options)
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(_messages(error)) from None

    # --- add -------------------------------------------------------------------------------------

    def handle_add(self, *, code: str, slug: str | None = None, host_name: str | None = None, **_options):
        from praja.core.tenancy.actions import add_tenant, check_host_name

        if slug is not None:
            given, slug = slug, slug.strip().lower()
            try:
                validate_slug(slug)
            except ValidationError:
                raise CommandError(
                    _("Slug %(slug)s tidak sah: gunakan huruf kecil, angka dan tanda hubung.")
                    % {"slug": given}
                ) from None
            if Tenant.objects.filter(slug=slug).exists():
                raise CommandError(_("Slug %(slug)s sudah dipakai daerah lain.") % {"slug": slug})
        if host_name is not None:
            host_name = check_host_name(host_name, tenant=Tenant())
        tenant = add_tenant(code=code, actor=None, slug=slug, host_name=host_name)
        self.stdout.write(
            _("Daerah ditambahkan: %(name)s (%(code)s)") % {"name": tenant.name, "code": tenant.code}
        )
        details = [
            (_("slug"), tenant.slug),
            (_("tingkat"), tenant.get_level_display()),
            (_("provinsi"), f"{tenant.province_name} ({tenant.province_code})"),
            (_("zona waktu"), f"{tenant.timezone_label} ({tenant.timezone})"),
            (_("host"), tenant.host_name or "-"),
            (_("alamat"), f"/t/{tenant.slug}/"),
        ]
        width = max(len(label) for label, _value in details)
        for label, value in details:
            self.stdout.write(f"  {label.ljust(width)} : {value}")

    # --- list ------------------------------------------------------------------------------------

    def handle_list(self, **_options):
        tenants = list(Tenant.objects.order_by("code"))
        if not tenants:
            self.stdout.write(_("Belum ada daerah. Tambahkan dengan: praja tenant add <kode>"))
            return
        enabled: dict[int, list[str]] = {}
        # One cross-tenant read for the operator's overview, not one per tenant.
        for tenant_id, module in (
            TenantModule.all_tenants.filter(is_enabled=True)
            .order_by("module")
            .values_list("tenant_id", "module")
        ):
            enabled.setdefault(tenant_id, []).append(module)
        rows = [
            [
                tenant.code,
                tenant.slug,
                tenant.name,
                tenant.get_level_display(),
                tenant.timezone_label,
                tenant.host_name or "-",
                _("ya") if tenant.is_active else _("tidak"),
                ",".join(enabled.get(tenant.pk, [])) or "-",
            ]
            for tenant in tenants
        ]
        headers = [
            _("KODE"),
            _("SLUG"),
            _("NAMA"),
            _("TINGKAT"),
            _("ZONA"),
            _("HOST"),
            _("AKTIF"),
            _("MODUL"),
        ]
        self.stdout.write(format_table(headers, rows))
        self.stdout.write(_("%(count)d daerah.") % {"count": len(tenants)})

    # --- adopt -----------------------------------------------------------------------------------

    def _tenant(self, value: str) -> Tenant:
        tenant = get_tenant_by_code_or_slug(value.strip())
        if tenant is None:
            raise CommandError(
                _("Daerah %(value)s tidak ditemukan; lihat `praja tenant list` untuk slug dan kodenya.")
                % {"value": value}
            )
        return tenant

    def handle_adopt(self, *, source: str, target: str, modules: str | None = None, **_options):
        source_tenant, target_tenant = self._tenant(source), self._tenant(target)
        names = None if modules is None else [name for name in modules.split(",") if name.strip()]
        report = adopt_configuration(actor=None, source=source_tenant, target=target_tenant, modules=names)
        self._print_report(report)

    def _print_report(self, report: AdoptionReport) -> None:
        self.stdout.write(
            _("Adopsi konfigurasi %(source)s -> %(target)s")
            % {"source": report.source.name, "target": report.target.name}
        )
        if not report.modules:
            self.stdout.write(
                _("%(source)s belum mengatur modul apa pun; tidak ada yang diadopsi.")
                % {"source": report.source.name}
            )
            return
        for item in report.modules:
            self.stdout.write(f"  {item.module}: " + "; ".join(self._describe(item)))
        if report.changed:
            self.stdout.write(
                _("%(count)d modul berubah; dicatat di rantai audit %(target)s (#%(seq)d).")
                % {
                    "count": len(report.changed_modules),
                    "target": report.target.name,
                    "seq": report.audit_event_seq,
                }
            )
        else:
            self.stdout.write(
                _("Tidak ada yang berubah: konfigurasi %(target)s sudah sama.")
                % {"target": report.target.name}
            )

    @staticmethod
    def _describe(item) -> list[str]:
        if not item.changed:
            return [_("tidak berubah")]
        state = _("aktif") if item.enabled_after else _("nonaktif")
        parts = []
        if item.created:
            parts.append(_("ditambahkan (%(state)s)") % {"state": state})
        elif item.enabled_before != item.enabled_after:
            parts.append(_("kini %(state)s") % {"state": state})
        if item.parameters_changed:
            parts.append(_("parameter diubah: %(keys)s") % {"keys": ", ".join(item.parameters_changed)})
        parts.extend(item.hook_changes)
        return parts
