"""Pure rules for documents: file types by content, verification codes, size wording.

Nothing here touches the database, the disk or the request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    name: str  # "pdf", "jpeg", "png": the value of StoredFile.kind
    label: str  # shown to people: "PDF", "JPG", "PNG"
    content_type: str
    extensions: frozenset[str]
    default_extension: str


FILE_KINDS: dict[str, FileKind] = {
    "pdf": FileKind("pdf", "PDF", "application/pdf", frozenset({".pdf"}), ".pdf"),
    "jpeg": FileKind("jpeg", "JPG", "image/jpeg", frozenset({".jpg", ".jpeg", ".jpe", ".jfif"}), ".jpg"),
    "png": FileKind("png", "PNG", "image/png", frozenset({".png"}), ".png"),
}

# How many leading bytes `sniff_content` needs to tell every kind below apart.
SNIFF_BYTES = 16

_ACCEPTED_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
)
# Content refused everywhere, named so the person learns what they actually picked.
_REFUSED_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x7fELF", "executable"),  # Linux program
    (b"MZ", "executable"),  # Windows program (.exe, .dll)
    (b"\xcf\xfa\xed\xfe", "executable"),  # macOS program (Mach-O 64)
    (b"\xce\xfa\xed\xfe", "executable"),  # macOS program (Mach-O 32)
    (b"\xca\xfe\xba\xbe", "executable"),  # macOS universal binary / Java class
    (b"#!", "script"),
    (b"PK\x03\x04", "archive"),  # ZIP, and Office documents
    (b"Rar!", "archive"),
    (b"7z\xbc\xaf\x27\x1c", "archive"),
    (b"\x1f\x8b", "archive"),  # gzip
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)


def sniff_content(head: bytes) -> str:
    """Name what the first bytes of a file are: a FILE_KINDS key, a refused kind, or "unknown"."""
    for signature, kind in _ACCEPTED_SIGNATURES + _REFUSED_SIGNATURES:
        if head.startswith(signature):
            return kind
    return "unknown"


def describe_content(kind: str) -> str:
    """Words for what a refused file turned out to contain."""
    if kind in FILE_KINDS:
        return _("berkas %(label)s") % {"label": FILE_KINDS[kind].label}
    return {
        "executable": _("berkas program (executable)"),
        "script": _("skrip program"),
        "archive": _("arsip terkompresi (ZIP/RAR)"),
        "gif": _("gambar GIF"),
    }.get(kind, _("data yang tidak dikenali"))


def allowed_labels(allowed_types: tuple[str, ...] | list[str]) -> str:
    """`("pdf", "jpeg", "png")` -> "PDF, JPG atau PNG"."""
    labels = [FILE_KINDS[name].label for name in allowed_types]
    if len(labels) == 1:
        return labels[0]
    return _("%(first)s atau %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def kind_from_extension(file_name: str) -> str | None:
    """The kind a file's name claims (by extension), None when it claims none we know."""
    suffix = PurePosixPath(file_name.replace("\\", "/")).suffix.lower()
    for kind in FILE_KINDS.values():
        if suffix in kind.extensions:
            return kind.name
    return None


def refusal_for_content(
    *, file_name: str, detected: str, allowed_types: tuple[str, ...] | list[str]
) -> str | None:
    """The Indonesian reason to refuse a file whose content is `detected`, or None to accept it."""
    allowed = allowed_labels(allowed_types)
    claimed = kind_from_extension(file_name)
    claimed_label = FILE_KINDS[claimed].label if claimed else allowed
    if detected not in FILE_KINDS:
        return _("Berkas '%(name)s' bukan %(claimed)s: isinya %(content)s. Unggah %(allowed)s.") % {
            "name": file_name,
            "claimed": claimed_label,
            "content": describe_content(detected),
            "allowed": allowed,
        }
    if claimed is not None and claimed != detected:
        return _(
            "Berkas '%(name)s' bukan %(claimed)s: isinya %(content)s. Beri nama berakhiran %(extension)s "
            "atau unggah %(claimed)s yang benar."
        ) % {
            "name": file_name,
            "claimed": claimed_label,
            "content": describe_content(detected),
            "extension": FILE_KINDS[detected].default_extension,
        }
    if detected not in allowed_types:
        return _("Berkas '%(name)s' berjenis %(label)s, yang tidak diterima di sini. Unggah %(allowed)s.") % {
            "name": file_name,
            "label": FILE_KINDS[detected].label,
            "allowed": allowed,
        }
    return None


def format_megabytes(size: int) -> str:
    """Bytes as megabytes the Indonesian way: 10485760 -> "10 MB", 12900000 -> "12,3 MB"."""
    megabytes = size / (1024 * 1024)
    text = f"{megabytes:.1f}".rstrip("0").rstrip(".")
    return f"{text.replace('.', ',')} MB"


def oversize_message(*, file_name: str, max_bytes: int, size: int | None = None) -> str:
    if not file_name:
        return _("Berkas terlalu besar. Ukuran maksimum %(max)s.") % {"max": format_megabytes(max_bytes)}
    if size is None:
        return _("Berkas '%(name)s' terlalu besar. Ukuran maksimum %(max)s.") % {
            "name": file_name,
            "max": format_megabytes(max_bytes),
        }
    return _("Berkas '%(name)s' terlalu besar (%(size)s). Ukuran maksimum %(max)s.") % {
        "name": file_name,
        "size": format_megabytes(size),
        "max": format_megabytes(max_bytes),
    }


def safe_display_name(file_name: str, *, max_length: int = 200) -> str:
    """Keep only the last path part of a browser-supplied name, without control characters."""
    name = PurePosixPath(file_name.replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if len(name) > max_length:
        stem, dot, suffix = name.rpartition(".")
        name = (
            (stem[: max_length - len(suffix) - 1] + dot + suffix)
            if dot and len(suffix) < 10
            else name[:max_length]
        )
    return name or "berkas"


# Verification codes: 12 symbols of Crockford's base32 (60 random bits), printed as XXXX-XXXX-XXXX.
# The alphabet leaves out I, L, O and U, so a code read aloud or typed from paper survives.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
_CODE_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_verification_code(text: str) -> str | None:
    """A typed code in canonical form ("abcd-efgh-jkmn" -> "ABCDEFGHJKMN"), None if it cannot be one."""
    code = "".join(text.split()).replace("-", "").upper().translate(_CODE_LOOKALIKES)
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def group_verification_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def verification_digest(code: str, *, secret: str) -> str:
    """The keyed digest documents are looked up by, so lookup time says nothing about the code."""
    return hmac.new(secret.encode(), b"praja-verify:" + code.encode(), hashlib.sha256).hexdigest()
