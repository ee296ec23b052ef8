"""Forms of the survey and complaint pages (validation proper lives in actions and rules)."""

from __future__ import annotations

import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from praja.modules.licensing.feedback.constants import (
    IKM_QUESTIONS,
    SCORE_CHOICES,
    AgeBand,
    ComplaintBand,
    Education,
    IkmElement,
    Occupation,
    Sex,
)

_STARTED_SALT = "licensing-feedback-form-started"


def started_token() -> str:
    return signing.dumps(time.time(), salt=_STARTED_SALT)


def elapsed_seconds(token: str) -> float | None:
    try:
        started = signing.loads(token or "", salt=_STARTED_SALT, max_age=86400)
    except signing.BadSignature:
        return None
    return time.time() - float(started)


class SurveyForm(forms.Form):
    age_band = forms.ChoiceField(label=_("Umur"), choices=[("", "—")] + AgeBand.choices)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=Sex.choices, widget=forms.RadioSelect)
    education = forms.ChoiceField(label=_("Pendidikan terakhir"), choices=[("", "—")] + Education.choices)
    occupation = forms.ChoiceField(label=_("Pekerjaan"), choices=[("", "—")] + Occupation.choices)
    suggestion = forms.CharField(
        label=_("Saran dan masukan (boleh dikosongkan)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in IkmElement.choices:
            self.fields[code] = forms.TypedChoiceField(
                label=f"{code}. {label} — {IKM_QUESTIONS[code]}",
                choices=[(str(value), text) for value, text in SCORE_CHOICES],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Pilih nilai 1–4 untuk unsur %(code)s.") % {"code": code}},
            )
        # Elements first, then the respondent's profile.
        order = [code for code, _label in IkmElement.choices] + [
            "age_band",
            "sex",
            "education",
            "occupation",
            "suggestion",
        ]
        self.order_fields(order)

    def answers(self) -> dict[str, int]:
        return {code: self.cleaned_data[code] for code, _label in IkmElement.choices}

    def demographics(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in ("age_band", "sex", "education", "occupation")}


class AntiSpamMixin(forms.Form):
    # A field hidden from people (CSS and aria-hidden); bots that fill every input give themselves away.
    website = forms.CharField(required=False, label=_("Jangan diisi"))
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def spam_inputs(self) -> dict:
        return {
            "honeypot": self.cleaned_data.get("website", ""),
            "elapsed_seconds": elapsed_seconds(self.cleaned_data.get("started", "")),
        }


class KioskSurveyForm(AntiSpamMixin, SurveyForm):
    permit_type = forms.ModelChoiceField(
        label=_("Layanan yang Anda terima"),
        queryset=None,
        required=False,
        empty_label=_("Layanan umum / lainnya"),
    )

    def __init__(self, *args, permit_types=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permit_type"].queryset = permit_types
        self.order_fields(["permit_type"] + [name for name in self.fields if name != "permit_type"])


class ComplaintForm(AntiSpamMixin, forms.Form):
    subject = forms.CharField(label=_("Pokok pengaduan"), max_length=200)
    description = forms.CharField(
        label=_("Uraian pengaduan"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Apa yang terjadi, kapan, di mana, dan siapa petugas yang terlibat bila Anda tahu."),
    )
    application_number = forms.CharField(
        label=_("Nomor pendaftaran permohonan (bila ada)"),
        max_length=30,
        required=False,
        help_text=_("Contoh: BDG-2026-000123"),
    )
    permit_type = forms.ModelChoiceField(
        label=_("Layanan yang diadukan"), queryset=None, required=False, empty_label=_("Tidak tahu / lainnya")
    )
    contact_name = forms.CharField(label=_("Nama Anda"), max_length=120, required=False)
    contact_email = forms.CharField(label=_("Email"), max_length=254, required=False)
    contact_phone = forms.CharField(label=_("Nomor telepon/WhatsApp"), max_length=20, required=False)

    def __init__(self, *args, permit_types=None, is_anonymous=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permit_type"].queryset = permit_types
        if not is_anonymous:
            for name in ("contact_name", "contact_email", "contact_phone"):
                del self.fields[name]


class TrackComplaintForm(forms.Form):
    number = forms.CharField(
        label=_("Nomor pengaduan"), max_length=20, help_text=_("Contoh: ADU-2026-000012")
    )
    code = forms.CharField(label=_("Kode akses"), max_length=40)


class AssignForm(forms.Form):
    band = forms.ChoiceField(label=_("Kategori penyelesaian"), choices=[("", "—")] + ComplaintBand.choices)
    assignee = forms.ModelChoiceField(label=_("Pejabat yang ditugasi"), queryset=None)
    org_unit = forms.ModelChoiceField(label=_("Unit kerja"), queryset=None, required=False)

    def __init__(self, *args, officials=None, org_units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = officials
        self.fields["org_unit"].queryset = org_units


class ReassignForm(AssignForm):
    reason = forms.CharField(label=_("Alasan pengalihan"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["band"]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Jawaban untuk pelapor"), widget=forms.Textarea(attrs={"rows": 5}))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Alasan penolakan"), widget=forms.Textarea(attrs={"rows": 2}))


class LaporForm(forms.Form):
    lapor_reference = forms.CharField(label=_("Nomor tiket SP4N-LAPOR!"), max_length=40)
