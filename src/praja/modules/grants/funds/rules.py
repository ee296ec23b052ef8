"""Pure rules of grant money and accountability: amounts, deadlines, masking, CSV files.

No database access and no request here; actions call these under their locks.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Permendagri 32/2011 (as amended by 39/2012, 14/2016, 123/2018, 99/2019) Pasal 16/17: a grant is
# disbursed after the NPHD is signed, by LS to the recipient's bank account; the amount is the one
# agreed in the NPHD.
REGULATION_DISBURSEMENT = "Permendagri 32/2011 Pasal 16–17 s.t.d.t.d. Permendagri 99/2019"
# Pasal 19–20: the accountability report is due by 10 January of the following year; a recipient
# who does not account for the grant returns it to the kas daerah and is excluded from new grants.
REGULATION_ACCOUNTABILITY = "Permendagri 32/2011 Pasal 19–20 s.t.d.t.d. Permendagri 99/2019"

LPJ_DUE_MONTH = 1
LPJ_DUE_DAY = 10

TRANSFER_CSV_HEADER = ("nama_penerima", "bank", "nomor_rekening", "jumlah", "referensi", "uraian")
CONFIRMATION_CSV_HEADER = ("referensi", "nomor_sp2d", "tanggal_sp2d", "referensi_bank")


def format_rupiah(amount: int) -> str:
    """1500000 -> "Rp1.500.000" (Indonesian thousands separator, whole Rupiah)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(int(amount)):,}".replace(",", ".")


def default_lpj_due_date(budget_year: int) -> datetime.date:
    """The LPJ of a grant budgeted in `budget_year` is due on 10 January of the next year."""
    return datetime.date(budget_year + 1, LPJ_DUE_MONTH, LPJ_DUE_DAY)


def is_lpj_overdue(due_date: datetime.date, today: datetime.date) -> bool:
    """Overdue from the day after the due date (the due date itself is still on time)."""
    return today > due_date


def mask_person_name(name: str) -> str:
    """An individual's name as the public sees it: "Siti Nurhaliza" -> "S*** N***"."""
    words = [word for word in re.split(r"\s+", name.strip()) if word]
    return " ".join(f"{word[0].upper()}***" for word in words) or "***"


def refuse_tranche_amount(*, amount: int, agreed: int, already_requested: int) -> str | None:
    """Why a tranche of `amount` may not be requested, or None (Σ tranches ≤ NPHD amount)."""
    if amount <= 0:
        return _("Jumlah tahap harus lebih dari Rp0.")
    if already_requested + amount > agreed:
        return _(
            "Jumlah tahap %(amount)s melebihi sisa nilai NPHD %(left)s (nilai NPHD %(agreed)s). "
            "Jumlah seluruh tahap tidak boleh melebihi nilai yang disepakati dalam NPHD (%(regulation)s)."
        ) % {
            "amount": format_rupiah(amount),
            "left": format_rupiah(max(agreed - already_requested, 0)),
            "agreed": format_rupiah(agreed),
            "regulation": REGULATION_DISBURSEMENT,
        }
    return None


def refuse_envelope(*, amount: int, envelope: int, committed: int) -> str | None:
    """Why paying `amount` would exceed the programme's envelope (pagu), or None."""
    if committed + amount > envelope:
        return _(
            "Pencairan %(amount)s melebihi sisa pagu program %(left)s (pagu %(envelope)s). "
            "Realisasi hibah tidak boleh melebihi anggaran dalam APBD (%(regulation)s)."
        ) % {
            "amount": format_rupiah(amount),
            "left": format_rupiah(max(envelope - committed, 0)),
            "envelope": format_rupiah(envelope),
            "regulation": REGULATION_DISBURSEMENT,
        }
    return None


def nphd_not_signed_message() -> str:
    return _("Hibah baru dapat dicairkan setelah NPHD ditandatangani kedua pihak (%(regulation)s).") % {
        "regulation": REGULATION_DISBURSEMENT
    }


