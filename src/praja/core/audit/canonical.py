"""The exact bytes that are hashed for an audit event. Changing this invalidates every chain."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_data(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def canonical_bytes(
    seq: int, occurred_at: str, event_type: str, actor_id: int | None, actor_label: str,
    object_type: str, object_id: str, ip_address: str, data_text: str,
) -> bytes:
    head = json.dumps(
        [seq, occurred_at, event_type, actor_id, actor_label, object_type, object_id, ip_address],
        separators=(",", ":"), ensure_ascii=False,
    )
    return f"{head[:-1]},{data_text}]".encode()


def chain_hash(prev_hash: str, payload: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + payload).hexdigest()
