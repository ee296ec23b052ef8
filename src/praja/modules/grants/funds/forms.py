"""Forms of the officials' and recipients' pages of grant funds."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TrancheRequestForm(forms.Form):
    amount = forms.IntegerField(label=_("Jumlah tahap (Rupiah)"), min_value=1)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pembatalan"), max_length=500)


class ConfirmationUploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas konfirmasi bank (CSV)"))


class Sp2dForm(forms.Form):
    disbursement = forms.IntegerField(widget=forms.HiddenInput)
    sp2d_number = forms.CharField(label=_("Nomor SP2D"), max_length=60)
    sp2d_date = forms.DateField(label=_("Tanggal SP2D"), widget=forms.DateInput(attrs={"type": "date"}))
    bank_reference = forms.CharField(label=_("Referensi bank"), max_length=80, required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class LpjForm(forms.Form):
    usage_report = forms.CharField(
        label=_("Laporan penggunaan hibah"), widget=forms.Textarea(attrs={"rows": 6})
    )
    value_reported = forms.IntegerField(label=_("Nilai yang dipertanggungjawabkan (Rupiah)"), min_value=0)
    statement_file = forms.FileField(label=_("Surat pernyataan tanggung jawab (PDF)"))
    receipt_files = MultipleFileField(label=_("Bukti pengeluaran (PDF/JPEG/PNG, boleh lebih dari satu)"))
    photo_files = MultipleFileField(label=_("Foto kegiatan (JPEG/PNG, boleh lebih dari satu)"))


class LpjReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[("accept", _("Terima LPJ")), ("reject", _("Kembalikan untuk perbaikan"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Alasan (wajib bila dikembalikan)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Jawaban"), widget=forms.Textarea(attrs={"rows": 5}))
