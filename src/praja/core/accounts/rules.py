"""Identity number checks: NIK (citizens) and NIP (civil servants). Pure functions, no writes.

Each check raises a ValidationError whose message names the part that is wrong, so a citizen
typing a NIK on a phone knows what to fix.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s.\-]")


def normalize_number(value: str) -> str:
    return _SEPARATORS.sub("", value or "")


@dataclass(frozen=True)
class NikParts:
    nik: str
    district_code: str  # PP.KK.CC, e.g. 32.73.01
    birth_date: datetime.date
    is_female: bool
    serial: str


def _two_digit_year(yy: int, today: datetime.date) -> int:
    century = 2000 if 2000 + yy <= today.year else 1900
    return century + yy


def parse_nik(value: str, *, today: datetime.date | None = None, district_exists=None) -> NikParts:
    """Parse a NIK (Permendagri 19/2018 format): PPKKCC DDMMYY SSSS; women's day is +40.

    `district_exists(code)` checks the area prefix against the reference data.
    """
    today = today or datetime.date.today()
    nik = normalize_number(value)
    if not nik.isdigit():
        raise ValidationError(_("NIK hanya boleh berisi angka."), code="nik_not_digits")
    if len(nik) != 16:
        raise ValidationError(
            _("NIK harus 16 digit; yang Anda isi %(count)d digit.") % {"count": len(nik)}, code="nik_length"
        )
    district_code = f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"
    if district_exists is not None and not district_exists(district_code):
        raise ValidationError(
            _("Kode wilayah NIK (6 digit pertama, %(code)s) tidak ditemukan dalam data wilayah Kemendagri.")
            % {"code": nik[0:6]},
            code="nik_area",
        )
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    is_female = day > 40
    if is_female:
        day -= 40
    try:
        birth_date = datetime.date(_two_digit_year(yy, today), month, day)
    except ValueError:
        raise ValidationError(
            _(
                "Tanggal lahir dalam NIK (digit 7-12, %(part)s) bukan tanggal yang sah; "
                "untuk perempuan tanggal ditambah 40."
            )
            % {"part": nik[6:12]},
            code="nik_birth_date",
        ) from None
    if nik[12:16] == "0000":
        raise ValidationError(_("Nomor urut NIK (4 digit terakhir) tidak boleh 0000."), code="nik_serial")
    return NikParts(
        nik=nik, district_code=district_code, birth_date=birth_date, is_female=is_female, serial=nik[12:16]
    )


@dataclass(frozen=True)
class NipParts:
    nip: str
    birth_date: datetime.date
    appointment_year: int
    appointment_month: int
    is_female: bool
    serial: str


def parse_nip(value: str) -> NipParts:
    """Parse an 18-digit NIP: YYYYMMDD (birth) YYYYMM (CPNS TMT) G (1 male, 2 female) NNN."""
    nip = normalize_number(value)
    if not nip.isdigit():
        raise ValidationError(_("NIP hanya boleh berisi angka (spasi boleh)."), code="nip_not_digits")
    if len(nip) != 18:
        raise ValidationError(
            _("NIP harus 18 digit; yang Anda isi %(count)d digit.") % {"count": len(nip)}, code="nip_length"
        )
    try:
        birth_date = datetime.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise ValidationError(
            _("Tanggal lahir dalam NIP (digit 1-8, %(part)s) bukan tanggal yang sah.") % {"part": nip[0:8]},
            code="nip_birth_date",
        ) from None
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12 or year < birth_date.year + 15:
        raise ValidationError(
            _("TMT CPNS dalam NIP (digit 9-14, %(part)s) bukan tahun-bulan yang sah.") % {"part": nip[8:14]},
            code="nip_appointment",
        )
    if nip[14] not in "12":
        raise ValidationError(
            _("Kode jenis kelamin NIP (digit 15) harus 1 (laki-laki) atau 2 (perempuan)."), code="nip_gender"
        )
    if nip[15:18] == "000":
        raise ValidationError(_("Nomor urut NIP (3 digit terakhir) tidak boleh 000."), code="nip_serial")
    return NipParts(
        nip=nip,
        birth_date=birth_date,
        appointment_year=year,
        appointment_month=month,
        is_female=nip[14] == "2",
        serial=nip[15:18],
    )


def mask_nik(nik: str) -> str:
    """Show the area and the last two digits only, as public lists must (UU 27/2022)."""
    return f"{nik[:6]}********{nik[-2:]}" if len(nik) == 16 else "****"


# Indonesian mobile numbers: 08 followed by the operator digit (1-9) and 7-10 more digits
# (10-13 digits written nationally). Written as 08…, 628… or +628….
_MOBILE = re.compile(r"^08[1-9]\d{7,10}$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")


def normalize_phone(value: str) -> str:
    """Return an Indonesian mobile number in international form (`+6281234567890`)."""
    number = _PHONE_SEPARATORS.sub("", value or "")
    if number.startswith("+62"):
        number = "0" + number[3:]
    elif number.startswith("62"):
        number = "0" + number[2:]
    if not _MOBILE.match(number):
        raise ValidationError(
            _("Nomor HP harus nomor seluler Indonesia, misalnya 0812 3456 7890 atau +62 812 3456 7890."),
            code="phone_invalid",
        )
    return "+62" + number[1:]
