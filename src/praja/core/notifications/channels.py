"""Channels that carry an outbox message out: email (Django's mail API) and the SMS/WhatsApp gateway."""

from __future__ import annotations

import requests
from django.conf import settings
from django.core.mail import EmailMessage

from praja.core.notifications.models import Channel, OutboxMessage

DEFAULT_GATEWAY_TIMEOUT_SECONDS = 10.0


class DeliveryError(Exception):
    """The channel refused or could not take the message; the sender retries it later."""


def send_email(message: OutboxMessage) -> None:
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.address],
        headers={"Content-Language": message.language, "X-Praja-Reference": gateway_reference(message)},
    )
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # SMTP and socket errors alike: all are worth a retry.
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc


def gateway_reference(message: OutboxMessage) -> str:
    # Stable per message, so a gateway that deduplicates by reference drops a repeated send.
    return f"praja-outbox-{message.pk}"


def send_via_gateway(message: OutboxMessage) -> None:
    """POST the message as JSON to the configured SMS/WhatsApp gateway with a bearer token."""
    url = getattr(settings, "PRAJA_SMS_GATEWAY_URL", "")
    if not url:
        raise DeliveryError("PRAJA_SMS_GATEWAY_URL is not configured")
    headers = {"Content-Type": "application/json"}
    if token := getattr(settings, "PRAJA_SMS_GATEWAY_TOKEN", ""):
        headers["Authorization"] = f"Bearer {token}"
    payload = {
        "to": message.address,
        "message": message.body,
        "channel": message.channel,
        "reference": gateway_reference(message),
    }
    timeout = float(getattr(settings, "PRAJA_SMS_GATEWAY_TIMEOUT", DEFAULT_GATEWAY_TIMEOUT_SECONDS))
    try:
        response = requests.post(url, json=payload, headers=headers, timeout=timeout)
    except requests.RequestException as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
    if not 200 <= response.status_code < 300:
        raise DeliveryError(f"HTTP {response.status_code}: {response.text[:300]}")


SENDERS = {
    Channel.EMAIL: send_email,
    Channel.SMS: send_via_gateway,
    Channel.WHATSAPP: send_via_gateway,
}
