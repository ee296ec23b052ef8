"""Forms of the screening pages (parse input only; actions decide)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from praja.modules.grants.screening.models import DataSource, FlagKind, FlagStatus, Sex


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas penerima (CSV atau XLSX)"),
        help_text=_(
            "Kolom: NIK, No KK, Nama, Tanggal lahir, Jenis kelamin, Nama ibu, Alamat, RT, RW, "
            "Kode kelurahan, Telepon, Sumber data, Referensi."
        ),
    )


class PriceImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas standar satuan harga (CSV atau XLSX)"),
        help_text=_("Kolom: kode, uraian, satuan, harga, tahun."),
    )


class BeneficiarySearchForm(forms.Form):
    q = forms.CharField(label=_("Cari nama, NIK atau No KK"), required=False, max_length=100)
    area = forms.CharField(label=_("Kode kelurahan"), required=False, max_length=13)
    source = forms.ChoiceField(
        label=_("Sumber data"), required=False, choices=[("", _("Semua"))] + list(DataSource.choices)
    )


class FlagFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis temuan"), required=False, choices=[("", _("Semua"))] + list(FlagKind.choices)
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua"))] + list(FlagStatus.choices)
    )


class ClearFlagForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan tertulis mengapa temuan ini tidak bermasalah"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )


class BeneficiaryForm(forms.Form):
    """A registry official (or a citizen for themself) registers one person."""

    nik = forms.CharField(label=_("NIK"), max_length=20)
    kk_number = forms.CharField(label=_("Nomor KK"), max_length=20)
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    birth_date = forms.DateField(label=_("Tanggal lahir"), widget=forms.DateInput(attrs={"type": "date"}))
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=Sex.choices)
    mother_name = forms.CharField(label=_("Nama ibu kandung"), max_length=150)
    address = forms.CharField(label=_("Alamat"), max_length=255)
    rt = forms.CharField(label=_("RT"), max_length=3, required=False)
    rw = forms.CharField(label=_("RW"), max_length=3, required=False)
    area_code = forms.CharField(
        label=_("Kode kelurahan/desa"), max_length=13, help_text=_("Contoh: 32.73.01.1001")
    )
    phone = forms.CharField(label=_("Nomor telepon"), max_length=20, required=False)
    data_source = forms.ChoiceField(
        label=_("Sumber data"),
        choices=[(v, label) for v, label in DataSource.choices if v != DataSource.CITIZEN],
    )
    source_reference = forms.CharField(label=_("Nomor referensi sumber data"), max_length=64, required=False)


class CitizenRegistrationForm(forms.Form):
    """A citizen registers themself in the aid registry (NIK from their account when it has one)."""

    nik = forms.CharField(label=_("NIK"), max_length=20)
    kk_number = forms.CharField(label=_("Nomor KK"), max_length=20)
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    birth_date = forms.DateField(label=_("Tanggal lahir"), widget=forms.DateInput(attrs={"type": "date"}))
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=Sex.choices)
    mother_name = forms.CharField(label=_("Nama ibu kandung"), max_length=150)
    address = forms.CharField(label=_("Alamat"), max_length=255)
    rt = forms.CharField(label=_("RT"), max_length=3, required=False)
    rw = forms.CharField(label=_("RW"), max_length=3, required=False)
    area_code = forms.CharField(
        label=_("Kode kelurahan/desa"), max_length=13, help_text=_("Contoh: 32.73.01.1001")
    )
    phone = forms.CharField(label=_("Nomor telepon"), max_length=20, required=False)
