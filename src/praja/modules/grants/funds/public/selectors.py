"""Reads of the public record (no login): recipients, proposals' stages, the yearly report.

Only whitelisted, non-personal fields are ever selected: an organisation's name, or an individual's
name masked ("S*** N***"); the kecamatan, never an address; never a NIK. Each list is a constant
number of queries whatever its length (one for the page, one count, one cached kecamatan map).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Min, OuterRef, Q, Subquery, Sum

from praja.core.calendar.selectors import tenant_timezone
from praja.core.tenancy.context import require_current_tenant
from praja.modules.grants.funds import contract, rules
from praja.modules.grants.funds.models import LpjReport, Tranche, TrancheStatus
from praja.modules.grants.models import Programme, Proposal, ProposalStatus

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

RECIPIENT_FIELDS = (
    "pk",
    "number",
    "title",
    "status",
    "agreed_amount",
    "organisation_id",
    "organisation__name",
    "organisation__area__parent_code",
    "beneficiary__full_name",
    "beneficiary__area__parent_code",
    "applicant__full_name",
    "programme__name",
    "programme__budget_year",
    "programme__kind",
)
STAGE_FIELDS = (
    "pk",
    "number",
    "status",
    "organisation_id",
    "organisation__name",
    "beneficiary__full_name",
    "applicant__full_name",
    "programme__name",
    "programme__budget_year",
    "submitted_at",
    "decided_at",
    "updated_at",
)


class LpjPublicStatus:
    NOT_DUE = "not_due"
    SUBMITTED = "submitted"
    REVISION = "revision"
    OVERDUE = "overdue"
    ACCEPTED = "accepted"
    NOT_APPLICABLE = "not_applicable"


def lpj_status_of(status: str) -> str:
    return {
        ProposalStatus.IN_PROGRESS: LpjPublicStatus.NOT_DUE,
        ProposalStatus.DISBURSING: LpjPublicStatus.NOT_DUE,
        ProposalStatus.NPHD_SIGNED: LpjPublicStatus.NOT_APPLICABLE,
        ProposalStatus.LPJ_SUBMITTED: LpjPublicStatus.SUBMITTED,
        ProposalStatus.LPJ_REJECTED: LpjPublicStatus.REVISION,
        ProposalStatus.LPJ_OVERDUE: LpjPublicStatus.OVERDUE,
        ProposalStatus.CLOSED: LpjPublicStatus.ACCEPTED,
    }.get(status, LpjPublicStatus.NOT_APPLICABLE)


def lpj_status_labels() -> dict[str, str]:
    """LPJ status code -> label in the active language (gettext once per code, not per row)."""
    from django.utils.translation import gettext as _

    return {
        LpjPublicStatus.NOT_DUE: _("Belum jatuh tempo"),
        LpjPublicStatus.SUBMITTED: _("Diserahkan, sedang diperiksa"),
        LpjPublicStatus.REVISION: _("Dikembalikan untuk perbaikan"),
        LpjPublicStatus.OVERDUE: _("Tunggakan LPJ"),
        LpjPublicStatus.ACCEPTED: _("Diterima"),
        LpjPublicStatus.NOT_APPLICABLE: _("Belum dicairkan"),
    }


def lpj_status_label(code: str) -> str:
    return lpj_status_labels()[code]


def public_name(row: dict) -> str:
    """The organisation's name, or the individual's (beneficiary's, else applicant's) name masked."""
    if row.get("organisation_id"):
        return row["organisation__name"]
    return rules.mask_person_name(row.get("beneficiary__full_name") or row.get("applicant__full_name") or "")


def kecamatan_names() -> dict[str, str]:
    """District code -> name of the active tenant's kecamatan (cached an hour)."""
    from praja.core.reference.models import Area, AreaLevel

    tenant = require_current_tenant()
    key = f"praja:grants-public:kecamatan:{tenant.code}"
    names = cache.get(key)
    if names is None:
        names = dict(
            Area.objects.filter(level=AreaLevel.DISTRICT, code__startswith=f"{tenant.code}.").values_list(
                "code", "name"
            )
        )
        cache.set(key, names, 3600)
    return names


@dataclass(frozen=True)
class RecipientFilters:
    year: int | None = None
    programme: str = ""  # programme code
    kecamatan: str = ""  # district code
    lpj: str = ""  # one of LpjPublicStatus
    search: str = ""