def no_verified_account_message() -> str:
    return _(
        "Lembaga belum memiliki rekening bank atas nama lembaga yang terverifikasi. Hibah uang "
        "hanya dibayar LS ke rekening penerima (%(regulation)s)."
    ) % {"regulation": REGULATION_DISBURSEMENT}


def transfer_reference(*, proposal_number: str, tranche_number: int) -> str:
    """The bank transfer's reference: the proposal's number and the tahap ("HBH-2026-000001/T1")."""
    return f"{proposal_number}/T{tranche_number}"[:40]


def transfer_description(*, proposal_number: str, tranche_number: int) -> str:
    return _("Hibah %(number)s tahap %(tranche)s") % {"number": proposal_number, "tranche": tranche_number}


@dataclass(frozen=True)
class TransferLine:
    beneficiary_name: str
    bank_name: str
    account_number: str
    amount: int
    reference: str
    description: str


def _safe_cell(value: str) -> str:
    # A cell starting with = + - @ would run as a formula when the office opens the file in a
    # spreadsheet; a leading apostrophe keeps it text.
    text = str(value).replace("\r", " ").replace("\n", " ")
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def render_transfer_csv(lines: list[TransferLine]) -> str:
    """The bank batch file: a header row, then one row per transfer, amounts in whole Rupiah."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TRANSFER_CSV_HEADER)
    for line in lines:
        writer.writerow(
            [
                _safe_cell(line.beneficiary_name),
                _safe_cell(line.bank_name),
                line.account_number,
                str(line.amount),
                _safe_cell(line.reference),
                _safe_cell(line.description),
            ]
        )
    return out.getvalue()


@dataclass(frozen=True)
class ConfirmationLine:
    row: int
    reference: str
    sp2d_number: str
    sp2d_date: datetime.date
    bank_reference: str


class ConfirmationFileError(ValueError):
    """The bank's confirmation file cannot be read; `problems` lists each bad row in Indonesian."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_confirmation_csv(text: str) -> list[ConfirmationLine]:
    """Read the bank's confirmation CSV (referensi, nomor_sp2d, tanggal_sp2d YYYY-MM-DD, referensi_bank).

    Raises ConfirmationFileError naming every bad row; nothing is applied from a bad file.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows = list(reader)
    if not rows or tuple(cell.strip().lower() for cell in rows[0]) != CONFIRMATION_CSV_HEADER:
        raise ConfirmationFileError(
            [_("Baris judul harus: %(header)s.") % {"header": ",".join(CONFIRMATION_CSV_HEADER)}]
        )
    lines: list[ConfirmationLine] = []
    problems: list[str] = []
    seen: set[str] = set()
    for index, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(CONFIRMATION_CSV_HEADER):
            problems.append(_("Baris %(row)s: harus berisi 4 kolom.") % {"row": index})
            continue
        reference, sp2d_number, sp2d_date, bank_reference = (cell.strip() for cell in row)
        if not reference or not sp2d_number:
            problems.append(_("Baris %(row)s: referensi dan nomor SP2D wajib diisi.") % {"row": index})
            continue
        try:
            day = datetime.date.fromisoformat(sp2d_date)
        except ValueError:
            problems.append(
                _("Baris %(row)s: tanggal SP2D '%(value)s' harus berformat TTTT-BB-HH.")
                % {"row": index, "value": sp2d_date}
            )
            continue
        if reference in seen:
            problems.append(
                _("Baris %(row)s: referensi %(reference)s ganda.") % {"row": index, "reference": reference}
            )
            continue
        seen.add(reference)
        lines.append(ConfirmationLine(index, reference, sp2d_number, day, bank_reference))
    if problems:
        raise ConfirmationFileError(problems)
    if not lines:
        raise ConfirmationFileError([_("Berkas konfirmasi tidak berisi baris pembayaran.")])
    return lines


def compliance_percent(part: int, whole: int) -> float | None:
    """part/whole as a percentage with one decimal, None when there is nothing to compare."""
    if whole <= 0:
        return None
    return round(part * 100 / whole, 1)
