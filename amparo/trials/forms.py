"""Forms of the trials pages. Choices come from enums.py and the pickers of queries.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from django import forms
from django.core.validators import RegexValidator
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.core.form_choices import SharedChoices
from amparo.core.pickers import Known, PickerSearchForm, search_field
from amparo.trials import checklist, detention
from amparo.trials.enums import (
    DETENTION_KIND_CHOICES,
    Access,
    AppealStatus,
    ChargeKind,
    CourtType,
    Finding,
    HearingKind,
    HearingResult,
    Initiator,
    MissionStatus,
    Outcome,
    Pattern,
    ReportStatus,
    Stage,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

_country_code = RegexValidator(
    r"^[A-Za-z]{2}$", _("Enter the two-letter country code, for example CO or KE.")
)


def _text(label: Any, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


def _version() -> forms.IntegerField:
    return forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class PersonChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name or obj.email)


class PickedIds(forms.TypedMultipleChoiceField):
    """Records offered by a picker (core/pickers.py), as ids; anything else is refused."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce=UUID, **kwargs)


class CaseForm(forms.Form):
    """Open or edit a case; `version` only when editing. The defenders and incidents offered
    are the pickers' options: the newest, those a search found, and those already chosen."""

    defenders = PickedIds(
        label=_("Defenders"),
        help_text=_("Individuals or collectives prosecuted, kept by your organisation."),
    )
    incidents = PickedIds(
        required=False,
        label=_("Linked incidents"),
        help_text=_("Arrest, raid or summons recorded as incidents."),
    )
    country = forms.CharField(
        label=_("Jurisdiction (country)"),
        max_length=2,
        validators=[_country_code],
        help_text=_("Two-letter code, for example CO, KE or ID."),
    )
    court_type = forms.ChoiceField(label=_("Court type"), choices=CourtType.choices)
    court = forms.CharField(label=_("Court"), required=False)
    case_number = forms.CharField(label=_("Case number"), required=False)
    initiator = forms.ChoiceField(label=_("Initiated by"), choices=Initiator.choices)
    patterns = forms.MultipleChoiceField(
        label=_("Patterns of judicial harassment"),
        choices=Pattern.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    opened_on = forms.DateField(label=_("Proceedings opened on"), widget=DATE)
    defence_counsel = forms.CharField(label=_("Defence counsel"), required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", _("No outcome yet")), *Outcome.choices], required=False
    )
    outcome_on = forms.DateField(label=_("Outcome on"), required=False, widget=DATE)
    appeal = forms.ChoiceField(label=_("Appeal"), choices=AppealStatus.choices)
    summary = _text(_("Summary"), rows=4)

    def __init__(
        self,
        *args: Any,
        defenders: Sequence[Known],
        incidents: Sequence[Known],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Pairs of strings, already as Django normalises choices: given as SharedChoices, they
        # are kept as they are instead of walked pair by pair (twice: field and widget).
        self.fields["defenders"].choices = SharedChoices(  # type: ignore[attr-defined]
            tuple((str(k.id), f"{k.label} ({k.code})") for k in defenders)
        )
        self.fields["incidents"].choices = SharedChoices(  # type: ignore[attr-defined]
            tuple((str(k.id), f"{k.code} · {k.label}") for k in incidents)
        )
        if editing:
            self.fields["version"] = _version()

    def as_typed(self, data: QueryDict) -> dict[str, Any]:
        """What was typed in every field, to show again without judging it: a search in a
        picker saves nothing and reports no error."""
        return {
            name: field.widget.value_from_datadict(data, {}, self.add_prefix(name))
            for name, field in self.fields.items()
        }

    def clean_country(self) -> str:
        return str(self.cleaned_data["country"]).upper()


class CaseOrganisationForm(forms.Form):
    """Which organisation keeps a new case, for people who open cases in several. Sent by GET:
    the choice is an organisation's id, and the case form's pickers depend on it."""

    organisation = forms.ChoiceField(
        label=_("Organisation that keeps the case"),
        widget=forms.RadioSelect,
        help_text=_("The defenders and incidents you can link are those it keeps."),
    )

    def __init__(
        self, *args: Any, organisations: Sequence[Any], current: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(organisation.pk), organisation.name) for organisation in organisations]
        self.fields["organisation"].choices = choices  # type: ignore[attr-defined]
        # The organisation chosen in the header's switcher, when it is one of them.
        ids = [value for value, _name in choices]
        current_id = str(getattr(current, "pk", ""))
        self.fields["organisation"].initial = current_id if current_id in ids else ids[0]


class CaseSearchForm(PickerSearchForm):
    """The find boxes of the case form's pickers. Sent with the whole form (POST, never in a
    URL: a search can be a name) by the Find buttons, or by htmx as the person types."""

    defender_search = search_field(_("Find a defender by pseudonym or code"))
    incident_search = search_field(_("Find an incident by its short description or code"))


class ChargeForm(forms.Form):
    # Translators: the law and article invoked, e.g. "Penal Code, art. 220".
    article = forms.CharField(
        label=_("Law and article"),
        max_length=120,
        help_text=_("For example: Penal Code, art. 220. Known articles of the country are listed."),
    )
    kind = forms.ChoiceField(label=_("Kind of offence"), choices=ChargeKind.choices)
    max_penalty_months = forms.IntegerField(
        label=_("Maximum penalty (months)"), required=False, min_value=0
    )


class HearingForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME)
    kind = forms.ChoiceField(label=_("Type"), choices=HearingKind.choices)
    result = forms.ChoiceField(label=_("Result"), choices=HearingResult.choices)
    place = forms.CharField(label=_("Place"), required=False)
    notes = _text(_("Notes"))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["version"] = _version()


