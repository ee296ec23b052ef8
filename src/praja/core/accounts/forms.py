"""Forms of a person's own pages. Format checks only; the actions decide and write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from praja.core.accounts.actions import clean_nik
from praja.core.accounts.rules import normalize_number, normalize_phone


def normalize_identifier(value: str) -> str:
    """One spelling per account, so lockout counts cannot be dodged by spacing or case."""
    value = (value or "").strip()
    number = normalize_number(value)
    if number.isdigit():
        return number
    return value.lower()


class RegistrationForm(forms.Form):
    nik = forms.CharField(
        label=_("NIK"),
        max_length=24,
        help_text=_("16 digit Nomor Induk Kependudukan, seperti pada KTP-el atau Kartu Keluarga."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    full_name = forms.CharField(
        label=_("Nama lengkap"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(
        label=_("Nomor HP"),
        max_length=24,
        help_text=_("Nomor seluler, misalnya 0812 3456 7890."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        help_text=_("Minimal 10 karakter; jangan hanya angka."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_nik(self) -> str:
        return clean_nik(self.cleaned_data["nik"])

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        password, confirm = cleaned.get("password"), cleaned.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error(
                "password_confirm", ValidationError(_("Kedua kata sandi tidak sama."), code="mismatch")
            )
        return cleaned


class LoginForm(forms.Form):
    identifier = forms.CharField(
        label=_("Email, NIK atau NIP"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_identifier(self) -> str:
        return normalize_identifier(self.cleaned_data["identifier"])


class TokenForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Kode 6 digit dari aplikasi autentikator"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def clean_otp_token(self) -> str:
        token = normalize_number(self.cleaned_data["otp_token"])
        if not token.isdigit():
            raise ValidationError(_("Kode hanya berisi angka."), code="token_not_digits")
        return token


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("Nama lengkap"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("Email baru berlaku setelah Anda membuka tautan verifikasi yang kami kirim."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Nomor HP"),
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Bahasa"),
        choices=[("id", "Bahasa Indonesia"), ("en", "English")],
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        return normalize_phone(phone) if phone else ""


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Email akun Anda"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class SetPasswordForm(forms.Form):
    new_password = forms.CharField(
        label=_("Kata sandi baru"),
        strip=False,
        help_text=_("Minimal 10 karakter; jangan hanya angka."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_confirm = forms.CharField(
        label=_("Ulangi kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        password, confirm = cleaned.get("new_password"), cleaned.get("new_password_confirm")
        if password and confirm and password != confirm:
            self.add_error(
                "new_password_confirm", ValidationError(_("Kedua kata sandi tidak sama."), code="mismatch")
            )
        return cleaned


class PasswordChangeForm(SetPasswordForm):
    old_password = forms.CharField(
        label=_("Kata sandi lama"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["old_password", "new_password", "new_password_confirm"]
