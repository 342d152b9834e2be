"""The repeated parts of the actor map and the space of action, written in Python (ADR 0062).

The actor map's template spent most of its time on three loops: a table of actors for each
stance, the N-by-N relations matrix (a cell per pair of actors) and the notes on the relations
(with a removal form each). The space of action's spent it on the SVG's points, their table
and the axes, which depend on nothing but the language. They are written here with the same
escaping, links and labels as the templates wrote them, byte for byte, including the blank
space between them; `tests/test_rows.py` renders the templates' loops beside them. The frames
(headings, captions, the warnings, the SVG's title and description) stay in the templates.

Every value goes through `html.escape` (or `core.rendering.html_value`, which localises
numbers as `{{ value }}` does); encrypted values are read through the model's descriptors,
which audit the read, and only those the templates read. Labels are made once per language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.defaultfilters import linebreaksbr
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop, pgettext

from amparo.actors import plane
from amparo.actors.enums import DIRECTED_RELATIONS, REVERSE_LABELS, RelationKind
from amparo.actors.models import Actor, ActorRelation, SpacePosition
from amparo.core.choices import translated_labels
from amparo.core.formatting import dater
from amparo.core.rendering import html_value
from amparo.core.reversing import linker

if TYPE_CHECKING:
    from amparo.actors.plane import Point

DASH = "—"


def _lines(value: Any) -> str:
    """`{{ value|linebreaksbr }}`: newlines normalised, the text escaped, each newline a
    `<br>`."""
    if type(value) is not str:
        return str(linebreaksbr(value))  # None, or safe text: the filter's own way
    return escape(value.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


def _escaped(model: type[Any], name: str) -> dict[Any, str]:
    """The field's choice labels in the active language, escaped."""
    return {value: escape(label) for value, label in translated_labels(model, name).items()}


def _label(labels: dict[Any, str], value: Any) -> str:
    """`{{ record.get_FOO_display }}`: the label, or the value itself when not a choice."""
    found = labels.get(value)
    return found if found is not None else html_value(value)


@dataclass(frozen=True)
class _MapTexts:
    """What the actor map's rows print that depends only on the language."""

    head: str
    type: str
    part_of: str
    power: str
    will: str
    acceptance: str
    deterrence: str
    not_placed: str
    none: str
    power_word: str
    remove: str
    types: dict[Any, str]
    stances: dict[Any, str]
    powers: dict[Any, str]
    wills: dict[Any, str]
    acceptances: dict[Any, str]
    deterrences: dict[Any, str]
    kinds: dict[Any, str]
    ties: dict[Any, tuple[str, str]]


_MAP_TEXTS: dict[str | None, _MapTexts] = {}


def _map_texts() -> _MapTexts:
    language = get_language()
    texts = _MAP_TEXTS.get(language)
    if texts is None:
        t = {
            key: escape(gettext(msgid))
            for key, msgid in (
                ("name", gettext_noop("Name")),
                ("type", gettext_noop("Type")),
                ("part_of", gettext_noop("Part of")),
                ("power", gettext_noop("Power")),
                ("will", gettext_noop("Will to protect")),
                ("acceptance", gettext_noop("Acceptance")),
                ("deterrence", gettext_noop("Deterrence")),
                ("not_placed", gettext_noop("Not placed yet")),
                ("power_word", gettext_noop("power")),
                ("remove", gettext_noop("Remove")),
                ("this_relation", gettext_noop("this relation")),
            )
        }
        head = (
            f'<thead><tr><th scope="col">{t["name"]}</th><th scope="col">{t["type"]}</th>'
            f'<th scope="col">{t["part_of"]}</th><th scope="col">{t["power"]}</th>'
            f'<th scope="col">{t["will"]}</th><th scope="col">{t["acceptance"]}</th>'
            f'<th scope="col">{t["deterrence"]}</th></tr></thead>'
        )
        kinds = {kind: html_value(kind.label) for kind in RelationKind}
        texts = _MapTexts(
            head=head,
            type=t["type"],
            part_of=t["part_of"],
            power=t["power"],
            will=t["will"],
            acceptance=t["acceptance"],
            deterrence=t["deterrence"],
            not_placed=t["not_placed"],
            none=escape(pgettext("no actors", "None.")),
            power_word=t["power_word"],
            remove=(f'{t["remove"]}<span class="visually-hidden"> {t["this_relation"]}</span>'),
            types=_escaped(Actor, "actor_type"),
            stances=_escaped(Actor, "stance"),
            powers=_escaped(Actor, "power"),
            wills=_escaped(Actor, "will_to_protect"),
            acceptances=_escaped(SpacePosition, "acceptance"),
            deterrences=_escaped(SpacePosition, "deterrence"),
            kinds=_escaped(ActorRelation, "kind"),
            # (on the source's row, on the target's row) for each kind of tie
            ties={
                kind: (
                    kinds[kind],
                    html_value(REVERSE_LABELS[kind]) if kind in DIRECTED_RELATIONS else kinds[kind],
                )
                for kind in RelationKind
            },
        )
        _MAP_TEXTS[language] = texts
    return texts


