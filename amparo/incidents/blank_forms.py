"""Forms that every visitor of a page gets blank, written once per language (ADR 0062).

The entry page's form of the facts (fourteen fields), the incident page's upload form and the
register's filters (unless the list is filtered) are unbound on every GET: their HTML then
depends only on the code, the language and, for the entry form, the registers the person
records in (their ids and names: a select, or a hidden input for one). The template language
and the field wrappers spent about 3 ms of the entry page writing the same bytes again. They
are written here once per language (and registers) through the very template the page
includes, and the page prints them; a bound form (errors, a filtered list, "More rows") is
still included as before.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, NamedTuple

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from amparo.files.forms import AttachmentUploadForm
from amparo.incidents.forms import IncidentCreateForm, IncidentFilterForm

FIELDS_TEMPLATE = "incidents/_fields.html"
FILTER_TEMPLATE = "components/form_fields.html"


class _Register(NamedTuple):
    """What `IncidentCreateForm` reads of an organisation: its id and name."""

    pk: str
    name: str


def _fields(form: Any, template: str = FIELDS_TEMPLATE) -> SafeString:
    """`{% include template with form=form %}`."""
    return mark_safe(render_to_string(template, {"form": form}))  # noqa: S308 -- autoescaped


def create_fields(form: IncidentCreateForm, organisations: Sequence[Any]) -> SafeString | None:
    """The entry form's fields when it is blank, else None (the page includes the template)."""
    if form.is_bound:
        return None
    registers = tuple(_Register(str(o.pk), str(o.name)) for o in organisations)
    return _blank_create_fields(get_language(), registers)


@functools.lru_cache(maxsize=256)
def _blank_create_fields(language: str | None, registers: tuple[_Register, ...]) -> SafeString:
    """`language` keys the labels, hints and choices; `registers` the organisation field."""
    return _fields(IncidentCreateForm(None, organisations=registers))


def upload_fields(form: AttachmentUploadForm | None) -> SafeString | None:
    """The incident page's upload form's fields when it is blank, else None."""
    if form is None or form.is_bound:
        return None
    return _blank_upload_fields(get_language())


@functools.lru_cache(maxsize=32)
def _blank_upload_fields(language: str | None) -> SafeString:
    return _fields(AttachmentUploadForm())


def filter_fields(form: IncidentFilterForm) -> SafeString | None:
    """The register's filters when none is set (the list's first page), else None."""
    if form.is_bound:
        return None
    return _blank_filter_fields(get_language())


@functools.lru_cache(maxsize=32)
def _blank_filter_fields(language: str | None) -> SafeString:
    return _fields(IncidentFilterForm(None), FILTER_TEMPLATE)
