"""Re-hash a chain from its stored columns and name the first event that was altered or removed.

`verify_chain(tenant)` first checks that the table still derives every searchable column from the
hashed `payload` (generated columns with Praja's own expressions, see `models.py`), reads the chain
head, then streams the events 1..head in sequence order and checks, for each event:

1. its sequence number follows the previous one (a gap is a removed event) and is the one in its
   payload;
2. SHA-256(stored prev_hash ‖ payload) equals the stored hash (an altered payload, prev_hash or
   hash). Only when a DBA has turned a derived column into a plain one (the schema check above)
   are the columns also rebuilt into canonical bytes and compared with the payload, row by row;
3. its stored prev_hash equals the previous event's hash (an event rewritten together with its
   hash breaks the next link);
4. at every signed checkpoint's sequence number, the hash equals the signed head hash (a tail
   rewritten link by link from some event on).

Afterwards the chain's end is compared with the head and with the latest signed checkpoint
(a truncated tail), and no event may lie beyond the head (an event inserted behind `record()`).

Because each event stores its predecessor's hash, seq ranges can be checked independently and
stitched together: large chains are split over worker processes (fork), each with its own
database connection. Rows are read with a raw cursor, never as model instances: four columns per
event (seq, payload, prev_hash, hash), hashed as stored.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import time
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.translation import gettext as _

from praja.core.audit.canonical import GENESIS_HASH, canonical_text
from praja.core.audit.models import PAYLOAD_COLUMNS, AuditChainHead, AuditCheckpoint, AuditEvent

# Below this many events one process is quicker than starting workers.
PARALLEL_THRESHOLD = 200_000
MAX_WORKERS = 4
FETCH_CHUNK = 20_000


@dataclass(frozen=True)
class VerifyResult:
    """The answer of `verify_chain`: `reason` names the first broken event in Indonesian."""

    ok: bool
    events_checked: int
    first_bad_seq: int | None = None
    reason: str = ""
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    checkpoints_checked: int = 0
    workers: int = 1
    elapsed_seconds: float = 0.0

    def __bool__(self) -> bool:
        return self.ok


@dataclass(frozen=True)
class Anchor:
    """A signed checkpoint as the scanner needs it: the hash the chain had at `seq`."""

    seq: int
    head_hash: str
    date: str
    previous_seq: int  # the previous valid checkpoint's seq (0 when none)


@dataclass
class _Problem:
    seq: int
    reason: str
    # For a gap found at the end of a range: the caller fills in where the chain resumes.
    missing_until_next_range: bool = False


@dataclass
class _RangeReport:
    lo: int
    hi: int
    count: int = 0
    first_prev_hash: str | None = None
    first_seq_seen: int | None = None  # the first seq read, even when it is not the expected one
    last_seq: int = 0
    last_hash: str | None = None
    problem: _Problem | None = field(default=None)


# --- Messages -------------------------------------------------------------------------------------


def _altered(seq: int) -> str:
    return _("peristiwa #%(seq)s diubah (hash tidak cocok dengan isinya)") % {"seq": seq}


def _relinked(seq: int, next_seq: int) -> str:
    return _(
        "peristiwa #%(seq)s diubah (hash-nya tidak cocok dengan tautan yang dicatat peristiwa #%(next)s)"
    ) % {"seq": seq, "next": next_seq}


def _missing(seq: int, resumes_at: int | None) -> str:
    if resumes_at is None:
        return _("peristiwa #%(seq)s hilang (rantai berakhir di #%(last)s)") % {"seq": seq, "last": seq - 1}
    return _("peristiwa #%(seq)s hilang (urutan lompat dari %(last)s ke %(next)s)") % {
        "seq": seq,
        "last": seq - 1,
        "next": resumes_at,
    }


def _rewritten(anchor: Anchor) -> str:
    return _(
        "rantai ditulis ulang antara peristiwa #%(first)s dan #%(seq)s: hash #%(seq)s tidak cocok "
        "dengan titik periksa bertanda tangan tanggal %(date)s"
    ) % {"first": anchor.previous_seq + 1, "seq": anchor.seq, "date": anchor.date}


# --- Reading rows -----------------------------------------------------------------------------


def _select_sql(connection, tenant_id: int | None, *, with_columns: bool = False) -> str:
    """The rows of one seq range, in seq order.

    Normally: seq, the hashed message (prev_hash ‖ payload as UTF-8 bytes; NULL when prev_hash is
    not 64 characters, so the boundary between the two is fixed, or on SQLite when either is not
    stored as text) and the stored hash. With
    `with_columns` (a tampered schema): seq, payload, prev_hash, hash and the eight columns.
    """
    if connection.vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(
            f"audit verification supports SQLite and PostgreSQL, not {connection.vendor}"
        )
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    chain = "tenant_id IS NULL" if tenant_id is None else "tenant_id = %s"
    prev = "CASE WHEN length(prev_hash) = 64 THEN prev_hash END"
    if with_columns:
        if connection.vendor == "postgresql":
            # The same text SQLite stores, so one loop serves both databases.
            occurred_at = "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
        else:
            occurred_at = "CAST(occurred_at AS TEXT)"  # an expression: no datetime converter runs
        columns = (
            f"seq, payload, prev_hash, hash, {occurred_at}, event_type, actor_id, actor_label, "
            "object_type, object_id, ip_address, data"
        )
    elif connection.vendor == "postgresql":
        columns = f"seq, convert_to({prev} || payload, 'UTF8'), hash"
    else:
        # SQLite would also take the same bytes stored as a BLOB: count that as altered, as before.
        prev = "CASE WHEN length(prev_hash) = 64 AND typeof(prev_hash) = 'text' THEN prev_hash END"
        payload = "CASE WHEN typeof(payload) = 'text' THEN payload END"
        columns = f"seq, CAST({prev} || {payload} AS BLOB), hash"
    # Only the model's table name and fixed fragments are interpolated; values are parameters.
    where = f"{chain} AND seq BETWEEN %s AND %s"
    return f"SELECT {columns} FROM {table} WHERE {where} ORDER BY seq"  # noqa: S608


# --- The table still derives its columns from the payload ---------------------------------------

_expected_definitions: dict[tuple, dict[str, str]] = {}


def _generated_fields():
    return [AuditEvent._meta.get_field(name) for name in PAYLOAD_COLUMNS]


def _column_definition(connection, field) -> str:
    """The column definition Praja's migration wrote, e.g. `"event_type" varchar(80) GENERATED ...`."""
    # Not entered as a context: on SQLite that would switch foreign key checks off.
    editor = connection.SchemaEditorClass(connection, collect_sql=True)
    sql, _params = editor.column_sql(AuditEvent, field, include_default=False)
    return f"{connection.ops.quote_name(field.column)} {sql}"