def _parent_name(actor: Actor) -> str:
    """`{{ actor.parent.name|default:"—" }}`."""
    if actor.parent_id is None:
        return DASH
    parent = actor.parent
    name = parent.name if parent is not None else None
    return escape(name) if name else DASH


def stance_sections(groups: Iterable[tuple[Any, Any, Sequence[Actor]]]) -> SafeString:
    """A section for each stance with its actors' table, as the map's template wrote them."""
    t = _map_texts()
    link = linker("actors:actor-detail")
    written = []
    for label, stance, members in groups:
        value = html_value(stance)
        written.append(
            f'\n<section aria-labelledby="stance-{value}">\n'
            f'  <h2 id="stance-{value}">{html_value(label)} <small>({len(members)})</small></h2>\n'
        )
        if not members:
            written.append(f"  \n  <p>{t.none}</p>\n  \n</section>\n")
            continue
        written.append(f'  \n  <table class="stack">\n    {t.head}\n    <tbody>\n    ')
        for actor in members:
            position = actor.latest_position
            if position:
                placed = (
                    f'<td data-label="{t.acceptance}">'
                    f"{_label(t.acceptances, position.acceptance)}</td>"
                    f'<td data-label="{t.deterrence}">'
                    f"{_label(t.deterrences, position.deterrence)}</td>\n      "
                )
            else:
                placed = f'<td colspan="2">{t.not_placed}</td>'
            written.append(
                "\n    <tr>\n"
                f'      <th scope="row"><a href="{link(actor.pk)}">{escape(actor.name)}</a></th>\n'
                f'      <td data-label="{t.type}">{_label(t.types, actor.actor_type)}</td>\n'
                f'      <td data-label="{t.part_of}">{_parent_name(actor)}</td>\n'
                f'      <td data-label="{t.power}">{_label(t.powers, actor.power)}</td>\n'
                f'      <td data-label="{t.will}">{_label(t.wills, actor.will_to_protect)}</td>\n'
                f"      {placed}\n"
                "    </tr>\n    "
            )
        written.append("\n    </tbody>\n  </table>\n  \n</section>\n")
    return mark_safe("".join(written))  # noqa: S308 -- every value above is escaped


def matrix_head(actors: Sequence[Actor]) -> SafeString:
    """The matrix's column headings after "Actor": one numbered column per actor."""
    written = []
    for number, actor in enumerate(actors, start=1):
        name = escape(actor.name)
        written.append(
            f'<th scope="col" aria-label="{name}"><abbr title="{name}">{number}</abbr></th>'
        )
    return mark_safe("".join(written))  # noqa: S308 -- every value above is escaped


def matrix_body(actors: Sequence[Actor], relations: Iterable[ActorRelation]) -> SafeString:
    """The matrix's rows, as the template's loop wrote them: what ties the row's actor to the
    column's in each cell, the actor's own attributes on the diagonal."""
    t = _map_texts()
    # {row actor's id: {column actor's id: labels}}
    ties: dict[Any, dict[Any, list[str]]] = {}
    for relation in relations:
        forth, back = t.ties.get(relation.kind) or (
            (html_value(RelationKind(relation.kind).label),) * 2
        )
        source, target = relation.source_id, relation.target_id
        ties.setdefault(source, {}).setdefault(target, []).append(forth)
        ties.setdefault(target, {}).setdefault(source, []).append(back)
    column_of = {actor.pk: column for column, actor in enumerate(actors)}
    empty = ["<td></td>"] * len(actors)
    written = []
    for row, actor in enumerate(actors):
        cells = empty.copy()
        cells[row] = (
            f"<td>{_label(t.types, actor.actor_type)}; {_label(t.stances, actor.stance)}; "
            f"{t.power_word} {html_value(actor.power)}</td>"
        )
        for other, labels in ties.get(actor.pk, {}).items():
            column = column_of.get(other)
            if column is not None and column != row:
                cells[column] = f"<td>{', '.join(labels)}</td>"
        head = f'<th scope="row">{row + 1}. {escape(actor.name)}</th>'
        written.append(f"\n    <tr>{head}{''.join(cells)}</tr>\n    ")
    return mark_safe("".join(written))  # noqa: S308 -- every value above is escaped


