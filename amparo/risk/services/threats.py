"""Threat assessment: the five steps in order (RISK-1), the alert decisions, and the
vulnerabilities and capacities attached to each threat (RISK-2)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.core.locking import save_versioned_instance
from amparo.incidents.models import Act, Incident
from amparo.risk.enums import (
    ALERT_DECISION_FROM,
    ALERT_DECISION_RESULT,
    AlertDecisionKind,
    Answer,
    FactorCategory,
    FactorKind,
    IntersectionalLens,
    Scale,
    ThreatBound,
    ThreatDirectness,
    ThreatDomain,
    ThreatNature,
    ThreatRecurrence,
    ThreatStep,
)
from amparo.risk.models import AlertDecision, RiskAnalysis, Threat, VCFactor
from amparo.risk.services.common import RiskRuleError, audit

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.actors.models import Actor
    from amparo.defenders.models import Defender

#: The fields each step records, in the order of the method.
STEP_FIELDS: dict[int, tuple[str, ...]] = {
    ThreatStep.FACTS: ("facts",),
    ThreatStep.PATTERN: ("pattern_means", "pattern_timing", "pattern_symbols", "pattern_content"),
    ThreatStep.OBJECTIVE: ("objective",),
    ThreatStep.SOURCE: ("source_actor", "source_description"),
    ThreatStep.CONCLUSION: ("capability", "intent", "conclusion"),
}

#: Encrypted text that new threats start empty ("" rather than the NULL older rows may hold).
_EMPTY_TEXT = dict.fromkeys(
    (
        "facts",
        "pattern_means",
        "pattern_timing",
        "pattern_symbols",
        "pattern_content",
        "objective",
        "source_description",
        "conclusion",
    ),
    "",
)

#: The threat's own description, editable while the threat is.
DESCRIPTION_FIELDS = ("summary", "nature", "directness", "domain", "recurrence", "bounded_to")

_CODES: dict[str, Any] = {
    "nature": ThreatNature,
    "directness": ThreatDirectness,
    "domain": ThreatDomain,
    "recurrence": ThreatRecurrence,
}


def ensure_threat_editable(threat: Threat) -> None:
    """A threat inside a concluded (or superseded) analysis is part of that version's record:
    it changes only in a new version."""
    analysis = threat.analysis
    if analysis is not None and not analysis.is_editable:
        raise RiskRuleError(
            _(
                "This threat is part of an analysis that is no longer a draft. Start a review "
                "of the analysis to change it."
            )
        )


def _clean_description(fields: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for name in DESCRIPTION_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if name == "summary":
            value = (value or "").strip()
            if not value:
                raise RiskRuleError(_("Say what the threat is, in a sentence."))
        elif name == "bounded_to":
            value = sorted(set(value or []))
            if not set(value) <= set(ThreatBound.values):
                raise RiskRuleError(_("Choose the limits among those offered."))
        elif value and value not in _CODES[name].values:
            raise RiskRuleError(_("Choose among the values offered."))
        cleaned[name] = value or ([] if name == "bounded_to" else "")
    return cleaned


def _check_incidents(subject: Defender, incidents: Iterable[Incident]) -> list[Incident]:
    """Only incidents with an act against the subject may be linked to their threats."""
    chosen = list(incidents)
    against = set(
        Act.objects.filter(incident__in=chosen, victim=subject).values_list(
            "incident_id", flat=True
        )
    )
    if any(incident.pk not in against for incident in chosen):
        raise RiskRuleError(_("Link only incidents against this defender or collective."))
    return chosen


@transaction.atomic
def create_threat(
    *,
    subject: Defender,
    actor: User | None,
    summary: str,
    incidents: Iterable[Incident] = (),
    analysis: RiskAnalysis | None = None,
    **description: Any,
) -> Threat:
    """Start a threat assessment for `subject`, optionally inside a draft `analysis`.

    Side effects: one audit event. Raises RiskRuleError for an unknown code, incidents that
    are not against the subject, or an analysis that is closed or about someone else.
    """
    fields = _clean_description({"summary": summary, **description})
    if analysis is not None:
        if analysis.subject_id != subject.pk:
            raise RiskRuleError(_("The threat and the analysis must be about the same subject."))
        if not analysis.is_editable:
            raise RiskRuleError(_("Threats are added to an analysis while it is a draft."))
    chosen = _check_incidents(subject, incidents)
    threat = Threat(
        organisation_id=subject.organisation_id,
        subject=subject,
        analysis=analysis,
        created_by=actor,
        **{**_EMPTY_TEXT, **fields},
    )
    threat.save(force_insert=True)
    if chosen:
        threat.incidents.set(chosen)
    audit(actor, "risk.threat_created", subject, threat, *chosen)
    return threat


@transaction.atomic
def update_threat(
    *,
    threat: Threat,
    actor: User | None,
    expected_version: int,
    incidents: Iterable[Incident] | None = None,
    **description: Any,
) -> Threat:
    """Change what the threat is (summary and classification) and its linked incidents.

    Raises EditConflict when someone saved it after `expected_version`, RiskRuleError as
    create_threat does, or when the threat is part of a closed analysis.
    """
    ensure_threat_editable(threat)
    fields = _clean_description(description)
    for name, value in fields.items():
        setattr(threat, name, value)
    save_versioned_instance(threat, expected_version=expected_version)
    if incidents is not None:
        threat.incidents.set(_check_incidents(threat.subject, incidents))
    audit(actor, "risk.threat_updated", threat.subject, threat)
    return threat


def _locked_message(step: int) -> str:
    if step == ThreatStep.SOURCE:
        return _(
            "Who is behind the threat comes only after the facts, the pattern and the "
            "objective are recorded: signatures can be forged, and a hasty name misleads."
        )
    return _("Record step %(previous)s first: the steps follow one another.") % {
        "previous": step - 1
    }


def _clean_step(threat: Threat, step: int, values: Mapping[str, Any]) -> dict[str, Any]:
    """The step's values, stripped, or RiskRuleError saying what is missing."""
    cleaned: dict[str, Any] = {}
    for name in STEP_FIELDS[step]:
        value = values.get(name)
        cleaned[name] = value if name == "source_actor" else (value or "").strip()
    if step == ThreatStep.PATTERN and not any(cleaned.values()):
        raise RiskRuleError(
            _("Describe the pattern: at least one of means, timing, symbols or content.")
        )
    if step == ThreatStep.SOURCE:
        source: Actor | None = cleaned["source_actor"]
        if source is not None and source.subject_id != threat.subject_id:
            raise RiskRuleError(_("Choose the source among the actors mapped for this subject."))
        if not cleaned["source_description"]:
            raise RiskRuleError(
                _("Say who is behind the threat, as precisely as you can, or why it is unknown.")
            )
    if step == ThreatStep.CONCLUSION:
        for name in ("capability", "intent"):
            if cleaned[name] not in Answer.values:
                raise RiskRuleError(_("Answer both questions: can they, and will they?"))
        if not cleaned["conclusion"]:
            raise RiskRuleError(_("Write down the reasoning behind the conclusion."))
    required = {
        ThreatStep.FACTS: "facts",
        ThreatStep.OBJECTIVE: "objective",
    }.get(ThreatStep(step))
    if required and not cleaned[required]:
        raise RiskRuleError(_("This step cannot be recorded empty."))
    return cleaned


