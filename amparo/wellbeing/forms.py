"""Forms of the well-being pages. Big radio buttons, no JavaScript (STYLE.md: works on a
phone); Tier-1 inputs carry autocomplete="off" (PRV-02)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import Organisation
from amparo.wellbeing.enums import DebriefStatus, Rest, Stress, Support

PRIVATE = {"autocomplete": "off"}


def _text(label: Any, *, help_text: Any = "", required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        widget=forms.Textarea(attrs={**PRIVATE, "rows": 3}),
    )


class CheckInForm(forms.Form):
    stress = forms.TypedChoiceField(
        label=_("How stressed do you feel?"),
        choices=Stress.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    rest = forms.TypedChoiceField(
        label=_("How rested do you feel?"),
        choices=Rest.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    support = forms.TypedChoiceField(
        label=_("How supported do you feel?"),
        choices=Support.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    note = _text(
        _("Anything you want to remember (optional)"),
        help_text=_("Only you can read it, unless you share this check-in."),
    )
    shared_with = forms.ModelChoiceField(
        label=_("Share with"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Nobody (private)"),
        help_text=_("You can stop sharing at any time."),
    )

    def __init__(self, *args: Any, targets: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shared_with"].queryset = targets  # type: ignore[attr-defined]


class ShareForm(forms.Form):
    shared_with = forms.ModelChoiceField(
        label=_("Share with"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Nobody (private)"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, targets: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shared_with"].queryset = targets  # type: ignore[attr-defined]


class AgreementForm(forms.Form):
    rest = _text(_("Rest"), help_text=_("E.g. no work on one day a week; no calls at night."))
    leave = _text(_("Leave"), help_text=_("Annual leave, and leave after a hard event."))
    supervision = _text(
        _("Supervision"), help_text=_("Who people can turn to, and how often they meet.")
    )
    debriefing = _text(
        _("Debriefing after incidents"),
        help_text=_("Who organises a debrief after a serious incident, and how soon."),
    )
    referral = _text(
        _("Referral to psychosocial support"),
        help_text=_("Where people are referred, confidentially, and who pays."),
    )
    budget = _text(
        _("Budget lines for rest and health"),
        help_text=_("Donors rarely fund rest and health: name the lines that do (CARE-3)."),
    )
    next_review = forms.DateField(
        label=_("Next review"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(
        label=_("Date of the review"), widget=forms.DateInput(attrs={"type": "date"})
    )
    changes = _text(
        _("What changed"),
        help_text=_("What the group agreed to keep, change or add; no names needed."),
        required=True,
    )
    next_review = forms.DateField(
        label=_("Next review"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DebriefForm(forms.Form):
    planned_on = forms.DateField(
        label=_("Date of the debrief"), widget=forms.DateInput(attrs={"type": "date"})
    )
    participants = _text(
        _("Who takes part"),
        help_text=_("Who facilitates and who is invited; names or roles."),
        required=True,
    )
    care_follow_up = _text(
        _("Care follow-up"),
        help_text=_("Rest, leave, referral to psychosocial support: what happens after."),
    )


class DebriefEditForm(DebriefForm):
    status = forms.ChoiceField(label=_("Status"), choices=DebriefStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