def relation_items(relations: Iterable[ActorRelation], *, can_edit: bool, csrf: str) -> SafeString:
    """The notes on the relations, each with its removal form for those who edit the map
    (`csrf`: the page's `csrf_input`)."""
    t = _map_texts()
    link = linker("actors:relation-delete")
    written = []
    for relation in relations:
        note = relation.note
        shown = f"<br>{_lines(note)}" if note else ""
        form = (
            f'<form class="inline" method="post" action="{link(relation.pk)}">{csrf}'
            f'<button type="submit" class="button-small button-secondary">{t.remove}'
            "</button></form>"
            if can_edit
            else ""
        )
        written.append(
            f"\n    <li><strong>{escape(relation.source.name)}</strong> — "
            f"{_label(t.kinds, relation.kind)} — <strong>{escape(relation.target.name)}</strong>"
            f"{shown}\n    {form}</li>\n  "
        )
    return mark_safe("".join(written))  # noqa: S308 -- every value above is escaped


# --- the space of action ---


@dataclass(frozen=True)
class _PlaneTexts:
    axes: str
    stance: str
    power: str
    acceptance: str
    deterrence: str
    date: str


_PLANE_TEXTS: dict[str | None, _PlaneTexts] = {}


def _n(value: float) -> str:
    """A coordinate as SVG reads it, in every language: `{{ value|unlocalize }}`. Localised,
    a decimal comma (es, fr, pt, id) made `cx="123,4"`, which no browser draws.

    Unlocalised, `number_format` writes an int or a float as `str()` does, unless the float's
    `str()` has an exponent (it then goes through Decimal): the drawing has about a hundred
    coordinates, and the formatter's format lookups were a tenth of the page."""
    kind = type(value)
    if settings.DECIMAL_SEPARATOR == ".":
        if kind is int:
            return str(value)
        if kind is float:
            written = str(value)
            if "e" not in written:
                return written
    return escape(number_format(value, use_l10n=False))


#: Integers below this (in magnitude) have no thousands to group.
_UNGROUPED = 1000


def _level(value: Any) -> str:
    """`{{ value }}` of a position's level (a small integer): localising an integer under a
    thousand groups nothing, in any language, so it is written as `str()` does."""
    if type(value) is int and -_UNGROUPED < value < _UNGROUPED:
        return str(value)
    return html_value(value)


def _plane_texts() -> _PlaneTexts:
    language = get_language()
    texts = _PLANE_TEXTS.get(language)
    if texts is None:
        acceptance, deterrence = escape(gettext("Acceptance")), escape(gettext("Deterrence"))
        top, bottom = _n(plane.TOP), _n(plane.BOTTOM)
        left, right = _n(plane.LEFT), _n(plane.RIGHT)
        a_ticks, d_ticks = plane.acceptance_ticks(), plane.deterrence_ticks()
        xs, ys = (
            [_n(tick.at) for tick in a_ticks],
            [_n(tick.at) for tick in d_ticks],
        )
        lines = "".join(f'<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}"/>' for x in xs)
        lines += "\n    " + "".join(
            f'<line x1="{left}" y1="{y}" x2="{right}" y2="{y}"/>' for y in ys
        )
        labels = "".join(
            f'<text x="{_n(tick.at)}" y="{_n(plane.BOTTOM + 16)}" '
            f'text-anchor="middle">{html_value(tick.label)}</text>'
            for tick in a_ticks
        )
        labels += "\n    " + "".join(
            f'<text x="{_n(plane.LEFT - 6)}" y="{_n(tick.at)}" dy="4" '
            f'text-anchor="end">{html_value(tick.label)}</text>'
            for tick in d_ticks
        )
        middle_x = _n((plane.LEFT + plane.RIGHT) / 2)
        axes = (
            f'<rect x="{left}" y="{top}" width="{_n(plane.RIGHT - plane.LEFT)}" '
            f'height="{_n(plane.BOTTOM - plane.TOP)}" fill="none" stroke="currentColor" '
            'stroke-opacity="0.6"/>\n'
            '  <g stroke="currentColor" stroke-opacity="0.25" stroke-dasharray="4 4">\n'
            f"    {lines}\n"
            "  </g>\n"
            '  <g fill="currentColor" font-size="11">\n'
            f"    {labels}\n"
            f'    <text x="{middle_x}" y="{_n(plane.BOTTOM + 40)}" text-anchor="middle" '
            f'font-weight="bold">{acceptance} →</text>\n'
            f'    <text x="{_n(plane.LEFT - 6)}" y="{_n(plane.TOP - 12)}" '
            f'text-anchor="end" font-weight="bold">{deterrence} ↑</text>\n'
            "  </g>"
        )
        texts = _PlaneTexts(
            axes=axes,
            stance=escape(gettext("Stance")),
            power=escape(gettext("Power")),
            acceptance=acceptance,
            deterrence=deterrence,
            date=escape(gettext("Date")),
        )
        _PLANE_TEXTS[language] = texts
    return texts


