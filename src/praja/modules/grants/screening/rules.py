"""Pure checks of grants screening: import rows, unit prices, bank holder names, flag keys.

No writes, no request, no ORM: callers pass what the checks need (lookups as callables).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from praja.core.accounts.rules import normalize_number, parse_nik
from praja.modules.grants.screening.matching import normalize_phone

# --- Import columns ---------------------------------------------------------------------------------

# Canonical column -> accepted header spellings (compared lower-case, spaces/underscores ignored).
COLUMNS = {
    "nik": ("nik",),
    "kk_number": ("nokk", "kk", "nomorkk", "nomorkartukeluarga"),
    "full_name": ("nama", "namalengkap"),
    "birth_date": ("tanggallahir", "tgllahir"),
    "sex": ("jeniskelamin", "jk", "kelamin"),
    "mother_name": ("namaibu", "namaibukandung", "ibukandung"),
    "address": ("alamat",),
    "rt": ("rt",),
    "rw": ("rw",),
    "area_code": ("kodekelurahan", "kodedesa", "kodewilayah", "kelurahan"),
    "phone": ("telepon", "nomortelepon", "nohp", "hp", "telp"),
    "data_source": ("sumberdata", "sumber"),
    "source_reference": ("referensi", "nomorreferensi", "idsumber", "iddtks"),
}
REQUIRED_COLUMNS = (
    "nik",
    "kk_number",
    "full_name",
    "birth_date",
    "sex",
    "address",
    "area_code",
    "data_source",
)
COLUMN_LABELS = {
    "nik": "NIK",
    "kk_number": "No KK",
    "full_name": "Nama",
    "birth_date": "Tanggal lahir",
    "sex": "Jenis kelamin",
    "mother_name": "Nama ibu",
    "address": "Alamat",
    "rt": "RT",
    "rw": "RW",
    "area_code": "Kode kelurahan",
    "phone": "Telepon",
    "data_source": "Sumber data",
    "source_reference": "Referensi",
}
TEMPLATE_HEADER = [COLUMN_LABELS[key] for key in COLUMNS]

_HEADER_NOISE = re.compile(r"[\s_\-./]+")
_SOURCES = {
    "dtks": "dtks",
    "dtsen": "dtsen",
    "local": "local",
    "lokal": "local",
    "verifikasilokal": "local",
    "verifikasilapangan": "local",
    "pemda": "local",
    "warga": "citizen",
    "akunwarga": "citizen",
    "citizen": "citizen",
}
_SEXES = {"l": "L", "lakilaki": "L", "pria": "L", "p": "P", "perempuan": "P", "wanita": "P"}
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")
_AREA_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")


def map_header(header: Iterable[str]) -> tuple[dict[int, str], list[str]]:
    """Column index -> canonical key, and the labels of required columns that are missing."""
    wanted = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}
    mapping: dict[int, str] = {}
    for index, title in enumerate(header):
        key = wanted.get(_HEADER_NOISE.sub("", str(title or "").strip().lower()))
        if key and key not in mapping.values():
            mapping[index] = key
    missing = [COLUMN_LABELS[key] for key in REQUIRED_COLUMNS if key not in mapping.values()]
    return mapping, missing


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_birth_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def normalize_area_code(value) -> str:
    text = _text(value).replace(" ", "")
    digits = normalize_number(text)
    if "." not in text and digits.isdigit() and len(digits) == 10:
        return f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:10]}"
    return text


def area_belongs_to_tenant(area_code: str, tenant_code: str) -> bool:
    return area_code.startswith(tenant_code + ".")


@dataclass(frozen=True)
class RowResult:
    cleaned: dict
    errors: list[str]


def check_row(
    values: dict,
    *,
    tenant_code: str,
    village_exists: Callable[[str], bool],
    today: datetime.date,
) -> RowResult:
    """Check one import row; every problem becomes one Indonesian reason (row kept whole or not at all)."""
    errors: list[str] = []
    cleaned: dict = {}
    for key in REQUIRED_COLUMNS:
        if not _text(values.get(key)):
            errors.append(_("Kolom %(column)s kosong.") % {"column": COLUMN_LABELS[key]})
    nik_parts = None
    if _text(values.get("nik")):
        try:
            nik_parts = parse_nik(_text(values["nik"]), today=today)
            cleaned["nik"] = nik_parts.nik
        except ValidationError as error:
            errors.append(_("NIK: %(reason)s") % {"reason": error.messages[0]})
    kk = normalize_number(_text(values.get("kk_number")))
    if kk:
        if not kk.isdigit() or len(kk) != 16:
            errors.append(
                _("Nomor KK harus 16 digit angka; yang diisi %(count)d karakter.") % {"count": len(kk)}
            )
        else:
            cleaned["kk_number"] = kk
    name = " ".join(_text(values.get("full_name")).split())
    if name:
        if len(name) > 150:
            errors.append(_("Nama terlalu panjang (paling banyak 150 karakter)."))
        cleaned["full_name"] = name
    birth_text = values.get("birth_date")
    if _text(birth_text):
        birth_date = parse_birth_date(birth_text)
        if birth_date is None:
            errors.append(
                _("Tanggal lahir %(value)s tidak dikenali; tulis TTTT-BB-HH atau HH-BB-TTTT.")
                % {"value": _text(birth_text)}
            )
        elif birth_date > today:
            errors.append(_("Tanggal lahir tidak boleh di masa depan."))
        else:
            cleaned["birth_date"] = birth_date
            if nik_parts is not None and nik_parts.birth_date != birth_date:
                errors.append(
                    _(
                        "Tanggal lahir %(date)s tidak sesuai dengan NIK (digit 7-12 menunjukkan "
                        "%(nik_date)s; untuk perempuan tanggal ditambah 40)."
                    )
                    % {
                        "date": birth_date.strftime("%d-%m-%Y"),
                        "nik_date": nik_parts.birth_date.strftime("%d-%m-%Y"),
                    }
                )
    sex_text = _HEADER_NOISE.sub("", _text(values.get("sex")).lower())
    if sex_text:
        sex = _SEXES.get(sex_text)
        if sex is None:
            errors.append(_("Jenis kelamin harus L (laki-laki) atau P (perempuan)."))
        else:
            cleaned["sex"] = sex
            if nik_parts is not None and nik_parts.is_female != (sex == "P"):
                errors.append(
                    _(
                        "Jenis kelamin tidak sesuai dengan NIK (tanggal lahir perempuan dalam NIK "
                        "ditambah 40)."
                    )
                )
    cleaned["mother_name"] = " ".join(_text(values.get("mother_name")).split())[:150]
    address = " ".join(_text(values.get("address")).split())
    if address:
        cleaned["address"] = address[:255]
    for key, label in (("rt", "RT"), ("rw", "RW")):
        text = _text(values.get(key))
        if text and (not text.isdigit() or len(text) > 3):
            errors.append(_("%(label)s harus angka, paling banyak 3 digit.") % {"label": label})
        else:
            cleaned[key] = text.zfill(3) if text else ""
    area_code = normalize_area_code(values.get("area_code"))
    if area_code:
        if not _AREA_CODE.match(area_code):
            errors.append(
                _("Kode kelurahan %(code)s tidak sah; tulis seperti 32.73.01.1001.") % {"code": area_code}
            )
        elif not area_belongs_to_tenant(area_code, tenant_code) or not village_exists(area_code):
            errors.append(
                _("Kelurahan/desa dengan kode %(code)s tidak dikenal di wilayah daerah ini.")
                % {"code": area_code}
            )
        else:
            cleaned["area_code"] = area_code
    phone_text = _text(values.get("phone"))
    if phone_text:
        phone = normalize_phone(phone_text)
        if not phone or len(phone) > 15 or not phone.startswith("0"):
            errors.append(_("Nomor telepon %(value)s tidak sah.") % {"value": phone_text})
        else:
            cleaned["phone"] = phone
    else:
        cleaned["phone"] = ""
    source_text = _HEADER_NOISE.sub("", _text(values.get("data_source")).lower())
    if source_text:
        source = _SOURCES.get(source_text)
        if source is None or source == "citizen":
            errors.append(_("Sumber data harus DTKS, DTSEN atau lokal (verifikasi pemerintah daerah)."))
        else:
            cleaned["data_source"] = source
    cleaned["source_reference"] = _text(values.get("source_reference"))[:64]
    return RowResult(cleaned=cleaned, errors=errors)


# --- Unit prices ------------------------------------------------------------------------------------


def price_excess_percent(unit_price: int, standard_price: int) -> float:
    """How far (in %) `unit_price` is above the standard price (0 when at or below it)."""
    if standard_price <= 0 or unit_price <= standard_price:
        return 0.0
    return (unit_price - standard_price) * 100 / standard_price


def is_price_above_standard(unit_price: int, standard_price: int, *, threshold_percent: float) -> bool:
    return price_excess_percent(unit_price, standard_price) > threshold_percent


SSH_COLUMNS = ("kode", "uraian", "satuan", "harga", "tahun")


def check_price_row(values: dict) -> tuple[dict, list[str]]:
    """One SSH import row: kode, uraian, satuan, harga (integer Rupiah), tahun."""
    errors, cleaned = [], {}
    for key, label in (("kode", "Kode"), ("uraian", "Uraian"), ("satuan", "Satuan")):
        text = _text(values.get(key))
        if not text:
            errors.append(_("Kolom %(column)s kosong.") % {"column": label})
        cleaned[key] = text
    price_text = _text(values.get("harga")).replace(".", "").replace(",", "").replace("Rp", "").strip()
    if not price_text.isdigit() or int(price_text) <= 0:
        errors.append(_("Harga harus bilangan bulat Rupiah lebih dari 0."))
    else:
        cleaned["harga"] = int(price_text)
    year_text = _text(values.get("tahun"))
    if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100:
        errors.append(_("Tahun harus empat digit, misalnya 2026."))
    else:
        cleaned["tahun"] = int(year_text)
    return cleaned, errors


# --- Bank account holder names -----------------------------------------------------------------------

_LEGAL_FORM_WORDS = frozenset(
    {
        "yayasan",
        "perkumpulan",
        "koperasi",
        "pt",
        "cv",
        "ud",
        "lembaga",
        "organisasi",
        "ormas",
        "lsm",
        "kelompok",
        "paguyuban",
        "badan",
        "persatuan",
        "ikatan",
        "himpunan",
        "forum",
    }  # fmt: skip
)
_NAME_NOISE = re.compile(r"[^a-z0-9 ]+")


def normalize_org_name(value: str, *, drop_legal_form: bool = True) -> str:
    words = _NAME_NOISE.sub(" ", (value or "").lower()).split()
    if drop_legal_form:
        words = [word for word in words if word not in _LEGAL_FORM_WORDS]
    return " ".join(words)


def holder_name_issue(holder_name: str, organisation_name: str) -> str | None:
    """Why an account holder name does not match the organisation (None when it matches exactly).

    "legal_form": the names agree only after dropping legal-form words ("Yayasan", "Perkumpulan"...),
    which G1's entry check accepts but a payment officer should confirm; "different": they do not agree.
    """
    holder = normalize_org_name(holder_name, drop_legal_form=False)
    organisation = normalize_org_name(organisation_name, drop_legal_form=False)
    if holder == organisation:
        return None
    if normalize_org_name(holder_name) == normalize_org_name(organisation_name):
        return "legal_form"
    return "different"


# --- Flags ------------------------------------------------------------------------------------------


def flag_dedup_key(
    kind: str, subject_type: str, subject_id, records: Iterable[str] = (), extra: str = ""
) -> str:
    """Stable identity of a finding: the same kind, subject and other records give the same key."""
    text = "|".join([kind, f"{subject_type}:{subject_id}", ",".join(sorted(set(records))), extra])
    return hashlib.sha256(text.encode()).hexdigest()


def previous_year_needs_flag(*, funded_previous_year: bool, is_exempt: bool) -> bool:
    """Hibah is not continuous every year (Permendagri 32/2011 Pasal 4) unless the law obliges it."""
    return funded_previous_year and not is_exempt
