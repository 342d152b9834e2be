"""The indicative score (RISK-2): information only, but it must move the right way."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from amparo.risk.scoring import threat_score


@given(
    likelihood=st.integers(1, 5),
    impact=st.integers(1, 5),
    vulnerabilities=st.integers(0, 20),
    capacities=st.integers(0, 20),
)
def test_the_score_rises_with_vulnerabilities_and_falls_with_capacities(
    likelihood, impact, vulnerabilities, capacities
):
    score = threat_score(
        likelihood=likelihood, impact=impact, vulnerabilities=vulnerabilities, capacities=capacities
    )
    more_v = threat_score(
        likelihood=likelihood,
        impact=impact,
        vulnerabilities=vulnerabilities + 1,
        capacities=capacities,
    )
    more_c = threat_score(
        likelihood=likelihood,
        impact=impact,
        vulnerabilities=vulnerabilities,
        capacities=capacities + 1,
    )

    assert more_c <= score <= more_v
    assert score > 0


def test_the_score_waits_for_likelihood_and_impact():
    assert threat_score(likelihood=None, impact=4, vulnerabilities=1, capacities=0) is None
    assert threat_score(likelihood=3, impact=4, vulnerabilities=1, capacities=2) == Decimal("8.0")
