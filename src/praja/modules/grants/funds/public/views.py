"""Public pages of grants (no login): recipients, proposals' stages, the yearly report, one grant
with its "Laporkan" form, and the CSV/JSON downloads."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from praja.core.calendar.selectors import local_date
from praja.core.ratelimit import RateLimited
from praja.modules.grants.funds import complaints
from praja.modules.grants.funds.public import exports, selectors, throttle
from praja.modules.grants.funds.public.forms import ComplaintForm, RecipientFilterForm
from praja.modules.grants.models import Proposal


def _page_links(request, page: int, total: int, page_size: int) -> dict:
    pages = max((total + page_size - 1) // page_size, 1)
    query = request.GET.copy()
    query.pop("halaman", None)

    def link(number):
        copy = query.copy()
        copy["halaman"] = str(number)
        return "?" + copy.urlencode()

    return {
        "page": page,
        "pages": pages,
        "total": total,
        "previous_url": link(page - 1) if page > 1 else "",
        "next_url": link(page + 1) if page < pages else "",
        "download_query": query.urlencode(),
    }


@require_GET
def recipients(request: HttpRequest) -> HttpResponse:
    form = RecipientFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "grants_funds/public/recipients.html", {"form": form, "rows": []}, status=400)
    page = form.page()
    rows, total = selectors.list_recipients_page(form.filters(), page=page)
    bansos_page = _bansos_page_number(request)
    bansos_rows, bansos_total = selectors.list_bansos_page(form.filters(), page=bansos_page)
    context = {
        "form": form,
        "rows": rows,
        **_page_links(request, page, total, selectors.PAGE_SIZE),
        "bansos_rows": bansos_rows,
        "bansos_total": bansos_total,
        **_bansos_links(request, bansos_page, bansos_total, selectors.PAGE_SIZE),
    }
    return render(request, "grants_funds/public/recipients.html", context)


def _bansos_page_number(request) -> int:
    try:
        return max(int(request.GET.get(selectors.BANSOS_PAGE_PARAM, "1")), 1)
    except ValueError:
        return 1


def _bansos_links(request, page: int, total: int, page_size: int) -> dict:
    pages = max((total + page_size - 1) // page_size, 1)
    query = request.GET.copy()
    query.pop(selectors.BANSOS_PAGE_PARAM, None)

    def link(number):
        copy = query.copy()
        copy[selectors.BANSOS_PAGE_PARAM] = str(number)
        return "?" + copy.urlencode()

    return {
        "bansos_previous_url": link(page - 1) if page > 1 else "",
        "bansos_next_url": link(page + 1) if page < pages else "",
    }


@require_GET
def recipients_csv(request: HttpRequest) -> HttpResponse:
    form = RecipientFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponse(status=400)
    today = local_date(request.tenant, timezone.now())
    return exports.csv_response(form.filters(), f"penerima-hibah-{request.tenant.slug}-{today:%Y%m%d}.csv")


@require_GET
def recipients_json(request: HttpRequest) -> HttpResponse:
    form = RecipientFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponse(status=400)
    return exports.json_response(form.filters())


@require_GET
def stages(request: HttpRequest) -> HttpResponse:
    form = RecipientFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "grants_funds/public/stages.html", {"form": form, "rows": []}, status=400)
    page = form.page()
    rows, total = selectors.list_stages_page(
        year=form.cleaned_data.get("tahun"), search=(form.cleaned_data.get("q") or "").strip(), page=page
    )
    context = {"form": form, "rows": rows, **_page_links(request, page, total, selectors.PAGE_SIZE)}
    return render(request, "grants_funds/public/stages.html", context)


def _report_year(request: HttpRequest, years: list[int]) -> int | None:
    """The `tahun` asked for (404 when there is no such report year), else the latest year."""
    raw = request.GET.get("tahun", "")
    if not raw:
        return years[0] if years else None
    try:
        year = int(raw)
    except ValueError:
        raise Http404 from None
    if year not in years:
        raise Http404
    return year


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    years = selectors.list_report_years()
    year = _report_year(request, years)
    result = selectors.cached_yearly_report(year) if year else None
    return render(
        request, "grants_funds/public/report.html", {"years": years, "year": year, "report": result}
    )


@require_GET
def report_csv(request: HttpRequest) -> HttpResponse:
    year = _report_year(request, selectors.list_report_years())
    if year is None:
        raise Http404
    return exports.report_csv_response(
        selectors.cached_yearly_report(year), f"laporan-hibah-bansos-{request.tenant.slug}-{year}.csv"
    )


@require_http_methods(["GET", "POST"])
def grant(request: HttpRequest, proposal_id: int) -> HttpResponse:
    record = selectors.get_public_grant(proposal_id)
    if record is None:
        raise Http404
    form = ComplaintForm(request.POST if request.method == "POST" else None)
    filed = None
    status = 200
    response_headers = {}
    if request.method == "POST":
        if form.is_valid():
            try:
                throttle.check_complaint_rate(request, proposal_id=proposal_id)
                filed = complaints.file_complaint(
                    proposal=Proposal.objects.get(pk=proposal_id),
                    text=form.cleaned_data["laporan"],
                    reporter_name=form.cleaned_data["nama"],
                    reporter_contact=form.cleaned_data["kontak"],
                )
                form = ComplaintForm()
            except RateLimited as error:
                # The text stays in the form: nothing the reporter wrote is lost.
                form.add_error(None, error.message)
                status = 429
                response_headers["Retry-After"] = str(error.retry_after)
            except ValidationError as error:
                form.add_error("laporan", error.messages[0])
                status = 400
        else:
            status = 400
    response = render(
        request,
        "grants_funds/public/grant.html",
        {"grant": record, "form": form, "filed": filed},
        status=status,
    )
    for name, value in response_headers.items():
        response[name] = value
    return response
