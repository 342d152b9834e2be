"""Forms of the incident register. Fields are listed explicitly (ACC-08).

The one-flow entry (INC-3) is one main form plus two formsets of a fixed number of rows, for
victims and perpetrators: it works without JavaScript, and "More rows" re-renders the page with
three more empty rows, keeping everything typed. A new name that matches an existing record
(case, accents and spacing aside) stops the save and asks, on that row, whether it is the same
one: the answer is a radio button, so the second submission is deliberate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from amparo.core import pickers
from amparo.core.pickers import Known, normalise_name
from amparo.defenders.enums import Category, DefenderKind
from amparo.incidents import party_rows, queries
from amparo.incidents.enums import (
    AffectedParty,
    Answer,
    AttackType,
    DatePrecision,
    FollowUp,
    IncidentStatus,
    LocationPrecision,
    PerpetratorKind,
)
from amparo.incidents.models import (
    Act,
    Incident,
    Intervention,
    Involvement,
    Perpetrator,
    Source,
)
from amparo.incidents.queries import ReportTargets

#: Empty rows of each formset on a fresh page, and added by "More rows".
EXTRA_ROWS = 3
MAX_ROWS = 30
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class VersionField(forms.IntegerField):
    """The version the form was opened at (optimistic locking)."""

    def __init__(self) -> None:
        super().__init__(widget=forms.HiddenInput, min_value=1)


# --- the facts of an incident ---


class IncidentFactsForm(forms.ModelForm):  # type: ignore[type-arg]
    """What, when and where, at the precision the person chooses."""

    class Meta:
        model = Incident
        fields = [
            "title",
            "description",
            "occurred_on",
            "date_precision",
            "date_end",
            "country",
            "region",
            "location_precision",
            "location",
            "is_danger_now",
            "violation_status",
            "channel",
        ]
        widgets = {
            "title": forms.TextInput(attrs={"maxlength": 200}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "location": forms.TextInput(),
            "occurred_on": DateInput(),
            "date_end": DateInput(),
        }
        labels = {"is_danger_now": _("Someone is in danger now")}
        help_texts = {
            "country": _("Two-letter code, for example CO or KE."),
            "region": _("First-level region only (department, province, state): never a town."),
            "location": _("Only as precise as the precision chosen above; encrypted."),
            "date_precision": _("Give a full date even when only the month or year is known."),
        }

    def clean_country(self) -> str:
        country = str(self.cleaned_data.get("country") or "").strip()
        if country and not _COUNTRY.match(country):
            raise forms.ValidationError(_("Enter the two-letter country code."))
        return country.upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("occurred_on"), data.get("date_end")
        if start and end and end < start:
            self.add_error("date_end", _("The end cannot be before the start."))
        if end and not start:
            self.add_error("occurred_on", _("Give the start date too."))
        if not start and data.get("date_precision") not in (None, "", DatePrecision.UNKNOWN):
            data["date_precision"] = DatePrecision.UNKNOWN
        # Never keep more than the person chose to record.
        precision = data.get("location_precision")
        if precision in (
            LocationPrecision.REGION,
            LocationPrecision.COUNTRY,
            LocationPrecision.WITHHELD,
        ):
            data["location"] = ""
        if precision in (LocationPrecision.COUNTRY, LocationPrecision.WITHHELD):
            data["region"] = ""
        if precision == LocationPrecision.WITHHELD:
            data["country"] = ""
        return data


class IncidentCreateForm(IncidentFactsForm):
    """The main part of the one-flow entry."""

    organisation = forms.TypedChoiceField(
        label=_("Register of"), coerce=UUID, empty_value=None, required=True
    )
    act_type = forms.ChoiceField(
        label=_("Type of attack"),
        choices=party_rows.RowOptions(AttackType.choices),
        initial=AttackType.UNCLASSIFIED,
        help_text=_("For every victim, unless a row below says otherwise."),
        widget=party_rows.Select,  # its options written once (`party_rows.RowOptions`)
    )

    field_order = ["organisation", "title", "act_type"]

    def __init__(self, *args: Any, organisations: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101 -- declared above
        field.choices = [(str(o.pk), o.name) for o in organisations]
        if len(organisations) == 1:
            field.initial = str(organisations[0].pk)
            field.widget = forms.HiddenInput()


class IncidentEditForm(IncidentFactsForm):
    version = VersionField()

    class Meta(IncidentFactsForm.Meta):
        fields = [*IncidentFactsForm.Meta.fields, "impact", "state_response"]
        widgets = {
            **IncidentFactsForm.Meta.widgets,
            "impact": forms.Textarea(attrs={"rows": 3}),
            "state_response": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        for name in ("impact", "state_response"):
            if self.initial.get(name) is None:
                self.initial[name] = ""


# --- victims and perpetrators, as rows ---


class _PartyRow(forms.Form):
    """A row that names an existing record or a new one, with a duplicate check."""

    existing_field = ""
    new_field = ""
    duplicate_message: Any = ""
    #: The fields of a row, in the order the page shows them (`party_rows.write_rows`).
    row_fields: tuple[str, ...] = ()

    def __init__(
        self,
        *args: Any,
        known: Sequence[Known] = (),
        by_name: dict[str, list[Known]] | None = None,
        options: party_rows.RowOptions | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.known = {str(k.id): k for k in known}
        self.by_name = by_name or {}
        field = self.fields[self.existing_field]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 -- declared by subclasses
        # The picker's options, made once for all the rows of a formset (`picker_options`).
        field.choices = picker_options(known) if options is None else options
        #: Records the typed name may duplicate; the template offers them for reuse.
        self.duplicates: list[Known] = []
        typed = self.data.get(self.add_prefix(self.new_field), "") if self.is_bound else ""
        matches = self.by_name.get(normalise_name(str(typed)), []) if typed else []
        reuse = self.fields["reuse"]
        assert isinstance(reuse, forms.ChoiceField)  # noqa: S101 -- declared below
        reuse.choices = [("new", self.new_choice_label)] + [
            (str(m.id), _("Yes: %(name)s (%(code)s)") % {"name": m.label, "code": m.code})
            for m in matches
        ]
        self._matches = matches

    new_choice_label: Any = ""

    reuse = forms.ChoiceField(
        label=_("Is it the same?"), required=False, widget=forms.RadioSelect, choices=()
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get(self.existing_field) or ""
        typed = str(data.get(self.new_field) or "").strip()
        data["chosen"] = None
        if chosen and typed:
            raise forms.ValidationError(
                _("Choose from the list or type a new one, not both."), code="both"
            )
        if chosen:
            data["chosen"] = self.known[chosen]
        elif typed and self._matches:
            answer = data.get("reuse") or ""
            if not answer:
                self.duplicates = list(self._matches)
                self.add_error(self.new_field, self.duplicate_message)
            elif answer != "new":
                data["chosen"] = next(m for m in self._matches if str(m.id) == answer)
        return data

    @property
    def offers_reuse(self) -> bool:
        """The typed name matches existing records: the row asks whether it is the same."""
        return bool(self._matches)

    @property
    def is_filled(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("chosen") or str(data.get(self.new_field) or "").strip())

    def legend(self, number: int) -> str:
        """The row's fieldset legend (`party_rows.write_rows`)."""
        raise NotImplementedError


