"""Pages of the networks module: a defender's network (contacts, tree, alerts, check-ins),
raising an alert, the alert page, check-ins and the public acknowledgement page."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.permissions import Perm
from amparo.core.conflicts import render_conflict, rows_from_form
from amparo.core.htmx import if_none_match, stop_polling_when_gone
from amparo.core.locking import EditConflict
from amparo.core.pages import form_status, rebound, user_of
from amparo.core.paging import cursor, keyset_page
from amparo.defenders.models import Defender
from amparo.defenders.queries import defender_of_user
from amparo.defenders.rules import organisations_with
from amparo.networks import queries, rules, services
from amparo.networks.enums import (
    DEBRIEF_AFTER,
    AlertState,
    CheckInState,
    Disclosure,
    LocationPrecision,
)
from amparo.networks.forms import (
    AlertForm,
    CheckInDoneForm,
    CheckInForm,
    CloseAlertForm,
    ContactForm,
    DebriefForm,
    DuressForm,
    FollowUpForm,
    StepForm,
    VersionForm,
)
from amparo.networks.models import Alert, AlertDelivery, Contact, Debrief, EscalationStep

PAGE_SIZE = 50
#: While an alert is open, its page asks for its panel of who was told and who answered this
#: often (htmx; ADR 0057)...
POLL_SECONDS = 5
#: ...for this long after the page was loaded. Every poll counts as activity for the session's
#: idle timeout (SECURITY.md SES-01): a page left open must not keep it alive for ever.
POLL_MINUTES = 15
CONTACT_CONFLICT_FIELDS = (
    "name",
    "relation",
    "tie",
    "preferred_channel",
    "languages",
    "disclosure",
)


def _refused(form: Form, error: services.NetworkError) -> None:
    """The service's refusal beside the field it is about, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _one_button_write(
    request: HttpRequest,
    write: Callable[..., object],
    *,
    changed: str,
    done: str,
    **target: Any,
) -> None:
    """A write behind one button (the version the page showed, hidden): its outcome as a
    message on the page the view redirects to; `changed` when the version moved on."""
    form = VersionForm(request.POST)
    if not form.is_valid():
        return
    try:
        write(actor=user_of(request), expected_version=form.cleaned_data["version"], **target)
    except EditConflict:
        messages.error(request, changed)
    except services.NetworkError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)


# --- the network page ---


