"""Vocabularies of the defenders domain (DOMAIN.md 2.1). Codes are stable; labels translate."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amparo.accounts.enums import CollectiveType

__all__ = [
    "AgeGroup",
    "Category",
    "ChannelKind",
    "CloseRelation",
    "CollectiveRole",
    "CollectiveType",
    "ConsentScope",
    "DefenderKind",
    "DefenderStatus",
]


class DefenderKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual defender")
    COLLECTIVE = "collective", _("Collective defender")


class DefenderStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("defender status", "Draft")
    ACTIVE = "active", pgettext_lazy("defender status", "Active")
    DORMANT = "dormant", pgettext_lazy("defender status", "Dormant")
    ARCHIVED = "archived", pgettext_lazy("defender status", "Archived")


class Category(models.TextChoices):
    """Who the defender is by the work they do (DEF-1: the activity, not pay or title)."""

    WHRD = "whrd", _("Women human rights defender")
    ENVIRONMENTAL = "environmental", _("Environmental")
    LAND = "land", _("Land and territory")
    INDIGENOUS = "indigenous", _("Indigenous peoples' rights")
    LGBTIQ = "lgbtiq", _("LGBTIQ+ rights")
    JOURNALIST = "journalist", _("Journalists and free expression")
    LAWYER = "lawyer", _("Lawyers and access to justice")
    TRADE_UNION = "trade_union", _("Trade unionists")
    WHISTLEBLOWER = "whistleblower", _("Whistleblowers and anti-corruption")
    HOUSING = "housing", _("Housing rights")
    PROTEST = "protest", _("Protest and assembly")
    STUDENT = "student", _("Students and youth")
    CONFLICT = "conflict", _("Conflict documenters")
    MIGRANT = "migrant", _("Migrants' and refugees' rights")
    MINORITY = "minority", _("Minority and religious rights")
    HEALTH = "health", _("Health and sexual and reproductive rights")
    BUSINESS = "business", _("Business and human rights")
    DIGITAL = "digital", _("Digital rights")
    SEX_WORK = "sex_work", _("Sex workers' rights")
    DISAPPEARED = "disappeared", _("Searchers for the disappeared")


class CollectiveRole(models.TextChoices):
    LEADER = "leader", _("Leadership")
    MEMBER = "member", pgettext_lazy("collective role", "Member")
    SPOKESPERSON = "spokesperson", _("Spokesperson")


class ConsentScope(models.TextChoices):
    """What a defender agreed to (DOMAIN.md 1.1, principle 7). Each can be withdrawn."""

    STORE = "store", _("Keep these records in Amparo")
    SHARE_TEAM = "share_team", _("Share with the accompanying team")
    SHARE_PARTNER = "share_partner", _("Share with partner organisations")
    SHARE_MECHANISM = "share_mechanism", _("Share with a State protection mechanism")
    ANONYMISED_STATS = "anonymised_stats", _("Count in anonymised statistics")
    PUBLISH = "publish", _("Publish (for example in an urgent appeal)")


class ChannelKind(models.TextChoices):
    SIGNAL = "signal", "Signal"
    WHATSAPP = "whatsapp", "WhatsApp"
    TELEGRAM = "telegram", "Telegram"
    PHONE = "phone", _("Phone")
    SMS = "sms", _("Text message (SMS)")
    EMAIL = "email", _("Email")
    IN_PERSON = "in_person", _("In person, through a trusted contact")
    OTHER = "other", pgettext_lazy("contact channel", "Other")


class AgeGroup(models.TextChoices):
    """Bands, not birth dates: enough for the intersectional lens (DOMAIN.md principle 6)."""

    UNDER_18 = "under_18", _("Under 18")
    FROM_18 = "18_29", _("18 to 29")
    FROM_30 = "30_44", _("30 to 44")
    FROM_45 = "45_59", _("45 to 59")
    FROM_60 = "60_plus", _("60 and over")


class CloseRelation(models.TextChoices):
    """Who a close person is to the defender (DOMAIN.md 2.1 `ClosePerson`, DEF-4)."""

    PARTNER = "partner", _("Partner or spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Brother or sister")
    RELATIVE = "relative", _("Other relative")
    COLLEAGUE = "colleague", _("Colleague")
    FRIEND = "friend", _("Friend")
    OTHER = "other", pgettext_lazy("close person", "Other")
