"""The indicative score of a threat: threat x vulnerabilities / capacities (DOMAIN.md 1.2).

Information only, shown beneath the level people chose and labelled as such: Protection
International's 2021 review warns against using the relation mechanically (RISK-2). The
threat side is likelihood x impact (1 to 25); vulnerabilities and capacities are counted, each
plus one, so that a threat without recorded capacities does not divide by zero and one
without recorded vulnerabilities does not score nothing.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def threat_score(
    *, likelihood: int | None, impact: int | None, vulnerabilities: int, capacities: int
) -> Decimal | None:
    """None until both likelihood and impact are rated; otherwise rounded to one decimal."""
    if likelihood is None or impact is None:
        return None
    raw = Decimal(likelihood * impact * (1 + vulnerabilities)) / Decimal(1 + capacities)
    return raw.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
