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
    """`desks` are the organisations whose Protection Desk accepts messages from the public,
    as (id, name): the sender who writes to the Protection Desk chooses one (a hidden field
    when there is only one). With none, the Protection Desk is not offered; without a global
    team (`general` false), neither are general questions: nobody would read them."""

    team = forms.ChoiceField(
        label=_("Who do you want to write to?"),
        choices=Team.choices,
        widget=forms.RadioSelect,
        initial=Team.GENERAL,
    )
    desk = forms.ChoiceField(
        label=_("If you write to the Protection Desk: which desk?"),
        required=False,
        choices=(),
        help_text=_("Only that desk's staff read your message."),
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

    def __init__(
        self, *args: Any, desks: list[tuple[str, str]], general: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        closed = set() if desks else {Team.DESK}
        if not general:
            closed.add(Team.GENERAL)
            self.fields["team"].initial = None
        self.fields["team"].choices = [  # type: ignore[attr-defined]
            choice for choice in Team.choices if choice[0] not in closed
        ]
        field = self.fields["desk"]
        if not desks:
            del self.fields["desk"]
        elif len(desks) == 1:
            field.choices = desks  # type: ignore[attr-defined]
            field.widget = forms.HiddenInput()
            field.initial = desks[0][0]
        else:
            field.choices = [("", _("Choose a desk")), *desks]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        antispam.check_token(self, data.get("token") or "", SIGNING_SALT)
        if data.get("team") == Team.DESK and not data.get("desk"):
            self.add_error("desk", _("Choose the desk you write to."))
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