@transaction.atomic
def record_threat_step(
    *,
    threat: Threat,
    actor: User | None,
    step: int,
    expected_version: int,
    values: Mapping[str, Any],
) -> Threat:
    """Record (or correct) one of the five steps.

    RISK-1: a step can be recorded only once the steps before it are; step 4 (the source)
    waits for the first three, and step 5 needs a written rationale. Correcting an earlier
    step keeps the later ones.
    Side effects: one audit event. Raises RiskRuleError (locked step, missing content, closed
    analysis) or EditConflict.
    """
    if step not in ThreatStep.values:
        raise RiskRuleError(_("There is no such step."))
    ensure_threat_editable(threat)
    if step > threat.step + 1:
        raise RiskRuleError(_locked_message(step))
    cleaned = _clean_step(threat, step, values)
    for name, value in cleaned.items():
        setattr(threat, name, value)
    threat.step = max(threat.step, step)
    save_versioned_instance(threat, expected_version=expected_version)
    audit(actor, "risk.threat_step_recorded", threat.subject, threat)
    return threat


@transaction.atomic
def rate_threat(
    *,
    threat: Threat,
    actor: User | None,
    expected_version: int,
    likelihood: int | None,
    impact: int | None,
    is_focus: bool,
) -> Threat:
    """Likelihood and impact on five levels, and whether the plan must focus on the threat."""
    ensure_threat_editable(threat)
    for value in (likelihood, impact):
        if value is not None and value not in Scale.values:
            raise RiskRuleError(_("Choose one of the five levels."))
    threat.likelihood, threat.impact, threat.is_focus = likelihood, impact, is_focus
    save_versioned_instance(threat, expected_version=expected_version)
    audit(actor, "risk.threat_rated", threat.subject, threat)
    return threat


