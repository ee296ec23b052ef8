"""A tiny module manifest for tests: something for the admin pages to switch on and parameterise.

It has no workflow of its own; its work queue lists the tenant's submitted sample cases, FIFO by
creation, so the official's queue page has a real source to aggregate.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.urls import path

from praja.core.modules.registry import Manifest
from praja.core.tenancy.urls import tenant_reverse

MODULE_NAME = "sample"


def work_queue(user) -> list[dict]:
    """Submitted sample cases with their SLA clock, in the shape the work-queue page takes."""
    from praja.core.workflow.selectors import get_sla_status
    from tests.caseapp.models import SampleCase, SampleStatus

    items = []
    for case in SampleCase.objects.filter(status=SampleStatus.SUBMITTED).order_by("pk"):
        sla = get_sla_status(case)
        items.append(
            {
                "title": case.title,
                "url": tenant_reverse("sample-case", kwargs={"case_id": case.pk}),
                "status_label": str(case.get_status_display()),
                "since": sla.started_at if sla else case.created_at,
                "sla_days_left": sla.working_days_left if sla else None,
            }
        )
    return items


def module_home(request):
    return HttpResponse("Layanan contoh")


def case_detail(request, case_id: int):
    from praja.core.permissions.checks import has_permission
    from praja.core.permissions.roles import WORK_QUEUE
    from tests.caseapp.models import SampleCase

    case = SampleCase.objects.filter(pk=case_id).first()
    # Missing and forbidden answer alike: the applicant or an official of this tenant only.
    if (
        case is None
        or not request.user.is_authenticated
        or not (case.applicant_id == request.user.pk or has_permission(request.user, WORK_QUEUE))
    ):
        raise Http404
    return HttpResponse(case.title)


urlpatterns = [
    path("", module_home, name="sample-home"),
    path("<int:case_id>/", case_detail, name="sample-case"),
]

MANIFEST = Manifest(
    name=MODULE_NAME,
    label="Layanan contoh",
    description="Modul uji untuk halaman admin.",
    urls="tests.caseapp.sample_module",
    default_parameters={
        "sla_days": 5,
        "fee": 0.0,
        "requires_attachment": True,
        "intro_text": "Selamat datang",
    },
    work_queue=work_queue,
)
