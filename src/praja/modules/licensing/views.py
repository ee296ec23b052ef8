"""Pages of the licensing module: public catalogue, applicant, officials, catalogue admin.

Thin: parse with forms, read with selectors, write with one action, render. Refusals of actions
(workflow errors, validation errors) become an Indonesian message on the same page.
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
from praja.core.documents.actions import open_stored_file
from praja.core.tenancy.urls import tenant_reverse
from praja.core.web.access import (
    forbidden_response,
    login_url_for,
    tenant_page_required,
    tenant_permission_required,
)
from praja.core.workflow.errors import WorkflowError
from praja.core.workflow.selectors import get_case_timeline, list_available_transitions
from praja.modules.licensing import actions, catalogue, forms, selectors
from praja.modules.licensing.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    FormField,
    Permit,
    PermitStatus,
    PermitType,
    Requirement,
    RequirementSet,
)
from praja.modules.licensing.permissions import (
    ASSIGN_TEAM,
    CHECK_COMPLETENESS,
    DECIDE,
    REGISTER,
    REVIEW,
    REVOKE,
    VIEW_APPLICATIONS,
)

S = ApplicationStatus


# --- Guards -------------------------------------------------------------------------------------


def official_required(permission: str) -> Callable:
    """Login, membership, `permission`; a second factor only for roles that need one (the head)."""
    return tenant_permission_required(permission, second_factor=None)


def catalogue_admin_required(view: Callable) -> Callable:
    return tenant_page_required(catalogue.can_manage_catalogue)(view)


def _error_messages(request, error: Exception) -> None:
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(error))


def _application_or_404(request, application_id: int) -> Application:
    try:
        return selectors.access_application_by_id(request.user, application_id)
    except Application.DoesNotExist:
        raise Http404 from None


def _redirect(name: str, **kwargs) -> HttpResponseRedirect:
    return HttpResponseRedirect(tenant_reverse(name, kwargs=kwargs or None))


def _pdf_response(request, stored_file) -> FileResponse:
    handle = open_stored_file(actor=request.user, stored_file=stored_file, request=request)
    response = FileResponse(
        handle, content_type="application/pdf", as_attachment=True, filename=stored_file.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Public -------------------------------------------------------------------------------------


def catalogue_page(request):
    """Public list of services (no login)."""
    return render(
        request, "licensing/catalogue.html", {"permit_types": selectors.list_published_permit_types()}
    )


def standard_page(request, permit_type_code: str):
    """Public standar pelayanan of one service (UU 25/2009 Pasal 21)."""
    permit_type = selectors.get_published_permit_type(permit_type_code)
    if permit_type is None:
        raise Http404
    requirement_set = selectors.get_current_requirement_set(permit_type)
    return render(
        request,
        "licensing/standard.html",
        {
            "permit_type": permit_type,
            "requirement_set": requirement_set,
            "requirements": list(requirement_set.requirements.all()) if requirement_set else [],
            "form_fields": list(requirement_set.form_fields.all()) if requirement_set else [],
        },
    )


# --- Applicant ------------------------------------------------------------------------------------


def apply_page(request, permit_type_code: str):
    """Public description of how to apply; signed-in verified people get the form (anyone may apply
    in any region: a doctor living in Serang practises in Bandung)."""
    permit_type = selectors.get_published_permit_type(permit_type_code)
    if permit_type is None:
        raise Http404
    if not request.user.is_authenticated:
        return render(
            request,
            "licensing/apply.html",
            {"permit_type": permit_type, "form": None, "login_url": login_url_for(request)},
        )
    return _apply_form(request, permit_type)


@verified_citizen_required
def _apply_form(request, permit_type: PermitType):
    form = forms.ApplyForm(request.POST or None, permit_type=permit_type)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = actions.start_application(
                actor=request.user,
                permit_type=permit_type,
                idempotency_key=data["idempotency_key"],
                organisation_name=data.get("organisation_name", ""),
                organisation_id_number=data.get("organisation_id_number", ""),
                representative_position=data.get("representative_position", ""),
            )
        except (ValidationError, WorkflowError) as error:
            _error_messages(request, error)
        else:
            return _redirect("licensing-application-edit", application_id=application.pk)
    return render(request, "licensing/apply.html", {"permit_type": permit_type, "form": form})


@verified_citizen_required
def my_applications_page(request):
    return render(
        request,
        "licensing/my_applications.html",
        {
            "applications": selectors.list_my_applications(request.user),
            "permits": selectors.list_my_permits(request.user),
        },
    )


def _requirement_rows(application: Application) -> list[dict]:
    documents = {
        doc.requirement_code: doc
        for doc in application.documents.filter(is_current=True).select_related("stored_file")
    }
    applicable = {item.code for item in actions.applicable_requirements(application)}
    return [
        {"requirement": item, "document": documents.get(item.code), "applies": item.code in applicable}
        for item in application.requirement_set.requirements.all()
    ]


@verified_citizen_required
def application_page(request, application_id: int):
    """The applicant's file: timeline, SLA left, returns, bill, permit, survey."""
    application = _application_or_404(request, application_id)
    if application.applicant_id != request.user.pk:
        return _redirect("licensing-official-application", application_id=application.pk)
    permit = Permit.objects.filter(application=application).select_related("official_document").first()
    survey_url = None
    if application.status == S.ISSUED:
        try:
            from praja.modules.licensing.feedback.selectors import has_survey_response

            if not has_survey_response(application):
                survey_url = tenant_reverse("licensing-survey", kwargs={"application_id": application.pk})
        except Exception:  # noqa: BLE001 - the survey app (L2) is optional for the permit page
            survey_url = None
    return render(
        request,
        "licensing/application.html",
        {
            "application": application,
            "timeline": get_case_timeline(application),
            "rows": _requirement_rows(application),
            "returns": application.returns.all(),
            "open_return": application.returns.filter(answered_at__isnull=True).last(),
            "permit": permit,
            "survey_url": survey_url,
            "show_bill": application.status in (S.AWAITING_PAYMENT, S.PAID, S.ISSUED)
            and application.fee_amount,
            "editable": application.status in actions.EDITABLE_STATUSES,
        },
    )


