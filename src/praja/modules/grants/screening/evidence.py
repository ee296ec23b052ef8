"""Readable evidence of a flag: each kind's JSON evidence as labelled Indonesian sentences.

A flag stores its evidence as JSON (the records and values behind the finding) so that screening can
deduplicate it and the API can return it; officials read it on the pages as the lines built here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from praja.modules.grants.screening.models import Flag, FlagKind

# The records a flag names, "app_label.model:pk", in words.
RECORD_LABELS = {
    "grants.proposal": gettext_lazy("Usulan"),
    "grants.organisation": gettext_lazy("Lembaga"),
    "grants.bansoscase": gettext_lazy("Penerima bansos (kasus)"),
    "grants_screening.beneficiary": gettext_lazy("Penerima terdaftar"),
    "grants_screening.standardunitprice": gettext_lazy("Baris standar satuan harga"),
}
BIRTH_RELATIONS = {
    "same": gettext_lazy("sama"),
    "swapped": gettext_lazy("sama, hari dan bulan tertukar"),
    "one_part": gettext_lazy("berbeda satu unsur (hari, bulan atau tahun)"),
    "different": gettext_lazy("berbeda"),
    "unknown": gettext_lazy("tidak tersedia"),
}
HOLDER_ISSUES = {
    "legal_form": gettext_lazy("hanya berbeda pada kata bentuk badan (yayasan, perkumpulan, ...)"),
    "mismatch": gettext_lazy("tidak sesuai dengan nama lembaga"),
}


@dataclass(frozen=True)
class EvidenceLine:
    label: str
    text: str


def rupiah(value) -> str:
    return "Rp" + f"{int(value):,}".replace(",", ".")


def _percent(value) -> str:
    return f"{round(float(value))}%"


def _record(reference: str) -> str:
    label, _sep, pk = str(reference).partition(":")
    if label in RECORD_LABELS and pk:
        return f"{RECORD_LABELS[label]} #{pk}"
    return str(reference)


def _records_line(evidence: dict) -> list[EvidenceLine]:
    records = evidence.get("records") or []
    if not records:
        return []
    return [EvidenceLine(_("Catatan terkait"), ", ".join(_record(item) for item in records))]


def _organisations(items) -> str:
    return ", ".join(f"{item.get('name', '')} (#{item.get('id')})" for item in items or [])


def _years(evidence: dict) -> str:
    text = ", ".join(str(year) for year in evidence.get("years") or [])
    if evidence.get("same_year"):
        text += " " + _("(bantuan dan hibah pada tahun yang sama)")
    return text


def _near_duplicate(evidence: dict) -> list[EvidenceLine]:
    lines = []
    other = evidence.get("other") or {}
    if other:
        lines.append(EvidenceLine(_("Orang lain"), f"{other.get('name', '')} (NIK {other.get('nik', '')})"))
    if "score" in evidence:
        lines.append(
            EvidenceLine(_("Skor kemiripan"), _("%(score)s dari 100") % {"score": evidence["score"]})
        )
    if "name_score" in evidence:
        lines.append(EvidenceLine(_("Kemiripan nama"), _percent(evidence["name_score"])))
    if "birth" in evidence:
        birth = BIRTH_RELATIONS.get(evidence["birth"], evidence["birth"])
        lines.append(EvidenceLine(_("Tanggal lahir"), str(birth)))
    if evidence.get("mother_score") is not None:
        lines.append(EvidenceLine(_("Kemiripan nama ibu"), _percent(evidence["mother_score"])))
    if evidence.get("address_score") is not None:
        lines.append(EvidenceLine(_("Kemiripan alamat"), _percent(evidence["address_score"])))
    return lines


def _price(evidence: dict) -> list[EvidenceLine]:
    lines = []
    if "unit_price" in evidence:
        lines.append(EvidenceLine(_("Harga satuan dalam RAB"), rupiah(evidence["unit_price"])))
    if "standard_price" in evidence:
        lines.append(EvidenceLine(_("Standar satuan harga"), rupiah(evidence["standard_price"])))
    if "excess_percent" in evidence:
        lines.append(
            EvidenceLine(
                _("Selisih"), _("%(percent)s%% di atas standar") % {"percent": evidence["excess_percent"]}
            )
        )
    if "rab_line" in evidence:
        lines.append(EvidenceLine(_("Baris RAB"), f"#{evidence['rab_line']}"))
    return lines


# Keys each kind explains itself (kind-specific helpers); the rest go through FIELD_LABELS.
FIELD_LABELS = {
    "nik": gettext_lazy("NIK"),
    "kk_number": gettext_lazy("Nomor KK"),
    "phone": gettext_lazy("Nomor telepon"),
    "address": gettext_lazy("Alamat (dinormalkan)"),
    "account_number": gettext_lazy("Nomor rekening"),
    "holder_name": gettext_lazy("Nama pemilik rekening"),
    "sha256": gettext_lazy("Sidik SHA-256 berkas"),
    "year": gettext_lazy("Tahun anggaran"),
    "member": gettext_lazy("Pengurus"),
    "lpj_deadline": gettext_lazy("Batas waktu LPJ"),
    "proposal_number": gettext_lazy("Nomor usulan"),
}
_HANDLED = {"records", "other", "score", "name_score", "birth", "mother_score", "address_score",
            "unit_price", "standard_price", "excess_percent", "rab_line", "organisations", "years",
            "same_year", "issue"}  # fmt: skip


def _value_text(value) -> str:
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, list):
        return ", ".join(_value_text(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_value_text(item)}" for key, item in value.items())
    return str(value)


def describe_evidence(flag: Flag) -> list[EvidenceLine]:
    """The evidence of `flag` as labelled lines in the active language, most telling first."""
    evidence = flag.evidence if isinstance(flag.evidence, dict) else {"value": flag.evidence}
    lines: list[EvidenceLine] = []
    if flag.kind == FlagKind.NEAR_DUPLICATE_PERSON:
        lines += _near_duplicate(evidence)
    elif flag.kind == FlagKind.PRICE_ABOVE_STANDARD:
        lines += _price(evidence)
    if evidence.get("organisations"):
        lines.append(EvidenceLine(_("Lembaga"), _organisations(evidence["organisations"])))
    if evidence.get("years"):
        lines.append(EvidenceLine(_("Tahun"), _years(evidence)))
    if evidence.get("issue"):
        lines.append(
            EvidenceLine(_("Masalah nama"), str(HOLDER_ISSUES.get(evidence["issue"], evidence["issue"])))
        )
    for key, value in evidence.items():
        if key in _HANDLED or value in (None, "", [], {}):
            continue
        if key == "sha256":
            value = f"{value[:16]}…"
        label = FIELD_LABELS.get(key, key.replace("_", " ").capitalize())
        lines.append(EvidenceLine(str(label), _value_text(value)))
    return lines + _records_line(evidence)
