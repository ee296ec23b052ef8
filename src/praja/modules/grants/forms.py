"""Forms of the grants pages (parse input only; actions decide)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from praja.modules.grants import rules
from praja.modules.grants.models import BoardRole, OrganisationKind, ProgrammeKind, SocialDataSource

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MONEY_WIDGET = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Nama lembaga"), max_length=200)
    acronym = forms.CharField(label=_("Singkatan"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Jenis lembaga"), choices=OrganisationKind.choices)
    deed_number = forms.CharField(label=_("Nomor akta notaris pendirian"), max_length=60, required=False)
    deed_date = forms.DateField(label=_("Tanggal akta notaris"), required=False, widget=DATE_WIDGET)
    kemenkumham_sk_number = forms.CharField(label=_("Nomor SK Kemenkumham"), max_length=80, required=False)
    kemenkumham_sk_date = forms.DateField(
        label=_("Tanggal SK Kemenkumham"), required=False, widget=DATE_WIDGET
    )
    npwp = forms.CharField(label=_("NPWP lembaga (15 atau 16 digit)"), max_length=25, required=False)
    domicile_letter_number = forms.CharField(
        label=_("Nomor surat keterangan domisili"), max_length=80, required=False
    )
    registration_number = forms.CharField(
        label=_("Nomor tanda daftar / izin operasional"), max_length=80, required=False
    )
    registered_on = forms.DateField(
        label=_("Tanggal terdaftar di pemerintah daerah"), required=False, widget=DATE_WIDGET
    )
    has_permanent_secretariat = forms.BooleanField(label=_("Memiliki sekretariat tetap"), required=False)
    secretariat_rented = forms.BooleanField(label=_("Kantor sekretariat sewa"), required=False)
    address = forms.CharField(label=_("Alamat sekretariat"), max_length=300)
    area = forms.CharField(
        label=_("Kode kelurahan/desa (Kemendagri)"),
        max_length=13,
        required=False,
        help_text=_("Contoh: 32.73.01.1001"),
    )
    phone = forms.CharField(label=_("Telepon"), max_length=20, required=False)
    email = forms.EmailField(label=_("Email lembaga"), required=False)


class BoardMemberForm(forms.Form):
    role = forms.ChoiceField(label=_("Jabatan"), choices=BoardRole.choices)
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    nik = forms.CharField(
        label=_("NIK (16 digit)"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    role_title = forms.CharField(label=_("Sebutan jabatan (opsional)"), max_length=80, required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=20, required=False)


class BankAccountForm(forms.Form):
    bank_name = forms.CharField(label=_("Nama bank"), max_length=100)
    account_number = forms.CharField(
        label=_("Nomor rekening"), max_length=30, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    holder_name = forms.CharField(
        label=_("Nama pemilik rekening"),
        max_length=200,
        help_text=_("Harus atas nama lembaga, bukan nama pengurus."),
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas (PDF, JPEG atau PNG)"))


class PhotoForm(forms.Form):
    file = forms.FileField(label=_("Foto kondisi saat ini (JPEG/PNG)"))
    caption = forms.CharField(label=_("Keterangan"), max_length=200, required=False)


class ProposalForm(forms.Form):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Judul kegiatan"), max_length=200)
    background = forms.CharField(
        label=_("Latar belakang"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    purpose = forms.CharField(label=_("Maksud dan tujuan"), widget=forms.Textarea(attrs={"rows": 3}))
    letter_number = forms.CharField(label=_("Nomor surat permohonan"), max_length=80, required=False)
    letter_date = forms.DateField(label=_("Tanggal surat permohonan"), required=False, widget=DATE_WIDGET)
    start_date = forms.DateField(label=_("Tanggal mulai kegiatan"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("Tanggal selesai kegiatan"), widget=DATE_WIDGET)
    is_construction = forms.BooleanField(label=_("Kegiatan konstruksi/bangunan"), required=False)
    amount_requested = forms.IntegerField(
        label=_("Nilai yang diajukan (Rupiah)"), min_value=1, widget=MONEY_WIDGET
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("Lembaga pengusul"), queryset=organisations, empty_label=None
            )
            self.order_fields(["organisation"])
        if not self.is_bound and "idempotency_key" in self.fields:
            self.initial.setdefault("idempotency_key", uuid.uuid4())


class RabLineForm(forms.Form):
    description = forms.CharField(label=_("Uraian"), max_length=200, required=False)
    volume = forms.DecimalField(
        label=_("Volume"), max_digits=12, decimal_places=2, required=False, min_value=0
    )
    unit = forms.CharField(label=_("Satuan"), max_length=30, required=False)
    unit_price = forms.IntegerField(
        label=_("Harga satuan (Rupiah)"), min_value=0, required=False, widget=MONEY_WIDGET
    )


RabFormSet = forms.formset_factory(RabLineForm, extra=3, max_num=100)


class ChecklistForm(forms.Form):
    """The TU checklist: one tick per applicable document code."""

    remarks = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, items: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"check_{item['code']}"] = forms.BooleanField(label=item["label"], required=False)

    def ticked(self) -> dict:
        return {item["code"]: bool(self.cleaned_data.get(f"check_{item['code']}")) for item in self.items}


class ReturnForm(forms.Form):
    missing_codes = forms.MultipleChoiceField(
        label=_("Dokumen yang kurang"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    reason = forms.CharField(label=_("Alasan pengembalian"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, items: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missing_codes"].choices = [
            (item["code"], f"{item['code']} — {item['label']}") for item in items
        ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=(("lanjut", _("Lanjut")), ("tolak", _("Tolak"))),
        widget=forms.RadioSelect,
    )
    remarks = forms.CharField(
        label=_("Catatan (wajib bila menolak)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class RouteForm(forms.Form):
    org_unit = forms.ModelChoiceField(label=_("Perangkat daerah teknis"), queryset=None)
    remarks = forms.CharField(
        label=_("Catatan disposisi"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, org_units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = org_units


class EvaluationForm(DecisionForm):
    amount = forms.IntegerField(
        label=_("Nilai rekomendasi (Rupiah)"), min_value=0, required=False, widget=MONEY_WIDGET
    )
    field_check_date = forms.DateField(
        label=_("Tanggal peninjauan lapangan"), required=False, widget=DATE_WIDGET
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in rules.EVALUATION_CHECKLIST:
            self.fields[f"check_{code}"] = forms.BooleanField(label=label, required=False)

    def ticked(self) -> dict:
        return {
            code: bool(self.cleaned_data.get(f"check_{code}")) for code, _label in rules.EVALUATION_CHECKLIST
        }


class AmountForm(DecisionForm):
    amount = forms.IntegerField(label=_("Nilai (Rupiah)"), min_value=0, required=False, widget=MONEY_WIDGET)
    override_reason = forms.CharField(
        label=_("Alasan bila melebihi nilai tahap sebelumnya"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}))


class SanctionForm(forms.Form):
    reason = forms.CharField(label=_("Alasan sanksi"), widget=forms.Textarea(attrs={"rows": 2}))
    legal_basis = forms.CharField(label=_("Dasar hukum"), max_length=300)


class RecipientSignatureForm(forms.Form):
    password = forms.CharField(
        label=_("Kata sandi akun Anda (konfirmasi tanda tangan)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        required=False,
    )
    otp_token = forms.CharField(
        label=_("atau kode aplikasi autentikator"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    agree = forms.BooleanField(label=_("Saya, ketua lembaga, menyetujui seluruh isi NPHD ini"))


class ProgrammeForm(forms.Form):
    code = forms.SlugField(label=_("Kode"), max_length=50)
    name = forms.CharField(label=_("Nama program"), max_length=200)
    description = forms.CharField(label=_("Uraian"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    budget_year = forms.IntegerField(label=_("Tahun anggaran"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Jenis"), choices=ProgrammeKind.choices)
    is_planned = forms.BooleanField(label=_("Terencana"), required=False, initial=True)
    envelope = forms.IntegerField(label=_("Pagu (Rupiah)"), min_value=1, widget=MONEY_WIDGET)
    budget_line_code = forms.CharField(label=_("Kode rekening belanja"), max_length=60, required=False)
    max_amount_per_proposal = forms.IntegerField(
        label=_("Nilai maksimal per proposal (Rupiah)"), min_value=1, required=False, widget=MONEY_WIDGET
    )
    social_data_source = forms.ChoiceField(
        label=_("Sumber data sosial"), choices=SocialDataSource.choices, required=False
    )
    opens_at = forms.DateTimeField(label=_("Pengajuan dibuka"), widget=DATETIME_WIDGET)
    closes_at = forms.DateTimeField(label=_("Pengajuan ditutup"), widget=DATETIME_WIDGET)
    lpj_deadline = forms.DateField(
        label=_("Batas LPJ (kosongkan: 10 Januari tahun berikutnya)"), required=False, widget=DATE_WIDGET
    )
    legal_entity_required = forms.BooleanField(
        label=_("Wajib berbadan hukum (UU 23/2014 Pasal 298 ayat (5))"), required=False
    )
    min_years_registered = forms.IntegerField(
        label=_("Minimal tahun terdaftar"), min_value=0, max_value=50, required=False
    )
    domiciled_in_tenant = forms.BooleanField(label=_("Wajib berdomisili di daerah"), required=False)
    permanent_secretariat_required = forms.BooleanField(label=_("Wajib sekretariat tetap"), required=False)
    not_funded_previous_year = forms.BooleanField(
        label=_("Tidak menerima hibah tahun sebelumnya (kecuali dikecualikan undang-undang)"), required=False
    )
    social_data_source_required = forms.BooleanField(label=_("Wajib terdaftar DTKS/DTSEN"), required=False)
    is_published = forms.BooleanField(label=_("Umumkan program"), required=False)

    RULE_FIELDS = rules.RULE_KEYS

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["eligibility_rules"] = {
            key: (int(data.pop(key) or 0) if key == "min_years_registered" else bool(data.pop(key)))
            for key in self.RULE_FIELDS
        }
        data["social_data_source"] = data.get("social_data_source") or ""
        return data


class BansosCaseForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Program bansos"), queryset=None, empty_label=None)
    recipient_name = forms.CharField(label=_("Nama penerima"), max_length=150)
    recipient_address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    amount = forms.IntegerField(label=_("Nilai bansos (Rupiah)"), min_value=1, widget=MONEY_WIDGET)
    social_risk = forms.CharField(
        label=_("Kondisi risiko sosial"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    social_data_source = forms.ChoiceField(
        label=_("Sumber data sosial"), choices=SocialDataSource.choices, required=False
    )
    social_data_reference = forms.CharField(label=_("ID DTKS/DTSEN"), max_length=40, required=False)

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