_LPJ_FILTER = {
    LpjPublicStatus.NOT_DUE: (ProposalStatus.DISBURSING, ProposalStatus.IN_PROGRESS),
    LpjPublicStatus.SUBMITTED: (ProposalStatus.LPJ_SUBMITTED,),
    LpjPublicStatus.REVISION: (ProposalStatus.LPJ_REJECTED,),
    LpjPublicStatus.OVERDUE: (ProposalStatus.LPJ_OVERDUE,),
    LpjPublicStatus.ACCEPTED: (ProposalStatus.CLOSED,),
    LpjPublicStatus.NOT_APPLICABLE: (ProposalStatus.NPHD_SIGNED,),
}


def recipients_queryset(filters: RecipientFilters = RecipientFilters()):
    """Awarded grants (NPHD signed onwards), newest first, public fields only (no aggregates)."""
    if filters.lpj == BANSOS_LPJ_STATUS:  # only bansos to individuals (no LPJ) were asked for
        return Proposal.objects.none()
    statuses = _LPJ_FILTER.get(filters.lpj, contract.AWARDED_STATUSES)
    queryset = Proposal.objects.filter(status__in=statuses)
    if filters.year:
        queryset = queryset.filter(budget_year=filters.year)
    if filters.programme:
        queryset = queryset.filter(programme__code=filters.programme)
    if filters.kecamatan:
        queryset = queryset.filter(
            Q(organisation__area__parent_code=filters.kecamatan)
            | Q(beneficiary__area__parent_code=filters.kecamatan)
        )
    if filters.search:
        queryset = queryset.filter(
            Q(number__iexact=filters.search) | Q(organisation__name__icontains=filters.search)
        )
    return queryset.order_by("-pk")


def paid_by_proposal(proposal_ids) -> dict[int, tuple[int, datetime.datetime]]:
    """proposal id -> (Σ paid, first payment time), for the given proposals only (one query)."""
    return {
        row["proposal_id"]: (row["total"], row["first"])
        for row in Tranche.objects.filter(proposal_id__in=list(proposal_ids), status=TrancheStatus.PAID)
        .values("proposal_id")
        .annotate(total=Sum("amount"), first=Min("paid_at"))
        .order_by()
    }


def recipient_row(
    row: dict, districts: dict[str, str], zone=None, paid: tuple | None = None, labels: dict | None = None
) -> dict:
    """One recipient as the public sees it (the shape of pages, CSV and JSON)."""
    lpj = lpj_status_of(row["status"])
    district = row.get("organisation__area__parent_code") or row.get("beneficiary__area__parent_code") or ""
    disbursed, first_paid = paid or (0, None)
    return {
        "number": row["number"] or "",
        "recipient": public_name(row),
        "kecamatan": districts.get(district, ""),
        "programme": row["programme__name"],
        "year": row["programme__budget_year"],
        "purpose": row["title"],
        "amount": row["agreed_amount"] or 0,
        "disbursed": disbursed or 0,
        "disbursed_on": first_paid.astimezone(zone or datetime.UTC).date().isoformat()
        if isinstance(first_paid, datetime.datetime)
        else None,
        "lpj_status": lpj,
        "lpj_status_label": (labels or lpj_status_labels())[lpj],
        "proposal_id": row["pk"],
    }


def recipient_rows(rows: list[dict]) -> list[dict]:
    """Public rows of a page of recipients: one grouped query for their payments."""
    paid = paid_by_proposal(row["pk"] for row in rows)
    districts = kecamatan_names()
    zone = tenant_timezone(require_current_tenant())
    labels = lpj_status_labels()
    return [recipient_row(row, districts, zone, paid.get(row["pk"]), labels) for row in rows]


def list_recipients_page(filters: RecipientFilters, *, page: int, page_size: int = PAGE_SIZE):
    """(rows, total count) of one page of recipients: a count, the page, its payments."""
    queryset = recipients_queryset(filters)
    total = cached_count(queryset)
    start = (page - 1) * page_size
    return recipient_rows(page_values(queryset, RECIPIENT_FIELDS, start, start + page_size)), total


