"""The exact bytes that are hashed for an audit event. Changing this invalidates every chain.

An event's canonical form is the compact JSON array

    [seq, "occurred_at", "event_type", actor_id|null, "actor_label", "object_type",
     "object_id", "ip_address", <data>]

where strings are escaped exactly as `json.dumps(..., ensure_ascii=False)` escapes them,
`occurred_at` is UTC with microseconds (`2026-11-29T04:17:00.123456Z`) and `<data>` is the stored
canonical JSON text of the event's data, embedded as stored. The hash of an event is
`SHA-256(prev_hash ‖ canonical bytes)` as lowercase hex; the first event's prev_hash is 64 zeros.

`canonical_text()` builds the array with the same C string escaper `json.dumps` uses, which is
several times faster than `json.dumps` on a list: verification re-hashes millions of events.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from json.encoder import encode_basestring as _json_string  # the C escaper when available
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_data(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def format_occurred_at(moment: datetime.datetime) -> str:
    """Render an aware datetime as the UTC text that is hashed (`2026-11-29T04:17:00.123456Z`)."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_text(
    seq: int,
    occurred_at: str,
    event_type: str,
    actor_id: int | None,
    actor_label: str,
    object_type: str,
    object_id: str,
    ip_address: str,
    data_text: str,
) -> str:
    """Return the canonical JSON text of one event; raise TypeError when a value has the wrong type."""
    if type(seq) is not int or not (actor_id is None or type(actor_id) is int):
        raise TypeError("seq and actor_id must be integers")
    if type(data_text) is not str:
        raise TypeError("data must be text")
    actor = "null" if actor_id is None else str(actor_id)
    return (
        f"[{seq},{_json_string(occurred_at)},{_json_string(event_type)},{actor},"
        f"{_json_string(actor_label)},{_json_string(object_type)},{_json_string(object_id)},"
        f"{_json_string(ip_address)},{data_text}]"
    )


def canonical_bytes(
    seq: int,
    occurred_at: str,
    event_type: str,
    actor_id: int | None,
    actor_label: str,
    object_type: str,
    object_id: str,
    ip_address: str,
    data_text: str,
) -> bytes:
    return canonical_text(
        seq, occurred_at, event_type, actor_id, actor_label, object_type, object_id, ip_address, data_text
    ).encode()


def chain_hash(prev_hash: str, payload: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + payload).hexdigest()
