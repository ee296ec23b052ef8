"""Pure rules of hibah and bansos: eligibility, amounts, RAB, windows, names. No writes, no request.

Every refusal names its rule (`code`) and, where there is one, the regulation, so an applicant knows
what to fix and an auditor knows why.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Bodies a law obliges the region to fund every year: exempt from "not continuous every year"
# (Permendagri 32/2011 Pasal 4 ayat (4): "tidak terus menerus setiap tahun anggaran,
# kecuali ditentukan lain oleh peraturan perundang-undangan").
BUILTIN_EXEMPTIONS = (
    ("koni", "Komite Olahraga Nasional Indonesia (KONI)", "UU 3/2005 Pasal 69 (kini UU 11/2022)"),
    ("pmi", "Palang Merah Indonesia (PMI)", "UU 1/2018 tentang Kepalangmerahan jo. PP 7/2019"),
    ("pramuka", "Gerakan Pramuka", "UU 12/2010 Pasal 36"),
    ("korpri", "Korps Pegawai Republik Indonesia (KORPRI)", "Keppres 24/2010"),
)

# The eligibility rules a programme carries as data (Programme.eligibility_rules).
RULE_KEYS = (
    "legal_entity_required",
    "min_years_registered",
    "domiciled_in_tenant",
    "permanent_secretariat_required",
    "not_funded_previous_year",
    "social_data_source_required",
)
DEFAULT_HIBAH_RULES = {
    "legal_entity_required": True,
    "min_years_registered": 3,
    "domiciled_in_tenant": True,
    "permanent_secretariat_required": True,
    "not_funded_previous_year": True,
    "social_data_source_required": False,
}
DEFAULT_BANSOS_RULES = {
    "legal_entity_required": False,
    "min_years_registered": 0,
    "domiciled_in_tenant": True,
    "permanent_secretariat_required": False,
    "not_funded_previous_year": False,
    "social_data_source_required": True,
}

# The TU checklist of Sabilulungan (all items must be ticked to continue). "condition" limits an
# item to construction proposals or organisations renting their office.
DEFAULT_REQUIRED_DOCUMENTS = [
    {"code": "surat_permohonan", "label": "Surat permohonan", "required": True, "condition": ""},
    {"code": "proposal", "label": "Proposal kegiatan", "required": True, "condition": ""},
    {
        "code": "pernyataan_tanggung_jawab",
        "label": "Surat pernyataan tanggung jawab (bermeterai)",
        "required": True,
        "condition": "",
    },
    {
        "code": "pernyataan_dana_pendamping",
        "label": "Surat pernyataan kesanggupan dana pendamping",
        "required": True,
        "condition": "construction",
    },
    {
        "code": "gambar_bangunan",
        "label": "Gambar rencana bangunan",
        "required": True,
        "condition": "construction",
    },
    {"code": "akta_notaris", "label": "Akta notaris pendirian lembaga", "required": True, "condition": ""},
    {"code": "npwp", "label": "NPWP lembaga", "required": True, "condition": ""},
    {
        "code": "surat_domisili",
        "label": "Surat keterangan domisili dari desa/kelurahan",
        "required": True,
        "condition": "",
    },
    {
        "code": "izin_operasional",
        "label": "Izin operasional / tanda daftar",
        "required": True,
        "condition": "",
    },
    {
        "code": "kontrak_sewa",
        "label": "Kontrak sewa kantor sekretariat",
        "required": True,
        "condition": "rented_office",
    },
    {"code": "ktp_pengurus", "label": "KTP ketua dan sekretaris", "required": True, "condition": ""},
    {
        "code": "rekening_bank",
        "label": "Rekening bank aktif atas nama lembaga",
        "required": True,
        "condition": "",
    },
]
DEFAULT_BANSOS_DOCUMENTS = [
    {"code": "surat_permohonan", "label": "Surat permohonan", "required": True, "condition": ""},
    {"code": "ktp_kk", "label": "KTP dan Kartu Keluarga", "required": True, "condition": ""},
    {
        "code": "bukti_risiko_sosial",
        "label": "Bukti kondisi risiko sosial (keterangan kelurahan/dinas sosial)",
        "required": True,
        "condition": "",
    },
]

# The SKPD evaluation checklist (Sabilulungan port).
EVALUATION_CHECKLIST = (
    ("harga_sesuai_ssh", gettext_lazy("Harga sesuai standar satuan harga")),
    ("kebutuhan_sesuai_kegiatan", gettext_lazy("Kebutuhan peralatan/bahan sesuai kegiatan")),
    ("lembaga_tidak_fiktif", gettext_lazy("Lembaga tidak fiktif (ditinjau di lapangan)")),
    ("alamat_sesuai", gettext_lazy("Alamat lembaga/ketua sesuai proposal")),
    ("tidak_menerima_tahun_lalu", gettext_lazy("Tidak menerima hibah pada tahun sebelumnya")),
    ("ktp_terverifikasi", gettext_lazy("KTP pengurus terverifikasi")),
    ("badan_hukum_terverifikasi", gettext_lazy("Status badan hukum terverifikasi")),
)

MIN_BOARD_ROLES = ("chair", "secretary", "treasurer")


@dataclass(frozen=True)
class Refusal:
    """One failed rule: a stable code, the message, and the regulation it comes from."""

    code: str
    message: str
    regulation: str = ""

    def __str__(self) -> str:
        if self.regulation:
            return f"{self.message} ({self.regulation})"
        return self.message


# --------------------------------------------------------------------------------------------------
# Identity numbers and names


def parse_npwp(value: str) -> str:
    """Return the NPWP as digits (15, or 16 since the NIK-NPWP integration) or raise."""
    from stdnum.exceptions import ValidationError as StdnumError
    from stdnum.id import npwp

    digits = re.sub(r"[\s.\-]", "", value or "")
    if not digits.isdigit():
        raise ValidationError(_("NPWP hanya boleh berisi angka."), code="npwp_not_digits")
    if len(digits) not in (15, 16):
        raise ValidationError(
            _("NPWP harus 15 digit (atau 16 digit sejak integrasi NIK-NPWP); yang Anda isi %(count)d digit.")
            % {"count": len(digits)},
            code="npwp_length",
        )
    try:
        return npwp.validate(digits)
    except StdnumError:
        raise ValidationError(
            _("NPWP %(value)s tidak sah: digit periksanya tidak cocok.") % {"value": digits},
            code="npwp_checksum",
        ) from None


def check_board_nik(value: str, *, today: datetime.date | None = None) -> str:
    """Return a board member's NIK if valid, else raise naming the rule (16 digits, Permendagri 19/2018)."""
    from praja.core.accounts.rules import parse_nik

    return parse_nik(value, today=today).nik