@verified_citizen_required
def application_edit_page(request, application_id: int):
    """Fill the form, upload each requirement, save the draft or submit."""
    application = _application_or_404(request, application_id)
    if application.applicant_id != request.user.pk:
        raise Http404
    if application.status not in actions.EDITABLE_STATUSES:
        return _redirect("licensing-application", application_id=application.pk)
    fields = list(application.requirement_set.form_fields.all())
    initial = dict(application.form_data or {})
    form = forms.build_application_form(fields, data=request.POST or None, initial=initial)
    organisation = (
        forms.OrganisationForm(
            request.POST or None,
            initial={
                "organisation_name": application.organisation_name,
                "organisation_id_number": application.organisation_id_number,
                "representative_position": application.representative_position,
            },
        )
        if application.permit_type.allows_organisation
        else None
    )
    if request.method == "POST" and form.is_valid() and (organisation is None or organisation.is_valid()):
        extra = organisation.cleaned_data if organisation is not None else {}
        try:
            actions.save_application_form(
                actor=request.user, application=application, values=form.cleaned_data, **extra
            )
            if "submit" in request.POST:
                if application.status == S.DRAFT:
                    actions.submit_application(actor=request.user, application=application, request=request)
                    messages.success(
                        request,
                        _("Permohonan diajukan dengan nomor pendaftaran %(number)s.")
                        % {"number": application.tracking_number},
                    )
                else:
                    actions.resubmit_application(actor=request.user, application=application, request=request)
                    messages.success(request, _("Perbaikan dikirim; berkas kembali diproses."))
                return _redirect("licensing-application", application_id=application.pk)
            messages.success(request, _("Draf disimpan."))
            return _redirect("licensing-application-edit", application_id=application.pk)
        except ValidationError as error:
            for key, problems in getattr(error, "message_dict", {"__all__": error.messages}).items():
                for problem in problems:
                    if key in form.fields:
                        form.add_error(key, problem)
                    else:
                        messages.error(request, problem)
        except WorkflowError as error:
            _error_messages(request, error)
    return render(
        request,
        "licensing/application_edit.html",
        {
            "application": application,
            "form": form,
            "organisation": organisation,
            "rows": _requirement_rows(application),
            "upload_form": forms.UploadForm(),
            "open_return": application.returns.filter(answered_at__isnull=True).last(),
            "problems": actions.find_submission_problems(application),
        },
    )


@verified_citizen_required
@require_POST
def upload_page(request, application_id: int, requirement_code: str):
    application = _application_or_404(request, application_id)
    if application.applicant_id != request.user.pk:
        raise Http404
    form = forms.UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih berkas yang akan diunggah."))
    else:
        try:
            document = actions.upload_requirement_document(
                actor=request.user,
                application=application,
                requirement_code=requirement_code,
                uploaded_file=form.cleaned_data["file"],
                valid_until=form.cleaned_data.get("valid_until"),
            )
        except (ValidationError, WorkflowError) as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("Berkas %(code)s tersimpan.") % {"code": document.requirement_code})
    return _redirect("licensing-application-edit", application_id=application.pk)


