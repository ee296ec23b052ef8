"""`notify()`: queue a message to a person in the outbox, inside the caller's transaction.

Nothing leaves the building until the caller's transaction commits: each row is written now and
its sending is enqueued with `transaction.on_commit`, so a rolled-back action sends nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from praja.core.notifications.models import Channel, MessageStatus, OutboxMessage
from praja.core.notifications.rendering import language_for, render_notification
from praja.core.tenancy.context import get_current_tenant

logger = logging.getLogger(__name__)

DEFAULT_CHANNELS: tuple[str, ...] = ("in_app", "email")


def notify(
    *,
    recipient,
    template: str,
    context: dict[str, Any] | None = None,
    channels: Iterable[str] = DEFAULT_CHANNELS,
    tenant=None,
    dedup_key: str = "",
) -> list[OutboxMessage]:
    """Write one outbox message per channel to `recipient` and send them after commit.

    `tenant` defaults to the active tenant; with neither, the message is a platform message
    (tenant NULL). Text is rendered now from `notifications/<template>/` in the recipient's
    preferred language. With `dedup_key`, a message already queued under the same key for the
    same recipient, tenant and channel is returned instead of writing a second one.
    """
    tenant = tenant if tenant is not None else get_current_tenant()
    channels = tuple(channels)
    unknown = [channel for channel in channels if channel not in Channel.values]
    if unknown:
        raise ValueError(f"Unknown notification channel(s): {', '.join(unknown)}")
    language = language_for(recipient)
    rendered = render_notification(template, {"tenant": tenant, **(context or {})}, language)
    now = timezone.now()
    messages = []
    with transaction.atomic():
        for channel in channels:
            message = _write_message(
                recipient=recipient,
                tenant=tenant,
                channel=channel,
                template=template,
                rendered=rendered,
                now=now,
                dedup_key=dedup_key,
            )
            messages.append(message)
            if message.status == MessageStatus.PENDING and not getattr(message, "_deduplicated", False):
                transaction.on_commit(partial(enqueue_sending, message.pk))
    return messages


def _address_for(recipient, channel: str) -> str:
    if channel == Channel.EMAIL:
        return recipient.email or ""
    if channel in (Channel.SMS, Channel.WHATSAPP):
        return getattr(recipient, "phone", "") or ""
    return ""


def _write_message(*, recipient, tenant, channel, template, rendered, now, dedup_key) -> OutboxMessage:
    if dedup_key:
        existing = OutboxMessage.objects.filter(
            tenant=tenant, recipient=recipient, channel=channel, dedup_key=dedup_key
        ).first()
        if existing is not None:
            return _already_queued(existing)
    address = _address_for(recipient, channel)
    fields: dict[str, Any] = {
        "tenant": tenant,
        "recipient": recipient,
        "channel": channel,
        "address": address,
        "template": template,
        "language": rendered.language,
        "subject": rendered.subject,
        "body": rendered.sms if channel in (Channel.SMS, Channel.WHATSAPP) else rendered.body,
        "dedup_key": dedup_key,
    }
    if channel == Channel.IN_APP:
        # In-app messages are delivered by being stored: the inbox page shows them.
        fields.update(status=MessageStatus.SENT, sent_at=now)
    elif not address:
        fields.update(
            status=MessageStatus.FAILED,
            last_error=gettext("Penerima tidak memiliki alamat untuk saluran %(channel)s.")
            % {"channel": channel},
        )
    else:
        fields.update(status=MessageStatus.PENDING, next_attempt_at=now)
    try:
        with transaction.atomic():
            return OutboxMessage.objects.create(**fields)
    except IntegrityError:
        if not dedup_key:
            raise
        # A concurrent notify() with the same key won the race; answer with its row.
        return _already_queued(
            OutboxMessage.objects.get(
                tenant=tenant, recipient=recipient, channel=channel, dedup_key=dedup_key
            )
        )


def _already_queued(message: OutboxMessage) -> OutboxMessage:
    # Marks the row so notify() does not enqueue it a second time; the sweeper owns retries.
    message._deduplicated = True
    return message


def enqueue_sending(message_id: int) -> None:
    """Enqueue the background send of one message; the sweeper retries if the queue is down."""
    from praja.core.notifications.tasks import send_outbox_message

    try:
        send_outbox_message.enqueue(message_id)
    except Exception:
        # The row stays pending with next_attempt_at set, so send_due_messages() picks it up.
        logger.exception("Could not enqueue sending of outbox message %s; the sweeper will retry", message_id)


def mark_message_read(*, actor, message_id: int) -> OutboxMessage:
    """Mark one of `actor`'s in-app messages in the active tenant as read."""
    from praja.core.notifications.selectors import access_in_app_message_by_id

    with transaction.atomic():
        message = access_in_app_message_by_id(actor, message_id, for_update=True)
        if message.read_at is None:
            message.read_at = timezone.now()
            message.status = MessageStatus.READ
            message.save(update_fields=["read_at", "status"])
    return message


def mark_all_read(*, actor) -> int:
    """Mark every unread in-app message of `actor` in the active tenant as read; return how many."""
    from praja.core.notifications.selectors import in_app_messages_queryset

    with transaction.atomic():
        return (
            in_app_messages_queryset(actor)
            .filter(read_at__isnull=True)
            .update(read_at=timezone.now(), status=MessageStatus.READ)
        )