_LEGAL_PREFIXES = {"yayasan", "perkumpulan", "pt", "cv", "ormas", "lembaga", "organisasi", "koperasi"}


def normalise_name(value: str) -> str:
    """Case-fold, strip accents and punctuation, drop legal-form words, collapse spaces."""
    text = unicodedata.normalize("NFKD", value or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = re.sub(r"[^0-9a-z]+", " ", text)
    words = [word for word in text.split() if word not in _LEGAL_PREFIXES]
    return " ".join(words)


def holder_name_matches(holder_name: str, *, organisation_name: str, acronym: str = "") -> bool:
    """True when the bank account holder is the organisation itself (normalised comparison)."""
    holder = normalise_name(holder_name)
    if not holder:
        return False
    candidates = {normalise_name(organisation_name)}
    if acronym:
        candidates.add(normalise_name(acronym))
    return holder in candidates


def check_bank_holder(holder_name: str, *, organisation_name: str, acronym: str = "") -> Refusal | None:
    if holder_name_matches(holder_name, organisation_name=organisation_name, acronym=acronym):
        return None
    return Refusal(
        "bank_holder_mismatch",
        _(
            'Nama pemilik rekening "%(holder)s" tidak sama dengan nama lembaga "%(name)s". Hibah hanya '
            "disalurkan secara LS ke rekening atas nama lembaga penerima."
        )
        % {"holder": holder_name, "name": organisation_name},
        "Permendagri 77/2020 (pembayaran LS ke rekening penerima)",
    )


# --------------------------------------------------------------------------------------------------
# Organisation eligibility


def full_years_between(start: datetime.date, end: datetime.date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def is_domiciled(area_code: str | None, tenant_code: str) -> bool:
    """True when the kelurahan code lies inside the tenant (codes like 32.73.01.1001 in 32.73)."""
    return bool(area_code) and (area_code == tenant_code or area_code.startswith(tenant_code + "."))


def check_board(members: Iterable, *, today: datetime.date | None = None) -> list[Refusal]:
    """At least chair, secretary, treasurer; every NIK valid and unique within the board."""
    members = list(members)
    refusals = []
    roles = {str(member.role) for member in members}
    labels = {"chair": _("ketua"), "secretary": _("sekretaris"), "treasurer": _("bendahara")}
    missing = [str(labels[role]) for role in MIN_BOARD_ROLES if role not in roles]
    if missing:
        refusals.append(
            Refusal(
                "board_incomplete",
                _(
                    "Susunan pengurus belum lengkap: %(missing)s belum "
                    "diisi; paling sedikit ketua, sekretaris "
                    "dan bendahara."
                )
                % {"missing": ", ".join(missing)},
                "Permendagri 32/2011 jo. 14/2016",
            )
        )
    seen = set()
    for member in members:
        try:
            nik = check_board_nik(member.nik, today=today)
        except ValidationError as error:
            refusals.append(
                Refusal(
                    "board_nik_invalid",
                    _("NIK pengurus %(name)s tidak sah: %(error)s")
                    % {"name": member.full_name, "error": " ".join(error.messages)},
                    "Permendagri 19/2018 (NIK)",
                )
            )
            continue
        if nik in seen:
            refusals.append(
                Refusal("board_nik_duplicate", _("NIK %(nik)s tercatat lebih dari sekali.") % {"nik": nik})
            )
        seen.add(nik)
    return refusals


def check_organisation(
    organisation,
    rules: dict,
    *,
    on_date: datetime.date,
    tenant_code: str,
    funded_previous_year: bool = False,
    is_exempt: bool = False,
    is_suspended: bool = False,
    has_overdue_lpj: bool = False,
) -> list[Refusal]:
    """The eligibility of a lembaga for a hibah programme's `rules` on `on_date`."""
    refusals: list[Refusal] = []
    if has_overdue_lpj and not is_suspended:
        refusals.append(
            Refusal(
                "lpj_overdue",
                _("Lembaga masih menunggak laporan pertanggungjawaban (LPJ) hibah sebelumnya."),
                "Permendagri 32/2011 Pasal 19",
            )
        )
    if is_suspended:
        refusals.append(
            Refusal(
                "suspended",
                _("Lembaga sedang dikenai sanksi (ditangguhkan) dan tidak dapat menerima hibah: %(reason)s")
                % {"reason": getattr(organisation, "suspension_reason", "") or _("tunggakan LPJ")},
                "Permendagri 32/2011 Pasal 19 jo. sanksi administratif",
            )
        )
    if rules.get("legal_entity_required") and not (
        getattr(organisation, "deed_number", "") and getattr(organisation, "kemenkumham_sk_number", "")
    ):
        refusals.append(
            Refusal(
                "legal_entity_required",
                _(
                    "Hibah kepada lembaga mensyaratkan status berbadan "
                    "hukum Indonesia: isi nomor akta notaris "
                    "dan nomor SK Kemenkumham."
                ),
                "UU 23/2014 Pasal 298 ayat (5)",
            )
        )
    min_years = int(rules.get("min_years_registered") or 0)
    if min_years:
        registered_on = getattr(organisation, "registered_on", None)
        if registered_on is None or full_years_between(registered_on, on_date) < min_years:
            refusals.append(
                Refusal(
                    "min_years_registered",
                    _(
                        "Lembaga harus terdaftar di pemerintah daerah paling "
                        "singkat %(years)d tahun; %(state)s."
                    )
                    % {
                        "years": min_years,
                        "state": _("tanggal terdaftar belum diisi")
                        if registered_on is None
                        else _("baru terdaftar sejak %(date)s")
                        % {"date": registered_on.strftime("%d-%m-%Y")},
                    },
                    "Permendagri 32/2011 sebagaimana diubah Permendagri 14/2016 Pasal 6 ayat (5)",
                )
            )
    if rules.get("domiciled_in_tenant") and not is_domiciled(
        getattr(organisation, "area_id", None), tenant_code
    ):
        refusals.append(
            Refusal(
                "domiciled_in_tenant",
                _(
                    "Lembaga harus berkedudukan (berdomisili) dalam wilayah pemerintah daerah pemberi hibah; "
                    "kelurahan sekretariatnya di luar wilayah atau belum diisi."
                ),
                "Permendagri 32/2011 sebagaimana diubah Permendagri 14/2016 Pasal 6 ayat (5)",
            )
        )
    if rules.get("permanent_secretariat_required") and not getattr(
        organisation, "has_permanent_secretariat", False
    ):
        refusals.append(
            Refusal(
                "permanent_secretariat_required",
                _("Lembaga harus memiliki sekretariat tetap."),
                "Permendagri 32/2011 sebagaimana diubah Permendagri 14/2016 Pasal 6 ayat (5)",
            )
        )
    if rules.get("not_funded_previous_year") and funded_previous_year and not is_exempt:
        refusals.append(
            Refusal(
                "not_funded_previous_year",
                _(
                    "Lembaga sudah menerima hibah pada tahun anggaran "
                    "sebelumnya; hibah tidak diberikan terus "
                    "menerus setiap tahun kecuali ditentukan lain oleh "
                    "undang-undang (mis. KONI, PMI, Pramuka, "
                    "KORPRI)."
                ),
                "Permendagri 32/2011 Pasal 4 ayat (4)",
            )
        )
    return refusals


# --------------------------------------------------------------------------------------------------
# Proposal amounts, RAB, window


def rab_subtotal(volume, unit_price: int) -> int:
    """volume × unit price in whole Rupiah (half up)."""
    return int(
        (Decimal(str(volume)) * Decimal(int(unit_price))).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    )


def check_rab(lines: Iterable, *, amount_requested: int) -> list[Refusal]:
    """Σ RAB ≤ requested; at least one line; each line positive."""
    lines = list(lines)
    if not lines:
        return [
            Refusal(
                "rab_missing",
                _("Rincian anggaran biaya (RAB) belum diisi; paling sedikit satu baris."),
                "Permendagri 32/2011 (RAB proposal)",
            )
        ]
    total = sum(int(line.subtotal) for line in lines)
    if total > amount_requested:
        return [
            Refusal(
                "rab_exceeds_request",
                _("Jumlah RAB Rp%(total)s melebihi nilai yang diajukan Rp%(requested)s.")
                % {"total": format_rupiah(total), "requested": format_rupiah(amount_requested)},
                "Permendagri 32/2011 (RAB proposal)",
            )
        ]
    return []


def check_window(*, opens_at, closes_at, now) -> Refusal | None:
    if opens_at <= now < closes_at:
        return None
    return Refusal(
        "outside_window",
        _("Pengajuan proposal untuk program ini hanya dibuka %(opens)s sampai %(closes)s.")
        % {"opens": opens_at.strftime("%d-%m-%Y %H.%M"), "closes": closes_at.strftime("%d-%m-%Y %H.%M")},
    )


def check_max_amount(amount_requested: int, maximum: int | None) -> Refusal | None:
    if maximum is None or amount_requested <= maximum:
        return None
    return Refusal(
        "above_programme_maximum",
        _("Nilai yang diajukan Rp%(amount)s melebihi batas program Rp%(maximum)s per proposal.")
        % {"amount": format_rupiah(amount_requested), "maximum": format_rupiah(maximum)},
    )


def check_dates(start: datetime.date, end: datetime.date) -> Refusal | None:
    if end >= start:
        return None
    return Refusal("dates_order", _("Tanggal selesai kegiatan tidak boleh sebelum tanggal mulai."))


def check_stage_amount(
    amount: int | None,
    *,
    previous: int,
    previous_label: str,
    override_reason: str = "",
    allow_override: bool = True,
) -> Refusal | None:
    """A stage's amount is ≤ the previous stage's unless a documented override (reason) is given."""
    if amount is None or amount < 0:
        return Refusal("amount_required", _("Isi nilai rekomendasi dalam Rupiah."))
    if amount <= previous:
        return None
    if allow_override and override_reason.strip():
        return None
    if not allow_override:
        return Refusal(
            "amount_above_previous",
            _("Nilai Rp%(amount)s melebihi %(previous_label)s Rp%(previous)s.")
            % {
                "amount": format_rupiah(amount),
                "previous_label": previous_label,
                "previous": format_rupiah(previous),
            },
            "Permendagri 32/2011 (evaluasi dan pertimbangan TAPD)",
        )
    return Refusal(
        "amount_above_previous",
        _(
            "Nilai Rp%(amount)s melebihi %(previous_label)s "
            "Rp%(previous)s; tuliskan alasan bila memang harus "
            "lebih tinggi."
        )
        % {
            "amount": format_rupiah(amount),
            "previous_label": previous_label,
            "previous": format_rupiah(previous),
        },
        "Permendagri 32/2011 (evaluasi dan pertimbangan TAPD)",
    )


def check_decree_total(total: int, *, envelope: int) -> Refusal | None:
    if total <= envelope:
        return None
    return Refusal(
        "decree_exceeds_envelope",
        _("Jumlah DNC PBH Rp%(total)s melebihi pagu program Rp%(envelope)s.")
        % {"total": format_rupiah(total), "envelope": format_rupiah(envelope)},
        "UU 23/2014 Pasal 298 ayat (4)",
    )


# Working days each Sabilulungan stage may take before its clock is overdue (domain brief §5.5; the
# city publishes no fixed days, so these are defaults). Tenant parameters of the module "grants"
# (manifest `default_parameters`): the tenant admin edits them, adoption copies them. A case takes the
# value in force when it enters the stage; its deadline never moves afterwards.
STAGE_DAYS_DEFAULTS: dict[str, int] = {
    "stage_days_organisation_verification": 5,  # Kesbangpol / PD pembina verifies an organisation
    "stage_days_completeness": 5,  # stage 3: TU Pimpinan checks completeness
    "stage_days_head_review": 5,  # stage 4: the head of region reviews
    "stage_days_routing": 5,  # stage 5: Tim Pertimbangan routes to the technical office
    "stage_days_evaluation": 15,  # stage 6: the office evaluates (field check) and recommends
    "stage_days_verification": 10,  # stage 7: Tim Pertimbangan verifies the amount
    "stage_days_tapd": 10,  # stage 8: TAPD decides the amount
}


def stage_days(parameters: dict, key: str) -> int:
    """The stage's working days from the tenant's parameters; a value that is not a whole number of
    at least one day (the admin form only checks the type) falls back to the default, since zero or
    fewer days would put every case overdue the moment it arrives."""
    value = parameters.get(key)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    return STAGE_DAYS_DEFAULTS[key]


# The decree's register per programme kind: hibah recipients go on the DNC PBH (Daftar Nominatif
# Calon Penerima Belanja Hibah), bansos recipients on the DNC PBBS (… Belanja Bantuan Sosial). Each
# register is numbered on its own sequence, so its numbers run 001, 002, … per budget year.
DECREE_REGISTERS = {"hibah": "DNC-PBH", "bansos": "DNC-PBBS"}


def decree_register(kind: str) -> str:
    return DECREE_REGISTERS.get(kind, DECREE_REGISTERS["hibah"])


def decree_number(kind: str, sequence: int, year: int) -> str:
    """ "001/DNC-PBH/2027" or "001/DNC-PBBS/2027": a legal reference, never translated."""
    return f"{sequence:03d}/{decree_register(kind)}/{year}"


def applicable_documents(
    required_documents: list, *, is_construction: bool, rented_office: bool
) -> list[dict]:
    """The checklist items that apply to one proposal."""
    items = []
    for item in required_documents or []:
        condition = item.get("condition") or ""
        if condition == "construction" and not is_construction:
            continue
        if condition == "rented_office" and not rented_office:
            continue
        items.append(item)
    return items


def missing_checklist_codes(applicable: list[dict], ticked: dict) -> list[str]:
    """Required codes the TU did not tick (all must be ticked to continue)."""
    return [
        item["code"] for item in applicable if item.get("required", True) and not ticked.get(item["code"])
    ]


def default_lpj_deadline(budget_year: int) -> datetime.date:
    """10 January of the year after the budget year (Permendagri 32/2011 Pasal 19)."""
    return datetime.date(budget_year + 1, 1, 10)


def check_social_data(*, required: bool, source: str, reference: str) -> Refusal | None:
    if not required or (source and reference.strip()):
        return None
    return Refusal(
        "social_data_source_required",
        _("Penerima bansos harus terdaftar dalam data sosial (DTKS/DTSEN); isi sumber dan ID datanya."),
        "UU 13/2011; Permensos 3/2021; Permensos 3/2025",
    )


def format_rupiah(value: int) -> str:
    """1500000 -> "1.500.000" (Indonesian thousands separator)."""
    return f"{int(value):,}".replace(",", ".")