def picker_options(known: Sequence[Known]) -> party_rows.RowOptions:
    """A row picker's choices: none, then each record offered, as "label (code)"."""
    return party_rows.RowOptions(
        _blank(_("— none —")) + [(str(k.id), f"{k.label} ({k.code})") for k in known]
    )


class VictimRowForm(_PartyRow):
    existing_field = "defender"
    new_field = "new_pseudonym"
    duplicate_message = _(
        "A defender with this pseudonym is already recorded. Is it the same one? Answer below."
    )
    new_choice_label = _("No, someone else: record a new defender")
    row_fields = ("defender", "new_pseudonym", "reuse", "new_kind", "act_type")

    defender = forms.ChoiceField(
        label=_("Defender already recorded"), required=False, widget=party_rows.Select
    )
    new_pseudonym = forms.CharField(
        label=_("…or a new defender's pseudonym"), required=False, max_length=200
    )
    new_kind = forms.ChoiceField(
        label=_("New defender is"),
        choices=party_rows.RowOptions(DefenderKind.choices),
        initial=DefenderKind.INDIVIDUAL,
        required=False,
        widget=party_rows.Select,
    )
    act_type = forms.ChoiceField(
        label=_("Type of attack against this victim"),
        choices=party_rows.RowOptions(_blank(_("Same type as above")) + list(AttackType.choices)),
        required=False,
        widget=party_rows.Select,
    )

    def legend(self, number: int) -> str:
        return party_rows.legend(gettext("Victim %(number)s"), number)


