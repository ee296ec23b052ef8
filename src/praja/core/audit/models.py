"""The per-tenant, append-only, hash-chained audit log and its signed daily checkpoints.

hash = SHA-256(prev_hash ‖ canonical bytes of the event), where the canonical bytes are built
from every stored column but the surrogate `id` and the chain key `tenant` (see `canonical.py`),
so changing a column breaks the event's hash, and moving or deleting an event leaves a gap in
its chain's sequence numbers. On PostgreSQL triggers refuse UPDATE and DELETE on the events and
the checkpoints (django-pgtrigger); SQLite has no such wall, which `verify_chain` makes up for.
"""

import pgtrigger
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from praja.core.audit.canonical import GENESIS_HASH
from praja.core.tenancy.models import GlobalModelMixin, Tenant, TenantScopedModel

__all__ = ["GENESIS_HASH", "AuditChainHead", "AuditCheckpoint", "AuditEvent"]

APPEND_ONLY_TRIGGER = "append_only"


class AuditEvent(GlobalModelMixin, models.Model):
    # Chain-scoped rather than tenant-scoped: tenant NULL is the platform's own chain.
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, null=True, related_name="+")
    seq = models.PositiveBigIntegerField()
    occurred_at = models.DateTimeField()
    event_type = models.CharField(max_length=80)
    actor_id = models.BigIntegerField(null=True)
    actor_label = models.CharField(max_length=200, blank=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip_address = models.CharField(max_length=45, blank=True)
    data = models.TextField(default="{}")  # canonical JSON text, hashed as stored
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