def page_values(queryset, fields: tuple[str, ...], start: int, stop: int) -> list[dict]:
    """Rows [start:stop] of `queryset` (ordered by -pk), joined only for the rows of the page.

    A deferred join: OFFSET first skips over bare ids (no joins), then the page's own rows are read
    with their joined fields. Selecting the fields directly made the database join every skipped
    row too (page 40 of a filter: 2,000 organisation/area/programme lookups for 50 rows shown).
    """
    if start == 0:  # nothing to skip: one query is cheaper than two
        return list(queryset.values(*fields)[:stop])
    ids = list(queryset.values_list("pk", flat=True)[start:stop])
    return list(queryset.filter(pk__in=ids).values(*fields)) if ids else []


EXPORT_CHUNK = 2000


def iter_recipients(filters: RecipientFilters = RecipientFilters()) -> Iterator[dict]:
    """Every recipient, newest first, in keyset chunks of 2,000 (two queries per chunk)."""
    queryset = recipients_queryset(filters).values(*RECIPIENT_FIELDS)
    last = None
    while True:
        chunk = list((queryset.filter(pk__lt=last) if last is not None else queryset)[:EXPORT_CHUNK])
        if not chunk:
            return
        yield from recipient_rows(chunk)
        last = chunk[-1]["pk"]


COUNT_SECONDS = 60


def cached_count(queryset) -> int:
    """The row count of a public list, cached a minute per tenant and query (public data; counting
    200,000 grants on every page view is the dominant cost of the page)."""
    import hashlib

    from django.core.exceptions import EmptyResultSet

    tenant = require_current_tenant()
    try:
        sql = str(queryset.query)
    except EmptyResultSet:  # a filter that can match nothing (queryset.none())
        return 0
    digest = hashlib.sha256(sql.encode()).hexdigest()[:32]
    key = f"praja:grants-public:count:{tenant.pk}:{digest}"
    total = cache.get(key)
    if total is None:
        total = queryset.count()
        cache.set(key, total, COUNT_SECONDS)
    return total


class PagedRows:
    """A list a paginator can page: counts without the joins of the selected fields, slices rows."""

    def __init__(self, queryset, fields: tuple[str, ...]) -> None:
        self.queryset = queryset
        self.fields = fields

    def count(self) -> int:
        return cached_count(self.queryset)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        return list(self.queryset.values(*self.fields)[key])


class AllRecipientRows:
    """Every public recipient for a paginator: awarded proposals first, then bansos cases to
    individuals (the order of the CSV and JSON downloads). Both counts are cached; a page reads only
    the part(s) it spans, and returns the public rows (masked names, no NIK, KK or address)."""

    def __init__(self, filters: RecipientFilters) -> None:
        self.proposals = recipients_queryset(filters)
        self.bansos = bansos_recipients_queryset(filters)
        self._counts: tuple[int, int] | None = None

    def counts(self) -> tuple[int, int]:
        if self._counts is None:
            self._counts = (cached_count(self.proposals), cached_count(self.bansos))
        return self._counts

    def count(self) -> int:
        return sum(self.counts())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            raise TypeError("AllRecipientRows pages by slice only")
        proposals_total, _bansos_total = self.counts()
        start, stop = key.start or 0, key.stop if key.stop is not None else self.count()
        rows = []
        if start < proposals_total:
            rows += recipient_rows(
                list(self.proposals.values(*RECIPIENT_FIELDS)[start : min(stop, proposals_total)])
            )
        if stop > proposals_total:
            first = max(start - proposals_total, 0)
            rows += bansos_rows(list(self.bansos.values(*BANSOS_FIELDS)[first : stop - proposals_total]))
        return rows


def stages_queryset(*, year: int | None = None, search: str = ""):
    queryset = Proposal.objects.exclude(status=ProposalStatus.DRAFT)
    if year:
        queryset = queryset.filter(budget_year=year)
    if search:
        queryset = queryset.filter(Q(number__iexact=search) | Q(organisation__name__icontains=search))
    return queryset.order_by("-pk")


def stage_row(row: dict, labels: dict | None = None) -> dict:
    return {
        "number": row["number"] or "",
        "recipient": public_name(row),
        "programme": row["programme__name"],
        "year": row["programme__budget_year"],
        "stage": row["status"],
        "stage_label": (labels or stage_labels())[row["status"]],
        "submitted_at": row["submitted_at"],
        "decided_at": row["decided_at"],
        "updated_at": row["updated_at"],
    }


