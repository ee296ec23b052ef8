"""Pages of the grants module: public programmes, organisations, proposals, officials' stages,
the decree and the NPHD, programme administration.

Thin: parse with forms, read with selectors, write with one action, render. Refusals of actions
become an Indonesian message on the same page, and the form keeps the input.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from praja.core.accounts.decorators import verified_citizen_required
from praja.core.accounts.models import OrgUnit
from praja.core.documents.actions import open_stored_file
from praja.core.permissions.checks import has_permission
from praja.core.tenancy.urls import tenant_reverse
from praja.core.web.access import (
    is_second_factor_verified,
    login_url_for,
    tenant_page_required,
    tenant_permission_required,
)
from praja.core.workflow.errors import WorkflowError
from praja.core.workflow.selectors import get_case_timeline, list_available_transitions
from praja.modules.grants import actions, forms, rules, selectors
from praja.modules.grants.models import (
    BoardMember,
    Decree,
    Organisation,
    OrganisationStatus,
    Programme,
    Proposal,
    ProposalStatus,
)
from praja.modules.grants.permissions import (
    APPROVE_DECREE,
    MANAGE_BANSOS,
    PREPARE_DECREE,
    VERIFY_ORGANISATIONS,
    VIEW_PROPOSALS,
)

S = ProposalStatus
REFUSALS = (ValidationError, WorkflowError, DjangoPermissionDenied)


# --- Guards and helpers -------------------------------------------------------------------------


def official_required(permission: str) -> Callable:
    """Login, membership, `permission`; a second factor only for roles that need one."""
    return tenant_permission_required(permission, second_factor=None)


def programme_manager_required(view: Callable) -> Callable:
    """The grants administrator or the tenant admin (second factor when their roles need one)."""
    return tenant_page_required(selectors.can_manage_programmes)(view)


def _error_messages(request, error: Exception) -> None:
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(error))


def _errors_to_form(request, form, error: ValidationError) -> None:
    for key, problems in getattr(error, "message_dict", {"__all__": error.messages}).items():
        for problem in problems:
            if form is not None and key in form.fields:
                form.add_error(key, problem)
            else:
                messages.error(request, problem)


def _redirect(name: str, **kwargs) -> HttpResponseRedirect:
    return HttpResponseRedirect(tenant_reverse(name, kwargs=kwargs or None))


def _pdf_response(request, stored_file) -> FileResponse:
    handle = open_stored_file(actor=request.user, stored_file=stored_file, request=request)
    response = FileResponse(
        handle, content_type="application/pdf", as_attachment=True, filename=stored_file.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _proposal_or_404(request, proposal_id: int) -> Proposal:
    try:
        return selectors.access_proposal_by_id(request.user, proposal_id)
    except Proposal.DoesNotExist:
        raise Http404 from None


def _organisation_or_404(request, organisation_id: int) -> Organisation:
    try:
        return selectors.access_organisation_by_id(request.user, organisation_id)
    except Organisation.DoesNotExist:
        raise Http404 from None


# --- Public -------------------------------------------------------------------------------------


def catalogue_page(request):
    """Public list of programmes with their open calls (no login)."""
    return render(
        request,
        "grants/catalogue.html",
        {
            "programmes": selectors.list_published_programmes(),
            "open_ids": set(selectors.list_open_programmes().values_list("pk", flat=True)),
        },
    )


def programme_page(request, programme_code: str):
    programme = selectors.get_published_programme(programme_code)
    if programme is None:
        raise Http404
    rule_rows = _rule_rows(programme)
    return render(
        request,
        "grants/programme.html",
        {
            "programme": programme,
            "rule_rows": rule_rows,
            "is_open": selectors.list_open_programmes().filter(pk=programme.pk).exists(),
            "allocated": selectors.programme_allocated(programme),
        },
    )


def _rule_rows(programme: Programme) -> list[str]:
    data = {
        **(rules.DEFAULT_HIBAH_RULES if programme.kind == "hibah" else rules.DEFAULT_BANSOS_RULES),
        **(programme.eligibility_rules or {}),
    }
    rows = []
    if data.get("legal_entity_required"):
        rows.append(
            _("Berbadan hukum Indonesia (akta notaris dan SK Kemenkumham) — UU 23/2014 Pasal 298 ayat (5).")
        )
    if data.get("min_years_registered"):
        rows.append(
            _("Terdaftar di pemerintah daerah paling singkat %(years)d tahun — Permendagri 14/2016.")
            % {"years": int(data["min_years_registered"])}
        )
    if data.get("domiciled_in_tenant"):
        rows.append(_("Berkedudukan dalam wilayah daerah."))
    if data.get("permanent_secretariat_required"):
        rows.append(_("Memiliki sekretariat tetap."))
    if data.get("not_funded_previous_year"):
        rows.append(
            _(
                "Tidak menerima hibah pada tahun anggaran sebelumnya, kecuali lembaga yang dikecualikan "
                "undang-undang (KONI, PMI, Pramuka, KORPRI)."
            )
        )
    if data.get("social_data_source_required"):
        rows.append(_("Terdaftar dalam data sosial (DTKS/DTSEN)."))
    return rows


# --- Organisations (applicant) --------------------------------------------------------------------


@verified_citizen_required
def my_organisations_page(request):
    return render(
        request,
        "grants/my_organisations.html",
        {
            "organisations": selectors.list_organisations_of(request.user),
        },
    )


def _organisation_values(form) -> dict:
    data = dict(form.cleaned_data)
    data["area"] = data.get("area") or None
    return data


@verified_citizen_required
def organisation_new_page(request):
    form = forms.OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = actions.register_organisation(actor=request.user, **_organisation_values(form))
        except REFUSALS as error:
            _errors_to_form(request, form, error) if isinstance(error, ValidationError) else _error_messages(
                request, error
            )
        else:
            messages.success(
                request,
                _(
                    "Lembaga %(name)s terdaftar sebagai draf; lengkapi pengurus dan rekening, "
                    "lalu ajukan verifikasi."
                )
                % {"name": organisation.name},
            )
            return _redirect("grants-organisation", organisation_id=organisation.pk)
    return render(request, "grants/organisation_form.html", {"form": form, "organisation": None})


def _organisation_initial(organisation: Organisation) -> dict:
    initial = {name: getattr(organisation, name) for name in actions.ORGANISATION_FIELDS if name != "area"}
    initial["area"] = organisation.area_id or ""
    return initial


@verified_citizen_required
def organisation_page(request, organisation_id: int):
    """The representative's organisation profile: data, board, bank account, documents, verification."""
    organisation = _organisation_or_404(request, organisation_id)
    if not selectors.is_representative(request.user, organisation):
        return _redirect("grants-official-organisation", organisation_id=organisation.pk)
    editable = organisation.status in actions.EDITABLE_ORGANISATION
    form = forms.OrganisationForm(request.POST or None, initial=_organisation_initial(organisation))
    if request.method == "POST" and editable and form.is_valid():
        try:
            actions.update_organisation(
                actor=request.user, organisation=organisation, **_organisation_values(form)
            )
        except REFUSALS as error:
            _errors_to_form(request, form, error) if isinstance(error, ValidationError) else _error_messages(
                request, error
            )
        else:
            messages.success(request, _("Data lembaga tersimpan."))
            return _redirect("grants-organisation", organisation_id=organisation.pk)
    return _render_organisation(request, organisation, form=form)


