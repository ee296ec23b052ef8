"""Pure rules of the audit chain: what a checkpoint signature covers."""

from __future__ import annotations

import datetime

CHECKPOINT_PREFIX = "praja-audit-checkpoint"


def checkpoint_message(*, tenant_code: str, date: datetime.date, seq: int, head_hash: str) -> bytes:
    """Return the exact bytes a daily checkpoint signs.

    `praja-audit-checkpoint|32.73|2026-11-29|1234|<64 hex>`: anyone holding the tenant's
    certificate can rebuild it from the public checkpoint page and check the signature offline.
    """
    return f"{CHECKPOINT_PREFIX}|{tenant_code}|{date.isoformat()}|{seq}|{head_hash}".encode("ascii")
