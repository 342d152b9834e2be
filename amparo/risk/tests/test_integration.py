"""What the risk module adds to the defender's page and the incident's page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from amparo.risk import integration
from amparo.risk.enums import AnalysisStatus
from amparo.risk.models import RiskAnalysis
from amparo.risk.tests.factories import (
    collective_subject,
    concluded_analysis,
    incident_against,
    make_analysis,
    make_threat,
    subject_in,
)
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.usefixtures("risk_audit")


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_defenders_page_summarises_their_analyses_and_links_the_threats(
    client, organisation, desk_officer
):
    subject = subject_in(organisation, pseudonym="Mariela")
    analysis = concluded_analysis(subject, desk_officer, threats=2)
    make_threat(subject, desk_officer, summary="Car without plates")
    login_fresh(client, desk_officer)

    response = client.get(reverse("defenders:defender-detail", args=[subject.pk]))

    text = _text(response)
    assert "Threats and risk analyses" in text
    assert reverse("risk:analysis-detail", args=[analysis.pk]) in text
    assert "2 threats" in text  # counted on the analysis' row, not listed
    assert "Car without plates" not in text  # on the risk page the section links to
    assert reverse("risk:defender-risk", args=[subject.pk]) in text
    assert reverse("risk:analysis-create", args=[subject.pk]) in text


def test_the_section_puts_the_analysis_in_force_first_and_leaves_old_versions_out(
    client, organisation, desk_officer
):
    subject = subject_in(organisation)
    today = timezone.localdate()
    in_force = concluded_analysis(subject, desk_officer, analysed_on=today - timedelta(days=30))
    draft = make_analysis(subject, desk_officer, analysed_on=today)
    old = make_analysis(subject, desk_officer, analysed_on=today - timedelta(days=400))
    RiskAnalysis.objects.filter(pk=old.pk).update(status=AnalysisStatus.SUPERSEDED)
    login_fresh(client, desk_officer)

    response = client.get(reverse("defenders:defender-detail", args=[subject.pk]))

    # The risk section (the desk adds its "Open a case" one after it).
    section = next(s for s in response.context["related_sections"] if s["key"] == "risk")
    assert [a.pk for a in section["data"]["analyses"]] == [in_force.pk, draft.pk]
    assert [a.threat_count for a in section["data"]["analyses"]] == [1, 0]


def test_a_collective_member_sees_the_section_without_the_buttons(
    client, organisation, collective, defender, desk_officer
):
    group = collective_subject(organisation, collective)
    concluded_analysis(group, desk_officer)
    login_fresh(client, defender)

    response = client.get(reverse("defenders:defender-detail", args=[group.pk]))

    text = _text(response)
    assert "Threats and risk analyses" in text
    assert reverse("risk:analysis-create", args=[group.pk]) not in text


def test_the_incidents_page_offers_to_assess_it_as_a_threat(client, organisation, desk_officer):
    subject = subject_in(organisation)
    incident = incident_against(subject)
    login_fresh(client, desk_officer)

    response = client.get(reverse("incidents:incident-detail", args=[incident.pk]))

    url = f"{reverse('risk:threat-create', args=[subject.pk])}?incident={incident.pk}"
    assert [(link.url, str(link.label)) for link in response.context["incident_links"]] == [
        (url, "Assess as a threat")
    ]


def _section_queryset(user, subject):
    """The section's analyses as the risk access path's queryset reads them: what the
    prepared `_SECTION_ANALYSES` must give."""
    from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When
    from django.db.models.functions import Coalesce

    from amparo.risk import queries
    from amparo.risk.enums import CURRENT_STATUSES
    from amparo.risk.models import Threat

    threats = (
        Threat.objects.filter(analysis=OuterRef("pk"))
        .order_by()
        .values("analysis")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        queries.analyses_visible_to(user)
        .filter(subject=subject)
        .exclude(status=AnalysisStatus.SUPERSEDED)
        .select_related(None)
        .annotate(
            threat_count=Coalesce(Subquery(threats, output_field=IntegerField()), Value(0)),
            in_force=Case(When(status__in=CURRENT_STATUSES, then=Value(0)), default=Value(1)),
        )
        .order_by("in_force", "-analysed_on", "-created_at", "-id")[: integration.SECTION_ROWS + 1]
    )


def test_the_prepared_section_reads_what_the_access_path_reads(
    organisation, other_organisation, collective, defender, desk_officer
):
    from amparo.accounts.enums import Role
    from amparo.accounts.tests.factories import staff_member
    from amparo.defenders.services import share_defender

    hub_officer = staff_member(other_organisation, Role.DESK_OFFICER, email="hugo@example.org")
    group = collective_subject(organisation, collective)
    subject = subject_in(organisation)
    today = timezone.localdate()
    for days in range(7):
        make_analysis(subject, desk_officer, analysed_on=today - timedelta(days=days))
    concluded_analysis(subject, desk_officer, analysed_on=today - timedelta(days=40), threats=2)
    old = make_analysis(subject, desk_officer, analysed_on=today - timedelta(days=400))
    RiskAnalysis.objects.filter(pk=old.pk).update(status=AnalysisStatus.SUPERSEDED)
    concluded_analysis(group, desk_officer, threats=1)
    share_defender(defender=subject, organisation=other_organisation, actor=desk_officer)

    for user in (desk_officer, defender, hub_officer):
        for record in (subject, group):
            prepared = integration._SECTION_ANALYSES(user, record.pk)
            expected = _section_queryset(user, record)
            assert [(a.pk, a.threat_count, a.in_force) for a in prepared] == [
                (a.pk, a.threat_count, a.in_force) for a in expected
            ]
            assert [a.__dict__.keys() for a in prepared] == [a.__dict__.keys() for a in expected]
    # The checks above were not all empty: the keeping desk sees one row more than is shown.
    assert len(integration._SECTION_ANALYSES(desk_officer, subject.pk)) == 6
    assert len(integration._SECTION_ANALYSES(defender, group.pk)) == 1
    assert len(integration._SECTION_ANALYSES(hub_officer, subject.pk)) == 6  # through the share
