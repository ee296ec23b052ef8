"""The audit hash chain: verification names the first altered or removed event, on both databases."""

from __future__ import annotations

import datetime
import json
import threading
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from praja.core.audit.actions import create_daily_checkpoint, record
from praja.core.audit.canonical import (
    GENESIS_HASH,
    canonical_bytes,
    canonical_data,
    canonical_text,
    chain_hash,
    format_occurred_at,
)
from praja.core.audit.models import PAYLOAD_COLUMNS, AuditChainHead, AuditEvent
from praja.core.audit.verification import underived_columns, verify_chain
from praja.core.tenancy.context import use_tenant

EVENTS_TABLE = AuditEvent._meta.db_table


@contextmanager
def as_database_administrator():
    """Act as a DBA: on PostgreSQL switch the append-only triggers off, as only a DBA can."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        # Django's foreign keys are deferred; ALTER TABLE refuses while their checks are pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {EVENTS_TABLE} DISABLE TRIGGER USER")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {EVENTS_TABLE} ENABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextmanager
def as_database_administrator_with_plain_column(column: str):
    """Act as a DBA who also turns a column generated from the payload into a plain, writable one."""
    with as_database_administrator(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {EVENTS_TABLE} ALTER COLUMN {column} DROP EXPRESSION")
        else:
            # SQLite cannot drop a column's expression: keep the values in a new plain column.
            kind = {"actor_id": "bigint", "occurred_at": "datetime", "data": "text"}.get(
                column, "varchar(200)"
            )
            cursor.execute(f"ALTER TABLE {EVENTS_TABLE} RENAME COLUMN {column} TO {column}_generated")
            cursor.execute(f"ALTER TABLE {EVENTS_TABLE} ADD COLUMN {column} {kind}")
            cursor.execute(f"UPDATE {EVENTS_TABLE} SET {column} = {column}_generated")
        yield cursor


def set_column(cursor, tenant, seq: int, column: str, value) -> None:
    """Write one stored column of one event with plain SQL (Django never writes generated ones)."""
    cursor.execute(
        f"UPDATE {EVENTS_TABLE} SET {column} = %s WHERE tenant_id = %s AND seq = %s",  # noqa: S608
        [value, tenant.pk, seq],
    )
    assert cursor.rowcount == 1


def alter_payload(tenant, seq: int, old: str, new: str) -> None:
    """Replace text inside one event's hashed payload (its generated columns follow)."""
    row = event(tenant, seq).get()
    assert old in row.payload
    with as_database_administrator():
        assert event(tenant, seq).update(payload=row.payload.replace(old, new, 1)) == 1


def fill_chain(tenant, count: int) -> list[AuditEvent]:
    """Append `count` events after the tenant's `tenant.created` (#1); return all events by seq."""
    with use_tenant(tenant):
        for number in range(count):
            record(
                "sample.changed",
                object_type="caseapp.samplecase",
                object_id=number,
                data={"number": number, "note": 'Berkas "lengkap"\n'},
                ip_address="10.1.2.3",
            )
    return list(AuditEvent.objects.filter(tenant=tenant).order_by("seq"))


def event(tenant, seq: int):
    return AuditEvent.objects.filter(tenant=tenant, seq=seq)


def test_intact_chain_verifies(tenant_a):
    events = fill_chain(tenant_a, 5)
    result = verify_chain(tenant_a)
    assert (result.ok, result.events_checked, result.first_bad_seq, result.reason) == (True, 6, None, "")
    assert (result.head_seq, result.head_hash) == (6, events[-1].hash)
    assert [item.seq for item in events] == [1, 2, 3, 4, 5, 6]
    assert events[0].prev_hash == GENESIS_HASH
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(events, events[1:], strict=False))


def test_empty_chain_verifies(db):
    result = verify_chain(None)  # the platform chain, before any platform event
    assert (result.ok, result.events_checked, result.head_seq) == (True, 0, 0)


