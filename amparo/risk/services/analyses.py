"""Risk analyses: writing them, their workflow and versions, and INC-4 (a new incident marks
the analysis in force for review and tells the people responsible)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.core.locking import save_versioned_instance
from amparo.defenders.models import CollectiveMember, Defender
from amparo.risk import queries, tasks
from amparo.risk.enums import (
    CURRENT_STATUSES,
    Acceptability,
    AcceptabilityReason,
    AnalysisStatus,
    ReviewTrigger,
    RiskLevel,
    SnapshotReason,
)
from amparo.risk.models import AnalysisSnapshot, RiskAnalysis, Threat, VCFactor
from amparo.risk.services.common import RiskRuleError, audit
from amparo.risk.services.threats import ensure_threat_editable
from amparo.risk.versions import analysis_document

#: RISK-4: the method sets no interval between reviews, so Amparo proposes one for the next
#: review date of a new analysis or version; people can choose any later date. A module
#: constant until organisations can set their own (settings are the lead's to change).
DEFAULT_REVIEW_INTERVAL_DAYS = 90

#: The fields of the analysis form that services accept.
ANALYSIS_FIELDS = (
    "analysed_on",
    "next_review",
    "context",
    "participants_other",
    "defenders_present",
    "consultation",
    "level",
    "level_rationale",
    "acceptability",
    "acceptability_reasons",
    "decision_by",
    "decision_rationale",
    "decided_on",
    "review_triggers",
)
_CODES: dict[str, Any] = {
    "level": RiskLevel,
    "acceptability": Acceptability,
    "acceptability_reasons": AcceptabilityReason,
    "review_triggers": ReviewTrigger,
}


def default_next_review(start: date | None = None) -> date:
    return (start or timezone.localdate()) + timedelta(days=DEFAULT_REVIEW_INTERVAL_DAYS)


def _ensure_editable(analysis: RiskAnalysis) -> None:
    if not analysis.is_editable:
        raise RiskRuleError(
            _("This analysis is no longer a draft. Start a review to write a new version.")
        )


def _clean_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for name, given in fields.items():
        if name not in ANALYSIS_FIELDS:
            raise TypeError(f"unknown analysis field {name}")
        codes = _CODES.get(name)
        value = given
        if codes is not None and isinstance(given, list | tuple | set):
            value = sorted(set(given))
            if not set(value) <= set(codes.values):
                raise RiskRuleError(_("Choose among the values offered."))
        elif codes is not None and given and given not in codes.values:
            raise RiskRuleError(_("Choose among the values offered."))
        elif isinstance(given, str):
            value = given.strip()
        cleaned[name] = value
    analysed_on, next_review = cleaned.get("analysed_on"), cleaned.get("next_review")
    if "next_review" in cleaned and next_review is None:
        raise RiskRuleError(_("Every analysis needs a next review date."))
    if analysed_on and next_review and next_review <= analysed_on:
        raise RiskRuleError(_("The next review must come after the date of the analysis."))
    return cleaned


def _set_participants(analysis: RiskAnalysis, participants: Iterable[User] | None) -> None:
    """Save who took part and the RISK-6 flag: participatory when a defender (or a member of
    the collective) took part, with an account or not."""
    if participants is not None:
        people = list(participants)
        allowed = set(queries.participant_candidates(analysis.subject).values_list("pk", flat=True))
        if any(person.pk not in allowed for person in people):
            raise RiskRuleError(_("Choose participants among the people offered."))
        analysis.participants.set(people)
    people = list(analysis.participants.all())
    participatory = analysis.defenders_present > 0 or bool(
        queries.defender_participants(analysis.subject, people)
    )
    if participatory != analysis.is_participatory:
        RiskAnalysis.objects.filter(pk=analysis.pk).update(is_participatory=participatory)
        analysis.is_participatory = participatory


@transaction.atomic
def create_analysis(
    *,
    subject: Defender,
    actor: User | None,
    analysed_on: date,
    next_review: date | None = None,
    participants: Iterable[User] = (),
    **fields: Any,
) -> RiskAnalysis:
    """A new draft analysis of `subject`, kept by the subject's desk.

    The next review date defaults to DEFAULT_REVIEW_INTERVAL_DAYS after the analysis.
    Side effects: one audit event. Raises RiskRuleError for unknown codes or dates in the
    wrong order.
    """
    cleaned = _clean_fields(
        {
            "analysed_on": analysed_on,
            "next_review": next_review or default_next_review(analysed_on),
            **fields,
        }
    )
    empty = dict.fromkeys(
        (
            "participants_other",
            "consultation",
            "level_rationale",
            "decision_by",
            "decision_rationale",
        ),
        "",
    )
    analysis = RiskAnalysis(
        organisation_id=subject.organisation_id,
        subject=subject,
        created_by=actor,
        **{**empty, **cleaned},
    )
    analysis.save(force_insert=True)
    _set_participants(analysis, participants)
    audit(actor, "risk.analysis_created", subject, analysis)
    return analysis


@transaction.atomic
def update_analysis(
    *,
    analysis: RiskAnalysis,
    actor: User | None,
    expected_version: int,
    participants: Iterable[User] | None = None,
    **fields: Any,
) -> RiskAnalysis:
    """Raises EditConflict when someone saved it after `expected_version`, RiskRuleError when
    it is no longer a draft or a value is refused."""
    _ensure_editable(analysis)
    for name, value in _clean_fields(fields).items():
        setattr(analysis, name, value)
    if analysis.next_review <= analysis.analysed_on:  # one of the two may have stayed as it was
        raise RiskRuleError(_("The next review must come after the date of the analysis."))
    save_versioned_instance(analysis, expected_version=expected_version)
    _set_participants(analysis, participants)
    audit(actor, "risk.analysis_updated", analysis.subject, analysis)
    return analysis


@transaction.atomic
def attach_threats(
    *,
    analysis: RiskAnalysis,
    actor: User | None,
    threats: Iterable[Threat] = (),
    new_summaries: Iterable[str] = (),
) -> list[Threat]:
    """Bring threat assessments of the subject into the draft, and create threats inline from
    a one-sentence summary (their five steps can follow)."""
    from amparo.risk.services.threats import create_threat  # noqa: PLC0415 -- sibling module

    _ensure_editable(analysis)
    attached = []
    for threat in threats:
        if threat.subject_id != analysis.subject_id or threat.analysis_id is not None:
            raise RiskRuleError(_("Only threats of this subject that are in no analysis yet."))
        attached.append(threat)
    Threat.objects.filter(pk__in=[t.pk for t in attached]).update(analysis=analysis)
    for threat in attached:
        threat.analysis = analysis
    for summary in new_summaries:
        if summary.strip():
            attached.append(
                create_threat(
                    subject=analysis.subject, actor=actor, summary=summary, analysis=analysis
                )
            )
    audit(actor, "risk.analysis_threats_added", analysis.subject, analysis, *attached)
    return attached


@transaction.atomic
def detach_threat(*, threat: Threat, actor: User | None) -> None:
    """Take a threat out of a draft analysis; its assessment stays with the subject."""
    analysis = threat.analysis
    if analysis is None:
        return
    ensure_threat_editable(threat)
    Threat.objects.filter(pk=threat.pk).update(analysis=None)
    threat.analysis = None
    audit(actor, "risk.analysis_threat_removed", analysis.subject, analysis, threat)


# --- workflow ---


def _snapshot(analysis: RiskAnalysis, *, reason: SnapshotReason, actor: User | None) -> None:
    loaded = queries.analysis_with_contents(RiskAnalysis.objects.filter(pk=analysis.pk)).get()
    AnalysisSnapshot.objects.create(
        organisation_id=analysis.organisation_id,
        analysis=analysis,
        reason=reason,
        data=analysis_document(loaded),  # type: ignore[misc]  # encrypted JSON, not text
        taken_by=actor,
    )


def _conclusion_problems(
    analysis: RiskAnalysis, threats: Iterable[Threat] | None = None
) -> list[str]:
    """What still stops the analysis from being concluded, in words for people (over its
    prefetched threats, or the `threats` the caller read)."""
    problems = []
    threats = list(analysis.threats.all() if threats is None else threats)
    if not threats:
        problems.append(_("Add at least one threat."))
    if any(t.likelihood is None or t.impact is None for t in threats):
        problems.append(_("Rate the likelihood and the impact of every threat."))
    if not analysis.level:
        problems.append(_("Choose the risk level."))
    if not analysis.acceptability or not analysis.decision_by or not analysis.decision_rationale:
        problems.append(_("Record whether the risk is acceptable, who decided and why."))
    if analysis.next_review <= timezone.localdate():
        problems.append(_("Set a next review date after today."))
    return problems


def conclusion_problems(
    analysis: RiskAnalysis, threats: Iterable[Threat] | None = None
) -> list[str]:
    """Public for the pages: the checklist shown before concluding."""
    return _conclusion_problems(analysis, threats)


@transaction.atomic
def change_status(*, analysis: RiskAnalysis, actor: User | None, to: str) -> RiskAnalysis:
    """Move the analysis along its workflow.

    draft -> in_consultation -> draft (back to work); draft or in_consultation -> concluded
    (see conclude_analysis); concluded -> review_due (see mark_for_review).
    Raises RiskRuleError for any other move.
    """
    locked = RiskAnalysis.objects.select_for_update().get(pk=analysis.pk)
    moves = {
        (AnalysisStatus.DRAFT, AnalysisStatus.IN_CONSULTATION),
        (AnalysisStatus.IN_CONSULTATION, AnalysisStatus.DRAFT),
    }
    if to == AnalysisStatus.CONCLUDED:
        return conclude_analysis(analysis=analysis, actor=actor)
    if to == AnalysisStatus.REVIEW_DUE:
        return mark_for_review(analysis=analysis, actor=actor, reason=ReviewTrigger.DUE_DATE)
    if (locked.status, to) not in moves:
        raise RiskRuleError(_("The analysis cannot move to that status from where it is."))
    RiskAnalysis.objects.filter(pk=analysis.pk).update(status=to, version=F("version") + 1)
    analysis.status, analysis.version = to, locked.version + 1
    action = (
        "risk.analysis_consultation_opened"
        if to == AnalysisStatus.IN_CONSULTATION
        else "risk.analysis_returned_to_draft"
    )
    audit(actor, action, analysis.subject, analysis)
    return analysis


@transaction.atomic
def conclude_analysis(*, analysis: RiskAnalysis, actor: User | None) -> RiskAnalysis:
    """Conclude a draft: it becomes the analysis in force for its subject.

    Side effects: a snapshot of the whole analysis; every other analysis in force for the same
    subject (the earlier versions above all) becomes superseded; one audit event.
    Raises RiskRuleError listing what is missing (RISK-4: the next review date must lie ahead).
    """
    locked = RiskAnalysis.objects.select_for_update().get(pk=analysis.pk)
    _ensure_editable(locked)
    loaded = queries.analysis_with_contents(RiskAnalysis.objects.filter(pk=analysis.pk)).get()
    problems = _conclusion_problems(loaded)
    if problems:
        raise RiskRuleError(" ".join(problems))
    now = timezone.now()
    superseded = list(
        RiskAnalysis.objects.filter(subject_id=analysis.subject_id, status__in=CURRENT_STATUSES)
        .exclude(pk=analysis.pk)
        .values_list("pk", flat=True)
    )
    RiskAnalysis.objects.filter(pk__in=superseded).update(
        status=AnalysisStatus.SUPERSEDED, version=F("version") + 1
    )
    RiskAnalysis.objects.filter(pk=analysis.pk).update(
        status=AnalysisStatus.CONCLUDED,
        concluded_at=now,
        concluded_by=actor,
        review_requested_at=None,
        review_reason="",
        version=F("version") + 1,
    )
    analysis.refresh_from_db()
    _snapshot(analysis, reason=SnapshotReason.CONCLUDED, actor=actor)
    audit(actor, "risk.analysis_concluded", analysis.subject, analysis, *superseded)
    return analysis


@transaction.atomic
def mark_for_review(*, analysis: RiskAnalysis, actor: User | None, reason: str) -> RiskAnalysis:
    """The analysis in force needs a review (a trigger happened).

    Side effects: status review_due, one audit event, and after commit an email to the people
    responsible (not to `actor`). Raises RiskRuleError unless the analysis is concluded.
    """
    if reason not in ReviewTrigger.values:
        raise RiskRuleError(_("Choose among the values offered."))
    locked = RiskAnalysis.objects.select_for_update().get(pk=analysis.pk)
    if locked.status != AnalysisStatus.CONCLUDED:
        raise RiskRuleError(_("Only a concluded analysis can be marked for review."))
    _mark_review_due([locked.pk], reason=reason, exclude_user=actor)
    analysis.refresh_from_db()
    audit(actor, "risk.analysis_review_due", analysis.subject, analysis)
    return analysis


def _mark_review_due(ids: list[Any], *, reason: str, exclude_user: User | None) -> list[Any]:
    now = timezone.now()
    RiskAnalysis.objects.filter(pk__in=ids).update(
        status=AnalysisStatus.REVIEW_DUE,
        review_requested_at=now,
        review_reason=reason,
        version=F("version") + 1,
    )
    exclude = str(exclude_user.pk) if exclude_user is not None else ""
    for pk in ids:
        # After commit: the worker must see the new status, and a rollback sends nothing.
        transaction.on_commit(
            partial(tasks.notify_review_due.enqueue, str(pk), now.isoformat(), exclude)
        )
    return ids


@transaction.atomic
def mark_for_review_after_incident(*, incident: Any, defender_ids: Iterable[Any]) -> list[Any]:
    """INC-4: a new incident against a subject with a current analysis marks it for review.

    The subjects are the victims and the collectives they belong to (collective first: an
    attack on a member bears on the group's risk, DEF-4). Returns the ids of the analyses
    marked. The people responsible are told by the dashboard (`queries.analyses_due_for`) and
    by an email after commit that says nothing about the analysis' content.
    """
    victims = list(defender_ids)
    collectives = CollectiveMember.objects.filter(member_id__in=victims).values_list(
        "collective_id", flat=True
    )
    subjects = set(victims) | set(collectives)
    current = list(
        RiskAnalysis.objects.select_for_update()
        .filter(subject_id__in=subjects, status=AnalysisStatus.CONCLUDED)
        .values_list("pk", "organisation_id")
    )
    if not current:
        return []
    ids = [pk for pk, _org in current]
    _mark_review_due(ids, reason=ReviewTrigger.INCIDENT, exclude_user=None)
    for pk, organisation_id in current:
        from amparo.audit.services import record_event  # noqa: PLC0415 -- as in common.audit

        record_event(
            actor=None,
            action="risk.analysis_review_due",
            organisation=organisation_id,
            object_type="risk.RiskAnalysis",
            object_ids=[pk, incident.pk],
        )
    return ids


@transaction.atomic
def start_review(*, analysis: RiskAnalysis, actor: User | None) -> RiskAnalysis:
    """Start the next version: a new draft copying the analysis in force (its context,
    participants, judgement, threats with their steps, incidents, ratings, vulnerabilities and
    capacities), for people to revise. The version reviewed stays in force until the new one
    is concluded, and is then superseded.

    Side effects: a snapshot of the version reviewed; one audit event.
    Raises RiskRuleError when the analysis is not in force or a draft is already open.
    """
    # Lock the row alone (PostgreSQL refuses FOR UPDATE across the optional joins), then
    # load it with its contents: two people starting a review at once make one new version.
    RiskAnalysis.objects.select_for_update().filter(pk=analysis.pk).values_list("pk").get()
    source = queries.analysis_with_contents(RiskAnalysis.objects.filter(pk=analysis.pk)).get()
    if not source.is_current:
        raise RiskRuleError(_("Only the analysis in force can be reviewed."))
    if queries.open_draft_of(source) is not None:
        raise RiskRuleError(_("A new version of this analysis is already being written."))
    _snapshot(source, reason=SnapshotReason.REVIEW_STARTED, actor=actor)
    revision = RiskAnalysis.objects.filter(lineage_id=source.lineage_id).aggregate(
        top=Max("revision")
    )["top"]
    today = timezone.localdate()
    draft = RiskAnalysis(
        organisation_id=source.organisation_id,
        subject_id=source.subject_id,
        lineage_id=source.lineage_id,
        revision=(revision or 0) + 1,
        previous=source,
        analysed_on=today,
        next_review=default_next_review(today),
        created_by=actor,
        defenders_present=source.defenders_present,
        acceptability_reasons=list(source.acceptability_reasons),
        review_triggers=list(source.review_triggers),
        level=source.level,
        acceptability=source.acceptability,
    )
    for name in (
        "context",
        "participants_other",
        "consultation",
        "level_rationale",
        "decision_by",
        "decision_rationale",
    ):
        setattr(draft, name, getattr(source, name))
    draft.save(force_insert=True)
    draft.participants.set(source.participants.all())
    RiskAnalysis.objects.filter(pk=draft.pk).update(is_participatory=source.is_participatory)
    for threat in source.threats.all():
        _copy_threat(threat, draft)
    audit(actor, "risk.analysis_review_started", source.subject, draft, source)
    return draft


_THREAT_COPY = (
    "summary",
    "likelihood",
    "impact",
    "is_focus",
    "nature",
    "directness",
    "domain",
    "recurrence",
    "bounded_to",
    "step",
    "facts",
    "pattern_means",
    "pattern_timing",
    "pattern_symbols",
    "pattern_content",
    "objective",
    "source_actor_id",
    "source_description",
    "capability",
    "intent",
    "conclusion",
    "alert",
    "alert_changed_at",
    "lineage_id",
    "subject_id",
    "organisation_id",
    "created_by_id",
)


def _copy_threat(threat: Threat, draft: RiskAnalysis) -> Threat:
    copy = Threat(analysis=draft, copied_from=threat)
    for name in _THREAT_COPY:
        setattr(copy, name, getattr(threat, name))
    copy.save(force_insert=True)
    copy.incidents.set(threat.incidents.all())
    for factor in threat.factors.all():
        VCFactor(
            organisation_id=factor.organisation_id,
            threat=copy,
            kind=factor.kind,
            category=factor.category,
            description=factor.description,
            lenses=list(factor.lenses or []),  # type: ignore[misc]  # encrypted JSON, not text
            lineage_id=factor.lineage_id,
            copied_from=factor,
        ).save(force_insert=True)
    return copy


# --- notifications (INC-4) ---


def _recipients(analysis: RiskAnalysis, exclude_user_id: str) -> list[User]:
    """The analysis' creator and participants with accounts, who still reach it."""
    ids = {analysis.created_by_id, *analysis.participants.values_list("pk", flat=True)}
    people = User.objects.filter(pk__in=[i for i in ids if i is not None], is_active=True)
    return [
        person
        for person in people.exclude(email="")
        if str(person.pk) != exclude_user_id
        and queries.analyses_visible_to(person).filter(pk=analysis.pk).exists()
    ]


def send_review_due_email(*, analysis_id: str, requested_at: str, exclude_user_id: str = "") -> int:
    """Tell the people responsible that an analysis needs review, each in their language.

    The email carries no Tier-1 content: not the subject, not the threat, not the incident;
    only a link to sign in. Once per person per review request, even if the job runs twice
    (the effect key is claimed after sending: at worst an email twice, never none).
    Returns how many emails were sent.
    """
    from amparo.jobs.models import JobEffect  # noqa: PLC0415 -- jobs is a leaf app
    from amparo.jobs.services import claim_effect  # noqa: PLC0415

    analysis = RiskAnalysis.objects.filter(pk=analysis_id).first()
    if analysis is None or analysis.status != AnalysisStatus.REVIEW_DUE:
        return 0  # concluded again, or superseded, before the worker came to it
    link = f"{settings.SITE_URL}{reverse('risk:analysis-detail', args=[analysis.pk])}"
    sent = 0
    for person in _recipients(analysis, exclude_user_id):
        key = f"risk.review_due_email:{analysis.pk}:{person.pk}:{requested_at}"
        if JobEffect.objects.filter(key=key).exists():
            continue
        with translation.override(person.language or settings.LANGUAGE_CODE):
            context = {"person": person, "link": link}
            subject = render_to_string("risk/email/review_due_subject.txt", context).strip()
            body = render_to_string("risk/email/review_due_body.txt", context)
        send_mail(subject, body, None, [person.email])
        claim_effect(key=key)
        sent += 1
    return sent
