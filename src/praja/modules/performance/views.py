"""Pages of e-Kinerja: my month, my day (entries + check-in), requests, team validation, master data.

Thin: parse with forms, read with selectors, write with one action, render. Refusals become an
Indonesian message on the same page and the form keeps its input.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from praja.core.permissions.checks import has_permission
from praja.core.tenancy.middleware import not_found_response
from praja.core.tenancy.urls import tenant_reverse
from praja.core.web.access import (
    forbidden_response,
    holds_any_permission,
    is_second_factor_verified,
    second_factor_gate,
    tenant_page_required,
    verify_second_factor,
)
from praja.core.workflow.errors import WorkflowError
from praja.modules.performance import actions, catalogue, forms, rules, selectors
from praja.modules.performance.models import (
    AbsenceRequest,
    ActivityEntry,
    AttendanceCorrection,
    ConfigStatus,
    Employee,
    EmployeeStatus,
    PerformanceConfig,
)
from praja.modules.performance.permissions import (
    APPROVE_CONFIG,
    MANAGE_CONFIG,
    MANAGE_EMPLOYEES,
    RECORD_APEL,
    VIEW_ALL,
)

MONTH_NAMES = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def member_required(view: Callable) -> Callable:
    """Logged in and a member of the tenant (a stranger from another region gets the plain 404)."""
    return tenant_page_required()(view)


def employee_required(view: Callable) -> Callable:
    @member_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        employee = selectors.get_employee_for_user(request.user)
        if employee is None:
            return render(request, "performance/not_employee.html", status=403)
        request.employee = employee
        return view(request, *args, **kwargs)

    return wrapped


def _error_text(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, items in error.error_dict.items():
            target = field if field in form.fields else None
            if field == "activity_id":
                target = "activity"
            for item in items:
                form.add_error(target, " ".join(item.messages))
    else:
        form.add_error(None, " ".join(error.messages))


def _parse_date(text: str | None, default: datetime.date) -> datetime.date | None:
    if not text:
        return default
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


def _parse_month(text: str | None, default: datetime.date) -> tuple[int, int] | None:
    if not text:
        return default.year, default.month
    try:
        year, month = (int(part) for part in text.split("-"))
        datetime.date(year, month, 1)
        if not 2000 <= year <= 2100:
            raise ValueError(year)
    except ValueError:
        return None
    return year, month


def month_label(year: int, month: int) -> str:
    return f"{MONTH_NAMES[month - 1]} {year}"


# --- Employee -------------------------------------------------------------------------------------


@employee_required
def my_month_page(request: HttpRequest) -> HttpResponse:
    return _month_page(request, request.employee, own=True)


@member_required
def employees_page(request: HttpRequest) -> HttpResponse:
    """Employees the user may review: all (BKPSDM, inspectorate), own OPD (admin), direct reports."""
    visible = list(selectors.list_employees(request.user)[:500])
    reports = [e for e in selectors.list_direct_reports(request.user) if e not in visible]
    if not visible and not reports and not has_permission(request.user, MANAGE_EMPLOYEES):
        return forbidden_response(request)
    return render(
        request,
        "performance/employees.html",
        {
            "employees": visible + reports,
            "can_manage": has_permission(request.user, MANAGE_EMPLOYEES),
            "can_record_apel": has_permission(request.user, RECORD_APEL),
            "managed_units": selectors.org_unit_ids_with(request.user, MANAGE_EMPLOYEES),
        },
    )


@member_required
def employee_month_page(request: HttpRequest, employee_id: int) -> HttpResponse:
    from praja.modules.performance.models import Employee

    try:
        employee = selectors.access_employee_by_id(request.user, employee_id)
    except Employee.DoesNotExist:
        return not_found_response(request)
    return _month_page(request, employee, own=employee.user_id == request.user.pk)


def _month_page(request: HttpRequest, employee, *, own: bool) -> HttpResponse:
    today = selectors.local_today(request.tenant)
    parsed = _parse_month(request.GET.get("month"), today)
    if parsed is None:
        return not_found_response(request)
    year, month = parsed
    summary = selectors.month_summary(employee, year, month, today=today)
    estimate = selectors.tpp_estimate(employee, summary)
    first = datetime.date(year, month, 1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    result = None
    try:
        from praja.modules.performance.tpp.selectors import get_my_result

        result = get_my_result(request.user, first) if own else None
    except ImportError:  # pragma: no cover - tpp not installed
        pass
    return render(
        request,
        "performance/my_month.html",
        {
            "employee": employee,
            "summary": summary,
            "estimate": estimate,
            "result": result,
            "month_label": month_label(year, month),
            "previous": previous.strftime("%Y-%m"),
            "following": following.strftime("%Y-%m") if following <= today else None,
            "discipline_percent": rules.HUNDRED - summary.deduction_percent,
            "own": own,
        },
    )


def _day_context(request, employee, day, form=None):
    tenant = request.tenant
    config = selectors.config_for_date(tenant, day)
    entries = list(selectors.list_entries_for_day(employee, day)) if config else []
    usage = selectors.day_usage(employee, day, config) if config else None
    deadline = (
        rules.entry_deadline(day, config.entry_deadline_working_days, selectors.working_day_checker(tenant))
        if config
        else None
    )
    today = selectors.local_today(tenant)
    if form is None and config is not None:
        form = forms.EntryForm(catalogue=selectors.catalogue_for(employee, config))
    return {
        "employee": employee,
        "day": day,
        "today": today,
        "config": config,
        "entries": entries,
        "usage": usage,
        "deadline": deadline,
        "is_open": config is not None and day <= today <= deadline,
        "form": form,
        "attendance_form": forms.AttendanceForm(),
        "events": list(selectors.list_events_for_day(employee, day)),
        "previous_day": day - datetime.timedelta(days=1),
        "next_day": day + datetime.timedelta(days=1) if day < today else None,
        "supervisor": selectors.supervisor_of(employee),
    }


@employee_required
def my_day_page(request: HttpRequest) -> HttpResponse:
    today = selectors.local_today(request.tenant)
    day = _parse_date(request.GET.get("date") or request.POST.get("date"), today)
    if day is None:
        return not_found_response(request)
    employee = request.employee
    if request.method == "POST":
        config = selectors.config_for_date(request.tenant, day)
        form = forms.EntryForm(
            request.POST, request.FILES, catalogue=selectors.catalogue_for(employee, config) if config else ()
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = actions.log_entry(
                    actor=request.user,
                    day=day,
                    start_time=data["start_time"],
                    end_time=data["end_time"],
                    volume=data["volume"],
                    output=data["output"],
                    activity_id=data["activity"],
                    is_additional_task=data["is_additional_task"],
                    description=data["description"],
                    evidence_file=data["evidence"],
                    evidence_link=data["evidence_link"] or "",
                    is_official_travel=data["is_official_travel"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Aktivitas tersimpan: %(minutes)s menit dihitung, menunggu validasi atasan.")
                    % {"minutes": result.entry.credited_minutes},
                )
                if result.notice:
                    messages.warning(request, result.notice)
                return HttpResponseRedirect(_day_url(request, day))
        return render(
            request, "performance/my_day.html", _day_context(request, employee, day, form), status=400
        )
    return render(request, "performance/my_day.html", _day_context(request, employee, day))


def _day_url(request, day: datetime.date) -> str:
    return f"{tenant_reverse('performance-my-day', tenant=request.tenant)}?date={day.isoformat()}"


@employee_required
def edit_entry_page(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Change one's own submitted entry while its day is open (same rules as a new entry)."""
    try:
        entry = selectors.access_entry_by_id(request.user, entry_id)
    except ActivityEntry.DoesNotExist:
        return not_found_response(request)
    if entry.owner_id != request.user.pk:
        return not_found_response(request)
    catalogue_items = selectors.catalogue_for(request.employee, entry.config)
    status = 200
    if request.method == "POST":
        form = forms.EntryForm(request.POST, catalogue=catalogue_items)
        if form.is_valid():
            data = form.cleaned_data
            values = {
                "start_time": data["start_time"],
                "end_time": data["end_time"],
                "activity_id": data["activity"],
                "is_additional_task": data["is_additional_task"],
                "description": data["description"],
                "volume": data["volume"],
                "output": data["output"],
                "evidence_link": data["evidence_link"] or "",
                "is_official_travel": data["is_official_travel"],
            }
            try:
                result = actions.update_entry(actor=request.user, entry=entry, values=values)
            except ValidationError as error:
                _add_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Aktivitas diubah: %(minutes)s menit dihitung.")
                    % {"minutes": result.entry.credited_minutes},
                )
                if result.notice:
                    messages.warning(request, result.notice)
                return HttpResponseRedirect(_day_url(request, entry.date))
        status = 400
    else:
        form = forms.EntryForm(
            catalogue=catalogue_items,
            initial={
                "start_time": entry.start_time.strftime("%H:%M"),
                "end_time": entry.end_time.strftime("%H:%M"),
                "activity": entry.activity_id,
                "is_additional_task": entry.is_additional_task,
                "description": entry.description,
                "volume": entry.volume,
                "output": entry.output,
                "evidence_link": entry.evidence_link,
                "is_official_travel": entry.is_official_travel,
            },
        )
    return render(request, "performance/entry_edit.html", {"entry": entry, "form": form}, status=status)