def test_platform_chain_is_verified_like_a_tenant_chain(db):
    for number in range(3):
        record("platform.operator_login", platform=True, data={"n": number})
    assert verify_chain(None).events_checked == 3
    row = AuditEvent.objects.get(tenant__isnull=True, seq=2)
    with as_database_administrator():
        AuditEvent.objects.filter(pk=row.pk).update(payload=row.payload.replace('{"n":1}', '{"n":9}'))
    assert AuditEvent.objects.get(pk=row.pk).data == '{"n":9}'
    assert verify_chain(None).reason == "peristiwa #2 diubah (hash tidak cocok dengan isinya)"


def _shifted_time(row):
    moment = row.occurred_at + datetime.timedelta(seconds=1)
    if connection.vendor == "sqlite":  # stored as Django stores it: naive UTC text
        return str(moment.astimezone(datetime.UTC).replace(tzinfo=None))
    return moment


# Columns the database generates from the payload: a DBA must first make them plain to write them.
ALTERED_DERIVED_COLUMNS = {
    "occurred_at": _shifted_time,
    "event_type": lambda row: "sample.deleted",
    "actor_id": lambda row: 999,
    "actor_label": lambda row: "Orang Lain",
    "object_type": lambda row: "accounts.user",
    "object_id": lambda row: "999",
    "ip_address": lambda row: "10.9.9.9",
    "data": lambda row: row.data.replace('"number":1', '"number":7'),
}
# Stored columns: written as they are.
ALTERED_STORED_COLUMNS = {
    "payload": lambda row: row.payload.replace('"number":1', '"number":7'),
    "prev_hash": lambda row: "f" * 64,
    "hash": lambda row: "e" * 64,
}


def test_every_derived_column_is_generated_from_the_payload(tenant_a):
    assert sorted(PAYLOAD_COLUMNS) == sorted(ALTERED_DERIVED_COLUMNS)
    assert underived_columns() == []
    fill_chain(tenant_a, 2)
    row = event(tenant_a, 3).get()
    # Django never writes a generated column, and the database refuses it too.
    assert event(tenant_a, 3).update(actor_label="Orang Lain") == 0
    for column, value in (("actor_label", "Orang Lain"), ("event_type", "sample.deleted"), ("actor_id", 9)):
        refused = pytest.raises(DatabaseError)
        with refused, transaction.atomic(), as_database_administrator(), connection.cursor() as cursor:
            set_column(cursor, tenant_a, 3, column, value)
    assert event(tenant_a, 3).get().payload == row.payload
    assert verify_chain(tenant_a).ok


@pytest.mark.parametrize("workers", [1, 3])
@pytest.mark.parametrize("column", sorted(ALTERED_STORED_COLUMNS))
def test_altering_a_stored_column_names_that_event(tenant_a, column, workers):
    fill_chain(tenant_a, 5)
    row = event(tenant_a, 3).get()
    with as_database_administrator():
        assert event(tenant_a, 3).update(**{column: ALTERED_STORED_COLUMNS[column](row)}) == 1
    result = verify_chain(tenant_a, workers=workers)
    assert (result.ok, result.first_bad_seq) == (False, 3)
    assert result.reason == "peristiwa #3 diubah (hash tidak cocok dengan isinya)"
    assert result.events_checked == 2


@pytest.mark.parametrize("workers", [1, 3])
@pytest.mark.parametrize("column", sorted(ALTERED_DERIVED_COLUMNS))
def test_altering_a_derived_column_without_the_payload_names_that_event(tenant_a, column, workers):
    fill_chain(tenant_a, 5)
    row = event(tenant_a, 3).get()
    with as_database_administrator_with_plain_column(column) as cursor:
        set_column(cursor, tenant_a, 3, column, ALTERED_DERIVED_COLUMNS[column](row))
        assert underived_columns() == [column]
        result = verify_chain(tenant_a, workers=workers)
    assert (result.ok, result.first_bad_seq) == (False, 3)
    assert result.reason == "peristiwa #3 diubah (hash tidak cocok dengan isinya)"
    assert result.events_checked == 2


