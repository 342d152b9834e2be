"""Fixed vocabularies of the contact desk."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Team(models.TextChoices):
    # Translators: the team that keeps the library of protection manuals.
    LIBRARY = "library", _("The library")
    # Translators: the team that keeps the Focus Observatory of protection policies.
    OBSERVATORY = "observatory", _("The Focus Observatory")
    # Translators: the Protection Desk team, which accompanies defenders at risk.
    DESK = "desk", _("The Protection Desk")
    GENERAL = "general", _("General questions and comments")


class MessageKind(models.TextChoices):
    INQUIRY = "inquiry", _("A question")
    COMMENT = "comment", _("A comment")


class MessageStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
