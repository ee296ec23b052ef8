"""The TPP list per perangkat daerah: a signed official PDF and an XLSX for the payroll (SPP-LS) step.

Both come from a locked close only (the payroll file is generated, never edited by hand; §6.9).
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import override

from praja.core.documents.actions import render_official_pdf
from praja.core.documents.models import OfficialDocument
from praja.modules.performance.tpp import rules
from praja.modules.performance.tpp.models import EmployeeMonthResult

DOCUMENT_TYPE = "performance_tpp.tpp_list"
TEMPLATE = "performance_tpp/pdf/tpp_list.html"


def unit_rows(close, org_unit_id: int) -> list[EmployeeMonthResult]:
    return list(
        EmployeeMonthResult.objects.filter(close=close, org_unit_id=org_unit_id).order_by(
            "-job_class", "employee_name", "pk"
        )
    )


def totals(rows) -> dict[str, int]:
    return {
        "ceiling": sum(row.ceiling for row in rows),
        "kinerja": sum(row.kinerja_part for row in rows),
        "disiplin": sum(row.disiplin_part for row in rows),
        "gross": sum(row.gross for row in rows),
        "withheld": sum(row.ceiling - row.gross for row in rows),
    }


def list_title(close, unit_name: str) -> str:
    from praja.modules.performance.tpp.selectors import month_label

    return _("Daftar TPP %(unit)s %(month)s") % {"unit": unit_name, "month": month_label(close.month)}


def find_unit_pdf(close, org_unit) -> OfficialDocument | None:
    from django.contrib.contenttypes.models import ContentType

    return (
        OfficialDocument.objects.filter(
            document_type=DOCUMENT_TYPE,
            case_content_type=ContentType.objects.get_for_model(close),
            case_object_id=str(close.pk),
            title=list_title(close, org_unit.name),
        )
        .order_by("-issued_at")
        .first()
    )


def render_unit_pdf(close, org_unit, *, actor) -> OfficialDocument:
    """Render and sign the unit's TPP list (called by actions.issue_tpp_list after its checks)."""
    from praja.modules.performance.tpp.selectors import month_label

    tenant = close.tenant
    rows = unit_rows(close, org_unit.pk)
    with override("id"):
        sums = totals(rows)
        for row in rows:
            row.ceiling_text = rules.format_rupiah(row.ceiling)
            row.kinerja_text = rules.format_rupiah(row.kinerja_part)
            row.disiplin_text = rules.format_rupiah(row.disiplin_part)
            row.gross_text = rules.format_rupiah(row.gross)
            row.withheld_text = rules.format_rupiah(row.ceiling - row.gross)
            row.productivity_text = rules.format_percent(row.productivity_percent)
            row.discipline_text = rules.format_percent(row.discipline_percent)
        context = {
            "close": close,
            "rows": rows,
            "totals": {key: rules.format_rupiah(value) for key, value in sums.items()},
            "unit_name": org_unit.name,
            "month_label": month_label(close.month),
            "config_version": close.config_version,
            "place": tenant.name.replace("Kota ", "").replace("Kabupaten ", ""),
            "signatory_title": _("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"),
            "signatory_name": str(actor),
            "signatory_nip": getattr(actor, "nip", "") or "",
        }
        title = list_title(close, org_unit.name)
    return render_official_pdf(
        tenant=tenant,
        template_name=TEMPLATE,
        context=context,
        title=title,
        document_type=DOCUMENT_TYPE,
        case=close,
        actor=actor,
        required_permission=None,
    )


XLSX_HEADERS = (
    "No",
    "Nama",
    "NIP",
    "Perangkat daerah",
    "Kelas jabatan",
    "Jenis kepegawaian",
    "Status",
    "Pagu TPP",
    "Produktivitas (%)",
    "Disiplin (%)",
    "Bagian kinerja",
    "Bagian disiplin",
    "TPP bruto",
    "Tidak dibayarkan",
    "Rincian tidak dibayarkan",
)


def results_xlsx(rows, *, title: str) -> bytes:
    """One sheet: the rows, then a totals line (amounts as integer Rupiah cells)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = "TPP"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    sheet.append(list(XLSX_HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    count = 0
    sums = {"ceiling": 0, "kinerja": 0, "disiplin": 0, "gross": 0}
    for count, row in enumerate(rows, start=1):
        sums["ceiling"] += row.ceiling
        sums["kinerja"] += row.kinerja_part
        sums["disiplin"] += row.disiplin_part
        sums["gross"] += row.gross
        sheet.append(
            [
                count,
                row.employee_name,
                row.nip,
                row.org_unit.name,
                row.job_class,
                row.employment_type.upper(),
                row.pay_status,
                row.ceiling,
                float(row.productivity_percent),
                float(row.discipline_percent),
                row.kinerja_part,
                row.disiplin_part,
                row.gross,
                row.ceiling - row.gross,
                "; ".join(item["reason"] for item in row.withheld),
            ]
        )
    if count:
        last = count + 2
        # Values, not formulas: the payroll import reads what the close computed.
        sheet.append(
            [
                "",
                "Jumlah",
                "",
                "",
                "",
                "",
                "",
                sums["ceiling"],
                "",
                "",
                sums["kinerja"],
                sums["disiplin"],
                sums["gross"],
                sums["ceiling"] - sums["gross"],
                "",
            ]
        )
        for cell in sheet[last + 1]:
            cell.font = Font(bold=True)
    for column, width in zip(
        "ABCDEFGHIJKLMNO", (5, 30, 20, 30, 8, 10, 14, 14, 10, 10, 14, 14, 14, 14, 80), strict=True
    ):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
