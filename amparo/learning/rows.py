"""The repeated parts of e-learning's busiest pages, written in Python (ADR 0062).

A cohort's teams page spent most of its time in the template's loops: a section for each
team with its links and, for each member, a form with its token to take them out of it; then
a checkbox for each learner in no team and an option for each team. They are written here
with the same escaping, links and labels as the template wrote them, byte for byte, including
the blank space between them; `tests/test_rows.py` renders the template's former loops beside
them. The frame (headings, the forms around the checkboxes and the select, the form that makes
a team) stays in `learning/cohort_teams.html`.

Every value goes through `html.escape` (`html_value`); the labels are translated once per
language (the catalogues do not change while the process runs, as `core.choices` keeps its
labels), with the msgids the template used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from amparo.core.rendering import html_value
from amparo.core.reversing import linker
from amparo.learning.queries import PersonRow, TeamRow


@dataclass(frozen=True)
class _Texts:
    """What the rows print that depends only on the language."""

    take_out: str
    nobody: str
    #: `{% blocktranslate %}`: the translation as it is (not escaped), the value escaped.
    rename: str
    delete: str


def _make_texts() -> _Texts:
    return _Texts(
        take_out=escape(gettext("Take out of the team")),
        nobody=escape(gettext("Nobody is in this team yet.")),
        rename=gettext("Rename “%(name)s”"),
        delete=gettext("Delete “%(name)s”"),
    )


#: language -> its texts; a handful of languages, so never emptied.
_TEXTS: dict[str | None, _Texts] = {}


def _texts() -> _Texts:
    language = get_language()
    texts = _TEXTS.get(language)
    if texts is None:
        texts = _TEXTS[language] = _make_texts()
    return texts


def _person(person: PersonRow) -> str:
    """`{{ x.learner.display_name|default:x.learner.email }}`."""
    return html_value(person.display_name or person.email)


# --- a cohort's teams ---


def team_sections(teams: Iterable[TeamRow], *, placement_url: str, csrf: str) -> SafeString:
    """The `<section>` of each team: its name linking to its page, the links to rename and
    delete it, and its members, each with the form (posting to `placement_url`, with the
    `csrf` input) that takes them out of it."""
    t = _texts()
    team_link, rename_link, delete_link = (
        linker("learning:team"),
        linker("learning:team-rename"),
        linker("learning:team-delete"),
    )
    action = escape(placement_url)
    written = []
    for team in teams:
        name = html_value(team.name)
        if team.members:
            members = "".join(
                f"\n    <li>{_person(member)}\n"
                f'      <form class="inline" method="post" action="{action}">{csrf}'
                f'<input type="hidden" name="enrolments" value="{member.pk}">'
                '<input type="hidden" name="team" value="">'
                f'<button type="submit">{t.take_out}</button></form></li>\n    '
                for member in team.members
            )
        else:
            members = f"\n    <li>{t.nobody}</li>\n    "
        written.append(
            f'\n<section aria-labelledby="team-{team.pk}">\n'
            f'  <h2 id="team-{team.pk}"><a href="{escape(team_link(team.pk))}">{name}</a></h2>\n'
            f'  <p class="actions"><a href="{escape(rename_link(team.pk))}">'
            f"{t.rename % {'name': name}}</a> "
            f'<a href="{escape(delete_link(team.pk))}">{t.delete % {"name": name}}</a></p>\n'
            f"  <ul>\n    {members}\n  </ul>\n</section>\n"
        )
    return mark_safe("".join(written))  # noqa: S308 -- every value above is escaped


def learner_boxes(unplaced: Iterable[PersonRow]) -> SafeString:
    """A checkbox for each learner in no team, labelled with their name."""
    return mark_safe(  # noqa: S308 -- every value is escaped
        "".join(
            f'<div class="field-checkbox"><input type="checkbox" name="enrolments" '
            f'value="{person.pk}" id="place-{person.pk}"> '
            f'<label for="place-{person.pk}">{_person(person)}</label></div>'
            for person in unplaced
        )
    )


def learner_items(unplaced: Iterable[PersonRow]) -> SafeString:
    """A list item for each learner in no team (there is no team to place them in yet)."""
    return mark_safe(  # noqa: S308 -- every value is escaped
        "".join(f"<li>{_person(person)}</li>" for person in unplaced)
    )


def team_options(teams: Iterable[TeamRow]) -> SafeString:
    """An `<option>` for each team, in the select of the team to place learners in."""
    return mark_safe(  # noqa: S308 -- every value is escaped
        "".join(f'<option value="{team.pk}">{html_value(team.name)}</option>' for team in teams)
    )
