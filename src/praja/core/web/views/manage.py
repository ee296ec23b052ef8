"""Tenant admin pages under /t/<slug>/manage/: people, organisation, roles, modules, settings, holidays.

Each page is guarded by `tenant_permission_required` (role + verified second factor); each change
calls one action, which checks the permission again and writes the audit event.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from praja.core.accounts import admin_actions
from praja.core.accounts.models import Position
from praja.core.permissions.roles import (
    MANAGE_CALENDAR,
    MANAGE_MODULES,
    MANAGE_PARAMETERS,
    MANAGE_PEOPLE,
    MANAGE_ROLES,
    get_role,
)
from praja.core.tenancy import actions as tenancy_actions
from praja.core.tenancy.urls import tenant_reverse
from praja.core.web import forms, selectors
from praja.core.web.access import tenant_permission_required

PAGE_SIZE = 50


def _redirect(name: str, **kwargs) -> HttpResponseRedirect:
    return HttpResponseRedirect(tenant_reverse(name, kwargs=kwargs or None))


def _refused(request: HttpRequest, error: Exception) -> None:
    """Put a refused action's reason on the page as an error message."""
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(error))


@tenant_permission_required(MANAGE_PARAMETERS)
def manage_home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/manage/home.html", {"active": "home"})


# --- People ---------------------------------------------------------------------------------------


