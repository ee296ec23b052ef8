"""The official's work queue: items from every enabled module, oldest first."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from praja.core.permissions.roles import WORK_QUEUE
from praja.core.web.access import tenant_permission_required
from praja.core.web.selectors import list_work_queue


@tenant_permission_required(WORK_QUEUE, second_factor=False)
def work_queue(request: HttpRequest) -> HttpResponse:
    return render(request, "web/work_queue.html", {"items": list_work_queue(request.user)})