@require_GET
def network(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    """Contacts, the tree, recent alerts (what to keep watching beside the closed ones), the
    waiting check-ins and the follow-ups due of one defender."""
    user = user_of(request)
    defender = queries.get_defender_for_network(user, defender_id)
    contacts = list(queries.contacts_of(defender))
    alerts = list(queries.alerts_visible_to(user).filter(defender=defender)[:10])
    check_ins = list(
        queries.check_ins_visible_to(user).filter(defender=defender, state=CheckInState.SCHEDULED)[
            :10
        ]
    )
    context = {
        "defender": defender,
        "contacts": contacts,
        "alerts": alerts,
        "check_ins": check_ins,
        "follow_ups": list(queries.follow_ups_due(user, defender)[:10]),
        "can_edit": rules.can_edit_network(user, defender),
        "is_the_person": rules.is_the_person(user, defender),
    }
    return render(request, "networks/network.html", context)


# --- contacts ---


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


# --- the escalation tree ---


def _tree_conflict(request: HttpRequest, defender: Defender) -> HttpResponse:
    messages.error(
        request,
        _(
            "Someone changed this escalation tree while you were editing it. Here it is as "
            "saved now; what you chose is below, to save again."
        ),
    )
    return tree(request, defender.pk, keep=True)


@require_http_methods(["GET", "POST"])
def tree(request: HttpRequest, defender_id: UUID, *, keep: bool = False) -> HttpResponse:
    """The tree's steps in order, and a form to add a last step."""
    user = user_of(request)
    defender = queries.get_defender_for_network(user, defender_id)
    can_edit = rules.can_edit_network(user, defender)
    if request.method == "POST" and not keep and not can_edit:
        raise PermissionDenied
    escalation = queries.tree_of(defender)
    version = escalation.version if escalation is not None else 0
    contacts = queries.contacts_of(defender)
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and keep:
        data["version"] = str(version)
    form = StepForm(data, contacts=contacts, initial={"version": version})
    if request.method == "POST" and not keep and form.is_valid():
        try:
            services.add_step(
                actor=user,
                defender=defender,
                expected_version=form.cleaned_data["version"],
                contacts=form.cleaned_data["contacts"],
                wait_minutes=form.cleaned_data["wait_minutes"],
            )
        except EditConflict:
            return _tree_conflict(request, defender)
        except services.NetworkError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The step was added."))
            return redirect("networks:tree", defender.pk)
    context = {
        "defender": defender,
        "tree": escalation,
        "steps": list(escalation.steps.all()) if escalation is not None else [],
        "form": form if can_edit else None,
        "can_edit": can_edit,
        "version": version,
    }
    return render(request, "networks/tree.html", context, status=409 if keep else form_status(form))


@require_http_methods(["GET", "POST"])
def step_edit(request: HttpRequest, step_id: UUID) -> HttpResponse:
    user = user_of(request)
    step: EscalationStep = queries.get_step_for_user(user, step_id, for_write=True)
    defender = step.tree.defender
    form = StepForm(
        request.POST if request.method == "POST" else None,
        contacts=queries.contacts_of(defender),
        initial={
            "contacts": list(step.contacts.values_list("pk", flat=True)),
            "wait_minutes": step.wait_minutes,
            "version": step.tree.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_step(
                actor=user,
                step=step,
                expected_version=form.cleaned_data["version"],
                contacts=form.cleaned_data["contacts"],
                wait_minutes=form.cleaned_data["wait_minutes"],
            )
        except EditConflict:
            return _tree_conflict(request, defender)
        except services.NetworkError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The step was saved."))
            return redirect("networks:tree", defender.pk)
    context = {"form": form, "defender": defender, "step": step}
    return render(request, "networks/step_form.html", context, status=form_status(form))


@require_POST
def step_remove(request: HttpRequest, step_id: UUID) -> HttpResponse:
    user = user_of(request)
    step = queries.get_step_for_user(user, step_id, for_write=True)
    defender = step.tree.defender
    form = VersionForm(request.POST)
    if not form.is_valid():
        return redirect("networks:tree", defender.pk)
    try:
        services.remove_step(actor=user, step=step, expected_version=form.cleaned_data["version"])
    except EditConflict:
        return _tree_conflict(request, defender)
    messages.success(request, _("The step was removed."))
    return redirect("networks:tree", defender.pk)


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


# --- alerts ---


@require_http_methods(["GET", "POST"])
def alert_create(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    user = user_of(request)
    defender = queries.get_defender_for_network(user, defender_id, for_write=True)
    form = AlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        alert = services.raise_alert(actor=user, defender=defender, **form.cleaned_data)
        messages.success(request, _("The alert was raised: the network is being told."))
        return redirect(alert)
    steps = queries.tree_of(defender)
    context = {"form": form, "defender": defender, "has_tree": steps is not None}
    return render(request, "networks/alert_form.html", context, status=form_status(form))


@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    alerts = queries.alerts_visible_to(request.user)
    state = request.GET.get("state", "")
    if state in AlertState.values:
        alerts = alerts.filter(state=state)
    page = keyset_page(
        alerts, order=queries.ALERT_ORDER, after=cursor(request.GET.get("after")), size=PAGE_SIZE
    )
    context = {
        "page": page,
        "alerts": page.rows,
        "states": AlertState.choices,
        "state": state,
        # A defender starts here (the header's "Alerts"): their own network, check-ins and
        # the button to raise an alert. Desk staff have no record of their own: no query.
        "own": None if _is_desk_staff(request.user) else defender_of_user(request.user),
    }
    return render(request, "networks/alert_list.html", context)


def _is_desk_staff(user: Any) -> bool:
    return bool(organisations_with(user, Perm.NETWORKS_VIEW))


def _panel_etag(alert: Alert, tally: queries.DeliveryTally) -> str:
    """The version of the panel as the person sees it: the alert's state and step, the tally
    of its deliveries and the language it is written in."""
    shown = repr((alert.pk, alert.version, alert.state, alert.step, translation.get_language()))
    digest = hashlib.sha256(f"{shown}|{tally!r}".encode()).hexdigest()[:20]
    return f'"alert-panel-{digest}"'


def _panel(
    alert: Alert,
    deliveries: list[AlertDelivery],
    tally: queries.DeliveryTally,
    *,
    until: int | None,
) -> dict[str, Any]:
    """What the panel of who was told and who answered needs; `poll_url` only while it is
    polled (`until`, the end of polling, is None once it is not)."""
    url = reverse("networks:alert-deliveries", args=[alert.pk])
    return {
        "deliveries": deliveries,
        "told": sum(1 for d in deliveries if d.sent_at),
        "answered": sum(1 for d in deliveries if d.acknowledged_at),
        "etag": _panel_etag(alert, tally),
        "poll_url": f"{url}?until={until}" if until is not None else "",
        "poll_seconds": POLL_SECONDS,
    }


def _polled(alert: Alert, until: int) -> bool:
    """The panel is polled while the alert is open, until POLL_MINUTES after the page."""
    return alert.is_open and timezone.now().timestamp() < until


@require_GET
@never_cache
def alert_detail(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    """Who has been told and who answered. With JavaScript the panel updates itself while the
    alert is open (alert_deliveries); a plain reload link refreshes it without."""
    user = user_of(request)
    alert = queries.get_alert_for_user(user, alert_id)
    deliveries = list(queries.deliveries_of(alert))
    can_edit = rules.can_edit_network(user, alert.defender)
    until = int(timezone.now().timestamp()) + POLL_MINUTES * 60
    context = {
        "alert": alert,
        "defender": alert.defender,
        **_panel(
            alert, deliveries, queries.tally_of(deliveries), until=until if alert.is_open else None
        ),
        "debrief": queries.debrief_of(alert),
        "can_edit": can_edit and alert.is_open,
        "can_debrief": can_edit and alert.state in DEBRIEF_AFTER,
    }
    return render(request, "networks/alert_detail.html", context)


def _poll_until(request: HttpRequest) -> int:
    """Until when the page may poll (a timestamp it was given when loaded); 0 when missing."""
    try:
        return int(request.GET.get("until", ""))
    except ValueError:
        return 0


@require_GET
@never_cache
@stop_polling_when_gone("networks/alert_detail.html#alert-deliveries-gone")
def alert_deliveries(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    """The alert page's panel alone, which htmx asks for every POLL_SECONDS with the version it
    shows (If-None-Match), through the page's own access path.

    While nothing it shows has changed the answer is a 304 with no body: one aggregate query,
    nothing decrypted, so nothing audited. When something changed, the panel is rendered
    again: the contacts' names are read, and that read is audited as the page's is. Once the
    alert is closed, or POLL_MINUTES after the page was loaded, the panel comes back without
    its trigger, saying why, and the polling stops (ADR 0057). An alert the person may not
    see (any more) answers htmx with a 286 and a panel that says nothing of it: polling
    stops, as it does for an alert that never existed."""
    user = user_of(request)
    alert = queries.get_alert_for_user(user, alert_id)
    tally = queries.delivery_tally(alert)
    until = _poll_until(request)
    etag = _panel_etag(alert, tally)
    polled = _polled(alert, until)
    if polled and etag in if_none_match(request):
        response: HttpResponse = HttpResponseNotModified()
    else:
        context = {
            "alert": alert,
            **_panel(
                alert, list(queries.deliveries_of(alert)), tally, until=until if polled else None
            ),
            "stopped": "" if polled else _stopped(alert),
        }
        response = render(request, "networks/alert_detail.html#alert-deliveries", context)
    response["ETag"] = etag
    return response


def _stopped(alert: Alert) -> str:
    if not alert.is_open:
        return _("The alert was closed: reload the page to see how it ended.")
    return _(
        "This list no longer updates by itself: reload the page to see who has answered since."
    )


@require_http_methods(["GET", "POST"])
def alert_close(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    """Close the alert once its source no longer poses a threat (NET-3), or lower it and keep
    it open. A refusal comes back beside its field, with everything typed kept."""
    user = user_of(request)
    alert = queries.get_alert_for_user(user, alert_id, for_write=True)
    if not alert.is_open:
        messages.info(request, _("This alert is already closed."))
        return redirect(alert)
    form = CloseAlertForm(
        request.POST if request.method == "POST" else None, initial={"version": alert.version}
    )
    status = 0
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if form.lowering:
                services.lower_alert(
                    actor=user,
                    alert=alert,
                    expected_version=data["version"],
                    reason=data["reason"],
                    watch=data["watch"],
                )
            else:
                services.close_alert(
                    actor=user,
                    alert=alert,
                    expected_version=data["version"],
                    outcome=data["outcome"],
                    source_threat=data["source_threat"],
                    reason=data["reason"],
                    watch=data["watch"],
                    explanation=data["explanation"],
                )
        except EditConflict as error:
            current = error.current
            assert isinstance(current, Alert)  # noqa: S101
            if not current.is_open:
                messages.info(request, _("This alert is already closed."))
                return redirect(current)
            # What was typed stays; the version moves on, so saving again is deliberate.
            form = CloseAlertForm(rebound(request, current.version))
            form.is_valid()
            form.add_error(None, _("Someone changed this alert meanwhile: look again first."))
            alert = queries.get_alert_for_user(user, alert_id, for_write=True)
            status = 409
        except services.NetworkError as error:
            _refused(form, error)
        else:
            if form.lowering:
                messages.success(request, _("The alert was lowered: it stays open."))
            else:
                messages.success(request, _("The alert was closed."))
            return redirect(alert)
    context = {"form": form, "alert": alert, "defender": alert.defender}
    return render(request, "networks/alert_close.html", context, status=status or form_status(form))


def _debrief_page(
    request: HttpRequest,
    alert: Alert,
    *,
    form: DebriefForm | None = None,
    follow_up_form: FollowUpForm | None = None,
) -> HttpResponse:
    debrief = queries.debrief_of(alert)
    form = form or DebriefForm(initial=DebriefForm.initial_for(debrief))
    follow_up_form = follow_up_form or FollowUpForm()
    context = {
        "alert": alert,
        "debrief": debrief,
        "form": form,
        "follow_up_form": follow_up_form,
        "follow_ups": list(queries.follow_ups_of(request.user, alert.pk)),
    }
    status = 422 if form.errors or follow_up_form.errors else 200
    return render(request, "networks/alert_debrief.html", context, status=status)


def _debriefable(request: HttpRequest, alert_id: UUID) -> Alert | HttpResponse:
    """The alert, for writing its debrief and follow-ups; while it is still raised, back to
    its page with why."""
    alert = queries.get_alert_for_user(user_of(request), alert_id, for_write=True)
    if alert.state not in DEBRIEF_AFTER:
        messages.info(
            request,
            _("The debrief comes once the alert has been acknowledged, lowered or closed."),
        )
        return redirect(alert)
    return alert


@require_http_methods(["GET", "POST"])
def alert_debrief(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    """NET-2: what happened, what the network did, what worked and what did not; the
    follow-up actions below."""
    alert = _debriefable(request, alert_id)
    if isinstance(alert, HttpResponse):
        return alert
    if request.method != "POST":
        return _debrief_page(request, alert)
    form = DebriefForm(request.POST)
    if form.is_valid():
        try:
            services.record_debrief(
                actor=user_of(request),
                alert=alert,
                expected_version=form.cleaned_data["version"],
                **{name: form.cleaned_data[name] for name in services.DEBRIEF_FIELDS},
            )
        except EditConflict as error:
            current = error.current
            assert isinstance(current, Debrief)  # noqa: S101
            return render_conflict(
                request,
                rows=rows_from_form(form, current, services.DEBRIEF_FIELDS),
                form=DebriefForm(rebound(request, current.version)),
                back_url=alert.get_absolute_url(),
            )
        except services.NetworkError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The debrief was saved."))
            return redirect(alert)
    return _debrief_page(request, alert, form=form)


@require_POST
def follow_up_create(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    alert = _debriefable(request, alert_id)
    if isinstance(alert, HttpResponse):
        return alert
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.add_follow_up(actor=user_of(request), alert=alert, **form.cleaned_data)
        except services.NetworkError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The follow-up was added."))
            return redirect("networks:alert-debrief", alert.pk)
    return _debrief_page(request, alert, follow_up_form=form)


@require_POST
def follow_up_done(request: HttpRequest, follow_up_id: UUID) -> HttpResponse:
    user = user_of(request)
    follow_up = queries.get_follow_up_for_user(user, follow_up_id, for_write=True)
    _one_button_write(
        request,
        services.complete_follow_up,
        changed=_("Someone changed this follow-up meanwhile: look again."),
        done=_("The follow-up is done."),
        follow_up=follow_up,
    )
    return redirect(follow_up.alert)


# --- check-ins ---


@require_http_methods(["GET", "POST"])
def check_in_create(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    user = user_of(request)
    defender = queries.get_defender_for_network(user, defender_id, for_write=True)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.schedule_check_in(actor=user, defender=defender, **form.cleaned_data)
        messages.success(request, _("The check-in was scheduled."))
        return redirect("networks:network", defender.pk)
    context = {"form": form, "defender": defender}
    return render(request, "networks/check_in_form.html", context, status=form_status(form))


@require_POST
def check_in_done(request: HttpRequest) -> HttpResponse:
    """One tap: "I am safe". The answer is the same page, byte for byte apart from the CSRF
    token, whether or not a duress code was given (ADR 0032): no message, no redirect that
    could differ, nothing about the check-in itself."""
    user = user_of(request)
    form = CheckInDoneForm(request.POST)
    if not form.is_valid():
        raise Http404
    check_in = queries.get_check_in_for_user(user, form.cleaned_data["check_in"], for_write=True)
    code = form.cleaned_data["code"]
    services.check_in_done(actor=user, check_in=check_in, code=code)
    return render(request, "networks/check_in_done.html", {})


@require_POST
def check_in_cancel(request: HttpRequest, check_in_id: UUID) -> HttpResponse:
    user = user_of(request)
    check_in = queries.get_check_in_for_user(user, check_in_id, for_write=True)
    _one_button_write(
        request,
        services.cancel_check_in,
        changed=_("Someone changed this check-in meanwhile: look again."),
        done=_("The check-in was cancelled."),
        check_in=check_in,
    )
    return redirect("networks:network", check_in.defender_id)


# --- acknowledging from the link (public) ---


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def ack(request: HttpRequest, token: str) -> HttpResponse:
    """The link a contact received. GET shows what they may be told and a button (link
    previews and scanners fetch GETs: only the POST acknowledges). Unknown, used and expired
    links get one and the same answer, so nothing can be probed."""
    if request.method == "POST":
        delivery = services.acknowledge(token)
        if delivery is None:
            return render(request, "networks/ack_invalid.html", {}, status=404)
        return render(request, "networks/ack_done.html", {})
    delivery = services.delivery_for_token(token)
    if delivery is None:
        return render(request, "networks/ack_invalid.html", {}, status=404)
    alert, disclosure = delivery.alert, delivery.contact.disclosure
    context = {
        "token": token,
        "show_message": disclosure != Disclosure.ALERT_ONLY,
        "show_location": disclosure == Disclosure.MESSAGE_LOCATION
        and alert.location_precision != LocationPrecision.NONE,
        "alert": alert,
    }
    return render(request, "networks/ack.html", context)