@tenant_permission_required(MANAGE_PEOPLE)
def people(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    officials = list(selectors.list_officials(query)[:PAGE_SIZE])
    return render(
        request,
        "web/manage/people.html",
        {"active": "people", "officials": officials, "query": query, "page_size": PAGE_SIZE},
    )


@tenant_permission_required(MANAGE_PEOPLE)
def official_create(request: HttpRequest) -> HttpResponse:
    form = forms.OfficialForm(request.POST or None, perangkat_daerah=selectors.list_perangkat_daerah())
    if request.method == "POST" and form.is_valid():
        try:
            official = admin_actions.create_official(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s ditambahkan; tautan untuk membuat kata sandi dikirim ke %(email)s.")
                % {"name": official.full_name, "email": official.email},
            )
            return _redirect("manage-person", user_id=official.pk)
    return render(request, "web/manage/official_form.html", {"active": "people", "form": form})


@tenant_permission_required(MANAGE_PEOPLE)
def person(request: HttpRequest, user_id: int) -> HttpResponse:
    official = selectors.access_person_by_id(user_id)
    grants = list(selectors.list_role_grants_of(official))
    for grant in grants:
        role = get_role(grant.role)
        grant.label = role.label if role else grant.role
    return render(
        request,
        "web/manage/person.html",
        {
            "active": "people",
            "official": official,
            "grants": grants,
            "positions": list(Position.objects.filter(holder=official).select_related("org_unit")),
            "grant_form": forms.RoleGrantForm(perangkat_daerah=selectors.list_perangkat_daerah()),
        },
    )


@require_POST
@tenant_permission_required(MANAGE_ROLES)
def role_grant(request: HttpRequest, user_id: int) -> HttpResponse:
    official = selectors.access_person_by_id(user_id)
    form = forms.RoleGrantForm(request.POST, perangkat_daerah=selectors.list_perangkat_daerah())
    if form.is_valid():
        try:
            grant = admin_actions.grant_role(
                actor=request.user,
                user=official,
                role=form.cleaned_data["role"],
                org_unit=form.cleaned_data["org_unit"],
            )
        except (ValidationError, PermissionDenied) as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                _("Peran %(role)s diberikan kepada %(name)s.")
                % {"role": get_role(grant.role).label, "name": official.full_name},
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return _redirect("manage-person", user_id=official.pk)


@require_POST
@tenant_permission_required(MANAGE_ROLES)
def role_revoke(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = selectors.access_role_grant_by_id(grant_id)
    try:
        admin_actions.revoke_role(actor=request.user, grant=grant)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        role = get_role(grant.role)
        messages.success(
            request,
            _("Peran %(role)s milik %(name)s dicabut.")
            % {"role": role.label if role else grant.role, "name": grant.user.full_name},
        )
    return _redirect("manage-person", user_id=grant.user_id)


# --- Organisation -------------------------------------------------------------------------------


@tenant_permission_required(MANAGE_PEOPLE)
def org_units(request: HttpRequest) -> HttpResponse:
    form = forms.OrgUnitForm(request.POST or None, parents=selectors.list_perangkat_daerah())
    if request.method == "POST" and form.is_valid():
        try:
            unit = admin_actions.create_org_unit(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s ditambahkan.") % {"name": unit.name})
            return _redirect("manage-org-units")
    return render(
        request,
        "web/manage/org_units.html",
        {"active": "organisation", "units": selectors.list_org_units_with_positions(), "form": form},
    )


@tenant_permission_required(MANAGE_PEOPLE)
def org_unit_edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = selectors.access_org_unit_by_id(unit_id)
    initial = {"code": unit.code, "name": unit.name, "short_name": unit.short_name, "parent": unit.parent}
    parents = selectors.list_perangkat_daerah().exclude(pk=unit.pk)
    form = forms.OrgUnitForm(request.POST or None, initial=initial, parents=parents, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            admin_actions.update_org_unit(actor=request.user, org_unit=unit, **form.cleaned_data)
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("Perubahan %(name)s disimpan.") % {"name": form.cleaned_data["name"]})
            return _redirect("manage-org-unit", unit_id=unit.pk)
    position_form = forms.PositionForm(positions=selectors.list_positions())
    return render(
        request,
        "web/manage/org_unit.html",
        {
            "active": "organisation",
            "unit": unit,
            "form": form,
            "position_form": position_form,
            "positions": unit.positions.select_related("holder", "supervisor").order_by("title"),
        },
    )


@require_POST
@tenant_permission_required(MANAGE_PEOPLE)
def org_unit_delete(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = selectors.access_org_unit_by_id(unit_id)
    try:
        admin_actions.delete_org_unit(actor=request.user, org_unit=unit)
    except ValidationError as error:
        _refused(request, error)
        return _redirect("manage-org-unit", unit_id=unit.pk)
    messages.success(request, _("%(name)s dihapus.") % {"name": unit.name})
    return _redirect("manage-org-units")


@tenant_permission_required(MANAGE_PEOPLE)
def position_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = selectors.access_org_unit_by_id(unit_id)
    form = forms.PositionForm(request.POST or None, positions=selectors.list_positions())
    if request.method == "POST" and form.is_valid():
        try:
            position = admin_actions.create_position(actor=request.user, org_unit=unit, **form.cleaned_data)
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("Jabatan %(title)s ditambahkan.") % {"title": position.title})
            return _redirect("manage-position", position_id=position.pk)
    return render(
        request, "web/manage/position_form.html", {"active": "organisation", "unit": unit, "form": form}
    )


@tenant_permission_required(MANAGE_PEOPLE)
def position(request: HttpRequest, position_id: int) -> HttpResponse:
    item = selectors.access_position_by_id(position_id)
    form = forms.HolderForm(
        request.POST or None, initial={"holder": item.holder}, people=selectors.list_officials()
    )
    if request.method == "POST" and form.is_valid():
        try:
            admin_actions.assign_position_holder(
                actor=request.user, position=item, holder=form.cleaned_data["holder"]
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("Pemegang jabatan %(title)s disimpan.") % {"title": item.title})
            return _redirect("manage-position", position_id=item.pk)
    return render(
        request, "web/manage/position.html", {"active": "organisation", "position": item, "form": form}
    )


# --- Modules ------------------------------------------------------------------------------------


@tenant_permission_required(MANAGE_MODULES)
def modules(request: HttpRequest) -> HttpResponse:
    return render(
        request, "web/manage/modules.html", {"active": "modules", "rows": selectors.list_module_rows()}
    )


@require_POST
@tenant_permission_required(MANAGE_MODULES)
def module_switch(request: HttpRequest, module: str) -> HttpResponse:
    manifest = selectors.access_manifest_by_name(module)
    enabled = request.POST.get("enabled") == "1"
    tenancy_actions.set_module_enabled(
        actor=request.user, tenant=request.tenant, module=manifest.name, enabled=enabled
    )
    message = _("Modul %(label)s diaktifkan.") if enabled else _("Modul %(label)s dinonaktifkan.")
    messages.success(request, message % {"label": manifest.label})
    return _redirect("manage-modules")


@tenant_permission_required(MANAGE_PARAMETERS)
def module_parameters(request: HttpRequest, module: str) -> HttpResponse:
    manifest = selectors.access_manifest_by_name(module)
    row = next(row for row in selectors.list_module_rows() if row.manifest.name == manifest.name)
    form = forms.ModuleParametersForm(
        request.POST or None, defaults=manifest.default_parameters, current=row.parameters
    )
    if request.method == "POST" and form.is_valid():
        try:
            tenancy_actions.set_module_parameters(
                actor=request.user, tenant=request.tenant, module=manifest.name, parameters=form.cleaned_data
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("Parameter modul %(label)s disimpan.") % {"label": manifest.label})
            return _redirect("manage-module-parameters", module=manifest.name)
    return render(
        request,
        "web/manage/module_parameters.html",
        {"active": "modules", "manifest": manifest, "row": row, "form": form},
    )


# --- Letterhead, logo, host name ----------------------------------------------------------------


@tenant_permission_required(MANAGE_PARAMETERS)
def tenant_settings(request: HttpRequest) -> HttpResponse:
    tenant = request.tenant
    letterhead = forms.LetterheadForm(
        initial={field: getattr(tenant, field) for field in forms.LetterheadForm.base_fields}
    )
    logo = forms.LogoForm()
    host = forms.HostNameForm(initial={"host_name": tenant.host_name or ""})
    if request.method == "POST":
        section = request.POST.get("section")
        try:
            if section == "letterhead":
                letterhead = forms.LetterheadForm(request.POST)
                if letterhead.is_valid():
                    tenancy_actions.update_letterhead(
                        actor=request.user, tenant=tenant, **letterhead.cleaned_data
                    )
                    messages.success(request, _("Kop surat disimpan."))
                    return _redirect("manage-settings")
            elif section == "logo":
                logo = forms.LogoForm(request.POST, request.FILES)
                if logo.is_valid():
                    tenancy_actions.set_tenant_logo(
                        actor=request.user, tenant=tenant, upload=logo.cleaned_data["logo"]
                    )
                    messages.success(request, _("Logo disimpan."))
                    return _redirect("manage-settings")
            elif section == "host":
                host = forms.HostNameForm(request.POST)
                if host.is_valid():
                    tenancy_actions.set_tenant_host_name(
                        actor=request.user, tenant=tenant, **host.cleaned_data
                    )
                    messages.success(request, _("Nama host disimpan."))
                    return _redirect("manage-settings")
        except ValidationError as error:
            target = {"letterhead": letterhead, "logo": logo, "host": host}[section]
            field = {"letterhead": None, "logo": "logo", "host": "host_name"}[section]
            if hasattr(error, "error_dict"):
                forms.apply_errors(target, error)
            else:
                target.add_error(field, error)
    return render(
        request,
        "web/manage/settings.html",
        {"active": "settings", "letterhead_form": letterhead, "logo_form": logo, "host_form": host},
    )


# --- Holidays -------------------------------------------------------------------------------------


@tenant_permission_required(MANAGE_CALENDAR)
def holidays(request: HttpRequest) -> HttpResponse:
    from praja.core.calendar import actions as calendar_actions
    from praja.core.calendar.selectors import list_tenant_holidays

    form = forms.HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            holiday = calendar_actions.add_tenant_holiday(
                actor=request.user, tenant=request.tenant, **form.cleaned_data
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s ditambahkan ke kalender daerah.") % {"name": holiday.name})
            return _redirect("manage-holidays")
    return render(
        request,
        "web/manage/holidays.html",
        {"active": "holidays", "form": form, "holidays": list_tenant_holidays(request.tenant)},
    )


@require_POST
@tenant_permission_required(MANAGE_CALENDAR)
def holiday_remove(request: HttpRequest) -> HttpResponse:
    from praja.core.calendar import actions as calendar_actions

    form = forms.HolidayRemoveForm(request.POST)
    if form.is_valid():
        try:
            calendar_actions.remove_tenant_holiday(
                actor=request.user, tenant=request.tenant, **form.cleaned_data
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Hari libur daerah dihapus."))
    return _redirect("manage-holidays")
