"""Deliver outbox messages exactly once per success, with retries and exponential backoff.

A sender first claims the row with a conditional UPDATE (pending and due → sending); only the
sender whose UPDATE changed the row talks to the channel, so two workers never send one message
twice. The claim is committed before the network call, which is never made inside a transaction.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from praja.core.notifications.channels import SENDERS, DeliveryError
from praja.core.notifications.models import Channel, MessageStatus, OutboxMessage

logger = logging.getLogger(__name__)

# 1 min, 5 min, 25 min, ~2 h: the delay after the 1st, 2nd, ... failed attempt.
DEFAULT_RETRY_DELAYS_SECONDS = (60, 300, 1500, 7500)
# A sender that died mid-send leaves its row "sending"; after this long another may retry it.
STALE_CLAIM_SECONDS = 600


def retry_delays() -> tuple[int, ...]:
    return tuple(getattr(settings, "PRAJA_NOTIFICATION_RETRY_DELAYS", DEFAULT_RETRY_DELAYS_SECONDS))


def max_attempts() -> int:
    return len(retry_delays()) + 1


def _claimable(now: datetime.datetime) -> Q:
    stale_before = now - datetime.timedelta(seconds=STALE_CLAIM_SECONDS)
    return Q(status=MessageStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=MessageStatus.SENDING, claimed_at__lt=stale_before
    )


def claim_message(message_id: int, *, now: datetime.datetime | None = None) -> OutboxMessage | None:
    """Take a due message for sending; return it, or None when it is not due or another sender has it."""
    now = now or timezone.now()
    claimed = (
        OutboxMessage.objects.filter(_claimable(now), pk=message_id)
        .exclude(channel=Channel.IN_APP)
        .update(status=MessageStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if claimed != 1:
        return None
    return OutboxMessage.objects.select_related("recipient").get(pk=message_id)


def deliver_message(message_id: int, *, now: datetime.datetime | None = None) -> str:
    """Send one message if it is due and unclaimed; return its status afterwards."""
    # One clock reading per attempt: the backoff counts from the moment the attempt was claimed.
    now = now or timezone.now()
    message = claim_message(message_id, now=now)
    if message is None:
        status = OutboxMessage.objects.filter(pk=message_id).values_list("status", flat=True).first()
        return f"skipped:{status or 'missing'}"
    try:
        SENDERS[message.channel](message)
    except DeliveryError as exc:
        return _record_failure(message, str(exc), now=now)
    except Exception as exc:  # A bug in a channel must not leave the row claimed forever.
        logger.exception("Unexpected error sending outbox message %s", message.pk)
        return _record_failure(message, f"{type(exc).__name__}: {exc}", now=now)
    OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        status=MessageStatus.SENT, sent_at=timezone.now(), last_error="", next_attempt_at=None
    )
    return MessageStatus.SENT.value


def _record_failure(message: OutboxMessage, error: str, *, now: datetime.datetime) -> str:
    delays = retry_delays()
    if message.attempts >= max_attempts():
        status, next_attempt_at = MessageStatus.FAILED, None
        logger.warning("Outbox message %s failed after %s attempts: %s", message.pk, message.attempts, error)
    else:
        status = MessageStatus.PENDING
        next_attempt_at = now + datetime.timedelta(seconds=delays[message.attempts - 1])
        logger.info(
            "Outbox message %s attempt %s failed, retrying at %s: %s",
            message.pk,
            message.attempts,
            next_attempt_at.isoformat(),
            error,
        )
    OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        status=status, next_attempt_at=next_attempt_at, last_error=error[:2000]
    )
    return status.value


def deliver_due_messages(*, now: datetime.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Send every message that is due (first tries the queue missed, and retries); count outcomes."""
    now = now or timezone.now()
    due_ids = list(
        OutboxMessage.objects.filter(_claimable(now))
        .exclude(channel=Channel.IN_APP)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    outcomes: dict[str, int] = {}
    for message_id in due_ids:
        outcome = deliver_message(message_id, now=now)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes
