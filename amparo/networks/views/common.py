"""What the networks pages share: a refusal shown beside its field, and a write behind
one button."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest

from amparo.core.locking import EditConflict
from amparo.core.pages import user_of
from amparo.networks import services
from amparo.networks.forms import VersionForm


def refused(form: Form, error: services.NetworkError) -> None:
    """The service's refusal beside the field it is about, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def one_button_write(
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
