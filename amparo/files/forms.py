from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AttachmentUploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    keep_original = forms.BooleanField(
        label=_("Also keep the unaltered original as evidence (encrypted)"),
        help_text=_(
            "Photos and PDFs are stored without their hidden data (location, camera, author). "
            "Keep the original only when you need it as evidence: it still contains that data."
        ),
        required=False,
    )
