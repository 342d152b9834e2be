"""Writes to criminalisation cases, hearings, missions and reports. Every write adds an audit
event in the same transaction (AUD-01); only ids reach the log. Edits carry the version they
were made against (optimistic locking) and raise EditConflict when someone saved first.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.audit.services import record_event
from amparo.core.locking import EditConflict, save_versioned_instance
from amparo.defenders.enums import DefenderKind
from amparo.trials import checklist, detention, queries, rules
from amparo.trials.enums import (
    DETAINED_KINDS,
    VAGUE_KINDS,
    Finding,
    MissionStatus,
    Pattern,
    ReportStatus,
)
from amparo.trials.models import (
    Assessment,
    CalendarFeed,
    Charge,
    CriminalisationCase,
    DetentionPeriod,
    Hearing,
    LegalProvision,
    Mission,
    Report,
)

if TYPE_CHECKING:
    from amparo.accounts.models import Organisation, User
    from amparo.defenders.models import Defender
    from amparo.incidents.models import Incident

CASE_FIELDS = (
    "country",
    "court_type",
    "initiator",
    "patterns",
    "stage",
    "opened_on",
    "outcome",
    "outcome_on",
    "appeal",
    "court",
    "case_number",
    "defence_counsel",
    "summary",
)
HEARING_FIELDS = ("starts_at", "kind", "result", "place", "notes")
PERIOD_FIELDS = ("defender", "kind", "starts_on", "ends_on", "place", "notes")
MISSION_FIELDS = (
    "status",
    "authorities_notified_on",
    "access",
    "interpreter",
    "external_observers",
    "briefing",
    "courtroom_incidents",
)
REPORT_FIELDS = ("findings", "recommendations")

#: Where a report may go next, and who decides: review and back by observers, approval and
#: publication by `trials.approve`.
REPORT_STEPS: dict[str, tuple[str, ...]] = {
    ReportStatus.DRAFT: (ReportStatus.REVIEW,),
    ReportStatus.REVIEW: (ReportStatus.DRAFT, ReportStatus.APPROVED),
    ReportStatus.APPROVED: (ReportStatus.PUBLISHED,),
    ReportStatus.PUBLISHED: (),
}
NEEDS_APPROVER = frozenset({ReportStatus.APPROVED, ReportStatus.PUBLISHED})


class TrialsError(Exception):
    """A write the rules refuse; the message is translated for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _check_unknown(changes: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


def _check_patterns(patterns: Iterable[str]) -> list[str]:
    codes = list(dict.fromkeys(patterns))
    if set(codes) - set(Pattern.values):
        raise TrialsError(_("Unknown harassment pattern."))
    return codes


def _check_links(
    organisation_id: Any, defenders: Iterable[Defender], incidents: Iterable[Incident]
) -> None:
    if any(d.organisation_id != organisation_id for d in defenders):
        raise TrialsError(_("Every defender must be kept by the case's organisation."))
    if any(i.organisation_id != organisation_id for i in incidents):
        raise TrialsError(_("Every incident must belong to the case's organisation."))


def _audit(actor: User | None, action: str, record: Any, *more: Any) -> None:
    record_event(
        actor=actor,
        action=f"trials.{action}",
        organisation=record.organisation_id,
        target=record,
        object_ids=[item.pk for item in more],
    )


# --- cases ---


@transaction.atomic
def open_case(
    *,
    actor: User | None,
    organisation: Organisation,
    defenders: Iterable[Defender],
    incidents: Iterable[Incident] = (),
    case_id: Any = None,
    **fields: Any,
) -> CriminalisationCase:
    """Open a case against `defenders`. Side effects: `trials.case_opened`.
    Raises TrialsError for defenders or incidents of another organisation, or no defender."""
    _check_unknown(fields, CASE_FIELDS)
    defenders, incidents = list(defenders), list(incidents)
    if not defenders:
        raise TrialsError(_("Choose at least one defender."))
    _check_links(organisation.pk, defenders, incidents)
    fields["patterns"] = _check_patterns(fields.get("patterns", []))
    fields["country"] = str(fields.get("country", "")).upper()
    fields.setdefault("opened_on", timezone.localdate())
    if case_id is not None:  # fixed ids for demo data, so a second run adds nothing
        fields["id"] = case_id
    case = CriminalisationCase.objects.create(organisation=organisation, created_by=actor, **fields)
    case.defenders.set(defenders)
    case.incidents.set(incidents)
    _audit(actor, "case_opened", case, *defenders, *incidents)
    return case


@transaction.atomic
def update_case(
    *,
    case: CriminalisationCase,
    actor: User | None,
    expected_version: int,
    changes: Mapping[str, Any],
    defenders: Iterable[Defender] | None = None,
    incidents: Iterable[Incident] | None = None,
) -> CriminalisationCase:
    """Change the case's facts and links. Side effects: `trials.case_updated`.
    Raises EditConflict when the case was saved since `expected_version`."""
    _check_unknown(changes, CASE_FIELDS)
    changes = dict(changes)
    if "patterns" in changes:
        changes["patterns"] = _check_patterns(changes["patterns"])
    if "country" in changes:
        changes["country"] = str(changes["country"]).upper()
    new_defenders = None if defenders is None else list(defenders)
    new_incidents = None if incidents is None else list(incidents)
    if new_defenders is not None and not new_defenders:
        raise TrialsError(_("Choose at least one defender."))
    _check_links(case.organisation_id, new_defenders or [], new_incidents or [])
    if new_defenders is not None:
        _check_detained_stay(case, new_defenders)
    for name, value in changes.items():
        setattr(case, name, value)
    save_versioned_instance(case, expected_version=expected_version, update_fields=[*changes])
    if new_defenders is not None:
        case.defenders.set(new_defenders)
    if new_incidents is not None:
        case.incidents.set(new_incidents)
    _audit(actor, "case_updated", case)
    return case


@transaction.atomic
def add_charge(
    *,
    case: CriminalisationCase,
    actor: User | None,
    article: str,
    kind: str,
    max_penalty_months: int | None = None,
) -> Charge:
    """Charge the case under `article` of the case's country; the provision joins that
    country's list the first time it is used. TRI-3: terrorism and security charges carry
    the vague-offence flag. Side effects: `trials.charge_added`."""
    article = " ".join(article.split())
    if not article:
        raise TrialsError(_("Name the law and article."))
    provision, _created = LegalProvision.objects.get_or_create(
        country=case.country,
        article=article,
        defaults={"kind": kind, "vague_offence": kind in VAGUE_KINDS},
    )
    charge = Charge.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        provision=provision,
        max_penalty_months=max_penalty_months,
    )
    _audit(actor, "charge_added", case, charge)
    return charge


