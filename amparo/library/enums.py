"""Fixed vocabularies of the library (DOMAIN.md 2.11)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResourceKind(models.TextChoices):
    # Translators: a numbered series of protection manuals.
    MANUAL = "manual", _("Protection manual")
    # Translators: a practical tool written for human rights defenders.
    DEFENDERS_TOOL = "defenders_tool", _("Defenders' tool")
    # Translators: a guide for people who run protection workshops.
    FACILITATORS_GUIDE = "facilitators_guide", _("Facilitators' guide")
    BEST_PRACTICE = "best_practice", _("Best practice")
    RESEARCH = "research", _("Research publication")
    # Translators: a tool written for officials who design protection policies.
    POLICY_TOOL = "policy_tool", _("Policy-maker tool")
    STORY = "story", _("Story from the field")


class Topic(models.TextChoices):
    RISK_ANALYSIS = "risk_analysis", _("Risk analysis")
    SECURITY_PLANS = "security_plans", _("Security plans")
    DIGITAL_SECURITY = "digital_security", _("Digital security")
    COLLECTIVE_PROTECTION = "collective_protection", _("Collective protection")
    WELLBEING = "wellbeing", _("Well-being and care")
    CRIMINALISATION = "criminalisation", _("Criminalisation")
    GENDER = "gender", _("Women defenders and gender")
    LAND_ENVIRONMENT = "land_environment", _("Land and environment")
    PUBLIC_POLICY = "public_policy", _("Public policies")


class Audience(models.TextChoices):
    DEFENDERS = "defenders", _("Defenders")
    ORGANISATIONS = "organisations", _("Organisations and collectives")
    FACILITATORS = "facilitators", _("Facilitators and trainers")
    POLICY_MAKERS = "policy_makers", _("Policy makers")
    RESEARCHERS = "researchers", _("Researchers")


class Licence(models.TextChoices):
    CC_BY = "cc_by", "CC BY 4.0"
    CC_BY_SA = "cc_by_sa", "CC BY-SA 4.0"
    CC_BY_NC = "cc_by_nc", "CC BY-NC 4.0"
    CC_BY_NC_ND = "cc_by_nc_nd", "CC BY-NC-ND 4.0"
    PUBLIC_DOMAIN = "public_domain", _("Public domain")
    ALL_RIGHTS = "all_rights", _("All rights reserved")


class ResourceState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    # Translators: taken off the public library, kept for the record.
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: Which state may follow which (the librarians' workflow).
TRANSITIONS: dict[str, frozenset[str]] = {
    ResourceState.DRAFT: frozenset({ResourceState.PUBLISHED}),
    ResourceState.PUBLISHED: frozenset({ResourceState.WITHDRAWN}),
    ResourceState.WITHDRAWN: frozenset({ResourceState.DRAFT, ResourceState.PUBLISHED}),
}


class FileFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    TEXT = "txt", _("Plain text")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")
    # Translators: a resource hosted elsewhere, reached through an address.
    LINK = "link", _("Web link")


class RequestStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class RequestKind(models.TextChoices):
    # Translators: a request for printed copies of a library resource.
    PRINTED = "printed", _("Printed copies")
    # Translators: a request for a digital copy or a download link.
    DIGITAL = "digital", _("A digital copy or a link")
    OTHER = "other", _("Something else")
