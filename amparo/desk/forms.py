"""Forms of the desk pages. Plain forms: the services do the writing, with their audit."""

from __future__ import annotations

import secrets
import time
from typing import Any

from django import forms
from django.core import signing
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from amparo.defenders.enums import ConsentScope, DefenderKind
from amparo.desk.enums import (
    AccompanimentKind,
    ClosureReason,
    Confidentiality,
    ContactKind,
    Currency,
    GrantCategory,
    MechanismRiskLevel,
    Priority,
    ReferralKind,
    ReferralOutcome,
    ReferralStatus,
    Urgency,
)
from amparo.desk.models import MAX_FUND_AMOUNT

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(label: Any, *, required: bool = False, rows: int = 4, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=5000,
        **kwargs,
    )


def _version() -> forms.IntegerField:
    return forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class DefenderChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A defender by pseudonym and code (Tier 1: shown to desk staff only)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.pseudonym} ({obj.code})"


class OfficerChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name or obj.email)


class CaseCreateForm(forms.Form):
    defender = DefenderChoice(queryset=None, label=_("Defender"))
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial="medium")
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial="routine")
    confidentiality = forms.ChoiceField(
        label=_("Who at the desk sees it"),
        choices=Confidentiality.choices,
        initial=Confidentiality.INTERNAL,
    )
    consent_scopes = forms.MultipleChoiceField(
        label=_("The defender agreed to"),
        choices=ConsentScope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = _text(_("Summary"), help_text=_("Why the desk accompanies them, in a few lines."))

    def __init__(self, *args: Any, defenders: QuerySet[Any] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if defenders is None:
            del self.fields["defender"]
        else:
            self.fields["defender"].queryset = defenders  # type: ignore[attr-defined]


class CaseEditForm(forms.Form):
    version = _version()
    confidentiality = forms.ChoiceField(
        label=_("Who at the desk sees it"), choices=Confidentiality.choices
    )
    consent_scopes = forms.MultipleChoiceField(
        label=_("The defender agreed to"),
        choices=ConsentScope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    review_on = forms.DateField(label=_("Next review"), required=False, widget=DATE)
    summary = _text(_("Summary"))


class TriageForm(forms.Form):
    version = _version()
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)


class AssignForm(forms.Form):
    version = _version()
    officers = OfficerChoice(
        queryset=None,
        label=_("Assigned officers"),
        required=False,
    )

    def __init__(self, *args: Any, officers: QuerySet[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officers  # type: ignore[attr-defined]


class StateForm(forms.Form):
    version = _version()
    to = forms.ChoiceField(label=_("Move the case to"))
    closure_reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", "—"), *ClosureReason.choices],
        required=False,
        help_text=_("Needed when the case is declined, referred elsewhere or closed."),
    )
    closure_note = _text(
        _("Final note on the risk"),
        help_text=_("Needed to close: the risk as the case ends (the defender stays watched)."),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = choices  # type: ignore[attr-defined]


class AccompanimentForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=AccompanimentKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    follow_up_due = forms.DateField(label=_("Follow-up due"), required=False, widget=DATE)
    follow_up_done = forms.BooleanField(label=_("Follow-up done"), required=False)
    notes = _text(_("Notes"))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["version"].required = True
        else:
            del self.fields["version"]


class FundChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A fund by its name (Tier 1: shown to desk staff only)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ReferralForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Referred to"), choices=ReferralKind.choices)
    grant_category = forms.ChoiceField(
        label=_("Grant category"),
        choices=[("", "—"), *GrantCategory.choices],
        required=False,
        help_text=_("For emergency grants only."),
    )
    fund = FundChoice(
        queryset=None,
        label=_("Fund"),
        required=False,
        empty_label="—",
        help_text=_("For emergency grants: its rules are checked before the referral is sent."),
    )
    amount_requested = forms.DecimalField(
        label=_("Amount asked"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("In the fund's currency."),
    )
    target = forms.CharField(
        label=_("To whom"),
        required=False,
        max_length=500,
        help_text=_("The fund, mechanism, lawyer or organisation."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ReferralStatus.choices)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *ReferralOutcome.choices], required=False
    )
    requested_on = forms.DateField(label=_("Requested on"), required=False, widget=DATE)
    risk_study_on = forms.DateField(label=_("Risk study on"), required=False, widget=DATE)
    measures_granted_on = forms.DateField(
        label=_("Measures granted on"), required=False, widget=DATE
    )
    implemented_on = forms.DateField(label=_("Implemented on"), required=False, widget=DATE)
    details = _text(_("Details"))
    override_reason = _text(
        _("Send it despite the fund's rules, because"),
        help_text=_(
            "Desk lead only, when the fund's rules refuse it: why it must go all the same. "
            "The reason is kept on the referral and the decision in the audit log."
        ),
    )

    def __init__(
        self,
        *args: Any,
        funds: QuerySet[Any],
        editing: bool = False,
        can_override: bool = False,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds  # type: ignore[attr-defined]
        if editing:
            self.fields["version"].required = True
        else:
            del self.fields["version"]
        if not (editing and can_override):
            del self.fields["override_reason"]


def _within_fund_amount(value: int) -> None:
    """A fund's cap must fit its column (PostgreSQL's integer), as the API's schema says."""
    if value > MAX_FUND_AMOUNT:
        raise forms.ValidationError(
            _(
                "The maximum amount can be at most %(limit)s, in whole units of the currency. "
                "Leave it empty for no maximum."
            ),
            code="max_value",
            params={"limit": formats.number_format(MAX_FUND_AMOUNT, 0, force_grouping=True)},
        )


class GrantFundForm(forms.Form):
    """An emergency grant fund and its rules (DESK-2), kept by the desk lead."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput, required=False)
    organisation = forms.ChoiceField(label=_("Desk"))
    name = forms.CharField(label=_("Name"), max_length=300)
    categories = forms.MultipleChoiceField(
        label=_("Grant categories it covers"),
        choices=GrantCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    max_amount = forms.IntegerField(
        label=_("Maximum amount"),
        required=False,
        min_value=1,
        # The bound of the API's schema; the number is said in the reader's format.
        validators=[_within_fund_amount],
        widget=forms.NumberInput(attrs={"max": MAX_FUND_AMOUNT}),
        help_text=_("Per grant, in whole units of the currency. Empty: no maximum."),
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    max_grants_per_year = forms.IntegerField(
        label=_("Grants per defender in twelve months"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("Empty: no limit."),
    )
    requires_current_analysis = forms.BooleanField(
        label=_("Needs a current risk analysis of the defender"), required=False
    )
    requires_partner_consent = forms.BooleanField(
        label=_("Needs the defender's consent to share with partner organisations"),
        required=False,
        initial=True,
    )
    is_active = forms.BooleanField(
        label=_("Offered for new referrals"),
        required=False,
        help_text=_("Untick to retire the fund: referrals that name it keep it."),
    )

    def __init__(
        self,
        *args: Any,
        editing: bool = False,
        organisations: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["version"].required = True
            del self.fields["organisation"]
        else:
            del self.fields["version"], self.fields["is_active"]
            choices = organisations or []
            self.fields["organisation"].choices = choices  # type: ignore[attr-defined]
            if len(choices) == 1:
                self.fields["organisation"].widget = forms.HiddenInput()
                self.fields["organisation"].initial = choices[0][0]


class MechanismStudyForm(forms.Form):
    """DESK-3: what the State mechanism's risk study found. Amparo's own level is not asked:
    it is read from the analysis in force at the study's date."""

    version = _version()
    level = forms.ChoiceField(
        label=_("The mechanism's risk level"),
        choices=[("", "—"), *MechanismRiskLevel.choices],
        help_text=_("As the mechanism's study states it, on its own scale."),
    )
    studied_on = forms.DateField(label=_("Date of the study"), widget=DATE)
    measures = _text(
        _("Measures the mechanism granted"),
        help_text=_("Which measures, by whom, from when; or that none were granted."),
    )


class ConvertRequestForm(forms.Form):
    defender = DefenderChoice(
        queryset=None,
        label=_("An existing defender"),
        required=False,
    )
    pseudonym = forms.CharField(
        label=_("Or a new defender: pseudonym"),
        required=False,
        max_length=200,
        help_text=_("Records a new defender with this pseudonym."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of defender"), choices=DefenderKind.choices, initial=DefenderKind.INDIVIDUAL
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial="medium")
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial="routine")

    def __init__(self, *args: Any, defenders: QuerySet[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["defender"].queryset = defenders  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("defender") and not (data.get("pseudonym") or "").strip():
            raise forms.ValidationError(
                _("Choose an existing defender or give a pseudonym for a new one.")
            )
        return data


# --- the public request-for-support form ---

#: Signing salt of the form token (a timestamped nonce: not a secret, not a session).
SIGNING_SALT = "amparo.desk.support-form"
#: Faster than this is a script, not a person typing (seconds).
MIN_SECONDS = 3
#: Older than this, the page was left open too long (seconds): a fresh token is given.
MAX_SECONDS = 2 * 3600


def new_token() -> str:
    return signing.TimestampSigner(salt=SIGNING_SALT).sign(secrets.token_urlsafe(8))


class SupportRequestForm(forms.Form):
    """Everything optional except the request itself. `website` is a honeypot: hidden from
    people by the page, filled by robots."""

    organisation = forms.ChoiceField(label=_("Which desk do you write to?"))
    request = _text(
        _("What is happening, and what support do you need?"),
        required=True,
        rows=8,
        help_text=_("Write only what you are comfortable sharing."),
    )
    name = forms.CharField(
        label=_("Your name or a pseudonym"),
        required=False,
        max_length=200,
        help_text=_("Optional. A pseudonym is fine."),
    )
    place = forms.CharField(
        label=_("Country or region"),
        required=False,
        max_length=200,
        help_text=_("Optional. No town or address."),
    )
    contact_kind = forms.ChoiceField(
        label=_("How may we contact you?"),
        choices=[("", _("Do not contact me this way")), *ContactKind.choices],
        required=False,
        help_text=_("Optional. Without it, the desk cannot answer you."),
    )
    contact = forms.CharField(
        label=_("Number, address or handle"),
        required=False,
        max_length=300,
        help_text=_("Optional. Only if it is safe for you to be contacted there."),
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, desks: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = desks  # type: ignore[attr-defined]
        if len(desks) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = desks[0][0]
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def _check_token(self, token: str) -> None:
        """Hidden field: its problems are said at the top of the form."""
        signer = signing.TimestampSigner(salt=SIGNING_SALT)
        try:
            signer.unsign(token, max_age=MAX_SECONDS)
        except signing.SignatureExpired:
            self.add_error(
                None,
                _("This page was open for too long. Please check your text and send it again."),
            )
            return
        except signing.BadSignature:
            self.add_error(None, _("The form could not be checked. Please send it again."))
            return
        timestamp = signing.b62_decode(token.rsplit(":", 2)[1])
        if time.time() - timestamp < MIN_SECONDS:
            self.add_error(None, _("That was very fast. Please check your text and send it again."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_token(data.get("token") or "")
        if data.get("contact") and not data.get("contact_kind"):
            self.add_error("contact_kind", _("Say what kind of contact this is."))
        return data
