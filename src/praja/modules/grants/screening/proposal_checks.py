"""Screening of grant proposals and of a beneficiary's aid history (reads G1's models, raises flags).

Called by `actions.screen_proposal` / `actions.screen_beneficiary` inside their transaction. Each
check reads the other records sharing a key (board member NIK, bank account, phone, address,
document hash, beneficiary NIK/KK) across applicants, programmes and years of the active tenant,
and raises one deduplicated flag naming them.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext as _

from praja.modules.grants import selectors as grants_selectors
from praja.modules.grants.models import (
    BankAccount,
    BansosCase,
    BansosStatus,
    BoardMember,
    Organisation,
    OrganisationDocument,
    Proposal,
    ProposalDocument,
    ProposalPhoto,
    ProposalStatus,
)
from praja.modules.grants.screening import matching, rules
from praja.modules.grants.screening.models import Beneficiary, Flag, FlagKind, FlagSeverity

INACTIVE_PROPOSAL = (ProposalStatus.DRAFT, ProposalStatus.CANCELLED)
INACTIVE_BANSOS = (BansosStatus.CANCELLED,)


def _records(label: str, ids) -> list[str]:
    return [f"{label}:{pk}" for pk in sorted(set(ids))]


def _names(items, limit: int = 5) -> str:
    items = list(items)
    text = ", ".join(str(item) for item in items[:limit])
    return text + (_(" dan %(count)d lainnya") % {"count": len(items) - limit} if len(items) > limit else "")


def _other_proposals(proposal: Proposal):
    return Proposal.objects.exclude(pk=proposal.pk).exclude(status__in=INACTIVE_PROPOSAL)


# --- Organisation (hibah) ------------------------------------------------------------------------------


def _board_member_flags(proposal, organisation, raise_flag, actor) -> list[Flag]:
    flags = []
    members = list(organisation.board_members.all())
    others = defaultdict(list)
    for row in (
        BoardMember.objects.filter(nik__in=[m.nik for m in members])
        .exclude(organisation=organisation)
        .select_related("organisation")
    ):
        others[row.nik].append(row.organisation)
    for member in members:
        if not others[member.nik]:
            continue
        orgs = others[member.nik]
        flags.append(
            raise_flag(
                kind=FlagKind.DUPLICATE_BOARD_MEMBER,
                subject=proposal,
                severity=FlagSeverity.MEDIUM,
                explanation=_(
                    "Pengurus %(name)s (NIK %(nik)s, %(role)s) juga tercatat sebagai pengurus %(orgs)s."
                )
                % {
                    "name": member.full_name,
                    "nik": member.nik,
                    "role": member.get_role_display(),
                    "orgs": _names(org.name for org in orgs),
                },
                evidence={
                    "records": _records("grants.organisation", (org.pk for org in orgs)),
                    "nik": member.nik,
                    "organisations": [{"id": org.pk, "name": org.name} for org in orgs],
                },
                actor=actor,
                dedup_extra=member.nik,
            )
        )
    return flags


def _aid_of_niks(niks) -> dict[str, list]:
    """Active bansos cases and individual aid proposals of the beneficiaries with these NIKs."""
    aid = defaultdict(list)
    for case in (
        BansosCase.objects.filter(beneficiary__nik__in=niks)
        .exclude(status__in=INACTIVE_BANSOS)
        .select_related("programme", "beneficiary")
        .order_by("programme__budget_year", "pk")
    ):
        aid[case.beneficiary.nik].append(case)
    for item in (
        Proposal.objects.filter(beneficiary__nik__in=niks)
        .exclude(status__in=INACTIVE_PROPOSAL)
        .select_related("programme", "beneficiary")
        .order_by("programme__budget_year", "pk")
    ):
        aid[item.beneficiary.nik].append(item)
    return aid


def _aid_label(item) -> str:
    return f"{item.programme.name} {item.programme.budget_year}"


def _board_member_bansos_flags(proposal, organisation, raise_flag, actor) -> list[Flag]:
    """A board member of the applying organisation who also receives bansos (by NIK).

    Bansos is for people at social risk; a board member of an organisation that receives hibah is
    a pattern of its own (aid routed to the organisation's circle). Same budget year: high;
    another year: medium (the official judges whether the social risk was real then).
    """
    members = list(organisation.board_members.all())
    aid = _aid_of_niks([m.nik for m in members])
    flags = []
    for member in members:
        items = aid.get(member.nik)
        if not items:
            continue
        years = sorted({item.programme.budget_year for item in items})
        same_year = proposal.budget_year in years
        flags.append(
            raise_flag(
                kind=FlagKind.BOARD_MEMBER_BANSOS,
                subject=proposal,
                severity=FlagSeverity.HIGH if same_year else FlagSeverity.MEDIUM,
                explanation=(
                    _(
                        "Pengurus %(name)s (NIK %(nik)s, %(role)s) dari %(org)s, yang mengajukan hibah tahun "
                        "%(year)d, juga menerima bansos pada tahun anggaran yang sama: %(aid)s."
                    )
                    if same_year
                    else _(
                        "Pengurus %(name)s (NIK %(nik)s, %(role)s) dari %(org)s, yang mengajukan hibah tahun "
                        "%(year)d, tercatat sebagai penerima bansos pada tahun lain: %(aid)s."
                    )
                )
                % {
                    "name": member.full_name,
                    "nik": member.nik,
                    "role": member.get_role_display(),
                    "org": organisation.name,
                    "year": proposal.budget_year,
                    "aid": _names(_aid_label(item) for item in items),
                },
                evidence={
                    "records": sorted(f"{item._meta.label_lower}:{item.pk}" for item in items),
                    "nik": member.nik,
                    "member": member.full_name,
                    "years": years,
                    "same_year": same_year,
                },
                actor=actor,
                dedup_extra=member.nik,
            )
        )
    return flags


def _bank_account_flags(proposal, organisation, raise_flag, actor) -> list[Flag]:
    flags = []
    accounts = list(organisation.bank_accounts.filter(is_active=True))
    for account in accounts:
        number = matching.normalize_account(account.account_number)
        if not number:
            continue
        shared = [
            other
            for other in BankAccount.objects.exclude(organisation=organisation)
            .filter(account_number__contains=number[-6:])
            .select_related("organisation")
            if matching.normalize_account(other.account_number) == number
        ]
        if shared:
            flags.append(
                raise_flag(
                    kind=FlagKind.DUPLICATE_BANK_ACCOUNT,
                    subject=proposal,
                    severity=FlagSeverity.HIGH,
                    explanation=_("Rekening %(bank)s %(number)s juga dipakai oleh %(orgs)s.")
                    % {
                        "bank": account.bank_name,
                        "number": account.account_number,
                        "orgs": _names(other.organisation.name for other in shared),
                    },
                    evidence={
                        "records": _records("grants.organisation", (o.organisation_id for o in shared)),
                        "account_number": account.account_number,
                    },
                    actor=actor,
                    dedup_extra=number,
                )
            )
        issue = rules.holder_name_issue(account.holder_name, organisation.name)
        if issue is not None:
            flags.append(
                raise_flag(
                    kind=FlagKind.BANK_NAME_MISMATCH,
                    subject=proposal,
                    severity=FlagSeverity.LOW if issue == "legal_form" else FlagSeverity.HIGH,
                    explanation=(
                        _(
                            'Nama pemilik rekening "%(holder)s" hanya sama dengan nama lembaga "%(org)s" '
                            "setelah kata bentuk badan (yayasan, perkumpulan, ...) diabaikan; pastikan "
                            "rekening atas nama lembaga (Permendagri 32/2011: hibah uang ditransfer ke "
                            "rekening penerima)."
                        )
                        if issue == "legal_form"
                        else _(
                            'Nama pemilik rekening "%(holder)s" tidak sesuai dengan nama lembaga "%(org)s"; '
                            "hibah hanya dibayar ke rekening atas nama lembaga."
                        )
                    )
                    % {"holder": account.holder_name, "org": organisation.name},
                    evidence={"records": [], "holder_name": account.holder_name, "issue": issue},
                    actor=actor,
                    dedup_extra=f"{account.pk}:{account.holder_name}",
                )
            )
    return flags


def _contact_flags(proposal, organisation, raise_flag, actor) -> list[Flag]:
    flags = []
    phone = matching.normalize_phone(organisation.phone)
    if phone:
        shared = [
            other
            for other in Organisation.objects.exclude(pk=organisation.pk).filter(phone__contains=phone[-6:])
            if matching.normalize_phone(other.phone) == phone
        ]
        if shared:
            flags.append(
                raise_flag(
                    kind=FlagKind.DUPLICATE_PHONE,
                    subject=proposal,
                    severity=FlagSeverity.MEDIUM,
                    explanation=_("Nomor telepon lembaga %(phone)s juga dipakai oleh %(orgs)s.")
                    % {"phone": organisation.phone, "orgs": _names(o.name for o in shared)},
                    evidence={
                        "records": _records("grants.organisation", (o.pk for o in shared)),
                        "phone": phone,
                    },
                    actor=actor,
                    dedup_extra=phone,
                )
            )
    address = matching.normalize_address(organisation.address)
    if address:
        shared = [
            other
            for other in Organisation.objects.filter(area_id=organisation.area_id).exclude(pk=organisation.pk)
            if matching.normalize_address(other.address) == address
        ]
        if shared:
            flags.append(
                raise_flag(
                    kind=FlagKind.DUPLICATE_ADDRESS,
                    subject=proposal,
                    severity=FlagSeverity.MEDIUM,
                    explanation=_(
                        'Alamat sekretariat "%(address)s" sama dengan alamat %(orgs)s '
                        "(periksa lembaga papan nama)."
                    )
                    % {"address": organisation.address, "orgs": _names(o.name for o in shared)},
                    evidence={
                        "records": _records("grants.organisation", (o.pk for o in shared)),
                        "address": address,
                    },
                    actor=actor,
                    dedup_extra=address,
                )
            )
    return flags


def _previous_year_flags(proposal, organisation, raise_flag, actor) -> list[Flag]:
    year = proposal.budget_year - 1
    funded = grants_selectors.funded_in_year(organisation, year)
    if not rules.previous_year_needs_flag(
        funded_previous_year=funded, is_exempt=bool(organisation.exemption_id)
    ):
        return []
    previous = list(
        Proposal.objects.filter(
            organisation=organisation,
            programme__budget_year=year,
            status__in=grants_selectors.FUNDED_STATUSES,
        )
    )
    return [
        raise_flag(
            kind=FlagKind.FUNDED_PREVIOUS_YEAR,
            subject=proposal,
            severity=FlagSeverity.HIGH,
            explanation=_(
                "%(org)s sudah menerima hibah tahun %(year)d (%(proposals)s). Hibah tidak terus-menerus "
                "setiap tahun (Permendagri 32/2011 Pasal 4 ayat (4) huruf c) kecuali lembaga yang diwajibkan "
                "undang-undang (KONI, PMI, Pramuka, KORPRI, ...)."
            )
            % {
                "org": organisation.name,
                "year": year,
                "proposals": _names(p.number or p.pk for p in previous),
            },
            evidence={"records": _records("grants.proposal", (p.pk for p in previous)), "year": year},
            actor=actor,
        )
    ]


# --- Documents and photos -----------------------------------------------------------------------------


def _document_flags(proposal, raise_flag, actor) -> list[Flag]:
    own = {}
    for document in proposal.documents.filter(is_current=True).select_related("stored_file"):
        own[document.stored_file.sha256] = document.code
    for photo in proposal.photos.select_related("stored_file"):
        own.setdefault(photo.stored_file.sha256, _("foto"))
    if proposal.organisation_id:
        for document in OrganisationDocument.objects.filter(
            organisation_id=proposal.organisation_id, is_current=True
        ).select_related("stored_file"):
            own.setdefault(document.stored_file.sha256, document.code)
    if not own:
        return []
    hashes = list(own)
    elsewhere = defaultdict(set)  # sha256 -> {proposal or organisation label}
    records = defaultdict(set)
    for row in (
        ProposalDocument.objects.filter(stored_file__sha256__in=hashes)
        .exclude(proposal=proposal)
        .select_related("proposal", "stored_file")
    ):
        elsewhere[row.stored_file.sha256].add(str(row.proposal))
        records[row.stored_file.sha256].add(f"grants.proposal:{row.proposal_id}")
    for row in (
        ProposalPhoto.objects.filter(stored_file__sha256__in=hashes)
        .exclude(proposal=proposal)
        .select_related("proposal", "stored_file")
    ):
        elsewhere[row.stored_file.sha256].add(str(row.proposal))
        records[row.stored_file.sha256].add(f"grants.proposal:{row.proposal_id}")
    org_docs = OrganisationDocument.objects.filter(stored_file__sha256__in=hashes).select_related(
        "organisation", "stored_file"
    )
    if proposal.organisation_id:
        org_docs = org_docs.exclude(organisation_id=proposal.organisation_id)
    for row in org_docs:
        elsewhere[row.stored_file.sha256].add(row.organisation.name)
        records[row.stored_file.sha256].add(f"grants.organisation:{row.organisation_id}")
    flags = []
    for sha256, places in elsewhere.items():
        flags.append(
            raise_flag(
                kind=FlagKind.DUPLICATE_DOCUMENT,
                subject=proposal,
                severity=FlagSeverity.HIGH,
                explanation=_("Berkas %(what)s (SHA-256 %(hash)s…) sama persis dengan berkas pada %(where)s.")
                % {"what": own[sha256], "hash": sha256[:12], "where": _names(sorted(places))},
                evidence={"records": sorted(records[sha256]), "sha256": sha256},
                actor=actor,
                dedup_extra=sha256,
            )
        )
    return flags


# --- RAB prices ---------------------------------------------------------------------------------------


def _price_flags(proposal, raise_flag, actor, *, threshold_percent: float) -> list[Flag]:
    from praja.modules.grants.screening.selectors import standard_price_for

    flags = []
    for line in proposal.rab_lines.all().order_by("position", "pk"):
        standard = standard_price_for(
            year=proposal.budget_year,
            code=line.standard_price_code,
            description=line.description,
            unit=line.unit,
        )
        if standard is None or not rules.is_price_above_standard(
            line.unit_price, standard.price, threshold_percent=threshold_percent
        ):
            continue
        excess = rules.price_excess_percent(line.unit_price, standard.price)
        flags.append(
            raise_flag(
                kind=FlagKind.PRICE_ABOVE_STANDARD,
                subject=proposal,
                severity=FlagSeverity.HIGH if excess > 2 * threshold_percent else FlagSeverity.MEDIUM,
                explanation=_(
                    'Harga satuan "%(item)s" Rp%(price)s per %(unit)s, %(excess).1f%% di atas standar satuan '
                    "harga %(code)s tahun %(year)d (Rp%(standard)s; batas %(threshold)s%%)."
                )
                % {
                    "item": line.description,
                    "price": f"{line.unit_price:,}".replace(",", "."),
                    "unit": line.unit,
                    "excess": excess,
                    "code": standard.code,
                    "year": standard.year,
                    "standard": f"{standard.price:,}".replace(",", "."),
                    "threshold": f"{threshold_percent:g}",
                },
                evidence={
                    "records": [f"grants_screening.standardunitprice:{standard.pk}"],
                    "rab_line": line.pk,
                    "unit_price": line.unit_price,
                    "standard_price": standard.price,
                    "excess_percent": round(excess, 1),
                },
                actor=actor,
                dedup_extra=f"{line.pk}:{line.unit_price}",
            )
        )
    return flags


# --- Beneficiary (bansos) ----------------------------------------------------------------------------------


def beneficiary_history_flags(beneficiary: Beneficiary, raise_flag, actor) -> list[Flag]:
    """The same person (NIK) or household (KK) in several active proposals/bansos cases."""
    flags = []
    proposals = list(
        Proposal.objects.filter(beneficiary=beneficiary)
        .exclude(status__in=INACTIVE_PROPOSAL)
        .select_related("programme")
    )
    cases = list(
        BansosCase.objects.filter(beneficiary=beneficiary)
        .exclude(status__in=INACTIVE_BANSOS)
        .select_related("programme")
    )
    aid = [(f"grants.proposal:{p.pk}", p.programme) for p in proposals] + [
        (f"grants.bansoscase:{c.pk}", c.programme) for c in cases
    ]
    if len(aid) > 1:
        flags.append(
            raise_flag(
                kind=FlagKind.DUPLICATE_NIK,
                subject=beneficiary,
                severity=FlagSeverity.HIGH,
                explanation=_(
                    "NIK %(nik)s (%(name)s) tercatat sebagai penerima pada %(count)d bantuan: %(list)s."
                )
                % {
                    "nik": beneficiary.nik,
                    "name": beneficiary.full_name,
                    "count": len(aid),
                    "list": _names(f"{programme.name} {programme.budget_year}" for _key, programme in aid),
                },
                evidence={"records": sorted(key for key, _programme in aid)},
                actor=actor,
            )
        )
    if aid:
        flags.extend(_funded_board_flags(beneficiary, aid, raise_flag, actor))
    relatives = Beneficiary.objects.filter(kk_number=beneficiary.kk_number).exclude(pk=beneficiary.pk)
    if aid and relatives.exists():
        years = {programme.budget_year for _key, programme in aid}
        family_aid = [
            (f"grants.proposal:{p.pk}", p)
            for p in Proposal.objects.filter(beneficiary__in=relatives, programme__budget_year__in=years)
            .exclude(status__in=INACTIVE_PROPOSAL)
            .select_related("beneficiary")
        ] + [
            (f"grants.bansoscase:{c.pk}", c)
            for c in BansosCase.objects.filter(beneficiary__in=relatives, programme__budget_year__in=years)
            .exclude(status__in=INACTIVE_BANSOS)
            .select_related("beneficiary")
        ]
        if family_aid:
            flags.append(
                raise_flag(
                    kind=FlagKind.DUPLICATE_KK,
                    subject=beneficiary,
                    severity=FlagSeverity.MEDIUM,
                    explanation=_(
                        "Anggota KK %(kk)s yang lain juga menerima bantuan pada tahun yang sama: %(names)s."
                    )
                    % {
                        "kk": beneficiary.kk_number,
                        "names": _names(sorted({i.beneficiary.full_name for _k, i in family_aid})),
                    },
                    evidence={
                        "records": sorted(key for key, _item in family_aid),
                        "kk_number": beneficiary.kk_number,
                    },
                    actor=actor,
                )
            )
    return flags


def _funded_board_flags(beneficiary: Beneficiary, aid, raise_flag, actor) -> list[Flag]:
    """The beneficiary (by NIK) sits on the board of an organisation that received hibah."""
    seats = list(BoardMember.objects.filter(nik=beneficiary.nik).select_related("organisation"))
    if not seats:
        return []
    funded = list(
        Proposal.objects.filter(
            organisation_id__in={seat.organisation_id for seat in seats},
            status__in=grants_selectors.FUNDED_STATUSES,
        )
        .select_related("organisation")
        .order_by("budget_year", "pk")
    )
    if not funded:
        return []
    aid_years = sorted({programme.budget_year for _key, programme in aid})
    hibah_years = sorted({p.budget_year for p in funded})
    same_year = bool(set(aid_years) & set(hibah_years))
    organisations = sorted({p.organisation.name for p in funded})
    return [
        raise_flag(
            kind=FlagKind.BOARD_MEMBER_BANSOS,
            subject=beneficiary,
            severity=FlagSeverity.HIGH if same_year else FlagSeverity.MEDIUM,
            explanation=_(
                "Penerima bansos %(name)s (NIK %(nik)s, bansos tahun %(aid_years)s) adalah pengurus "
                "%(orgs)s yang menerima hibah tahun %(hibah_years)s%(same)s."
            )
            % {
                "name": beneficiary.full_name,
                "nik": beneficiary.nik,
                "aid_years": ", ".join(str(year) for year in aid_years),
                "orgs": _names(organisations),
                "hibah_years": ", ".join(str(year) for year in hibah_years),
                "same": _(" (tahun yang sama)") if same_year else "",
            },
            evidence={
                "records": sorted(
                    [f"grants.proposal:{p.pk}" for p in funded] + [key for key, _programme in aid]
                ),
                "nik": beneficiary.nik,
                "organisations": [
                    {"id": org_id, "name": name}
                    for org_id, name in sorted({(p.organisation_id, p.organisation.name) for p in funded})
                ],
                "years": sorted(set(aid_years) | set(hibah_years)),
                "same_year": same_year,
            },
            actor=actor,
        )
    ]


def _proposal_beneficiary_flags(proposal, raise_flag, actor) -> list[Flag]:
    beneficiary = proposal.beneficiary
    if beneficiary is None:
        return []
    flags = []
    others = list(
        _other_proposals(proposal).filter(beneficiary=beneficiary).select_related("programme")
    ) + list(
        BansosCase.objects.filter(beneficiary=beneficiary)
        .exclude(status__in=INACTIVE_BANSOS)
        .select_related("programme")
    )
    if others:
        flags.append(
            raise_flag(
                kind=FlagKind.DUPLICATE_NIK,
                subject=proposal,
                severity=FlagSeverity.HIGH,
                explanation=_("Penerima %(name)s (NIK %(nik)s) juga tercatat pada %(list)s.")
                % {
                    "name": beneficiary.full_name,
                    "nik": beneficiary.nik,
                    "list": _names(f"{o.programme.name} {o.programme.budget_year}" for o in others),
                },
                evidence={
                    "records": sorted(f"{o._meta.label_lower}:{o.pk}" for o in others),
                    "nik": beneficiary.nik,
                },
                actor=actor,
            )
        )
    relatives = Beneficiary.objects.filter(kk_number=beneficiary.kk_number).exclude(pk=beneficiary.pk)
    same_family = list(
        _other_proposals(proposal)
        .filter(beneficiary__in=relatives, programme__budget_year=proposal.budget_year)
        .select_related("beneficiary")
    )
    if same_family:
        flags.append(
            raise_flag(
                kind=FlagKind.DUPLICATE_KK,
                subject=proposal,
                severity=FlagSeverity.MEDIUM,
                explanation=_(
                    "Anggota KK %(kk)s yang lain juga mengajukan bantuan tahun %(year)d: %(names)s."
                )
                % {
                    "kk": beneficiary.kk_number,
                    "year": proposal.budget_year,
                    "names": _names(sorted({p.beneficiary.full_name for p in same_family})),
                },
                evidence={"records": _records("grants.proposal", (p.pk for p in same_family))},
                actor=actor,
            )
        )
    # Near-duplicate people (different NIK) who are recipients elsewhere.
    candidates = Beneficiary.objects.filter(
        Q(birth_date=beneficiary.birth_date)
        | Q(area_id=beneficiary.area_id, birth_date__year=beneficiary.birth_date.year)
    ).exclude(pk=beneficiary.pk)[:2000]
    from praja.modules.grants.screening.actions import person_of

    for match in matching.near_duplicates_of(person_of(beneficiary), [person_of(c) for c in candidates]):
        elsewhere = list(_other_proposals(proposal).filter(beneficiary_id=match.right)) + list(
            BansosCase.objects.filter(beneficiary_id=match.right).exclude(status__in=INACTIVE_BANSOS)
        )
        if not elsewhere:
            continue
        other = Beneficiary.objects.get(pk=match.right)
        flags.append(
            raise_flag(
                kind=FlagKind.NEAR_DUPLICATE_PERSON,
                subject=proposal,
                severity=FlagSeverity.HIGH,
                explanation=_(
                    "Penerima %(name)s kemungkinan orang yang sama dengan %(other)s (NIK %(other_nik)s) yang "
                    "juga menerima bantuan: %(why)s"
                )
                % {
                    "name": beneficiary.full_name,
                    "other": other.full_name,
                    "other_nik": other.nik,
                    "why": match.explanation(),
                },  # fmt: skip
                evidence={
                    "records": sorted(f"{o._meta.label_lower}:{o.pk}" for o in elsewhere)
                    + [f"grants_screening.beneficiary:{other.pk}"],
                    "score": match.score,
                },
                actor=actor,
            )
        )
    return flags


def screen(proposal: Proposal, *, raise_flag, actor, threshold_percent: float) -> None:
    """Run every proposal check (the caller holds the transaction)."""
    organisation = proposal.organisation
    if organisation is not None:
        _board_member_flags(proposal, organisation, raise_flag, actor)
        _board_member_bansos_flags(proposal, organisation, raise_flag, actor)
        _bank_account_flags(proposal, organisation, raise_flag, actor)
        _contact_flags(proposal, organisation, raise_flag, actor)
        _previous_year_flags(proposal, organisation, raise_flag, actor)
    _proposal_beneficiary_flags(proposal, raise_flag, actor)
    _document_flags(proposal, raise_flag, actor)
    _price_flags(proposal, raise_flag, actor, threshold_percent=threshold_percent)