def _sqlite_underived(connection) -> list[str]:
    table = AuditEvent._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA table_xinfo({quote(table)})")
        hidden = {row[1]: row[6] for row in cursor.fetchall()}
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
        row = cursor.fetchone()
    definition = row[0] if row else ""
    return [
        field.column
        for field in _generated_fields()
        # hidden 3: a stored generated column; its definition must be Praja's own.
        if hidden.get(field.column) != 3 or _column_definition(connection, field) not in definition
    ]


def _postgresql_underived(connection) -> list[str]:
    table = AuditEvent._meta.db_table
    query = (
        "SELECT a.attname, a.attgenerated, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a "
        "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped"
    )
    key = (connection.alias, connection.pg_version)
    if key not in _expected_definitions:
        # Let PostgreSQL deparse Praja's own definitions in a scratch temporary table.
        scratch = "praja_audit_expected_columns"
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            columns = ", ".join(_column_definition(connection, field) for field in _generated_fields())
            cursor.execute(f"CREATE TEMPORARY TABLE {scratch} (payload text, {columns}) ON COMMIT DROP")
            cursor.execute(query, [f"pg_temp.{scratch}"])
            rows = cursor.fetchall()
            _expected_definitions[key] = {name: expr for name, generated, expr in rows if generated}
            cursor.execute(f"DROP TABLE {scratch}")
    expected = _expected_definitions[key]
    with connection.cursor() as cursor:
        cursor.execute(query, [table])
        actual = {name: (generated, expr) for name, generated, expr in cursor.fetchall()}
    return [
        field.column
        for field in _generated_fields()
        if actual.get(field.column) != ("s", expected.get(field.column))
    ]