class PerpetratorRowForm(_PartyRow):
    existing_field = "perpetrator"
    new_field = "new_name"
    duplicate_message = _(
        "A perpetrator with this name is already recorded. Is it the same one? Answer below."
    )
    new_choice_label = _("No, another one: record a new perpetrator")
    row_fields = ("perpetrator", "new_kind", "new_name", "reuse")

    perpetrator = forms.ChoiceField(
        label=_("Perpetrator already recorded"), required=False, widget=party_rows.Select
    )
    new_kind = forms.ChoiceField(
        label=_("…or a new perpetrator: kind"),
        choices=party_rows.RowOptions(_blank(_("— choose —")) + list(PerpetratorKind.choices)),
        required=False,
        widget=party_rows.Select,
    )
    new_name = forms.CharField(
        label=_("Name or description"),
        required=False,
        max_length=300,
        help_text=_("Which unit, company or person, as precisely as known."),
    )

    def legend(self, number: int) -> str:
        return party_rows.legend(gettext("Perpetrator %(number)s"), number)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            str(data.get("new_name") or "").strip()
            and not data.get("chosen")
            and not data.get("new_kind")
        ):
            self.add_error("new_kind", _("Choose the kind of perpetrator."))
        return data


class PartiesForm(forms.Form):
    """The common type of attack when victims are added to a recorded incident."""

    act_type = forms.ChoiceField(
        label=_("Type of attack for the new victims"),
        choices=AttackType.choices,
        initial=AttackType.UNCLASSIFIED,
        help_text=_("Unless a row below says otherwise."),
    )


class PickerSearchForm(pickers.PickerSearchForm):
    """The "find" boxes above the rows: they narrow what the rows' pickers offer. Sent with the
    whole form (POST, never in a URL: a search can be a name) by the Find buttons, so what was
    typed everywhere else comes back as it was."""

    victim_search = pickers.search_field(_("Find a recorded defender"))
    perpetrator_search = pickers.search_field(_("Find a recorded perpetrator"))


VictimFormSet = formset_factory(VictimRowForm, extra=EXTRA_ROWS, max_num=MAX_ROWS)
PerpetratorFormSet = formset_factory(PerpetratorRowForm, extra=EXTRA_ROWS, max_num=MAX_ROWS)


def party_formsets(
    data: Any,
    *,
    victims: Sequence[Known],
    victims_by_name: dict[str, list[Known]],
    perpetrators: Sequence[Known],
    perpetrators_by_name: dict[str, list[Known]],
    more_rows: bool = False,
) -> tuple[Any, Any]:
    """Both formsets, bound when there is data. `more_rows` adds empty rows to each, keeping
    what was typed in the others."""
    if data is not None and more_rows:
        data = data.copy()
        for prefix in ("victims", "perpetrators"):
            key = f"{prefix}-TOTAL_FORMS"
            try:
                total = int(data.get(key, EXTRA_ROWS))
            except ValueError:
                total = EXTRA_ROWS
            data[key] = str(min(total + EXTRA_ROWS, MAX_ROWS))
    victim_set = VictimFormSet(
        data,
        prefix="victims",
        form_kwargs={
            "known": victims,
            "by_name": victims_by_name,
            "options": picker_options(victims),
        },
    )
    perpetrator_set = PerpetratorFormSet(
        data,
        prefix="perpetrators",
        form_kwargs={
            "known": perpetrators,
            "by_name": perpetrators_by_name,
            "options": picker_options(perpetrators),
        },
    )
    return victim_set, perpetrator_set


def check_organisation(formset: Any, organisation_id: UUID, message: Any) -> bool:
    """Rows must name records of the incident's organisation; errors go on the row."""
    ok = True
    for form in formset.forms:
        chosen = getattr(form, "cleaned_data", {}).get("chosen")
        if chosen is not None and chosen.organisation_id != organisation_id:
            form.add_error(form.existing_field, message)
            ok = False
    return ok


# --- quick report ---