def _alert_refusal(decision: AlertDecisionKind, threat: Threat) -> str | None:
    """Why this decision cannot be taken now, or None. The rules:

    - raise: from no alert, or again after it was lowered or closed; the facts (step 1)
      must be recorded, since an alert rests on what happened;
    - maintain, lower: only while the alert is raised or maintained;
    - close: from raised, maintained or lowered, and only on a reasoned conclusion (step 5).
    """
    if threat.alert not in ALERT_DECISION_FROM[decision]:
        return {
            AlertDecisionKind.RAISE: _("The alert is already raised."),
            AlertDecisionKind.MAINTAIN: _("Only a raised alert can be maintained."),
            AlertDecisionKind.LOWER: _("Only a raised alert can be lowered."),
            AlertDecisionKind.CLOSE: _("There is no alert to close."),
        }[decision]
    if decision == AlertDecisionKind.RAISE and threat.step < ThreatStep.FACTS:
        return _("Record the facts (step 1) first: an alert rests on what happened.")
    if decision == AlertDecisionKind.CLOSE and threat.step < ThreatStep.CONCLUSION:
        return _(
            "An alert is closed on a reasoned conclusion: record step 5 first, or lower the "
            "alert for now."
        )
    return None


@transaction.atomic
def decide_alert(
    *, threat: Threat, actor: User | None, decision: str, rationale: str
) -> AlertDecision:
    """Raise, maintain, lower or close the threat's alert, with the reasons, dated and named.

    The alert belongs to the threat across versions of the analysis: the new state is set on
    every copy of the threat, and the history is read by lineage. Decisions stay possible on a
    concluded analysis' threats: an alert does not wait for a review.
    Side effects: one AlertDecision row, one audit event. Raises RiskRuleError.
    """
    try:
        kind = AlertDecisionKind(decision)
    except ValueError:
        raise RiskRuleError(_("Choose one of the decisions offered.")) from None
    rationale = (rationale or "").strip()
    if not rationale:
        raise RiskRuleError(_("Give the reasons for the decision."))
    # Lock the threat: two people deciding at once must yield one decision from one state.
    locked = Threat.objects.select_for_update().get(pk=threat.pk)
    refusal = _alert_refusal(kind, locked)
    if refusal:
        raise RiskRuleError(refusal)
    now = timezone.now()
    row = AlertDecision.objects.create(
        organisation_id=locked.organisation_id,
        threat=locked,
        lineage_id=locked.lineage_id,
        decision=kind,
        from_state=locked.alert,
        rationale=rationale,
        decided_by=actor,
        decided_at=now,
    )
    new_state = ALERT_DECISION_RESULT[kind]
    Threat.objects.filter(lineage_id=locked.lineage_id).update(
        alert=new_state, alert_changed_at=now
    )
    threat.alert, threat.alert_changed_at = new_state, now
    audit(actor, "risk.alert_decided", threat.subject, threat, row)
    return row


def _clean_factor(
    kind: str, category: str, description: str, lenses: Iterable[str]
) -> dict[str, Any]:
    if kind not in FactorKind.values or category not in FactorCategory.values:
        raise RiskRuleError(_("Choose among the values offered."))
    chosen = sorted(set(lenses))
    if not set(chosen) <= set(IntersectionalLens.values):
        raise RiskRuleError(_("Choose among the values offered."))
    text = (description or "").strip()
    if not text:
        raise RiskRuleError(_("Describe the vulnerability or capacity."))
    return {"kind": kind, "category": category, "description": text, "lenses": chosen}


@transaction.atomic
def add_factor(
    *,
    threat: Threat,
    actor: User | None,
    kind: str,
    category: str,
    description: str,
    lenses: Iterable[str] = (),
) -> VCFactor:
    """A vulnerability or capacity, always about this threat (RISK-2)."""
    ensure_threat_editable(threat)
    factor = VCFactor(
        organisation_id=threat.organisation_id,
        threat=threat,
        **_clean_factor(kind, category, description, lenses),
    )
    factor.save(force_insert=True)
    audit(actor, "risk.factor_added", threat.subject, threat, factor)
    return factor


@transaction.atomic
def update_factor(
    *,
    factor: VCFactor,
    actor: User | None,
    expected_version: int,
    kind: str,
    category: str,
    description: str,
    lenses: Iterable[str] = (),
) -> VCFactor:
    """Raises EditConflict when someone saved the factor after `expected_version`."""
    ensure_threat_editable(factor.threat)
    for name, value in _clean_factor(kind, category, description, lenses).items():
        setattr(factor, name, value)
    save_versioned_instance(factor, expected_version=expected_version)
    audit(actor, "risk.factor_updated", factor.threat.subject, factor.threat, factor)
    return factor


@transaction.atomic
def delete_factor(*, factor: VCFactor, actor: User | None) -> None:
    threat = factor.threat
    ensure_threat_editable(threat)
    factor_id = factor.pk
    factor.delete()
    audit(actor, "risk.factor_removed", threat.subject, threat, factor_id)
