"""Pages of the audit chain: public signed checkpoints and a citizen's "who viewed my data"."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from praja.core.audit import selectors
from praja.core.audit.rules import CHECKPOINT_PREFIX
from praja.core.audit.signing import certificate_fingerprint, certificate_pem
from praja.core.tenancy.keys import load_certificate

CHECKPOINTS_PER_PAGE = 60
ACCESSES_PER_PAGE = 50


@require_GET
def checkpoints(request: HttpRequest) -> HttpResponse:
    """Public, no login: each day's signed chain head, so anyone can hold Praja to it."""
    page = Paginator(selectors.list_checkpoints(), CHECKPOINTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": selectors.with_signature_checks(page.object_list),
        "fingerprint": certificate_fingerprint(load_certificate(request.tenant)),
        "message_prefix": CHECKPOINT_PREFIX,
    }
    return render(request, "audit/checkpoints.html", context)


@require_GET
def certificate(request: HttpRequest) -> HttpResponse:
    """The tenant's signing certificate (PEM), to check checkpoint signatures offline."""
    response = HttpResponse(certificate_pem(request.tenant), content_type="application/x-pem-file")
    response["Content-Disposition"] = f'attachment; filename="praja-{request.tenant.code}-sertifikat.pem"'
    return response


@login_required
@require_GET
def my_data_access(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own "who viewed my data" list in this tenant."""
    page = Paginator(selectors.list_personal_data_accesses(request.user), ACCESSES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "audit/my_data_access.html", {"page": page, "accesses": page.object_list})