def stage_labels() -> dict[str, str]:
    return {value: str(label) for value, label in ProposalStatus.choices}


def stage_rows(rows) -> list[dict]:
    labels = stage_labels()
    return [stage_row(row, labels) for row in rows]


def list_stages_page(*, year: int | None, search: str, page: int, page_size: int = PAGE_SIZE):
    queryset = stages_queryset(year=year, search=search)
    total = cached_count(queryset)
    start = (page - 1) * page_size
    return stage_rows(queryset.values(*STAGE_FIELDS)[start : start + page_size]), total


def get_public_grant(proposal_id: int) -> dict | None:
    """One awarded grant's public record (for its page and the complaint form)."""
    row = recipients_queryset().filter(pk=proposal_id).values(*RECIPIENT_FIELDS).first()
    return recipient_rows([row])[0] if row else None


# --- yearly report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeReport:
    code: str
    name: str
    kind: str
    budget: int
    disbursed: int
    disbursed_percent: float | None
    recipients_awarded: int
    recipients_paid: int
    recipients_reported: int
    value_reported: int
    compliance_percent: float | None
    # Of recipients_paid: those bound to an LPJ (proposals), and bansos individuals (no LPJ).
    recipients_owing_lpj: int = 0
    individuals_paid: int = 0


@dataclass(frozen=True)
class OfficeCompliance:
    office: str
    recipients_paid: int
    recipients_reported: int
    compliance_percent: float | None


@dataclass(frozen=True)
class YearReport:
    year: int
    programmes: list[ProgrammeReport]
    offices: list[OfficeCompliance]
    budget: int
    disbursed: int
    disbursed_percent: float | None
    recipients_paid: int
    recipients_reported: int
    value_reported: int
    compliance_percent: float | None
    recipients_owing_lpj: int = 0
    individuals_paid: int = 0


REPORTED_STATUSES = (ProposalStatus.LPJ_SUBMITTED, ProposalStatus.CLOSED)


def list_report_years() -> list[int]:
    return sorted(set(Programme.objects.values_list("budget_year", flat=True)), reverse=True)


def yearly_report(year: int) -> YearReport:
    """Budget, disbursed Rp and %, recipients paid / reported, value reported, LPJ compliance.

    "Reported" counts grants whose LPJ is submitted or accepted; value reported sums the latest
    LPJ of each of them. Bansos cases to individuals count as awarded (in an approved decree) and
    paid (disbursed) with their amount, but owe no LPJ: LPJ compliance is reported over the
    recipients who owe one, and is "–" for a programme of individuals only. Six grouped queries
    whatever the number of grants.
    """
    programmes = list(
        Programme.objects.filter(budget_year=year)
        .order_by("name")
        .values("pk", "code", "name", "kind", "envelope")
    )
    paid = {
        row["programme_id"]: row
        for row in Tranche.objects.filter(programme__budget_year=year, status=TrancheStatus.PAID)
        .values("programme_id")
        .annotate(total=Sum("amount"), recipients=Count("proposal_id", distinct=True))
        .order_by()
    }
    awarded = {
        row["programme_id"]: row
        for row in Proposal.objects.filter(programme__budget_year=year, status__in=contract.AWARDED_STATUSES)
        .values("programme_id")
        .annotate(
            awarded=Count("pk"),
            reported=Count("pk", filter=Q(status__in=REPORTED_STATUSES)),
        )
        .order_by()
    }
    latest = (
        LpjReport.objects.filter(proposal_id=OuterRef("proposal_id"))
        .order_by("-revision")
        .values("revision")[:1]
    )
    value = {
        row["proposal__programme_id"]: row["total"]
        for row in LpjReport.objects.filter(
            proposal__programme__budget_year=year,
            proposal__status__in=REPORTED_STATUSES,
            revision=Subquery(latest),
        )
        .values("proposal__programme_id")
        .annotate(total=Sum("value_reported"))
        .order_by()
    }
    individuals = _bansos_by_programme(year)
    rows = []
    for programme in programmes:
        pk = programme["pk"]
        owing = (paid.get(pk) or {}).get("recipients") or 0
        cases = individuals.get(pk) or {}
        individuals_paid = cases.get("paid") or 0
        disbursed = ((paid.get(pk) or {}).get("total") or 0) + (cases.get("paid_amount") or 0)
        reported = (awarded.get(pk) or {}).get("reported") or 0
        rows.append(
            ProgrammeReport(
                code=programme["code"],
                name=programme["name"],
                kind=programme["kind"],
                budget=programme["envelope"],
                disbursed=disbursed,
                disbursed_percent=rules.compliance_percent(disbursed, programme["envelope"]),
                recipients_awarded=((awarded.get(pk) or {}).get("awarded") or 0)
                + (cases.get("awarded") or 0),
                recipients_paid=owing + individuals_paid,
                recipients_reported=reported,
                value_reported=value.get(pk) or 0,
                compliance_percent=rules.compliance_percent(reported, owing),
                recipients_owing_lpj=owing,
                individuals_paid=individuals_paid,
            )
        )
    offices = _office_compliance(year)
    budget = sum(row.budget for row in rows)
    disbursed = sum(row.disbursed for row in rows)
    recipients_paid = sum(row.recipients_paid for row in rows)
    owing = sum(row.recipients_owing_lpj for row in rows)
    reported = sum(row.recipients_reported for row in rows)
    return YearReport(
        year=year,
        programmes=rows,
        offices=offices,
        budget=budget,
        disbursed=disbursed,
        disbursed_percent=rules.compliance_percent(disbursed, budget),
        recipients_paid=recipients_paid,
        recipients_reported=reported,
        value_reported=sum(row.value_reported for row in rows),
        compliance_percent=rules.compliance_percent(reported, owing),
        recipients_owing_lpj=owing,
        individuals_paid=sum(row.individuals_paid for row in rows),
    )


