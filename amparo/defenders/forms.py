"""Input of the defenders pages. Plain forms, fields listed one by one (ACC-08): the services
take the cleaned values, so encrypted fields never meet a ModelForm's `save()`."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.validators import RegexValidator
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amparo.accounts.models import Organisation, User
from amparo.defenders import queries
from amparo.defenders.enums import (
    AgeGroup,
    Category,
    ChannelKind,
    CloseRelation,
    CollectiveRole,
    CollectiveType,
    ConsentScope,
    DefenderKind,
    DefenderStatus,
)
from amparo.defenders.models import Defender

#: The optional, sensitive attributes of the intersectional lens (DOMAIN.md principle 6),
#: stored in `Defender.intersectional` under these keys. Only what the defender chose to tell.
INTERSECTIONAL: dict[str, Any] = {
    "gender_identity": _("Gender identity"),
    "sexual_orientation": _("Sexual orientation"),
    "ethnicity": _("Ethnicity or people"),
    "religion": _("Religion or belief"),
    "disability": _("Disability"),
    "age_group": _("Age group"),
}

_country_code = RegexValidator(
    r"^[A-Za-z]{2}$", _("Enter the two-letter country code, for example CO or KE.")
)


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _blank(choices: Any, label: Any = "---------") -> list[tuple[str, Any]]:
    return [("", label), *choices]


class CountryField(forms.CharField):
    """ISO 3166-1 alpha-2, stored upper-case."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Country"))
        kwargs.setdefault("help_text", _("Two-letter code, for example CO, KE or ID."))
        super().__init__(max_length=2, required=False, validators=[_country_code], **kwargs)

    def clean(self, value: Any) -> str:
        return str(super().clean(value)).upper()


def _text(label: Any, *, required: bool = False, rows: int | None = None, **kw: Any) -> Any:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, required=required, widget=widget, **kw)


def _categories() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Categories"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("By the work they do, paid or not (DEF-1). Choose all that apply."),
    )


