from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from praja.core.documents.rules import format_megabytes


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas"))
    purpose = forms.CharField(
        label=_("Keterangan (boleh kosong)"),
        max_length=100,
        required=False,
        help_text=_("Misalnya: KTP, pas foto, surat pengantar RT/RW."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, JPG atau PNG, paling besar %(max)s.") % {
            "max": format_megabytes(settings.PRAJA_UPLOAD_MAX_BYTES)
        }
        self.fields["file"].widget.attrs["accept"] = (
            ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
        )


class CheckPdfForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas PDF yang Anda pegang"),
        help_text=_("Berkas hanya dibandingkan dengan dokumen asli dan tidak disimpan."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
