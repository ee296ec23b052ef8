"""Read an uploaded CSV or XLSX sheet into a header and rows; write the rejection report as CSV."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from praja.core.documents.rules import SNIFF_BYTES, candidate_kind, refusal_for_content

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
# The core.documents kinds a sheet may be; the import keeps its file as one of them.
SPREADSHEET_KINDS = ("xlsx", "csv")


def read_table(content: bytes, *, name: str) -> tuple[list, list[list]]:
    """(header, data rows) of the first sheet; refuses unknown formats, empty and oversize files."""
    if len(content) > MAX_BYTES:
        raise ValidationError(_("Berkas lebih dari 10 MB; bagi menjadi beberapa berkas."), code="too_large")
    # The same words as core.documents uses when it keeps the file ("bukan XLSX: isinya berkas CSV").
    kind = candidate_kind(content[:SNIFF_BYTES], allowed_types=SPREADSHEET_KINDS)
    refusal = refusal_for_content(file_name=name, detected=kind, allowed_types=SPREADSHEET_KINDS)
    # Text that is not UTF-8 is left to the CSV reader, whose message says how to save it again.
    if refusal and (kind != "unknown" or name.lower().endswith(".xlsx")):
        raise ValidationError(refusal, code="wrong_type")
    rows = _read_xlsx(content) if kind == "xlsx" else _read_csv(content)
    rows = [row for row in rows if any(str(cell or "").strip() for cell in row)]
    if not rows:
        raise ValidationError(_("Berkas kosong: tidak ada baris judul kolom."), code="empty")
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationError(
            _("Berkas berisi %(count)d baris; paling banyak %(max)d baris per impor.")
            % {"count": len(rows) - 1, "max": MAX_ROWS},
            code="too_many_rows",
        )
    return rows[0], rows[1:]


def _read_csv(content: bytes) -> list[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _('Berkas CSV harus UTF-8; simpan ulang sebagai "CSV UTF-8".'), code="encoding"
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _read_xlsx(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ValidationError(_("Berkas XLSX rusak atau bukan XLSX."), code="bad_xlsx") from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def rows_as_dicts(header: list, rows: Iterable[list], mapping: dict[int, str]) -> Iterable[tuple[int, dict]]:
    """(spreadsheet row number, {canonical key: cell}) with the header on row 1."""
    for offset, row in enumerate(rows, start=2):
        yield offset, {key: (row[index] if index < len(row) else None) for index, key in mapping.items()}


def rejections_csv(rejections, keys: list[str], labels: dict[str, str]) -> str:
    """The rejected rows as CSV: row number, reasons, then the original cells under their labels."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Baris"), _("Alasan"), *[labels[key] for key in keys]])
    for item in rejections:
        writer.writerow(
            [item.row_number, "; ".join(item.reasons), *[item.values.get(key, "") for key in keys]]
        )
    return buffer.getvalue()
