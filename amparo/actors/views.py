"""Pages of the actor map and the space of action. Every object loads through queries.py;
every write goes through services.py."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.models import User
from amparo.actors import plane, queries, rows, rules, services
from amparo.actors.enums import Stance
from amparo.actors.forms import ActorEditForm, ActorForm, PositionForm, RelationForm, VersionForm
from amparo.core.conflicts import render_conflict
from amparo.core.csrf import csrf_input
from amparo.core.locking import EditConflict
from amparo.defenders.models import Defender

#: Adversaries first: the map exists to see who may act against the defenders.
STANCE_ORDER = (Stance.NEGATIVE, Stance.NEUTRAL, Stance.POSITIVE)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 -- LoginRequiredMiddleware guarantees it
    return user


def _map_url(subject: Defender | UUID) -> str:
    return reverse("actors:actor-map", args=[getattr(subject, "pk", subject)])


# --- the map ---


@require_GET
def actor_map(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    user = _user(request)
    subject = queries.get_subject_for_user(user, defender_id)
    actors = queries.actors_of(subject)
    relations = queries.relations_of(subject, actors)
    groups = [
        (Stance(stance).label, stance, [a for a in actors if a.stance == stance])
        for stance in STANCE_ORDER
    ]
    can_edit = rules.can_edit_actor_map(user, subject)
    context = {
        "subject": subject,
        "actors": actors,
        "flagged": queries.flagged_actors(actors),
        "relations": relations,
        "can_edit": can_edit,
        "stance_sections": rows.stance_sections(groups),
        "matrix_head": rows.matrix_head(actors),
        "matrix_body": rows.matrix_body(actors, relations),
        "relation_items": rows.relation_items(
            relations, can_edit=can_edit, csrf=csrf_input(get_token(request)) if can_edit else ""
        ),
    }
    return render(request, "actors/actor_map.html", context)


@require_GET
def space_of_action(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    user = _user(request)
    subject = queries.get_subject_for_user(user, defender_id)
    actors = queries.actors_of(subject)
    points = plane.points(actors)
    context = {
        "subject": subject,
        "points": points,
        "unplaced": [actor for actor in actors if actor.latest_position is None],
        "plane_axes": rows.plane_axes(),
        "plane_points": rows.plane_points(points),
        "position_rows": rows.position_rows(points),
        "plane": {"width": plane.WIDTH, "height": plane.HEIGHT},
        "can_edit": rules.can_edit_actor_map(user, subject),
        **_ctx2_warning(request, user, subject),
    }
    return render(request, "actors/space_of_action.html", context)


def _ctx2_warning(request: HttpRequest, user: User, subject: Defender) -> dict[str, Any]:
    """After a position is recorded, the page is asked for with `?recorded=<position id>`:
    when it moved the actor towards acceptance, its rivals are named (CTX-2). The ids travel
    in the URL so no name ever sits in the session."""
    raw = request.GET.get("recorded", "")
    try:
        position_id = UUID(raw) if raw else None
    except ValueError:
        position_id = None
    if position_id is None:
        return {}
    position = queries.positions_visible_to(user).filter(pk=position_id).first()
    if position is None or position.actor.subject_id != subject.pk:
        return {}
    return {"moved": position.actor, "rivals_to_watch": queries.rivals_to_watch(position)}


# --- actors ---


@require_GET
def actor_detail(request: HttpRequest, actor_id: UUID) -> HttpResponse:
    user = _user(request)
    actor = queries.get_actor_for_user(user, actor_id)
    relations = [
        relation
        for relation in queries.relations_of(actor.subject)
        if actor.pk in (relation.source_id, relation.target_id)
    ]
    context = {
        "actor": actor,
        "subject": actor.subject,
        "units": list(actor.units.order_by("created_at", "id")),
        "relations": relations,
        "positions": queries.position_history(actor),
        "can_edit": rules.can_edit_actor_map(user, actor.subject),
    }
    return render(request, "actors/actor_detail.html", context)


@require_http_methods(["GET", "POST"])
def actor_create(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    user = _user(request)
    subject = queries.get_subject_for_user(user, defender_id, for_write=True)
    form = ActorForm(request.POST or None, subject=subject)
    if request.method == "POST" and form.is_valid():
        try:
            actor = services.create_actor(subject=subject, user=user, **form.actor_fields())
        except services.ActorMapError as error:
            form.add_error("parent", error.message)
        else:
            messages.success(request, _("The actor was added to the map."))
            return redirect(actor)
    context = {"subject": subject, "form": form, "actor": None}
    return render(request, "actors/actor_form.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def actor_edit(request: HttpRequest, actor_id: UUID) -> HttpResponse:
    user = _user(request)
    actor = queries.get_actor_for_user(user, actor_id, for_write=True)
    subject = actor.subject
    if request.method != "POST":
        form = ActorEditForm(
            initial=ActorEditForm.initial_from(actor), subject=subject, instance=actor
        )
        return render(
            request, "actors/actor_form.html", {"subject": subject, "form": form, "actor": actor}
        )
    form = ActorEditForm(request.POST, subject=subject, instance=actor)
    if form.is_valid():
        try:
            services.update_actor(
                actor=actor,
                user=user,
                expected_version=form.cleaned_data["version"],
                **form.actor_fields(),
            )
        except EditConflict as conflict:
            return _actor_conflict(request, form, conflict.current)
        except services.ActorMapError as error:
            form.add_error("parent", error.message)
        else:
            messages.success(request, _("The actor was saved."))
            return redirect(actor)
    context = {"subject": subject, "form": form, "actor": actor}
    return render(request, "actors/actor_form.html", context, status=422)


def _actor_conflict(request: HttpRequest, form: ActorEditForm, current: Any) -> HttpResponse:
    """Both versions side by side, and the person's form back at the current version."""
    current = queries.get_actor_for_user(_user(request), current.pk)
    names = {str(a.pk): a.name for a in form.fields["parent"].queryset}  # type: ignore[attr-defined]
    rows: list[tuple[Any, Any, Any]] = []
    for name, field in form.fields.items():
        if name == "version":
            continue
        mine: Any = form.data.get(name, "")
        saved: Any = getattr(current, name)
        if name == "parent":
            mine = names.get(mine, "")
            saved = saved.name if saved is not None else ""
        elif getattr(field, "choices", None):
            labels = {str(value): label for value, label in field.choices}  # type: ignore[attr-defined]
            mine, saved = labels.get(str(mine), mine), labels.get(str(saved), saved)
        rows.append((field.label or name, mine, "" if saved is None else saved))
    data = dict(form.data.items())
    data["version"] = str(current.version)
    rebound = ActorEditForm(data, subject=current.subject, instance=current)
    return render_conflict(request, rows=rows, form=rebound, back_url=current.get_absolute_url())


