"""Forms of the public pages: the browse filters (a GET form that works without JavaScript)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from amparo.observatory import queries
from amparo.observatory.enums import (
    SUBREGIONS_OF,
    InstrumentStatus,
    InstrumentType,
    JurisdictionLevel,
    Region,
    SubRegion,
)

ANY = pgettext_lazy("filter", "Any")


def _blank(choices: list[Any]) -> list[Any]:
    return [("", ANY), *choices]


def area_choices() -> list[Any]:
    """Regions, each followed by its sub-regions, grouped as the select shows them."""
    groups: list[Any] = [("", pgettext_lazy("filter", "Anywhere"))]
    for region, subregions in SUBREGIONS_OF.items():
        label = Region(region).label
        groups.append((label, [(region, label), *((s, SubRegion(s).label) for s in subregions)]))
    return groups


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


class BrowseForm(forms.Form):
    """The browse page's filters: all optional; an invalid one is dropped, its error shown."""

    q = forms.CharField(
        label=_("Words in the title, summary or authority"),
        required=False,
        max_length=200,
        help_text=_("Any language and script: part of a word is enough."),
    )
    area = forms.ChoiceField(label=_("Region"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    instrument_type = forms.ChoiceField(
        label=_("Type"), required=False, choices=_blank(list(InstrumentType.choices))
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(list(InstrumentStatus.choices))
    )
    level = forms.ChoiceField(
        label=_("Jurisdiction"), required=False, choices=_blank(list(JurisdictionLevel.choices))
    )
    year = forms.IntegerField(
        label=_("Year of adoption"), required=False, min_value=1800, max_value=2200
    )
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(
        self,
        *args: Any,
        countries: list[tuple[str, str]],
        languages: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = area_choices()  # type: ignore[attr-defined]
        self.fields["country"].choices = _blank(countries)  # type: ignore[attr-defined]
        codes = sorted({code for code, _name in settings.LANGUAGES} | set(languages))
        self.fields["language"].choices = _blank(  # type: ignore[attr-defined]
            sorted(((code, language_name(code)) for code in codes), key=lambda pair: pair[1])
        )

    def filters(self) -> queries.BrowseFilters:
        if not self.is_bound:
            return queries.BrowseFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return queries.BrowseFilters(
            area=data.get("area") or "",
            country=data.get("country") or "",
            instrument_type=data.get("instrument_type") or "",
            status=data.get("status") or "",
            year=data.get("year"),
            language=data.get("language") or "",
            level=data.get("level") or "",
            text=(data.get("q") or "").strip(),
        )

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)


class TimelineForm(forms.Form):
    area = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = area_choices()  # type: ignore[attr-defined]

    def chosen_area(self) -> str:
        if not self.is_bound or not self.is_valid():
            return ""
        return str(self.cleaned_data.get("area") or "")
