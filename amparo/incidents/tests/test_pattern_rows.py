"""The patterns page's cards and table rows, written in Python (`pattern_rows`), are what
incident_patterns.html's loops wrote: the same text, links, plurals, escaping and dates, in
several languages."""

from __future__ import annotations

import re
import uuid
from datetime import date

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from amparo.incidents import queries
from amparo.incidents.enums import PerpetratorKind
from amparo.incidents.pattern_rows import pattern_parts

#: The loops as incident_patterns.html wrote them before `pattern_rows`: the reference the
#: Python must match.
_CARDS = """{% load i18n %}{% for row in patterns.flagged_perpetrators %}
  <li><strong class="warning">{% translate "Same perpetrator" %}</strong>
    {% blocktranslate with code=row.perpetrator_code kind=row.kind_label count counter=row.incidents %}{{ kind }} {{ code }}: {{ counter }} incident{% plural %}{{ kind }} {{ code }}: {{ counter }} incidents{% endblocktranslate %},
    {% blocktranslate count counter=row.victims %}{{ counter }} defender affected{% plural %}{{ counter }} defenders affected{% endblocktranslate %}.
    <a href="{% url 'incidents:incident-list' %}?perpetrator={{ row.perpetrator_id }}&amp;date_from={{ patterns.since|date:'Y-m-d' }}">{% translate "See the incidents" %}</a></li>
  {% endfor %}
  {% for row in patterns.flagged_regions %}
  <li><strong class="warning">{% translate "Same territory" %}</strong>
    {% blocktranslate with country=row.country region=row.region count counter=row.incidents %}{{ region }} ({{ country }}): {{ counter }} incident{% plural %}{{ region }} ({{ country }}): {{ counter }} incidents{% endblocktranslate %},
    {% blocktranslate count counter=row.victims %}{{ counter }} defender affected{% plural %}{{ counter }} defenders affected{% endblocktranslate %}.
    <a href="{% url 'incidents:incident-list' %}?country={{ row.country }}&amp;region={{ row.region|urlencode }}&amp;date_from={{ patterns.since|date:'Y-m-d' }}">{% translate "See the incidents" %}</a></li>
  {% endfor %}"""  # noqa: E501 -- the template's own lines
_MONTHS = """{% for row in patterns.by_month %}
  <tr><th scope="row">{{ row.month|date:"YEAR_MONTH_FORMAT" }}</th><td><meter min="0" max="100" value="{{ row.share }}" aria-hidden="true"></meter> {{ row.incidents }}</td></tr>
  {% endfor %}"""  # noqa: E501
_PERPETRATORS = """{% for row in patterns.by_perpetrator %}
  <tr><th scope="row"><a href="{% url 'incidents:incident-list' %}?perpetrator={{ row.perpetrator_id }}">{{ row.perpetrator_code }}</a></th><td>{{ row.kind_label }}</td><td>{{ row.incidents }}</td></tr>
  {% endfor %}"""  # noqa: E501
_REGIONS = """{% load i18n %}{% for row in patterns.by_region %}
  <tr><th scope="row">{% if row.region %}<a href="{% url 'incidents:incident-list' %}?country={{ row.country }}&amp;region={{ row.region|urlencode }}">{{ row.region }}</a>{% else %}{% translate "Region not recorded" %}{% endif %}</th><td>{{ row.country|default:"—" }}</td><td>{{ row.incidents }}</td></tr>
  {% endfor %}"""  # noqa: E501
REFERENCES = {
    "flagged_cards": _CARDS,
    "month_rows": _MONTHS,
    "perpetrator_rows": _PERPETRATORS,
    "region_rows": _REGIONS,
}
HOSTILE = 'Cauca <b>"Norte"</b> & co'


def _patterns(*, signals: bool = True) -> queries.Patterns:
    """Counts of one and of many (the plurals), a region with markup, no region, no country,
    a region with a slash and spaces (the link's encoding), a month with nothing."""
    perpetrators = [
        {
            "perpetrator_id": uuid.UUID(int=n * 7919 << 100),
            "perpetrator__kind": kind,
            "incidents": n,
        }
        for n, kind in ((12, PerpetratorKind.MILITARY), (1, PerpetratorKind.POLICE))
    ]
    flagged = [
        {**row, "victims": victims} for row, victims in zip(perpetrators, (1, 4), strict=True)
    ]
    regions = [
        {"country": "CO", "region": HOSTILE, "incidents": 7},
        {"country": "CO", "region": "", "incidents": 1},
        {"country": "", "region": "Valle / Sur", "incidents": 2},
        {"country": "", "region": "", "incidents": 0},
    ]
    flagged_regions = [
        {"country": "CO", "region": HOSTILE, "incidents": 3, "victims": 1},
        {"country": "PE", "region": "Región 1 / Sur", "incidents": 1, "victims": 0},
    ]
    months = queries._month_starts(date(2025, 3, 14), 12)
    by_month = [
        {"month": start, "incidents": n * 3 % 11, "share": n * 9 % 101}
        for n, start in enumerate(months)
    ]
    return queries._labelled(
        queries.Patterns(
            by_perpetrator=perpetrators,
            by_region=regions,
            by_month=by_month,
            flagged_perpetrators=flagged if signals else [],
            flagged_regions=flagged_regions if signals else [],
            window_days=90,
            threshold=3,
            since=date(2025, 1, 5),
        )
    )


def _between_tags(html: str) -> str:
    """The loops put their line breaks around each row; only those differ."""
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("language", ["en", "es", "fr", "th"])
@pytest.mark.parametrize("part", sorted(REFERENCES))
def test_each_part_is_what_the_template_wrote(language, part):
    with translation.override(language):
        patterns = _patterns()
        written = str(pattern_parts(patterns)[part])
        reference = engines["django"].from_string(REFERENCES[part]).render({"patterns": patterns})

    assert _between_tags(written) == _between_tags(reference)
    assert (
        written.count("<tr>") + written.count("<li>")
        == {
            "flagged_cards": 4,
            "month_rows": 12,
            "perpetrator_rows": 2,
            "region_rows": 4,
        }[part]
    )


def test_the_cards_escape_the_places_and_encode_them_in_links():
    with translation.override("en"):
        cards = str(pattern_parts(_patterns())["flagged_cards"])

    listed = reverse("incidents:incident-list")
    assert "Cauca &lt;b&gt;&quot;Norte&quot;&lt;/b&gt; &amp; co (CO): 3 incidents," in cards
    assert f"{listed}?country=PE&amp;region=Regi%C3%B3n%201%20/%20Sur&amp;date_from=2025-01-05" in (
        cards
    )
    assert "Región 1 / Sur (PE): 1 incident,\n    0 defenders affected." in cards
    assert "<b>" not in cards
    assert "Military P-" in cards


def test_a_page_without_signals_has_no_cards():
    parts = pattern_parts(_patterns(signals=False))

    assert str(parts["flagged_cards"]) == ""
    assert str(parts["perpetrator_rows"]).count("<tr>") == 2


def test_the_cards_speak_the_readers_language():
    with translation.override("es"):
        cards = str(pattern_parts(_patterns())["flagged_cards"])

    assert "Mismo perpetrador" in cards
    assert ": 12 incidentes," in cards
    assert "Same perpetrator" not in cards
