"""The per-tenant, append-only, hash-chained audit log.

hash = SHA-256(prev_hash ‖ canonical bytes of the event), where the canonical bytes are built
from every stored column (see `canonical.py`), so changing any column breaks the chain.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from praja.core.tenancy.models import GlobalModelMixin, Tenant

GENESIS_HASH = "0" * 64


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
        constraints = [models.UniqueConstraint(fields=["tenant", "seq"], name="audit_tenant_seq_unique")]
        indexes = [
            models.Index(fields=["tenant", "object_type", "object_id"]),
            models.Index(fields=["tenant", "event_type"]),
            models.Index(fields=["tenant", "actor_id"]),
        ]
        verbose_name = _("peristiwa audit")

    def __str__(self) -> str:
        return f"{self.tenant_id}#{self.seq} {self.event_type}"


class AuditChainHead(GlobalModelMixin, models.Model):
    """The last event of each chain; locked while appending so sequence numbers never collide."""

    tenant = models.OneToOneField(Tenant, on_delete=models.PROTECT, null=True, related_name="+")
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"head {self.tenant_id}#{self.seq}"
