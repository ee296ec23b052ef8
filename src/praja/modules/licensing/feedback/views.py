"""Pages of the survey and complaints: thin, each parses input, calls one action and renders."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from praja.core.permissions.checks import has_permission, requires_second_factor
from praja.core.permissions.roles import VIEW_ALL_CASES, WORK_QUEUE
from praja.core.tenancy.middleware import not_found_response
from praja.core.tenancy.urls import tenant_reverse
from praja.core.web.access import (
    is_member_of_tenant,
    is_second_factor_verified,
    login_url_for,
    second_factor_gate,
    tenant_permission_required,
)
from praja.core.workflow import WorkflowError
from praja.core.workflow.selectors import get_case_timeline, list_available_transitions
from praja.modules.licensing.feedback import actions, forms, ratelimit, rules, selectors
from praja.modules.licensing.feedback.constants import ComplaintStatus, IkmElement
from praja.modules.licensing.permissions import HANDLE_COMPLAINTS, VIEW_PERFORMANCE


def official_page(*permissions: str) -> Callable:
    """Login, membership, any of `permissions`, and TOTP when the person's roles need it."""
    return tenant_permission_required(*permissions, second_factor=None)


def login_page(view: Callable) -> Callable:
    """Login and membership of the tenant (citizens registered here, or anyone holding a role here)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return HttpResponseRedirect(login_url_for(request))
        if not is_member_of_tenant(request.user, request.tenant):
            return not_found_response(request)
        return view(request, *args, **kwargs)

    return wrapped


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, items in error.error_dict.items():
            for item in items:
                form.add_error(field if field in form.fields else None, item.message % (item.params or {}))
    else:
        for message in error.messages:
            form.add_error(None, message)


# Survey ----------------------------------------------------------------------------------------


def _applicant_application(request, application_id: int):
    from praja.modules.licensing.selectors import access_application_by_id

    try:
        application = access_application_by_id(request.user, application_id)
    except Exception as error:  # Http404 or DoesNotExist: missing and forbidden alike
        raise Http404 from error
    if application.applicant_id != request.user.pk:
        raise Http404  # an official may read the file, but only the applicant answers its survey
    return application


@login_page
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _applicant_application(request, application_id)
    context = {"application": application, "already": selectors.has_survey_response(application)}
    if context["already"] or application.issued_at is None:
        if request.method == "POST" and context["already"]:
            messages.error(request, str(actions._already_filled(application).message))
        return render(request, "licensing_feedback/survey_closed.html", context, status=200)
    form = forms.SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.submit_survey_response(
                actor=request.user,
                application=application,
                answers=form.answers(),
                demographics=form.demographics(),
                suggestion=form.cleaned_data["suggestion"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return render(request, "licensing_feedback/survey_thanks.html", {"application": application})
    return render(request, "licensing_feedback/survey.html", {**context, "form": form, "kiosk": False})


@require_http_methods(["GET", "POST"])
def kiosk_survey(request: HttpRequest) -> HttpResponse:
    permit_types = selectors.list_permit_types_for_forms()
    form = forms.KioskSurveyForm(
        request.POST or None, permit_types=permit_types, initial={"started": forms.started_token()}
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        refusal = rules.spam_refusal(text=form.cleaned_data["suggestion"], **form.spam_inputs())
        if refusal:
            form.add_error(None, refusal)
            status = 400
        else:
            try:
                actions.submit_kiosk_survey(
                    permit_type=form.cleaned_data["permit_type"],
                    answers=form.answers(),
                    demographics=form.demographics(),
                    suggestion=form.cleaned_data["suggestion"],
                    client_key=ratelimit.client_key(request),
                )
            except ratelimit.RateLimited as error:
                form.add_error(None, error.message)
                status = 429
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return render(request, "licensing_feedback/survey_thanks.html", {"kiosk": True})
    if request.method == "POST":
        form.data = form.data.copy()
        form.data["started"] = forms.started_token()
    return render(request, "licensing_feedback/survey.html", {"form": form, "kiosk": True}, status=status)


def _period_from(request):
    text = request.GET.get("period") or str(timezone.localdate().year)
    try:
        return rules.parse_period(text), ""
    except rules.PeriodError as error:
        return rules.year_period(timezone.localdate().year), str(error)


@official_page(VIEW_PERFORMANCE, VIEW_ALL_CASES)
def ikm_dashboard(request: HttpRequest) -> HttpResponse:
    period, period_error = _period_from(request)
    context = {
        "period": period,
        "period_error": period_error,
        "overall": selectors.ikm_for_tenant(period),
        "by_permit_type": selectors.list_ikm_by_permit_type(period),
        "by_org_unit": selectors.list_ikm_by_org_unit(period),
        "demographics": selectors.list_demographics(period),
        "suggestions": selectors.list_suggestions(period, limit=20),
        "reports": selectors.list_ikm_reports(),
        "element_labels": dict(IkmElement.choices),
        "can_issue_report": has_permission(request.user, VIEW_PERFORMANCE),
        "this_year": timezone.localdate().year,
    }
    return render(request, "licensing_feedback/ikm_dashboard.html", context)


@official_page(VIEW_PERFORMANCE)
@require_POST
def ikm_report_issue(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.POST.get("year", ""))
        if not 2000 <= year <= timezone.localdate().year:
            raise ValueError
    except ValueError:
        messages.error(request, _("Pilih tahun laporan yang sudah berjalan."))
    else:
        report = actions.generate_ikm_report(actor=request.user, year=year)
        messages.success(
            request,
            _("Laporan IKM tahun %(year)s diterbitkan (kode verifikasi %(code)s).")
            % {"year": year, "code": report.document.verification_code},
        )
    return HttpResponseRedirect(tenant_reverse("licensing-ikm"))


# Complaints ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest) -> HttpResponse:
    is_anonymous = not request.user.is_authenticated
    if not is_anonymous and not is_member_of_tenant(request.user, request.tenant):
        is_anonymous = True  # a visitor from another region complains as the public does
    form = forms.ComplaintForm(
        request.POST or None,
        permit_types=selectors.list_permit_types_for_forms(),
        is_anonymous=is_anonymous,
        initial={"started": forms.started_token(), "application_number": request.GET.get("nomor", "")},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        refusal = rules.spam_refusal(text=data["description"], **form.spam_inputs()) if is_anonymous else None
        if refusal:
            form.add_error(None, refusal)
            status = 400
        else:
            try:
                complaint, token = actions.submit_complaint(
                    actor=None if is_anonymous else request.user,
                    subject=data["subject"],
                    description=data["description"],
                    application_number=data["application_number"],
                    permit_type=data["permit_type"],
                    contact_name=data.get("contact_name", ""),
                    contact_email=data.get("contact_email", ""),
                    contact_phone=data.get("contact_phone", ""),
                    client_key=ratelimit.client_key(request),
                )
            except ratelimit.RateLimited as error:
                form.add_error(None, error.message)
                status = 429
            except ValidationError as error:
                _add_errors(form, error)
                status = 400
            else:
                context = {"complaint": complaint, "token": token, "is_anonymous": is_anonymous}
                return render(request, "licensing_feedback/complaint_receipt.html", context, status=201)
    elif request.method == "POST":
        status = 400
    if request.method == "POST":
        form.data = form.data.copy()
        form.data["started"] = forms.started_token()
    return render(
        request,
        "licensing_feedback/complaint_new.html",
        {"form": form, "is_anonymous": is_anonymous},
        status=status,
    )


def _public_timeline(complaint):
    timeline = get_case_timeline(complaint)
    # The public sees steps and dates; officials' names stay inside the office.
    return [
        (
            entry.occurred_at,
            entry.to_label,
            entry.reason if entry.to_status == ComplaintStatus.REJECTED else "",
        )
        for entry in timeline.entries
    ]


@require_http_methods(["GET", "POST"])
def complaint_track(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else (request.GET if "number" in request.GET else None)
    form = forms.TrackComplaintForm(data)
    complaint = None
    status = 200
    if data is not None and form.is_valid():
        try:
            ratelimit.hit(tenant=request.tenant, scope="track", key=ratelimit.client_key(request), limit=60)
        except ratelimit.RateLimited as error:
            form.add_error(None, error.message)
            status = 429
        else:
            complaint = selectors.get_complaint_by_access_code(
                form.cleaned_data["number"], form.cleaned_data["code"]
            )
            if complaint is None:
                form.add_error(
                    None, _("Nomor pengaduan atau kode akses tidak cocok. Periksa tanda terima Anda.")
                )
                status = 404
    context = {
        "form": form,
        "complaint": complaint,
        "timeline": _public_timeline(complaint) if complaint else [],
    }
    return render(request, "licensing_feedback/complaint_track.html", context, status=status)


@login_page
def my_complaints(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "licensing_feedback/my_complaints.html",
        {"complaints": selectors.list_complaints_for_user(request.user)},
    )


@official_page(HANDLE_COMPLAINTS, WORK_QUEUE, VIEW_ALL_CASES)
def complaint_queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in ComplaintStatus.values:
        status = ""
    context = {
        "complaints": selectors.list_complaints_for_handling(request.user, status=status),
        "status": status,
        "statuses": [
            (value, label) for value, label in ComplaintStatus.choices if value != ComplaintStatus.NEW
        ],
        "is_handler": selectors.can_handle_complaints(request.user),
    }
    return render(request, "licensing_feedback/complaint_queue.html", context)


def _action_forms(request, complaint, available: set[str]):
    officials = selectors.list_assignable_officials().exclude(pk=complaint.complainant_id or 0)
    org_units = selectors.list_org_units()
    post = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if post else None
    return {
        "assign": forms.AssignForm(
            post if action == "assign" else None, officials=officials, org_units=org_units, prefix="assign"
        )
        if "assign" in available
        else None,
        "reassign": forms.ReassignForm(
            post if action == "reassign" else None,
            officials=officials,
            org_units=org_units,
            prefix="reassign",
        )
        if "reassign" in available
        else None,
        "answer": forms.AnswerForm(post if action == "answer" else None, prefix="answer")
        if "answer" in available
        else None,
        "reject": forms.RejectForm(post if action == "reject" else None, prefix="reject")
        if "reject" in available
        else None,
        "close": "close" in available,
        "lapor": forms.LaporForm(
            post if action == "lapor" else None,
            prefix="lapor",
            initial={"lapor_reference": complaint.lapor_reference},
        )
        if selectors.can_handle_complaints(request.user)
        else None,
    }


def _run_action(request, complaint, action: str, action_forms) -> bool:
    user = request.user
    form = action_forms.get(action)
    if action == "close" and action_forms.get("close"):
        actions.close_complaint(actor=user, complaint=complaint, request=request)
        return True
    if not isinstance(form, forms.forms.Form) or not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        if action == "assign":
            actions.assign_complaint(
                actor=user,
                complaint=complaint,
                band=data["band"],
                assignee=data["assignee"],
                org_unit=data["org_unit"],
                request=request,
            )
        elif action == "reassign":
            actions.reassign_complaint(
                actor=user,
                complaint=complaint,
                assignee=data["assignee"],
                org_unit=data["org_unit"],
                reason=data["reason"],
                request=request,
            )
        elif action == "answer":
            actions.answer_complaint(actor=user, complaint=complaint, answer=data["answer"], request=request)
        elif action == "reject":
            actions.reject_complaint(actor=user, complaint=complaint, reason=data["reason"], request=request)
        elif action == "lapor":
            actions.set_lapor_reference(actor=user, complaint=complaint, reference=data["lapor_reference"])
    except ValidationError as error:
        _add_errors(form, error)
        return False
    return True


@login_page
@require_http_methods(["GET", "POST"])
def complaint_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = selectors.access_complaint_by_id(request.user, complaint_id)
    is_official_view = complaint.complainant_id != request.user.pk
    if (
        is_official_view
        and requires_second_factor(request.user)
        and not is_second_factor_verified(request.user)
    ):
        return second_factor_gate(request)
    available = {item.name for item in list_available_transitions(complaint, request.user)}
    action_forms = _action_forms(request, complaint, available)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if _run_action(request, complaint, action, action_forms):
                messages.success(
                    request, _("Pengaduan %(number)s diperbarui.") % {"number": complaint.number}
                )
                return HttpResponseRedirect(request.get_full_path())
            status = 400
        except (WorkflowError, PermissionDenied) as error:
            messages.error(request, str(error))
            status = 403 if isinstance(error, PermissionDenied) else 409
    context = {
        "complaint": complaint,
        "timeline": get_case_timeline(complaint),
        "is_official_view": is_official_view,
        "forms": action_forms,
    }
    return render(request, "licensing_feedback/complaint_detail.html", context, status=status)


def complaint_register(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("tahun", ""))
    except ValueError:
        year = timezone.localdate().year
    if not 2000 <= year <= 2100:
        year = timezone.localdate().year
    return render(
        request,
        "licensing_feedback/complaint_register.html",
        {"register": selectors.get_complaint_register(year), "year": year},
    )
