"""Labels of the public statistics that are not model choices."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amparo.observatory.geography import country_name

DURATION_LABELS: dict[str, Any] = {
    # Translators: how long proceedings have lasted (to the outcome, or to today if pending).
    "under_1y": _("Under one year"),
    "1_3y": _("One to three years"),
    "over_3y": _("Over three years"),
    "pending": pgettext_lazy("trial outcome", "No outcome yet"),
}

DETENTION_LABELS: dict[str, Any] = {
    # Translators: how long defenders of a case were detained, in total (public statistics).
    "under_1w": _("Under a week"),
    "under_1m": _("A week to a month"),
    "1_6m": _("One to six months"),
    "6_12m": _("Six months to a year"),
    "over_1y": _("Over a year"),
    "still_detained": _("Still detained"),
}


def country_label(code: str) -> str:
    return country_name(code)
