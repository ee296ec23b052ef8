"""Pure rules for documents: file types by content, verification codes, size wording.

Nothing here touches the database, the disk or the request.
"""

from __future__ import annotations

import codecs
import hashlib
import hmac
import secrets
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    name: str  # "pdf", "jpeg", "png", "xlsx", "csv": the value of StoredFile.kind
    label: str  # shown to people: "PDF", "JPG", "PNG", "XLSX", "CSV"
    content_type: str
    extensions: frozenset[str]
    default_extension: str


FILE_KINDS: dict[str, FileKind] = {
    "pdf": FileKind("pdf", "PDF", "application/pdf", frozenset({".pdf"}), ".pdf"),
    "jpeg": FileKind("jpeg", "JPG", "image/jpeg", frozenset({".jpg", ".jpeg", ".jpe", ".jfif"}), ".jpg"),
    "png": FileKind("png", "PNG", "image/png", frozenset({".png"}), ".png"),
    # Spreadsheets, for the callers that ask for them (bulk imports keep the file they imported).
    "xlsx": FileKind(
        "xlsx",
        "XLSX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        frozenset({".xlsx"}),
        ".xlsx",
    ),
    "csv": FileKind("csv", "CSV", "text/csv", frozenset({".csv"}), ".csv"),
}
# Kinds the first bytes cannot prove: an XLSX starts like any ZIP archive and a CSV has no signature.
# They are candidates after the first bytes and accepted only once the whole file has been read
# (`kind_of_zip`, `is_utf8_text`).
WHOLE_FILE_KINDS = frozenset({"xlsx", "csv"})

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


ZIP_SIGNATURE = b"PK\x03\x04"
# The content type an Excel workbook declares for its main part in [Content_Types].xml (ECMA-376
# part 2); a macro-enabled workbook (.xlsm) declares the second one instead.
XLSX_WORKBOOK_CONTENT_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_WORKBOOK_CONTENT_TYPE = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def sniff_content(head: bytes) -> str:
    """Name what the first bytes of a file are: a FILE_KINDS key, a refused kind, or "unknown"."""
    for signature, kind in _ACCEPTED_SIGNATURES + _REFUSED_SIGNATURES:
        if head.startswith(signature):
            return kind
    return "unknown"


def candidate_kind(head: bytes, *, allowed_types: Collection[str]) -> str:
    """What the first bytes may be, counting the whole-file kinds only where they are allowed.

    A ZIP archive is a candidate XLSX and signature-less UTF-8 text a candidate CSV; the caller
    confirms either with the whole file before accepting it. Elsewhere this is `sniff_content`.
    """
    detected = sniff_content(head)
    if detected == "archive" and head.startswith(ZIP_SIGNATURE) and "xlsx" in allowed_types:
        return "xlsx"
    if detected == "unknown" and "csv" in allowed_types and is_utf8_text([head], complete=False):
        return "csv"
    return detected


def kind_of_zip(member_names: Collection[str], content_types_xml: bytes) -> str:
    """What a readable ZIP archive holds: "xlsx" for an Excel workbook, else what to refuse it as.

    An XLSX (Office Open XML spreadsheet) has a [Content_Types].xml declaring a workbook and the
    workbook itself under xl/. A macro-enabled workbook and any other archive (a Word document, a
    plain ZIP) are refused with words for what they are.
    """
    if "[Content_Types].xml" not in member_names or "xl/workbook.xml" not in member_names:
        return "archive"
    if XLSM_WORKBOOK_CONTENT_TYPE in content_types_xml:
        return "macro_workbook"
    if XLSX_WORKBOOK_CONTENT_TYPE in content_types_xml:
        return "xlsx"
    return "archive"


def is_utf8_text(chunks: Iterable[bytes], *, complete: bool = True) -> bool:
    """True when the bytes are UTF-8 text without a NUL byte (a CSV, whatever its separator).

    With `complete=False` the bytes are the start of a file and may stop inside a character.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in chunks:
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=complete)
    except UnicodeDecodeError:
        return False
    return True


def describe_content(kind: str) -> str:
    """Words for what a refused file turned out to contain."""
    if kind in FILE_KINDS:
        return _("berkas %(label)s") % {"label": FILE_KINDS[kind].label}
    return {
        "executable": _("berkas program (executable)"),
        "script": _("skrip program"),
        "archive": _("arsip terkompresi (ZIP/RAR)"),
        "gif": _("gambar GIF"),
        "macro_workbook": _("buku kerja Excel bermakro (XLSM)"),
    }.get(kind, _("data yang tidak dikenali"))


def allowed_labels(allowed_types: tuple[str, ...] | list[str]) -> str:
    """`("pdf", "jpeg", "png")` -> "PDF, JPG atau PNG"."""
    labels = [FILE_KINDS[name].label for name in allowed_types]
    if len(labels) == 1:
        return labels[0]
    return _("%(first)s atau %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def kind_from_extension(file_name: str, allowed_types: Collection[str] | None = None) -> str | None:
    """The kind a file's name claims (by extension), None when it claims none we know.

    With `allowed_types`, a name ending in a whole-file kind (.xlsx, .csv) that is not allowed
    claims nothing, so a PDF-only upload words its refusals as it did before spreadsheets existed.
    """
    suffix = PurePosixPath(file_name.replace("\\", "/")).suffix.lower()
    for kind in FILE_KINDS.values():
        if suffix in kind.extensions:
            if allowed_types is not None and kind.name in WHOLE_FILE_KINDS and kind.name not in allowed_types:
                return None
            return kind.name
    return None


def refusal_for_content(
    *, file_name: str, detected: str, allowed_types: tuple[str, ...] | list[str]
) -> str | None:
    """The Indonesian reason to refuse a file whose content is `detected`, or None to accept it."""
    allowed = allowed_labels(allowed_types)
    claimed = kind_from_extension(file_name, allowed_types)
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
