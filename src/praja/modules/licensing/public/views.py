"""Public pages of licensing (no login): track a file, service statistics per permit type."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from praja.modules.licensing.public import selectors, throttle
from praja.modules.licensing.public.statistics_cache import cached_statistics, parse_year


class TrackingForm(forms.Form):
    nomor = forms.CharField(
        label=gettext_lazy("Nomor pendaftaran"),
        max_length=40,
        help_text=gettext_lazy("Tertera pada bukti pendaftaran, mis. BDG-2026-000123."),
        error_messages={
            "required": gettext_lazy("Isi nomor pendaftaran yang tertera pada bukti pendaftaran.")
        },
    )


@require_GET
def track(request: HttpRequest) -> HttpResponse:
    form = TrackingForm(request.GET if "nomor" in request.GET else None)
    answer = None
    status = 200
    if form.is_bound and form.is_valid():
        allowed, wait = throttle.allow(request)
        if allowed:
            answer = selectors.track_application(form.cleaned_data["nomor"])
        else:
            status = 429
            form.add_error(
                None,
                _("Terlalu banyak pencarian dari alamat Anda. Coba lagi dalam %(seconds)s detik.")
                % {"seconds": wait},
            )
    elif form.is_bound:
        status = 400
    response = render(request, "licensing_public/track.html", {"form": form, "answer": answer}, status=status)
    if status == 429:
        response["Retry-After"] = str(wait)
    return response


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    year, error = parse_year(request.GET.get("tahun"))
    rows = [] if error else cached_statistics(request.tenant, year)
    return render(
        request,
        "licensing_public/statistics.html",
        {"rows": rows, "year": year, "year_error": error},
        status=400 if error else 200,
    )


@require_GET
def permit_type_statistics(request: HttpRequest, permit_type_code: str) -> HttpResponse:
    year, error = parse_year(request.GET.get("tahun"))
    if error:
        year = None
    row = next((row for row in cached_statistics(request.tenant, year) if row.code == permit_type_code), None)
    if row is None:
        raise Http404
    return render(request, "licensing_public/statistics.html", {"rows": [row], "year": year, "single": True})
