"""Reads of the outbox for people: always one recipient, always the active tenant."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from praja.core.notifications.models import Channel, OutboxMessage
from praja.core.tenancy.context import get_current_tenant


def in_app_messages_queryset(user) -> QuerySet[OutboxMessage]:
    """Return `user`'s in-app messages of the active tenant (platform messages with no tenant)."""
    if not getattr(user, "is_authenticated", False):
        return OutboxMessage.objects.none()
    tenant = get_current_tenant()
    return OutboxMessage.objects.filter(
        recipient_id=user.pk, channel=Channel.IN_APP, tenant_id=tenant.pk if tenant else None
    )


def list_in_app_messages(user, *, limit: int = 100) -> list[OutboxMessage]:
    """List `user`'s in-app messages in the active tenant, newest first."""
    return list(in_app_messages_queryset(user).order_by("-created_at", "-id")[:limit])


def count_unread_in_app_messages(user) -> int:
    return in_app_messages_queryset(user).filter(read_at__isnull=True).count()


def access_in_app_message_by_id(user, message_id: int, *, for_update: bool = False) -> OutboxMessage:
    """Return one of `user`'s in-app messages; another person's or tenant's is simply missing."""
    queryset = in_app_messages_queryset(user)
    if for_update:
        queryset = queryset.select_for_update()
    try:
        return queryset.get(pk=message_id)
    except (OutboxMessage.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
