"""Django's `date` filter, with numeric formats written from a plan made once per format.

A list page shows a date or two on each of its fifty rows. Django's `dateformat.format` builds
a formatter object and walks the format string for every value (about 10 µs), while the
formats the languages use for lists (`SHORT_DATE_FORMAT`: `m/d/Y`, `d/m/Y`, `d-m-Y`, and the
times `H:i`, `G.i`) only put numbers between separators. Such a format is turned once into a
`str.format` template, and `P` (English lists' `m/d/Y P`: "9:08 a.m.", "noon") is written by
Django's own `TimeFormat.P` for the one value; everything else (month names, `N`, time
zones...) goes to Django as before. `test_formatting.py` compares both over every language's
formats and the edge dates (single digits, years before 1000, midnight, noon, aware and naive
datetimes).
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.template import defaultfilters
from django.utils import formats, timezone
from django.utils.dateformat import TimeFormat

#: Format characters written as numbers, and how; the time ones need a datetime.
_DATE_PARTS = {
    "d": "{0.day:02d}",
    "j": "{0.day}",
    "m": "{0.month:02d}",
    "n": "{0.month}",
    "Y": "{0.year:04d}",
    "y": "{1:02d}",
}
_TIME_PARTS = {
    "H": "{0.hour:02d}",
    "G": "{0.hour}",
    "i": "{0.minute:02d}",
    "s": "{0.second:02d}",
}
#: Written by Django's `TimeFormat.P`, the third value of a plan's template.
_P = "{2}"
#: Characters Django's formatter copies as they are (anything not a letter or a backslash).
_LITERAL = re.compile(r"[^A-Za-z\\]")


@functools.lru_cache(maxsize=64)
def _plan(fmt: str) -> tuple[str, bool, bool] | None:
    """(`str.format` template, needs a time, has `P`) or None when Django must write the
    format."""
    pieces: list[str] = []
    needs_time = has_p = False
    escaped = False
    for char in fmt:
        if escaped:
            pieces.append(char.replace("{", "{{").replace("}", "}}"))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in _DATE_PARTS:
            pieces.append(_DATE_PARTS[char])
        elif char in _TIME_PARTS:
            pieces.append(_TIME_PARTS[char])
            needs_time = True
        elif char == "P":
            pieces.append(_P)
            needs_time = has_p = True
        elif _LITERAL.fullmatch(char):
            pieces.append(char.replace("{", "{{").replace("}", "}}"))
        else:
            return None
    if escaped:
        return None  # a trailing backslash: Django's own behaviour decides
    return "".join(pieces), needs_time, has_p


def _write(plan: tuple[str, bool, bool], value: Any) -> str:
    return plan[0].format(value, value.year % 100, TimeFormat(value).P() if plan[2] else "")


def date(value: Any, arg: str | None = None) -> str:
    """`{{ value|date:arg }}`: the same text as Django's filter."""
    kind = type(value)
    if kind is datetime.date or kind is datetime.datetime:
        plan = _plan(formats.get_format(arg or "DATE_FORMAT"))
        if plan is not None and (kind is datetime.datetime or not plan[1]):
            return _write(plan, value)
    return str(defaultfilters.date(value, arg))


def dater(arg: str) -> Callable[[Any], str]:
    """`lambda value: date(value, arg)` for the rows of one list, as `{{ value|date:arg }}`
    writes it: an aware datetime is shown in the current time zone (the template language
    converts it before its filter), and the active language's format is planned once."""
    zone = timezone.get_current_timezone() if settings.USE_TZ else None
    plan = _plan(formats.get_format(arg))

    def write(value: Any) -> str:
        kind = type(value)
        if kind is datetime.datetime and zone is not None and value.tzinfo is not None:
            value = value.astimezone(zone)
        if plan is not None and (
            kind is datetime.datetime or (kind is datetime.date and not plan[1])
        ):
            return _write(plan, value)
        return str(defaultfilters.date(value, arg))

    return write
