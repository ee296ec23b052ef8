"""Demo catalogue: realistic non-OSS permits of Kota Bandung (domain brief §4.2, §4.5).

Loaded for Kota Bandung only; other regions adopt it with
`praja tenant adopt --from kota-bandung --to kabupaten-serang --modules licensing`.
Running it again finds every permit type already there and changes nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from praja.core.accounts.models import OrgUnit, OrgUnitKind
from praja.core.audit.actions import record
from praja.modules.licensing.models import (
    FeeKind,
    FormField,
    PdfTemplate,
    PermitType,
    Requirement,
    RequirementSet,
)

DEMO_TENANT_CODE = "32.73"

# Technical offices (Permendagri 90/2019 nomenclature codes) the catalogue points at.
OFFICES = {
    "1.01": ("Dinas Pendidikan", "Disdik"),
    "1.02": ("Dinas Kesehatan", "Dinkes"),
    "1.03": ("Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR"),
    "2.15": ("Dinas Perhubungan", "Dishub"),
    "8.01": ("Badan Kesatuan Bangsa dan Politik", "Kesbangpol"),
}

COMMON_STANDARD = {
    "procedure": (
        "1. Pemohon mendaftar dan mengisi formulir daring serta mengunggah persyaratan.\n"
        "2. Front office memeriksa kelengkapan; berkas tidak lengkap dikembalikan dengan kode persyaratan.\n"
        "3. Back office mendaftarkan berkas (jangka waktu mulai dihitung) dan menugaskan tim teknis.\n"
        "4. Tim teknis melakukan kajian (dan peninjauan lapangan bila diperlukan) serta memberi "
        "rekomendasi.\n"
        "5. Kepala DPMPTSP menandatangani izin secara elektronik; pemohon mengunduh izin ber-QR."
    ),
    "facilities": (
        "Aplikasi perizinan daring, ruang konsultasi DPMPTSP, layanan bantuan melalui pesan dan surel."
    ),
    "staff_competence": (
        "Pelaksana memahami peraturan perizinan terkait, pelayanan prima, dan aplikasi perizinan daring."
    ),
    "internal_supervision": (
        "Pengawasan oleh atasan langsung dan Inspektorat Daerah; jejak audit setiap tindakan."
    ),
    "complaint_handling": "Pengaduan melalui aplikasi ini, SP4N-LAPOR!, surel, atau langsung ke DPMPTSP.",
    "staff_count": "Front office 4 orang, back office 3 orang, tim teknis sesuai perangkat daerah.",
    "service_guarantee": (
        "Pelayanan diselesaikan sesuai jangka waktu; tanpa pungutan di luar retribusi resmi."
    ),
    "security_guarantee": "Dokumen ditandatangani elektronik dan dapat diverifikasi melalui kode QR.",
    "performance_evaluation": (
        "Survei kepuasan masyarakat (IKM) dan evaluasi kepatuhan waktu layanan setiap tahun."
    ),
}

KTP = ("ktp", "KTP pemohon", True, "", "pdf,jpeg,png", "")
PHOTO = ("pas_foto", "Pas foto berwarna 4×6", True, "", "jpeg,png", "")
LETTER = ("surat_permohonan", "Surat permohonan bermeterai", True, "", "pdf", "")

# code, name, office, legal basis, SLA, inspection, fee kind, amount, formula, fee basis, validity,
# template, prefix, organisation, product, requirements, form fields
CATALOGUE = [
    {
        "code": "sip-dokter",
        "name": "Surat Izin Praktik (SIP) Dokter",
        "office": "1.02",
        "legal_basis": (
            "UU 17/2023 tentang Kesehatan; Permenkes 2052/2011 "
            "tentang Izin Praktik dan Pelaksanaan "
            "Praktik Kedokteran; Perwal Bandung tentang Pelayanan Perizinan"
        ),
        "sla": 7,
        "inspection": False,
        "fee": (FeeKind.NONE, 0, "", ""),
        "validity": 60,
        "template": PdfTemplate.HEALTH,
        "prefix": "SIPD",
        "organisation": False,
        "product": "Surat Izin Praktik Dokter (elektronik, bertanda tangan elektronik dan QR)",
        "requirements": [
            LETTER,
            KTP,
            PHOTO,
            ("str", "STR yang masih berlaku dan dilegalisasi KKI", True, "", "pdf", "not_expired"),
            ("ijazah", "Ijazah dokter", True, "", "pdf", ""),
            ("rekomendasi_idi", "Rekomendasi organisasi profesi (IDI)", True, "", "pdf", ""),
            (
                "pernyataan_tempat",
                "Surat pernyataan memiliki tempat praktik",
                True,
                "jenis_praktik == mandiri",
                "pdf",
                "",
            ),
            (
                "denah_lokasi",
                "Denah dan peta lokasi tempat praktik",
                True,
                "jenis_praktik == mandiri",
                "pdf,jpeg,png",
                "",
            ),
            (
                "surat_keterangan_fasyankes",
                "Surat keterangan dari pimpinan fasilitas pelayanan kesehatan",
                True,
                "jenis_praktik == fasyankes",
                "pdf",
                "",
            ),
            (
                "persetujuan_atasan",
                "Persetujuan atasan langsung (bagi ASN/pegawai penuh waktu)",
                False,
                "",
                "pdf",
                "",
            ),
        ],
        "fields": [
            ("nomor_str", "Nomor STR", "text", True, ""),
            (
                "jenis_praktik",
                "Jenis praktik",
                "choice",
                True,
                "mandiri|Praktik mandiri\nfasyankes|Di fasilitas pelayanan kesehatan",
            ),
            ("nama_tempat_praktik", "Nama tempat praktik", "text", True, ""),
            ("alamat_praktik", "Alamat tempat praktik", "textarea", True, ""),
            ("sip_ke", "SIP ke-", "choice", True, "1|Pertama\n2|Kedua\n3|Ketiga"),
        ],
    },
    {
        "code": "sik-perawat",
        "name": "Surat Izin Kerja/Praktik Perawat (SIPP)",
        "office": "1.02",
        "legal_basis": (
            "UU 17/2023 tentang Kesehatan; Permenkes 26/2019 tentang Peraturan Pelaksanaan UU Keperawatan"
        ),
        "sla": 7,
        "inspection": False,
        "fee": (FeeKind.NONE, 0, "", ""),
        "validity": 60,
        "template": PdfTemplate.HEALTH,
        "prefix": "SIPP",
        "organisation": False,
        "product": "Surat Izin Praktik Perawat (elektronik)",
        "requirements": [
            LETTER,
            KTP,
            PHOTO,
            ("str", "STR perawat yang masih berlaku", True, "", "pdf", "not_expired"),
            ("rekomendasi_ppni", "Rekomendasi PPNI", True, "", "pdf", ""),
            (
                "surat_keterangan_fasyankes",
                "Surat keterangan bekerja dari fasilitas pelayanan kesehatan",
                True,
                "",
                "pdf",
                "",
            ),
        ],
        "fields": [
            ("nomor_str", "Nomor STR", "text", True, ""),
            ("nama_fasyankes", "Nama fasilitas pelayanan kesehatan", "text", True, ""),
            ("alamat_praktik", "Alamat tempat praktik", "textarea", True, ""),
        ],
    },
    {
        "code": "izin-reklame",
        "name": "Izin Penyelenggaraan Reklame",
        "office": "1.03",
        "legal_basis": (
            "Perda Kota Bandung tentang Penyelenggaraan Reklame; "
            "Perda Kota Bandung tentang Pajak dan "
            "Retribusi Daerah"
        ),
        "sla": 10,
        "inspection": True,
        "fee": (
            FeeKind.FORMULA,
            0,
            "luas_m2 * lama_bulan * 25000",
            "Perda Kota Bandung tentang Pajak Daerah dan Retribusi Daerah, lampiran tarif reklame "
            "(contoh demo)",
        ),
        "validity": 12,
        "template": PdfTemplate.CERTIFICATE,
        "prefix": "IR",
        "organisation": True,
        "product": "Izin Penyelenggaraan Reklame (sertifikat elektronik)",
        "requirements": [
            LETTER,
            KTP,
            ("desain_reklame", "Desain/gambar reklame dengan ukuran", True, "", "pdf,jpeg,png", ""),
            ("foto_lokasi", "Foto lokasi rencana pemasangan", True, "", "jpeg,png", ""),
            ("persetujuan_pemilik", "Persetujuan pemilik lahan/bangunan", True, "", "pdf", ""),
            (
                "konstruksi",
                "Gambar konstruksi (reklame di atas 8 m²)",
                True,
                "jenis_konstruksi == billboard",
                "pdf",
                "",
            ),
            ("akta_badan", "Akta pendirian badan usaha", False, "", "pdf", ""),
        ],
        "fields": [
            ("naskah", "Naskah/tema reklame", "text", True, ""),
            (
                "jenis_konstruksi",
                "Jenis reklame",
                "choice",
                True,
                "billboard|Papan/billboard\nbaliho|Baliho\nspanduk|Spanduk\nneon_box|Neon box",
            ),
            ("luas_m2", "Luas bidang reklame (m²)", "number", True, ""),
            ("lama_bulan", "Lama pemasangan (bulan)", "number", True, ""),
            ("lokasi", "Alamat lokasi pemasangan", "textarea", True, ""),
        ],
    },
    {
        "code": "izin-penelitian",
        "name": "Surat Keterangan Penelitian",
        "office": "8.01",
        "legal_basis": "Permendagri 3/2018 tentang Penerbitan Surat Keterangan Penelitian",
        "sla": 3,
        "inspection": False,
        "fee": (FeeKind.NONE, 0, "", ""),
        "validity": 6,
        "template": PdfTemplate.STANDARD,
        "prefix": "SKP",
        "organisation": False,
        "product": "Surat Keterangan Penelitian (elektronik)",
        "requirements": [
            LETTER,
            KTP,
            ("surat_pengantar", "Surat pengantar dari perguruan tinggi/lembaga", True, "", "pdf", ""),
            ("proposal", "Proposal penelitian", True, "", "pdf", ""),
        ],
        "fields": [
            ("judul", "Judul penelitian", "text", True, ""),
            ("lembaga", "Perguruan tinggi/lembaga", "text", True, ""),
            ("lokasi_penelitian", "Lokasi penelitian", "text", True, ""),
            ("tanggal_mulai", "Tanggal mulai", "date", True, ""),
            ("tanggal_selesai", "Tanggal selesai", "date", True, ""),
        ],
    },
    {
        "code": "izin-trayek",
        "name": "Izin Trayek Angkutan Kota",
        "office": "2.15",
        "legal_basis": "UU 22/2009 tentang Lalu Lintas dan Angkutan Jalan; PM Perhubungan 15/2019 tentang "
        "Penyelenggaraan Angkutan Orang dengan Kendaraan Bermotor Umum dalam Trayek",
        "sla": 10,
        "inspection": True,
        "fee": (FeeKind.NONE, 0, "", ""),
        "validity": 60,
        "template": PdfTemplate.CERTIFICATE,
        "prefix": "IT",
        "organisation": True,
        "product": "Izin Trayek dan Kartu Pengawasan (elektronik)",
        "requirements": [
            LETTER,
            KTP,
            ("stnk", "STNK kendaraan", True, "", "pdf,jpeg,png", ""),
            (
                "buku_uji",
                "Buku uji berkala (KIR) yang masih berlaku",
                True,
                "",
                "pdf,jpeg,png",
                "not_expired",
            ),
            ("akta_badan", "Akta badan hukum/koperasi angkutan", True, "", "pdf", ""),
            ("pool", "Keterangan memiliki pool/garasi", True, "", "pdf", ""),
        ],
        "fields": [
            ("kode_trayek", "Kode trayek", "text", True, ""),
            ("nomor_kendaraan", "Nomor kendaraan", "text", True, ""),
            ("jumlah_kendaraan", "Jumlah kendaraan", "number", True, ""),
        ],
    },
    {
        "code": "izin-operasional-paud",
        "name": "Izin Operasional Satuan PAUD",
        "office": "1.01",
        "legal_basis": "Permendikbud 84/2014 tentang Pendirian Satuan Pendidikan Anak Usia Dini",
        "sla": 14,
        "inspection": True,
        "fee": (FeeKind.NONE, 0, "", ""),
        "validity": 60,
        "template": PdfTemplate.CERTIFICATE,
        "prefix": "PAUD",
        "organisation": True,
        "product": "Izin Operasional Satuan PAUD (elektronik)",
        "requirements": [
            LETTER,
            KTP,
            ("akta_yayasan", "Akta pendirian yayasan dan pengesahan Kemenkumham", True, "", "pdf", ""),
            ("kurikulum", "Dokumen kurikulum tingkat satuan pendidikan", True, "", "pdf", ""),
            ("data_pendidik", "Data pendidik dan tenaga kependidikan", True, "", "pdf", ""),
            ("bukti_lahan", "Bukti kepemilikan/sewa lahan dan bangunan", True, "", "pdf", ""),
            ("denah_lokasi", "Denah bangunan dan peta lokasi", True, "", "pdf,jpeg,png", ""),
        ],
        "fields": [
            ("nama_satuan", "Nama satuan PAUD", "text", True, ""),
            (
                "bentuk",
                "Bentuk satuan",
                "choice",
                True,
                "tk|Taman Kanak-kanak\nkb|Kelompok Bermain\ntpa|Taman Penitipan Anak\nsps|Satuan "
                "PAUD Sejenis",
            ),
            ("alamat", "Alamat satuan", "textarea", True, ""),
            ("jumlah_peserta_didik", "Jumlah peserta didik", "number", True, ""),
        ],
    },
]


def _office(code: str) -> OrgUnit:
    name, short_name = OFFICES[code]
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        unit = OrgUnit.objects.create(
            code=code, name=name, short_name=short_name, kind=OrgUnitKind.PERANGKAT_DAERAH
        )
    return unit


def create_permit_type(spec: dict) -> PermitType:
    """Create one permit type of `spec` (CATALOGUE's shape) with a published version 1."""
    kind, amount, formula, fee_basis = spec["fee"]
    permit_type = PermitType.objects.create(
        code=spec["code"],
        name=spec["name"],
        legal_basis=spec["legal_basis"],
        responsible_org_unit=_office(spec["office"]),
        sla_working_days=spec["sla"],
        needs_field_inspection=spec["inspection"],
        fee_kind=kind,
        fee_amount=amount,
        fee_formula=formula,
        fee_legal_basis=fee_basis,
        validity_months=spec["validity"],
        pdf_template=spec["template"],
        permit_number_prefix=spec["prefix"],
        allows_organisation=spec["organisation"],
        product=spec["product"],
        is_published=True,
        **COMMON_STANDARD,
    )
    now = timezone.now()
    version = RequirementSet.objects.create(
        permit_type=permit_type, version=1, published_at=now, effective_from=now
    )
    for position, (code, label, mandatory, condition, types, check) in enumerate(
        spec["requirements"], start=1
    ):
        Requirement.objects.create(
            requirement_set=version,
            code=code,
            label=label,
            is_mandatory=mandatory,
            condition=condition,
            accepted_types=types,
            check_name=check,
            position=position,
        )
    for position, (key, label, kind_, required, choices) in enumerate(spec["fields"], start=1):
        FormField.objects.create(
            requirement_set=version,
            key=key,
            label=label,
            kind=kind_,
            required=required,
            choices=choices,
            position=position,
        )
    return permit_type


def load_catalogue() -> int:
    """Create the demo permit types missing in the active tenant; return how many were made."""
    made = 0
    with transaction.atomic():
        for spec in CATALOGUE:
            if PermitType.objects.filter(code=spec["code"]).exists():
                continue
            permit_type = create_permit_type(spec)
            record(
                "licensing.permit_type_created",
                obj=permit_type,
                data={"code": permit_type.code, "demo": True},
            )
            made += 1
    return made


def load_demo(tenant) -> int:
    """Manifest hook of `praja demo`: Bandung's catalogue (the active tenant is `tenant`)."""
    if tenant.code != DEMO_TENANT_CODE:
        return 0
    return load_catalogue()