class DefenderFilterForm(forms.Form):
    """The list's filters (GET). All optional; an invalid value simply filters nothing."""

    q = forms.CharField(label=_("Pseudonym or code"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_blank(DefenderKind.choices, _("Any"))
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_blank(DefenderStatus.choices, _("Current (not archived)")),
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=_blank(Category.choices, _("Any"))
    )
    country = forms.CharField(
        label=_("Country"), required=False, max_length=2, validators=[_country_code]
    )


class DefenderCreateForm(forms.Form):
    """Step 1 of DOMAIN.md 2.1: who (a pseudonym is enough) and how to reach them safely."""

    organisation = forms.ChoiceField(label=_("Kept by"))
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=DefenderKind.choices,
        initial=DefenderKind.INDIVIDUAL,
        widget=forms.RadioSelect,
    )
    collective_type = forms.ChoiceField(
        label=_("Collective type"),
        required=False,
        choices=_blank(CollectiveType.choices),
        help_text=_("Only for a collective defender."),
    )
    pseudonym = forms.CharField(
        label=_("Pseudonym"),
        max_length=200,
        help_text=_("The name everybody at the desk uses for this defender."),
    )
    legal_name = forms.CharField(
        label=_("Legal name"),
        max_length=300,
        required=False,
        help_text=_("Optional. Used to look for a record that already exists."),
    )
    categories = _categories()
    country = CountryField()
    region = forms.CharField(
        label=_("Region"),
        max_length=100,
        required=False,
        help_text=_("First-level region only (department, province, state): never a town."),
    )
    channel_kind = forms.ChoiceField(
        label=_("Safe channel"),
        required=False,
        choices=_blank(ChannelKind.choices, _("None yet")),
    )
    channel_value = forms.CharField(
        label=_("Number, address or handle"), max_length=300, required=False
    )
    not_duplicate = forms.BooleanField(
        label=_("I checked: this is a different defender from those listed above."),
        required=False,
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(org.pk): org for org in organisations}
        _choice_field(self, "organisation").choices = [
            (pk, org.name) for pk, org in self.organisations.items()
        ]
        if len(organisations) == 1:
            # Nothing to choose: the field would only add noise to a phone's screen.
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = str(organisations[0].pk)

    def clean_organisation(self) -> Organisation:
        return self.organisations[self.cleaned_data["organisation"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_collective_type(self, data.get("kind"), data.get("collective_type"))
        kind, value = data.get("channel_kind"), (data.get("channel_value") or "").strip()
        if kind and not value:
            self.add_error("channel_value", _("Say how to reach the defender on this channel."))
        if value and not kind:
            self.add_error("channel_kind", _("Choose the kind of channel."))
        return data

    def channel(self) -> dict[str, str] | None:
        data = self.cleaned_data
        if not data.get("channel_kind"):
            return None
        return {"kind": data["channel_kind"], "value": data["channel_value"].strip()}


def _check_collective_type(form: forms.Form, kind: Any, collective_type: Any) -> None:
    if kind == DefenderKind.COLLECTIVE and not collective_type:
        form.add_error("collective_type", _("Choose the type of collective."))
    if kind == DefenderKind.INDIVIDUAL and collective_type:
        form.add_error("collective_type", _("Only a collective defender has a collective type."))


class DefenderEditForm(forms.Form):
    """Step 3 of DOMAIN.md 2.1: details as needed. Fields depend on the kind of defender and on
    who edits: only the keeping desk links an account or a collective's organisation."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    collective_type = forms.ChoiceField(label=_("Collective type"), choices=CollectiveType.choices)
    pseudonym = forms.CharField(label=_("Pseudonym"), max_length=200)
    legal_name = forms.CharField(label=_("Legal name"), max_length=300, required=False)
    categories = _categories()
    rights_defended = _text(_("Rights they defend"), rows=3)
    country = CountryField()
    region = forms.CharField(
        label=_("Region"),
        max_length=100,
        required=False,
        help_text=_("First-level region only (department, province, state): never a town."),
    )
    location = _text(
        _("Location"), rows=2, help_text=_("Territory, community or address, as precise as needed.")
    )
    languages = forms.CharField(
        label=_("Languages"),
        max_length=100,
        required=False,
        help_text=_("Language codes, for example es, nasa."),
    )
    leadership = _text(_("Leadership"), rows=2, help_text=_("Who leads the collective, and how."))
    gender_identity = _text(INTERSECTIONAL["gender_identity"], max_length=100)
    sexual_orientation = _text(INTERSECTIONAL["sexual_orientation"], max_length=100)
    ethnicity = _text(INTERSECTIONAL["ethnicity"], max_length=100)
    religion = _text(INTERSECTIONAL["religion"], max_length=100)
    disability = _text(INTERSECTIONAL["disability"], max_length=200)
    age_group = forms.ChoiceField(
        label=INTERSECTIONAL["age_group"],
        required=False,
        choices=_blank(AgeGroup.choices, _("Not said")),
    )
    notes = _text(_("Notes"), rows=5)
    own_account = forms.EmailField(
        label=_("Own account"),
        required=False,
        help_text=_(
            "The email address of the defender's own Amparo account: they will see and "
            "correct this record, and see who opened it."
        ),
    )
    collective_organisation = forms.ChoiceField(
        label=_("The collective's own organisation in Amparo"),
        required=False,
        help_text=_("Its members will see the collective's record."),
    )

    def __init__(
        self,
        *args: Any,
        defender: Defender,
        can_link: bool,
        collective_organisations: list[Organisation] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.defender = defender
        if defender.is_collective:
            for name in ("gender_identity", "sexual_orientation", "age_group", "own_account"):
                del self.fields[name]
        else:
            for name in ("collective_type", "leadership", "collective_organisation"):
                del self.fields[name]
        if not can_link:
            self.fields.pop("own_account", None)
            self.fields.pop("collective_organisation", None)
        if "collective_organisation" in self.fields:
            self.collective_organisations = {
                str(org.pk): org for org in collective_organisations or []
            }
            _choice_field(self, "collective_organisation").choices = _blank(
                [(pk, org.name) for pk, org in self.collective_organisations.items()],
                pgettext_lazy("collective organisation", "None"),
            )

    @classmethod
    def initial_for(cls, defender: Defender) -> dict[str, Any]:
        """The saved record as form values (decrypts its Tier-1 fields)."""
        initial: dict[str, Any] = {
            name: getattr(defender, name)
            for name in (
                "version",
                "collective_type",
                "pseudonym",
                "legal_name",
                "rights_defended",
                "country",
                "region",
                "location",
                "languages",
                "leadership",
                "notes",
            )
        }
        initial["categories"] = [c.code for c in defender.categories.all()]
        initial.update(
            {key: (defender.intersectional or {}).get(key, "") for key in INTERSECTIONAL}
        )
        initial["own_account"] = defender.user.email if defender.user_id and defender.user else ""
        initial["collective_organisation"] = str(defender.collective_organisation_id or "")
        return initial

    def clean_own_account(self) -> User | None:
        email = self.cleaned_data.get("own_account", "")
        if not email:
            return None
        user = queries.account_for_email(email)
        if user is None:
            raise forms.ValidationError(
                _("No active account has this address. Invite the person first.")
            )
        if queries.account_is_linked_elsewhere(user, self.defender):
            raise forms.ValidationError(
                _("This account is already linked to another defender record.")
            )
        return user

    def clean_collective_organisation(self) -> Organisation | None:
        value = self.cleaned_data.get("collective_organisation", "")
        return self.collective_organisations.get(value) if value else None

    def changes(self) -> dict[str, Any]:
        """Keyword arguments for services.update_defender (categories apart)."""
        data = self.cleaned_data
        plain = (
            "collective_type",
            "pseudonym",
            "legal_name",
            "rights_defended",
            "country",
            "region",
            "location",
            "languages",
            "leadership",
            "notes",
        )
        changes = {name: data[name] for name in plain if name in self.fields}
        changes["intersectional"] = {
            key: data[key].strip() for key in INTERSECTIONAL if data.get(key, "").strip()
        }
        if "own_account" in self.fields:
            changes["user"] = data["own_account"]
        if "collective_organisation" in self.fields:
            changes["collective_organisation"] = data["collective_organisation"]
        return changes

    def conflict_rows(self, current: Defender) -> list[tuple[Any, Any, Any]]:
        """What the person typed against what is saved now, field by field, as labels."""
        saved = self.initial_for(current)
        rows = []
        for name, field in self.fields.items():
            if name == "version":
                continue
            mine: Any = self.data.get(name, "")
            if name == "categories":
                mine = self.data.getlist(name) if isinstance(self.data, QueryDict) else mine
            theirs: Any = saved.get(name, "")
            choices = dict(getattr(field, "choices", []) or [])
            if name == "categories":
                mine = ", ".join(str(choices.get(code, code)) for code in mine)
                theirs = ", ".join(str(choices.get(code, code)) for code in theirs)
            elif choices:
                mine, theirs = choices.get(mine, mine), choices.get(theirs, theirs)
            rows.append((field.label or name, mine, theirs))
        return rows


class StatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(label=_("Status"), choices=DefenderStatus.choices)


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(label=_("Channel"), choices=ChannelKind.choices)
    value = forms.CharField(label=_("Number, address or handle"), max_length=300)
    instructions = _text(_("How and when to use it"), rows=2)
    is_safe = forms.BooleanField(label=_("Agreed with the defender as safe to use"), required=False)


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(label=_("What was agreed"), choices=ConsentScope.choices)
    given_by = forms.CharField(
        label=_("Agreed by"),
        max_length=200,
        help_text=_("The defender, or who agreed on the collective's behalf."),
    )
    given_on = forms.DateField(label=_("Agreed on"), widget=forms.DateInput(attrs={"type": "date"}))
    details = _text(_("Conditions"), rows=2)

    def clean_given_on(self) -> Any:
        given_on = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise forms.ValidationError(_("Consent cannot be recorded for a future day."))
        return given_on


class WithdrawConsentForm(forms.Form):
    withdrawn_on = forms.DateField(
        label=_("Withdrawn on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_withdrawn_on(self) -> Any:
        withdrawn_on = self.cleaned_data["withdrawn_on"]
        if withdrawn_on > timezone.localdate():
            raise forms.ValidationError(_("A withdrawal cannot be dated in the future."))
        return withdrawn_on


class ClosePersonForm(forms.Form):
    relation = forms.ChoiceField(label=_("Relation to the defender"), choices=CloseRelation.choices)
    name = forms.CharField(label=_("Name or pseudonym"), max_length=200)
    contact = _text(_("How to reach them"), max_length=300)
    notes = _text(_("Notes"), rows=2)


class MemberForm(forms.Form):
    """An existing individual defender joins the collective."""

    member = forms.UUIDField(widget=forms.HiddenInput)
    role = forms.ChoiceField(
        label=_("Role in the collective"),
        choices=CollectiveRole.choices,
        initial=CollectiveRole.MEMBER,
    )
    since = forms.DateField(
        label=_("Member since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class NewMemberForm(forms.Form):
    """A person not yet recorded: a pseudonym is enough to start (their own draft record)."""

    pseudonym = forms.CharField(label=_("Pseudonym of the new member"), max_length=200)
    role = forms.ChoiceField(
        label=_("Role in the collective"),
        choices=CollectiveRole.choices,
        initial=CollectiveRole.MEMBER,
    )
    since = forms.DateField(
        label=_("Member since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    not_duplicate = forms.BooleanField(
        label=_("I checked: this is a different person from those listed above."),
        required=False,
    )


class MemberSearchForm(forms.Form):
    q = forms.CharField(label=_("Pseudonym or code"), max_length=100, required=False)


class ShareForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Share with"))

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(org.pk): org for org in organisations}
        _choice_field(self, "organisation").choices = [
            (pk, org.name) for pk, org in self.organisations.items()
        ]

    def clean_organisation(self) -> Organisation:
        return self.organisations[self.cleaned_data["organisation"]]
