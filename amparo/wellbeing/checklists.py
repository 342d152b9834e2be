"""The well-being checklists the product ships (DOMAIN.md 2.8, after the Umbrella stress
checklists [S32] and Integrated Security [S98]), as translatable strings with stable keys.

The prompts and suggestions of the "How are you?" page come from here; nothing is read from
outside the code at run time. Keys never change (they may be stored or linked to); texts may.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: Levels of the checklists, from everyday stress to post-traumatic stress.
BEGINNER = "beginner"
MANAGERS = "managers"
ADVANCED = "advanced"
EXPERT = "expert"


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    level: str
    text: Promise
    #: False for the things to avoid ("don't").
    do: bool = True


ITEMS: tuple[ChecklistItem, ...] = (
    # Individuals, everyday stress.
    ChecklistItem(
        "learn-stress",
        BEGINNER,
        _("Stress is a normal answer to hard work. Noticing it is already a step."),
    ),
    ChecklistItem(
        "know-yourself",
        BEGINNER,
        _("Which signs tell you that you are stressed? Sleep, mood, appetite, patience?"),
    ),
    ChecklistItem(
        "eat-exercise", BEGINNER, _("Eat regular meals and move your body a little every day.")
    ),
    ChecklistItem(
        "rest",
        BEGINNER,
        _("Rest is part of protection, not a luxury. Plan a pause before you need it."),
    ),
    ChecklistItem(
        "beliefs", BEGINNER, _("Remember why you do this work, and what you have already achieved.")
    ),
    ChecklistItem("humour", BEGINNER, _("Laughing with others releases tension: allow it.")),
    ChecklistItem(
        "stay-informed",
        BEGINNER,
        _("Knowing what is going on eases fear; too much news feeds it. Choose when to look."),
    ),
    ChecklistItem("talk", BEGINNER, _("Talk about how you feel with someone you trust.")),
    ChecklistItem(
        "change-environment",
        BEGINNER,
        _("A change of place, even for an hour, can lower the pressure."),
    ),
    ChecklistItem(
        "think-positively",
        BEGINNER,
        _("Name one thing that went well today, however small."),
    ),
    # Managers and coordinators.
    ChecklistItem("know-limits", MANAGERS, _("Know your limits, and say them out loud.")),
    ChecklistItem("get-support", MANAGERS, _("Get support for yourself, not only for your team.")),
    ChecklistItem("delegate", MANAGERS, _("Delegate: share the load before it breaks you.")),
    ChecklistItem(
        "buddy-system", MANAGERS, _("Pair people up so that nobody carries a hard task alone.")
    ),
    ChecklistItem("recognise", MANAGERS, _("Recognise the work of the people around you.")),
    ChecklistItem("time-off", MANAGERS, _("Make sure everyone, you included, takes time off.")),
    ChecklistItem(
        "lead-by-example", MANAGERS, _("Lead by example: rest visibly, so others dare to.")
    ),
    # After a traumatic event.
    ChecklistItem("after-rest", ADVANCED, _("After a hard event, rest as much as you can.")),
    ChecklistItem("after-eat", ADVANCED, _("Eat, and drink water, even if you are not hungry.")),
    ChecklistItem(
        "after-family", ADVANCED, _("Spend time with family and friends who make you feel safe.")
    ),
    ChecklistItem(
        "after-listener",
        ADVANCED,
        _("Find a trusted listener: someone who listens without judging."),
    ),
    ChecklistItem("after-relax", ADVANCED, _("Slow breathing or a short walk can calm the body.")),
    ChecklistItem(
        "after-help-others",
        ADVANCED,
        _("Helping others, safely, can give back a sense of control."),
    ),
    ChecklistItem(
        "avoid-substances",
        ADVANCED,
        _("Avoid drugs and alcohol to cope: they make sleep and fear worse."),
        do=False,
    ),
    ChecklistItem(
        "avoid-overwork",
        ADVANCED,
        _("Avoid working non-stop or sleeping all day: keep a simple daily rhythm."),
        do=False,
    ),
    ChecklistItem(
        "avoid-isolation",
        ADVANCED,
        _("Avoid cutting yourself off from others, even when you want to be alone."),
        do=False,
    ),
    # Post-traumatic stress.
    ChecklistItem(
        "monitor-symptoms",
        EXPERT,
        _("If nightmares, fear or numbness last for weeks, keep a note of them."),
    ),
    ChecklistItem(
        "see-doctor",
        EXPERT,
        _("Signs that last more than a month deserve a doctor or a psychologist."),
    ),
)

BY_KEY = {item.key: item for item in ITEMS}

#: Thresholds on the 1-5 scales: stress at or above HIGH is high; rest or support at or below
#: LOW is low; VERY_HIGH stress is "overwhelmed".
HIGH = 4
VERY_HIGH = 5
LOW = 2
#: How many recent high-stress check-ins make stress "lasting".
LASTING = 2


def items_of(level: str) -> list[ChecklistItem]:
    return [item for item in ITEMS if item.level == level]


def prompt_for(
    on: date, *, stress: int | None = None, rest: int | None = None, support: int | None = None
) -> ChecklistItem:
    """One gentle prompt: drawn from the list that fits the answers, rotating by day so that
    the person does not read the same sentence every time."""
    if stress is not None and stress >= HIGH:
        pool = items_of(ADVANCED)
    elif rest is not None and rest <= LOW:
        pool = [BY_KEY["rest"], BY_KEY["eat-exercise"], BY_KEY["change-environment"]]
    elif support is not None and support <= LOW:
        pool = [BY_KEY["talk"], BY_KEY["after-listener"], BY_KEY["humour"]]
    else:
        pool = items_of(BEGINNER)
    return pool[on.toordinal() % len(pool)]


@dataclass(frozen=True)
class Suggestion:
    key: str
    text: Promise


SUGGESTIONS: dict[str, Promise] = {
    "talk-trusted": _(
        "Talk to someone you trust today, and consider the desk's psychosocial support: you "
        "can share this check-in with the desk so that they know."
    ),
    "rest-plan": _(
        "Plan real rest this week: a full day without work, and sleep before you are "
        "exhausted. Your organisation's care agreement says what rest you are owed."
    ),
    "after-event": _(
        "Very high stress after a hard event deserves care: rest, eat, stay with people who "
        "make you feel safe, and ask for a debrief."
    ),
    "professional": _(
        "If this has lasted for weeks, a doctor or a psychologist can help. The desk can "
        "refer you to psychosocial support, confidentially."
    ),
    "reach-out": _(
        "Feeling alone makes everything heavier. Reach out to a colleague, a friend or your "
        "collective; the buddy system helps."
    ),
    "keep-going": _(
        "It sounds like you are holding up. Keep the habits that help you, and check in again "
        "in a few weeks."
    ),
}


def suggestions_for(
    stress: int, rest: int, support: int, *, recent_high: int = 0
) -> list[Suggestion]:
    """Suggestions of support that follow the answers (CARE-2: they offer support and never
    alert anyone). `recent_high` is how many of the person's recent check-ins had high
    stress, so that lasting stress points to professional help."""
    keys: list[str] = []
    if stress >= HIGH and support <= LOW:
        keys.append("talk-trusted")
    if stress >= VERY_HIGH:
        keys.append("after-event")
    if rest <= LOW:
        keys.append("rest-plan")
    if support <= LOW and "talk-trusted" not in keys:
        keys.append("reach-out")
    if stress >= HIGH and recent_high >= LASTING:
        keys.append("professional")
    if not keys:
        keys.append("keep-going")
    return [Suggestion(key, SUGGESTIONS[key]) for key in keys]
