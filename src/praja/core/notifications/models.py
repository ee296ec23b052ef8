"""The outbox: one row per message per channel, written in the business transaction."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from praja.core.tenancy.models import GlobalModelMixin, Tenant


class Channel(models.TextChoices):
    IN_APP = "in_app", _("Di aplikasi")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")
    READ = "read", _("Dibaca")


class OutboxMessage(GlobalModelMixin, models.Model):
    """One message to one person over one channel.

    Chain-scoped like the audit table rather than tenant-scoped: `tenant` NULL marks a platform
    message (password reset before any tenant is chosen), and the sender works across tenants.
    Reads for people go through `selectors`, which always filter by recipient and tenant.
    """

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outbox_messages"
    )
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("alamat"), max_length=254, blank=True)
    template = models.CharField(_("templat"), max_length=100)
    language = models.CharField(_("bahasa"), max_length=5, default="id")
    subject = models.CharField(_("subjek"), max_length=255, blank=True)
    body = models.TextField(_("isi"))
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    dedup_key = models.CharField(_("kunci deduplikasi"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "recipient", "channel", "dedup_key"],
                condition=~Q(dedup_key=""),
                name="outbox_dedup_unique",
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "recipient", "channel", "-created_at"], name="outbox_inbox_idx"),
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
        ]
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("pesan keluar")

    def __str__(self) -> str:
        return f"{self.channel}:{self.recipient_id}:{self.template} ({self.status})"

    @property
    def is_unread(self) -> bool:
        return self.channel == Channel.IN_APP and self.read_at is None


class PeriodicJobState(GlobalModelMixin, models.Model):
    """When each periodic job last ran and runs next; schedulers claim a run by updating it."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    next_run_at = models.DateTimeField()

    class Meta:
        verbose_name = _("jadwal tugas berkala")

    def __str__(self) -> str:
        return f"{self.name} next {self.next_run_at:%Y-%m-%d %H:%M}"
