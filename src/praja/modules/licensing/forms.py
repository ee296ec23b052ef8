"""Forms of the licensing pages (parse input only; actions decide)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from praja.modules.licensing import rules
from praja.modules.licensing.models import FieldKind, FormField, PermitType, Requirement

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


class ApplyForm(forms.Form):
    """Start an application; the hidden key makes a double click create one draft."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    organisation_name = forms.CharField(
        label=_("Nama badan usaha/organisasi (kosongkan bila perorangan)"), max_length=200, required=False
    )
    organisation_id_number = forms.CharField(label=_("NIB/NPWP badan"), max_length=30, required=False)
    representative_position = forms.CharField(
        label=_("Jabatan/kedudukan Anda sebagai kuasa"), max_length=120, required=False
    )

    def __init__(self, *args, permit_type: PermitType, **kwargs):
        super().__init__(*args, **kwargs)
        self.permit_type = permit_type
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
        if not permit_type.allows_organisation:
            for name in ("organisation_name", "organisation_id_number", "representative_position"):
                del self.fields[name]


def build_application_form(fields: list[FormField], data=None, initial=None) -> forms.Form:
    """The permit type's form (per requirement version), every field optional for a draft."""
    form = forms.Form(data=data, initial=initial)
    for field in fields:
        common = {"label": field.label, "required": False, "help_text": field.help_text}
        if field.kind == FieldKind.TEXTAREA:
            form.fields[field.key] = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
        elif field.kind == FieldKind.NUMBER:
            form.fields[field.key] = forms.CharField(
                widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
            )
        elif field.kind == FieldKind.DATE:
            form.fields[field.key] = forms.CharField(widget=DATE_WIDGET, **common)
        elif field.kind == FieldKind.CHOICE:
            form.fields[field.key] = forms.ChoiceField(choices=[("", "—"), *field.choice_list], **common)
        elif field.kind == FieldKind.BOOLEAN:
            form.fields[field.key] = forms.BooleanField(**common)
        else:
            form.fields[field.key] = forms.CharField(**common)
        if field.required:
            form.fields[field.key].widget.attrs["aria-required"] = "true"
            form.fields[field.key].label = f"{field.label} *"
    return form


