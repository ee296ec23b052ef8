"""Forms of the admin, platform and login pages: they parse input; the actions decide."""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from praja.core.accounts.forms import LoginForm as AccountLoginForm
from praja.core.accounts.models import OrgUnitKind
from praja.core.accounts.rules import parse_nip
from praja.core.calendar.models import TenantHolidayKind
from praja.core.modules.registry import is_secret_parameter
from praja.core.permissions.roles import all_roles

CLEAR_SUFFIX = "__clear"


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show an action's ValidationError on the form: per field where it names one, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class PlatformLoginForm(AccountLoginForm):
    """The platform login: the tenant login's fields, and the authenticator code in the same step."""

    otp_token = forms.CharField(
        label=_("Kode autentikator (jika akun Anda memakainya)"),
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class OfficialForm(forms.Form):
    nip = forms.CharField(label=_("NIP"), max_length=24, help_text=_("18 digit; spasi boleh."))
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("Email"), max_length=254)
    phone = forms.CharField(label=_("Nomor HP"), max_length=20, required=False)
    org_unit = forms.ModelChoiceField(
        label=_("Perangkat daerah"),
        queryset=None,
        required=False,
        empty_label=_("— semua perangkat daerah —"),
    )

    def __init__(self, *args, perangkat_daerah=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = perangkat_daerah

    def clean_nip(self) -> str:
        # The same check the action makes, here so the field error shows next to the field.
        return parse_nip(self.cleaned_data["nip"]).nip


class OrgUnitForm(forms.Form):
    code = forms.CharField(label=_("Kode"), max_length=30)
    name = forms.CharField(label=_("Nama"), max_length=200)
    short_name = forms.CharField(label=_("Singkatan"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Jenis"), choices=OrgUnitKind.choices)
    parent = forms.ModelChoiceField(
        label=_("Berada di bawah"),
        queryset=None,
        required=False,
        empty_label=_("— tidak ada (perangkat daerah) —"),
    )

    def __init__(self, *args, parents=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents
        if editing:
            del self.fields["kind"]  # a unit does not change kind; it is recreated instead


class PositionForm(forms.Form):
    title = forms.CharField(label=_("Nama jabatan"), max_length=200)
    job_class = forms.IntegerField(label=_("Kelas jabatan"), min_value=1, max_value=17, required=False)
    supervisor = forms.ModelChoiceField(
        label=_("Atasan (jabatan)"), queryset=None, required=False, empty_label=_("— tidak ada —")
    )

    def __init__(self, *args, positions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = positions


class HolderForm(forms.Form):
    holder = forms.ModelChoiceField(
        label=_("Pemegang jabatan"), queryset=None, required=False, empty_label=_("— kosong —")
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = people


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Peran"))
    org_unit = forms.ModelChoiceField(
        label=_("Hanya di perangkat daerah"),
        queryset=None,
        required=False,
        empty_label=_("— seluruh daerah —"),
    )

    def __init__(self, *args, perangkat_daerah=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.name, role.label) for role in all_roles()]
        self.fields["org_unit"].queryset = perangkat_daerah


class ModuleParametersForm(forms.Form):
    """One field per declared parameter, typed by the type of its default value.

    A secret parameter (registry.is_secret_parameter) is a password field that never shows the
    stored value: left empty it keeps that value; its "clear" box empties it.
    """

    def __init__(self, *args, defaults: dict, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.secret_keys = [key for key in defaults if is_secret_parameter(key)]
        for key, default in defaults.items():
            value = current.get(key, default)
            label = key.replace("_", " ").capitalize()
            if key in self.secret_keys:
                self._add_secret_field(key, label, is_set=bool(value))
                continue
            if isinstance(default, bool):
                field = forms.BooleanField(label=label, required=False, initial=value)
            elif isinstance(default, int):
                field = forms.IntegerField(label=label, initial=value)
            elif isinstance(default, float):
                field = forms.FloatField(label=label, initial=value)
            elif isinstance(default, list | dict):
                field = forms.JSONField(label=label, initial=value, widget=forms.Textarea(attrs={"rows": 4}))
            else:
                field = forms.CharField(label=label, required=False, initial=value, max_length=2000)
            field.help_text = _("Bawaan: %(default)s") % {"default": json.dumps(default, ensure_ascii=False)}
            self.fields[key] = field

    def _add_secret_field(self, key: str, label: str, *, is_set: bool) -> None:
        self.fields[key] = forms.CharField(
            label=label,
            required=False,
            max_length=2000,
            strip=True,
            widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
            help_text=_("Rahasia tersimpan dan tidak ditampilkan; kosongkan untuk tidak mengubahnya.")
            if is_set
            else _("Rahasia belum diisi."),
        )
        if is_set:
            self.fields[f"{key}{CLEAR_SUFFIX}"] = forms.BooleanField(
                label=_("Hapus rahasia %(label)s") % {"label": label}, required=False
            )

    def clean(self):
        cleaned = super().clean()
        for key in self.secret_keys:
            if cleaned.pop(f"{key}{CLEAR_SUFFIX}", False):
                cleaned[key] = ""
            elif not cleaned.get(key):
                cleaned.pop(key, None)  # empty keeps the stored secret
        return cleaned


class LetterheadForm(forms.Form):
    letterhead_title = forms.CharField(label=_("Judul kop surat"), max_length=200, required=False)
    letterhead_address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    letterhead_contact = forms.CharField(
        label=_("Kontak (telepon, email, situs)"), max_length=300, required=False
    )


class LogoForm(forms.Form):
    logo = forms.FileField(
        label=_("Logo (PNG atau JPEG, maks. 512 KB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )


class HostNameForm(forms.Form):
    host_name = forms.CharField(
        label=_("Nama host sendiri"),
        max_length=253,
        required=False,
        help_text=_("Mis. layanan.bandung.go.id. Kosongkan untuk tidak memakai."),
    )


class HolidayForm(forms.Form):
    date = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=_("Keterangan"), max_length=150)
    kind = forms.ChoiceField(
        label=_("Jenis"), choices=TenantHolidayKind.choices, initial=TenantHolidayKind.DAY_OFF
    )


class HolidayRemoveForm(forms.Form):
    date = forms.DateField()


class TenantAddForm(forms.Form):
    code = forms.CharField(
        label=_("Kode wilayah Kemendagri"),
        max_length=5,
        help_text=_("Provinsi (mis. 36) atau kabupaten/kota (mis. 36.03)."),
    )