def _render_organisation(request, organisation: Organisation, *, form=None, board_form=None, bank_form=None):
    """The profile page; a refused sub-form is shown bound, with its errors and the input kept."""
    return render(
        request,
        "grants/organisation.html",
        {
            "organisation": organisation,
            "form": form or forms.OrganisationForm(initial=_organisation_initial(organisation)),
            "editable": organisation.status in actions.EDITABLE_ORGANISATION,
            "board": organisation.board_members.all(),
            "board_form": board_form or forms.BoardMemberForm(prefix="board"),
            "bank_account": organisation.bank_accounts.filter(is_active=True).first(),
            "bank_form": bank_form
            or forms.BankAccountForm(prefix="bank", initial={"holder_name": organisation.name}),
            "documents": organisation.documents.filter(is_current=True).select_related("stored_file"),
            "document_codes": actions.ORGANISATION_DOCUMENT_CODES,
            "upload_form": forms.UploadForm(),
            "timeline": get_case_timeline(organisation),
            "problems": rules.check_board(organisation.board_members.all()),
        },
    )


@verified_citizen_required
@require_POST
def organisation_board_page(request, organisation_id: int):
    organisation = _organisation_or_404(request, organisation_id)
    form = forms.BoardMemberForm(request.POST, prefix="board")
    if form.is_valid():
        try:
            member = actions.add_board_member(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            _errors_to_form(request, form, error)
        except REFUSALS as error:
            _error_messages(request, error)
        else:
            messages.success(
                request, _("%(name)s ditambahkan sebagai pengurus.") % {"name": member.full_name}
            )
            return _redirect("grants-organisation", organisation_id=organisation.pk)
    return _render_organisation(request, organisation, board_form=form)


@verified_citizen_required
@require_POST
def organisation_board_remove_page(request, organisation_id: int, member_id: int):
    organisation = _organisation_or_404(request, organisation_id)
    member = BoardMember.objects.filter(pk=member_id, organisation=organisation).first()
    if member is None:
        raise Http404
    try:
        actions.remove_board_member(actor=request.user, member=member)
        messages.success(request, _("Pengurus dihapus."))
    except REFUSALS as error:
        _error_messages(request, error)
    return _redirect("grants-organisation", organisation_id=organisation.pk)


@verified_citizen_required
@require_POST
def organisation_bank_page(request, organisation_id: int):
    organisation = _organisation_or_404(request, organisation_id)
    form = forms.BankAccountForm(request.POST, prefix="bank")
    if form.is_valid():
        try:
            actions.set_bank_account(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(request, form, error)
        except REFUSALS as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("Rekening bank tersimpan; menunggu verifikasi."))
            return _redirect("grants-organisation", organisation_id=organisation.pk)
    return _render_organisation(request, organisation, bank_form=form)


@verified_citizen_required
@require_POST
def organisation_upload_page(request, organisation_id: int, code: str):
    organisation = _organisation_or_404(request, organisation_id)
    form = forms.UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih berkas yang akan diunggah."))
    else:
        try:
            actions.upload_organisation_document(
                actor=request.user,
                organisation=organisation,
                code=code,
                uploaded_file=form.cleaned_data["file"],
            )
            messages.success(request, _("Dokumen tersimpan."))
        except REFUSALS as error:
            _error_messages(request, error)
    return _redirect("grants-organisation", organisation_id=organisation.pk)


@verified_citizen_required
@require_POST
def organisation_submit_page(request, organisation_id: int):
    organisation = _organisation_or_404(request, organisation_id)
    try:
        actions.submit_organisation(actor=request.user, organisation=organisation, request=request)
        messages.success(request, _("Lembaga diajukan untuk verifikasi."))
    except REFUSALS as error:
        _error_messages(request, error)
    return _redirect("grants-organisation", organisation_id=organisation.pk)


# --- Proposals (applicant) ------------------------------------------------------------------------


def apply_page(request, programme_code: str):
    programme = selectors.get_published_programme(programme_code)
    if programme is None:
        raise Http404
    if not request.user.is_authenticated:
        return render(
            request,
            "grants/apply.html",
            {"programme": programme, "form": None, "login_url": login_url_for(request)},
        )
    return _apply_form(request, programme)


@verified_citizen_required
def _apply_form(request, programme: Programme):
    organisations = None
    if programme.kind == "hibah":
        organisations = selectors.list_organisations_of(request.user)
    form = forms.ProposalForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation", None)
        key = data.pop("idempotency_key", None)
        try:
            proposal = actions.start_proposal(
                actor=request.user,
                programme=programme,
                organisation=organisation,
                idempotency_key=key,
                **data,
            )
        except REFUSALS as error:
            _errors_to_form(request, form, error) if isinstance(error, ValidationError) else _error_messages(
                request, error
            )
        else:
            messages.success(request, _("Draf proposal dibuat; isi RAB dan unggah dokumen, lalu ajukan."))
            return _redirect("grants-proposal-edit", proposal_id=proposal.pk)
    return render(
        request,
        "grants/apply.html",
        {
            "programme": programme,
            "form": form,
            "needs_organisation": organisations is not None and not organisations,
        },
    )


@verified_citizen_required
def my_proposals_page(request):
    return render(
        request, "grants/my_proposals.html", {"proposals": selectors.list_proposals_of(request.user)}
    )


def _document_rows(proposal: Proposal) -> list[dict]:
    current = selectors.current_documents(proposal)
    return [
        {"item": item, "document": current.get(item["code"])}
        for item in selectors.applicable_documents_for(proposal)
    ]


def _open_return(proposal: Proposal):
    if proposal.status != S.RETURNED:
        return None
    return proposal.stage_reviews.filter(action="kembalikan").order_by("-created_at", "-pk").first()


@verified_citizen_required
def proposal_page(request, proposal_id: int):
    """The applicant's proposal: status, timeline, returns, amounts, NPHD to sign and download."""
    proposal = _proposal_or_404(request, proposal_id)
    if not selectors.is_proposal_party(request.user, proposal):
        return _redirect("grants-official-proposal", proposal_id=proposal.pk)
    nphd = selectors.get_nphd(proposal)
    return render(
        request,
        "grants/proposal.html",
        {
            "proposal": proposal,
            "timeline": get_case_timeline(proposal),
            "rab_lines": proposal.rab_lines.all(),
            "rows": _document_rows(proposal),
            "open_return": _open_return(proposal),
            "editable": proposal.status in actions.EDITABLE_PROPOSAL
            and proposal.applicant_id == request.user.pk,
            "nphd": nphd,
            "signature_form": forms.RecipientSignatureForm()
            if nphd and not nphd.recipient_signed_at
            else None,
        },
    )


def _rab_initial(proposal: Proposal) -> list[dict]:
    return [
        {
            "description": line.description,
            "volume": line.volume,
            "unit": line.unit,
            "unit_price": line.unit_price,
        }
        for line in proposal.rab_lines.all()
    ]


@verified_citizen_required
def proposal_edit_page(request, proposal_id: int):
    """Proposal fields, RAB lines (formset), document uploads, photos; save or submit."""
    proposal = _proposal_or_404(request, proposal_id)
    if proposal.applicant_id != request.user.pk:
        raise Http404
    if proposal.status not in actions.EDITABLE_PROPOSAL:
        return _redirect("grants-proposal", proposal_id=proposal.pk)
    initial = {
        name: getattr(proposal, name) for name in actions.PROPOSAL_FIELDS if name != "suggested_org_unit"
    }
    form = forms.ProposalForm(request.POST or None, initial=initial)
    del form.fields["idempotency_key"]
    rab = forms.RabFormSet(request.POST or None, prefix="rab", initial=_rab_initial(proposal))
    if request.method == "POST" and form.is_valid() and rab.is_valid():
        lines = [line for line in rab.cleaned_data if line]
        try:
            actions.update_proposal(actor=request.user, proposal=proposal, **form.cleaned_data)
            actions.set_rab_lines(actor=request.user, proposal=proposal, lines=lines)
            if "submit" in request.POST:
                if proposal.status == S.DRAFT:
                    actions.submit_proposal(actor=request.user, proposal=proposal, request=request)
                    messages.success(
                        request, _("Proposal diajukan dengan nomor %(number)s.") % {"number": proposal.number}
                    )
                else:
                    actions.resubmit_proposal(actor=request.user, proposal=proposal, request=request)
                    messages.success(request, _("Proposal diajukan kembali ke Bagian TU."))
                return _redirect("grants-proposal", proposal_id=proposal.pk)
            messages.success(request, _("Draf disimpan."))
            return _redirect("grants-proposal-edit", proposal_id=proposal.pk)
        except ValidationError as error:
            _errors_to_form(request, form, error)
        except (WorkflowError, DjangoPermissionDenied) as error:
            _error_messages(request, error)
    return render(
        request,
        "grants/proposal_edit.html",
        {
            "proposal": proposal,
            "form": form,
            "rab": rab,
            "rows": _document_rows(proposal),
            "upload_form": forms.UploadForm(),
            "photo_form": forms.PhotoForm(),
            "photos": proposal.photos.select_related("stored_file"),
            "open_return": _open_return(proposal),
            "problems": selectors.proposal_refusals(proposal),
        },
    )


@verified_citizen_required
@require_POST
def proposal_upload_page(request, proposal_id: int, code: str):
    proposal = _proposal_or_404(request, proposal_id)
    if proposal.applicant_id != request.user.pk:
        raise Http404
    form = forms.UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih berkas yang akan diunggah."))
    else:
        try:
            actions.upload_proposal_document(
                actor=request.user, proposal=proposal, code=code, uploaded_file=form.cleaned_data["file"]
            )
            messages.success(request, _("Dokumen %(code)s tersimpan.") % {"code": code})
        except REFUSALS as error:
            _error_messages(request, error)
    return _redirect("grants-proposal-edit", proposal_id=proposal.pk)


@verified_citizen_required
@require_POST
def proposal_photo_page(request, proposal_id: int):
    proposal = _proposal_or_404(request, proposal_id)
    if proposal.applicant_id != request.user.pk:
        raise Http404
    form = forms.PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih foto yang akan diunggah."))
    else:
        try:
            actions.add_proposal_photo(
                actor=request.user,
                proposal=proposal,
                uploaded_file=form.cleaned_data["file"],
                caption=form.cleaned_data.get("caption", ""),
            )
            messages.success(request, _("Foto tersimpan."))
        except REFUSALS as error:
            _error_messages(request, error)
    return _redirect("grants-proposal-edit", proposal_id=proposal.pk)


@verified_citizen_required
@require_POST
def proposal_withdraw_page(request, proposal_id: int):
    proposal = _proposal_or_404(request, proposal_id)
    try:
        actions.withdraw_proposal(
            actor=request.user, proposal=proposal, reason=request.POST.get("reason", ""), request=request
        )
        messages.success(request, _("Proposal dibatalkan."))
    except REFUSALS as error:
        _error_messages(request, error)
    return _redirect("grants-proposal", proposal_id=proposal.pk)


@verified_citizen_required
@require_POST
def nphd_recipient_sign_page(request, proposal_id: int):
    """The chair signs the NPHD by re-entering their password (or a TOTP code)."""
    proposal = _proposal_or_404(request, proposal_id)
    nphd = selectors.get_nphd(proposal)
    if nphd is None:
        raise Http404
    form = forms.RecipientSignatureForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Centang persetujuan dan masukkan kata sandi Anda untuk menandatangani."))
    else:
        try:
            actions.sign_nphd_as_recipient(
                actor=request.user,
                nphd=nphd,
                password=form.cleaned_data["password"],
                otp_token=form.cleaned_data["otp_token"],
                request=request,
            )
            messages.success(request, _("NPHD telah Anda tandatangani; menunggu tanda tangan Kepala Daerah."))
        except REFUSALS as error:
            _error_messages(request, error)
    return _redirect("grants-proposal", proposal_id=proposal.pk)


@verified_citizen_required
def nphd_download_page(request, proposal_id: int):
    proposal = _proposal_or_404(request, proposal_id)
    nphd = selectors.get_nphd(proposal)
    if nphd is None or nphd.official_document is None:
        raise Http404
    return _pdf_response(request, nphd.official_document.file)


# --- Officials: proposals ---------------------------------------------------------------------------


@official_required(VIEW_PROPOSALS)
def queue_page(request):
    return render(request, "grants/queue.html", {"proposals": selectors.list_queue(request.user)})


def _official_context(request, proposal: Proposal) -> dict:
    available = {item.name for item in list_available_transitions(proposal, request.user)}
    items = selectors.applicable_documents_for(proposal)
    context = {
        "proposal": proposal,
        "organisation": proposal.organisation,
        "board": proposal.organisation.board_members.all() if proposal.organisation_id else [],
        "bank_account": proposal.organisation.bank_accounts.filter(is_active=True).first()
        if proposal.organisation_id
        else None,
        "rab_lines": proposal.rab_lines.all(),
        "rab_total": sum(line.subtotal for line in proposal.rab_lines.all()),
        "rows": _document_rows(proposal),
        "photos": proposal.photos.select_related("stored_file"),
        "reviews": proposal.stage_reviews.select_related("actor", "org_unit"),
        "timeline": get_case_timeline(proposal),
        "available": available,
        "eligibility": selectors.proposal_refusals(proposal)
        if proposal.status in (S.SUBMITTED, S.COMPLETE)
        else [],
        "nphd": selectors.get_nphd(proposal),
        "subject": proposal,
        "has_screening": _has_screening_template(),
    }
    if "mark_complete" in available:
        context["checklist_form"] = forms.ChecklistForm(items=items)
        context["return_form"] = forms.ReturnForm(items=items)
    if "review" in available:
        context["review_form"] = forms.DecisionForm()
    if "route" in available:
        context["route_form"] = forms.RouteForm(
            org_units=OrgUnit.objects.filter(kind="perangkat_daerah"),
            initial={"org_unit": proposal.suggested_org_unit_id},
        )
    if "recommend" in available:
        context["evaluation_form"] = forms.EvaluationForm(initial={"amount": proposal.amount_requested})
    if "verify_amount" in available:
        context["verify_form"] = forms.AmountForm(initial={"amount": proposal.recommended_amount})
    if "tapd_approve" in available:
        context["tapd_form"] = forms.AmountForm(initial={"amount": proposal.verified_amount})
    if "cancel" in available:
        context["cancel_form"] = forms.ReasonForm()
    if proposal.status == S.IN_DECREE and selectors.may_prepare_nphd(request.user):
        context["may_prepare_nphd"] = True
    return context


def _has_screening_template() -> bool:
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    try:
        get_template("grants_screening/_flags.html")
    except TemplateDoesNotExist:
        return False
    return True


@official_required(VIEW_PROPOSALS)
def official_proposal_page(request, proposal_id: int):
    proposal = _proposal_or_404(request, proposal_id)
    if selectors.is_proposal_party(request.user, proposal):
        return _redirect("grants-proposal", proposal_id=proposal.pk)
    actions.record_proposal_view(actor=request.user, proposal=proposal, request=request)
    return render(request, "grants/official_proposal.html", _official_context(request, proposal))


def _decision(form) -> bool:
    return form.cleaned_data["decision"] == "lanjut"


def _run_official_action(request, proposal: Proposal, action: str) -> str:
    user, post = request.user, request.POST
    items = selectors.applicable_documents_for(proposal)
    if action == "checklist":
        form = forms.ChecklistForm(post, items=items)
        form.is_valid()
        actions.check_completeness(
            actor=user,
            proposal=proposal,
            checklist=form.ticked(),
            remarks=form.cleaned_data.get("remarks", ""),
            request=request,
        )
        return _("Proposal dinyatakan lengkap dan diteruskan ke Kepala Daerah.")
    if action == "return":
        form = forms.ReturnForm(post, items=items)
        if not form.is_valid():
            raise ValidationError(_("Pilih dokumen yang kurang dan tulis alasan pengembalian."))
        actions.return_proposal(
            actor=user,
            proposal=proposal,
            missing_codes=form.cleaned_data["missing_codes"],
            reason=form.cleaned_data["reason"],
            request=request,
        )
        return _("Proposal dikembalikan kepada pemohon.")
    if action == "review":
        form = forms.DecisionForm(post)
        if not form.is_valid():
            raise ValidationError(_("Pilih lanjut atau tolak."))
        actions.review_proposal(
            actor=user,
            proposal=proposal,
            proceed=_decision(form),
            remarks=form.cleaned_data["remarks"],
            request=request,
        )
        return _("Telaah Kepala Daerah tercatat.")
    if action == "route":
        form = forms.RouteForm(post, org_units=OrgUnit.objects.filter(kind="perangkat_daerah"))
        if not form.is_valid():
            raise ValidationError(_("Pilih perangkat daerah teknis yang akan mengevaluasi proposal ini."))
        actions.route_proposal(
            actor=user,
            proposal=proposal,
            org_unit=form.cleaned_data["org_unit"],
            remarks=form.cleaned_data["remarks"],
            request=request,
        )
        return _("Proposal didisposisikan ke %(unit)s.") % {"unit": form.cleaned_data["org_unit"]}
    if action == "evaluate":
        form = forms.EvaluationForm(post)
        if not form.is_valid():
            raise ValidationError(_("Pilih rekomendasi dan isi nilai serta tanggal peninjauan lapangan."))
        actions.evaluate_proposal(
            actor=user,
            proposal=proposal,
            recommend=_decision(form),
            amount=form.cleaned_data["amount"],
            field_check_date=form.cleaned_data["field_check_date"],
            checklist=form.ticked(),
            remarks=form.cleaned_data["remarks"],
            request=request,
        )
        return _("Hasil evaluasi perangkat daerah tercatat.")
    if action in ("verify", "tapd"):
        form = forms.AmountForm(post)
        if not form.is_valid():
            raise ValidationError(_("Pilih lanjut atau tolak dan isi nilai."))
        common = {
            "actor": user,
            "proposal": proposal,
            "amount": form.cleaned_data["amount"],
            "override_reason": form.cleaned_data["override_reason"],
            "remarks": form.cleaned_data["remarks"],
            "request": request,
        }
        if action == "verify":
            actions.verify_proposal_amount(proceed=_decision(form), **common)
            return _("Verifikasi Tim Pertimbangan tercatat.")
        actions.consider_at_tapd(budgeted=_decision(form), **common)
        return _("Pertimbangan TAPD tercatat.")
    if action == "cancel":
        form = forms.ReasonForm(post)
        if not form.is_valid():
            raise ValidationError(_("Tulis alasan pembatalan."))
        actions.cancel_proposal(
            actor=user, proposal=proposal, reason=form.cleaned_data["reason"], request=request
        )
        return _("Proposal dibatalkan.")
    if action == "prepare-nphd":
        nphd = actions.prepare_nphd(actor=user, proposal=proposal)
        return _("NPHD %(number)s disiapkan; menunggu tanda tangan ketua lembaga.") % {"number": nphd.number}
    if action == "sign-nphd":
        nphd = selectors.get_nphd(proposal)
        if nphd is None:
            raise ValidationError(_("NPHD belum disiapkan."))
        actions.sign_nphd_as_official(actor=user, nphd=nphd, request=request)
        return _("NPHD ditandatangani kedua pihak.")
    raise Http404


OFFICIAL_ACTIONS = {
    "checklist",
    "return",
    "review",
    "route",
    "evaluate",
    "verify",
    "tapd",
    "cancel",
    "prepare-nphd",
    "sign-nphd",
}


@official_required(VIEW_PROPOSALS)
@require_POST
def official_action_page(request, proposal_id: int, action: str):
    if action not in OFFICIAL_ACTIONS:
        raise Http404
    proposal = _proposal_or_404(request, proposal_id)
    try:
        messages.success(request, _run_official_action(request, proposal, action))
    except REFUSALS as error:
        _error_messages(request, error)
    return _redirect("grants-official-proposal", proposal_id=proposal.pk)


@official_required(VIEW_PROPOSALS)
def official_nphd_download_page(request, proposal_id: int):
    proposal = _proposal_or_404(request, proposal_id)
    nphd = selectors.get_nphd(proposal)
    if nphd is None or nphd.official_document is None:
        raise Http404
    return _pdf_response(request, nphd.official_document.file)


# --- Officials: organisations -----------------------------------------------------------------------


@official_required(VERIFY_ORGANISATIONS)
def official_organisations_page(request):
    return render(
        request,
        "grants/official_organisations.html",
        {
            "waiting": selectors.list_organisations_for_verification(),
            "organisations": Organisation.objects.exclude(status=OrganisationStatus.DRAFT).order_by("name")[
                :200
            ],
        },
    )


@official_required(VERIFY_ORGANISATIONS)
def official_organisation_page(request, organisation_id: int):
    organisation = _organisation_or_404(request, organisation_id)
    if selectors.is_representative(request.user, organisation):
        return _redirect("grants-organisation", organisation_id=organisation.pk)
    from praja.modules.grants.models import FundingExemption

    actions.ensure_builtin_exemptions()
    available = {item.name for item in list_available_transitions(organisation, request.user)}
    return render(
        request,
        "grants/official_organisation.html",
        {
            "organisation": organisation,
            "board": organisation.board_members.all(),
            "bank_account": organisation.bank_accounts.filter(is_active=True).first(),
            "documents": organisation.documents.filter(is_current=True).select_related("stored_file"),
            "timeline": get_case_timeline(organisation),
            "available": available,
            "exemptions": FundingExemption.objects.all(),
            "reason_form": forms.ReasonForm(),
            "sanction_form": forms.SanctionForm(),
            "problems": rules.check_board(organisation.board_members.all()),
        },
    )


@official_required(VERIFY_ORGANISATIONS)
@require_POST
def official_organisation_action_page(request, organisation_id: int, action: str):
    from praja.modules.grants.models import FundingExemption

    organisation = _organisation_or_404(request, organisation_id)
    post = request.POST
    try:
        if action == "verify-bank":
            account = organisation.bank_accounts.filter(is_active=True).first()
            if account is None:
                raise ValidationError(_("Lembaga belum mencatat rekening bank."))
            actions.verify_bank_account(actor=request.user, account=account)
            messages.success(request, _("Rekening bank terverifikasi."))
        elif action == "verify":
            exemption = FundingExemption.objects.filter(pk=post.get("exemption") or None).first()
            actions.verify_organisation(
                actor=request.user, organisation=organisation, exemption=exemption, request=request
            )
            messages.success(request, _("Lembaga terverifikasi."))
        elif action in ("return", "reject"):
            handler = actions.return_organisation if action == "return" else actions.reject_organisation
            handler(
                actor=request.user, organisation=organisation, reason=post.get("reason", ""), request=request
            )
            messages.success(request, _("Keputusan tercatat."))
        elif action == "suspend":
            actions.suspend_organisation(
                actor=request.user,
                organisation=organisation,
                reason=post.get("reason", ""),
                legal_basis=post.get("legal_basis", ""),
                request=request,
            )
            messages.success(request, _("Lembaga ditangguhkan."))
        elif action == "reinstate":
            actions.reinstate_organisation(
                actor=request.user, organisation=organisation, reason=post.get("reason", ""), request=request
            )
            messages.success(request, _("Sanksi lembaga dicabut."))
        else:
            raise Http404
    except REFUSALS as error:
        _error_messages(request, error)
    return _redirect("grants-official-organisation", organisation_id=organisation.pk)


# --- Decree (DNC PBH) ---------------------------------------------------------------------------------


def _decree_viewer_required(view):
    return official_required(VIEW_PROPOSALS)(view)


@_decree_viewer_required
def decrees_page(request):
    programmes = list(selectors.list_programmes())
    rows = [
        {
            "programme": programme,
            "candidates": selectors.list_decree_candidates(programme).count(),
            "decrees": programme.decrees.all(),
        }
        for programme in programmes
    ]
    if request.method == "POST":
        programme = Programme.objects.filter(pk=request.POST.get("programme")).first()
        if programme is None:
            raise Http404
        try:
            decree = actions.build_decree(actor=request.user, programme=programme)
            messages.success(
                request, _("DNC PBH disusun: %(count)d penerima.") % {"count": decree.entries.count()}
            )
            return _redirect("grants-decree", decree_id=decree.pk)
        except REFUSALS as error:
            _error_messages(request, error)
    return render(
        request,
        "grants/decrees.html",
        {
            "rows": rows,
            "may_prepare": has_permission(request.user, PREPARE_DECREE),
        },
    )


def _decree_or_404(request, decree_id: int) -> Decree:
    try:
        return selectors.access_decree_by_id(request.user, decree_id)
    except Decree.DoesNotExist:
        raise Http404 from None


@_decree_viewer_required
def decree_page(request, decree_id: int):
    decree = _decree_or_404(request, decree_id)
    if request.method == "POST":
        try:
            actions.approve_decree(actor=request.user, decree=decree, request=request)
            messages.success(
                request, _("DNC PBH ditetapkan dengan nomor %(number)s.") % {"number": decree.number}
            )
        except REFUSALS as error:
            _error_messages(request, error)
        return _redirect("grants-decree", decree_id=decree.pk)
    return render(
        request,
        "grants/decree.html",
        {
            "decree": decree,
            "entries": decree.entries.all(),
            "may_approve": has_permission(request.user, APPROVE_DECREE) and not decree.is_approved,
            "needs_second_factor": not is_second_factor_verified(request.user),
        },
    )


@_decree_viewer_required
def decree_download_page(request, decree_id: int):
    decree = _decree_or_404(request, decree_id)
    if decree.official_document is None:
        raise Http404
    return _pdf_response(request, decree.official_document.file)


# --- Programme administration -------------------------------------------------------------------------


@programme_manager_required
def admin_programmes_page(request):
    return render(request, "grants/admin_programmes.html", {"programmes": selectors.list_programmes()})


def _programme_initial(programme: Programme | None) -> dict:
    if programme is None:
        return {"kind": "hibah", "is_planned": True, **rules.DEFAULT_HIBAH_RULES}
    initial = {
        name: getattr(programme, name)
        for name in actions.PROGRAMME_FIELDS
        if name not in ("eligibility_rules", "required_documents", "managing_org_unit")
    }
    initial.update(programme.eligibility_rules or {})
    return initial


@programme_manager_required
def admin_programme_page(request, programme_id: int | None = None):
    programme = None
    if programme_id is not None:
        programme = Programme.objects.filter(pk=programme_id).first()
        if programme is None:
            raise Http404
    form = forms.ProgrammeForm(request.POST or None, initial=_programme_initial(programme))
    if request.method == "POST" and form.is_valid():
        try:
            if programme is None:
                saved = actions.create_programme(actor=request.user, **form.values())
            else:
                saved = actions.update_programme(actor=request.user, programme=programme, **form.values())
        except ValidationError as error:
            _errors_to_form(request, form, error)
        except REFUSALS as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("Program %(name)s tersimpan.") % {"name": saved.name})
            return _redirect("grants-admin-programme", programme_id=saved.pk)
    return render(request, "grants/admin_programme.html", {"programme": programme, "form": form})


