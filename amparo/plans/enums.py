"""Vocabularies of security plans (DOMAIN.md 2.5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanLevel(models.TextChoices):
    INDIVIDUAL = "individual", pgettext_lazy("plan level", "Individual")
    ORGANISATIONAL = "organisational", pgettext_lazy("plan level", "Organisational")
    INTER_ORGANISATIONAL = (
        "inter_organisational",
        pgettext_lazy("plan level", "Inter-organisational"),
    )
    COMMUNITY = "community", pgettext_lazy("plan level", "Community")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("plan status", "Draft")
    IN_CONSULTATION = "in_consultation", pgettext_lazy("plan status", "In consultation")
    ADOPTED = "adopted", pgettext_lazy("plan status", "Adopted")
    IN_FORCE = "in_force", pgettext_lazy("plan status", "In force")
    REVIEW_DUE = "review_due", pgettext_lazy("plan status", "Review due")
    SUPERSEDED = "superseded", pgettext_lazy("plan status", "Superseded")


#: Plans whose measures are being carried out: reviews and deadlines are watched for these.
LIVE_STATUSES = (PlanStatus.ADOPTED, PlanStatus.IN_FORCE, PlanStatus.REVIEW_DUE)


class Strategy(models.TextChoices):
    """The three strategies of the space of action (combinable on one measure)."""

    ACCEPTANCE = "acceptance", pgettext_lazy("protection strategy", "Acceptance")
    DETERRENCE = "deterrence", pgettext_lazy("protection strategy", "Deterrence")
    PROTECTION = "protection", pgettext_lazy("protection strategy", "Protection")


class MeasureKind(models.TextChoices):
    POLICY = "policy", pgettext_lazy("measure kind", "Policy")
    ROUTINE = "routine", pgettext_lazy("measure kind", "Routine")
    PROTOCOL = "protocol", pgettext_lazy("measure kind", "Protocol")
    TRAINING = "training", pgettext_lazy("measure kind", "Training")
    EQUIPMENT = "equipment", pgettext_lazy("measure kind", "Equipment")
    NETWORKING = "networking", pgettext_lazy("measure kind", "Networking and political cost")
    LEGAL = "legal", pgettext_lazy("measure kind", "Legal")
    DIGITAL = "digital", pgettext_lazy("measure kind", "Digital")
    PSYCHOSOCIAL = "psychosocial", pgettext_lazy("measure kind", "Psycho-social")


class MeasureStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("measure status", "Proposed")
    AGREED = "agreed", pgettext_lazy("measure status", "Agreed")
    IN_PLACE = "in_place", pgettext_lazy("measure status", "In place")
    LAPSED = "lapsed", pgettext_lazy("measure status", "Lapsed")
    DROPPED = "dropped", pgettext_lazy("measure status", "Dropped")


#: Measures still to be put in place: past their deadline, they lapse (PLAN-4).
PENDING_MEASURES = (MeasureStatus.PROPOSED, MeasureStatus.AGREED)
#: Measures a protocol can no longer count on (PLAN-3).
BROKEN_MEASURES = (MeasureStatus.LAPSED, MeasureStatus.DROPPED)


class ProtocolKind(models.TextChoices):
    PREVENTIVE = "preventive", pgettext_lazy("protocol kind", "Preventive")
    EMERGENCY = "emergency", pgettext_lazy("protocol kind", "Emergency")


class Situation(models.TextChoices):
    DETENTION = "detention", _("Detention")
    DISAPPEARANCE = "disappearance", _("Disappearance")
    KIDNAPPING = "kidnapping", _("Kidnapping")
    SEXUAL_ASSAULT = "sexual_assault", _("Sexual assault")
    EVACUATION = "evacuation", _("Evacuation")
    RAID = "raid", _("Raid")
    DIGITAL_COMPROMISE = "digital_compromise", _("Digital compromise")
    TRAVEL = "travel", _("Travel and field trips")
    PRESS_CONFERENCE = "press_conference", _("Press conference")
    REMOTE_VISIT = "remote_visit", _("Remote visit")
    OTHER = "other", pgettext_lazy("protocol situation", "Other")


class ComplianceResult(models.TextChoices):
    ON_TRACK = "on_track", pgettext_lazy("compliance result", "On track")
    PARTLY = "partly", pgettext_lazy("compliance result", "Partly followed")
    NOT_FOLLOWED = "not_followed", pgettext_lazy("compliance result", "Not followed")
