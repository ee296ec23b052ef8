"""Migration 0003 moves existing events to the payload column without breaking their chains."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from praja.core.audit.canonical import GENESIS_HASH, canonical_bytes, canonical_data, chain_hash
from praja.core.audit.models import AuditChainHead, AuditEvent
from praja.core.audit.verification import underived_columns, verify_chain
from praja.core.tenancy.models import Tenant

BEFORE = ("audit", "0002_checkpoints_append_only")
AFTER = ("audit", "0003_payload_and_generated_columns")
TABLE = AuditEvent._meta.db_table


def migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def insert_old_style_chain(tenant_id, events) -> list[str]:
    """Write events into the pre-0003 columns, hashed exactly as record() hashed them then."""
    prev, hashes = GENESIS_HASH, []
    columns = (
        "tenant_id, seq, occurred_at, event_type, actor_id, actor_label, object_type, object_id, "
        "ip_address, data, prev_hash, hash"
    )
    with connection.cursor() as cursor:
        for seq, (moment, event_type, actor_id, label, data) in enumerate(events, start=1):
            data_text = canonical_data(data)
            stamp = moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            payload = canonical_bytes(
                seq, stamp, event_type, actor_id, label, "x.case", str(seq), "10.0.0.1", data_text
            )
            digest = chain_hash(prev, payload)
            stored_time = str(moment.replace(tzinfo=None)) if connection.vendor == "sqlite" else moment
            cursor.execute(
                f"INSERT INTO {TABLE} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",  # noqa: S608
                [
                    tenant_id,
                    seq,
                    stored_time,
                    event_type,
                    actor_id,
                    label,
                    "x.case",
                    str(seq),
                    "10.0.0.1",
                    data_text,
                    prev,
                    digest,
                ],
            )
            prev = digest
            hashes.append(digest)
    AuditChainHead.objects.create(tenant_id=tenant_id, seq=len(events), hash=prev)
    return hashes


@pytest.mark.django_db(transaction=True)
def test_existing_events_get_their_payload_and_keep_verifying():
    tenant = Tenant.objects.create(
        code="32.73",
        slug="kota-bandung",
        name="Kota Bandung",
        level="kota",
        province_code="32",
        province_name="Jawa Barat",
        timezone="Asia/Jakarta",
    )
    start = datetime.datetime(2026, 11, 28, 23, 59, 59, 999999, tzinfo=datetime.UTC)
    events = [
        (start, "sample.created", 7, "Siti Rahmawati", {"note": 'Berkas "lengkap"\n—', "amount": 1500000}),
        (start + datetime.timedelta(microseconds=1), "sample.changed", None, "", {}),
        (start + datetime.timedelta(seconds=5), "sample.closed", 7, "Siti Rahmawati", {"to": "selesai"}),
    ]
    migrate(BEFORE)
    try:
        hashes = insert_old_style_chain(tenant.pk, events)
        platform = insert_old_style_chain(None, events[:2])
        with connection.cursor() as cursor:  # altered before the migration: must stay detectable
            if connection.vendor == "postgresql":  # as a DBA: the append-only trigger off
                cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
            cursor.execute(
                f"UPDATE {TABLE} SET actor_label = 'Orang Lain' WHERE tenant_id IS NULL AND seq = 1"
            )
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
    finally:
        migrate(AFTER)

    assert underived_columns() == []
    rows = list(AuditEvent.objects.filter(tenant=tenant).order_by("seq"))
    assert [row.hash for row in rows] == hashes
    assert [(row.occurred_at, row.event_type, row.actor_id, row.actor_label) for row in rows] == [
        (moment, event_type, actor_id, label) for moment, event_type, actor_id, label, _data in events
    ]
    assert rows[0].data == '{"amount":1500000,"note":"Berkas \\"lengkap\\"\\n—"}'
    result = verify_chain(tenant)
    assert (result.ok, result.events_checked, result.head_hash) == (True, 3, hashes[-1])
    broken = verify_chain(None)
    assert broken.reason == "peristiwa #1 diubah (hash tidak cocok dengan isinya)"
    assert AuditEvent.objects.get(tenant=None, seq=1).hash == platform[0]  # hashed as it was
