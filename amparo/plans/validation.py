"""What a plan needs before it is adopted: PLAN-1, RISK-3 and PLAN-3 (DOMAIN.md 2.3, 2.5).

The plan page shows these as warnings while the plan is written; adopting (or putting a
reviewed plan back in force) is refused while any remains. Pure functions over the contents
`queries.plan_contents` (or, for the plan page, `queries.plan_page`) loads: they run no
queries of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from amparo.plans.enums import MeasureKind, MeasureStatus, ProtocolKind

if TYPE_CHECKING:
    from amparo.plans.models import Measure
    from amparo.plans.queries import PlanContents, ProtocolRow

#: A threat this likely is "clear and present" (RISK-3): high or very high likelihood.
CLEAR_THREAT_LIKELIHOOD = 4
#: Likelihood times impact from which a threat is proposed as a focus threat (high on 5 by 5).
FOCUS_SCORE = 12


@dataclass(frozen=True)
class Problem:
    rule: str  # PLAN-1, RISK-3, PLAN-3
    code: str  # stable, for tests and the API
    message: str


def is_focus_candidate(threat: Any) -> bool:
    """Proposed as a focus threat when the analysis marked it so, or when likelihood times
    impact is high (DOMAIN.md 2.5 step 8)."""
    if getattr(threat, "is_focus", False):
        return True
    if threat.likelihood is None or threat.impact is None:
        return False
    return bool(threat.likelihood * threat.impact >= FOCUS_SCORE)


def _acts_on(measure: Measure, threat: Any) -> bool:
    if measure.threat_id == threat.pk:
        return True
    return measure.factor is not None and measure.factor.threat_id == threat.pk


def _raises_the_cost(measure: Measure) -> bool:
    """Deterrence, or networks and political cost: what acts on the one who threatens (RISK-3).
    Locks, phones and equipment reduce exposure but do not move the attacker."""
    return measure.is_deterrence or measure.kind == MeasureKind.NETWORKING


def plan_problems(contents: PlanContents, *, on: date | None = None) -> list[Problem]:
    """Every problem that stops the plan from being adopted; empty when it may be.

    `on` is the adoption date being asked for; without it the plan's own date counts.
    """
    plan = contents.plan
    threats = contents.threats
    factors = [factor for threat in threats for factor in contents.factors.get(threat.pk, ())]
    measures = [m for m in contents.measures if m.status != MeasureStatus.DROPPED]
    protocols = contents.protocols
    problems: list[Problem] = []

    def need(ok: bool, code: str, message: str, rule: str = "PLAN-1") -> None:
        if not ok:
            problems.append(Problem(rule, code, message))

    need(
        bool(threats),
        "threats",
        _("The plan names no threats: start it from a risk analysis that lists them."),
    )
    need(
        any(f.kind == "V" for f in factors),
        "vulnerabilities",
        _("The analysis behind the plan records no vulnerabilities."),
    )
    need(
        any(f.kind == "C" for f in factors),
        "capacities",
        _("The analysis behind the plan records no capacities."),
    )
    need(bool(measures), "measures", _("The plan has no measures yet."))
    need(bool(plan.decider.strip()), "decider", _("Name who decides go or no-go."))
    need(
        (on or plan.adopted_on) is not None,
        "date",
        _("The plan needs the date it is adopted on."),
    )
    # Adopting sets the first review one interval after the adoption date when none is set.
    need(
        bool(plan.review_interval_days) and (plan.next_review is not None or on is not None),
        "review",
        _("Set the date of the next review."),
    )
    need(bool(plan.sources.strip()), "sources", _("Say what sources the plan rests on."))
    _emergency_steps(contents.focus, threats, protocols, need)
    _clear_threats(threats, measures, problems)
    _lapsed_prerequisites(protocols, problems)
    return problems


def _emergency_steps(
    focus: Sequence[Any], threats: Sequence[Any], protocols: list[ProtocolRow], need: Any
) -> None:
    if threats:
        need(bool(focus), "focus", _("Choose the focus threats the plan answers first."))
    answered = {
        threat.pk
        for row in protocols
        if row.protocol.kind == ProtocolKind.EMERGENCY and row.protocol.steps
        for threat in row.threats
    }
    for threat in focus:
        if threat.pk not in answered:
            need(
                False,
                f"emergency:{threat.pk}",
                _("The focus threat “%(threat)s” has no emergency protocol with steps.")
                % {"threat": threat.summary},
            )


def _clear_threats(
    threats: Sequence[Any], measures: list[Measure], problems: list[Problem]
) -> None:
    for threat in threats:
        if (threat.likelihood or 0) < CLEAR_THREAT_LIKELIHOOD:
            continue
        if any(_acts_on(m, threat) and _raises_the_cost(m) for m in measures):
            continue
        problems.append(
            Problem(
                "RISK-3",
                f"clear-threat:{threat.pk}",
                _(
                    "The threat “%(threat)s” is clear and present: add a deterrence or "
                    "networking and political cost measure acting on it. Locks, phones or "
                    "equipment alone are not enough."
                )
                % {"threat": threat.summary},
            )
        )


def _lapsed_prerequisites(protocols: list[ProtocolRow], problems: list[Problem]) -> None:
    for row in protocols:
        if any(m.is_broken for m in row.prerequisites):
            problems.append(
                Problem(
                    "PLAN-3",
                    f"prerequisites:{row.protocol.pk}",
                    _("The protocol “%(protocol)s” relies on measures that lapsed or were dropped.")
                    % {"protocol": row.protocol.title},
                )
            )
