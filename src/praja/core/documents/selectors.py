"""Reads of documents: a person's files, one file by id (tenant + permission), public verification."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from praja.core.documents.models import OfficialDocument, StoredFile
from praja.core.documents.pdf import SignatureCheck, check_signature
from praja.core.documents.rules import normalize_verification_code, verification_digest
from praja.core.permissions.checks import has_permission
from praja.core.permissions.roles import VIEW_ALL_CASES, VIEW_PERSONAL_DATA, WORK_QUEUE
from praja.core.tenancy.context import require_current_tenant

# Roles holding one of these may open citizens' files in their tenant (each opening is audited).
# A finer rule, by the permission on the linked case, comes with the modules that own cases.
FILE_READER_PERMISSIONS = (VIEW_ALL_CASES, WORK_QUEUE, VIEW_PERSONAL_DATA)


def list_files_for_owner(user) -> QuerySet[StoredFile]:
    """The files `user` owns in the active tenant, newest first."""
    return StoredFile.objects.filter(owner=user).order_by("-uploaded_at", "-pk")


def may_open_others_files(user) -> bool:
    return any(has_permission(user, permission) for permission in FILE_READER_PERMISSIONS)


def access_stored_file_by_id(user, file_id: int | str) -> StoredFile:
    """The file with `file_id` in the active tenant if `user` may open it; Http404 otherwise.

    Missing, another tenant's and forbidden look the same. Open the bytes with
    `actions.open_stored_file`, which audits an official's look at a citizen's file.
    """
    require_current_tenant()
    if user is None or not user.is_authenticated:
        raise Http404
    try:
        stored = StoredFile.objects.select_related("owner", "case_content_type").get(pk=int(file_id))
    except (StoredFile.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    if stored.owner_id != user.pk and not may_open_others_files(user):
        raise Http404
    return stored


def get_official_document_by_code(text: str) -> OfficialDocument | None:
    """The active tenant's document for a typed or scanned code, None when there is none.

    The row is found by a keyed digest of the code and the stored code is then compared in
    constant time, so neither step's timing tells a guesser how close a code was.
    """
    require_current_tenant()
    code = normalize_verification_code(text)
    digest = verification_digest(code or "-", secret=settings.SECRET_KEY)
    document = (
        OfficialDocument.objects.select_related("superseded_by", "tenant")
        .filter(verification_digest=digest)
        .first()
    )
    if document is None or code is None:
        return None
    if not hmac.compare_digest(document.verification_code.encode(), code.encode()):
        return None
    return document


@dataclass(frozen=True)
class DocumentCheck:
    """What a PDF someone holds says about an issued document."""

    uploaded_sha256: str
    is_identical: bool  # byte for byte the issued file
    signature: SignatureCheck

    @property
    def is_genuine(self) -> bool:
        return self.is_identical and self.signature.is_valid


def check_pdf_against_document(document: OfficialDocument, data: bytes) -> DocumentCheck:
    """Compare a PDF's bytes with the issued file and validate its signature with the tenant's certificate."""
    uploaded_sha256 = hashlib.sha256(data).hexdigest()
    return DocumentCheck(
        uploaded_sha256=uploaded_sha256,
        is_identical=hmac.compare_digest(uploaded_sha256, document.sha256),
        signature=check_signature(data, tenant=document.tenant),
    )
