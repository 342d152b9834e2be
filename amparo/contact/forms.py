"""Forms of the contact desk: the public form (honeypot and signed token, no third party)
and the inbox's status and reply forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.contact.enums import MessageKind, MessageStatus, Team
from amparo.library import antispam

SIGNING_SALT = "amparo.contact.form"


class ContactForm(forms.Form):
    team = forms.ChoiceField(
        label=_("Who do you want to write to?"),
        choices=Team.choices,
        widget=forms.RadioSelect,
        initial=Team.GENERAL,
    )
    kind = forms.ChoiceField(
        label=_("Is it a question or a comment?"),
        choices=MessageKind.choices,
        initial=MessageKind.INQUIRY,
    )
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Your message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("Only to answer you. We keep it encrypted."),
    )
    name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    website = antispam.honeypot_field()
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        antispam.check_token(self, data.get("token") or "", SIGNING_SALT)
        return data


class StatusForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=MessageStatus.choices)


class ReplyForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Your reply"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Sent by email to the sender's address; kept here, encrypted."),
    )
