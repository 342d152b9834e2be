"""Vocabularies of the actor map and the space of action (DOMAIN.md 2.4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActorType(models.TextChoices):
    STATE_BODY = "state_body", _("State body (duty-bearer)")
    MILITARY = "military", _("Military")
    POLICE = "police", _("Police")
    INTELLIGENCE = "intelligence", _("Intelligence services")
    JUDICIARY = "judiciary", _("Judiciary and prosecutors")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    COMPANY = "company", _("Company")
    ARMED_GROUP = "armed_group", _("Armed group")
    CRIMINAL_GROUP = "criminal_group", _("Organised crime")
    POWERFUL_PERSON = "powerful_person", _("Powerful person")
    COMMUNITY_LEADER = "community_leader", _("Community or religious leader")
    MEDIA = "media", _("Media")
    ALLY = "ally", _("Ally organisation")
    INTERNATIONAL = "international", _("International body or embassy")
    FAMILY = "family", _("Family")
    OTHER = "other", pgettext_lazy("actor type", "Other")


#: Types that are units of the State: duty-bearers towards the defenders, whatever their
#: stance (CTX-1: the same unit may also be a perpetrator in an incident).
STATE_TYPES = frozenset(
    {
        ActorType.STATE_BODY,
        ActorType.MILITARY,
        ActorType.POLICE,
        ActorType.INTELLIGENCE,
        ActorType.JUDICIARY,
        ActorType.LOCAL_AUTHORITY,
    }
)


class Stance(models.TextChoices):
    """Polarity towards the defenders."""

    POSITIVE = "positive", pgettext_lazy("stance", "Positive")
    NEUTRAL = "neutral", pgettext_lazy("stance", "Neutral")
    NEGATIVE = "negative", pgettext_lazy("stance", "Negative")


class PowerLevel(models.IntegerChoices):
    """How much the actor can weigh on the defenders' security, for good or ill."""

    VERY_LOW = 1, pgettext_lazy("power", "1 · Very low")
    LOW = 2, pgettext_lazy("power", "2 · Low")
    MEDIUM = 3, pgettext_lazy("power", "3 · Medium")
    HIGH = 4, pgettext_lazy("power", "4 · High")
    VERY_HIGH = 5, pgettext_lazy("power", "5 · Very high")


#: From this power up, an actor counts as a main actor (CTX-3).
MAIN_ACTOR_POWER = PowerLevel.HIGH


class WillToProtect(models.TextChoices):
    """Whether the actor wants to protect the defenders (above all for duty-bearers)."""

    UNKNOWN = "", pgettext_lazy("will to protect", "Unknown")
    NONE = "none", pgettext_lazy("will to protect", "None")
    WEAK = "weak", pgettext_lazy("will to protect", "Weak")
    MODERATE = "moderate", pgettext_lazy("will to protect", "Moderate")
    STRONG = "strong", pgettext_lazy("will to protect", "Strong")


class RelationKind(models.TextChoices):
    """How two actors of one map are tied. Command and funding have a direction (the first
    actor commands or funds the second); the others hold both ways."""

    ALLY = "ally", pgettext_lazy("relation", "Allies")
    RIVAL = "rival", pgettext_lazy("relation", "Rivals")
    COMMAND = "command", pgettext_lazy("relation", "Commands")
    FUNDING = "funding", pgettext_lazy("relation", "Funds")
    FAMILY = "family", pgettext_lazy("relation", "Family ties")
    OTHER = "other", pgettext_lazy("relation", "Other tie")


DIRECTED_RELATIONS = frozenset({RelationKind.COMMAND, RelationKind.FUNDING})

#: What the second actor's row says about a directed relation, read from its side.
REVERSE_LABELS = {
    RelationKind.COMMAND: pgettext_lazy("relation", "Commanded by"),
    RelationKind.FUNDING: pgettext_lazy("relation", "Funded by"),
}


class Acceptance(models.IntegerChoices):
    """The acceptance axis of the space of action [S11]: hostility -> tolerance ->
    acceptance of the defenders' work by the actor."""

    HOSTILITY = -2, pgettext_lazy("acceptance", "-2 · Hostility")
    GRUDGING = -1, pgettext_lazy("acceptance", "-1 · Grudging tolerance")
    TOLERANCE = 0, pgettext_lazy("acceptance", "0 · Tolerance")
    PARTIAL = 1, pgettext_lazy("acceptance", "+1 · Partial acceptance")
    ACCEPTANCE = 2, pgettext_lazy("acceptance", "+2 · Acceptance")


class Deterrence(models.IntegerChoices):
    """The deterrence axis [S11]: what holds the actor back from acting against the
    defenders, from nothing to being persuaded not to."""

    NONE = 0, pgettext_lazy("deterrence", "0 · No deterrence")
    POLITICAL_COST = 1, pgettext_lazy("deterrence", "1 · Political cost")
    DISSUASION = 2, pgettext_lazy("deterrence", "2 · Dissuasion")
    PERSUASION = 3, pgettext_lazy("deterrence", "3 · Persuasion")