@pytest.mark.parametrize("column", ["actor_id", "event_type"])
def test_altering_an_indexed_column_alone_is_detected(tenant_a, column):
    fill_chain(tenant_a, 3)
    payload = event(tenant_a, 2).get().payload
    value = 4242 if column == "actor_id" else "sample.deleted"
    with as_database_administrator_with_plain_column(column) as cursor:
        set_column(cursor, tenant_a, 2, column, value)
        assert AuditEvent.objects.filter(tenant=tenant_a, **{column: value}).count() == 1  # the index lies
        assert event(tenant_a, 2).get().payload == payload  # the hashed bytes are untouched
        result = verify_chain(tenant_a)
    assert (result.ok, result.first_bad_seq, result.events_checked) == (False, 2, 1)
    assert result.reason == "peristiwa #2 diubah (hash tidak cocok dengan isinya)"


def test_derived_column_made_plain_is_reported_even_with_the_same_values(tenant_a):
    fill_chain(tenant_a, 2)
    with as_database_administrator_with_plain_column("object_id"):
        result = verify_chain(tenant_a)
    assert (result.ok, result.first_bad_seq, result.events_checked) == (False, None, 3)
    assert result.reason == (
        "struktur tabel audit diubah di luar Praja: kolom object_id tidak lagi diturunkan dari isi "
        "peristiwa yang di-hash"
    )


def test_columns_read_back_exactly_what_was_hashed(tenant_a):
    data = {"note": 'Berkas "lengkap"\n\t— ✓', "amount": 1500000, "nested": {"b": [1, None, True]}, "a": ""}
    with use_tenant(tenant_a):
        created = record("sample.changed", object_type="x.y", object_id="ID-7", data=data, ip_address="::1")
    stored = AuditEvent.objects.get(pk=created.pk)
    for item in (created, stored):
        assert item.data == canonical_data(data)
        assert json.loads(item.data) == data
        assert (item.event_type, item.actor_id, item.actor_label) == ("sample.changed", None, "")
        assert (item.object_type, item.object_id, item.ip_address) == ("x.y", "ID-7", "::1")
        assert item.payload == canonical_text(
            item.seq,
            format_occurred_at(item.occurred_at),
            "sample.changed",
            None,
            "",
            "x.y",
            "ID-7",
            "::1",
            canonical_data(data),
        )
    assert stored.occurred_at == created.occurred_at
    assert AuditEvent.objects.filter(tenant=tenant_a, occurred_at=created.occurred_at).count() == 1


def test_a_whole_second_reads_back_and_is_found_by_time(tenant_a):
    moment = datetime.datetime(2026, 11, 29, 4, 17, 0, tzinfo=datetime.UTC)
    from unittest import mock

    with use_tenant(tenant_a), mock.patch("praja.core.audit.actions.timezone.now", return_value=moment):
        created = record("sample.changed")
    assert created.occurred_at == moment
    assert AuditEvent.objects.get(tenant=tenant_a, occurred_at=moment).pk == created.pk
    assert '"2026-11-29T04:17:00.000000Z"' in created.payload
    assert verify_chain(tenant_a).ok


@pytest.mark.parametrize("change", ["seq", "tenant"])
def test_renumbering_or_moving_an_event_leaves_a_gap(tenant_a, tenant_b, change):
    fill_chain(tenant_a, 5)
    with as_database_administrator():
        event(tenant_a, 3).update(**({"seq": 1000} if change == "seq" else {"tenant": tenant_b}))
    result = verify_chain(tenant_a)
    assert result.reason == "peristiwa #3 hilang (urutan lompat dari 2 ke 4)"
    assert result.first_bad_seq == 3


def test_whitespace_only_change_of_data_is_caught(tenant_a):
    fill_chain(tenant_a, 2)
    row = event(tenant_a, 2).get()
    alter_payload(tenant_a, 2, row.data, json.dumps(json.loads(row.data), sort_keys=True))  # ", " and ": "
    assert verify_chain(tenant_a).reason == "peristiwa #2 diubah (hash tidak cocok dengan isinya)"


