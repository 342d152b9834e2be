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


def country_label(code: str) -> str:
    return country_name(code)