@require_POST
@employee_required
def delete_entry_page(request: HttpRequest, entry_id: int) -> HttpResponse:
    try:
        entry = selectors.access_entry_by_id(request.user, entry_id)
    except ActivityEntry.DoesNotExist:
        return not_found_response(request)
    try:
        actions.delete_entry(actor=request.user, entry=entry)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Aktivitas dihapus."))
    return HttpResponseRedirect(_day_url(request, entry.date))


@require_POST
@employee_required
def attendance_page(request: HttpRequest) -> HttpResponse:
    form = forms.AttendanceForm(request.POST, request.FILES)
    today = selectors.local_today(request.tenant)
    if not form.is_valid():
        messages.error(request, _("Data presensi tidak lengkap: pilih masuk atau pulang."))
        return HttpResponseRedirect(_day_url(request, today))
    data = form.cleaned_data
    try:
        _event, notice = actions.check_in_out(
            actor=request.user,
            kind=data["kind"],
            client_time=data["client_time"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            photo=data["photo"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, notice)
    return HttpResponseRedirect(_day_url(request, today))


@employee_required
def requests_page(request: HttpRequest) -> HttpResponse:
    employee = request.employee
    absence_form, correction_form = (
        forms.AbsenceForm(prefix="absence"),
        forms.CorrectionForm(prefix="correction"),
    )
    status = 200
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "absence":
                absence_form = forms.AbsenceForm(request.POST, request.FILES, prefix="absence")
                if absence_form.is_valid():
                    data = absence_form.cleaned_data
                    actions.request_absence(
                        actor=request.user,
                        kind=data["kind"],
                        start_date=data["start_date"],
                        end_date=data["end_date"],
                        reason=data["reason"],
                        attachment=data["attachment"],
                    )
                    messages.success(request, _("Permohonan terkirim ke atasan langsung."))
                    return HttpResponseRedirect(tenant_reverse("performance-requests", tenant=request.tenant))
            elif which == "correction":
                correction_form = forms.CorrectionForm(request.POST, prefix="correction")
                if correction_form.is_valid():
                    data = correction_form.cleaned_data
                    actions.request_correction(
                        actor=request.user,
                        day=data["date"],
                        kind=data["kind"],
                        corrected_time=data["corrected_time"],
                        reason=data["reason"],
                    )
                    messages.success(request, _("Koreksi presensi terkirim ke atasan langsung."))
                    return HttpResponseRedirect(tenant_reverse("performance-requests", tenant=request.tenant))
        except ValidationError as error:
            _add_errors(absence_form if which == "absence" else correction_form, error)
        status = 400
    return render(
        request,
        "performance/requests.html",
        {
            "employee": employee,
            "absences": AbsenceRequest.objects.filter(employee=employee).order_by("-start_date")[:50],
            "corrections": AttendanceCorrection.objects.filter(employee=employee).order_by("-date")[:50],
            "absence_form": absence_form,
            "correction_form": correction_form,
        },
        status=status,
    )


# --- Supervisor -------------------------------------------------------------------------------------


@member_required
def team_page(request: HttpRequest) -> HttpResponse:
    reports = list(selectors.list_direct_reports(request.user))
    if not reports:
        return render(request, "performance/no_team.html", status=403)
    today = selectors.local_today(request.tenant)
    # The quadrant shows this month's close, or a past month's with ?month=YYYY-MM.
    parsed = _parse_month(request.GET.get("month"), today)
    if parsed is None:
        return not_found_response(request)
    pending = list(selectors.list_entries_to_validate(request.user))
    days: dict = {}
    for entry in pending:
        days.setdefault(entry.date, []).append(entry)
    absences, corrections = selectors.list_requests_to_decide(request.user)
    return render(
        request,
        "performance/team.html",
        {
            "reports": reports,
            "days": sorted(days.items()),
            "absences": absences,
            "corrections": corrections,
            "year": parsed[0],
            "month": parsed[1],
            "has_quadrant": _template_exists("performance_tpp/_team_quadrant.html"),
        },
    )


def _template_exists(name: str) -> bool:
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


@require_POST
@member_required
def validate_page(request: HttpRequest) -> HttpResponse:
    team_url = tenant_reverse("performance-team", tenant=request.tenant)
    ids = [int(value) for value in request.POST.getlist("entry") if value.isdigit()]
    bulk_day = _parse_date(request.POST.get("day"), None) if request.POST.get("day") else None
    if bulk_day is not None:
        entries = list(selectors.list_entries_to_validate(request.user, day=bulk_day))
    else:
        entries = []
        for entry_id in ids:
            try:
                entries.append(selectors.access_entry_by_id(request.user, entry_id))
            except ActivityEntry.DoesNotExist:
                return not_found_response(request)
    if not entries:
        messages.error(request, _("Pilih aktivitas yang akan divalidasi."))
        return HttpResponseRedirect(team_url)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih keputusan: setujui, tolak atau revisi menit."))
        return HttpResponseRedirect(team_url)
    data = form.cleaned_data
    if len(entries) == 1 and bulk_day is None:
        try:
            actions.validate_entry(
                actor=request.user,
                entry=entries[0],
                decision=data["decision"],
                reason=data["reason"] or "",
                approved_minutes=data["approved_minutes"],
                request=request,
            )
        except (ValidationError, PermissionDenied, WorkflowError) as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Aktivitas %(name)s divalidasi.") % {"name": entries[0].employee})
        return HttpResponseRedirect(team_url)
    try:
        result = actions.validate_entries(
            actor=request.user,
            entries=entries,
            decision=data["decision"],
            reason=data["reason"] or "",
            request=request,
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return HttpResponseRedirect(team_url)
    if result.done:
        messages.success(request, _("%(count)s aktivitas divalidasi.") % {"count": len(result.done)})
    for entry, message in result.refused:
        messages.error(request, f"{entry.employee} {entry.date:%d-%m-%Y} {entry.start_time:%H:%M}: {message}")
    return HttpResponseRedirect(team_url)


@require_POST
@member_required
def decide_request_page(request: HttpRequest, kind: str, request_id: int) -> HttpResponse:
    team_url = tenant_reverse("performance-team", tenant=request.tenant)
    approve = request.POST.get("decision") == "approve"
    reason = request.POST.get("reason", "")
    try:
        if kind == "absence":
            item = selectors.access_absence_by_id(request.user, request_id)
            actions.decide_absence(
                actor=request.user, item=item, approve=approve, reason=reason, request=request
            )
        elif kind == "correction":
            item = selectors.access_correction_by_id(request.user, request_id)
            actions.decide_correction(
                actor=request.user, item=item, approve=approve, reason=reason, request=request
            )
        else:
            return not_found_response(request)
    except (AbsenceRequest.DoesNotExist, AttendanceCorrection.DoesNotExist):
        return not_found_response(request)
    except (ValidationError, PermissionDenied, WorkflowError) as error:
        messages.error(request, _error_text(error))
    else:
        if kind == "correction" and approve:
            message = _("Koreksi presensi disetujui dan diteruskan ke admin kepegawaian.")
        else:
            message = _("Permohonan disetujui.") if approve else _("Permohonan ditolak.")
        messages.success(request, message)
    return HttpResponseRedirect(team_url)


# --- BKPSDM master data ------------------------------------------------------------------------------


def _can_see_config(user) -> bool:
    return any(has_permission(user, perm) for perm in (MANAGE_CONFIG, APPROVE_CONFIG, VIEW_ALL))


@member_required
def configs_page(request: HttpRequest) -> HttpResponse:
    if not _can_see_config(request.user):
        return forbidden_response(request)
    form = forms.NewConfigForm(initial={"daily_quota_minutes": 300})
    status = 200
    if request.method == "POST":
        if not has_permission(request.user, MANAGE_CONFIG):
            return forbidden_response(request)
        form = forms.NewConfigForm(request.POST)
        if form.is_valid():
            try:
                config = catalogue.create_config_draft(
                    actor=request.user,
                    effective_from=form.cleaned_data["effective_from"],
                    values={"daily_quota_minutes": form.cleaned_data["daily_quota_minutes"]},
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Draf versi %(version)s dibuat.") % {"version": config.version})
                return HttpResponseRedirect(
                    tenant_reverse(
                        "performance-config", tenant=request.tenant, kwargs={"config_id": config.pk}
                    )
                )
        status = 400
    return render(
        request,
        "performance/configs.html",
        {
            "configs": selectors.list_configs(),
            "form": form,
            "can_manage": has_permission(request.user, MANAGE_CONFIG),
        },
        status=status,
    )


@member_required
def config_page(request: HttpRequest, config_id: int) -> HttpResponse:
    try:
        config = selectors.access_config_by_id(request.user, config_id)
    except PerformanceConfig.DoesNotExist:
        return not_found_response(request)
    allowance_form, activity_form = (
        forms.AllowanceForm(prefix="allowance"),
        forms.ActivityForm(prefix="activity"),
    )
    status = 200
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "approve":
                if not has_permission(request.user, APPROVE_CONFIG):
                    return forbidden_response(request)
                if not is_second_factor_verified(request.user):
                    return second_factor_gate(request)
                catalogue.approve_config(actor=request.user, config=config, request=request)
                messages.success(request, _("Versi %(version)s disetujui.") % {"version": config.version})
                return HttpResponseRedirect(request.path)
            if not has_permission(request.user, MANAGE_CONFIG):
                return forbidden_response(request)
            if which == "allowance":
                allowance_form = forms.AllowanceForm(request.POST, prefix="allowance")
                if allowance_form.is_valid():
                    catalogue.set_allowance(actor=request.user, config=config, **allowance_form.cleaned_data)
                    messages.success(request, _("Besaran TPP disimpan."))
                    return HttpResponseRedirect(request.path)
            elif which == "activity":
                activity_form = forms.ActivityForm(request.POST, prefix="activity")
                if activity_form.is_valid():
                    catalogue.save_activity(
                        actor=request.user, config=config, values=activity_form.cleaned_data
                    )
                    messages.success(request, _("Aktivitas ditambahkan ke katalog."))
                    return HttpResponseRedirect(request.path)
        except ValidationError as error:
            _add_errors(activity_form if which == "activity" else allowance_form, error)
        except (PermissionDenied, WorkflowError) as error:
            messages.error(request, _error_text(error))
        status = 400
    return render(
        request,
        "performance/config.html",
        {
            "config": config,
            "allowances": config.allowances.order_by("job_class"),
            "activities": config.activities.order_by("job_family", "name"),
            "is_draft": config.status == ConfigStatus.DRAFT,
            "can_manage": has_permission(request.user, MANAGE_CONFIG),
            "can_approve": has_permission(request.user, APPROVE_CONFIG),
            "allowance_form": allowance_form,
            "activity_form": activity_form,
        },
        status=status,
    )


# --- Personnel administration: employees, apel, corrections (admin kepegawaian OPD, BKPSDM) ---------


def manager_required(view: Callable) -> Callable:
    return tenant_page_required(holds_any_permission(MANAGE_EMPLOYEES))(view)


def _employee_form(request, *, employee=None, data=None):
    return forms.EmployeeForm(
        data,
        org_units=selectors.list_manageable_org_units(request.user),
        positions=selectors.list_manageable_positions(request.user),
        employee=employee,
        initial=(
            {
                "nip": employee.user.nip,
                "org_unit": employee.org_unit_id,
                "position": employee.position_id,
                "job_class": employee.job_class,
                "job_family": employee.job_family,
                "employment_type": employee.employment_type,
                "status": employee.status,
            }
            if employee is not None
            else {"status": EmployeeStatus.ACTIVE}
        ),
    )


@manager_required
def employee_new_page(request: HttpRequest) -> HttpResponse:
    """Register an ASN employee by NIP (admin OPD in its own perangkat daerah, BKPSDM anywhere)."""
    status = 200
    form = _employee_form(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                employee = actions.register_employee(
                    actor=request.user,
                    user=form.user,
                    org_unit=data["org_unit"],
                    position=data["position"],
                    job_class=data["job_class"],
                    job_family=data["job_family"],
                    employment_type=data["employment_type"],
                    status=data["status"],
                    status_reason=data["status_reason"],
                )
            except ValidationError as error:
                _add_employee_errors(form, error)
            except PermissionDenied as error:
                form.add_error("org_unit", str(error))
            else:
                messages.success(
                    request,
                    _("%(name)s terdaftar sebagai pegawai e-Kinerja.") % {"name": employee.user.full_name},
                )
                return HttpResponseRedirect(tenant_reverse("performance-employees", tenant=request.tenant))
        status = 400
    return render(request, "performance/employee_form.html", {"form": form, "employee": None}, status=status)


def _add_employee_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, items in error.error_dict.items():
            target = {"user": "nip"}.get(field, field)
            for item in items:
                form.add_error(target if target in form.fields else None, " ".join(item.messages))
    else:
        form.add_error(None, " ".join(error.messages))


@manager_required
def employee_edit_page(request: HttpRequest, employee_id: int) -> HttpResponse:
    try:
        employee = selectors.access_employee_by_id(request.user, employee_id)
    except Employee.DoesNotExist:
        return not_found_response(request)
    if not has_permission(request.user, MANAGE_EMPLOYEES, org_unit=employee.org_unit):
        return forbidden_response(request)
    status = 200
    form = _employee_form(request, employee=employee, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            values = {name: data[name] for name in (*actions.employees.EDITABLE_FIELDS, "status")}
            try:
                actions.update_employee(
                    actor=request.user, employee=employee, values=values, status_reason=data["status_reason"]
                )
            except ValidationError as error:
                _add_employee_errors(form, error)
            except PermissionDenied as error:
                form.add_error("org_unit", str(error))
            else:
                messages.success(
                    request, _("Data pegawai %(name)s disimpan.") % {"name": employee.user.full_name}
                )
                return HttpResponseRedirect(tenant_reverse("performance-employees", tenant=request.tenant))
        status = 400
    return render(
        request, "performance/employee_form.html", {"form": form, "employee": employee}, status=status
    )


@tenant_page_required(holds_any_permission(RECORD_APEL))
def apel_page(request: HttpRequest) -> HttpResponse:
    """Record who missed the morning assembly (apel); the day's discipline loses the config's percent."""
    employees = selectors.list_manageable_employees(request.user, RECORD_APEL)
    today = selectors.local_today(request.tenant)
    form = forms.ApelAbsenceForm(employees=employees, initial={"date": today})
    status = 200
    if request.method == "POST":
        form = forms.ApelAbsenceForm(request.POST, employees=employees)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.record_apel_absence(actor=request.user, employee=data["employee"], day=data["date"])
            except ValidationError as error:
                _add_errors(form, error)
            except PermissionDenied as error:
                form.add_error("employee", str(error))
            else:
                messages.success(
                    request,
                    _("Ketidakhadiran apel %(name)s tanggal %(date)s dicatat.")
                    % {"name": data["employee"].user.full_name, "date": data["date"].strftime("%d-%m-%Y")},
                )
                return HttpResponseRedirect(tenant_reverse("performance-apel", tenant=request.tenant))
        status = 400
    return render(
        request,
        "performance/apel.html",
        {"form": form, "absences": selectors.list_apel_absences(request.user)},
        status=status,
    )


@manager_required
def corrections_page(request: HttpRequest) -> HttpResponse:
    """Corrections endorsed by supervisors, for the personnel admin's approval (reason + TOTP)."""
    items = selectors.list_corrections_to_approve(request.user)
    needs_code = not is_second_factor_verified(request.user)
    bound: dict[int, forms.CorrectionDecisionForm] = {}
    status = 200
    if request.method == "POST":
        raw_id = request.POST.get("correction", "")
        try:
            item = selectors.access_correction_by_id(request.user, int(raw_id))
        except (ValueError, AttendanceCorrection.DoesNotExist):
            return not_found_response(request)
        form = forms.CorrectionDecisionForm(request.POST, prefix=f"c{item.pk}", needs_code=needs_code)
        bound[item.pk] = form
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            if approve and needs_code and not verify_second_factor(request, form.cleaned_data["otp_token"]):
                form.add_error(
                    "otp_token",
                    _("Kode autentikator salah atau kedaluwarsa; masukkan kode yang tampil sekarang.")
                    if form.cleaned_data["otp_token"]
                    else _("Menyetujui koreksi presensi memerlukan kode dari aplikasi autentikator Anda."),
                )
            else:
                try:
                    actions.decide_correction(
                        actor=request.user,
                        item=item,
                        approve=approve,
                        reason=form.cleaned_data["reason"],
                        request=request,
                    )
                except (ValidationError, PermissionDenied, WorkflowError) as error:
                    form.add_error(None, _error_text(error))
                else:
                    name = item.employee.user.full_name
                    messages.success(
                        request,
                        _("Koreksi presensi %(name)s disetujui; presensi tercatat.") % {"name": name}
                        if approve
                        else _("Koreksi presensi %(name)s ditolak.") % {"name": name},
                    )
                    return HttpResponseRedirect(
                        tenant_reverse("performance-corrections", tenant=request.tenant)
                    )
        status = 400
        if item not in items:
            items.append(item)
    rows = [
        (
            item,
            bound.get(item.pk) or forms.CorrectionDecisionForm(prefix=f"c{item.pk}", needs_code=needs_code),
        )
        for item in items
    ]
    return render(request, "performance/corrections.html", {"rows": rows}, status=status)
