"""Spam protection for public forms, with no third party (the desk's approach, ADR 0029):
a honeypot field people never see, and a signed, timestamped form token that refuses a post
sent faster than a person types or from a page left open for hours. Used by the library's
request form and the contact desk."""

from __future__ import annotations

import secrets
import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

#: Faster than this is a script, not a person typing (seconds).
MIN_SECONDS = 3
#: Older than this, the page was left open too long (seconds): a fresh token is given.
MAX_SECONDS = 2 * 3600


def new_token(salt: str) -> str:
    return signing.TimestampSigner(salt=salt).sign(secrets.token_urlsafe(8))


def check_token(form: forms.Form, token: str, salt: str) -> None:
    """Adds a form-wide error when the token is bad, too young or too old."""
    signer = signing.TimestampSigner(salt=salt)
    try:
        signer.unsign(token, max_age=MAX_SECONDS)
    except signing.SignatureExpired:
        form.add_error(
            None, _("This page was open for too long. Please check your text and send it again.")
        )
        return
    except signing.BadSignature:
        form.add_error(None, _("The form could not be checked. Please send it again."))
        return
    timestamp = signing.b62_decode(token.rsplit(":", 2)[1])
    if time.time() - timestamp < MIN_SECONDS:
        form.add_error(None, _("That was very fast. Please check your text and send it again."))


def honeypot_field() -> forms.CharField:
    field = forms.CharField(label=_("Leave this field empty"), required=False)
    field.widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
    return field
