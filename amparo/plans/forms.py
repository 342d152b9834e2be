"""Forms of the plan pages. Plain forms: the services do the writing, with their audit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.plans import guide
from amparo.plans.enums import (
    ComplianceResult,
    MeasureKind,
    MeasureStatus,
    PlanLevel,
    PlanStatus,
    ProtocolKind,
    Situation,
)
from amparo.plans.models import DEFAULT_REVIEW_DAYS, Measure

#: Empty step rows offered below the written ones (no JavaScript adds rows).
EXTRA_STEP_ROWS = 5
MAX_STEP_ROWS = 40

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(label: Any, *, required: bool = False, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=5000,
        **kwargs,
    )


class ThreatChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Threats as their sentence, with likelihood and impact (Tier 1: shown after the check)."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        if obj.likelihood and obj.impact:
            return _("%(threat)s (likelihood %(likelihood)s, impact %(impact)s)") % {
                "threat": obj.summary,
                "likelihood": obj.get_likelihood_display(),
                "impact": obj.get_impact_display(),
            }
        return str(obj.summary)


class VersionForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class PlanForm(forms.Form):
    """Creating and editing a plan; `focus_threats` and `analysis` appear when there are some."""

    title = forms.CharField(label=_("Title"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=PlanLevel.choices)
    analysis: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Risk analysis"), queryset=None, required=False, empty_label=_("None")
    )
    focus_threats = ThreatChoice(
        label=_("Focus threats"),
        queryset=None,
        required=False,
        help_text=_(
            "The threats the plan answers first: unacceptable ones, or those you can control."
        ),
    )
    objective_threats = _text(_("Objective: reduce the threats"))
    objective_vulnerabilities = _text(_("Objective: reduce the vulnerabilities"))
    objective_capacities = _text(_("Objective: increase the capacities"))
    decider = forms.CharField(
        label=_("Who decides go or no-go"),
        max_length=500,
        required=False,
        help_text=_("The person or body who decides whether an activity goes ahead."),
    )
    next_review = forms.DateField(label=_("Next review"), required=False, widget=DATE)
    review_interval_days = forms.IntegerField(
        label=_("Review every (days)"), min_value=7, max_value=730, initial=DEFAULT_REVIEW_DAYS
    )
    sources = _text(_("Sources"), rows=2)
    distribution = _text(
        _("Who holds a copy"),
        rows=2,
        help_text=_("Everyone who keeps a copy of this plan, printed or digital."),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        threats: QuerySet[Any] | None = None,
        analyses: QuerySet[Any] | None = None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if threats is None:
            del self.fields["focus_threats"]
        else:
            self.fields["focus_threats"].queryset = threats  # type: ignore[attr-defined]
        if analyses is None:
            del self.fields["analysis"]
        else:
            field = self.fields["analysis"]
            field.queryset = analyses  # type: ignore[attr-defined]
            field.label_from_instance = _analysis_label  # type: ignore[attr-defined]
        self.fields["version"].required = editing
        if not editing:
            del self.fields["version"]


def _analysis_label(analysis: Any) -> str:
    return str(
        _("Analysis of %(date)s (%(status)s)")
        % {"date": analysis.analysed_on.isoformat(), "status": analysis.get_status_display()}
    )


class PlanStatusForm(VersionForm):
    to = forms.ChoiceField(choices=PlanStatus.choices)
    adopted_on = forms.DateField(label=_("Adopted on"), required=False, widget=DATE)


class MeasureForm(forms.Form):
    description = _text(_("The measure"), required=True)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeasureKind.choices)
    is_acceptance = forms.BooleanField(
        label=_("Acceptance: wins the tolerance of the actors"), required=False
    )
    is_deterrence = forms.BooleanField(
        label=_("Deterrence: raises the cost of attacking"), required=False
    )
    is_protection = forms.BooleanField(label=_("Protection: reduces exposure"), required=False)
    threat: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Threat it acts on"), queryset=None, required=False, empty_label=_("None")
    )
    factor: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Vulnerability or capacity it addresses"),
        queryset=None,
        required=False,
        empty_label=_("None"),
    )
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Responsible person with an account"),
        queryset=None,
        required=False,
        empty_label=_("Nobody with an account"),
        help_text=_("They get the reminders about this plan."),
    )
    owner_name = forms.CharField(
        label=_("Who is responsible"),
        required=False,
        max_length=200,
        help_text=_("A name or a role, for people without an account."),
    )
    resources = _text(_("Resources needed"), rows=2)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)
    status = forms.ChoiceField(
        label=_("Status"), choices=MeasureStatus.choices, initial=MeasureStatus.PROPOSED
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        threats: QuerySet[Any],
        factors: QuerySet[Any],
        owners: QuerySet[Any],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        threat = self.fields["threat"]
        threat.queryset = threats  # type: ignore[attr-defined]
        threat.label_from_instance = lambda obj: str(obj.summary)  # type: ignore[attr-defined]
        factor = self.fields["factor"]
        factor.queryset = factors  # type: ignore[attr-defined]
        factor.label_from_instance = _factor_label  # type: ignore[attr-defined]
        owner = self.fields["owner"]
        owner.queryset = owners  # type: ignore[attr-defined]
        owner.label_from_instance = lambda person: person.display_name or person.email  # type: ignore[attr-defined]
        if editing:
            # The status has its own form on the plan page, so two people never fight over it
            # through this one.
            del self.fields["status"]
            self.fields["version"].required = True
        else:
            del self.fields["version"]

    @staticmethod
    def initial_from(measure: Measure) -> dict[str, Any]:
        return {
            "description": measure.description,
            "kind": measure.kind,
            "is_acceptance": measure.is_acceptance,
            "is_deterrence": measure.is_deterrence,
            "is_protection": measure.is_protection,
            "threat": measure.threat_id,
            "factor": measure.factor_id,
            "owner": measure.owner_id,
            "owner_name": measure.owner_name,
            "resources": measure.resources,
            "deadline": measure.deadline,
            "version": measure.version,
        }


def _factor_label(factor: Any) -> str:
    return str(
        _("%(kind)s · %(category)s: %(description)s")
        % {
            "kind": factor.get_kind_display(),
            "category": factor.get_category_display(),
            "description": factor.description,
        }
    )


class MeasureStatusForm(VersionForm):
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices)


class ProtocolForm(forms.Form):
    """A protocol with its steps as numbered rows: the written ones plus a few empty ones."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ProtocolKind.choices)
    situation = forms.ChoiceField(label=_("Situation"), choices=Situation.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    contacts = _text(
        _("Contacts and escalation"),
        help_text=_("Who to call, in which order, and who calls whom if they do not answer."),
    )
    threats = ThreatChoice(label=_("Threats it answers"), queryset=None, required=False)
    prerequisites: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Measures it relies on"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("If one of these lapses, the protocol is flagged."),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        threats: QuerySet[Any],
        measures: QuerySet[Any],
        steps: list[str] | None = None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["threats"].queryset = threats  # type: ignore[attr-defined]
        prerequisites = self.fields["prerequisites"]
        prerequisites.queryset = measures  # type: ignore[attr-defined]
        prerequisites.label_from_instance = lambda m: str(m.description)  # type: ignore[attr-defined]
        written = list(steps or [])
        rows = min(MAX_STEP_ROWS, max(len(written) + EXTRA_STEP_ROWS, self._rows_in_data()))
        self.step_names = [f"step_{n}" for n in range(1, rows + 1)]
        for n, name in enumerate(self.step_names, start=1):
            self.fields[name] = forms.CharField(
                label=_("Step %(number)s") % {"number": n}, required=False, max_length=1000
            )
            if n <= len(written):
                self.initial.setdefault(name, written[n - 1])
        if editing:
            self.fields["version"].required = True
        else:
            del self.fields["version"]

    def _rows_in_data(self) -> int:
        numbers = [
            int(key.removeprefix("step_"))
            for key in (self.data or {})
            if key.startswith("step_") and key.removeprefix("step_").isdigit()
        ]
        return max(numbers, default=0)

    def step_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.step_names]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("kind", "situation", "title")]

    def link_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("contacts", "threats", "prerequisites")]

    def steps(self) -> list[str]:
        return [self.cleaned_data.get(name, "") for name in self.step_names]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        written = any((data.get(name) or "").strip() for name in self.step_names)
        if not written and data.get("kind") == ProtocolKind.EMERGENCY:
            self.add_error(None, _("An emergency protocol needs at least one step."))
        return data


class ComplianceForm(forms.Form):
    checked_on = forms.DateField(label=_("Date of the check"), widget=DATE)
    result = forms.ChoiceField(label=_("Overall result"), choices=ComplianceResult.choices)
    notes = _text(_("Notes"))

    def __init__(self, *args: Any, measures: list[Measure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("checked_on", timezone.localdate())
        self.measures = measures
        for measure in measures:
            self.fields[f"measure_{measure.pk}"] = forms.ChoiceField(
                label=measure.description,
                required=False,
                choices=[("", _("Not checked")), *ComplianceResult.choices],
            )

    def measure_fields(self) -> list[forms.BoundField]:
        return [self[f"measure_{m.pk}"] for m in self.measures]

    def items(self) -> list[tuple[Measure, str]]:
        return [
            (m, self.cleaned_data[f"measure_{m.pk}"])
            for m in self.measures
            if self.cleaned_data.get(f"measure_{m.pk}")
        ]


class GuideForm(forms.Form):
    element = forms.ChoiceField(choices=[(key, key) for key in guide.ELEMENTS])
