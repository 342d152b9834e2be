"""Fixed choices of the networks module (DOMAIN.md 2.7). Codes are stable; labels translate."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tie(models.TextChoices):
    """Internal solidarity or an external ally (DOMAIN.md 2.7, S37)."""

    INTERNAL = "internal", _("Internal network")
    EXTERNAL = "external", _("External network")


class Relation(models.TextChoices):
    """Who the contact is to the defender. Stored encrypted: a relation can identify."""

    FAMILY = "family", _("Family")
    COLLEAGUE = "colleague", _("Colleague")
    COMMUNITY = "community", _("Community member")
    ORGANISATION = "organisation", _("Organisation")
    LAWYER = "lawyer", _("Lawyer")
    JOURNALIST = "journalist", _("Journalist")
    EMBASSY = "embassy", _("Embassy")
    UN_BODY = "un_body", _("UN body")
    REGIONAL_BODY = "regional_body", _("Regional human rights body")
    STATE = "state", _("State institution")
    OTHER = "other", _("Other")


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    SIGNAL = "signal", _("Signal")


#: Channels whose messages are end-to-end encrypted: only these may carry the alert's text.
E2E_CHANNELS = frozenset({ChannelKind.SIGNAL})


class Disclosure(models.TextChoices):
    """What a contact may be told about an alert, on the acknowledgement page and on an
    end-to-end encrypted channel. Email and SMS never carry more than a link."""

    # Translators: what a contact may be told about an alert.
    ALERT_ONLY = "alert_only", _("Only that there is an urgent alert")
    MESSAGE = "message", _("The alert's message and who it is about")
    MESSAGE_LOCATION = "message_location", _("The message, who it is about and the location")


class LocationPrecision(models.TextChoices):
    NONE = "none", _("No location")
    REGION = "region", _("Region")
    LOCALITY = "locality", _("Town or neighbourhood")
    EXACT = "exact", _("Exact place")


class AlertSource(models.TextChoices):
    MANUAL = "manual", _("Raised by hand")
    MISSED_CHECK_IN = "missed_check_in", _("Missed check-in")
    DURESS = "duress", _("Check-in under duress")


class AlertState(models.TextChoices):
    RAISED = "raised", _("Raised")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    #: The network stands down (no further step is told), but the alert stays open and
    #: watched: its source may still pose a threat (NET-3).
    # Translators: the state of an alert the network stood down from, still open.
    LOWERED = "lowered", _("Lowered")
    CLOSED = "closed", _("Closed")


#: NET-2: a debrief is asked for once someone answered, or the alert was lowered or closed.
DEBRIEF_AFTER = frozenset({AlertState.ACKNOWLEDGED, AlertState.LOWERED, AlertState.CLOSED})


class AlertOutcome(models.TextChoices):
    """What came of an alert, recorded when it is closed (DOMAIN.md 2.7)."""

    PREVENTED = "prevented", _("The harm was prevented")
    OCCURRED = "occurred", _("What was feared happened")
    #: NET-2: closing as "nothing happened" needs a written explanation.
    FALSE_ALARM = (
        "false_alarm",
        _("Nothing happened: a false alarm, or a missed check-in that turned out fine"),
    )
    UNRESOLVED = "unresolved", _("Unresolved: we do not know what happened")


class SourceThreat(models.TextChoices):
    """The answer to "does the source of the alert still pose a threat?": only ENDED lets
    an alert be closed (NET-3)."""

    ENDED = "ended", _("No, it no longer poses a threat")
    CONTINUES = "continues", _("Yes, it still poses a threat")
    UNKNOWN = "unknown", _("We do not know yet")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Could not be sent")


class CheckInPurpose(models.TextChoices):
    TRIP = "trip", _("Trip")
    # Translators: a court hearing.
    HEARING = "hearing", _("Hearing")
    DEMONSTRATION = "demonstration", _("Demonstration")
    OTHER = "other", _("Other")


class CheckInState(models.TextChoices):
    SCHEDULED = "scheduled", _("Waiting for the check-in")
    DONE = "done", _("Checked in")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")
