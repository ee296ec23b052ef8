"""Platform operator pages at /platform/: every tenant, adding one by its code, opening and closing,
and the operator's own authenticator enrolment."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from praja.core.tenancy import actions as tenancy_actions
from praja.core.tenancy.middleware import not_found_response
from praja.core.web import forms, selectors
from praja.core.web.access import platform_operator_required


@platform_operator_required
def platform_home(request: HttpRequest) -> HttpResponse:
    form = forms.TenantAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tenant = tenancy_actions.add_tenant(actor=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(
                request, _("%(name)s (%(code)s) ditambahkan.") % {"name": tenant.name, "code": tenant.code}
            )
            return HttpResponseRedirect(reverse("platform-home"))
    return render(
        request, "web/platform/home.html", {"tenants": selectors.list_tenants_for_operator(), "form": form}
    )


@require_POST
@platform_operator_required
def tenant_active(request: HttpRequest, tenant_id: int) -> HttpResponse:
    tenant = selectors.access_tenant_by_id(tenant_id)
    active = request.POST.get("active") == "1"
    tenancy_actions.set_tenant_active(actor=request.user, tenant=tenant, active=active)
    message = _("%(name)s diaktifkan.") if active else _("%(name)s dinonaktifkan.")
    messages.success(request, message % {"name": tenant.name})
    return HttpResponseRedirect(reverse("platform-home"))


def platform_totp_setup(request: HttpRequest) -> HttpResponse:
    """A platform operator enrols an authenticator app (the tenant page's view, on the platform chain)."""
    from praja.core.accounts.views import enrol_totp
    from praja.core.web.access import login_url_for
    from praja.core.web.views import _safe_next

    user = request.user
    if not user.is_authenticated:
        return HttpResponseRedirect(login_url_for(request))
    if not user.is_platform_operator:
        return not_found_response(request)
    home = reverse("platform-home")
    next_url = _safe_next(request, "")
    return enrol_totp(
        request,
        tenant=None,
        next_url=next_url,
        verify_url=next_url or home,  # a guarded platform page asks for the code itself
        installed_url=home,
        done_url=home,
    )
