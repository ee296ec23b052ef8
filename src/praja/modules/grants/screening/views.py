"""Pages of grants screening for officials and the inspectorate (/t/<slug>/grants/screening/…).

Thin: parse with forms, read with selectors, write with one action, render.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from praja.core.accounts.decorators import verified_citizen_required
from praja.core.documents.responses import stored_file_response
from praja.core.documents.uploads import limit_upload_size, oversize_form
from praja.core.tenancy.middleware import not_found_response
from praja.core.tenancy.urls import tenant_reverse
from praja.core.web.access import (
    forbidden_response,
    is_member_of_tenant,
    tenant_page_required,
)
from praja.core.web.forms import apply_errors
from praja.modules.grants.screening import actions, forms, rules, selectors, spreadsheets
from praja.modules.grants.screening.models import Beneficiary, Flag, FlagStatus, ImportBatch, ScreeningStatus

PAGE_SIZE = 50


def screening_page(allowed: Callable) -> Callable:
    """Login, membership of the tenant, `allowed(user)`, then TOTP for roles that need it."""
    return tenant_page_required(allowed)


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _read_upload(form) -> tuple[bytes, str]:
    upload = form.cleaned_data["file"]
    return upload.read(), upload.name


# --- Registry ------------------------------------------------------------------------------------------


@screening_page(selectors.can_view_registry)
def beneficiary_list_page(request):
    form = forms.BeneficiarySearchForm(request.GET or None)
    query = area = source = ""
    if form.is_valid():
        query, area, source = form.cleaned_data["q"], form.cleaned_data["area"], form.cleaned_data["source"]
    rows = selectors.list_beneficiaries(request.user, query=query, area_code=area, data_source=source)
    return render(
        request,
        "grants_screening/beneficiary_list.html",
        {
            "form": form,
            "page": _page(request, rows),
            "can_manage": selectors.can_manage_registry(request.user),
        },
    )


@screening_page(selectors.can_manage_registry)
def beneficiary_new_page(request):
    form = forms.BeneficiaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            beneficiary = actions.register_beneficiary(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Penerima %(name)s terdaftar.") % {"name": beneficiary.full_name})
            return HttpResponseRedirect(
                tenant_reverse("grants-screening-beneficiary", kwargs={"beneficiary_id": beneficiary.pk})
            )
    return render(request, "grants_screening/beneficiary_new.html", {"form": form})


@screening_page(selectors.can_view_registry)
def beneficiary_page(request, beneficiary_id: int):
    try:
        beneficiary = selectors.access_beneficiary_by_id(request.user, beneficiary_id)
    except Beneficiary.DoesNotExist:
        raise Http404 from None
    actions.record_beneficiary_view(actor=request.user, beneficiary=beneficiary, request=request)
    return render(
        request,
        "grants_screening/beneficiary.html",
        {"beneficiary": beneficiary, "subject": beneficiary},
    )


@verified_citizen_required
def citizen_registration_page(request):
    """A citizen registers themself (or sees their registration) for social aid programmes."""
    if not is_member_of_tenant(request.user, request.tenant):
        return not_found_response(request)
    existing = selectors.get_beneficiary_of_citizen(request.user)
    initial = {
        "nik": request.user.nik or "",
        "full_name": request.user.full_name,
        "phone": request.user.phone,
    }
    form = forms.CitizenRegistrationForm(request.POST or None, initial=initial)
    if existing is None and request.method == "POST" and form.is_valid():
        try:
            existing = actions.register_beneficiary(
                actor=request.user, citizen=request.user, data_source="citizen", **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Data Anda tercatat dalam daftar calon penerima bantuan."))
            return HttpResponseRedirect(tenant_reverse("grants-screening-me"))
    return render(
        request, "grants_screening/citizen_registration.html", {"form": form, "beneficiary": existing}
    )


# --- Imports --------------------------------------------------------------------------------------------


@screening_page(selectors.can_manage_registry)
def _refuse_oversize_import(request):
    return _import_page(request, oversize_form(forms.ImportForm, request), status=413)


@limit_upload_size(_refuse_oversize_import)
@screening_page(selectors.can_manage_registry)
def import_page(request):
    files = request.FILES  # parse the body now: the size handler skips an oversize file while parsing
    if request.oversize_uploads:
        return _import_page(
            request, oversize_form(forms.ImportForm, request, request.oversize_uploads), status=413
        )
    form = forms.ImportForm(request.POST or None, files or None)
    if request.method == "POST" and form.is_valid():
        content, name = _read_upload(form)
        try:
            batch = actions.import_beneficiaries(actor=request.user, content=content, original_name=name)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(imported)d baris diterima, %(rejected)d baris ditolak. Baris yang diterima "
                    "disaring di latar belakang; halaman ini menampilkan hasilnya bila selesai."
                )
                % {"imported": batch.imported_count, "rejected": batch.rejected_count},
            )
            return HttpResponseRedirect(
                tenant_reverse("grants-screening-import", kwargs={"batch_id": batch.pk})
            )
    return _import_page(request, form)


def _import_page(request, form, *, status: int = 200):
    return render(
        request,
        "grants_screening/import.html",
        {
            "form": form,
            "batches": selectors.list_import_batches(request.user)[:20],
            "header": rules.TEMPLATE_HEADER,
        },
        status=status,
    )


def _batch_or_404(request, batch_id: int) -> ImportBatch:
    try:
        return selectors.access_import_batch_by_id(request.user, batch_id)
    except ImportBatch.DoesNotExist:
        raise Http404 from None


# While the screening task runs, the report page's script asks for the status this often and updates
# the page in place. Without JavaScript the page offers a "Muat ulang" link instead of reloading by
# itself: an automatic reload moves a screen reader back to the top (WCAG 2.2.1, failure F41).
POLL_SECONDS = 3


def _status_context(request, batch: ImportBatch) -> dict:
    in_progress = batch.screening_status in (ScreeningStatus.QUEUED, ScreeningStatus.RUNNING)
    return {
        "batch": batch,
        "in_progress": in_progress,
        "flags": [] if in_progress else list(selectors.flags_of_import_batch(batch)[:200]),
        "poll_seconds": POLL_SECONDS,
        "can_retry": batch.screening_status == ScreeningStatus.FAILED
        and selectors.can_run_screening(request.user),
    }


@screening_page(selectors.can_see_import_batches)
def import_report_page(request, batch_id: int):
    batch = _batch_or_404(request, batch_id)
    if request.method == "POST":
        try:
            actions.retry_import_screening(actor=request.user, batch=batch)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Penyaringan impor dijadwalkan ulang."))
        return HttpResponseRedirect(tenant_reverse("grants-screening-import", kwargs={"batch_id": batch.pk}))
    return render(
        request,
        "grants_screening/import_report.html",
        {
            **_status_context(request, batch),
            "rejections": batch.rejections.all(),
            "labels": rules.COLUMN_LABELS,
        },
    )


@screening_page(selectors.can_see_import_batches)
@require_GET
def import_status_json(request, batch_id: int):
    """The screening status of a batch, polled by the report page's script while the task runs."""
    batch = _batch_or_404(request, batch_id)
    context = _status_context(request, batch)
    state = {
        "status": batch.screening_status,
        "progress": batch.screening_progress,
        "flags": batch.screening_flags,
        "in_progress": context["in_progress"],
        "status_html": render_to_string(
            "grants_screening/_import_status_text.html", context, request=request
        ).strip(),
    }
    if not context["in_progress"]:
        state["details_html"] = render_to_string(
            "grants_screening/_import_status_details.html", context, request=request
        ).strip()
    response = JsonResponse(state, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


@screening_page(selectors.can_see_import_batches)
@require_GET
def import_file_download(request, batch_id: int):
    """The very file the batch was imported from (same bytes, same SHA-256); each download is audited."""
    batch = _batch_or_404(request, batch_id)
    if batch.stored_file_id is None:
        raise Http404
    handle = actions.open_import_file(actor=request.user, batch=batch, request=request)
    return stored_file_response(handle, batch.stored_file)


@screening_page(selectors.can_see_import_batches)
def import_rejections_csv(request, batch_id: int):
    batch = _batch_or_404(request, batch_id)
    text = spreadsheets.rejections_csv(batch.rejections.all(), list(rules.COLUMNS), rules.COLUMN_LABELS)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="penerima-ditolak-{batch.pk}.csv"'
    return response


@screening_page(selectors.can_manage_registry)
def import_template_csv(request):
    response = HttpResponse(",".join(rules.TEMPLATE_HEADER) + "\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="templat-impor-penerima.csv"'
    return response


# --- Flags ----------------------------------------------------------------------------------------------


@screening_page(selectors.can_view_flags)
def flag_list_page(request):
    form = forms.FlagFilterForm(request.GET or None)
    kind = status = ""
    if form.is_valid():
        kind, status = form.cleaned_data["kind"], form.cleaned_data["status"]
    rows = selectors.list_flags(request.user, kind=kind, status=status)
    return render(request, "grants_screening/flag_list.html", {"form": form, "page": _page(request, rows)})


@screening_page(selectors.can_view_flags)
def flag_page(request, flag_id: int):
    try:
        flag = selectors.access_flag_by_id(request.user, flag_id)
    except Flag.DoesNotExist:
        raise Http404 from None
    can_clear = selectors.can_clear_flags(request.user) and flag.status == FlagStatus.OPEN
    form = forms.ClearFlagForm(request.POST or None)
    if request.method == "POST":
        if not selectors.can_clear_flags(request.user):
            return forbidden_response(request)
        if form.is_valid():
            try:
                actions.clear_flag(
                    flag=flag, actor=request.user, reason=form.cleaned_data["reason"], request=request
                )
            except ValidationError as error:
                apply_errors(form, error)
            except PermissionDenied as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request, _("Temuan dinyatakan tidak bermasalah dan dicatat pada jejak audit.")
                )
                return HttpResponseRedirect(
                    tenant_reverse("grants-screening-flag", kwargs={"flag_id": flag.pk})
                )
    return render(request, "grants_screening/flag.html", {"flag": flag, "form": form, "can_clear": can_clear})


# --- Standard unit prices ---------------------------------------------------------------------------------


@screening_page(lambda user: selectors.can_manage_prices(user) or selectors.can_view_flags(user))
def price_list_page(request):
    form = forms.PriceImportForm(request.POST or None, request.FILES or None)
    rejected = []
    if request.method == "POST":
        if not selectors.can_manage_prices(request.user):
            return forbidden_response(request)
        if form.is_valid():
            content, name = _read_upload(form)
            try:
                saved, rejected = actions.import_standard_prices(
                    actor=request.user, content=content, original_name=name
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(saved)d baris standar harga disimpan, %(rejected)d baris ditolak.")
                    % {"saved": saved, "rejected": len(rejected)},
                )
    return render(
        request,
        "grants_screening/prices.html",
        {
            "form": form,
            "rejected": rejected,
            "page": _page(request, selectors.list_standard_prices()),
            "can_manage": selectors.can_manage_prices(request.user),
        },
    )
