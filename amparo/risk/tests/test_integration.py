"""What the risk module adds to the defender's page and the incident's page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from amparo.risk.tests.factories import (
    collective_subject,
    concluded_analysis,
    incident_against,
    make_threat,
    subject_in,
)
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.usefixtures("risk_audit")


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_defenders_page_shows_their_analyses_and_threats(client, organisation, desk_officer):
    subject = subject_in(organisation, pseudonym="Mariela")
    analysis = concluded_analysis(subject, desk_officer)
    make_threat(subject, desk_officer, summary="Car without plates")
    login_fresh(client, desk_officer)

    response = client.get(reverse("defenders:defender-detail", args=[subject.pk]))

    text = _text(response)
    assert "Threats and risk analyses" in text
    assert reverse("risk:analysis-detail", args=[analysis.pk]) in text
    assert "Car without plates" in text
    assert reverse("risk:analysis-create", args=[subject.pk]) in text


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
