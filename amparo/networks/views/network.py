"""A defender's network page (contacts, tree, alerts, check-ins, follow-ups due) and the
person's own duress code."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from amparo.core.pages import form_status, user_of
from amparo.networks import queries, rows, rules, services
from amparo.networks.forms import DuressForm


@require_GET
def network(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    """Contacts, the tree, recent alerts (what to keep watching beside the closed ones), the
    waiting check-ins and the follow-ups due of one defender."""
    user = user_of(request)
    defender = queries.get_defender_for_network(user, defender_id)
    can_edit = rules.can_edit_network(user, defender)
    is_the_person = rules.is_the_person(user, defender)
    page = queries.network_page(user, defender)
    context = {
        "defender": defender,
        "contacts": page.contacts,
        "contact_rows": rows.contact_rows(page.contacts, can_edit=can_edit),
        "alerts": page.alerts,
        "alert_items": rows.alert_items(page.alerts),
        "check_ins": page.check_ins,
        "check_in_items": rows.check_in_items(
            page.check_ins, is_the_person=is_the_person, can_edit=can_edit, request=request
        ),
        "follow_ups": page.follow_ups,
        "follow_up_items": rows.follow_up_items(
            page.follow_ups, can_debrief=can_edit, request=request, with_alert=True
        ),
        "can_edit": can_edit,
        "is_the_person": is_the_person,
    }
    return render(request, "networks/network.html", context)


@require_http_methods(["GET", "POST"])
def duress_code(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    """The person's own duress code: only they set it (a code the desk knows protects no
    one from the desk being forced)."""
    user = user_of(request)
    defender = queries.get_defender_for_network(user, defender_id)
    if not rules.is_the_person(user, defender):
        raise PermissionDenied
    form = DuressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_duress_code(actor=user, defender=defender, code=form.cleaned_data["code"])
        except services.NetworkError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your duress code was saved."))
            return redirect("networks:network", defender.pk)
    context = {"form": form, "defender": defender}
    return render(request, "networks/duress_form.html", context, status=form_status(form))
