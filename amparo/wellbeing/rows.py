"""The serious incidents waiting for a debrief, written in Python (ADR 0062).

The dashboard's panel and the debrief list wrote them through an include per incident
(`_waiting_incident.html`): an include is a template render with its own context, and the ten
of the panel cost the dashboard about a millisecond. The items are written here with the links,
date format and labels the include wrote; `test_rows.py` compares them with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from amparo.core.formatting import dater
from amparo.core.reversing import linker
from amparo.incidents.models import Incident


def waiting_items(incidents: Iterable[Incident]) -> SafeString:
    """`<li>` per incident: its code linked to it, the day it was listed, "danger now" when it
    is, and the link to plan its debrief. Codes and dates only (Tier 2): nothing decrypted."""
    detail, plan = linker("incidents:incident-detail"), linker("wellbeing:debrief-create")
    day = dater("SHORT_DATE_FORMAT")
    danger_now = escape(gettext("danger now"))
    danger = f" · <strong>{danger_now}</strong>"
    label_plan = escape(gettext("Plan a debrief"))
    return mark_safe(  # noqa: S308 -- every value below is escaped or one of ours
        "".join(
            f'<li><a href="{escape(detail(incident.pk))}">{escape(incident.code)}</a> · '
            f"{escape(day(incident.listed_on))}{danger if incident.is_danger_now else ''} — "
            f'<a href="{escape(plan(incident.pk))}">{label_plan}</a></li>'
            for incident in incidents
        )
    )
