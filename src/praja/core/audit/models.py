"""The per-tenant, append-only, hash-chained audit log and its signed daily checkpoints.

hash = SHA-256(prev_hash ‖ payload), where `payload` holds the exact canonical bytes of the event
(see `canonical.py`: seq, time, type, actor, object, IP address and data as one compact JSON
array). The searchable columns (occurred_at, event_type, actor_id, actor_label, object_type,
object_id, ip_address, data) are generated columns the database derives from `payload` itself
(`GENERATED ALWAYS AS (...) STORED`), so no one can write them apart from the hashed bytes;
verification re-hashes only `payload` and checks that the table still derives them (a DBA who
turns one into a plain column is caught, and the rows are then compared column by column).
Moving or deleting an event leaves a gap in its chain's sequence numbers. On PostgreSQL triggers
refuse UPDATE and DELETE on the events and the checkpoints (django-pgtrigger); SQLite has no such
wall, which `verify_chain` makes up for.
"""

import pgtrigger
from django.db import NotSupportedError, models
from django.db.models import F, Func
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from praja.core.audit.canonical import GENESIS_HASH
from praja.core.tenancy.models import GlobalModelMixin, Tenant, TenantScopedModel

__all__ = ["GENESIS_HASH", "AuditChainHead", "AuditCheckpoint", "AuditEvent"]

APPEND_ONLY_TRIGGER = "append_only"


class PayloadItem(Func):
    """Element `index` of the canonical JSON array in `payload`, computed by the database.

    `kind` is "text" (a JSON string, unescaped), "int" (a number or null), "json" (the element's
    JSON text exactly as it stands in the payload) or "time" (the UTC timestamp text, as a
    datetime column). Only immutable functions are used, as generated columns require.
    """

    def __init__(self, index: int, kind: str, *, output_field) -> None:
        if kind not in {"text", "int", "json", "time"} or type(index) is not int:
            raise ValueError(f"unknown payload item {index}/{kind}")
        self.index, self.kind = index, kind
        super().__init__(F("payload"), output_field=output_field)

    def __repr__(self) -> str:
        return f"PayloadItem({self.index}, {self.kind!r})"

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError(f"audit payload columns need SQLite or PostgreSQL, not {connection.vendor}")

    def as_sqlite(self, compiler, connection, **extra):
        payload, params = compiler.compile(self.source_expressions[0])
        item = f"json_extract({payload}, '$[{self.index}]')"
        if self.kind == "time":
            # Django stores naive UTC text, without the fraction when it is zero.
            return (
                f"(CASE WHEN substr({item}, 21, 6) = '000000' "
                f"THEN substr({item}, 1, 10) || ' ' || substr({item}, 12, 8) "
                f"ELSE substr({item}, 1, 10) || ' ' || substr({item}, 12, 15) END)"
            ), params
        return item, params

    def as_postgresql(self, compiler, connection, **extra):
        payload, params = compiler.compile(self.source_expressions[0])
        if self.kind == "json":
            return f"(({payload})::json -> {self.index})::text", params
        item = f"(({payload})::json ->> {self.index})"
        if self.kind == "int":
            return f"{item}::bigint", params
        if self.kind == "time":
            parts = ", ".join(
                f"substr({item}, {start}, {length})::{cast}"
                for start, length, cast in (
                    (1, 4, "int"),
                    (6, 2, "int"),
                    (9, 2, "int"),
                    (12, 2, "int"),
                    (15, 2, "int"),
                    (18, 9, "float8"),
                )
            )
            return f"timezone('UTC', make_timestamp({parts}))", params
        return item, params


def _from_payload(index: int, kind: str, output_field) -> models.GeneratedField:
    return models.GeneratedField(
        expression=PayloadItem(index, kind, output_field=output_field),
        output_field=output_field,
        db_persist=True,
    )


# The generated columns, by name; verification checks that the table still derives each of them.
PAYLOAD_COLUMNS = (
    "occurred_at",
    "event_type",
    "actor_id",
    "actor_label",
    "object_type",
    "object_id",
    "ip_address",
    "data",
)


class AuditEvent(GlobalModelMixin, models.Model):
    # Chain-scoped rather than tenant-scoped: tenant NULL is the platform's own chain.
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, null=True, related_name="+")
    seq = models.PositiveBigIntegerField()
    # The exact canonical text that is hashed (UTF-8 of it): the event's record of truth.
    payload = models.TextField()
    occurred_at = _from_payload(1, "time", models.DateTimeField())
    event_type = _from_payload(2, "text", models.CharField(max_length=80))
    actor_id = _from_payload(3, "int", models.BigIntegerField(null=True))
    actor_label = _from_payload(4, "text", models.CharField(max_length=200, blank=True))
    object_type = _from_payload(5, "text", models.CharField(max_length=80, blank=True))
    object_id = _from_payload(6, "text", models.CharField(max_length=64, blank=True))
    ip_address = _from_payload(7, "text", models.CharField(max_length=45, blank=True))
    data = _from_payload(8, "json", models.TextField())  # canonical JSON text, as in the payload
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "seq"], name="audit_tenant_seq_unique"),
            # NULLs are distinct in a unique index, so the platform chain needs its own.
            models.UniqueConstraint(
                fields=["seq"], condition=models.Q(tenant__isnull=True), name="audit_platform_seq_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "object_type", "object_id"]),
            models.Index(fields=["tenant", "event_type"]),
            models.Index(fields=["tenant", "actor_id"]),
        ]
        triggers = [
            pgtrigger.Protect(name=APPEND_ONLY_TRIGGER, operation=pgtrigger.Update | pgtrigger.Delete),
        ]
        verbose_name = _("peristiwa audit")

    def __str__(self) -> str:
        return f"{self.tenant_id}#{self.seq} {self.event_type}"


class AuditChainHead(GlobalModelMixin, models.Model):
    """The last event of each chain; locked while appending so sequence numbers never collide."""

    tenant = models.OneToOneField(Tenant, on_delete=models.PROTECT, null=True, related_name="+")
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        constraints = [
            models.UniqueConstraint(Coalesce("tenant", 0), name="audit_one_head_per_chain"),
        ]

    def __str__(self) -> str:
        return f"head {self.tenant_id}#{self.seq}"


class AuditCheckpoint(TenantScopedModel):
    """The chain head of one day, signed with the tenant's key and published on a public page.

    The signature is RSA PKCS#1 v1.5 with SHA-256 over
    `praja-audit-checkpoint|<tenant code>|<date>|<seq>|<head_hash>` (see `rules.checkpoint_message`).
    """

    date = models.DateField(_("tanggal"))
    seq = models.PositiveBigIntegerField(_("nomor urut"))
    head_hash = models.CharField(_("hash kepala rantai"), max_length=64)
    signature = models.TextField(_("tanda tangan (base64)"))
    signed_at = models.DateTimeField(_("ditandatangani pada"))
    certificate_fingerprint = models.CharField(_("sidik jari sertifikat (SHA-256)"), max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "date"], name="audit_checkpoint_one_per_day"),
        ]
        indexes = [models.Index(fields=["tenant", "seq"], name="audit_checkpoint_seq_idx")]
        ordering = ["-date"]
        triggers = [
            pgtrigger.Protect(name=APPEND_ONLY_TRIGGER, operation=pgtrigger.Update | pgtrigger.Delete),
        ]
        verbose_name = _("titik periksa audit")
        verbose_name_plural = _("titik periksa audit")

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.date} #{self.seq}"
