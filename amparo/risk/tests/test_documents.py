"""An analysis's document (versions.analysis_document) read by the compare page's prepared
queries (queries.document_contents) is the document of the prefetched analysis
(queries.with_document_contents), which snapshots keep: same values, same order, and the same
Tier-1 reads."""

from __future__ import annotations

from typing import Any

import pytest

from amparo.audit.context import open_scope
from amparo.risk import queries, services
from amparo.risk.enums import FactorCategory, FactorKind
from amparo.risk.models import AnalysisSnapshot, RiskAnalysis
from amparo.risk.tests.factories import (
    complete_analysis,
    incident_against,
    make_analysis,
    make_threat,
    subject_in,
)
from amparo.risk.versions import analysis_document

pytestmark = pytest.mark.usefixtures("risk_audit")

HOSTILE = 'Calls <b>"at night"</b> & <script>alert(1)</script>'


@pytest.fixture
def subject(organisation):
    return subject_in(organisation, pseudonym="Mariela")


def _both(analysis_id: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    prepared = RiskAnalysis.objects.get(pk=analysis_id)
    prefetched = RiskAnalysis.objects.get(pk=analysis_id)
    return (
        analysis_document(prepared, queries.document_contents(prepared)),
        analysis_document(queries.with_document_contents(prefetched)),
    )


def _rich(subject: Any, desk_officer: Any, desk_lead: Any) -> RiskAnalysis:
    analysis = complete_analysis(subject, desk_officer, threats=3, context=HOSTILE)
    analysis.participants.add(desk_officer, desk_lead)
    threats = list(analysis.threats.all())
    for number, threat in enumerate(threats):
        for _ in range(number):
            threat.incidents.add(incident_against(subject))
        services.add_factor(
            threat=threat,
            actor=desk_officer,
            kind=FactorKind.VULNERABILITY,
            category=FactorCategory.DIGITAL,
            description=f"{HOSTILE} {number}",
        )
    # An unrated threat: no score.
    make_threat(subject, desk_officer, summary=HOSTILE, analysis=analysis)
    return analysis


def test_the_prepared_document_is_the_prefetched_one(subject, desk_officer, desk_lead):
    analysis = _rich(subject, desk_officer, desk_lead)

    prepared, prefetched = _both(analysis.pk)

    assert prepared == prefetched
    assert [len(t["incidents"]) for t in prepared["threats"]] == [0, 1, 2, 0]
    assert len(prepared["participants"]) == 2
    assert prepared["score"] is not None
    assert prepared["threats"][-1]["score"] is None


def test_the_prepared_document_of_an_empty_analysis(subject, desk_officer):
    analysis = make_analysis(subject, desk_officer)

    prepared, prefetched = _both(analysis.pk)

    assert prepared == prefetched
    assert prepared["threats"] == []
    assert prepared["score"] is None


def test_the_prepared_document_reads_what_the_prefetched_one_read(subject, desk_officer, desk_lead):
    analysis = _rich(subject, desk_officer, desk_lead)

    def reads(load: Any) -> dict[Any, dict[str, set[Any]]]:
        with open_scope(actor=desk_officer) as scope:
            load(RiskAnalysis.objects.get(pk=analysis.pk))
            return {org: dict(by_label) for org, by_label in scope.reads.items()}

    prepared = reads(lambda a: analysis_document(a, queries.document_contents(a)))
    prefetched = reads(lambda a: analysis_document(queries.with_document_contents(a)))

    assert prepared == prefetched


def test_the_prepared_document_asks_four_queries(
    subject, desk_officer, desk_lead, django_assert_num_queries
):
    analysis = _rich(subject, desk_officer, desk_lead)
    draft = RiskAnalysis.objects.get(pk=analysis.pk)

    # participants, threats with their source actor, factors, incidents' ids
    with django_assert_num_queries(4):
        analysis_document(draft, queries.document_contents(draft))


def test_the_latest_snapshots_are_read_in_one_query(
    subject, organisation, desk_officer, django_assert_num_queries
):
    first = services.conclude_analysis(
        analysis=complete_analysis(subject, desk_officer), actor=desk_officer
    )
    services.start_review(analysis=first, actor=desk_officer)  # snapshots it again
    other = services.conclude_analysis(
        analysis=complete_analysis(subject_in(organisation), desk_officer), actor=desk_officer
    )

    with django_assert_num_queries(1):
        snapshots = queries.latest_snapshots([first.pk, other.pk])

    assert sorted(s.analysis_id for s in snapshots) == sorted([first.pk, other.pk])
    for snapshot in snapshots:
        newest = AnalysisSnapshot.objects.filter(analysis_id=snapshot.analysis_id).order_by(
            "-taken_at", "-id"
        )[0]
        assert snapshot.pk == newest.pk
    assert AnalysisSnapshot.objects.filter(analysis=first).count() >= 1
