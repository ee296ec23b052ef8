"""SMS/WhatsApp gateway: real HTTP on loopback, retries with backoff, and one send per message."""

from __future__ import annotations

import datetime
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connections

from praja.core.notifications.actions import notify
from praja.core.notifications.models import MessageStatus, OutboxMessage
from praja.core.notifications.sending import deliver_due_messages, deliver_message
from praja.core.notifications.tasks import send_due_messages
from praja.core.tenancy.context import use_tenant

pytestmark = pytest.mark.django_db

SECOND = datetime.timedelta(seconds=1)


class Gateway:
    """A loopback HTTP server answering each POST with the next scripted status code."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.requests: list[dict] = []
        self.on_request = None
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.requests.append({"headers": dict(self.headers), "json": json.loads(body)})
                if gateway.on_request is not None:
                    gateway.on_request()
                status = gateway.statuses.pop(0) if gateway.statuses else 200
                payload = b'{"error": "gateway overloaded"}' if status >= 500 else b'{"status": "queued"}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    servers = []

    def start(*statuses):
        server = Gateway(statuses)
        servers.append(server)
        settings.PRAJA_SMS_GATEWAY_URL = server.url
        settings.PRAJA_SMS_GATEWAY_TOKEN = "token-gateway-uji"
        return server

    yield start
    for server in servers:
        server.close()


def _send_sms(person, tenant, capture, channel="sms"):
    with use_tenant(tenant), capture(execute=True):
        [message] = notify(
            recipient=person,
            template="workflow/status_changed",
            channels=(channel,),
            context={"case": "IMB-7", "status_label": "Disetujui", "timeline_url": "https://p.example/7"},
        )
    return OutboxMessage.objects.get(pk=message.pk)


def test_sms_failing_once_is_retried_after_backoff_and_sent(
    tenant_a, make_person, gateway, django_capture_on_commit_callbacks
):
    server = gateway(500, 200)
    person = make_person(tenant_a, phone="081234567890")

    message = _send_sms(person, tenant_a, django_capture_on_commit_callbacks)
    assert (message.status, message.attempts) == (MessageStatus.PENDING, 1)
    assert message.last_error == 'HTTP 500: {"error": "gateway overloaded"}'
    assert message.next_attempt_at - message.claimed_at == datetime.timedelta(minutes=1)

    assert deliver_due_messages(now=message.next_attempt_at - SECOND) == {}  # not due yet
    assert len(server.requests) == 1
    assert deliver_due_messages(now=message.next_attempt_at) == {"sent": 1}

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (MessageStatus.SENT, 2, "")
    assert message.sent_at is not None
    assert len(server.requests) == 2
    expected = {
        "to": "081234567890",
        "message": "Praja: status berkas IMB-7 sekarang Disetujui. https://p.example/7",
        "channel": "sms",
        "reference": f"praja-outbox-{message.pk}",
    }
    for request in server.requests:
        assert request["json"] == expected
        assert request["headers"]["Authorization"] == "Bearer token-gateway-uji"
        assert request["headers"]["Content-Type"] == "application/json"


def test_whatsapp_goes_through_the_same_gateway(
    tenant_a, make_person, gateway, django_capture_on_commit_callbacks
):
    server = gateway(200)
    person = make_person(tenant_a, phone="+6281234567890")
    message = _send_sms(person, tenant_a, django_capture_on_commit_callbacks, channel="whatsapp")
    assert message.status == MessageStatus.SENT
    assert server.requests[0]["json"]["channel"] == "whatsapp"
    assert server.requests[0]["json"]["to"] == "+6281234567890"


def test_gateway_down_fails_after_max_attempts_with_last_error(
    tenant_a, make_person, settings, django_capture_on_commit_callbacks
):
    with socket.socket() as probe:  # a port nobody listens on any more
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.PRAJA_SMS_GATEWAY_URL = f"http://127.0.0.1:{port}/send"
    settings.PRAJA_NOTIFICATION_RETRY_DELAYS = (60, 300, 1500)
    person = make_person(tenant_a, phone="081234567890")

    message = _send_sms(person, tenant_a, django_capture_on_commit_callbacks)
    delays = []
    while message.status == MessageStatus.PENDING:
        delays.append((message.next_attempt_at - message.claimed_at).total_seconds())
        deliver_due_messages(now=message.next_attempt_at)
        message.refresh_from_db()

    assert delays == [60, 300, 1500]  # exponential: 1 min, 5 min, 25 min
    assert (message.status, message.attempts, message.next_attempt_at) == (MessageStatus.FAILED, 4, None)
    assert message.last_error.startswith("ConnectionError: ")
    assert message.sent_at is None
    far_future = message.claimed_at + datetime.timedelta(days=30)
    assert deliver_due_messages(now=far_future) == {}  # a failed message stays failed


def test_a_second_sender_never_sends_a_message_already_being_sent(
    tenant_a, make_person, gateway, django_capture_on_commit_callbacks
):
    server = gateway(200, 200)
    person = make_person(tenant_a, phone="081234567890")
    with use_tenant(tenant_a), django_capture_on_commit_callbacks(execute=False):
        [message] = notify(
            recipient=person, template="generic", context={"subject": "S", "body": "B"}, channels=("sms",)
        )

    # The second worker wakes while the first is waiting for the gateway's answer. It shares the
    # first worker's connection because the row only exists inside this test's transaction.
    main_connection = connections["default"]
    main_connection.inc_thread_sharing()
    second_outcomes = []

    def second_worker_runs_now():
        connections["default"] = main_connection
        second_outcomes.append(deliver_message(message.pk))
        second_outcomes.append(deliver_due_messages())

    server.on_request = lambda: (setattr(server, "on_request", None), second_worker_runs_now())
    try:
        assert deliver_message(message.pk) == "sent"
    finally:
        main_connection.dec_thread_sharing()

    assert second_outcomes == ["skipped:sending", {}]
    assert deliver_message(message.pk) == "skipped:sent"
    assert len(server.requests) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)


def test_sweeper_task_sends_messages_the_queue_missed(
    tenant_a, make_person, gateway, django_capture_on_commit_callbacks
):
    server = gateway(200)
    person = make_person(tenant_a, phone="081234567890")
    with use_tenant(tenant_a), django_capture_on_commit_callbacks(execute=False):
        # The commit hook never ran (say the queue was down): the row waits, pending and due.
        [message] = notify(
            recipient=person, template="generic", context={"subject": "S", "body": "Pesan"}, channels=("sms",)
        )
    result = send_due_messages.enqueue()
    assert result.return_value == {"sent": 1}
    assert server.requests[0]["json"]["message"] == "Pesan"
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
