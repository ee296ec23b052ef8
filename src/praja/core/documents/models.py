"""Stored files (uploads and official outputs) and the official documents that can be verified.

A stored file is immutable: its bytes are written once, read-only, under a path named by their
SHA-256, and never overwritten. A replacement is a new row. Two uploads of the same bytes in one
tenant are two rows (each with its own owner, name and audit event) sharing one file on disk.
On PostgreSQL triggers refuse any UPDATE of a stored file and of what an official document says
(only its status fields may change), so even direct SQL cannot swap a checksum.
"""

from __future__ import annotations

from pathlib import Path

import pgtrigger
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from praja.core.documents.rules import FILE_KINDS, group_verification_code
from praja.core.tenancy.models import TenantScopedModel


class StoredFile(TenantScopedModel):
    """One file a person uploaded or the tenant issued, with its checksum and its owner."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("nama berkas"), max_length=200)
    kind = models.CharField(
        _("jenis"), max_length=10, choices=[(k.name, k.label) for k in FILE_KINDS.values()]
    )
    content_type = models.CharField(_("tipe isi"), max_length=100)  # an XLSX type is 65 characters
    size = models.PositiveBigIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_path = models.CharField(max_length=300, editable=False)  # relative to PRAJA_DOCUMENT_ROOT
    purpose = models.CharField(_("keperluan"), max_length=100, blank=True)
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    case_content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case_object_id = models.CharField(max_length=64, blank=True)
    case = GenericForeignKey("case_content_type", "case_object_id")

    class Meta:
        indexes = [
            models.Index(fields=["tenant", "owner", "uploaded_at"]),
            models.Index(fields=["tenant", "sha256"]),
            models.Index(fields=["tenant", "case_content_type", "case_object_id"]),
        ]
        triggers = [pgtrigger.ReadOnly(name="storedfile_read_only")]
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("berkas")
        verbose_name_plural = _("berkas")

    def __str__(self) -> str:
        return self.original_name

    @property
    def absolute_path(self) -> Path:
        return Path(settings.PRAJA_DOCUMENT_ROOT) / self.storage_path

    @property
    def kind_label(self) -> str:
        return FILE_KINDS[self.kind].label

    @property
    def short_sha256(self) -> str:
        return self.sha256[:12]


class DocumentStatus(models.TextChoices):
    VALID = "valid", _("Sah")
    REVOKED = "revoked", _("Dicabut")
    SUPERSEDED = "superseded", _("Diganti")


# The only columns of an issued document that may change after issue (revocation, supersession).
STATUS_FIELDS = ["status", "revoked_reason", "revoked_at", "superseded_by", "superseded_at"]


class OfficialDocument(TenantScopedModel):
    """A signed PDF the tenant issued (permit, SK, receipt), verifiable by its code."""

    verification_code = models.CharField(_("kode verifikasi"), max_length=12, editable=False)
    # Looked up by a keyed digest of the code, so the lookup's timing tells nothing about the code.
    verification_digest = models.CharField(max_length=64, editable=False)
    document_type = models.CharField(_("jenis dokumen"), max_length=80)
    title = models.CharField(_("judul"), max_length=300)
    status = models.CharField(
        _("status"), max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.VALID
    )
    revoked_reason = models.TextField(_("alasan pencabutan"), blank=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="supersedes"
    )
    superseded_at = models.DateTimeField(_("diganti pada"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("diterbitkan"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case_content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case_object_id = models.CharField(max_length=64, blank=True)
    case = GenericForeignKey("case_content_type", "case_object_id")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "verification_digest"], name="officialdoc_digest_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "subject_user"]),
            models.Index(fields=["tenant", "case_content_type", "case_object_id"]),
        ]
        triggers = [pgtrigger.ReadOnly(name="officialdoc_issued_read_only", exclude=STATUS_FIELDS)]
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("dokumen resmi")
        verbose_name_plural = _("dokumen resmi")

    def __str__(self) -> str:
        return f"{self.title} ({self.grouped_code})"

    @property
    def grouped_code(self) -> str:
        return group_verification_code(self.verification_code)