#: The defender choice of a period migrated without one (ADR 0056): keep it not stated.
NOT_STATED = "not-stated"


class DetentionPeriodForm(forms.Form):
    """Record or correct a detention period. `defenders` are the case's: individuals to choose
    from, and, when the case is against a collective, its members not recorded one by one.
    Correcting a period whose defender is not stated (`unattributed`) also offers to leave it
    so, first, so that a correction of its dates never names someone by default."""

    defender = forms.ChoiceField(label=_("Who was detained"))
    kind = forms.ChoiceField(label=_("Kind of detention"), choices=DETENTION_KIND_CHOICES)
    starts_on = forms.DateField(label=_("Detained on"), widget=DATE)
    ends_on = forms.DateField(
        label=_("Released on"),
        required=False,
        widget=DATE,
        help_text=_("Leave it empty while the detention lasts."),
    )
    place = forms.CharField(
        label=_("Place of detention"),
        required=False,
        help_text=_("Police station, prison or address; encrypted."),
    )
    notes = _text(_("Notes"))

    def __init__(
        self,
        *args: Any,
        defenders: list[Any],
        editing: bool = False,
        unattributed: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.defenders = {str(d.pk): d for d in defenders if not d.is_collective}
        choices: list[tuple[str, Any]] = [
            (pk, f"{d.pseudonym} ({d.code})") for pk, d in self.defenders.items()
        ]
        if any(d.is_collective for d in defenders):
            choices.append(("", _("Members of the collective, not recorded one by one")))
            self.fields["defender"].required = False
        if unattributed:
            choices.insert(0, (NOT_STATED, _("Not stated yet")))
            self.fields["defender"].help_text = _(
                "This period came from the case's earlier record, which did not say who was "
                "detained. Choose the defender if you know who it was."
            )
        self.fields["defender"].choices = choices  # type: ignore[attr-defined]
        if editing:
            self.fields["version"] = _version()

    def clean_defender(self) -> Any:
        chosen = self.cleaned_data.get("defender") or ""
        return NOT_STATED if chosen == NOT_STATED else self.defenders.get(chosen)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on is not None:
            problems = detention.date_problems(starts_on, ends_on, timezone.localdate())
            for name, message in problems.items():
                self.add_error(name, message)
        return data

    def changes(self) -> dict[str, Any]:
        """The cleaned fields as the period services take them: without the version, and
        without the defender while it stays not stated."""
        changes = {name: value for name, value in self.cleaned_data.items() if name != "version"}
        if changes.get("defender") == NOT_STATED:
            del changes["defender"]
        return changes


class DetentionEndForm(forms.Form):
    """The release (or the end of this kind of detention) of an open period."""

    version = _version()
    ends_on = forms.DateField(label=_("Released on"), widget=DATE)

    def __init__(self, *args: Any, starts_on: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.starts_on = starts_on

    def clean_ends_on(self) -> date:
        ends_on: date = self.cleaned_data["ends_on"]
        problems = detention.date_problems(self.starts_on, ends_on, timezone.localdate())
        if "ends_on" in problems:
            raise forms.ValidationError(problems["ends_on"])
        return ends_on


class VersionForm(forms.Form):
    """A write that takes nothing but the version it was made against (removing a record)."""

    version = _version()


class MissionForm(forms.Form):
    version = _version()
    status = forms.ChoiceField(label=_("Status"), choices=MissionStatus.choices)
    observers = PersonChoice(queryset=None, required=False, label=_("Observers (members)"))
    external_observers = _text(
        _("External observers"),
        help_text=_("Names and affiliations of observers who are not members."),
    )
    authorities_notified_on = forms.DateField(
        label=_("Authorities notified on"), required=False, widget=DATE
    )
    access = forms.ChoiceField(label=_("Access to the courtroom"), choices=Access.choices)
    interpreter = forms.BooleanField(label=_("Interpreter present"), required=False)
    briefing = _text(_("Briefing notes"), rows=4)
    courtroom_incidents = _text(_("Courtroom incidents"))

    def __init__(self, *args: Any, observers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["observers"].queryset = observers  # type: ignore[attr-defined]


class ChecklistForm(forms.Form):
    """One finding and one note per criterion of the fair-trial checklist."""

    version = _version()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in checklist.CHECKLIST:
            self.fields[f"finding_{criterion.key}"] = forms.ChoiceField(
                label=str(criterion.label), choices=Finding.choices
            )
            self.fields[f"note_{criterion.key}"] = forms.CharField(
                label=_("Note"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[dict[str, Any]]:
        """The criteria grouped for the template: phase, article, finding and note fields."""
        return [
            {
                "criterion": criterion,
                "phase": checklist.PHASES[criterion.phase],
                "finding": self[f"finding_{criterion.key}"],
                "note": self[f"note_{criterion.key}"],
            }
            for criterion in checklist.CHECKLIST
        ]

    def findings(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            c.key: (data[f"finding_{c.key}"], data.get(f"note_{c.key}", ""))
            for c in checklist.CHECKLIST
        }


class ReportForm(forms.Form):
    version = _version()
    findings = _text(_("Findings against international standards"), rows=10)
    recommendations = _text(_("Recommendations"), rows=5)


class ReportStepForm(forms.Form):
    """Move the report on; publishing also takes the public version."""

    version = _version()
    to = forms.ChoiceField(choices=ReportStatus.choices, widget=forms.HiddenInput)
    public_title = forms.CharField(label=_("Public title"), required=False, max_length=200)
    public_text = _text(
        _("Public text"),
        rows=8,
        help_text=_(
            "What the public page shows. Leave out names, places and anything that could "
            "identify or endanger a person."
        ),
    )
    shows_findings = forms.BooleanField(
        label=_("Show the checklist findings (without notes)"), required=False, initial=True
    )
    shows_date = forms.BooleanField(label=_("Show the hearing date"), required=False)


class FeedForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("create", "create"), ("revoke", "revoke")], widget=forms.HiddenInput
    )