# --- hearings ---


@transaction.atomic
def add_hearing(*, case: CriminalisationCase, actor: User | None, **fields: Any) -> Hearing:
    """Schedule or record a hearing. Side effects: `trials.hearing_added`."""
    _check_unknown(fields, HEARING_FIELDS)
    hearing = Hearing.objects.create(organisation_id=case.organisation_id, case=case, **fields)
    _audit(actor, "hearing_added", case, hearing)
    return hearing


@transaction.atomic
def update_hearing(
    *, hearing: Hearing, actor: User | None, expected_version: int, changes: Mapping[str, Any]
) -> Hearing:
    """Record a hearing's result or move it. A new date asks for a new reminder.
    Side effects: `trials.hearing_updated`. Raises EditConflict."""
    _check_unknown(changes, HEARING_FIELDS)
    fields = list(changes)
    if "starts_at" in changes and changes["starts_at"] != hearing.starts_at:
        hearing.reminded_at = None
        fields.append("reminded_at")
    for name, value in changes.items():
        setattr(hearing, name, value)
    save_versioned_instance(hearing, expected_version=expected_version, update_fields=fields)
    _audit(actor, "hearing_updated", hearing.case, hearing)
    return hearing


# --- detention periods ---


def _check_detained_stay(case: CriminalisationCase, defenders: list[Defender]) -> None:
    """A defender with detention periods in the case stays on it (and so does the collective
    whose members' periods name no one): the periods would lose whom they are about. A period
    whose defender is not stated (migration 0002, several individuals) waits to be told apart
    by hand and blocks nothing."""
    rows = list(
        DetentionPeriod.objects.filter(case=case).values_list("defender_id", "is_unattributed")
    )
    held = {defender_id for defender_id, _unattributed in rows}
    members_held = any(d is None and not unattributed for d, unattributed in rows)
    staying = {defender.pk for defender in defenders}
    if held - {None} - staying:
        raise TrialsError(
            _("A defender with detention periods in this case stays on it: remove those first.")
        )
    if (
        members_held
        and not any(defender.is_collective for defender in defenders)
        and case.defenders.filter(kind=DefenderKind.COLLECTIVE).exists()
    ):
        raise TrialsError(
            _(
                "Members of the collective have detention periods in this case: remove those "
                "before removing the collective."
            )
        )