@require_http_methods(["GET", "POST"])
def actor_delete(request: HttpRequest, actor_id: UUID) -> HttpResponse:
    user = _user(request)
    actor = queries.get_actor_for_user(user, actor_id, for_write=True)
    changed = False
    if request.method == "POST":
        form = VersionForm(request.POST)
        if not form.is_valid():
            context = {"actor": actor, "subject": actor.subject, "changed": False}
            return render(request, "actors/actor_delete.html", context, status=422)
        try:
            services.delete_actor(
                actor=actor, user=user, expected_version=form.cleaned_data["version"]
            )
        except EditConflict as conflict:
            # Someone changed the actor meanwhile: show what is saved now and ask again.
            actor = queries.get_actor_for_user(user, conflict.current.pk)
            changed = True
        else:
            messages.success(request, _("The actor was removed from the map."))
            return redirect(_map_url(actor.subject_id))
    context = {"actor": actor, "subject": actor.subject, "changed": changed}
    return render(request, "actors/actor_delete.html", context, status=409 if changed else 200)


# --- relations and positions ---


@require_http_methods(["GET", "POST"])
def relation_create(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    user = _user(request)
    subject = queries.get_subject_for_user(user, defender_id, for_write=True)
    form = RelationForm(request.POST or None, subject=subject)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_relation(
                source=data["source"],
                target=data["target"],
                kind=data["kind"],
                note=data["note"],
                user=user,
            )
        except services.ActorMapError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The relation was added."))
            return redirect(f"{_map_url(subject)}#relations")
    context = {"subject": subject, "form": form}
    return render(request, "actors/relation_form.html", context, status=422 if form.errors else 200)


@require_POST
def relation_delete(request: HttpRequest, relation_id: UUID) -> HttpResponse:
    user = _user(request)
    relation = queries.get_relation_for_user(user, relation_id, for_write=True)
    subject_id = relation.source.subject_id
    services.remove_relation(relation=relation, user=user)
    messages.success(request, _("The relation was removed."))
    return redirect(f"{_map_url(subject_id)}#relations")


@require_http_methods(["GET", "POST"])
def position_create(request: HttpRequest, actor_id: UUID) -> HttpResponse:
    user = _user(request)
    actor = queries.get_actor_for_user(user, actor_id, for_write=True)
    form = PositionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        recorded = services.record_position(actor=actor, user=user, **form.cleaned_data)
        messages.success(request, _("The position was recorded."))
        url = reverse("actors:space-of-action", args=[actor.subject_id])
        return redirect(f"{url}?recorded={recorded.position.pk}")
    context = {
        "actor": actor,
        "subject": actor.subject,
        "form": form,
        "latest": queries.latest_position_of(actor),
    }
    return render(request, "actors/position_form.html", context, status=422 if form.errors else 200)