def underived_columns(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The columns the events table no longer derives from the hashed payload (normally none)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        return _postgresql_underived(connection)
    if connection.vendor == "sqlite":
        return _sqlite_underived(connection)
    raise NotImplementedError(f"audit verification supports SQLite and PostgreSQL, not {connection.vendor}")


def _underived_reason(columns: list[str]) -> str:
    return _(
        "struktur tabel audit diubah di luar Praja: kolom %(columns)s tidak lagi diturunkan dari isi "
        "peristiwa yang di-hash"
    ) % {"columns": ", ".join(columns)}


# --- Scanning rows ------------------------------------------------------------------------------


def _scan_range(
    using: str,
    tenant_id: int | None,
    lo: int,
    hi: int,
    expected_prev: str | None,
    anchors: dict[int, Anchor],
    with_columns: bool = False,
) -> _RangeReport:
    """Check events lo..hi of one chain; stop at the first problem."""
    connection = connections[using]
    params = ([] if tenant_id is None else [tenant_id]) + [lo, hi]
    sql = _select_sql(connection, tenant_id, with_columns=with_columns)
    check = _check_rows_with_columns if with_columns else _check_rows
    # PostgreSQL streams through a server-side cursor, which lives in a transaction. SQLite reads
    # in autocommit: its transactions begin IMMEDIATE, which would take the write lock.
    with transaction.atomic(using=using) if connection.vendor == "postgresql" else nullcontext():
        wrapper = connection.chunked_cursor()
        try:
            cursor = wrapper.cursor  # the driver's cursor: no per-row wrapper work
            if connection.vendor == "postgresql":
                cursor.execute(sql, params, binary=True)  # bytea arrives as it is, not hex-encoded
            else:
                cursor.execute(sql, params)
            return check(cursor, lo, hi, expected_prev, anchors)
        finally:
            wrapper.close()


def _check_rows(
    cursor, lo: int, hi: int, expected_prev: str | None, anchors: dict[int, Anchor]
) -> _RangeReport:
    """The hot loop: re-hash each event's stored message and check the links between events.

    A row is (seq, prev_hash ‖ payload as bytes, hash). The seq inside each payload needs no
    check of its own: the links fix the order of the payloads from #1 on.
    """
    report = _RangeReport(lo=lo, hi=hi, last_seq=lo - 1)
    sha256 = hashlib.sha256
    expected, last_hash, count = lo, expected_prev, 0
    last_bytes = None if expected_prev is None else expected_prev.encode()
    fetchmany = cursor.fetchmany
    while rows := fetchmany(FETCH_CHUNK):
        if report.first_seq_seen is None:
            report.first_seq_seen = rows[0][0]
        for seq, message, stored in rows:
            if seq != expected:
                report.problem = _Problem(expected, _missing(expected, seq))
                break
            try:
                intact = sha256(message).hexdigest() == stored
            except TypeError:
                intact = False  # a NULL or a prev_hash of the wrong length
            if not intact:
                report.problem = _Problem(seq, _altered(seq))
                break
            if last_bytes is None:
                report.first_prev_hash = bytes(message[:64]).decode("ascii", "replace")
            elif not message.startswith(last_bytes):
                # The previous event was rewritten together with its hash (or, for #1, this one was).
                report.problem = (
                    _Problem(seq - 1, _relinked(seq - 1, seq)) if seq > 1 else _Problem(1, _altered(1))
                )
                break
            if seq in anchors and stored != anchors[seq].head_hash:
                anchor = anchors[seq]
                report.problem = _Problem(anchor.previous_seq + 1, _rewritten(anchor))
                break
            last_hash, last_bytes, expected = stored, stored.encode(), expected + 1
            count += 1
        if report.problem is not None:
            break
    report.count, report.last_seq, report.last_hash = count, expected - 1, last_hash
    if report.problem is None and report.last_seq < hi:
        report.problem = _Problem(report.last_seq + 1, "", missing_until_next_range=True)
    return report


def _columns_match(seq: int, payload: str, ts, *columns) -> bool:
    """Whether plain columns (a tampered schema) still say exactly what the payload says."""
    # SQLite stores "YYYY-MM-DD HH:MM:SS[.ffffff]" (naive UTC); PostgreSQL is asked for it.
    if len(ts) == 26 and ts[10] == " ":
        ts = f"{ts[:10]}T{ts[11:]}Z"
    elif len(ts) == 19 and ts[10] == " ":
        ts = f"{ts[:10]}T{ts[11:]}.000000Z"
    else:
        raise TypeError("occurred_at is not in the stored form")
    # columns: event_type, actor_id, actor_label, object_type, object_id, ip_address, data
    return canonical_text(seq, ts, *columns) == payload


def _check_rows_with_columns(
    cursor, lo: int, hi: int, expected_prev: str | None, anchors: dict[int, Anchor]
) -> _RangeReport:
    """The slow loop for a tampered schema: also rebuild every event's columns into its payload."""
    report = _RangeReport(lo=lo, hi=hi, last_seq=lo - 1)
    sha256 = hashlib.sha256
    expected, last_hash, count = lo, expected_prev, 0
    while rows := cursor.fetchmany(FETCH_CHUNK):
        if report.first_seq_seen is None:
            report.first_seq_seen = rows[0][0]
        for seq, payload, prev, stored, *columns in rows:
            if seq != expected:
                report.problem = _Problem(expected, _missing(expected, seq))
                break
            try:
                intact = (
                    len(prev) == 64
                    and sha256((prev + payload).encode()).hexdigest() == stored
                    and _columns_match(seq, payload, *columns)
                )
            except (TypeError, AttributeError, UnicodeEncodeError):
                intact = False  # a NULL or a value of the wrong type where Praja wrote text
            if not intact:
                report.problem = _Problem(seq, _altered(seq))
                break
            if last_hash is None:
                report.first_prev_hash = prev
            elif prev != last_hash:
                report.problem = (
                    _Problem(seq - 1, _relinked(seq - 1, seq)) if seq > 1 else _Problem(1, _altered(1))
                )
                break
            if seq in anchors and stored != anchors[seq].head_hash:
                anchor = anchors[seq]
                report.problem = _Problem(anchor.previous_seq + 1, _rewritten(anchor))
                break
            last_hash, expected = stored, expected + 1
            count += 1
        if report.problem is not None:
            break
    report.count, report.last_seq, report.last_hash = count, expected - 1, last_hash
    if report.problem is None and report.last_seq < hi:
        report.problem = _Problem(report.last_seq + 1, "", missing_until_next_range=True)
    return report


# --- Running ranges, in this process or in workers ----------------------------------------------

# Connections a forked worker inherited from its parent. They are kept referenced and never
# closed: closing (or garbage-collecting) one would end the parent's session on the server.
_inherited_connections: list = []


def _scan_range_in_worker(args) -> _RangeReport:
    """Entry point of a forked worker: open a fresh connection, never use the parent's."""
    using, tenant_id, lo, hi, anchors, with_columns = args
    _inherited_connections.append(connections[using])
    connections[using] = connections.create_connection(using)
    try:
        return _scan_range(using, tenant_id, lo, hi, None, anchors, with_columns)
    finally:
        connections[using].close()


def _worker_signals() -> None:
    """A forked worker dies on SIGTERM, which the pool sends when it closes.

    The parent may have installed its own SIGTERM handler (a task worker's graceful shutdown); a
    worker inheriting one could outlive the pool and leave `verify_chain` waiting for it.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _can_use_processes(using: str) -> bool:
    connection = connections[using]
    if connection.in_atomic_block:
        return False  # workers could not see this transaction's rows
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return False
    return "fork" in multiprocessing.get_all_start_methods()


def _split(head_seq: int, parts: int) -> list[tuple[int, int]]:
    size = -(-head_seq // parts)
    return [(lo, min(lo + size - 1, head_seq)) for lo in range(1, head_seq + 1, size)]


def _scan(
    using: str,
    tenant_id: int | None,
    head_seq: int,
    workers: int,
    anchors: dict[int, Anchor],
    with_columns: bool = False,
):
    """Check 1..head_seq in `workers` ranges; return the reports in seq order and the processes used."""
    ranges = _split(head_seq, workers) if head_seq else []
    if len(ranges) > 1 and _can_use_processes(using):
        jobs = [(using, tenant_id, lo, hi, anchors, with_columns) for lo, hi in ranges]
        with multiprocessing.get_context("fork").Pool(len(ranges), initializer=_worker_signals) as pool:
            return pool.map(_scan_range_in_worker, jobs, chunksize=1), len(ranges)
    return [_scan_range(using, tenant_id, lo, hi, None, anchors, with_columns) for lo, hi in ranges], 1


def _stitch(reports: list[_RangeReport]) -> tuple[_Problem | None, int, str]:
    """Join range reports in seq order; return the first problem, events checked and last hash.

    A gap that runs to the end of a range keeps `missing_until_next_range` only when no later
    range has any event: then the chain's tail is gone and the caller names the head.
    """
    checked, last_hash = 0, GENESIS_HASH
    for index, report in enumerate(reports):
        if report.count and report.first_prev_hash != last_hash:
            if report.lo == 1:
                return _Problem(1, _altered(1)), checked, last_hash
            return _Problem(report.lo - 1, _relinked(report.lo - 1, report.lo)), checked, last_hash
        checked += report.count
        problem = report.problem
        if problem is not None:
            if problem.missing_until_next_range:
                resumes = next((r.first_seq_seen for r in reports[index + 1 :] if r.first_seq_seen), None)
                if resumes is not None:
                    problem = _Problem(problem.seq, _missing(problem.seq, resumes))
            return problem, checked, last_hash
        last_hash = report.last_hash or last_hash
    return None, checked, last_hash


# --- Public entry points ------------------------------------------------------------------------


def _read_head(tenant_id: int | None, using: str) -> tuple[int, str]:
    head = AuditChainHead.objects.using(using).filter(tenant_id=tenant_id).values_list("seq", "hash").first()
    return head or (0, GENESIS_HASH)


def _max_seq(tenant_id: int | None, using: str) -> int:
    from django.db.models import Max

    return AuditEvent.objects.using(using).filter(tenant_id=tenant_id).aggregate(top=Max("seq"))["top"] or 0


def signed_anchors(tenant, using: str = DEFAULT_DB_ALIAS) -> tuple[dict[int, Anchor], list[str]]:
    """Return the tenant's validly signed checkpoints by seq, and a reason per invalid one."""
    from praja.core.audit.signing import verify_checkpoint

    anchors: dict[int, Anchor] = {}
    invalid: list[str] = []
    if tenant is None:
        return anchors, invalid
    from praja.core.tenancy.keys import load_certificate

    previous_seq, certificate = 0, None
    checkpoints = AuditCheckpoint.all_tenants.using(using).filter(tenant=tenant).order_by("date", "seq")
    for checkpoint in checkpoints:
        certificate = certificate or load_certificate(tenant)
        check = verify_checkpoint(checkpoint, tenant=tenant, certificate=certificate)
        if not check.valid:
            invalid.append(check.reason)
            continue
        if checkpoint.seq and checkpoint.seq not in anchors:
            anchors[checkpoint.seq] = Anchor(
                checkpoint.seq, checkpoint.head_hash, checkpoint.date.isoformat(), previous_seq
            )
            previous_seq = checkpoint.seq
    return anchors, invalid


def verify_chain(tenant, *, workers: int | None = None, using: str = DEFAULT_DB_ALIAS) -> VerifyResult:
    """Re-hash the tenant's chain (tenant None: the platform chain) and name the first broken event.

    `workers` splits the chain into that many seq ranges checked by forked processes (default:
    up to 4 for chains above 200,000 events; always one process inside a transaction or on an
    in-memory database, where the ranges are checked in turn).
    """
    started = time.perf_counter()
    tenant_id = getattr(tenant, "pk", tenant)
    head_seq, head_hash = _read_head(tenant_id, using)
    anchors, invalid_checkpoints = signed_anchors(tenant if tenant_id is not None else None, using)
    if workers is None:
        workers = min(os.cpu_count() or 1, MAX_WORKERS) if head_seq >= PARALLEL_THRESHOLD else 1
    workers = max(1, min(workers, head_seq or 1))
    underived = underived_columns(using)
    reports, used_workers = _scan(using, tenant_id, head_seq, workers, anchors, bool(underived))
    problem, checked, last_hash = _stitch(reports)

    def result(ok: bool, first_bad: int | None = None, reason: str = "") -> VerifyResult:
        return VerifyResult(
            ok=ok,
            events_checked=checked,
            first_bad_seq=first_bad,
            reason=reason,
            head_seq=head_seq,
            head_hash=head_hash,
            checkpoints_checked=len(anchors) + len(invalid_checkpoints),
            workers=used_workers,
            elapsed_seconds=time.perf_counter() - started,
        )

    if problem is not None:
        return result(False, problem.seq, _with_head(problem, head_seq))
    if head_seq and last_hash != head_hash:
        return result(
            False,
            head_seq,
            _("kepala rantai tidak cocok: hash peristiwa #%(seq)s berbeda dari yang dicatat kepala rantai")
            % {"seq": head_seq},
        )
    beyond = [anchor for anchor in anchors.values() if anchor.seq > head_seq]
    if beyond:
        latest = max(beyond, key=lambda anchor: anchor.seq)
        return result(
            False,
            head_seq + 1,
            _(
                "peristiwa #%(seq)s hilang (rantai berakhir di #%(last)s, titik periksa bertanda tangan "
                "tanggal %(date)s mencatat #%(signed)s)"
            )
            % {"seq": head_seq + 1, "last": head_seq, "date": latest.date, "signed": latest.seq},
        )
    # Read the highest seq before the head again: an honest append moves both in one commit.
    top = _max_seq(tenant_id, using)
    current_head_seq, _current_hash = _read_head(tenant_id, using)
    if top > current_head_seq:
        return result(
            False,
            current_head_seq + 1,
            _(
                "peristiwa #%(seq)s tidak tercatat di kepala rantai (kepala berhenti di #%(head)s): "
                "peristiwa ditambahkan di luar Praja"
            )
            % {"seq": current_head_seq + 1, "head": current_head_seq},
        )
    if underived:
        return result(False, None, _underived_reason(underived))
    if invalid_checkpoints:
        return result(False, None, invalid_checkpoints[0])
    return result(True)


def _with_head(problem: _Problem, head_seq: int) -> str:
    if problem.missing_until_next_range:
        return _(
            "peristiwa #%(seq)s hilang (rantai berakhir di #%(last)s, kepala rantai mencatat #%(head)s)"
        ) % {"seq": problem.seq, "last": problem.seq - 1, "head": head_seq}
    return problem.reason


def verify_since_last_checkpoint(
    tenant, *, head_seq: int, head_hash: str, using: str = DEFAULT_DB_ALIAS
) -> VerifyResult:
    """Check only the events after the latest signed checkpoint, up to the given head.

    The daily checkpoint signs a head only after this passes, so a tampered chain is never signed.
    """
    started = time.perf_counter()
    anchors, _invalid = signed_anchors(tenant, using)
    latest = max(anchors.values(), key=lambda anchor: anchor.seq, default=None)
    lo = latest.seq if latest is not None and latest.seq <= head_seq else 1
    checked = 0
    underived = underived_columns(using)
    if head_seq:
        report = _scan_range(
            using, tenant.pk, lo, head_seq, GENESIS_HASH if lo == 1 else None, anchors, bool(underived)
        )
        checked = report.count
        problem = report.problem
        if problem is None and report.last_hash != head_hash:
            problem = _Problem(
                head_seq,
                _(
                    "kepala rantai tidak cocok: hash peristiwa #%(seq)s berbeda dari yang dicatat "
                    "kepala rantai"
                )
                % {"seq": head_seq},
            )
        if problem is not None:
            reason = _with_head(problem, head_seq)
            return VerifyResult(
                False,
                checked,
                problem.seq,
                reason,
                head_seq,
                head_hash,
                elapsed_seconds=time.perf_counter() - started,
            )
    if latest is not None and latest.seq > head_seq:
        return VerifyResult(
            False,
            checked,
            head_seq + 1,
            _(
                "peristiwa #%(seq)s hilang (rantai berakhir di #%(last)s, titik periksa bertanda tangan "
                "tanggal %(date)s mencatat #%(signed)s)"
            )
            % {"seq": head_seq + 1, "last": head_seq, "date": latest.date, "signed": latest.seq},
            head_seq,
            head_hash,
            elapsed_seconds=time.perf_counter() - started,
        )
    if underived:
        return VerifyResult(
            False,
            checked,
            None,
            _underived_reason(underived),
            head_seq,
            head_hash,
            elapsed_seconds=time.perf_counter() - started,
        )
    return VerifyResult(
        True, checked, None, "", head_seq, head_hash, elapsed_seconds=time.perf_counter() - started
    )