def test_payload_of_the_wrong_type_is_refused_or_counts_as_altered(tenant_a):
    fill_chain(tenant_a, 2)
    # SQLite lets a DBA store the bytes of the payload where Praja wrote text (its generated
    # columns still compute): the chain counts that as a change. PostgreSQL casts back to text.
    cast = (
        "CAST(payload AS BLOB)" if connection.vendor == "sqlite" else "CAST(CAST(payload AS bytea) AS TEXT)"
    )
    statement = f"UPDATE {EVENTS_TABLE} SET payload = {cast} WHERE tenant_id = %s AND seq = 3"
    try:
        with transaction.atomic(), as_database_administrator(), connection.cursor() as cursor:
            cursor.execute(statement, [tenant_a.pk])
    except DatabaseError:
        assert verify_chain(tenant_a).ok  # refused: nothing changed
        return
    result = verify_chain(tenant_a)
    if connection.vendor == "sqlite":
        assert result.reason == "peristiwa #3 diubah (hash tidak cocok dengan isinya)"
    else:
        assert not result.ok


@pytest.mark.parametrize("workers", [1, 2, 3])
@pytest.mark.parametrize("seq", [1, 3, 4])
def test_deleted_event_is_named_missing(tenant_a, workers, seq):
    fill_chain(tenant_a, 5)
    with as_database_administrator():
        event(tenant_a, seq).delete()
    result = verify_chain(tenant_a, workers=workers)
    assert result.reason == f"peristiwa #{seq} hilang (urutan lompat dari {seq - 1} ke {seq + 1})"
    assert (result.ok, result.first_bad_seq, result.events_checked) == (False, seq, seq - 1)


@pytest.mark.parametrize("workers", [1, 3])
def test_truncated_tail_is_caught_by_the_head(tenant_a, workers):
    fill_chain(tenant_a, 5)
    with as_database_administrator():
        AuditEvent.objects.filter(tenant=tenant_a, seq__gte=4).delete()
    result = verify_chain(tenant_a, workers=workers)
    assert result.reason == "peristiwa #4 hilang (rantai berakhir di #3, kepala rantai mencatat #6)"
    assert result.first_bad_seq == 4


def test_truncated_tail_with_rewound_head_is_caught_by_the_signed_checkpoint(tenant_a):
    events = fill_chain(tenant_a, 5)
    checkpoint = create_daily_checkpoint(tenant_a, datetime.date(2026, 11, 28))
    assert checkpoint.seq == 6
    with as_database_administrator():
        AuditEvent.objects.filter(tenant=tenant_a, seq__gte=5).delete()
    AuditChainHead.objects.filter(tenant=tenant_a).update(seq=4, hash=events[3].hash)
    result = verify_chain(tenant_a)
    assert result.reason == (
        "peristiwa #5 hilang (rantai berakhir di #4, titik periksa bertanda tangan tanggal 2026-11-28 "
        "mencatat #6)"
    )
    assert result.first_bad_seq == 5


def _rewrite(tenant, from_seq: int, new_data: str) -> None:
    """Rewrite events from `from_seq` on with recomputed hashes, as a careful attacker would."""
    rows = list(AuditEvent.objects.filter(tenant=tenant, seq__gte=from_seq).order_by("seq"))
    prev = AuditEvent.objects.get(tenant=tenant, seq=from_seq - 1).hash
    with as_database_administrator():
        for row in rows:
            payload = row.payload.replace(row.data, new_data) if row.seq == from_seq else row.payload
            new_hash = chain_hash(prev, payload.encode())
            AuditEvent.objects.filter(pk=row.pk).update(payload=payload, prev_hash=prev, hash=new_hash)
            prev = new_hash
    AuditChainHead.objects.filter(tenant=tenant).update(hash=prev)


