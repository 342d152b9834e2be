"""The public contact form (/<lang>/contact/): no account, no JavaScript, no third party.
Refused in this order, as the desk's support form (ADR 0029): more than RATE posts from one
address; a filled honeypot (answered as if sent); a form token too fast or too old (the form
comes back with what was typed). A message to the Protection Desk goes to the desk the sender
chooses among those that accept requests from the public; general questions are offered when
a global team exists to read them (ADR 0061)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.core import is_ratelimited

from amparo.accounts.enums import OrganisationKind
from amparo.accounts.models import Organisation
from amparo.contact import services
from amparo.contact.enums import Team
from amparo.contact.forms import SIGNING_SALT, ContactForm
from amparo.desk.public_views import client_key
from amparo.desk.queries import accepting_desks
from amparo.library import antispam

RATE = "5/h"


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    accepting = {str(organisation.pk): organisation for organisation in accepting_desks()}
    desks = [(key, organisation.name) for key, organisation in accepting.items()]
    general = Organisation.objects.filter(
        kind=OrganisationKind.GLOBAL_TEAM, is_active=True
    ).exists()
    if request.method != "POST":
        team = request.GET.get("team", "")
        initial = {"token": antispam.new_token(SIGNING_SALT)}
        if team in Team.values:
            initial["team"] = team
        form = ContactForm(initial=initial, desks=desks, general=general)
        return render(request, "contact/form.html", {"form": form})
    limited = is_ratelimited(
        request, group="contact.form", key=client_key, rate=RATE, method="POST", increment=True
    )
    form = ContactForm(request.POST, desks=desks, general=general)
    if limited:
        return _again(request, form, status=429, limited=True)
    if request.POST.get("website"):
        return redirect("contact-public:sent")
    if not form.is_valid():
        return _again(request, form, status=422)
    data = form.cleaned_data
    desk = accepting[data["desk"]] if data["team"] == Team.DESK else None  # the form checked
    try:
        services.submit_message(
            team=data["team"],
            desk=desk,
            kind=data["kind"],
            language=translation.get_language() or "en",
            email=data["email"],
            body=data["body"],
            name=data["name"],
            subject=data["subject"],
        )
    except services.ContactError as error:
        # The desk stopped accepting messages since the form was made: the text stays.
        form.add_error("desk" if "desk" in form.fields else None, error.message)
        return _again(request, form, status=422)
    return redirect("contact-public:sent")


def _again(request: HttpRequest, form: ContactForm, *, status: int, **extra: Any) -> HttpResponse:
    data = QueryDict(mutable=True)
    data.update(form.data)
    data["token"] = antispam.new_token(SIGNING_SALT)
    form.data = data
    return render(request, "contact/form.html", {"form": form, **extra}, status=status)


@login_not_required
@require_safe
def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "contact/sent.html")