def _bansos_by_programme(year: int) -> dict[int, dict]:
    """programme id -> bansos cases to individuals in a decree or later (awarded), disbursed ones
    (paid) and their amount: one grouped query."""
    from praja.modules.grants.models import BansosCase, BansosStatus

    paid = Q(status__in=(BansosStatus.DISBURSED, BansosStatus.CLOSED))
    return {
        row["programme_id"]: row
        for row in BansosCase.objects.filter(programme__budget_year=year, status__in=bansos_public_statuses())
        .values("programme_id")
        .annotate(awarded=Count("pk"), paid=Count("pk", filter=paid), paid_amount=Sum("amount", filter=paid))
        .order_by()
    }


REPORT_SECONDS = 300


def cached_yearly_report(year: int) -> YearReport:
    """yearly_report(year), cached five minutes per tenant (grouped scans of every grant)."""
    tenant = require_current_tenant()
    key = f"praja:grants-public:report:{tenant.pk}:{year}"
    report = cache.get(key)
    if report is None:
        report = yearly_report(year)
        cache.set(key, report, REPORT_SECONDS)
    return report


def _office_compliance(year: int) -> list[OfficeCompliance]:
    """LPJ compliance per supervising office (SKPD pembina, else the programme's managing office)."""
    from django.utils.translation import gettext as _

    paid_ids = Tranche.objects.filter(programme__budget_year=year, status=TrancheStatus.PAID).values(
        "proposal_id"
    )
    rows = (
        Proposal.objects.filter(pk__in=paid_ids)
        .values("organisation__supervising_org_unit__name", "programme__managing_org_unit__name")
        .annotate(paid=Count("pk"), reported=Count("pk", filter=Q(status__in=REPORTED_STATUSES)))
        .order_by()
    )
    merged: dict[str, list[int]] = {}
    for row in rows:
        office = (
            row["organisation__supervising_org_unit__name"]
            or row["programme__managing_org_unit__name"]
            or _("Tanpa perangkat daerah pembina")
        )
        totals = merged.setdefault(office, [0, 0])
        totals[0] += row["paid"]
        totals[1] += row["reported"]
    return [
        OfficeCompliance(office, paid, reported, rules.compliance_percent(reported, paid))
        for office, (paid, reported) in sorted(merged.items())
    ]


# --- bansos to individuals (grants.BansosCase) ------------------------------------------------------

BANSOS_PAGE_PARAM = "halaman_bansos"
BANSOS_LPJ_STATUS = "bansos"
BANSOS_FIELDS = (
    "pk",
    "number",
    "recipient_name",
    "beneficiary__area__parent_code",
    "amount",
    "status",
    "programme__name",
    "programme__budget_year",
    "disbursed_at",
)


