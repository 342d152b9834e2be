"""Versions of an analysis: the document a snapshot keeps, and what changed between two.

`analysis_document` turns an analysis (loaded with `queries.analysis_with_contents`) into
plain data: that is what a snapshot stores, encrypted, when the analysis is concluded or a
review begins. `compare` lines two documents up threat by threat and factor by factor, by
their lineage ids (a copy in a later version keeps the id of what it was copied from), and
says what was added, removed or changed. Values stay codes in the document; labels are
looked up when comparing, in the reader's language.

Reading an analysis decrypts it: call these inside an audit scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amparo.risk.enums import (
    Acceptability,
    AcceptabilityReason,
    AlertState,
    Answer,
    FactorCategory,
    FactorKind,
    IntersectionalLens,
    ReviewTrigger,
    RiskLevel,
    Scale,
    ThreatBound,
    ThreatDirectness,
    ThreatDomain,
    ThreatNature,
    ThreatRecurrence,
)
from amparo.risk.models import RiskAnalysis, Threat, VCFactor

if TYPE_CHECKING:
    from amparo.risk.queries import DocumentContents

#: Bumped when the document's shape changes, so old snapshots can still be read.
DOCUMENT_FORMAT = 1


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _score(value: Any) -> str | None:
    return str(value) if value is not None else None


def factor_document(factor: VCFactor) -> dict[str, Any]:
    return {
        "id": str(factor.pk),
        "lineage": str(factor.lineage_id),
        "kind": factor.kind,
        "category": factor.category,
        "description": factor.description or "",
        "lenses": list(factor.lenses or []),
    }


def threat_document(
    threat: Threat,
    factors: Iterable[VCFactor] | None = None,
    incident_codes: Iterable[str] | None = None,
) -> dict[str, Any]:
    """The threat as plain data: with its prefetched factors and incidents, or with the
    `factors` and `incident_codes` the caller read."""
    actor = threat.source_actor
    factors = list(threat.factors.all() if factors is None else factors)
    if incident_codes is None:
        incident_codes = (incident.code for incident in threat.incidents.all())
    return {
        "id": str(threat.pk),
        "lineage": str(threat.lineage_id),
        "summary": threat.summary or "",
        "nature": threat.nature,
        "directness": threat.directness,
        "domain": threat.domain,
        "recurrence": threat.recurrence,
        "bounded_to": list(threat.bounded_to or []),
        "step": threat.step,
        "facts": threat.facts or "",
        "pattern_means": threat.pattern_means or "",
        "pattern_timing": threat.pattern_timing or "",
        "pattern_symbols": threat.pattern_symbols or "",
        "pattern_content": threat.pattern_content or "",
        "objective": threat.objective or "",
        "source_actor": str(actor.pk) if actor is not None else None,
        "source_actor_name": actor.name if actor is not None else "",
        "source_description": threat.source_description or "",
        "capability": threat.capability,
        "intent": threat.intent,
        "conclusion": threat.conclusion or "",
        "likelihood": threat.likelihood,
        "impact": threat.impact,
        "is_focus": threat.is_focus,
        "alert": threat.alert,
        "incidents": sorted(incident_codes),
        "score": _score(threat.score_with(factors)),
        "factors": [factor_document(factor) for factor in factors],
    }


def analysis_document(
    analysis: RiskAnalysis, contents: DocumentContents | None = None
) -> dict[str, Any]:
    """The whole analysis as plain data: from the prefetched threats, factors and people
    (`queries.with_document_contents`), or from `contents` (`queries.document_contents`)."""
    if contents is None:
        participants: Iterable[Any] = analysis.participants.all()
        threats = [threat_document(threat) for threat in analysis.threats.all()]
    else:
        participants = contents.participants
        threats = [
            threat_document(
                threat,
                contents.factors.get(threat.pk, ()),
                contents.incident_codes.get(threat.pk, ()),
            )
            for threat in contents.threats
        ]
    scores = [Decimal(t["score"]) for t in threats if t["score"] is not None]
    return {
        "format": DOCUMENT_FORMAT,
        "id": str(analysis.pk),
        "revision": analysis.revision,
        "status": analysis.status,
        "analysed_on": _iso(analysis.analysed_on),
        "next_review": _iso(analysis.next_review),
        "context": analysis.context or "",
        "participants": sorted(str(person) for person in participants),
        "participants_other": analysis.participants_other or "",
        "defenders_present": analysis.defenders_present,
        "consultation": analysis.consultation or "",
        "level": analysis.level,
        "level_rationale": analysis.level_rationale or "",
        "acceptability": analysis.acceptability,
        "acceptability_reasons": list(analysis.acceptability_reasons or []),
        "decision_by": analysis.decision_by or "",
        "decision_rationale": analysis.decision_rationale or "",
        "decided_on": _iso(analysis.decided_on),
        "review_triggers": list(analysis.review_triggers or []),
        "score": _score(max(scores) if scores else None),
        "threats": threats,
    }


# --- comparing ---

_CHOICES: dict[str, Any] = {
    "level": RiskLevel,
    "acceptability": Acceptability,
    "acceptability_reasons": AcceptabilityReason,
    "review_triggers": ReviewTrigger,
    "nature": ThreatNature,
    "directness": ThreatDirectness,
    "domain": ThreatDomain,
    "recurrence": ThreatRecurrence,
    "bounded_to": ThreatBound,
    "capability": Answer,
    "intent": Answer,
    "likelihood": Scale,
    "impact": Scale,
    "alert": AlertState,
    "category": FactorCategory,
    "kind": FactorKind,
    "lenses": IntersectionalLens,
}

ANALYSIS_FIELDS: list[tuple[str, Promise]] = [
    ("level", _("Risk level")),
    ("level_rationale", _("Why this level")),
    ("analysed_on", _("Date of the analysis")),
    ("next_review", _("Next review")),
    ("context", _("Context")),
    ("participants", _("Participants with an account")),
    ("participants_other", _("Other participants")),
    ("defenders_present", _("Defenders who took part")),
    ("consultation", _("How the consultation was done")),
    ("acceptability", _("Is the risk acceptable?")),
    ("acceptability_reasons", _("What makes it acceptable")),
    ("decision_by", _("Who decided")),
    ("decision_rationale", _("The reasons for the decision")),
    ("decided_on", _("Decided on")),
    ("review_triggers", _("Review triggers")),
]

THREAT_FIELDS: list[tuple[str, Promise]] = [
    ("summary", _("The threat")),
    ("likelihood", _("Likelihood")),
    ("impact", _("Impact")),
    ("is_focus", _("Focus threat")),
    ("nature", _("Declared or possible")),
    ("directness", _("Direct or indirect")),
    ("domain", _("Domain")),
    ("recurrence", _("How often")),
    ("bounded_to", _("Limited to")),
    ("step", _("Steps recorded")),
    ("facts", _("The facts")),
    ("pattern_means", _("Means")),
    ("pattern_timing", _("Timing")),
    ("pattern_symbols", _("Symbols")),
    ("pattern_content", _("Content")),
    ("objective", _("What the threat wants")),
    ("source_actor_name", _("Source in the actor map")),
    ("source_description", _("Who, precisely")),
    ("capability", _("Can they carry it out?")),
    ("intent", _("Will they carry it out?")),
    ("conclusion", _("Reasoned conclusion")),
    ("alert", _("Alert")),
    ("incidents", _("Linked incidents")),
]

FACTOR_FIELDS: list[tuple[str, Promise]] = [
    ("category", _("Category")),
    ("description", _("Description")),
    ("lenses", _("Who the person is")),
]


def display(name: str, value: Any) -> str:
    """A stored value as people read it: choice labels, lists joined, yes and no."""
    if value is None or value in ("", []):
        return ""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    choices = _CHOICES.get(name)
    if isinstance(value, list):
        if choices is None:
            return ", ".join(str(item) for item in value)
        labels = dict(choices.choices)
        return ", ".join(str(labels.get(item, item)) for item in value)
    if choices is not None:
        return str(dict(choices.choices).get(value, value))
    return str(value)


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass
class FactorDiff:
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[tuple[dict[str, Any], list[Change]]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass
class ThreatChange:
    summary: str
    changes: list[Change]
    vulnerabilities: FactorDiff
    capacities: FactorDiff


@dataclass
class Comparison:
    analysis_changes: list[Change]
    level: Change | None
    threats_added: list[dict[str, Any]]
    threats_removed: list[dict[str, Any]]
    threats_changed: list[ThreatChange]

    @property
    def is_empty(self) -> bool:
        return not (
            self.analysis_changes
            or self.threats_added
            or self.threats_removed
            or self.threats_changed
        )


def _changes(
    old: dict[str, Any], new: dict[str, Any], fields: list[tuple[str, Promise]]
) -> list[Change]:
    found = []
    for name, label in fields:
        before, after = old.get(name), new.get(name)
        if isinstance(before, list) and isinstance(after, list):
            before, after = sorted(before), sorted(after)
        if before != after:
            found.append(Change(str(label), display(name, before), display(name, after)))
    return found


def _by_lineage(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["lineage"]: item for item in items}


def _factor_diff(old: list[dict[str, Any]], new: list[dict[str, Any]], kind: str) -> FactorDiff:
    before = _by_lineage([f for f in old if f["kind"] == kind])
    after = _by_lineage([f for f in new if f["kind"] == kind])
    diff = FactorDiff(
        added=[after[key] for key in after if key not in before],
        removed=[before[key] for key in before if key not in after],
    )
    for key in after:
        if key in before:
            changes = _changes(before[key], after[key], FACTOR_FIELDS)
            if changes:
                diff.changed.append((after[key], changes))
    return diff


def compare(older: dict[str, Any], newer: dict[str, Any]) -> Comparison:
    """What changed from `older` to `newer`: the analysis' own fields, the level, and each
    threat with its vulnerabilities and capacities."""
    changes = _changes(older, newer, ANALYSIS_FIELDS)
    # The level has its own place on the page; the other fields are listed together.
    level = next((c for c in changes if c.label == str(ANALYSIS_FIELDS[0][1])), None)
    analysis_changes = [c for c in changes if c is not level]
    before = _by_lineage(older.get("threats", []))
    after = _by_lineage(newer.get("threats", []))
    changed = []
    for key, threat in after.items():
        if key not in before:
            continue
        old_factors, new_factors = before[key].get("factors", []), threat.get("factors", [])
        entry = ThreatChange(
            summary=threat.get("summary", ""),
            changes=_changes(before[key], threat, THREAT_FIELDS),
            vulnerabilities=_factor_diff(old_factors, new_factors, FactorKind.VULNERABILITY),
            capacities=_factor_diff(old_factors, new_factors, FactorKind.CAPACITY),
        )
        if entry.changes or not (entry.vulnerabilities.is_empty and entry.capacities.is_empty):
            changed.append(entry)
    return Comparison(
        analysis_changes=analysis_changes,
        level=level,
        threats_added=[t for k, t in after.items() if k not in before],
        threats_removed=[t for k, t in before.items() if k not in after],
        threats_changed=changed,
    )