class QuickReportForm(forms.Form):
    """Short enough for a phone; everything else the desk completes later (INC-1: "not sure
    it matters" is a valid report)."""

    what_happened = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("In your own words. Who, how many, vehicles or plates if you saw them."),
    )
    is_danger_now = forms.TypedChoiceField(
        label=_("Is anyone in danger now?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    occurred_on = forms.DateField(label=_("When?"), required=False, widget=DateInput())
    date_precision = forms.ChoiceField(
        label=_("How sure is the date?"),
        choices=DatePrecision.choices,
        initial=DatePrecision.DAY,
    )
    country = forms.CharField(
        label=_("Country"),
        required=False,
        max_length=2,
        help_text=_("Two-letter code, for example CO."),
    )
    region = forms.CharField(
        label=_("Region"),
        required=False,
        max_length=100,
        help_text=_("Department, province or state only. The exact place can wait."),
    )
    affected = forms.ChoiceField(label=_("Who is affected?"), widget=forms.RadioSelect)
    collective = forms.TypedChoiceField(
        label=_("Which collective?"), coerce=UUID, empty_value=None, required=False
    )
    defender = forms.TypedChoiceField(
        label=_("Which defender?"), coerce=UUID, empty_value=None, required=False
    )
    organisation = forms.TypedChoiceField(
        label=_("Register of"), coerce=UUID, empty_value=None, required=False
    )
    act_type = forms.ChoiceField(
        label=_("What kind of event? (optional)"),
        choices=party_rows.RowOptions(_blank(_("Not sure")) + list(AttackType.choices)),
        required=False,
        widget=party_rows.Select,  # its options written once (`party_rows.RowOptions`)
    )

    def __init__(
        self, *args: Any, targets: ReportTargets, defenders: Sequence[Known] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.targets = targets
        self._offer_affected()
        self._offer_pickers(defenders)
        self.fields["country"].initial = self._default_country()

    def _offer_affected(self) -> None:
        targets = self.targets
        affected: list[tuple[str, Any]] = []
        if targets.own is not None:
            affected.append((AffectedParty.SELF, AffectedParty.SELF.label))
        if targets.collectives:
            affected.append((AffectedParty.COLLECTIVE, AffectedParty.COLLECTIVE.label))
        if targets.desk_organisations:
            affected.append((AffectedParty.ACCOMPANIED, AffectedParty.ACCOMPANIED.label))
        self._field("affected").choices = affected
        if len(affected) == 1:
            self.fields["affected"].initial = affected[0][0]

    def _offer_pickers(self, defenders: Sequence[Known]) -> None:
        """Only the questions that can have more than one answer for this person."""
        targets = self.targets
        if len(targets.collectives) > 1:
            self._field("collective").choices = _blank(_("— choose —")) + [
                (str(c.pk), c.pseudonym) for c in targets.collectives
            ]
        else:
            del self.fields["collective"]
        if targets.desk_organisations:
            self._field("defender").choices = _blank(_("Not recorded yet")) + [
                (str(k.id), f"{k.label} ({k.code})") for k in defenders
            ]
            self.fields["defender"].help_text = _(
                "Not listed? Leave it empty: the desk adds victims when it completes the entry."
            )
        else:
            del self.fields["defender"]
        if len(targets.desk_organisations) > 1:
            self._field("organisation").choices = [
                (str(o.pk), o.name) for o in targets.desk_organisations
            ]
            self.fields["organisation"].help_text = _(
                "Only used when no defender is chosen: otherwise the defender's desk receives it."
            )
        else:
            del self.fields["organisation"]

    def _default_country(self) -> str:
        for candidate in (self.targets.own, *self.targets.collectives):
            if candidate is not None and candidate.country:
                return str(candidate.country)
        if self.targets.desk_organisations:
            return str(getattr(self.targets.desk_organisations[0], "country", "") or "")
        return ""

    def _field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 -- declared above
        return field

    def clean_country(self) -> str:
        country = str(self.cleaned_data.get("country") or "").strip()
        if country and not _COUNTRY.match(country):
            raise forms.ValidationError(_("Enter the two-letter country code."))
        return country.upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        affected = data.get("affected")
        victim: Any = None
        organisation = None
        if affected == AffectedParty.SELF and self.targets.own is not None:
            victim = self.targets.own
        elif affected == AffectedParty.COLLECTIVE and self.targets.collectives:
            if len(self.targets.collectives) == 1:
                victim = self.targets.collectives[0]
            else:
                chosen = data.get("collective")
                victim = next((c for c in self.targets.collectives if c.pk == chosen), None)
                if victim is None:
                    self.add_error("collective", _("Choose the collective."))
        elif affected == AffectedParty.ACCOMPANIED and self.targets.desk_organisations:
            chosen = data.get("defender")
            if chosen is not None:
                victim = str(chosen)  # resolved to a Defender by the view
            desks = self.targets.desk_organisations
            wanted = data.get("organisation")
            organisation = next((o for o in desks if o.pk == wanted), desks[0])
        data["victim"] = victim
        data["desk_organisation"] = organisation
        if data.get("occurred_on") is None:
            data["date_precision"] = DatePrecision.UNKNOWN
        return data


# --- team evaluation and status ---


class EvaluationForm(forms.ModelForm):  # type: ignore[type-arg]
    version = VersionField()

    class Meta:
        model = Incident
        fields = [
            "is_security_incident",
            "is_work_related",
            "is_known_threat",
            "follow_up",
            "evaluation_notes",
            "lessons",
        ]
        widgets = {
            "is_security_incident": forms.RadioSelect(choices=Answer.choices),
            "is_work_related": forms.RadioSelect(choices=Answer.choices),
            "is_known_threat": forms.RadioSelect(choices=Answer.choices),
            "evaluation_notes": forms.Textarea(attrs={"rows": 4}),
            "lessons": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "is_security_incident": _(
                "Could it bear on anyone's security? Being followed or odd calls count."
            ),
            "follow_up": _(
                "To assess it as a threat, start a threat assessment from the incident."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        for name in ("is_security_incident", "is_work_related", "is_known_threat"):
            field = self.fields[name]
            field.required = True
            assert isinstance(field, forms.ChoiceField)  # noqa: S101 -- a model choice field
            field.choices = list(Answer.choices)
        follow = self.fields["follow_up"]
        assert isinstance(follow, forms.ChoiceField)  # noqa: S101 -- a model choice field
        follow.choices = _blank(_("— not decided yet —")) + list(FollowUp.choices)
        for name in ("evaluation_notes", "lessons"):
            if self.initial.get(name) is None:
                self.initial[name] = ""


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=IncidentStatus.choices)
    version = VersionField()


# --- parts ---


class _VersionedModelForm(forms.ModelForm):  # type: ignore[type-arg]
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.instance._state.adding:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]


class ActForm(_VersionedModelForm):
    class Meta:
        model = Act
        fields = ["act_type", "consequences"]
        widgets = {"consequences": forms.Textarea(attrs={"rows": 3})}


class InvolvementForm(_VersionedModelForm):
    class Meta:
        model = Involvement
        fields = ["act", "degree", "attribution", "intent"]
        help_texts = {
            "degree": _(
                "Stays “suspected” until a threat assessment linked to this incident has "
                "identified who is behind it (step 4 of the assessment, INC-2)."
            ),
            "act": _("Leave empty when they took part in the event as a whole."),
        }

    def __init__(self, *args: Any, acts: Sequence[tuple[Any, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["act"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 -- a foreign key
        field.queryset = Act.objects.filter(incident_id=self.instance.incident_id)
        labels = dict(acts)

        def label(act: Act) -> str:
            return str(labels.get(act.pk, act.get_act_type_display()))

        field.label_from_instance = label  # type: ignore[method-assign,assignment]
        field.empty_label = pgettext_lazy("involvement in", "The event as a whole")


class PerpetratorForm(_VersionedModelForm):
    class Meta:
        model = Perpetrator
        fields = ["kind", "name", "description"]
        widgets = {
            "name": forms.TextInput(attrs={"maxlength": 300}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class SourceForm(_VersionedModelForm):
    class Meta:
        model = Source
        fields = ["connection", "reliability", "received_on", "identity", "notes"]
        widgets = {
            "received_on": DateInput(),
            "identity": forms.TextInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"identity": _("Encrypted; only the desk that keeps the incident sees it.")}


class InterventionForm(_VersionedModelForm):
    class Meta:
        model = Intervention
        fields = [
            "intervention_type",
            "party",
            "done_on",
            "response",
            "impact",
            "priority",
            "notes",
        ]
        widgets = {
            "done_on": DateInput(),
            "party": forms.TextInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


# --- the list ---


class IncidentFilterForm(forms.Form):
    """GET filters of the list and the export; all optional, all on Tier-2 columns. Its selects
    keep their options written (`party_rows.RowOptions`): the list shows the form with every
    page."""

    act_type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=party_rows.RowOptions(_blank(_("Any")) + list(AttackType.choices)),
        widget=party_rows.Select,
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    country = forms.CharField(label=_("Country"), required=False, max_length=2)
    region = forms.CharField(label=_("Region"), required=False, max_length=100)
    perpetrator_kind = forms.ChoiceField(
        label=_("Perpetrator"),
        required=False,
        choices=party_rows.RowOptions(_blank(_("Any")) + list(PerpetratorKind.choices)),
        widget=party_rows.Select,
    )
    perpetrator = forms.UUIDField(required=False, widget=forms.HiddenInput)
    category = forms.ChoiceField(
        label=_("Defender category"),
        required=False,
        choices=party_rows.RowOptions(_blank(_("Any")) + list(Category.choices)),
        widget=party_rows.Select,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=party_rows.RowOptions(_blank(_("Any")) + list(IncidentStatus.choices)),
        widget=party_rows.Select,
    )
    danger_now = forms.BooleanField(label=_("Danger now only"), required=False)

    def filters(self) -> queries.IncidentFilters:
        """The valid filters; an invalid one is dropped (and its error shown)."""
        if not self.is_bound:
            return queries.IncidentFilters()
        self.is_valid()
        return queries.IncidentFilters.from_mapping(getattr(self, "cleaned_data", {}))


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=[("json", "JSON"), ("csv", "CSV")])
