"""The defender list's rows, written in Python (defenders/rows.py): every cell, escaped and
translated, as the list page shows them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from amparo.defenders.enums import DefenderStatus
from amparo.defenders.tests.factories import DefenderFactory, make_collective
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db


def _rows(html: str) -> list[list[tuple[str, str]]]:
    """(data-label, inner HTML) of each cell, row by row, of the page's table body."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        re.findall(r'<td data-label="([^"]*)">(.*?)</td>', row)
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def _list(client, user, **query: str) -> str:
    login_fresh(client, user)
    return client.get(reverse("defenders:defender-list"), query).content.decode()


def test_a_row_shows_every_column_escaped(client, organisation, desk_officer):
    collective = make_collective(
        organisation,
        pseudonym='Comunidad <b>"Río"</b> & co',
        categories=["land", "indigenous"],
        country="CO",
        region="Cauca <Norte>",
        status=DefenderStatus.DORMANT,
    )

    [row] = _rows(_list(client, desk_officer))

    link = reverse("defenders:defender-detail", args=[collective.pk])
    assert row[0] == ("Code", f'<a href="{link}">{collective.code}</a>')
    assert row[1] == ("Pseudonym", "Comunidad &lt;b&gt;&quot;Río&quot;&lt;/b&gt; &amp; co")
    assert row[2] == ("Kind", "Collective defender (Community)")
    assert row[3][0] == "Categories"
    assert sorted(row[3][1].split(", ")) == [
        "Indigenous peoples&#x27; rights",
        "Land and territory",
    ]
    assert row[4] == ("Where", "CO · Cauca &lt;Norte&gt;")
    assert row[5] == ("Status", "Dormant")
    assert len(row) == 6


def test_an_individual_without_categories_or_region_shows_empty_cells(
    client, organisation, desk_officer
):
    DefenderFactory(organisation=organisation, pseudonym="Marta", country="PE", region="")

    [row] = _rows(_list(client, desk_officer))

    assert row[1:] == [
        ("Pseudonym", "Marta"),
        ("Kind", "Individual defender"),
        ("Categories", ""),
        ("Where", "PE"),
        ("Status", "Active"),
    ]


def test_rows_speak_the_readers_language(client, organisation, desk_officer):
    make_collective(organisation, pseudonym="Marta", categories=["journalist"])
    login_fresh(client, desk_officer)

    html = client.get(
        reverse("defenders:defender-list"), HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()

    with translation.override("es"):
        labels = [translation.gettext(label) for label in ("Kind", "Categories", "Status")]
        kind = translation.gettext("Collective defender")
        community = translation.gettext("Community")
        journalists = translation.gettext("Journalists and free expression")
        active = translation.pgettext("defender status", "Active")
    assert kind != "Collective defender"
    assert journalists != "Journalists and free expression"
    [row] = _rows(html)
    cells = dict(row)
    assert cells[labels[0]] == f"{kind} ({community})"
    assert cells[labels[1]] == journalists.replace("'", "&#x27;")
    assert cells[labels[2]] == active


def test_rows_follow_the_list_and_the_search(client, organisation, desk_officer):
    made = [
        DefenderFactory(organisation=organisation, pseudonym="Rosa", categories=["land"]),
        DefenderFactory(organisation=organisation, pseudonym="Rosalía", categories=["whrd"]),
        DefenderFactory(organisation=organisation, pseudonym="Marta"),
    ]
    newest_first = sorted(made, key=lambda d: (d.created_at, d.pk), reverse=True)
    labels = {"land": "Land and territory", "whrd": "Women human rights defender"}

    listed = _rows(_list(client, desk_officer))
    found = _rows(_list(client, desk_officer, q="rosa"))

    assert [row[0][1] for row in listed] == [
        f'<a href="{reverse("defenders:defender-detail", args=[d.pk])}">{d.code}</a>'
        for d in newest_first
    ]
    assert [(dict(row)["Pseudonym"], dict(row)["Categories"]) for row in found] == [
        (d.pseudonym, labels[d.categories.get().code])
        for d in newest_first
        if d.pseudonym != "Marta"
    ]


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt", "id", "th", "sw"])
def test_the_detail_pages_labels_are_the_enums_labels(language):
    """`views.common` takes the detail page's labels from the fields' translated tables
    (core.choices): each is the enum's own label, translated, in every language."""
    from amparo.core.choices import translated_labels
    from amparo.defenders.enums import (
        Category,
        CollectiveRole,
        CollectiveType,
        ConsentScope,
        DefenderKind,
    )
    from amparo.defenders.models import (
        CollectiveMember,
        ConsentRecord,
        Defender,
        DefenderCategory,
    )

    with translation.override(language):
        for (model, name), choices in {
            (Defender, "kind"): DefenderKind.choices,
            (Defender, "status"): DefenderStatus.choices,
            (Defender, "collective_type"): CollectiveType.choices,
            (DefenderCategory, "code"): Category.choices,
            (ConsentRecord, "scope"): ConsentScope.choices,
            (CollectiveMember, "role"): CollectiveRole.choices,
        }.items():
            assert translated_labels(model, name) == {v: str(label) for v, label in choices}