def bansos_public_statuses() -> tuple[str, ...]:
    """A bansos case is public once it is in an approved decree (then disbursed, closed)."""
    from praja.modules.grants.models import BansosStatus

    return (BansosStatus.IN_DECREE, BansosStatus.DISBURSED, BansosStatus.CLOSED)


def bansos_recipients_queryset(filters: RecipientFilters = RecipientFilters()):
    """Bansos cases to individuals in a decree or later, newest first; the disbursement time is the
    first "disbursed" event of the case's workflow (a correlated subquery, no extra query)."""
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from praja.core.workflow.models import CaseEvent
    from praja.modules.grants.models import BansosCase, BansosStatus

    queryset = BansosCase.objects.filter(status__in=bansos_public_statuses())
    if filters.lpj and filters.lpj != BANSOS_LPJ_STATUS:
        # LPJ states belong to hibah proposals; bansos to individuals have none
        queryset = queryset.none()
    if filters.year:
        queryset = queryset.filter(programme__budget_year=filters.year)
    if filters.programme:
        queryset = queryset.filter(programme__code=filters.programme)
    if filters.kecamatan:
        queryset = queryset.filter(beneficiary__area__parent_code=filters.kecamatan)
    if filters.search:
        queryset = queryset.filter(number__iexact=filters.search)
    first_disbursed = (
        CaseEvent.objects.filter(
            content_type__app_label=BansosCase._meta.app_label,
            content_type__model=BansosCase._meta.model_name,
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
            to_status=BansosStatus.DISBURSED,
        )
        .order_by("occurred_at")
        .values("occurred_at")[:1]
    )
    return queryset.annotate(disbursed_at=Subquery(first_disbursed)).order_by("-pk")


def bansos_row(row: dict, districts: dict[str, str], zone=None, label: str = "") -> dict:
    """One bansos recipient as the public sees it: masked name, kecamatan; never NIK, KK or address."""
    from praja.modules.grants.models import BansosStatus

    disbursed_at = row["disbursed_at"]
    paid = row["status"] in (BansosStatus.DISBURSED, BansosStatus.CLOSED)
    return {
        "number": row["number"],
        "recipient": rules.mask_person_name(row["recipient_name"] or ""),
        "kecamatan": districts.get(row.get("beneficiary__area__parent_code") or "", ""),
        "programme": row["programme__name"],
        "year": row["programme__budget_year"],
        "purpose": row["programme__name"],
        "amount": row["amount"],
        "disbursed": row["amount"] if paid else 0,
        "disbursed_on": disbursed_at.astimezone(zone or datetime.UTC).date().isoformat()
        if isinstance(disbursed_at, datetime.datetime)
        else None,
        "lpj_status": BANSOS_LPJ_STATUS,
        "lpj_status_label": label,
        "proposal_id": None,
    }


def bansos_label() -> str:
    from django.utils.translation import gettext as _

    return _("Bansos perorangan (tanpa LPJ)")


def bansos_rows(rows: list[dict]) -> list[dict]:
    districts = kecamatan_names()
    zone = tenant_timezone(require_current_tenant())
    label = bansos_label()
    return [bansos_row(row, districts, zone, label) for row in rows]


def list_bansos_page(filters: RecipientFilters, *, page: int, page_size: int = PAGE_SIZE):
    """(rows, total) of one page of bansos recipients in ONE query (the total is a window count)."""
    from django.db.models import Window

    queryset = bansos_recipients_queryset(filters).annotate(total=Window(Count("pk")))
    start = (page - 1) * page_size
    raw = list(queryset.values(*BANSOS_FIELDS, "total")[start : start + page_size])
    total = raw[0]["total"] if raw else 0
    return bansos_rows(raw), total


def iter_bansos_recipients(filters: RecipientFilters = RecipientFilters()) -> Iterator[dict]:
    """Every public bansos recipient, newest first, in keyset chunks (one query per chunk)."""
    queryset = bansos_recipients_queryset(filters).values(*BANSOS_FIELDS)
    last = None
    while True:
        chunk = list((queryset.filter(pk__lt=last) if last is not None else queryset)[:EXPORT_CHUNK])
        if not chunk:
            return
        yield from bansos_rows(chunk)
        last = chunk[-1]["pk"]