class OrganisationForm(forms.Form):
    organisation_name = forms.CharField(
        label=_("Nama badan usaha/organisasi"), max_length=200, required=False
    )
    organisation_id_number = forms.CharField(label=_("NIB/NPWP badan"), max_length=30, required=False)
    representative_position = forms.CharField(
        label=_("Jabatan/kedudukan kuasa"), max_length=120, required=False
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas"))
    valid_until = forms.DateField(label=_("Berlaku sampai"), required=False, widget=DATE_WIDGET)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(forms.Form):
    requirement_codes = forms.MultipleChoiceField(
        label=_("Persyaratan yang harus diperbaiki"), widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(label=_("Alasan pengembalian"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, requirements: list[Requirement], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement_codes"].choices = [
            (item.code, f"{item.code} — {item.label}") for item in requirements
        ]


class AssignTeamForm(forms.Form):
    members = forms.MultipleChoiceField(label=_("Petugas tim teknis"), widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(
        label=_("Catatan surat tugas"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, officers: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.officers = {str(person.pk): person for person in officers}
        self.fields["members"].choices = [
            (str(person.pk), f"{person.full_name}{f' (NIP {person.nip})' if person.nip else ''}")
            for person in officers
        ]

    def chosen(self) -> list:
        return [self.officers[pk] for pk in self.cleaned_data["members"]]


PHOTO_SLOTS = 3


class InspectionForm(forms.Form):
    inspected_on = forms.DateField(label=_("Tanggal pemeriksaan"), widget=DATE_WIDGET)
    location = forms.CharField(label=_("Lokasi yang diperiksa"), max_length=300)
    latitude = forms.CharField(label=_("Lintang lokasi (mis. -6.914744)"))
    longitude = forms.CharField(label=_("Bujur lokasi (mis. 107.609810)"))
    findings = forms.CharField(label=_("Hasil pemeriksaan"), widget=forms.Textarea(attrs={"rows": 4}))
    is_compliant = forms.TypedChoiceField(
        label=_("Kesimpulan"),
        coerce=lambda value: value == "1",
        choices=[("1", _("Sesuai persyaratan")), ("0", _("Tidak sesuai persyaratan"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, PHOTO_SLOTS + 1):
            required = number == 1
            self.fields[f"photo_{number}"] = forms.FileField(
                label=_("Foto %(n)d") % {"n": number}, required=required
            )
            self.fields[f"photo_{number}_latitude"] = forms.CharField(
                label=_("Lintang foto %(n)d") % {"n": number}, required=required
            )
            self.fields[f"photo_{number}_longitude"] = forms.CharField(
                label=_("Bujur foto %(n)d") % {"n": number}, required=required
            )
            self.fields[f"photo_{number}_caption"] = forms.CharField(
                label=_("Keterangan foto %(n)d") % {"n": number}, required=False, max_length=200
            )

    def clean(self):
        cleaned = super().clean()
        for name, message in rules.validate_coordinates(
            cleaned.get("latitude"), cleaned.get("longitude")
        ).items():
            self.add_error(name, message)
        return cleaned

    def photos(self) -> list[dict]:
        items = []
        for number in range(1, PHOTO_SLOTS + 1):
            file = self.cleaned_data.get(f"photo_{number}")
            if file:
                items.append(
                    {
                        "file": file,
                        "latitude": self.cleaned_data.get(f"photo_{number}_latitude"),
                        "longitude": self.cleaned_data.get(f"photo_{number}_longitude"),
                        "caption": self.cleaned_data.get(f"photo_{number}_caption", ""),
                    }
                )
        return items


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        widget=forms.RadioSelect,
        choices=[("approve", _("Setujui")), ("reject", _("Tolak"))],
    )
    reason = forms.CharField(
        label=_("Alasan/pertimbangan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PermitTypeForm(forms.ModelForm):
    # Declared here with an empty queryset: the tenant's offices are read per request in __init__.
    responsible_org_unit = forms.ModelChoiceField(
        label=_("Perangkat daerah teknis"),
        queryset=None,
        required=False,
    )

    class Meta:
        model = PermitType
        fields = [
            "code",
            "name",
            "description",
            "legal_basis",
            "responsible_org_unit",
            "sla_working_days",
            "needs_field_inspection",
            "fee_kind",
            "fee_amount",
            "fee_formula",
            "fee_legal_basis",
            "validity_months",
            "pdf_template",
            "permit_number_prefix",
            "allows_organisation",
            "procedure",
            "product",
            "facilities",
            "staff_competence",
            "internal_supervision",
            "complaint_handling",
            "staff_count",
            "service_guarantee",
            "security_guarantee",
            "performance_evaluation",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "description",
                "legal_basis",
                "fee_formula",
                "procedure",
                "facilities",
                "staff_competence",
                "internal_supervision",
                "complaint_handling",
                "service_guarantee",
                "security_guarantee",
                "performance_evaluation",
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from praja.core.accounts.models import OrgUnit, OrgUnitKind

        self.fields["responsible_org_unit"].queryset = OrgUnit.objects.filter(
            kind=OrgUnitKind.PERANGKAT_DAERAH
        )


class RequirementForm(forms.ModelForm):
    check_name = forms.ChoiceField(
        label=_("Pemeriksaan"),
        required=False,
        choices=[("", "—"), *[(name, label) for name, (label, _check) in rules.REQUIREMENT_CHECKS.items()]],
    )

    class Meta:
        model = Requirement
        fields = [
            "code",
            "label",
            "help_text",
            "is_mandatory",
            "condition",
            "accepted_types",
            "check_name",
            "position",
        ]
        widgets = {"help_text": forms.Textarea(attrs={"rows": 2})}


class FormFieldForm(forms.ModelForm):
    class Meta:
        model = FormField
        fields = ["key", "label", "kind", "required", "choices", "help_text", "position"]
        widgets = {"choices": forms.Textarea(attrs={"rows": 3})}


class PublishForm(forms.Form):
    notes = forms.CharField(
        label=_("Catatan perubahan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