def _lock_case(case: CriminalisationCase) -> None:
    """Periods of one case are written one at a time: the overlap check and the case's status
    must see the periods another writer is saving."""
    list(CriminalisationCase.objects.select_for_update().filter(pk=case.pk).values_list("pk"))


def _check_period(case: CriminalisationCase, period: DetentionPeriod) -> None:
    if period.kind not in DETAINED_KINDS:
        raise TrialsError(_("Unknown kind of detention."))
    problems = detention.date_problems(period.starts_on, period.ends_on, timezone.localdate())
    if problems:
        raise TrialsError(next(iter(problems.values())))
    if period.defender_id is None and period.is_unattributed:
        return  # who was held is not stated yet (migration 0002): nobody to check it against
    defenders = list(case.defenders.only("id", "kind"))
    if period.defender_id is None:
        if not any(defender.is_collective for defender in defenders):
            raise TrialsError(_("Choose which defender of the case was detained."))
        return
    if not any(d.pk == period.defender_id and not d.is_collective for d in defenders):
        raise TrialsError(_("Choose an individual defender of this case."))
    others = (
        DetentionPeriod.objects.filter(case=case, defender_id=period.defender_id)
        .exclude(pk=period.pk)
        .only("id", "organisation_id", "kind", "starts_on", "ends_on")
    )
    if any(detention.overlaps(period, other) for other in others):
        raise TrialsError(
            _("This defender already has a detention period on those dates in this case.")
        )


def _refresh_detention(case: CriminalisationCase) -> None:
    """The case's status follows its periods. Its version does not move: nobody edits the
    status by hand, so a person editing the case's facts meanwhile has nothing to lose."""
    periods = list(
        DetentionPeriod.objects.filter(case=case).only(
            "id", "organisation_id", "kind", "starts_on", "ends_on", "created_at"
        )
    )
    case.detention = detention.status_of(periods)
    CriminalisationCase.objects.filter(pk=case.pk).update(
        detention=case.detention, updated_at=timezone.now()
    )


@transaction.atomic
def add_detention_period(
    *,
    case: CriminalisationCase,
    actor: User | None,
    kind: str,
    starts_on: date,
    ends_on: date | None = None,
    defender: Defender | None = None,
    place: str = "",
    notes: str = "",
) -> DetentionPeriod:
    """Record that a defender of the case (or members of the collective it is against, when
    `defender` is None) was deprived of liberty from `starts_on`, until `ends_on` or still.
    The case's detention status follows. Side effects: `trials.detention_period_added`.
    Raises TrialsError for an unknown kind, dates in the future or reversed, a defender who is
    not an individual of the case, or a period overlapping another of the same defender."""
    _lock_case(case)
    period = DetentionPeriod(
        organisation_id=case.organisation_id,
        case=case,
        defender=defender,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        place=place,
        notes=notes,
        created_by=actor,
    )
    _check_period(case, period)
    period.save()
    _refresh_detention(case)
    _audit(actor, "detention_period_added", case, period)
    return period


def _change_period(
    period: DetentionPeriod,
    actor: User | None,
    expected_version: int,
    changes: Mapping[str, Any],
    action: str,
) -> DetentionPeriod:
    _check_unknown(changes, PERIOD_FIELDS)
    case = period.case
    _lock_case(case)
    for name, value in changes.items():
        setattr(period, name, value)
    fields = [*changes]
    if "defender" in changes and period.is_unattributed:
        # Stated at last: a defender, or (None) the members of the case's collective.
        period.is_unattributed = False
        fields.append("is_unattributed")
    _check_period(case, period)
    save_versioned_instance(period, expected_version=expected_version, update_fields=fields)
    _refresh_detention(case)
    _audit(actor, action, case, period)
    return period


@transaction.atomic
def update_detention_period(
    *,
    period: DetentionPeriod,
    actor: User | None,
    expected_version: int,
    changes: Mapping[str, Any],
) -> DetentionPeriod:
    """Correct a period (any of PERIOD_FIELDS). Naming its `defender` (None: the members of the
    case's collective) states who was held in a period migrated without it (ADR 0056); leaving
    `defender` out keeps it not stated. Side effects: `trials.detention_period_updated`.
    Raises EditConflict, TrialsError as when adding."""
    return _change_period(period, actor, expected_version, changes, "detention_period_updated")