def test_event_rewritten_with_its_hash_breaks_the_next_link(tenant_a):
    fill_chain(tenant_a, 5)
    row = event(tenant_a, 3).get()
    payload = canonical_bytes(
        3,
        row.occurred_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        row.event_type,
        row.actor_id,
        row.actor_label,
        row.object_type,
        row.object_id,
        row.ip_address,
        '{"number":99}',
    )
    assert payload.decode() == row.payload.replace(row.data, '{"number":99}')
    with as_database_administrator():
        event(tenant_a, 3).update(payload=payload.decode(), hash=chain_hash(row.prev_hash, payload))
    result = verify_chain(tenant_a)
    assert (
        result.reason == "peristiwa #3 diubah (hash-nya tidak cocok dengan tautan yang dicatat peristiwa #4)"
    )
    assert result.first_bad_seq == 3


def test_whole_tail_rewritten_with_head_is_caught_by_the_signed_checkpoint(tenant_a):
    fill_chain(tenant_a, 3)
    create_daily_checkpoint(tenant_a, datetime.date(2026, 11, 27))  # signs #4
    fill_chain(tenant_a, 2)
    _rewrite(tenant_a, 3, '{"number":99}')
    result = verify_chain(tenant_a)
    assert result.reason == (
        "rantai ditulis ulang antara peristiwa #1 dan #4: hash #4 tidak cocok dengan "
        "titik periksa bertanda tangan tanggal 2026-11-27"
    )
    assert result.first_bad_seq == 1


def test_whole_tail_rewritten_without_checkpoint_is_caught_by_the_head(tenant_a):
    fill_chain(tenant_a, 4)
    head_hash = AuditChainHead.objects.get(tenant=tenant_a).hash
    _rewrite(tenant_a, 3, '{"number":99}')
    AuditChainHead.objects.filter(tenant=tenant_a).update(hash=head_hash)  # the head is not rewritten
    result = verify_chain(tenant_a)
    assert (
        result.reason
        == "kepala rantai tidak cocok: hash peristiwa #5 berbeda dari yang dicatat kepala rantai"
    )


def test_event_inserted_behind_record_is_caught(tenant_a):
    events = fill_chain(tenant_a, 2)
    last = events[-1]
    AuditEvent.objects.create(
        tenant=tenant_a,
        seq=4,
        payload=canonical_text(
            4, format_occurred_at(last.occurred_at), "sample.forged", None, "", "", "", "", "{}"
        ),
        prev_hash=last.hash,
        hash="a" * 64,
    )
    result = verify_chain(tenant_a)
    assert result.reason == (
        "peristiwa #4 tidak tercatat di kepala rantai (kepala berhenti di #3): "
        "peristiwa ditambahkan di luar Praja"
    )


def test_other_tenant_chain_is_unaffected(tenant_a, tenant_b):
    fill_chain(tenant_a, 3)
    fill_chain(tenant_b, 3)
    alter_payload(tenant_a, 2, '"10.1.2.3"', '"10.9.9.9"')
    assert not verify_chain(tenant_a)
    assert verify_chain(tenant_b).ok


@pytest.mark.postgres_only
def test_audit_table_refuses_update_and_delete_on_postgresql(tenant_a):
    fill_chain(tenant_a, 2)
    before = list(
        AuditEvent.objects.filter(tenant=tenant_a).order_by("seq").values_list("seq", "payload", "hash")
    )
    statements = [
        f"UPDATE {EVENTS_TABLE} SET payload = replace(payload, '10.1.2.3', '10.9.9.9') "
        "WHERE tenant_id = %s AND seq = 2",
        f"DELETE FROM {EVENTS_TABLE} WHERE tenant_id = %s AND seq = 2",
    ]
    for statement in statements:
        if connection.vendor == "postgresql":
            refused = pytest.raises(DatabaseError, match="Cannot update or delete rows from audit_auditevent")
            with refused, transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement, [tenant_a.pk])
        else:
            # SQLite has no such wall: the statement runs, and verification is what catches it.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement, [tenant_a.pk])
            assert verify_chain(tenant_a).first_bad_seq == 2
            return
    after = list(
        AuditEvent.objects.filter(tenant=tenant_a).order_by("seq").values_list("seq", "payload", "hash")
    )
    assert after == before
    assert verify_chain(tenant_a).ok