# --- Bansos cases (individuals/households) -------------------------------------------------------------


@official_required(MANAGE_BANSOS)
def bansos_page(request):
    """Bansos programmes' recipients: register one, verify social data, screen, cancel."""
    from praja.modules.grants.models import BansosCase

    programmes = Programme.objects.filter(kind="bansos").order_by("-budget_year", "name")
    form = forms.BansosCaseForm(request.POST or None, programmes=programmes)
    if request.method == "POST":
        case_id, step = request.POST.get("case"), request.POST.get("step")
        try:
            if case_id:
                case = selectors.access_bansos_case_by_id(request.user, case_id)
                if step == "verify":
                    actions.verify_bansos_case(actor=request.user, case=case, request=request)
                elif step == "screen":
                    actions.screen_bansos_case(actor=request.user, case=case, request=request)
                elif step == "cancel":
                    actions.cancel_bansos_case(
                        actor=request.user, case=case, reason=request.POST.get("reason", ""), request=request
                    )
                else:
                    raise Http404
                messages.success(
                    request,
                    _("Penerima %(number)s: %(status)s.")
                    % {"number": case.number, "status": case.get_status_display()},
                )
                return _redirect("grants-bansos")
            if form.is_valid():
                data = dict(form.cleaned_data)
                case = actions.register_bansos_case(actor=request.user, **data)
                messages.success(request, _("Penerima %(number)s terdaftar.") % {"number": case.number})
                return _redirect("grants-bansos")
        except BansosCase.DoesNotExist:
            raise Http404 from None
        except ValidationError as error:
            _errors_to_form(request, form, error)
        except REFUSALS as error:
            _error_messages(request, error)
    cases = BansosCase.objects.select_related("programme").order_by("programme__code", "number")[:500]
    return render(request, "grants/bansos.html", {"form": form, "cases": cases})
