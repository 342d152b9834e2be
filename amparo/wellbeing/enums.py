"""Closed vocabularies of the well-being module (codes are stable; labels are translated)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Stress(models.IntegerChoices):
    """How stressed the person feels, from 1 (calm) to 5 (overwhelmed)."""

    CALM = 1, _("Calm")
    A_LITTLE = 2, _("A little stressed")
    SOME = 3, _("Quite stressed")
    HIGH = 4, _("Very stressed")
    OVERWHELMED = 5, _("Overwhelmed")


class Rest(models.IntegerChoices):
    """How rested the person feels, from 1 (exhausted) to 5 (well rested)."""

    EXHAUSTED = 1, _("Exhausted")
    TIRED = 2, _("Tired")
    SO_SO = 3, pgettext_lazy("how rested", "So-so")
    RESTED = 4, _("Rested")
    WELL_RESTED = 5, _("Well rested")


class Support(models.IntegerChoices):
    """How supported the person feels, from 1 (alone) to 5 (well supported)."""

    ALONE = 1, _("Alone")
    LITTLE = 2, _("Little support")
    SOME = 3, _("Some support")
    SUPPORTED = 4, _("Supported")
    WELL_SUPPORTED = 5, _("Well supported")


class CareArea(models.TextChoices):
    """The areas a care agreement commits to (DOMAIN.md 2.8, CarePolicy; CARE-3)."""

    REST = "rest", pgettext_lazy("care area", "Rest")
    LEAVE = "leave", pgettext_lazy("care area", "Leave")
    SUPERVISION = "supervision", _("Supervision")
    DEBRIEFING = "debriefing", _("Debriefing after incidents")
    REFERRAL = "referral", _("Referral to psychosocial support")
    BUDGET = "budget", _("Budget lines for rest and health")


class DebriefStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("debrief status", "Planned")
    HELD = "held", pgettext_lazy("debrief status", "Held")
    CANCELLED = "cancelled", pgettext_lazy("debrief status", "Cancelled")