def plane_axes() -> SafeString:
    """The plane's frame, grid and axis labels: the same for every map in one language."""
    return mark_safe(_plane_texts().axes)  # noqa: S308 -- every value above is escaped


def _mark(point: Point, label_size: str) -> str:
    fill = escape(point.fill)
    if point.shape == "circle":
        shape = f'<circle cx="{_n(point.x)}" cy="{_n(point.y)}" r="{_n(point.r)}" fill="{fill}"/>'
    elif point.shape == "square":
        side = _n(point.side)
        shape = (
            f'<rect x="{_n(point.square_x)}" y="{_n(point.square_y)}" '
            f'width="{side}" height="{side}" fill="{fill}"/>'
        )
    else:
        shape = f'<polygon points="{escape(point.diamond)}" fill="{fill}"/>'
    return (
        f"{shape}\n"
        f'    <text x="{_n(point.label_x)}" y="{_n(point.y)}" dy="4" '
        f'text-anchor="{escape(point.label_anchor)}" font-size="{label_size}" '
        f'fill="currentColor" stroke="none">{escape(point.label)}</text>'
    )


def plane_points(points: Iterable[Point]) -> SafeString:
    """A group for each placed actor: its title (name and position, for screen readers),
    its mark and its name."""
    t = _map_texts()
    label_size = _n(plane.LABEL_SIZE)
    written = []
    for point in points:
        actor, position = point.actor, point.position
        acceptance, deterrence = _level(position.acceptance), _level(position.deterrence)
        written.append(
            f'\n  <g class="actor-point" data-actor="{actor.pk}" data-acceptance="{acceptance}" '
            f'data-deterrence="{deterrence}" stroke="currentColor" stroke-width="1.5">\n'
            f"    <title>{escape(actor.name)}: {_label(t.acceptances, position.acceptance)}; "
            f"{_label(t.deterrences, position.deterrence)}</title>\n"
            f"    {_mark(point, label_size)}\n"
            "  </g>\n  "
        )
    return mark_safe("".join(written))  # noqa: S308 -- every value above is escaped


def position_rows(points: Iterable[Point]) -> SafeString:
    """The same positions as table rows: the drawing's text equivalent."""
    t, p = _map_texts(), _plane_texts()
    link = linker("actors:actor-detail")
    short_date = dater("SHORT_DATE_FORMAT")
    written = []
    for point in points:
        actor, position = point.actor, point.position
        acceptance, deterrence = _level(position.acceptance), _level(position.deterrence)
        written.append(
            f'\n  <tr data-actor="{actor.pk}" data-acceptance="{acceptance}" '
            f'data-deterrence="{deterrence}">\n'
            f'    <th scope="row"><a href="{link(actor.pk)}">{escape(actor.name)}</a></th>\n'
            f'    <td data-label="{p.stance}">{_label(t.stances, actor.stance)}</td>\n'
            f'    <td data-label="{p.power}">{_label(t.powers, actor.power)}</td>\n'
            f'    <td data-label="{p.acceptance}">'
            f"{_label(t.acceptances, position.acceptance)}</td>\n"
            f'    <td data-label="{p.deterrence}">'
            f"{_label(t.deterrences, position.deterrence)}</td>\n"
            f'    <td data-label="{p.date}">{escape(short_date(position.positioned_on))}</td>\n'
            "  </tr>\n  "
        )
    return mark_safe("".join(written))  # noqa: S308 -- every value above is escaped