def test_command_verify_prints_result_and_exits_non_zero_when_broken(tenant_a, capsys):
    fill_chain(tenant_a, 2)
    call_command("audit", "verify", "--tenant", "kota-bandung")
    out = capsys.readouterr().out
    head = AuditChainHead.objects.get(tenant=tenant_a)
    assert out.startswith(
        f"Rantai audit Kota Bandung utuh: 3 peristiwa diperiksa, kepala #3 ({head.hash}), "
        "0 titik periksa bertanda tangan, "
    )
    with as_database_administrator():
        event(tenant_a, 2).delete()
    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify", "--tenant", "32.73")
    assert raised.value.returncode == 1
    assert str(raised.value) == (
        "Rantai audit Kota Bandung RUSAK: peristiwa #2 hilang (urutan lompat dari 1 ke 3)."
    )


def test_command_names_an_unknown_tenant(db):
    with pytest.raises(
        CommandError, match="Daerah kota-antah tidak ditemukan: pakai slug atau kode Kemendagri."
    ):
        call_command("audit", "verify", "--tenant", "kota-antah")


# --- Canonical form ------------------------------------------------------------------------------


def reference_canonical(
    seq, occurred_at, event_type, actor_id, actor_label, object_type, object_id, ip, data
):
    """The canonical form as first specified: json.dumps of the list, data embedded as stored."""
    head = json.dumps(
        [seq, occurred_at, event_type, actor_id, actor_label, object_type, object_id, ip],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return f"{head[:-1]},{data}]".encode()


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1, max_value=2**62),
    st.one_of(st.none(), st.integers(0, 2**62)),
    st.text(),
    st.text(),
    st.text(),
    st.dictionaries(st.text(), st.one_of(st.text(), st.integers())),
)
def test_canonical_bytes_match_json_dumps(seq, actor_id, label, object_id, ip, data):
    data_text = canonical_data(data)
    args = (
        seq,
        "2026-11-29T04:17:00.123456Z",
        "sample.changed",
        actor_id,
        label,
        "caseapp.samplecase",
        object_id,
        ip,
        data_text,
    )
    assert canonical_bytes(*args) == reference_canonical(*args)


# --- Concurrency ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_seq_stays_gapless_under_concurrent_record_calls(tenant_a):
    threads, per_thread, errors = 4, 8, []
    barrier = threading.Barrier(threads)

    def append(number: int) -> None:
        try:
            barrier.wait()
            with use_tenant(tenant_a):
                for item in range(per_thread):
                    with transaction.atomic():
                        record("sample.changed", data={"thread": number, "item": item})
        except Exception as error:  # reported below with the thread's failure
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=append, args=(number,)) for number in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    seqs = list(AuditEvent.objects.filter(tenant=tenant_a).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, threads * per_thread + 2))
    assert verify_chain(tenant_a).ok


@pytest.mark.django_db(transaction=True)
def test_verification_in_worker_processes_matches_one_process(tenant_a):
    fill_chain(tenant_a, 11)
    # An in-memory SQLite database is not shared with other processes: the ranges run in turn.
    in_processes = connection.vendor == "postgresql" or not connection.is_in_memory_db()
    intact = verify_chain(tenant_a, workers=3)
    assert (intact.ok, intact.events_checked, intact.workers) == (True, 12, 3 if in_processes else 1)
    alter_payload(tenant_a, 9, '"10.1.2.3"', '"10.9.9.9"')
    with as_database_administrator():
        event(tenant_a, 5).delete()
    result = verify_chain(tenant_a, workers=3)
    assert (result.reason, result.events_checked) == ("peristiwa #5 hilang (urutan lompat dari 4 ke 6)", 4)
