"""Forms of the actor map. Services do the writing; forms parse and check what was typed."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.actors.enums import (
    Acceptance,
    ActorType,
    Deterrence,
    PowerLevel,
    RelationKind,
    Stance,
    WillToProtect,
)
from amparo.actors.models import Actor

if TYPE_CHECKING:
    from amparo.defenders.models import Defender

#: Names that stand for the whole State rather than a unit of it, in the interface languages
#: (compared lower-cased, without punctuation or a leading article).
WHOLE_STATE_NAMES = frozenset(
    {
        "state",
        "the state",
        "government",
        "the government",
        "estado",
        "el estado",
        "o estado",
        "gobierno",
        "el gobierno",
        "governo",
        "o governo",
        "état",
        "etat",
        "l état",
        "l etat",
        "gouvernement",
        "le gouvernement",
        "negara",
        "pemerintah",
        "serikali",
        "dola",
        "รัฐ",
        "รัฐบาล",
    }
)


def names_the_whole_state(name: str) -> bool:
    words = re.sub(r"[^\w]+", " ", name.casefold()).strip()
    return words in WHOLE_STATE_NAMES


class ActorChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Actors of one map, shown by name (decrypted here, after the access check)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _text(label: Any, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ActorForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=300,
        help_text=_(
            "A precise unit or person: the 14th battalion, the municipal police station, the "
            "mining company's security manager. Never just “the State”."
        ),
    )
    actor_type = forms.ChoiceField(label=_("Type"), choices=ActorType.choices)
    parent = ActorChoiceField(
        label=_("Part of"),
        queryset=Actor.objects.none(),
        required=False,
        empty_label=_("— not part of another actor on this map —"),
        help_text=_("The larger unit it belongs to, e.g. the army for a battalion."),
    )
    stance = forms.ChoiceField(
        label=_("Stance towards the defenders"), choices=Stance.choices, initial=Stance.NEUTRAL
    )
    power = forms.TypedChoiceField(
        label=_("Power"),
        choices=PowerLevel.choices,
        coerce=int,
        initial=PowerLevel.MEDIUM,
        help_text=_("How much it can weigh on the defenders' security, for good or ill."),
    )
    will_to_protect = forms.ChoiceField(
        label=_("Will to protect"), choices=WillToProtect.choices, required=False
    )
    interests = _text(_("Interests and aims"))
    duties = _text(
        _("Duties towards the defenders"),
        _("For duty-bearers: what the law or their mandate obliges them to do."),
    )
    resources = _text(_("Resources"))
    view_of_defender = _text(_("How they see the defenders"))
    notes = _text(_("Notes"))

    def __init__(self, *args: Any, subject: Defender, instance: Actor | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.subject = subject
        self.instance = instance
        parents = Actor.objects.filter(subject=subject).order_by("created_at", "id")
        if instance is not None:
            parents = parents.exclude(pk=instance.pk)
        field = self.fields["parent"]
        assert isinstance(field, ActorChoiceField)  # noqa: S101 -- declared above
        field.queryset = parents

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data["name"]).split())
        if names_the_whole_state(name):
            raise forms.ValidationError(
                _(
                    "Name the precise unit (a ministry, a battalion, a police station): the "
                    "State acts through units, and one unit can be a duty-bearer in one record "
                    "and a perpetrator in another."
                )
            )
        return name

    def actor_fields(self) -> dict[str, Any]:
        """What to hand to the services."""
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}

    @classmethod
    def initial_from(cls, actor: Actor) -> dict[str, Any]:
        return {
            "name": actor.name,
            "actor_type": actor.actor_type,
            "parent": actor.parent_id,
            "stance": actor.stance,
            "power": actor.power,
            "will_to_protect": actor.will_to_protect,
            "interests": actor.interests or "",
            "duties": actor.duties or "",
            "resources": actor.resources or "",
            "view_of_defender": actor.view_of_defender or "",
            "notes": actor.notes or "",
            "version": actor.version,
        }


class ActorEditForm(ActorForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RelationForm(forms.Form):
    source = ActorChoiceField(label=_("Actor"), queryset=Actor.objects.none())
    kind = forms.ChoiceField(
        label=_("Relation"),
        choices=RelationKind.choices,
        help_text=_("Command and funding go from the first actor to the second."),
    )
    target = ActorChoiceField(label=_("Other actor"), queryset=Actor.objects.none())
    note = _text(_("Note"))

    def __init__(self, *args: Any, subject: Defender, **kwargs: Any):
        super().__init__(*args, **kwargs)
        actors = Actor.objects.filter(subject=subject).order_by("created_at", "id")
        for name in ("source", "target"):
            field = self.fields[name]
            assert isinstance(field, ActorChoiceField)  # noqa: S101 -- declared above
            field.queryset = actors

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        source, target = cleaned.get("source"), cleaned.get("target")
        if source is not None and target is not None and source.pk == target.pk:
            self.add_error("target", _("Choose two different actors."))
        return cleaned


class PositionForm(forms.Form):
    positioned_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    acceptance = forms.TypedChoiceField(
        label=_("Acceptance"),
        choices=Acceptance.choices,
        coerce=int,
        initial=Acceptance.TOLERANCE,
        help_text=_("How far the actor accepts the defenders' work: from hostility to acceptance."),
    )
    deterrence = forms.TypedChoiceField(
        label=_("Deterrence"),
        choices=Deterrence.choices,
        coerce=int,
        initial=Deterrence.NONE,
        help_text=_(
            "What holds the actor back from acting against the defenders: nothing, the "
            "political cost, dissuasion, or persuasion."
        ),
    )
    rationale = _text(_("Why there"), _("What you saw or heard that places the actor here."))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["positioned_on"].initial = timezone.localdate
