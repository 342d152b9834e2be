"""Links other modules add to an incident's page, without the register importing them.

The risk module, for one, offers "Assess as a threat" (`?incident=<id>`): it registers a
provider in its AppConfig.ready():

    from amparo.incidents import links

    @links.register
    def threat_assessment_link(user, incident):
        if rules.can_assess(user, incident):
            yield links.IncidentLink(url=..., label=_("Assess as a threat"))

A provider answers for one person and one incident and yields nothing when the person cannot
follow the link, so the page never shows a dead one. The detail template renders them in its
`incident_links` block.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from amparo.incidents.models import Incident


@dataclass(frozen=True)
class IncidentLink:
    url: str
    label: Any  # a str or a lazy translation


Provider = Callable[[Any, "Incident"], Iterable[IncidentLink]]

_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister(provider: Provider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def links_for(user: Any, incident: Incident) -> list[IncidentLink]:
    return [link for provider in _providers for link in provider(user, incident)]