@verified_citizen_required
@require_POST
def withdraw_page(request, application_id: int):
    application = _application_or_404(request, application_id)
    if application.applicant_id != request.user.pk:
        raise Http404
    try:
        actions.withdraw_application(
            actor=request.user,
            application=application,
            reason=request.POST.get("reason", ""),
            request=request,
        )
        messages.success(request, _("Permohonan dibatalkan."))
    except (ValidationError, WorkflowError) as error:
        _error_messages(request, error)
    return _redirect("licensing-application", application_id=application.pk)


@verified_citizen_required
def receipt_page(request, application_id: int):
    application = _application_or_404(request, application_id)
    document = actions.ensure_receipt(application=application)
    if document is None:
        raise Http404
    return _pdf_response(request, document.file)


def _permit_or_404(request, permit_id: int) -> Permit:
    try:
        return selectors.access_permit_by_id(request.user, permit_id)
    except Permit.DoesNotExist:
        raise Http404 from None


@verified_citizen_required
def permit_download_page(request, permit_id: int):
    permit = _permit_or_404(request, permit_id)
    if permit.official_document is None:
        raise Http404
    return _pdf_response(request, permit.official_document.file)


@verified_citizen_required
@require_POST
def renew_page(request, permit_id: int):
    """Start a renewal or a change of one's own permit (same permit number)."""
    permit = _permit_or_404(request, permit_id)
    if permit.holder_id != request.user.pk:
        raise Http404
    kind = request.POST.get("kind", ApplicationKind.RENEWAL)
    try:
        application = actions.start_application(
            actor=request.user,
            permit_type=permit.permit_type,
            kind=kind,
            previous_permit=permit,
            idempotency_key=request.POST.get("idempotency_key") or None,
            organisation_name=permit.application.organisation_name,
            organisation_id_number=permit.application.organisation_id_number,
            representative_position=permit.application.representative_position,
        )
    except (ValidationError, WorkflowError) as error:
        _error_messages(request, error)
        return _redirect("licensing-my-applications")
    return _redirect("licensing-application-edit", application_id=application.pk)


# --- Officials ------------------------------------------------------------------------------------


@official_required(VIEW_APPLICATIONS)
def queue_page(request):
    """FIFO queues per permit type; only the first of each may be taken without a reason."""
    items = selectors.list_queue(request.user)
    groups: dict[str, list] = {}
    for application in items:
        groups.setdefault(application.permit_type.name, []).append(
            {
                "application": application,
                "out_of_turn": selectors.is_out_of_turn(application),
            }
        )
    return render(request, "licensing/queue.html", {"groups": sorted(groups.items())})


ACTION_PERMISSIONS = {
    "complete": CHECK_COMPLETENESS,
    "return": VIEW_APPLICATIONS,
    "register": REGISTER,
    "assign": ASSIGN_TEAM,
    "inspect": REVIEW,
    "recommend": REVIEW,
    "decide": DECIDE,
    "revoke": REVOKE,
}


@official_required(VIEW_APPLICATIONS)
def official_application_page(request, application_id: int):
    application = _application_or_404(request, application_id)
    if application.applicant_id == request.user.pk:
        return _redirect("licensing-application", application_id=application.pk)
    actions.record_application_view(actor=request.user, application=application, request=request)
    available = {item.name for item in list_available_transitions(application, request.user)}
    requirements = list(application.requirement_set.requirements.all())
    permit = Permit.objects.filter(application=application).first()
    context = {
        "application": application,
        "timeline": get_case_timeline(application),
        "rows": _requirement_rows(application),
        "form_rows": [
            (field.label, (application.form_data or {}).get(field.key))
            for field in application.requirement_set.form_fields.all()
        ],
        "returns": application.returns.all(),
        "assignments": application.assignments.prefetch_related("members__user"),
        "reports": application.inspection_reports.prefetch_related("photos"),
        "available": available,
        "out_of_turn": selectors.is_out_of_turn(application),
        "permit": permit,
        "return_form": forms.ReturnForm(requirements=requirements)
        if available & {"return_incomplete", "request_revision"}
        else None,
        "assign_form": forms.AssignTeamForm(officers=selectors.list_technical_officers(application))
        if available & {"assign_team", "assign_inspection_team"}
        else None,
        "inspection_form": forms.InspectionForm() if "record_inspection" in available else None,
        "decision_form": forms.DecisionForm()
        if available & {"approve", "approve_for_payment", "reject"}
        else None,
        "reason_form": forms.ReasonForm(),
    }
    return render(request, "licensing/official_application.html", context)


