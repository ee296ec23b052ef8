"""Pages of the monthly close under /t/<slug>/performance/tpp/.

Thin: read with selectors, write with one action, render. Refusals become an Indonesian message on
the same page. Dashboards are inline SVG with a table next to each chart (no JavaScript).
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from praja.core.accounts.models import OrgUnit
from praja.core.tenancy.urls import tenant_reverse
from praja.core.web.access import forbidden_response, tenant_page_required
from praja.core.workflow.errors import WorkflowError
from praja.modules.performance.tpp import actions, charts, documents, rules, selectors
from praja.modules.performance.tpp.models import CloseStatus, EmployeeMonthResult, MonthClose, SignalKind


def member_required(view: Callable) -> Callable:
    """Login and membership of the tenant; each page then applies its own scope."""
    return tenant_page_required(second_factor=False)(view)


def _redirect(name: str, *args, query: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(tenant_reverse(name, args=args) + (f"?{query}" if query else ""))


def _default_month() -> datetime.date | None:
    months = selectors.latest_closed_months(1)
    return months[0] if months else None


def _error(request, error: Exception) -> None:
    messages.error(request, str(getattr(error, "message", None) or error))


# --- Employee: my TPP -------------------------------------------------------------------------


@member_required
def my_tpp_page(request):
    results = selectors.list_my_results(request.user)
    month = selectors.parse_month(request.GET.get("month"))
    result = None
    if month is not None:
        result = selectors.get_my_result(request.user, month)
    elif results:
        result = results[0]
    return render(request, "performance_tpp/my_tpp.html", {"results": results, "result": result})


# --- Dashboards ---------------------------------------------------------------------------------


def _dashboard_context(request) -> dict:
    month = selectors.parse_month(request.GET.get("month")) or _default_month()
    close = selectors.latest_close(month) if month else None
    scope = selectors.scope_of(request.user)
    try:
        unit_id = int(request.GET.get("unit") or 0) or None
    except ValueError:
        unit_id = None
    results = selectors.visible_results(request.user, close, org_unit_id=unit_id)
    return {
        "month": month,
        "close": close,
        "scope": scope,
        "scope_label": selectors.scope_label(scope),
        "unit_id": unit_id,
        "results": results,
    }


@member_required
def dashboard_page(request):
    context = _dashboard_context(request)
    results = context["results"]
    counts = selectors.quadrant_counts(results)
    points, binned = selectors.quadrant_points(results)
    summary = selectors.summarise(results)
    trend = selectors.trend(request.user, org_unit_id=context["unit_id"])
    units = selectors.by_unit(results)
    quality = (
        selectors.supervisor_quality(request.user, context["close"], org_unit_id=context["unit_id"])
        if context["scope"].level != "employee"
        else []
    )
    labels = rules.quadrant_labels()
    context.update(
        {
            "months": selectors.latest_closed_months(),
            "units": selectors.visible_units(request.user, context["close"]),
            "summary": summary,
            "quadrants": [(key, labels[key], counts[key]) for key in labels],
            "threshold": rules.DEFAULT_QUADRANT_THRESHOLD,
            "quadrant_chart": charts.quadrant_svg(points, counts, binned=binned),
            "trend": trend,
            "trend_chart": charts.line_svg(
                [row["label"] for row in trend],
                [
                    (_("Produktivitas"), "#0969da", [row["productivity"] for row in trend]),
                    (_("Disiplin"), "#1a7f37", [row["discipline"] for row in trend]),
                    (
                        _("TPP dibayar / pagu"),
                        "#9a6700",
                        [
                            rules.quantize_percent(row["paid"] * 100 / row["ceiling"])
                            if row["ceiling"]
                            else 0
                            for row in trend
                        ],
                    ),
                ],
                title=_("Tren bulanan"),
                chart_id="tpp-trend",
            ),
            "by_unit": units,
            "unit_chart": charts.bar_svg(
                [(row["name"], row["productivity"]) for row in units],
                title=_("Produktivitas rata-rata per perangkat daerah"),
                chart_id="tpp-units",
            ),
            "quality": quality,
            "quality_chart": charts.bar_svg(
                [(row["name"], row["on_time_rate"]) for row in quality],
                title=_("Validasi tepat waktu per atasan"),
                chart_id="tpp-quality",
                colour="#1a7f37",
            ),
            "rows": results[:200],
            "row_count": summary.employees,
        }
    )
    return render(request, "performance_tpp/dashboard.html", context)


EXPORT_HEADERS = [
    "bulan",
    "versi",
    "nama",
    "nip",
    "perangkat_daerah",
    "kelas",
    "jenis",
    "status",
    "menit_disetujui",
    "menit_target",
    "produktivitas_persen",
    "disiplin_persen",
    "kuadran",
    "pagu",
    "bagian_kinerja",
    "bagian_disiplin",
    "tpp_bruto",
    "tidak_dibayarkan",
]


def _export_row(close, row) -> list:
    return [
        f"{close.month:%Y-%m}",
        close.version,
        row.employee_name,
        row.nip,
        row.org_unit.name,
        row.job_class,
        row.employment_type,
        row.pay_status,
        row.approved_minutes,
        row.expected_minutes,
        str(row.productivity_percent),
        str(row.discipline_percent),
        rules.quadrant_of(row.productivity_percent, row.discipline_percent),
        row.ceiling,
        row.kinerja_part,
        row.disiplin_part,
        row.gross,
        row.ceiling - row.gross,
    ]


@member_required
def export_page(request, fmt: str):
    context = _dashboard_context(request)
    close = context["close"]
    if close is None:
        raise Http404
    results = context["results"]
    name = f"tpp-{close.month:%Y-%m}-v{close.version}"
    if fmt == "xlsx":
        data = documents.results_xlsx(
            list(results),
            title=_("Hasil kinerja dan TPP %(month)s") % {"month": selectors.month_label(close.month)},
        )
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(EXPORT_HEADERS)
    for row in results.iterator(chunk_size=2000):
        writer.writerow(_export_row(close, row))
    return response


# --- Closes (BKPSDM) ----------------------------------------------------------------------------


def _can_see_closes(user) -> bool:
    from praja.core.permissions.checks import has_permission
    from praja.modules.performance.tpp.permissions import VIEW_TENANT_RESULTS

    return selectors.can_manage_closes(user) or has_permission(user, VIEW_TENANT_RESULTS)


@member_required
def closes_page(request):
    if not _can_see_closes(request.user):
        return forbidden_response(request)
    form_month = request.POST.get("month", "")
    form_reason = request.POST.get("reason", "")
    if request.method == "POST":
        month = selectors.parse_month(form_month)
        if month is None:
            messages.error(request, _("Pilih bulan dengan format TTTT-BB, misalnya 2026-05."))
        else:
            try:
                close = actions.compute_month_close(actor=request.user, month=month, reason=form_reason)
            except (WorkflowError, PermissionDenied) as error:
                _error(request, error)
            else:
                messages.success(
                    request,
                    _("Tutup buku %(month)s versi %(version)s dihitung untuk %(count)s pegawai.")
                    % {
                        "month": selectors.month_label(month),
                        "version": close.version,
                        "count": close.employee_count,
                    },
                )
                return _redirect("tpp-close", close.pk)
    return render(
        request,
        "performance_tpp/closes.html",
        {
            "closes": selectors.list_closes()[:36],
            "can_compute": selectors.can_manage_closes(request.user),
            "form_month": form_month,
            "form_reason": form_reason,
        },
    )


def _close_or_404(request, close_id: int) -> MonthClose:
    try:
        return selectors.access_close_by_id(request.user, close_id)
    except MonthClose.DoesNotExist:
        raise Http404 from None


@member_required
def close_page(request, close_id: int):
    close = _close_or_404(request, close_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                actions.approve_month_close(actor=request.user, close=close, request=request)
                messages.success(request, _("Hasil tutup buku disetujui."))
            elif action == "lock":
                actions.lock_month_close(actor=request.user, close=close, request=request)
                messages.success(
                    request, _("Bulan dikunci; daftar TPP per perangkat daerah dapat diterbitkan.")
                )
        except (WorkflowError, PermissionDenied) as error:
            _error(request, error)
        return _redirect("tpp-close", close.pk)
    units = selectors.by_unit(EmployeeMonthResult.objects.filter(close=close))
    signals = list(close.signals.order_by("kind", "subject_label")[:50])
    newer = (
        MonthClose.objects.filter(month=close.month, version__gt=close.version).order_by("-version").first()
    )
    return render(
        request,
        "performance_tpp/close.html",
        {
            "close": close,
            "units": units,
            "signals": signals,
            "newer": newer,
            "is_locked": close.status == CloseStatus.LOCKED,
            "month_label": selectors.month_label(close.month),
        },
    )


def _unit_or_404(close, unit_id: int) -> OrgUnit:
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None or not EmployeeMonthResult.objects.filter(close=close, org_unit=unit).exists():
        raise Http404
    return unit


def _close_for_unit_list(request, close_id: int, unit_id: int):
    close = MonthClose.objects.filter(pk=close_id).first()
    if close is None:
        raise Http404
    unit = _unit_or_404(close, unit_id)
    if not actions.can_issue_tpp_list(request.user, unit):
        raise Http404
    return close, unit


@member_required
def unit_pdf_page(request, close_id: int, unit_id: int):
    close, unit = _close_for_unit_list(request, close_id, unit_id)
    if request.method == "POST":
        try:
            actions.issue_tpp_list(actor=request.user, close=close, org_unit=unit)
        except (WorkflowError, PermissionDenied) as error:
            _error(request, error)
            return (
                _redirect("tpp-close", close.pk)
                if _can_see_closes(request.user)
                else _redirect("tpp-dashboard")
            )
        return _redirect("tpp-unit-pdf", close.pk, unit.pk)
    document = documents.find_unit_pdf(close, unit)
    if document is None:
        raise Http404
    return FileResponse(
        open(document.file.absolute_path, "rb"),  # noqa: SIM115 - FileResponse closes it
        content_type="application/pdf",
        filename=document.file.original_name,
    )


@member_required
def unit_xlsx_page(request, close_id: int, unit_id: int):
    close, unit = _close_for_unit_list(request, close_id, unit_id)
    if close.status != CloseStatus.LOCKED:
        messages.error(
            request, _("Berkas pembayaran (SPP-LS) hanya dibuat dari tutup buku yang sudah dikunci.")
        )
        return (
            _redirect("tpp-close", close.pk) if _can_see_closes(request.user) else _redirect("tpp-dashboard")
        )
    rows = (
        EmployeeMonthResult.objects.filter(close=close, org_unit=unit)
        .select_related("org_unit")
        .order_by("-job_class", "employee_name", "pk")
    )
    data = documents.results_xlsx(list(rows), title=documents.list_title(close, unit.name))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="tpp-{unit.code}-{close.month:%Y-%m}-v{close.version}.xlsx"'
    )
    return response


# --- Integrity signals (inspectorate) -----------------------------------------------------------


@member_required
def signals_page(request):
    if not selectors.can_view_signals(request.user):
        return forbidden_response(request)
    month = selectors.parse_month(request.GET.get("month"))
    kind = request.GET.get("kind") or None
    if kind not in SignalKind.values:
        kind = None
    signals = selectors.list_signals(request.user, month=month, kind=kind)
    return render(
        request,
        "performance_tpp/signals.html",
        {
            "signals": signals[:300],
            "signal_count": signals.count(),
            "kinds": selectors.signal_kind_counts(request.user, month),
            "month": month,
            "kind": kind,
            "months": selectors.latest_closed_months(),
        },
    )
