"""Streamed CSV and JSON of the public recipient list (no personal data, all rows), and the yearly
report as CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django.http import HttpResponse, StreamingHttpResponse

from praja.core.tenancy.context import require_current_tenant, use_tenant
from praja.modules.grants.funds.public import selectors

CSV_COLUMNS = (
    ("number", "nomor"),
    ("recipient", "penerima"),
    ("kecamatan", "kecamatan"),
    ("programme", "program"),
    ("year", "tahun"),
    ("purpose", "peruntukan"),
    ("amount", "nilai_hibah"),
    ("disbursed", "dicairkan"),
    ("disbursed_on", "tanggal_pencairan"),
    ("lpj_status", "status_lpj"),
)
JSON_KEYS = (
    "number",
    "recipient",
    "kecamatan",
    "programme",
    "year",
    "purpose",
    "amount",
    "disbursed",
    "disbursed_on",
    "lpj_status",
    "lpj_status_label",
)


def _all_rows(filters: selectors.RecipientFilters) -> Iterator[dict]:
    """Hibah/bansos proposals first, then bansos cases to individuals (same public columns)."""
    yield from selectors.iter_recipients(filters)
    yield from selectors.iter_bansos_recipients(filters)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def iter_csv(filters: selectors.RecipientFilters) -> Iterator[str]:
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([label for _key, label in CSV_COLUMNS])
    for row in _all_rows(filters):
        yield writer.writerow([_csv_cell(row[key]) for key, _label in CSV_COLUMNS])


def iter_json(filters: selectors.RecipientFilters) -> Iterator[str]:
    yield '{"recipients": ['
    first = True
    for row in _all_rows(filters):
        item = json.dumps({key: row[key] for key in JSON_KEYS}, ensure_ascii=False, separators=(",", ":"))
        yield item if first else "," + item
        first = False
    yield "]}"


def _in_tenant(tenant, chunks: Iterator[str]) -> Iterator[str]:
    # The response is iterated after the view returned (and the middleware left the tenant).
    with use_tenant(tenant):
        yield from chunks


def csv_response(filters: selectors.RecipientFilters, filename: str) -> StreamingHttpResponse:
    tenant = require_current_tenant()
    response = StreamingHttpResponse(
        _in_tenant(tenant, iter_csv(filters)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_response(filters: selectors.RecipientFilters) -> StreamingHttpResponse:
    tenant = require_current_tenant()
    return StreamingHttpResponse(
        _in_tenant(tenant, iter_json(filters)), content_type="application/json; charset=utf-8"
    )


REPORT_COLUMNS = (
    "bagian",
    "nama",
    "anggaran",
    "realisasi",
    "persen_realisasi",
    "penerima_dicairkan",
    "bansos_perorangan",
    "wajib_lpj",
    "menyerahkan_lpj",
    "nilai_lpj",
    "persen_kepatuhan_lpj",
)


def _percent_cell(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def report_csv_response(report: selectors.YearReport, filename: str) -> HttpResponse:
    """The yearly report as one table: a row per programme, one for the year, one per office.

    `bagian` says which (program / total / perangkat_daerah); a figure that does not apply to a
    row is empty, and a percentage with no base (no budget, nobody owing an LPJ) too.
    """
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, lineterminator="\r\n")
    writer.writerow(REPORT_COLUMNS)
    for row in report.programmes:
        writer.writerow(
            [
                "program",
                _csv_cell(row.name),
                row.budget,
                row.disbursed,
                _percent_cell(row.disbursed_percent),
                row.recipients_paid,
                row.individuals_paid,
                row.recipients_owing_lpj,
                row.recipients_reported,
                row.value_reported,
                _percent_cell(row.compliance_percent if row.recipients_owing_lpj else None),
            ]
        )
    writer.writerow(
        [
            "total",
            report.year,
            report.budget,
            report.disbursed,
            _percent_cell(report.disbursed_percent),
            report.recipients_paid,
            report.individuals_paid,
            report.recipients_owing_lpj,
            report.recipients_reported,
            report.value_reported,
            _percent_cell(report.compliance_percent if report.recipients_owing_lpj else None),
        ]
    )
    for office in report.offices:
        writer.writerow(
            [
                "perangkat_daerah",
                _csv_cell(office.office),
                "",
                "",
                "",
                office.recipients_paid,
                "",
                office.recipients_paid,
                office.recipients_reported,
                "",
                _percent_cell(office.compliance_percent),
            ]
        )
    return response
