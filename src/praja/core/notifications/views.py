"""The in-app inbox: a person's notifications in the current tenant, with mark-as-read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from praja.core.notifications import actions, selectors
from praja.core.tenancy.urls import tenant_reverse


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    messages = selectors.list_in_app_messages(request.user)
    unread_count = sum(1 for message in messages if message.read_at is None)
    return render(
        request, "notifications/inbox.html", {"notifications": messages, "unread_count": unread_count}
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, message_id: int) -> HttpResponse:
    actions.mark_message_read(actor=request.user, message_id=message_id)
    return redirect(tenant_reverse("notifications"))


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    actions.mark_all_read(actor=request.user)
    return redirect(tenant_reverse("notifications"))
