"""The official PDFs of the licensing module: receipt, assignment letter, BAP, permit, rejection.

Each is rendered and signed by core.documents.render_official_pdf (tenant key, QR verification).
Called only from actions.py, which has already taken the decision they record.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from praja.core.documents.actions import render_official_pdf

LETTER = "documents/official_letter.html"


def _rupiah(amount: int) -> str:
    return "Rp" + f"{amount:,}".replace(",", ".")


def _date(value) -> str:
    return date_format(value, "j F Y") if value else "—"


def _place(tenant) -> str:
    return tenant.name.replace("Kota ", "").replace("Kabupaten ", "")


def _head_title(tenant) -> str:
    return _("Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu %(tenant)s") % {
        "tenant": tenant.name
    }


def _signature_block(tenant, *, title: str, actor=None) -> dict:
    """Where and by whom a letter is signed (the name and NIP stay empty for an office)."""
    return {
        "place": _place(tenant),
        "signatory_title": title,
        "signatory_name": str(actor) if actor else "",
        "signatory_nip": getattr(actor, "nip", "") or "",
    }


def _render(application, *, context: dict, title: str, document_type: str, actor, **overrides):
    """Render and sign one of the application's PDFs (the applicant is its subject).

    `overrides` are render_official_pdf's `template_name` (default: the official letter) and
    `required_permission` (for documents the system issues without an official).
    """
    options = {"template_name": LETTER, **overrides}
    return render_official_pdf(
        tenant=application.tenant,
        context=context,
        title=title,
        document_type=document_type,
        subject_user=application.applicant,
        case=application,
        actor=actor,
        **options,
    )


def render_receipt(application):
    """Bukti pendaftaran: the tracking number the applicant follows the file with."""
    tenant = application.tenant
    with override("id"):
        fields = [
            (_("Nomor pendaftaran"), application.tracking_number),
            (_("Jenis izin"), application.permit_type.name),
            (_("Jenis permohonan"), application.get_kind_display()),
            (_("Pemohon"), str(application.applicant)),
        ]
        if application.organisation_name:
            fields.append((_("Atas nama"), application.organisation_name))
        fields += [
            (_("Tanggal pengajuan"), _date(timezone.localtime(application.submitted_at))),
            (
                _("Jangka waktu penyelesaian"),
                _("%(days)d hari kerja sejak berkas terdaftar")
                % {"days": application.permit_type.sla_working_days},
            ),
            (_("Retribusi"), _rupiah(application.fee_amount) if application.fee_amount else _("Tanpa biaya")),
        ]
        context = {
            "number": application.tracking_number,
            "paragraphs": [_("Permohonan izin berikut telah diterima secara elektronik:")],
            "fields": fields,
            "closing_paragraphs": [
                _(
                    "Status permohonan dapat dipantau setiap saat melalui halaman pelacakan dengan "
                    "nomor pendaftaran "
                    "di atas. Tidak ada biaya selain retribusi resmi yang tercantum; pembayaran "
                    "hanya melalui kode "
                    "bayar, tidak pernah tunai."
                ),
            ],
            **_signature_block(tenant, title=_("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu")),
        }
        title = _("Bukti Pendaftaran Permohonan Izin")
    return _render(
        application,
        context=context,
        title=title,
        document_type="licensing.receipt",
        actor=application.applicant,
        required_permission=None,
    )


def render_assignment_letter(assignment, *, actor):
    """Surat tugas of the technical team."""
    application = assignment.application
    tenant = application.tenant
    with override("id"):
        members = list(assignment.members.select_related("user"))
        fields = [
            (_("Nomor pendaftaran"), application.tracking_number),
            (_("Nomor register"), application.registration_number),
            (_("Jenis izin"), application.permit_type.name),
            (_("Pemohon"), application.holder_name),
        ]
        for number, member in enumerate(members, start=1):
            label = _("Petugas %(number)d") % {"number": number}
            suffix = _(" (ketua tim)") if member.is_lead else ""
            nip = f", NIP {member.user.nip}" if member.user.nip else ""
            fields.append((label, f"{member.user}{nip}{suffix}"))
        task = (
            _(
                "melakukan kajian teknis dan peninjauan lapangan, serta membuat berita acara "
                "pemeriksaan (BAP) "
                "dengan foto lapangan berkoordinat"
            )
            if assignment.with_field_inspection
            else _("melakukan kajian teknis atas permohonan")
        )
        context = {
            "number": assignment.letter_number,
            "paragraphs": [_("Menugaskan petugas tim teknis berikut untuk %(task)s:") % {"task": task}],
            "fields": fields,
            "closing_paragraphs": [assignment.notes] if assignment.notes else [],
            **_signature_block(tenant, title=_("Kepala Bidang Pelayanan Perizinan"), actor=actor),
        }
        title = _("Surat Tugas Tim Teknis")
    return _render(
        application, context=context, title=title, document_type="licensing.assignment_letter", actor=actor
    )


def render_inspection_report(report, *, actor):
    """Berita acara pemeriksaan lapangan with its coordinates and photo list."""
    application = report.application
    tenant = application.tenant
    with override("id"):
        fields = [
            (_("Nomor pendaftaran"), application.tracking_number),
            (_("Surat tugas"), report.assignment.letter_number),
            (_("Tanggal pemeriksaan"), _date(report.inspected_on)),
            (_("Lokasi"), report.location),
            (_("Koordinat"), f"{report.latitude}, {report.longitude}"),
            (
                _("Kesimpulan"),
                _("Sesuai persyaratan") if report.is_compliant else _("Tidak sesuai persyaratan"),
            ),
        ]
        for number, photo in enumerate(report.photos.all(), start=1):
            fields.append(
                (
                    _("Foto %(number)d") % {"number": number},
                    f"{photo.caption or photo.stored_file.original_name} ({photo.latitude}, "
                    f"{photo.longitude})",
                )
            )
        members = ", ".join(str(member.user) for member in report.assignment.members.select_related("user"))
        context = {
            "number": "",
            "paragraphs": [
                _("Tim teknis (%(members)s) telah melakukan peninjauan lapangan dengan hasil:")
                % {"members": members}
            ],
            "fields": fields,
            "closing_paragraphs": [report.findings],
            **_signature_block(tenant, title=_("Ketua Tim Teknis"), actor=actor),
        }
        title = _("Berita Acara Pemeriksaan Lapangan")
    return _render(
        application, context=context, title=title, document_type="licensing.inspection_report", actor=actor
    )


def render_permit(permit, *, actor):
    """The permit itself, in the permit type's template, signed for the head of DPMPTSP."""
    application = permit.application
    tenant = application.tenant
    permit_type = permit.permit_type
    with override("id"):
        form_rows = []
        for field in application.requirement_set.form_fields.all():
            value = (application.form_data or {}).get(field.key)
            if value in (None, ""):
                continue
            if isinstance(value, bool):
                value = _("Ya") if value else _("Tidak")
            form_rows.append((field.label, value))
        context = {
            "permit": permit,
            "application": application,
            "permit_type": permit_type,
            "form_rows": form_rows,
            "valid_from": _date(permit.valid_from),
            "valid_until": _date(permit.valid_until)
            if permit.valid_until
            else _("selama memenuhi persyaratan"),
            **_signature_block(tenant, title=_head_title(tenant), actor=actor),
        }
        title = permit_type.name
    return _render(
        application,
        context=context,
        title=title,
        document_type=f"licensing.permit.{permit_type.code}",
        actor=actor,
        template_name=permit_type.pdf_template,
        required_permission=None,
    )


def render_rejection_letter(application, *, actor):
    """Surat penolakan with the reasons, signed by the head."""
    tenant = application.tenant
    with override("id"):
        context = {
            "number": application.registration_number or application.tracking_number,
            "paragraphs": [
                _("Dengan ini diberitahukan bahwa permohonan berikut tidak dapat disetujui:"),
            ],
            "fields": [
                (_("Nomor pendaftaran"), application.tracking_number),
                (_("Jenis izin"), application.permit_type.name),
                (_("Pemohon"), application.holder_name),
                (_("Alasan penolakan"), application.decision_reason),
            ],
            "closing_paragraphs": [
                _(
                    "Pemohon dapat mengajukan keberatan atau permohonan baru setelah memenuhi "
                    "persyaratan, serta "
                    "menyampaikan pengaduan melalui kanal pengaduan resmi."
                ),
            ],
            **_signature_block(tenant, title=_head_title(tenant), actor=actor),
        }
        title = _("Surat Penolakan Permohonan Izin")
    return _render(
        application, context=context, title=title, document_type="licensing.rejection_letter", actor=actor
    )