@official_required(VIEW_APPLICATIONS)
@require_POST
def out_of_turn_page(request, application_id: int):
    application = _application_or_404(request, application_id)
    form = forms.ReasonForm(request.POST)
    try:
        actions.take_out_of_turn(
            actor=request.user,
            application=application,
            reason=request.POST.get("reason", ""),
            request=request,
        )
        messages.warning(request, _("Berkas diambil di luar urutan; alasan Anda tercatat dan ditandai."))
    except (ValidationError, WorkflowError) as error:
        _error_messages(request, error)
    del form
    return _redirect("licensing-official-application", application_id=application.pk)


def _run_official_action(request, application: Application, action: str) -> str:
    """Call the action named by the form; return the success message."""
    post, user = request.POST, request.user
    if action == "complete":
        actions.mark_application_complete(actor=user, application=application, request=request)
        return _("Berkas dinyatakan lengkap.")
    if action == "return":
        actions.return_application(
            actor=user,
            application=application,
            requirement_codes=post.getlist("requirement_codes"),
            reason=post.get("reason", ""),
            request=request,
        )
        return _("Berkas dikembalikan ke pemohon.")
    if action == "register":
        actions.register_application(actor=user, application=application, request=request)
        return _("Berkas terdaftar dengan nomor %(number)s; jangka waktu layanan mulai dihitung.") % {
            "number": application.registration_number
        }
    if action == "assign":
        form = forms.AssignTeamForm(post, officers=selectors.list_technical_officers(application))
        if not form.is_valid():
            raise ValidationError(_("Pilih petugas tim teknis dari daftar."))
        assignment = actions.assign_technical_team(
            actor=user,
            application=application,
            members=form.chosen(),
            notes=form.cleaned_data["notes"],
            request=request,
        )
        return _("Surat tugas %(number)s diterbitkan.") % {"number": assignment.letter_number}
    if action == "inspect":
        form = forms.InspectionForm(post, request.FILES)
        if not form.is_valid():
            raise ValidationError(
                [
                    f"{form.fields[name].label if name in form.fields else ''}: {message}"
                    for name, problems in form.errors.items()
                    for message in problems
                ]
            )
        data = form.cleaned_data
        actions.record_inspection(
            actor=user,
            application=application,
            inspected_on=data["inspected_on"],
            location=data["location"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            findings=data["findings"],
            is_compliant=data["is_compliant"],
            photos=form.photos(),
            request=request,
        )
        return _("Berita acara pemeriksaan tercatat.")
    if action == "recommend":
        actions.recommend(
            actor=user,
            application=application,
            approve=post.get("decision") == "approve",
            reason=post.get("reason", ""),
            request=request,
        )
        return _("Rekomendasi dikirim ke Kepala DPMPTSP.")
    if action == "decide":
        approve = post.get("decision") == "approve"
        actions.decide_application(
            actor=user,
            application=application,
            approve=approve,
            reason=post.get("reason", ""),
            request=request,
        )
        return (
            _("Permohonan disetujui.") if approve else _("Permohonan ditolak; surat penolakan diterbitkan.")
        )
    if action == "revoke":
        permit = Permit.objects.filter(application=application, status=PermitStatus.VALID).first()
        if permit is None:
            raise ValidationError(_("Tidak ada izin berlaku pada berkas ini."))
        actions.revoke_permit(actor=user, permit=permit, reason=post.get("reason", ""), request=request)
        return _("Izin %(number)s dicabut.") % {"number": permit.permit_number}
    raise Http404


def official_action_page(request, application_id: int, action: str):
    permission = ACTION_PERMISSIONS.get(action)
    if permission is None:
        raise Http404

    @official_required(permission)
    @require_POST
    def run(request):
        application = _application_or_404(request, application_id)
        try:
            messages.success(request, _run_official_action(request, application, action))
        except (ValidationError, WorkflowError, DjangoPermissionDenied) as error:
            _error_messages(request, error)
        return _redirect("licensing-official-application", application_id=application.pk)

    return run(request)


@official_required(VIEW_APPLICATIONS)
def performance_page(request):
    if not selectors.can_view_performance(request.user):
        return forbidden_response(request)
    return render(
        request,
        "licensing/performance.html",
        {
            "by_permit_type": selectors.sla_compliance_by_permit_type(),
            "by_office": selectors.sla_compliance_by_office(),
            "by_official": selectors.sla_compliance_by_official(),
        },
    )


# --- Catalogue admin --------------------------------------------------------------------------------


def _catalogue_permit_type_or_404(request, permit_type_id: int) -> PermitType:
    try:
        return selectors.access_permit_type_for_catalogue_by_id(request.user, permit_type_id)
    except PermitType.DoesNotExist:
        raise Http404 from None


@catalogue_admin_required
def admin_catalogue_page(request):
    return render(request, "licensing/admin_catalogue.html", {"permit_types": selectors.list_permit_types()})


@catalogue_admin_required
def admin_permit_type_page(request, permit_type_id: int | None = None):
    permit_type = None
    if permit_type_id is not None:
        permit_type = _catalogue_permit_type_or_404(request, permit_type_id)
    form = forms.PermitTypeForm(request.POST or None, instance=permit_type)
    if request.method == "POST" and "publish_service" in request.POST and permit_type is not None:
        try:
            catalogue.set_permit_type_published(
                actor=request.user,
                permit_type=permit_type,
                is_published=request.POST["publish_service"] == "1",
            )
            messages.success(request, _("Status publikasi layanan diperbarui."))
        except ValidationError as error:
            _error_messages(request, error)
        return _redirect("licensing-admin-permit-type", permit_type_id=permit_type.pk)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            saved = catalogue.save_permit_type(
                actor=request.user,
                values=values,
                permit_type=PermitType.objects.get(pk=permit_type.pk) if permit_type else None,
            )
        except ValidationError as error:
            for key, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(key if key in form.fields else None, problem)
        else:
            messages.success(request, _("Jenis izin %(name)s tersimpan.") % {"name": saved.name})
            return _redirect("licensing-admin-permit-type", permit_type_id=saved.pk)
    versions = list(permit_type.requirement_sets.order_by("-version")) if permit_type else []
    return render(
        request,
        "licensing/admin_permit_type.html",
        {"permit_type": permit_type, "form": form, "versions": versions},
    )


@catalogue_admin_required
@require_POST
def admin_new_version_page(request, permit_type_id: int):
    permit_type = _catalogue_permit_type_or_404(request, permit_type_id)
    draft = catalogue.create_requirement_version(actor=request.user, permit_type=permit_type)
    return _redirect("licensing-admin-version", requirement_set_id=draft.pk)


@catalogue_admin_required
def admin_version_page(request, requirement_set_id: int):
    """Edit a draft requirement version (requirements, form fields) and publish it."""
    try:
        version = selectors.access_requirement_set_for_catalogue_by_id(request.user, requirement_set_id)
    except RequirementSet.DoesNotExist:
        raise Http404 from None
    requirement_form = forms.RequirementForm(prefix="req")
    field_form = forms.FormFieldForm(prefix="field")
    if request.method == "POST":
        try:
            if "add_requirement" in request.POST:
                requirement_form = forms.RequirementForm(request.POST, prefix="req")
                if requirement_form.is_valid():
                    catalogue.save_requirement(
                        actor=request.user, requirement_set=version, values=requirement_form.cleaned_data
                    )
                    messages.success(request, _("Persyaratan ditambahkan."))
                    return _redirect("licensing-admin-version", requirement_set_id=version.pk)
            elif "add_field" in request.POST:
                field_form = forms.FormFieldForm(request.POST, prefix="field")
                if field_form.is_valid():
                    catalogue.save_form_field(
                        actor=request.user, requirement_set=version, values=field_form.cleaned_data
                    )
                    messages.success(request, _("Isian formulir ditambahkan."))
                    return _redirect("licensing-admin-version", requirement_set_id=version.pk)
            elif "delete_requirement" in request.POST:
                item = Requirement.objects.filter(
                    pk=request.POST["delete_requirement"], requirement_set=version
                ).first()
                if item is not None:
                    catalogue.delete_requirement(actor=request.user, requirement=item)
                return _redirect("licensing-admin-version", requirement_set_id=version.pk)
            elif "delete_field" in request.POST:
                item = FormField.objects.filter(
                    pk=request.POST["delete_field"], requirement_set=version
                ).first()
                if item is not None:
                    catalogue.delete_form_field(actor=request.user, form_field=item)
                return _redirect("licensing-admin-version", requirement_set_id=version.pk)
            elif "publish" in request.POST:
                catalogue.publish_requirement_set(
                    actor=request.user, requirement_set=version, notes=request.POST.get("notes", "")
                )
                messages.success(request, _("Versi %(version)d diterbitkan.") % {"version": version.version})
                return _redirect("licensing-admin-permit-type", permit_type_id=version.permit_type_id)
        except ValidationError as error:
            _error_messages(request, error)
    return render(
        request,
        "licensing/admin_version.html",
        {
            "version": version,
            "requirement_form": requirement_form,
            "field_form": field_form,
            "publish_form": forms.PublishForm(),
        },
    )
