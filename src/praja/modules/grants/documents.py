"""The official PDFs of the grants module: the decree (DNC PBH) and the grant agreement (NPHD).

Each is rendered and signed with the tenant key by core.documents.render_official_pdf (QR to the
public verification page). Called only from actions.py, which has taken the decision they record.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from praja.core.documents.actions import render_official_pdf
from praja.modules.grants.rules import format_rupiah


def _rupiah(amount: int) -> str:
    return "Rp" + format_rupiah(amount)


def _date(value) -> str:
    return date_format(value, "j F Y") if value else "—"


def _place(tenant) -> str:
    return tenant.name.replace("Kota ", "").replace("Kabupaten ", "")


def _head_title(tenant) -> str:
    if tenant.level == "kota":
        return _("Wali Kota %(place)s") % {"place": _place(tenant)}
    if tenant.level == "provinsi":
        return _("Gubernur %(place)s") % {"place": tenant.province_name}
    return _("Bupati %(place)s") % {"place": _place(tenant)}


def render_decree(decree, *, entries, actor):
    """The DNC PBH approved by the head of region: every recipient with address, purpose and amount."""
    tenant = decree.tenant
    programme = decree.programme
    with override("id"):
        rows = [
            {
                "number": index + 1,
                "name": entry.recipient_name,
                "address": entry.recipient_address,
                "purpose": entry.purpose,
                "amount": _rupiah(entry.amount),
            }
            for index, entry in enumerate(entries)
        ]
        context = {
            "decree": decree,
            "programme": programme,
            "rows": rows,
            "total": _rupiah(decree.total_amount),
            "envelope": _rupiah(programme.envelope),
            "budget_line": programme.budget_line_code,
            "place": _place(tenant),
            "signatory_title": _head_title(tenant),
            "signatory_name": str(actor),
            "approved_on": _date(timezone.localtime(decree.approved_at)),
        }
        title = decree_title(programme.kind)
    return render_official_pdf(
        tenant=tenant,
        template_name="grants/pdf/decree.html",
        context=context,
        title=str(title),
        document_type="grants.decree",
        case=decree,
        actor=actor,
    )


def decree_title(kind: str) -> str:
    """The decree's title for the programme kind (bansos programmes list bansos recipients)."""
    from praja.modules.grants.models import ProgrammeKind

    if kind == ProgrammeKind.BANSOS:
        return str(_("Daftar Nominatif Calon Penerima Belanja Bantuan Sosial (DNC PBBS)"))
    return str(_("Daftar Nominatif Calon Penerima Belanja Hibah (DNC PBH)"))


def render_nphd(nphd, *, actor):
    """The NPHD signed by both parties: the recipient's chair (in Praja) and the official (TOTP)."""
    proposal = nphd.proposal
    tenant = proposal.tenant
    organisation = proposal.organisation
    with override("id"):
        context = {
            "nphd": nphd,
            "proposal": proposal,
            "organisation": organisation,
            "amount": _rupiah(nphd.amount),
            "rab_lines": [
                {
                    "description": line.description,
                    "volume": f"{line.volume.normalize():f}".replace(".", ","),
                    "unit": line.unit,
                    "unit_price": _rupiah(line.unit_price),
                    "subtotal": _rupiah(line.subtotal),
                }
                for line in proposal.rab_lines.all()
            ],
            "rab_total": _rupiah(sum(line.subtotal for line in proposal.rab_lines.all())),
            "lpj_deadline": _date(nphd.lpj_deadline),
            "place": _place(tenant),
            "official_title": _head_title(tenant),
            "official_name": str(nphd.official_signed_by or actor),
            "official_signed_at": _date(timezone.localtime(nphd.official_signed_at))
            if nphd.official_signed_at
            else "—",
            "recipient_name": nphd.recipient_signer_name,
            "recipient_signed_at": _date(timezone.localtime(nphd.recipient_signed_at))
            if nphd.recipient_signed_at
            else "—",
            "recipient_method": nphd.get_recipient_signature_method_display(),
        }
        title = _("Naskah Perjanjian Hibah Daerah (NPHD)")
    return render_official_pdf(
        tenant=tenant,
        template_name="grants/pdf/nphd.html",
        context=context,
        title=str(title),
        document_type="grants.nphd",
        subject_user=proposal.applicant,
        case=proposal,
        actor=actor,
    )
