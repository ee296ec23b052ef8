"""Forms of the performance pages (labels and messages in Indonesian, the source language)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from praja.modules.performance.models import AbsenceKind, AttendanceKind, EmployeeStatus, EmploymentType


class EntryForm(forms.Form):
    start_time = forms.TimeField(label=_("Jam mulai"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Jam selesai"), widget=forms.TimeInput(attrs={"type": "time"}))
    activity = forms.TypedChoiceField(label=_("Aktivitas"), coerce=int, required=False, empty_value=None)
    is_additional_task = forms.BooleanField(
        label=_("Tugas tambahan (di luar katalog, bobot lebih rendah)"), required=False
    )
    description = forms.CharField(label=_("Uraian tugas tambahan"), max_length=300, required=False)
    volume = forms.IntegerField(label=_("Volume"), min_value=1, max_value=1000, initial=1)
    output = forms.CharField(label=_("Keluaran (hasil kerja)"), max_length=300)
    evidence = forms.FileField(label=_("Bukti (PDF/JPG/PNG)"), required=False)
    evidence_link = forms.URLField(label=_("atau tautan bukti"), required=False, assume_scheme="https")
    is_official_travel = forms.BooleanField(label=_("Dinas luar"), required=False)

    def __init__(self, *args, catalogue=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [("", _("— pilih aktivitas —"))] + [
            (item.pk, f"{item.name} ({item.standard_minutes} menit/{item.output_unit})") for item in catalogue
        ]


class AttendanceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Presensi"), choices=AttendanceKind.choices)
    client_time = forms.DateTimeField(required=False, widget=forms.HiddenInput)
    latitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    longitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    photo = forms.ImageField(label=_("Foto swafoto"), required=False)


class AbsenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=AbsenceKind.choices)
    start_date = forms.DateField(label=_("Mulai"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("Sampai"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Keterangan"), widget=forms.Textarea(attrs={"rows": 2}))
    attachment = forms.FileField(label=_("Lampiran (surat dokter, surat tugas)"), required=False)


class CorrectionForm(forms.Form):
    date = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Presensi"), choices=AttendanceKind.choices)
    corrected_time = forms.TimeField(
        label=_("Jam sebenarnya"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[("approve", _("Setujui")), ("reject", _("Tolak")), ("adjust", _("Revisi menit"))],
    )
    reason = forms.CharField(label=_("Alasan"), required=False, max_length=500)
    approved_minutes = forms.IntegerField(label=_("Menit disetujui"), required=False, min_value=0)


class NewConfigForm(forms.Form):
    effective_from = forms.DateField(
        label=_("Berlaku mulai bulan"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Tanggal berapa pun; versi berlaku mulai tanggal 1 bulan itu."),
    )
    daily_quota_minutes = forms.IntegerField(
        label=_("Kuota menit efektif per hari"), min_value=1, max_value=1440
    )


class AllowanceForm(forms.Form):
    job_class = forms.IntegerField(label=_("Kelas jabatan"), min_value=1, max_value=17)
    amount = forms.IntegerField(label=_("Besaran TPP per bulan (Rupiah)"), min_value=0)


class ActivityForm(forms.Form):
    code = forms.SlugField(label=_("Kode"), max_length=40)
    name = forms.CharField(label=_("Nama aktivitas"), max_length=250)
    output_unit = forms.CharField(label=_("Satuan output"), max_length=60)
    standard_minutes = forms.IntegerField(label=_("Waktu standar (menit)"), min_value=1, max_value=1440)
    job_family = forms.SlugField(label=_("Rumpun jabatan (kosong = semua)"), max_length=60, required=False)


class CorrectionDecisionForm(forms.Form):
    """The personnel admin's decision on an endorsed correction: a reason either way."""

    decision = forms.ChoiceField(
        label=_("Keputusan"), choices=[("approve", _("Setujui")), ("reject", _("Tolak"))]
    )
    reason = forms.CharField(
        label=_("Alasan (dicatat pada jejak audit)"),
        max_length=500,
        error_messages={"required": _("Isi alasan keputusan; alasan dicatat pada jejak audit.")},
    )
    otp_token = forms.CharField(
        label=_("Kode 6 digit dari aplikasi autentikator (wajib untuk menyetujui)"),
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, needs_code: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_code:
            # This session already proved the second factor: no code to type again.
            del self.fields["otp_token"]


def _position_label(position) -> str:
    supervisor = position.supervisor
    holder = getattr(getattr(supervisor, "holder", None), "full_name", "") if supervisor else ""
    if supervisor is None:
        return f"{position.title} ({position.org_unit.code}) — " + str(_("tanpa atasan"))
    return f"{position.title} ({position.org_unit.code}) — " + str(_("atasan: %(title)s %(name)s")) % {
        "title": supervisor.title,
        "name": f"({holder})" if holder else "",
    }


class EmployeeForm(forms.Form):
    """Register (with NIP) or edit an employee; the supervisor follows from the position's chain."""

    nip = forms.CharField(
        label=_("NIP"),
        max_length=25,
        help_text=_("18 digit; akun dengan NIP ini harus sudah ada."),
        error_messages={"required": _("Isi NIP pegawai.")},
    )
    org_unit = forms.ModelChoiceField(
        label=_("Perangkat daerah"),
        queryset=None,
        empty_label=_("— pilih perangkat daerah —"),
        error_messages={
            "required": _("Pilih perangkat daerah."),
            "invalid_choice": _("Pilih perangkat daerah."),
        },
    )
    position = forms.ModelChoiceField(
        label=_("Jabatan (menentukan atasan langsung)"),
        queryset=None,
        required=False,
        empty_label=_("— belum ada jabatan —"),
        error_messages={"invalid_choice": _("Jabatan itu tidak ada di perangkat daerah Anda.")},
    )
    job_class = forms.IntegerField(
        label=_("Kelas jabatan"),
        min_value=1,
        max_value=17,
        error_messages={
            "required": _("Isi kelas jabatan (1 sampai 17)."),
            "min_value": _("Kelas jabatan harus 1 sampai 17."),
            "max_value": _("Kelas jabatan harus 1 sampai 17."),
            "invalid": _("Kelas jabatan harus angka 1 sampai 17."),
        },
    )
    job_family = forms.SlugField(
        label=_("Rumpun jabatan (untuk katalog aktivitas)"),
        max_length=60,
        required=False,
        error_messages={"invalid": _("Rumpun jabatan hanya huruf kecil, angka dan tanda hubung.")},
    )
    employment_type = forms.ChoiceField(
        label=_("Jenis kepegawaian"),
        choices=EmploymentType.choices,
        error_messages={"required": _("Pilih jenis kepegawaian: PNS, PPPK atau CPNS.")},
    )
    status = forms.ChoiceField(label=_("Status kepegawaian"), choices=EmployeeStatus.choices)
    status_reason = forms.CharField(
        label=_("Dasar perubahan status (nomor SK)"),
        max_length=300,
        required=False,
        help_text=_("Wajib bila status bukan aktif atau berubah."),
    )

    def __init__(self, *args, org_units, positions, employee=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.employee = employee
        self.fields["org_unit"].queryset = org_units
        self.fields["position"].queryset = positions
        self.fields["position"].label_from_instance = _position_label
        if employee is not None:
            # The NIP identifies the account; it is not changed here.
            self.fields["nip"].disabled = True
            self.fields["nip"].required = False

    def clean_nip(self):
        from django.core.exceptions import ValidationError

        from praja.core.accounts.rules import normalize_number, parse_nip

        if self.employee is not None:
            return self.employee.user.nip
        value = normalize_number(self.cleaned_data["nip"])
        parse_nip(value)  # raises the Indonesian message of the part that is wrong
        from praja.core.accounts.models import User

        user = User.objects.filter(nip=value).first()
        if user is None:
            raise ValidationError(
                _("Tidak ada akun dengan NIP %(nip)s; buat akunnya dahulu di administrasi pengguna.")
                % {"nip": value}
            )
        self.user = user
        return value

    def clean(self):
        data = super().clean()
        position, org_unit = data.get("position"), data.get("org_unit")
        if position is not None and org_unit is not None and position.org_unit_id != org_unit.pk:
            self.add_error("position", _("Jabatan itu bukan jabatan di perangkat daerah yang dipilih."))
        status = data.get("status")
        before = self.employee.status if self.employee is not None else EmployeeStatus.ACTIVE
        if status and status != before and not (data.get("status_reason") or "").strip():
            self.add_error("status_reason", _("Isi dasar perubahan status (nomor SK)."))
        return data


class ApelAbsenceForm(forms.Form):
    employee = forms.ModelChoiceField(
        label=_("Pegawai"),
        queryset=None,
        empty_label=_("— pilih pegawai —"),
        error_messages={
            "required": _("Pilih pegawai yang tidak ikut apel."),
            "invalid_choice": _("Pegawai itu tidak ada di perangkat daerah Anda."),
        },
    )
    date = forms.DateField(
        label=_("Tanggal apel"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Isi tanggal apel."),
            "invalid": _("Tulis tanggal sebagai TTTT-BB-HH."),
        },
    )

    def __init__(self, *args, employees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees
        self.fields["employee"].label_from_instance = lambda e: f"{e.user.full_name} — {e.user.nip or ''}"
