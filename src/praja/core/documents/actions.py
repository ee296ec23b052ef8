"""The only writers of documents: storing uploads, opening files, issuing and retiring official PDFs."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from praja.core.audit.actions import record, record_personal_data_access
from praja.core.documents import pdf as pdf_tools
from praja.core.documents import storage
from praja.core.documents.models import DocumentStatus, OfficialDocument, StoredFile
from praja.core.documents.rules import (
    FILE_KINDS,
    SNIFF_BYTES,
    WHOLE_FILE_KINDS,
    candidate_kind,
    group_verification_code,
    is_utf8_text,
    kind_of_zip,
    new_verification_code,
    oversize_message,
    refusal_for_content,
    safe_display_name,
    verification_digest,
)
from praja.core.permissions.checks import require
from praja.core.permissions.roles import APPROVE, WORK_QUEUE
from praja.core.tenancy.context import require_current_tenant, use_tenant

DEFAULT_ALLOWED_TYPES = ("pdf", "jpeg", "png")
OFFICIAL_PURPOSE = "official_document"


def _require_active_user(actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Masuk terlebih dahulu untuk mengunggah berkas."))


def _case_fields(case: Any, tenant) -> dict[str, Any]:
    if case is None:
        return {"case_content_type": None, "case_object_id": ""}
    if getattr(case, "tenant_id", tenant.pk) != tenant.pk:
        raise ValueError("a document can only be linked to a case of its own tenant")
    return {"case_content_type": ContentType.objects.get_for_model(case), "case_object_id": str(case.pk)}


# An XLSX of the largest import (50,000 rows) unpacks to a few tens of megabytes; a ZIP claiming far
# more is refused before anything is unpacked (a "zip bomb" would otherwise keep a worker busy).
MAX_UNPACKED_ZIP_BYTES = 256 * 1024 * 1024
_CONTENT_TYPES_MAX_BYTES = 1024 * 1024


def _is_intact(path, kind: str) -> bool:
    """Open the stored bytes the way a reader would: images decode, PDFs have a page tree, ZIPs unpack."""
    try:
        if kind in {"jpeg", "png"}:
            from PIL import Image

            with Image.open(path) as image:
                image.verify()  # also refuses decompression bombs
            return True
        if kind == "xlsx":
            with zipfile.ZipFile(path) as archive:
                members = archive.infolist()
                if sum(member.file_size for member in members) > MAX_UNPACKED_ZIP_BYTES:
                    return False
                return archive.testzip() is None  # every member unpacks with the right CRC
        if kind == "csv":
            return True  # `_kind_of_whole_file` has already read every byte as UTF-8 text
        from pyhanko.pdf_utils.reader import PdfFileReader

        with open(path, "rb") as handle:
            reader = PdfFileReader(handle, strict=False)
            return int(reader.root["/Pages"]["/Count"]) > 0
    except Exception:  # a broken file may fail in any way inside the decoders
        return False


def _read_chunks(path, size: int = 64 * 1024) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        while chunk := handle.read(size):
            yield chunk


def _kind_of_whole_file(path, candidate: str) -> str:
    """Confirm a whole-file kind ("xlsx", "csv") from all the bytes; otherwise say what the file is."""
    if candidate == "xlsx":
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                content_types = b""
                info = archive.getinfo("[Content_Types].xml") if "[Content_Types].xml" in names else None
                if info is not None and info.file_size <= _CONTENT_TYPES_MAX_BYTES:
                    content_types = archive.read(info)
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, NotImplementedError):
            return "xlsx"  # a damaged archive: `_is_intact` refuses it with "rusak"
        return kind_of_zip(names, content_types)
    if candidate == "csv":
        return "csv" if is_utf8_text(_read_chunks(path)) else "unknown"
    return candidate


def _stream_checked(
    uploaded_file: UploadedFile, *, name: str, tenant_code: str, allowed_types, max_bytes: int
):
    """Copy the upload into a temporary file, checking type and size as the bytes arrive."""
    incoming = storage.IncomingFile(tenant_code)
    head = b""
    kind: str | None = None
    try:
        for chunk in uploaded_file.chunks():
            if incoming.size + len(chunk) > max_bytes:
                raise ValidationError(oversize_message(file_name=name, max_bytes=max_bytes), code="too_large")
            if kind is None:
                head += chunk[:SNIFF_BYTES]
                if len(head) >= SNIFF_BYTES:
                    kind = _checked_kind(head, name=name, allowed_types=allowed_types)
            incoming.write(chunk)
        if incoming.size == 0:
            raise ValidationError(_("Berkas '%(name)s' kosong.") % {"name": name}, code="empty")
        if kind is None:
            kind = _checked_kind(head, name=name, allowed_types=allowed_types)
        incoming.close()
        if kind in WHOLE_FILE_KINDS:
            kind = _refuse_unless_allowed(
                _kind_of_whole_file(incoming.path, kind), name=name, allowed_types=allowed_types
            )
        if not _is_intact(incoming.path, kind):
            raise ValidationError(
                _(
                    "Berkas '%(name)s' rusak: tidak dapat dibuka sebagai %(label)s. "
                    "Unggah ulang berkas yang utuh."
                )
                % {"name": name, "label": FILE_KINDS[kind].label},
                code="damaged",
            )
    except BaseException:
        incoming.discard()
        raise
    return incoming, kind


def _checked_kind(head: bytes, *, name: str, allowed_types) -> str:
    detected = candidate_kind(head, allowed_types=allowed_types)
    if detected in WHOLE_FILE_KINDS:
        return detected  # judged once the whole file is in (what the name claims, too)
    return _refuse_unless_allowed(detected, name=name, allowed_types=allowed_types)


def _refuse_unless_allowed(detected: str, *, name: str, allowed_types) -> str:
    reason = refusal_for_content(file_name=name, detected=detected, allowed_types=allowed_types)
    if reason:
        raise ValidationError(reason, code="wrong_type")
    return detected


@contextmanager
def _undo_placement_on_error(placed: storage.PlacedFile) -> Iterator[None]:
    """Take newly placed bytes back out if the rows describing them cannot be saved."""
    try:
        yield
    except BaseException:
        _remove_unless_referenced(placed)
        raise


def _remove_unless_referenced(placed: storage.PlacedFile) -> None:
    if not StoredFile.all_tenants.filter(storage_path=placed.relative_path).exists():
        storage.remove_if_unreferenced(placed)


def discard_unsaved_upload(stored: StoredFile) -> None:
    """Take an upload's new bytes back off the disk when its row was rolled back after all.

    `store_upload` inside a caller's transaction saves its row with that transaction: when the
    caller fails later, call this on its error path (after the rollback), so no file stays on disk
    that no row describes. Bytes that were already stored before the upload are left alone.
    """
    placed = getattr(stored, "placed", None)
    if placed is not None:
        _remove_unless_referenced(placed)


def _create_stored_file(*, placed: storage.PlacedFile, **fields) -> StoredFile:
    return StoredFile.objects.create(
        sha256=placed.sha256, size=placed.size, storage_path=placed.relative_path, **fields
    )


def store_upload(
    *,
    actor,
    uploaded_file: UploadedFile,
    allowed_types: tuple[str, ...] = DEFAULT_ALLOWED_TYPES,
    max_bytes: int | None = None,
    case: Any = None,
    purpose: str = "",
) -> StoredFile:
    """Store a person's upload in the active tenant after checking its size and its real type.

    `max_bytes` defaults to settings.PRAJA_UPLOAD_MAX_BYTES. The declared size is checked before
    any byte is read, and the running count while streaming, so an oversize file is never held
    whole. The type comes from the content (PDF, JPEG, PNG signatures; an XLSX's workbook parts, a
    CSV's UTF-8 text, read whole), never from the name, and a name that claims another type is
    refused too. On refusal a ValidationError in Indonesian says why, and nothing is stored.
    Identical bytes uploaded twice make two rows sharing one file.
    """
    _require_active_user(actor)
    tenant = require_current_tenant()
    unknown = [name for name in allowed_types if name not in FILE_KINDS]
    if unknown:
        raise ValueError(f"unknown file kinds {unknown}")
    max_bytes = settings.PRAJA_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    name = safe_display_name(uploaded_file.name or "")
    if uploaded_file.size is not None and uploaded_file.size > max_bytes:
        raise ValidationError(
            oversize_message(file_name=name, max_bytes=max_bytes, size=uploaded_file.size), code="too_large"
        )
    case_fields = _case_fields(case, tenant)
    incoming, kind = _stream_checked(
        uploaded_file, name=name, tenant_code=tenant.code, allowed_types=allowed_types, max_bytes=max_bytes
    )
    placed = storage.place(incoming, tenant_code=tenant.code, extension=FILE_KINDS[kind].default_extension)
    with _undo_placement_on_error(placed), transaction.atomic():
        stored = _create_stored_file(
            placed=placed,
            owner=actor,
            original_name=name,
            kind=kind,
            content_type=FILE_KINDS[kind].content_type,
            purpose=purpose[:100],
            **case_fields,
        )
        record(
            "document.uploaded",
            actor=actor,
            obj=stored,
            data={
                "sha256": stored.sha256,
                "size": stored.size,
                "kind": kind,
                "purpose": stored.purpose,
            },
        )
    stored.placed = placed  # for discard_unsaved_upload, should the caller's transaction fail
    return stored


def _record_personal_data_view(*, official, stored_file: StoredFile, request=None) -> None:
    # The chain keeps the purpose in Indonesian whatever the official's interface language, so
    # the citizen's "who viewed my data" page reads the same for everyone.
    with translation.override("id"):
        purpose = _("Membuka berkas '%(name)s'") % {"name": stored_file.original_name}
    record_personal_data_access(
        official=official,
        citizen=stored_file.owner,
        case=stored_file.case if stored_file.case_object_id else None,
        purpose=purpose,
        request=request,
    )


def open_stored_file(*, actor, stored_file: StoredFile, request=None) -> IO[bytes]:
    """Open a file already fetched by `access_stored_file_by_id`; an official's look is audited.

    Anyone but the owner who opens a person's file leaves a `personal_data.viewed` event on the
    chain, which the owner sees on their "who viewed my data" page.
    """
    if actor.pk != stored_file.owner_id:
        with transaction.atomic():
            _record_personal_data_view(official=actor, stored_file=stored_file, request=request)
    return open(stored_file.absolute_path, "rb")  # noqa: SIM115 - the response closes it


def _new_code(tenant) -> tuple[str, str]:
    while True:
        code = new_verification_code()
        digest = verification_digest(code, secret=settings.SECRET_KEY)
        if not OfficialDocument.objects.filter(verification_digest=digest).exists():
            return code, digest


def render_official_pdf(
    *,
    tenant,
    template_name: str,
    context: dict[str, Any],
    title: str,
    document_type: str,
    subject_user=None,
    case: Any = None,
    actor,
    required_permission: str | None = WORK_QUEUE,
) -> OfficialDocument:
    """Render, sign (PAdES, the tenant's key) and store an official PDF with its verification QR.

    `template_name` extends `documents/official_base.html`; it receives `context` plus `tenant`,
    `document` (title, type, code, issue time), `verification_url` and `qr_data_uri`. The actor
    needs `required_permission` in the tenant (default core.work_queue); a module issuing a
    receipt to the applicant themself passes None and takes that decision in its own action.
    """
    with use_tenant(tenant):
        if required_permission is not None:
            require(actor, required_permission)
        case_fields = _case_fields(case, tenant)
        code, digest = _new_code(tenant)
        issued_at = timezone.now()
        url = pdf_tools.verification_url(tenant, code)
        # Official documents are in Bahasa Indonesia whatever the official's interface language.
        with translation.override("id"):
            html = render_to_string(
                template_name,
                {
                    **context,
                    "tenant": tenant,
                    "document": {
                        "title": title,
                        "document_type": document_type,
                        "code": code,
                        "grouped_code": group_verification_code(code),
                        "issued_at": issued_at,
                    },
                    "verification_url": url,
                    "qr_data_uri": pdf_tools.data_uri(pdf_tools.qr_png(url), "image/png"),
                    "logo_data_uri": pdf_tools.logo_data_uri(tenant),
                },
            )
        # Rendering and signing take a fraction of a second: do it outside the transaction so the
        # database (SQLite's single writer above all) is not held meanwhile.
        signed = pdf_tools.sign_pdf(
            pdf_tools.html_to_pdf(html),
            tenant=tenant,
            reason=_("Dokumen resmi: %(title)s") % {"title": title},
        )
        placed = storage.store_bytes(signed, tenant_code=tenant.code, extension=".pdf")
        file_name = f"{slugify(title)[:80] or 'dokumen'}-{code}.pdf"
        with _undo_placement_on_error(placed), transaction.atomic():
            stored = _create_stored_file(
                placed=placed,
                owner=subject_user or actor,
                original_name=file_name,
                kind="pdf",
                content_type="application/pdf",
                purpose=OFFICIAL_PURPOSE,
                **case_fields,
            )
            document = OfficialDocument.objects.create(
                verification_code=code,
                verification_digest=digest,
                document_type=document_type,
                title=title,
                sha256=placed.sha256,
                file=stored,
                issued_at=issued_at,
                issued_by=actor,
                subject_user=subject_user,
                **case_fields,
            )
            record(
                "document.issued",
                actor=actor,
                obj=document,
                data={
                    "code": code,
                    "document_type": document_type,
                    "sha256": placed.sha256,
                    "file_id": stored.pk,
                    "subject_user_id": subject_user.pk if subject_user else None,
                },
            )
    return document


def _locked(document: OfficialDocument) -> OfficialDocument:
    return OfficialDocument.objects.select_for_update().get(pk=document.pk)


def _refuse_unless_valid(document: OfficialDocument) -> None:
    if document.status == DocumentStatus.REVOKED:
        raise ValidationError(
            _("Dokumen %(code)s sudah dicabut.") % {"code": document.grouped_code}, code="already_revoked"
        )
    if document.status == DocumentStatus.SUPERSEDED:
        raise ValidationError(
            _("Dokumen %(code)s sudah diganti oleh dokumen lain.") % {"code": document.grouped_code},
            code="already_superseded",
        )


def revoke_official_document(*, actor, document: OfficialDocument, reason: str) -> OfficialDocument:
    """Mark a valid document revoked; its verification page says so from now on, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasan pencabutan dokumen.")}, code="reason_required")
    with transaction.atomic():
        require(actor, APPROVE)
        locked = _locked(document)
        _refuse_unless_valid(locked)
        locked.status, locked.revoked_reason, locked.revoked_at = (
            DocumentStatus.REVOKED,
            reason,
            timezone.now(),
        )
        locked.save(update_fields=["status", "revoked_reason", "revoked_at"])
        record(
            "document.revoked",
            actor=actor,
            obj=locked,
            data={"code": locked.verification_code, "reason": reason},
        )
    return locked


def supersede_official_document(*, actor, old: OfficialDocument, new: OfficialDocument) -> OfficialDocument:
    """Mark `old` replaced by `new` (both valid, same tenant); old's page then links to new's."""
    if old.pk == new.pk:
        raise ValidationError(_("Dokumen tidak dapat menggantikan dirinya sendiri."), code="same_document")
    with transaction.atomic():
        require(actor, APPROVE)
        # Lock in primary-key order so two opposite supersessions cannot deadlock.
        locked = {doc.pk: _locked(doc) for doc in sorted([old, new], key=lambda doc: doc.pk)}
        old_locked, new_locked = locked[old.pk], locked[new.pk]
        _refuse_unless_valid(old_locked)
        _refuse_unless_valid(new_locked)
        old_locked.status, old_locked.superseded_by, old_locked.superseded_at = (
            DocumentStatus.SUPERSEDED,
            new_locked,
            timezone.now(),
        )
        old_locked.save(update_fields=["status", "superseded_by", "superseded_at"])
        record(
            "document.superseded",
            actor=actor,
            obj=old_locked,
            data={
                "code": old_locked.verification_code,
                "superseded_by": new_locked.verification_code,
            },
        )
    return old_locked
