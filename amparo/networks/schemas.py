"""What the networks API answers and accepts, field by field (ACC-08: explicit fields)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field

from amparo.api.schemas import TEXT_REQUIRED
from amparo.networks.enums import (
    AlertOutcome,
    AlertSource,
    AlertState,
    ChannelKind,
    CheckInPurpose,
    CheckInState,
    DeliveryState,
    Disclosure,
    LocationPrecision,
    Relation,
    SourceThreat,
    Tie,
)

#: Closing and debrief texts (the pages take the same).
TEXT = 2000


def _blank_as_none(obj: object, name: str) -> object:
    """A blank choice column as null: from a row, or from the dict an operation built."""
    value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, "")
    return value or None


class ChannelsIn(Schema):
    email: str = Field("", max_length=254)
    sms: str = Field("", max_length=40)
    signal: str = Field("", max_length=40)


class ContactIn(Schema):
    name: str = Field(max_length=200, pattern=TEXT_REQUIRED)
    relation: Relation
    tie: Tie
    preferred_channel: ChannelKind
    channels: ChannelsIn
    languages: str = Field("", max_length=100)
    disclosure: Disclosure = Disclosure.ALERT_ONLY


class ContactUpdateIn(Schema):
    version: int = Field(description="The version you read (optimistic locking).")
    name: str | None = Field(None, max_length=200, pattern=TEXT_REQUIRED)
    relation: Relation | None = None
    tie: Tie | None = None
    preferred_channel: ChannelKind | None = None
    channels: ChannelsIn | None = None
    languages: str | None = Field(None, max_length=100)
    disclosure: Disclosure | None = None


class ContactOut(Schema):
    id: UUID
    defender_id: UUID
    name: str
    relation: str
    tie: Tie
    preferred_channel: ChannelKind
    channels: dict[str, str]
    languages: str
    disclosure: Disclosure
    version: int


class ContactRemovedOut(Schema):
    id: UUID
    steps_removed: int = Field(description="Steps that told only this contact, now removed.")
    tree_steps: int = Field(description="Steps the escalation tree has left: 0, nobody is told.")


class ContactPage(Schema):
    items: list[ContactOut]
    next_after: UUID | None


class EscalationStepIn(Schema):
    version: int = Field(description="The tree's version you read; 0 when it has no step yet.")
    contact_ids: list[UUID] = Field(min_length=1, max_length=1000)
    wait_minutes: int = Field(15, ge=1, le=7 * 24 * 60)


class StepOut(Schema):
    id: UUID
    position: int
    wait_minutes: int
    contact_ids: list[UUID]


class TreeOut(Schema):
    defender_id: UUID
    version: int = Field(description="0 when the defender has no tree yet.")
    steps: list[StepOut]


class AlertIn(Schema):
    message: str = Field(max_length=500, pattern=TEXT_REQUIRED)
    location: str = Field("", max_length=300)
    location_precision: LocationPrecision = LocationPrecision.NONE


class AlertOut(Schema):
    id: UUID
    code: str
    defender_id: UUID
    source: AlertSource
    state: AlertState
    raised_at: datetime
    step: int
    next_step_at: datetime | None
    acknowledged_at: datetime | None
    lowered_at: datetime | None
    closed_at: datetime | None
    outcome: AlertOutcome | None = Field(None, description="What came of it; set on closing.")
    debrief_due: bool = Field(
        description="Acknowledged, lowered or closed, and nobody wrote its debrief yet (NET-2)."
    )
    next_follow_up_on: date | None = Field(
        None, description="Due date of its soonest open follow-up action."
    )
    version: int

    @staticmethod
    def resolve_outcome(obj: object) -> object:
        return _blank_as_none(obj, "outcome")


class AlertPage(Schema):
    items: list[AlertOut]
    next_after: UUID | None


class DeliveryOut(Schema):
    id: UUID
    contact_id: UUID
    contact_removed: bool = Field(
        False, description="The contact was removed from the network since; details erased."
    )
    step: int
    channel: ChannelKind
    state: DeliveryState
    sent_at: datetime | None
    acknowledged_at: datetime | None


class AlertDebriefIn(Schema):
    version: int = Field(description="The debrief's version you read; 0 when there was none.")
    what_happened: str = Field(max_length=TEXT, pattern=TEXT_REQUIRED)
    network_response: str = Field(max_length=TEXT, pattern=TEXT_REQUIRED)
    worked: str = Field("", max_length=TEXT)
    did_not_work: str = Field("", max_length=TEXT)


class AlertDebriefOut(Schema):
    id: UUID
    what_happened: str
    network_response: str
    worked: str
    did_not_work: str
    written_by_id: UUID | None
    updated_at: datetime
    version: int


class FollowUpIn(Schema):
    action: str = Field(max_length=500, pattern=TEXT_REQUIRED)
    owner: str = Field(max_length=200, pattern=TEXT_REQUIRED, description="Who does it.")
    due_on: date | None = None


class FollowUpOut(Schema):
    id: UUID
    alert_id: UUID
    action: str
    owner: str
    due_on: date | None
    done_at: datetime | None
    version: int


class FollowUpPage(Schema):
    items: list[FollowUpOut]
    next_after: UUID | None


class VersionIn(Schema):
    version: int = Field(description="The version you read (optimistic locking).")


class AlertDetailOut(AlertOut):
    message: str
    location: str
    location_precision: LocationPrecision
    lowered_reason: str | None
    close_reason: str | None
    explanation: str | None = Field(description="Closed as nothing happened: why it went off.")
    watch: str | None = Field(description="What to keep watching once lowered or closed.")
    debrief: AlertDebriefOut | None
    deliveries: list[DeliveryOut]


class AlertCloseIn(Schema):
    """NET-3: closed only when the source no longer poses a threat (`source_threat` "ended");
    any other answer is refused (422): lower the alert instead."""

    version: int = Field(description="The version you read (optimistic locking).")
    outcome: AlertOutcome
    source_threat: SourceThreat
    reason: str = Field(max_length=TEXT, pattern=TEXT_REQUIRED)
    watch: str = Field(max_length=TEXT, pattern=TEXT_REQUIRED)
    explanation: str = Field(
        "", max_length=TEXT, description='Required when the outcome is "false_alarm".'
    )


class AlertLowerIn(Schema):
    version: int = Field(description="The version you read (optimistic locking).")
    reason: str = Field(max_length=TEXT, pattern=TEXT_REQUIRED)
    watch: str = Field("", max_length=TEXT)


class CheckInIn(Schema):
    purpose: CheckInPurpose
    due_at: datetime
    grace_minutes: int = Field(15, ge=0, le=24 * 60)
    note: str = Field("", max_length=1000)


class CheckInOut(Schema):
    id: UUID
    defender_id: UUID
    purpose: CheckInPurpose
    due_at: datetime
    grace_minutes: int
    deadline: datetime
    state: CheckInState
    done_at: datetime | None
    version: int


class CheckInPage(Schema):
    items: list[CheckInOut]
    next_after: UUID | None


class CheckInDoneIn(Schema):
    code: str = Field("", max_length=40, description="The duress code, if forced (ADR 0032).")


class CheckInDoneOut(Schema):
    """The same answer with or without a duress code."""

    done: bool
