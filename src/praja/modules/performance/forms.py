"""Forms of the performance pages (labels and messages in Indonesian, the source language)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from praja.modules.performance.models import AbsenceKind, AttendanceKind


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
