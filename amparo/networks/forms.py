"""Forms of the networks pages. Tier-1 inputs carry autocomplete="off" (PRV-02)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amparo.networks.enums import (
    AlertOutcome,
    ChannelKind,
    CheckInPurpose,
    Disclosure,
    LocationPrecision,
    Relation,
    SourceThreat,
    Tie,
)
from amparo.networks.models import Contact, Debrief

OFF = {"autocomplete": "off"}
MESSAGE_LENGTH = 500
#: Closing and debrief texts: a few paragraphs at most.
TEXT_LENGTH = 2000


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ContactForm(VersionForm):
    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(attrs=OFF))
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)
    tie = forms.ChoiceField(label=_("Network"), choices=Tie.choices)
    preferred_channel = forms.ChoiceField(label=_("Reach them by"), choices=ChannelKind.choices)
    email = forms.EmailField(
        label=_("Email address"), required=False, widget=forms.EmailInput(attrs=OFF)
    )
    sms = forms.CharField(
        label=_("Phone number for SMS"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={**OFF, "inputmode": "tel"}),
    )
    signal = forms.CharField(
        label=_("Signal number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={**OFF, "inputmode": "tel"}),
    )
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=100,
        help_text=_("Language codes, first preferred: es, en."),
        widget=forms.TextInput(attrs=OFF),
    )
    disclosure = forms.ChoiceField(
        label=_("What they may be told"),
        choices=Disclosure.choices,
        help_text=_(
            "Email and SMS only ever carry a link. Behind the link, and on Signal, the "
            "contact sees what you allow here."
        ),
    )

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["version"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        preferred = data.get("preferred_channel")
        if preferred and not data.get(preferred):
            self.add_error(preferred, _("Give an address for the channel they are reached by."))
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "relation": data["relation"],
            "tie": data["tie"],
            "preferred_channel": data["preferred_channel"],
            "channels": {kind: data.get(kind, "") for kind in ChannelKind.values},
            "languages": data.get("languages", ""),
            "disclosure": data["disclosure"],
        }

    @staticmethod
    def initial_for(contact: Contact) -> dict[str, Any]:
        channels = contact.channels or {}
        return {
            "name": contact.name,
            "relation": contact.relation,
            "tie": contact.tie,
            "preferred_channel": contact.preferred_channel,
            **{kind: channels.get(kind, "") for kind in ChannelKind.values},
            "languages": contact.languages,
            "disclosure": contact.disclosure,
            "version": contact.version,
        }


class ContactChoiceField(forms.ModelMultipleChoiceField[Contact]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({Relation(obj.relation).label})"


class StepForm(VersionForm):
    contacts = ContactChoiceField(
        label=_("Who is told at this step"),
        queryset=Contact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    wait_minutes = forms.IntegerField(
        label=_("Minutes to wait for an answer"),
        min_value=1,
        max_value=7 * 24 * 60,
        initial=15,
        help_text=_("If nobody acknowledges within this time, the next step is told."),
    )

    def __init__(self, *args: Any, contacts: QuerySet[Contact], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contacts"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        field.queryset = contacts


class DuressForm(forms.Form):
    code = forms.CharField(
        label=_("Duress code"),
        required=False,
        min_length=4,
        max_length=40,
        widget=forms.PasswordInput(attrs={**OFF, "inputmode": "numeric"}),
        help_text=_("Leave empty to remove your duress code."),
    )
    repeat = forms.CharField(
        label=_("The same code again"),
        required=False,
        max_length=40,
        widget=forms.PasswordInput(attrs={**OFF, "inputmode": "numeric"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("code", "") != data.get("repeat", ""):
            self.add_error("repeat", _("The two codes differ."))
        return data


class AlertForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={**OFF, "rows": 3}),
        help_text=_(
            "Short: what is happening. Only contacts allowed to see it read it, behind the "
            "link or on Signal."
        ),
    )
    location_precision = forms.ChoiceField(
        label=_("Share a location"), choices=LocationPrecision.choices, initial="none"
    )
    location = forms.CharField(
        label=_("Location"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs=OFF),
        help_text=_("Only as precise as you chose above."),
    )


def _text(label: Any, help_text: Any = "", *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={**OFF, "rows": 3}),
    )


class CloseAlertForm(VersionForm):
    """Close the alert (NET-3), or lower it and keep it open (the second button). The rules
    (the source no longer a threat, an explanation when nothing happened) are the service's:
    its refusals come back beside the field they are about, with everything typed kept."""

    CLOSE, LOWER = "close", "lower"

    outcome = forms.ChoiceField(
        label=_("What came of the alert?"),
        choices=AlertOutcome.choices,
        widget=forms.RadioSelect,
    )
    source_threat = forms.ChoiceField(
        label=_("Does the source of the alert still pose a threat?"),
        choices=SourceThreat.choices,
        widget=forms.RadioSelect,
    )
    reason = _text(
        _("Reason"),
        _(
            "Closing: why the source no longer poses a threat. Lowering: why the network can "
            "stand down."
        ),
    )
    watch = _text(
        _("What to keep watching"),
        _(
            "What set the alert off, and what would make you raise it again. It stays on the "
            "defender's network page."
        ),
    )
    explanation = _text(
        _("If nothing happened: why did the alert go off?"),
        _(
            "Needed when nothing happened. For example: a phone without battery, a check-in "
            "time set wrong. The network keeps trusting its alerts when false alarms are "
            "explained."
        ),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.lowering:
            # Lowering asks only for the reason (and, if known, what to keep watching).
            for name in ("outcome", "source_threat", "watch"):
                self.fields[name].required = False

    @property
    def lowering(self) -> bool:
        return bool(self.data.get("action") == self.LOWER)


class DebriefForm(VersionForm):
    """NET-2: the four questions of the debrief. Version 0: nobody has written it yet."""

    what_happened = _text(_("What happened?"))
    network_response = _text(
        _("What did the network do?"), _("Who was told, who answered, who acted, and how.")
    )
    worked = _text(_("What worked?"), required=False)
    did_not_work = _text(_("What did not work?"), required=False)

    @staticmethod
    def initial_for(debrief: Debrief | None) -> dict[str, Any]:
        if debrief is None:
            return {"version": 0}
        return {
            "what_happened": debrief.what_happened,
            "network_response": debrief.network_response,
            "worked": debrief.worked,
            "did_not_work": debrief.did_not_work,
            "version": debrief.version,
        }


class FollowUpForm(forms.Form):
    action = forms.CharField(
        label=_("Follow-up action"),
        max_length=500,
        widget=forms.TextInput(attrs=OFF),
        help_text=_("What is to be done after the alert."),
    )
    owner = forms.CharField(
        label=_("Who does it"), max_length=200, widget=forms.TextInput(attrs=OFF)
    )
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("With a date, it appears among the due items on the network page."),
    )


class CheckInForm(forms.Form):
    purpose = forms.ChoiceField(label=_("For"), choices=CheckInPurpose.choices)
    due_at = forms.DateTimeField(
        label=_("Check in by"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    grace_minutes = forms.IntegerField(
        label=_("Grace (minutes)"),
        min_value=0,
        max_value=24 * 60,
        initial=15,
        help_text=_("How long after the time the network waits before it is alerted."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={**OFF, "rows": 2}),
        help_text=_("Where you go and with whom, for the network."),
    )


class CheckInDoneForm(forms.Form):
    check_in = forms.UUIDField()
    code = forms.CharField(required=False, max_length=40)
