"""Fixed vocabularies of the satisfaction survey (IKM) and of complaints, with their legal basis.

Other modules may import this file (module boundary rule: constants, selectors and actions only).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# PermenPANRB 14/2017 (Pedoman Penyusunan Survei Kepuasan Masyarakat), lampiran: nine elements
# (unsur). Implementations differ on the order of U8/U9, so every answer keeps the element's code.
IKM_REGULATION = "PermenPANRB 14/2017"
IKM_REGULATION_IN_FORCE_FROM = datetime.date(2017, 6, 13)


class IkmElement(models.TextChoices):
    U1 = "U1", _("Persyaratan")
    U2 = "U2", _("Sistem, mekanisme, dan prosedur")
    U3 = "U3", _("Waktu penyelesaian")
    U4 = "U4", _("Biaya/tarif")
    U5 = "U5", _("Produk spesifikasi jenis pelayanan")
    U6 = "U6", _("Kompetensi pelaksana")
    U7 = "U7", _("Perilaku pelaksana")
    U8 = "U8", _("Sarana dan prasarana")
    U9 = "U9", _("Penanganan pengaduan, saran, dan masukan")


IKM_ELEMENT_CODES: tuple[str, ...] = tuple(IkmElement.values)

# The question put to the respondent for each element (shown on the survey form).
IKM_QUESTIONS: dict[str, str] = {
    "U1": _("Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?"),
    "U2": _("Bagaimana pemahaman Anda tentang kemudahan prosedur pelayanan di unit ini?"),
    "U3": _("Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?"),
    "U4": _("Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?"),
    "U5": _("Bagaimana pendapat Anda tentang kesesuaian produk pelayanan dengan standar pelayanan?"),
    "U6": _("Bagaimana pendapat Anda tentang kompetensi/kemampuan petugas dalam pelayanan?"),
    "U7": _("Bagaimana pendapat Anda tentang perilaku petugas dalam pelayanan (kesopanan, keramahan)?"),
    "U8": _("Bagaimana pendapat Anda tentang kualitas sarana dan prasarana?"),
    "U9": _("Bagaimana pendapat Anda tentang penanganan pengaduan pengguna layanan?"),
}

# Scale 1–4 (PermenPANRB 14/2017): tidak baik, kurang baik, baik, sangat baik.
SCORE_MIN = 1
SCORE_MAX = 4
SCORE_CHOICES = [
    (1, _("Tidak baik")),
    (2, _("Kurang baik")),
    (3, _("Baik")),
    (4, _("Sangat baik")),
]

# IKM = (Σ NRR_i × w) × 25. The regulation defines w = 1/9 (equal weight, "jumlah bobot / jumlah
# unsur") but its tables print it as 0.111, and most published reports use 0.111. We compute both:
# `exact` with w = 1/9 and `official` with w = 0.111, and grade the official (published) figure.
IKM_CONVERSION_FACTOR = 25
IKM_OFFICIAL_WEIGHT = Decimal("0.111")


@dataclass(frozen=True)
class IkmGradeBand:
    grade: str
    lower: Decimal  # inclusive lower bound of the IKM figure rounded to two decimals
    label: str


# PermenPANRB 14/2017, tabel nilai persepsi, interval IKM dan mutu pelayanan:
# A 88.31–100.00 Sangat Baik; B 76.61–88.30 Baik; C 65.00–76.60 Kurang Baik; D 25.00–64.99 Tidak Baik.
IKM_GRADE_BANDS: tuple[IkmGradeBand, ...] = (
    IkmGradeBand("A", Decimal("88.31"), _("Sangat Baik")),
    IkmGradeBand("B", Decimal("76.61"), _("Baik")),
    IkmGradeBand("C", Decimal("65.00"), _("Kurang Baik")),
    IkmGradeBand("D", Decimal("25.00"), _("Tidak Baik")),
)
GRADE_ORDER = ("D", "C", "B", "A")


class SurveyChannel(models.TextChoices):
    ONLINE = "online", _("Daring setelah izin terbit")
    KIOSK = "kiosk", _("Kios survei di kantor pelayanan")


# Respondent demographics the regulation's questionnaire lists (umur, jenis kelamin, pendidikan,
# pekerjaan).
class AgeBand(models.TextChoices):
    UNDER_20 = "lt20", _("Di bawah 20 tahun")
    FROM_20 = "20-29", _("20–29 tahun")
    FROM_30 = "30-39", _("30–39 tahun")
    FROM_40 = "40-49", _("40–49 tahun")
    FROM_50 = "50-59", _("50–59 tahun")
    FROM_60 = "60+", _("60 tahun ke atas")


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Education(models.TextChoices):
    PRIMARY = "sd", _("SD atau di bawahnya")
    JUNIOR = "smp", _("SMP")
    SENIOR = "sma", _("SMA/SMK")
    DIPLOMA = "diploma", _("D1/D2/D3")
    BACHELOR = "s1", _("D4/S1")
    MASTER = "s2", _("S2")
    DOCTORATE = "s3", _("S3")


class Occupation(models.TextChoices):
    CIVIL_SERVANT = "pns", _("PNS/ASN")
    MILITARY_POLICE = "tni_polri", _("TNI/Polri")
    PRIVATE = "swasta", _("Pegawai swasta")
    ENTREPRENEUR = "wirausaha", _("Wirausaha")
    STUDENT = "pelajar", _("Pelajar/mahasiswa")
    OTHER = "lainnya", _("Lainnya")


# Complaints — PermenPANRB 62/2018 (SP4N-LAPOR!) and the resolution bands of published standar
# pelayanan: ringan ≤ 2 working days, normatif ≤ 5, tidak perlu pengawasan ≤ 14, perlu
# investigasi ≤ 60 (UU 25/2009 gives 14 and 60 days as the outer limits).
class ComplaintBand(models.TextChoices):
    LIGHT = "ringan", _("Ringan (paling lama 2 hari kerja)")
    NORMATIVE = "normatif", _("Normatif (paling lama 5 hari kerja)")
    NO_SUPERVISION = "tanpa_pengawasan", _("Tidak perlu pengawasan (paling lama 14 hari kerja)")
    INVESTIGATION = "investigasi", _("Perlu investigasi (paling lama 60 hari kerja)")


# Tenant parameters (module "licensing"), with their defaults; a tenant may shorten or lengthen them.
COMPLAINT_BAND_PARAMETERS: dict[str, str] = {
    ComplaintBand.LIGHT: "complaint_days_light",
    ComplaintBand.NORMATIVE: "complaint_days_normative",
    ComplaintBand.NO_SUPERVISION: "complaint_days_no_supervision",
    ComplaintBand.INVESTIGATION: "complaint_days_investigation",
}
FEEDBACK_DEFAULT_PARAMETERS: dict[str, int] = {
    # Verifying (classifying and assigning) a new complaint. LAPOR! practice is three working days
    # (PermenPANRB 62/2018 [R]); the band's own deadline still counts from receipt.
    "complaint_days_verification": 3,
    "complaint_days_light": 2,
    "complaint_days_normative": 5,
    "complaint_days_no_supervision": 14,
    "complaint_days_investigation": 60,
    "public_submissions_per_hour": 5,  # complaints and kiosk surveys per IP address and hour
}


class ComplaintStatus(models.TextChoices):
    NEW = "new", _("Dikirim")  # only inside the submitting transaction; "receive" follows at once
    RECEIVED = "received", _("Diterima")
    ASSIGNED = "assigned", _("Ditindaklanjuti unit/pejabat")
    ANSWERED = "answered", _("Dijawab")
    CLOSED = "closed", _("Selesai")
    REJECTED = "rejected", _("Ditolak (tidak dapat ditindaklanjuti)")


class ComplaintChannel(models.TextChoices):
    WEB = "web", _("Situs web Praja")
    API = "api", _("API")
    LAPOR = "lapor", _("SP4N-LAPOR!")


COMPLAINT_WORKFLOW = "licensing.complaint"
