"""Contacts of a network: adding, editing, and removing one after a page that says what
happens to the escalation tree."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from amparo.core.conflicts import render_conflict, rows_from_form
from amparo.core.locking import EditConflict
from amparo.core.pages import form_status, user_of
from amparo.networks import queries, services
from amparo.networks.forms import ContactForm, VersionForm
from amparo.networks.models import Contact

CONTACT_CONFLICT_FIELDS = (
    "name",
    "relation",
    "tie",
    "preferred_channel",
    "languages",
    "disclosure",
)


@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    user = user_of(request)
    defender = queries.get_defender_for_network(user, defender_id, for_write=True)
    form = ContactForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_contact(actor=user, defender=defender, **form.values())
        except services.NetworkError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The contact was added."))
            return redirect("networks:network", defender.pk)
    context = {"form": form, "defender": defender}
    return render(request, "networks/contact_form.html", context, status=form_status(form))


@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, contact_id: UUID) -> HttpResponse:
    user = user_of(request)
    contact = queries.get_contact_for_user(user, contact_id, for_write=True)
    defender = contact.defender
    form = ContactForm(
        request.POST if request.method == "POST" else None,
        initial=ContactForm.initial_for(contact),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_contact(
                contact=contact,
                actor=user,
                expected_version=form.cleaned_data["version"],
                changes=form.values(),
            )
        except EditConflict as error:
            current = error.current
            assert isinstance(current, Contact)  # noqa: S101
            data = request.POST.copy()
            data["version"] = str(current.version)
            return render_conflict(
                request,
                rows=rows_from_form(form, current, CONTACT_CONFLICT_FIELDS),
                form=ContactForm(data, initial=ContactForm.initial_for(current)),
                back_url=reverse("networks:network", args=[defender.pk]),
            )
        except services.NetworkError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The contact was saved."))
            return redirect("networks:network", defender.pk)
    context = {"form": form, "defender": defender, "contact": contact}
    return render(request, "networks/contact_form.html", context, status=form_status(form))


def _removal_page(
    request: HttpRequest, contact: Contact, *, error: str = "", status: int = 200
) -> HttpResponse:
    """What removing the contact will do, before it is done: the steps it leaves, whether the
    tree is left empty, or why it cannot be removed now."""
    steps = queries.steps_with(contact)
    alone = sum(1 for step in steps if step["size"] == 1)
    context = {
        "contact": contact,
        "defender": contact.defender,
        "steps": steps,
        "empties_tree": bool(steps) and alone == queries.tree_size(contact.defender_id),
        "refusal": services.removal_refusal(contact, user_of(request)),
        "error": error,
    }
    return render(request, "networks/contact_remove.html", context, status=status)


@require_http_methods(["GET", "POST"])
def contact_remove(request: HttpRequest, contact_id: UUID) -> HttpResponse:
    """Remove a contact from the network, after a confirmation page that says what happens
    to the escalation tree. Refused while the contact is being told of an open alert."""
    user = user_of(request)
    contact = queries.get_contact_for_user(user, contact_id, for_write=True)
    if request.method != "POST":
        return _removal_page(request, contact)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _removal_page(request, contact, status=422)
    try:
        removal = services.remove_contact(
            actor=user, contact=contact, expected_version=form.cleaned_data["version"]
        )
    except EditConflict as error:
        current = error.current
        assert isinstance(current, Contact)  # noqa: S101
        if current.removed_at is not None:
            messages.info(request, _("This contact was removed from the network."))
            return redirect("networks:network", contact.defender_id)
        current.defender = contact.defender
        message = _("Someone changed this contact meanwhile: look again first.")
        return _removal_page(request, current, error=message, status=409)
    except services.NetworkError as error:
        return _removal_page(request, contact, error=error.message, status=422)
    messages.success(
        request,
        _(
            "The contact was removed from the network and their details were erased. Past "
            "alerts show them as a removed contact."
        ),
    )
    if removal.steps_removed:
        messages.info(
            request,
            ngettext(
                "%(count)d step of the escalation tree told only them: it was removed.",
                "%(count)d steps of the escalation tree told only them: they were removed.",
                removal.steps_removed,
            )
            % {"count": removal.steps_removed},
        )
    if removal.had_tree and not removal.steps_left:
        messages.warning(
            request,
            _("The escalation tree has no step left: an alert would reach nobody. Add a step."),
        )
    return redirect("networks:network", contact.defender_id)
