"""Every case's timeline (one row per transition) and its SLA clock, for any case model."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from praja.core.tenancy.models import TenantScopedModel


class CaseEvent(TenantScopedModel):
    """One transition of one case: who moved it, from which status to which, when and why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    workflow = models.CharField(max_length=100)
    transition = models.CharField(max_length=60)
    from_status = models.CharField(max_length=40)
    to_status = models.CharField(max_length=40)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    occurred_at = models.DateTimeField()
    audit_event = models.ForeignKey(
        "audit.AuditEvent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["tenant", "content_type", "object_id", "occurred_at"])]
        ordering = ["occurred_at", "pk"]
        verbose_name = _("riwayat berkas")
        verbose_name_plural = _("riwayat berkas")

    def __str__(self) -> str:
        return f"{self.workflow}:{self.object_id} {self.from_status}->{self.to_status}"


class SlaClock(TenantScopedModel):
    """The service-level clock of one case, counted in the tenant's working days.

    Paused while the case waits on the applicant; on resumption the due date moves by the working
    days it was paused. `breached_at` is set once by the SLA check, which escalates the breach.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    workflow = models.CharField(max_length=100)
    working_days = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(default=0)
    stopped_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "content_type", "object_id"], name="sla_clock_case_unique"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "stopped_at", "breached_at", "due_at"])]
        verbose_name = _("jam SLA")

    def __str__(self) -> str:
        return f"{self.workflow}:{self.object_id} due {self.due_at:%Y-%m-%d}"

    @property
    def is_running(self) -> bool:
        return self.stopped_at is None and self.paused_at is None