@transaction.atomic
def end_detention_period(
    *, period: DetentionPeriod, actor: User | None, expected_version: int, ends_on: date
) -> DetentionPeriod:
    """The defender was released (or the period gave way to another) on `ends_on`. Side
    effects: `trials.detention_period_ended`. Raises TrialsError when it had ended already or
    for an end before the start or in the future; EditConflict."""
    if period.ends_on is not None:
        raise TrialsError(_("This detention period has ended already."))
    changes = {"ends_on": ends_on}
    return _change_period(period, actor, expected_version, changes, "detention_period_ended")


@transaction.atomic
def remove_detention_period(
    *, period: DetentionPeriod, actor: User | None, expected_version: int
) -> None:
    """Remove a period recorded by mistake. Side effects: `trials.detention_period_removed`.
    Raises EditConflict when it changed since `expected_version`, TrialsError when it is gone."""
    case = period.case
    _lock_case(case)
    removed, _counts = DetentionPeriod.objects.filter(
        pk=period.pk, version=expected_version
    ).delete()
    if not removed:
        current = DetentionPeriod.objects.filter(pk=period.pk).first()
        if current is None:
            raise TrialsError(_("This detention period was removed already."))
        raise EditConflict(current)
    _refresh_detention(case)
    _audit(actor, "detention_period_removed", case, period)


# --- the calendar feed ---


@transaction.atomic
def create_feed(*, user: User) -> str:
    """A new private feed token for `user` (the previous one stops working); returned once,
    stored as a hash. Side effects: `trials.feed_created`."""
    revoke_feed(user=user)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=user, token_hash=queries.hash_token(token))
    record_event(actor=user, action="trials.feed_created", organisation=None, target=feed)
    return token


@transaction.atomic
def revoke_feed(*, user: User) -> int:
    """Side effects: `trials.feed_revoked` when a live feed existed."""
    live = list(CalendarFeed.objects.filter(user=user, revoked_at__isnull=True))
    CalendarFeed.objects.filter(pk__in=[f.pk for f in live]).update(revoked_at=timezone.now())
    for feed in live:
        record_event(actor=user, action="trials.feed_revoked", organisation=None, target=feed)
    return len(live)


# --- observation missions ---


@transaction.atomic
def open_mission(*, hearing: Hearing, actor: User | None) -> Mission:
    """Propose observing `hearing`, with the whole checklist not observed yet.
    Side effects: `trials.mission_opened`. Raises TrialsError when one exists."""
    if Mission.objects.filter(hearing=hearing).exists():
        raise TrialsError(_("This hearing already has an observation mission."))
    mission = Mission.objects.create(
        organisation_id=hearing.organisation_id, hearing=hearing, created_by=actor
    )
    Assessment.objects.bulk_create(
        Assessment(organisation_id=hearing.organisation_id, mission=mission, criterion=c.key)
        for c in checklist.CHECKLIST
    )
    _audit(actor, "mission_opened", mission, hearing)
    return mission


@transaction.atomic
def update_mission(
    *,
    mission: Mission,
    actor: User | None,
    expected_version: int,
    changes: Mapping[str, Any],
    observers: Iterable[User] | None = None,
) -> Mission:
    """Side effects: `trials.mission_updated`. Raises EditConflict, TrialsError for observers
    without `trials.observe` in the mission's organisation."""
    _check_unknown(changes, MISSION_FIELDS)
    people = None if observers is None else list(observers)
    if people and any(not rules.can_observe(person, mission) for person in people):
        raise TrialsError(_("Observers must be members who observe trials."))
    for name, value in changes.items():
        setattr(mission, name, value)
    save_versioned_instance(mission, expected_version=expected_version, update_fields=[*changes])
    if people is not None:
        mission.observers.set(people)
    _audit(actor, "mission_updated", mission)
    return mission


