"""The desk dashboard's cards, written in Python (ADR 0062).

Five lists of up to ten cards each cost the template language a lookup chain, a localisation
and an escape per value and a `{% blocktranslate %}` per card: about 4 ms of a page every desk
officer opens first. The cards are written here with the links, codes, labels and date format
the template wrote; `test_dashboard_rows.py` compares them with it. Codes come from ids:
nothing is decrypted.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from amparo.core.choices import translated_labels
from amparo.core.formatting import dater
from amparo.core.reversing import linker
from amparo.defenders.models import defender_code
from amparo.desk.models import Accompaniment, Case, Referral, case_code
from amparo.incidents.models import Incident
from amparo.risk.models import RiskAnalysis


def _safe(cards: list[str]) -> SafeString:
    return mark_safe("".join(cards))  # noqa: S308 # every value in the cards is escaped


def diverging_cards(referrals: Iterable[Referral]) -> SafeString:
    """Mechanism studies that differ from our analysis: the case and defender codes, both
    levels and how they differ."""
    case = linker("desk:case-detail")
    levels = translated_labels(Referral, "mechanism_level")
    phrase = gettext("mechanism: %(theirs)s; ours: %(ours)s")
    return _safe(
        [
            f'<li><a href="{escape(case(item.case_id))}#referral-{escape(str(item.pk))}">'
            f"{escape(case_code(item.case_id))}</a>"
            f" · {escape(defender_code(item.case.defender_id))} · "
            + phrase
            % {
                "theirs": escape(levels.get(item.mechanism_level, item.mechanism_level)),
                "ours": escape(str(item.get_compared_level_display())),
            }
            + f"<br><strong>{escape(str(item.get_risk_divergence_display()))}</strong></li>"
            for item in referrals
        ]
    )


def overdue_cards(follow_ups: Iterable[Accompaniment]) -> SafeString:
    """Overdue follow-ups: the case and defender codes, the kind of accompaniment, the day due."""
    case = linker("desk:case-detail")
    kinds = translated_labels(Accompaniment, "kind")
    day = dater("SHORT_DATE_FORMAT")
    phrase = gettext("due %(date)s")
    return _safe(
        [
            f'<li><a href="{escape(case(item.case_id))}">{escape(case_code(item.case_id))}</a>'
            f" · {escape(defender_code(item.case.defender_id))}"
            f" · {escape(kinds.get(item.kind, item.kind))} · "
            + phrase % {"date": escape(day(item.follow_up_due))}
            + "</li>"
            for item in follow_ups
        ]
    )


def analyses_due_cards(analyses: Iterable[RiskAnalysis]) -> SafeString:
    """Analyses due for review: the subject's code, the status, the review date."""
    detail = linker("risk:analysis-detail")
    statuses = translated_labels(RiskAnalysis, "status")
    day = dater("SHORT_DATE_FORMAT")
    phrase = gettext("review by %(date)s")
    return _safe(
        [
            f'<li><a href="{escape(detail(analysis.pk))}">'
            f"{escape(defender_code(analysis.subject_id))}</a>"
            f" · {escape(statuses.get(analysis.status, analysis.status))} · "
            + phrase % {"date": escape(day(analysis.next_review))}
            + "</li>"
            for analysis in analyses
        ]
    )


def recent_incident_cards(incidents: Iterable[Incident]) -> SafeString:
    """The register's newest incidents: code, listing day, status, "danger now"."""
    detail = linker("incidents:incident-detail")
    statuses = translated_labels(Incident, "status")
    day = dater("SHORT_DATE_FORMAT")
    danger_now = escape(gettext("danger now"))
    danger = f" · <strong>{danger_now}</strong>"
    return _safe(
        [
            f'<li><a href="{escape(detail(incident.pk))}">{escape(incident.code)}</a>'
            f" · {escape(day(incident.listed_on))}"
            f" · {escape(statuses.get(incident.status, incident.status))}"
            f"{danger if incident.is_danger_now else ''}</li>"
            for incident in incidents
        ]
    )


def without_plan_cards(cases: Iterable[Case]) -> SafeString:
    """Open cases without a plan in force: case and defender codes, state, priority."""
    detail = linker("desk:case-detail")
    states, priorities = translated_labels(Case, "state"), translated_labels(Case, "priority")
    return _safe(
        [
            f'<li><a href="{escape(detail(case.pk))}">{escape(case_code(case.pk))}</a>'
            f" · {escape(defender_code(case.defender_id))}"
            f" · {escape(states.get(case.state, case.state))}"
            f" · {escape(priorities.get(case.priority, case.priority))}</li>"
            for case in cases
        ]
    )


def cards(context: dict[str, Any]) -> dict[str, SafeString]:
    """Every list of the dashboard's context, written."""
    return {
        "diverging_cards": diverging_cards(context["diverging"]),
        "overdue_cards": overdue_cards(context["overdue"]),
        "analyses_due_cards": analyses_due_cards(context["analyses_due"]),
        "recent_incident_cards": recent_incident_cards(context["recent_incidents"]),
        "without_plan_cards": without_plan_cards(context["without_plan"]),
    }
