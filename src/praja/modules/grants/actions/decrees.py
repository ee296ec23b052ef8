"""Writers of the decree (DNC PBH) and of the grant agreement (NPHD) with both signatures."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.audit.actions import record
from praja.core.workflow.actions import transition
from praja.core.workflow.errors import PermissionDenied, SecondFactorRequired
from praja.modules.grants import rules
from praja.modules.grants.actions.common import (
    S,
    _refuse_unless_representative,
    _require,
    next_number,
)
from praja.modules.grants.models import (
    BansosCase,
    BansosStatus,
    BoardRole,
    Decree,
    DecreeEntry,
    Nphd,
    Programme,
    ProgrammeKind,
    Proposal,
    SignatureMethod,
)
from praja.modules.grants.permissions import (
    APPROVE_DECREE,
    PREPARE_DECREE,
    PREPARE_NPHD,
)

# --- Decree (DNC PBH) ----------------------------------------------------------------------------------


def _entry_for_proposal(proposal: Proposal, position: int) -> DecreeEntry:
    organisation = proposal.organisation
    return DecreeEntry(
        position=position,
        proposal=proposal,
        recipient_name=proposal.recipient_name,
        recipient_address=organisation.address if organisation else "",
        purpose=proposal.title,
        amount=proposal.tapd_amount or 0,
    )


def _entry_for_bansos(case: BansosCase, position: int) -> DecreeEntry:
    return DecreeEntry(
        position=position,
        bansos_case=case,
        recipient_name=case.recipient_name,
        recipient_address=case.recipient_address,
        purpose=case.programme.name,
        amount=case.amount,
    )


def _refuse_over_envelope(programme: Programme, total: int) -> None:
    from praja.modules.grants.selectors import programme_allocated

    refusal = rules.check_decree_total(total + programme_allocated(programme), envelope=programme.envelope)
    if refusal:
        raise ValidationError(str(refusal), code=refusal.code)


def build_decree(*, actor, programme: Programme, title: str = "") -> Decree:
    """Compile a draft DNC PBH from the programme's TAPD-approved proposals (or screened bansos cases).

    A draft not yet approved is rebuilt in place. Σ ≤ programme envelope (with what earlier approved
    decrees already allocated).
    """
    from praja.modules.grants.selectors import list_decree_candidates

    _require(actor, PREPARE_DECREE)
    if programme.kind == ProgrammeKind.BANSOS:
        cases = list(
            BansosCase.objects.filter(programme=programme, status=BansosStatus.SCREENED)
            .exclude(decree_entries__decree__approved_at__isnull=False)
            .order_by("number")
        )
        entries = [_entry_for_bansos(case, index) for index, case in enumerate(cases)]
    else:
        entries = [_entry_for_proposal(p, index) for index, p in enumerate(list_decree_candidates(programme))]
    if not entries:
        raise ValidationError(
            _("Belum ada penerima yang siap ditetapkan untuk program ini (proposal disetujui TAPD)."),
            code="empty",
        )
    total = sum(entry.amount for entry in entries)
    _refuse_over_envelope(programme, total)
    with transaction.atomic():
        decree = Decree.objects.filter(programme=programme, approved_at__isnull=True).first()
        if decree is None:
            decree = Decree(programme=programme, created_by=actor)
        if programme.kind == ProgrammeKind.BANSOS:
            default_title = _("Daftar Nominatif Calon Penerima Belanja Bantuan Sosial %(name)s")
        else:
            default_title = _("Daftar Nominatif Calon Penerima Belanja Hibah %(name)s")
        decree.title = (title or "").strip() or default_title % {"name": programme.name}
        decree.total_amount = total
        decree.save()
        decree.entries.all().delete()
        for entry in entries:
            entry.decree = decree
            entry.tenant = decree.tenant
        DecreeEntry.objects.bulk_create(entries)
        record(
            "grants.decree_built",
            actor=actor,
            obj=decree,
            data={"programme": programme.code, "entries": len(entries), "total": total},
        )
    return decree


def approve_decree(*, actor, decree: Decree, request=None, otp_verified=None) -> Decree:
    """The head of region approves the DNC PBH with the second factor: number, signed PDF with QR,
    and every listed case moves to in_decree, all in one transaction."""
    from praja.core.workflow import checks
    from praja.modules.grants import documents

    _require(actor, APPROVE_DECREE, _("Hanya Kepala Daerah yang dapat menetapkan DNC PBH."))
    if not checks.second_factor_verified(actor, request=request, otp_verified=otp_verified):
        record("workflow.second_factor_refused", actor=actor, obj=decree, data={"action": "approve_decree"})
        raise SecondFactorRequired(
            _(
                '"Tetapkan DNC PBH" memerlukan verifikasi dua langkah. '
                "Masukkan kode dari aplikasi autentikator Anda, lalu ulangi."
            )
        )
    with transaction.atomic():
        locked = Decree.objects.select_for_update().get(pk=decree.pk)
        if locked.approved_at is not None:
            raise ValidationError(
                _("DNC PBH ini sudah ditetapkan; tidak ada perubahan."), code="already_approved"
            )
        entries = list(locked.entries.select_related("proposal", "bansos_case"))
        if not entries:
            raise ValidationError(_("DNC PBH ini kosong."), code="empty")
        total = sum(entry.amount for entry in entries)
        _refuse_over_envelope(locked.programme, total)
        now = timezone.now()
        year = locked.programme.budget_year
        kind = locked.programme.kind
        # Hibah keeps the original "decree" sequence; bansos decrees have their own register.
        sequence_name = "decree" if kind == ProgrammeKind.HIBAH else f"decree_{kind}"
        locked.number = rules.decree_number(kind, next_number(sequence_name, year), year)
        locked.approved_at = now
        locked.approved_by = actor
        locked.total_amount = total
        locked.save(update_fields=["number", "approved_at", "approved_by", "total_amount"])
        for entry in entries:
            case = entry.proposal or entry.bansos_case
            transition(
                case,
                "include_in_decree",
                actor=actor,
                request=request,
                otp_verified=True,
                data={"decree_number": locked.number, "amount": entry.amount},
            )
        locked.official_document = documents.render_decree(locked, entries=entries, actor=actor)
        locked.save(update_fields=["official_document"])
        record(
            "grants.decree_approved",
            actor=actor,
            obj=locked,
            data={
                "number": locked.number,
                "entries": len(entries),
                "total": total,
                "document": locked.official_document.verification_code,
            },
        )
    decree.refresh_from_db()
    return decree


# --- NPHD ----------------------------------------------------------------------------------------------

DEFAULT_RIGHTS = (
    "Pihak Kesatu berhak menetapkan dan mengevaluasi penggunaan hibah serta meminta pengembalian dana "
    "yang tidak digunakan sesuai NPHD. Pihak Kedua berhak menerima hibah sebesar nilai dalam naskah ini, "
    "wajib menggunakannya sesuai rincian anggaran biaya (RAB), tidak mengalihkan kepada pihak lain, dan "
    "bertanggung jawab formal dan material atas penggunaannya."
)
DEFAULT_DISBURSEMENT = (
    "Hibah disalurkan secara langsung (LS) ke rekening bank atas nama Pihak Kedua setelah NPHD "
    "ditandatangani kedua pihak. Tidak ada potongan atau biaya administrasi dalam bentuk apa pun."
)
DEFAULT_REPORTING = (
    "Pihak Kedua menyampaikan laporan penggunaan hibah, surat pernyataan tanggung jawab, dan bukti "
    "pengeluaran yang lengkap dan sah kepada Kepala Daerah melalui PPKD paling lambat tanggal batas LPJ "
    "(Permendagri 32/2011 Pasal 19). Lembaga yang terlambat dikenai sanksi administratif."
)


def prepare_nphd(
    *,
    actor,
    proposal: Proposal,
    rights_and_obligations: str = "",
    disbursement_procedure: str = "",
    reporting_procedure: str = "",
) -> Nphd:
    """Draft the NPHD for a proposal in an approved decree (amount = its decree amount)."""
    from praja.modules.grants.transitions import not_party_to_organisation

    _require(actor, PREPARE_NPHD)
    conflict = not_party_to_organisation(proposal, actor=actor, data={})
    if conflict:
        raise PermissionDenied(str(conflict))
    if proposal.status != S.IN_DECREE:
        raise ValidationError(_("NPHD hanya disiapkan untuk proposal yang sudah ditetapkan dalam DNC PBH."))
    entry = DecreeEntry.objects.filter(proposal=proposal, decree__approved_at__isnull=False).first()
    with transaction.atomic():
        nphd = Nphd.objects.select_for_update().filter(proposal=proposal).first()
        if nphd is not None and nphd.recipient_signed_at is not None:
            raise ValidationError(_("NPHD sudah ditandatangani lembaga; naskah tidak dapat diubah lagi."))
        texts = {
            "rights_and_obligations": (rights_and_obligations or "").strip() or DEFAULT_RIGHTS,
            "disbursement_procedure": (disbursement_procedure or "").strip() or DEFAULT_DISBURSEMENT,
            "reporting_procedure": (reporting_procedure or "").strip() or DEFAULT_REPORTING,
        }
        if nphd is None:
            year = proposal.budget_year
            nphd = Nphd.objects.create(
                proposal=proposal,
                number=_("%(seq)03d/NPHD/%(year)d") % {"seq": next_number("nphd", year), "year": year},
                amount=entry.amount if entry else (proposal.tapd_amount or 0),
                budget_line_code=proposal.programme.budget_line_code,
                lpj_deadline=proposal.programme.lpj_deadline,
                prepared_by=actor,
                **texts,
            )
        else:
            for key, value in texts.items():
                setattr(nphd, key, value)
            nphd.save(update_fields=list(texts))
        record(
            "grants.nphd_prepared",
            actor=actor,
            obj=proposal,
            data={"nphd": nphd.number, "amount": nphd.amount},
        )
    return nphd


def sign_nphd_as_recipient(
    *, actor, nphd: Nphd, password: str = "", otp_token: str = "", request=None
) -> Nphd:
    """The recipient's chair signs: a logged-in representative whose NIK is the chair's confirms with
    their password (or their authenticator code); nothing changes on refusal."""
    proposal = nphd.proposal
    organisation = proposal.organisation
    if organisation is None:
        raise ValidationError(_("NPHD hanya untuk hibah kepada lembaga."))
    _refuse_unless_representative(actor, organisation)
    chair = organisation.board_members.filter(role=BoardRole.CHAIR).first()
    if chair is None or not actor.nik or actor.nik != chair.nik:
        raise PermissionDenied(
            _("NPHD ditandatangani oleh ketua lembaga; NIK akun Anda tidak sama dengan NIK ketua %(name)s.")
            % {"name": chair.full_name if chair else "—"}
        )
    if proposal.status != S.IN_DECREE:
        raise ValidationError(_("NPHD hanya dapat ditandatangani saat proposal ditetapkan dalam DNC PBH."))
    method = None
    if otp_token:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=actor, confirmed=True).first()
        if device is not None and device.verify_token(otp_token):
            method = SignatureMethod.TOTP
    elif password and actor.check_password(password):
        method = SignatureMethod.PASSWORD
    if method is None:
        record("grants.nphd_signature_refused", actor=actor, obj=proposal, data={"nphd": nphd.number})
        raise ValidationError(
            {"password": _("Kata sandi atau kode autentikator salah; NPHD belum ditandatangani.")},
            code="bad_secret",
        )
    with transaction.atomic():
        locked = Nphd.objects.select_for_update().get(pk=nphd.pk)
        if locked.recipient_signed_at is not None:
            return locked
        locked.recipient_signed_by = actor
        locked.recipient_signed_at = timezone.now()
        locked.recipient_signature_method = method
        locked.recipient_signer_name = chair.full_name
        locked.save(
            update_fields=[
                "recipient_signed_by",
                "recipient_signed_at",
                "recipient_signature_method",
                "recipient_signer_name",
            ]
        )
        record(
            "grants.nphd_signed_by_recipient",
            actor=actor,
            obj=proposal,
            data={"nphd": locked.number, "method": method, "amount": locked.amount},
            ip_address=(request.META.get("REMOTE_ADDR", "") if request is not None else ""),
        )
    nphd.refresh_from_db()
    return nphd


def sign_nphd_as_official(*, actor, nphd: Nphd, request=None, otp_verified=None) -> Nphd:
    """The official signs with the second factor (after the chair); the PDF records both signatures."""
    from praja.modules.grants import documents

    proposal = nphd.proposal

    def effects(locked):
        now = timezone.now()
        Nphd.objects.filter(pk=nphd.pk).update(official_signed_by=actor, official_signed_at=now)
        nphd.refresh_from_db()
        document = documents.render_nphd(nphd, actor=actor)
        Nphd.objects.filter(pk=nphd.pk).update(official_document=document)
        locked.agreed_amount = nphd.amount
        return ["agreed_amount"]

    transition(
        proposal,
        "sign_nphd",
        actor=actor,
        request=request,
        otp_verified=otp_verified,
        effects=effects,
        data={"nphd": nphd.number, "amount": nphd.amount},
    )
    nphd.refresh_from_db()
    return nphd
