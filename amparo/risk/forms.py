"""Forms of the risk pages. They parse and check what people type; the services apply the
method's rules (step order, alert rules, what a conclusion needs) for pages and API alike."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.actors.models import Actor
from amparo.incidents.models import Incident
from amparo.risk.enums import (
    ALERT_DECISION_FROM,
    Acceptability,
    AcceptabilityReason,
    AlertDecisionKind,
    AlertState,
    AnalysisStatus,
    Answer,
    FactorCategory,
    FactorKind,
    IntersectionalLens,
    ReviewTrigger,
    RiskLevel,
    Scale,
    ThreatBound,
    ThreatDirectness,
    ThreatDomain,
    ThreatNature,
    ThreatRecurrence,
    ThreatStep,
)
from amparo.risk.models import Threat

_TEXT = {"rows": 4}


def _blank(choices: Any) -> list[tuple[Any, Any]]:
    return [("", _("Not said yet")), *choices]


class VersionedForm(forms.Form):
    """Carries the version the person started from (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# --- threats ---


class IncidentChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Incident) -> str:
        when = obj.occurred_on.isoformat() if obj.occurred_on else _("date unknown")
        return f"{obj.code} · {when} · {obj.title}"


class ThreatForm(forms.Form):
    summary = forms.CharField(
        label=_("The threat, in a sentence"),
        max_length=500,
        help_text=_("For example: phone calls at night telling the leader to stop the land claim."),
    )
    nature = forms.ChoiceField(label=_("Declared or possible"), choices=ThreatNature.choices)
    directness = forms.ChoiceField(label=_("Direct or indirect"), choices=ThreatDirectness.choices)
    domain = forms.ChoiceField(
        label=_("Domain"),
        choices=ThreatDomain.choices,
        help_text=_("Crime, gender-based violence and environmental hazards count too."),
    )
    recurrence = forms.ChoiceField(label=_("How often"), choices=ThreatRecurrence.choices)
    bounded_to = forms.MultipleChoiceField(
        label=_("Does it hold only in a place, at a time or during an activity?"),
        choices=ThreatBound.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    incidents = IncidentChoiceField(
        label=_("Linked incidents"),
        queryset=Incident.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Incidents against this defender or collective that you can see."),
    )

    def __init__(self, *args: Any, incidents: QuerySet[Incident], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["incidents"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101 -- declared above
        field.queryset = incidents


class ThreatEditForm(ThreatForm, VersionedForm):
    pass


class FactsForm(VersionedForm):
    facts = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs=_TEXT),
        help_text=_("Only the facts: when, where, how, who received it, what exactly was said."),
    )


class PatternForm(VersionedForm):
    pattern_means = forms.CharField(
        label=_("Means"),
        required=False,
        widget=forms.Textarea(attrs=_TEXT),
        help_text=_("Calls, letters, messages, visits, through other people..."),
    )
    pattern_timing = forms.CharField(
        label=_("Timing"),
        required=False,
        widget=forms.Textarea(attrs=_TEXT),
        help_text=_("When, how often, before or after which events of your work."),
    )
    pattern_symbols = forms.CharField(
        label=_("Symbols"),
        required=False,
        widget=forms.Textarea(attrs=_TEXT),
        help_text=_("Signatures, logos, objects left behind, words that recur."),
    )
    pattern_content = forms.CharField(
        label=_("Content"),
        required=False,
        widget=forms.Textarea(attrs=_TEXT),
        help_text=_("What the threats say, and how that changed over time."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names = ("pattern_means", "pattern_timing", "pattern_symbols", "pattern_content")
        if not any((data.get(name) or "").strip() for name in names):
            raise forms.ValidationError(
                _("Describe the pattern: at least one of means, timing, symbols or content.")
            )
        return data


class ObjectiveForm(VersionedForm):
    objective = forms.CharField(
        label=_("What does the threat want?"),
        widget=forms.Textarea(attrs=_TEXT),
        help_text=_(
            "Follow the impact of your work: whose interests does it touch, and what would "
            "they gain if you stopped?"
        ),
    )


class ActorChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Actor) -> str:
        return f"{obj.name} ({obj.get_actor_type_display()})"


class SourceForm(VersionedForm):
    source_actor = ActorChoiceField(
        label=_("The source in the actor map"),
        queryset=Actor.objects.none(),
        required=False,
        empty_label=_("Not in the actor map"),
    )
    source_description = forms.CharField(
        label=_("Who, precisely?"),
        widget=forms.Textarea(attrs=_TEXT),
        help_text=_(
            "Which unit, which person, as precisely as you can; signatures can be forged. "
            "If it is unknown, say why."
        ),
    )

    def __init__(self, *args: Any, actors: QuerySet[Actor], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["source_actor"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 -- declared above
        field.queryset = actors


class ConclusionForm(VersionedForm):
    capability = forms.ChoiceField(
        label=_("Can the source carry out the threat?"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
    )
    intent = forms.ChoiceField(
        label=_("Will the source carry it out?"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
    )
    conclusion = forms.CharField(
        label=_("Your reasoning"),
        widget=forms.Textarea(attrs=_TEXT),
        help_text=_(
            "Why you conclude so, from the facts, the pattern, the objective and the source. "
            "Violence usually needs both the means and the will."
        ),
    )


STEP_FORMS: dict[int, type[VersionedForm]] = {
    ThreatStep.FACTS: FactsForm,
    ThreatStep.PATTERN: PatternForm,
    ThreatStep.OBJECTIVE: ObjectiveForm,
    ThreatStep.SOURCE: SourceForm,
    ThreatStep.CONCLUSION: ConclusionForm,
}


class RatingForm(VersionedForm):
    likelihood = forms.TypedChoiceField(
        label=_("Likelihood"),
        choices=_blank(Scale.choices),
        coerce=int,
        empty_value=None,
        required=False,
    )
    impact = forms.TypedChoiceField(
        label=_("Impact"),
        choices=_blank(Scale.choices),
        coerce=int,
        empty_value=None,
        required=False,
    )
    is_focus = forms.BooleanField(label=_("Focus threat: the plan must address it"), required=False)


class AlertDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=AlertDecisionKind.choices)
    rationale = forms.CharField(
        label=_("The reasons"),
        widget=forms.Textarea(attrs=_TEXT),
        help_text=_("What you know now that supports this decision."),
    )

    def __init__(self, *args: Any, state: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 -- declared above
        field.choices = [
            (value, label)
            for value, label in AlertDecisionKind.choices
            if AlertState(state) in ALERT_DECISION_FROM[AlertDecisionKind(value)]
        ]


class FactorForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Vulnerability or capacity"), choices=FactorKind.choices, widget=forms.RadioSelect
    )
    category = forms.ChoiceField(label=_("Category"), choices=FactorCategory.choices)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs=_TEXT),
        help_text=_("About this threat only: what makes it likelier or worse, or what helps."),
    )
    lenses = forms.MultipleChoiceField(
        label=_("Does it depend on who the person is?"),
        choices=IntersectionalLens.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A threat can weigh differently on a woman, an indigenous leader, a young or an "
            "LGBTIQ+ defender. Tick what applies, only with their agreement."
        ),
    )


class FactorEditForm(FactorForm, VersionedForm):
    pass


# --- analyses ---


class ParticipantField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class AnalysisForm(forms.Form):
    analysed_on = forms.DateField(
        label=_("Date of the analysis"), widget=forms.DateInput(attrs={"type": "date"})
    )
    participants = ParticipantField(
        label=_("Who took part, with an account"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participants_other = forms.CharField(
        label=_("Other participants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names or roles, as the group agrees to record them."),
    )
    defenders_present = forms.IntegerField(
        label=_("How many defenders or members of the collective took part"),
        min_value=0,
        max_value=10_000,
        initial=0,
        help_text=_("With or without an account. An analysis without them is not participatory."),
    )
    consultation = forms.CharField(
        label=_("How the consultation was done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For a collective: which members were consulted, how and when."),
    )
    context = forms.CharField(
        label=_("Context"), required=False, widget=forms.Textarea(attrs=_TEXT)
    )
    level = forms.ChoiceField(
        label=_("Risk level"),
        choices=_blank(RiskLevel.choices),
        required=False,
        help_text=_("Your judgement, as a group. The indicative score is only a hint."),
    )
    level_rationale = forms.CharField(
        label=_("Why this level"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    acceptability = forms.ChoiceField(
        label=_("Is the risk acceptable?"), choices=_blank(Acceptability.choices), required=False
    )
    acceptability_reasons = forms.MultipleChoiceField(
        label=_("What makes it acceptable"),
        choices=AcceptabilityReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    decision_by = forms.CharField(
        label=_("Who decided"),
        required=False,
        max_length=300,
        help_text=_("The person or body who takes the go or no-go decision, by name or role."),
    )
    decision_rationale = forms.CharField(
        label=_("The reasons for the decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    decided_on = forms.DateField(
        label=_("Decided on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    next_review = forms.DateField(
        label=_("Next review"), widget=forms.DateInput(attrs={"type": "date"})
    )
    review_triggers = forms.MultipleChoiceField(
        label=_("Review earlier if"),
        choices=ReviewTrigger.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participants"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101 -- declared above
        field.queryset = candidates

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        analysed_on, next_review = data.get("analysed_on"), data.get("next_review")
        if analysed_on and next_review and next_review <= analysed_on:
            self.add_error(
                "next_review", _("The next review must come after the date of the analysis.")
            )
        return data


class AnalysisEditForm(AnalysisForm, VersionedForm):
    pass


class ThreatChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Threat) -> str:
        return f"{obj.code} · {obj.summary}"


class AnalysisThreatsForm(forms.Form):
    threats = ThreatChoiceField(
        label=_("Threat assessments of this subject"),
        queryset=Threat.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_threats = forms.CharField(
        label=_("New threats, one per line"),
        required=False,
        widget=forms.Textarea(attrs=_TEXT),
        help_text=_("A sentence each; assess them step by step afterwards."),
    )

    def __init__(self, *args: Any, threats: QuerySet[Threat], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["threats"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101 -- declared above
        field.queryset = threats

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["new_summaries"] = [
            line.strip() for line in (data.get("new_threats") or "").splitlines() if line.strip()
        ]
        if not data.get("threats") and not data["new_summaries"]:
            raise forms.ValidationError(_("Choose a threat or write a new one."))
        return data


class AnalysisListFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *AnalysisStatus.choices],
        required=False,
    )
    overdue = forms.BooleanField(label=_("Only those past their review date"), required=False)


class MarkForReviewForm(forms.Form):
    reason = forms.ChoiceField(label=_("What happened?"), choices=ReviewTrigger.choices)
