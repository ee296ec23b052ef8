"""Forms of the public pages: the recipient filters and the "Laporkan" complaint form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from praja.modules.grants.funds.complaints import TEXT_MAX, TEXT_MIN
from praja.modules.grants.funds.public.selectors import (
    BANSOS_LPJ_STATUS,
    LpjPublicStatus,
    RecipientFilters,
    bansos_label,
    lpj_status_labels,
)


def lpj_choices():
    labels = {**lpj_status_labels(), BANSOS_LPJ_STATUS: bansos_label()}
    return [("", _("Semua"))] + [
        (code, labels[code])
        for code in (
            LpjPublicStatus.NOT_APPLICABLE,
            LpjPublicStatus.NOT_DUE,
            LpjPublicStatus.SUBMITTED,
            LpjPublicStatus.REVISION,
            LpjPublicStatus.OVERDUE,
            LpjPublicStatus.ACCEPTED,
            BANSOS_LPJ_STATUS,
        )
    ]


class RecipientFilterForm(forms.Form):
    tahun = forms.IntegerField(label=_("Tahun anggaran"), required=False, min_value=2000, max_value=2100)
    program = forms.SlugField(label=_("Kode program"), required=False, max_length=50)
    kecamatan = forms.RegexField(
        label=_("Kode kecamatan"),
        required=False,
        regex=r"^\d{2}\.\d{2}\.\d{2}$",
        max_length=8,
        error_messages={"invalid": _("Kode kecamatan berformat 32.73.01.")},
    )
    lpj = forms.ChoiceField(label=_("Status LPJ"), required=False, choices=lpj_choices)
    q = forms.CharField(label=_("Cari nomor atau nama lembaga"), required=False, max_length=100)
    halaman = forms.IntegerField(label=_("Halaman"), required=False, min_value=1, max_value=100000)

    def filters(self) -> RecipientFilters:
        data = self.cleaned_data
        return RecipientFilters(
            year=data.get("tahun"),
            programme=data.get("program") or "",
            kecamatan=data.get("kecamatan") or "",
            lpj=data.get("lpj") or "",
            search=(data.get("q") or "").strip(),
        )

    def page(self) -> int:
        return self.cleaned_data.get("halaman") or 1


class ComplaintForm(forms.Form):
    nama = forms.CharField(label=_("Nama (boleh dikosongkan)"), required=False, max_length=120)
    kontak = forms.CharField(
        label=_("Email atau nomor telepon (boleh dikosongkan)"),
        required=False,
        max_length=120,
        help_text=_("Hanya untuk Inspektorat bila perlu menghubungi Anda; tidak diumumkan."),
    )
    laporan = forms.CharField(
        label=_("Isi laporan"),
        widget=forms.Textarea(attrs={"rows": 6}),
        min_length=TEXT_MIN,
        max_length=TEXT_MAX,
        error_messages={
            "required": _("Tuliskan laporan Anda."),
            "min_length": _("Tuliskan laporan Anda, sedikitnya %(limit_value)d karakter."),
        },
    )