@transaction.atomic
def save_checklist(
    *,
    mission: Mission,
    actor: User | None,
    expected_version: int,
    findings: Mapping[str, tuple[str, str]],
) -> Mission:
    """Record the fair-trial findings: criterion key -> (finding, note). Observing moves a
    prepared or proposed mission to `observed`. Side effects: `trials.checklist_saved`.
    Raises EditConflict (the mission's version guards its checklist), TrialsError."""
    if set(findings) - set(checklist.BY_KEY):
        raise TrialsError(_("Unknown fair-trial criterion."))
    if any(finding not in Finding.values for finding, _note in findings.values()):
        raise TrialsError(_("Unknown finding."))
    if mission.status in {MissionStatus.PROPOSED, MissionStatus.PREPARED}:
        mission.status = MissionStatus.OBSERVED
    save_versioned_instance(mission, expected_version=expected_version, update_fields=["status"])
    rows = {row.criterion: row for row in mission.assessments.all()}
    changed = []
    for key, (finding, note) in findings.items():
        row = rows.get(key) or Assessment(
            organisation_id=mission.organisation_id, mission=mission, criterion=key
        )
        if row.pk in rows and (row.finding, row.note) == (finding, note):
            continue
        row.finding, row.note = finding, note
        row.save()
        changed.append(row)
    _audit(actor, "checklist_saved", mission, *changed)
    return mission


# --- the observation report ---


def _draft_text(mission: Mission) -> str:
    """Findings drafted from the checklist: one line per criterion that was observed."""
    labels = dict(Finding.choices)
    order = list(checklist.BY_KEY)
    lines = []
    for row in sorted(mission.assessments.all(), key=lambda r: order.index(r.criterion)):
        if row.finding == Finding.NOT_OBSERVED:
            continue
        criterion = checklist.BY_KEY[row.criterion]
        line = f"ICCPR {criterion.article}, {criterion.label}: {labels[row.finding]}"
        lines.append(f"{line}. {row.note}".strip() if row.note else f"{line}.")
    return "\n".join(lines)


@transaction.atomic
def draft_report(*, mission: Mission, actor: User | None) -> Report:
    """Start the report from the checklist; the mission moves to `reporting`.
    Side effects: `trials.report_drafted`. Raises TrialsError when a report exists."""
    if Report.objects.filter(mission=mission).exists():
        raise TrialsError(_("This mission already has a report."))
    report = Report.objects.create(
        organisation_id=mission.organisation_id, mission=mission, findings=_draft_text(mission)
    )
    Mission.objects.filter(pk=mission.pk).update(status=MissionStatus.REPORTING)
    _audit(actor, "report_drafted", report, mission)
    return report


@transaction.atomic
def update_report(
    *, report: Report, actor: User | None, expected_version: int, changes: Mapping[str, Any]
) -> Report:
    """Edit a draft or a report in review. Side effects: `trials.report_updated`.
    Raises EditConflict, TrialsError once approved."""
    _check_unknown(changes, REPORT_FIELDS)
    if report.status not in {ReportStatus.DRAFT, ReportStatus.REVIEW}:
        raise TrialsError(_("An approved report can no longer be edited."))
    for name, value in changes.items():
        setattr(report, name, value)
    save_versioned_instance(report, expected_version=expected_version, update_fields=[*changes])
    _audit(actor, "report_updated", report)
    return report


@transaction.atomic
def move_report(
    *,
    report: Report,
    actor: User,
    to: str,
    expected_version: int,
    public_title: str = "",
    public_text: str = "",
    shows_findings: bool = True,
    shows_date: bool = False,
) -> Report:
    """Send for review, send back, approve (trials.approve) or publish (trials.approve,
    with the public title and text, and the chosen details). Publishing makes the mission
    `published`. Side effects: `trials.report_<status>`.
    Raises TrialsError for a step not allowed from here, PermissionError without the right,
    EditConflict."""
    if to not in REPORT_STEPS.get(report.status, ()):
        raise TrialsError(_("The report cannot go to that step from here."))
    if to in NEEDS_APPROVER and not rules.can_approve(actor, report):
        raise PermissionError
    if to == ReportStatus.PUBLISHED and not (public_title.strip() and public_text.strip()):
        raise TrialsError(_("Write the public title and text before publishing."))
    fields = ["status"]
    report.status = to
    now = timezone.now()
    if to == ReportStatus.APPROVED:
        report.approved_by, report.approved_at = actor, now
        fields += ["approved_by", "approved_at"]
    if to == ReportStatus.PUBLISHED:
        report.public_title, report.public_text = public_title.strip(), public_text.strip()
        report.public_shows_findings, report.public_shows_date = shows_findings, shows_date
        report.published_at = now
        fields += [
            "public_title",
            "public_text",
            "public_shows_findings",
            "public_shows_date",
            "published_at",
        ]
    save_versioned_instance(report, expected_version=expected_version, update_fields=fields)
    if to == ReportStatus.PUBLISHED:
        Mission.objects.filter(pk=report.mission_id).update(status=MissionStatus.PUBLISHED)
    _audit(actor, f"report_{to}", report)
    return report
