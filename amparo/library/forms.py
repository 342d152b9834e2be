"""Forms of the library: the librarians' pages, public browsing and the request form. Plain
forms; the services write."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import validate_slug
from django.utils.translation import gettext_lazy as _

from amparo.library import antispam
from amparo.library.enums import (
    Audience,
    Licence,
    RequestKind,
    RequestStatus,
    ResourceKind,
    Topic,
)
from amparo.library.queries import Filters

#: Slugs that name pages of the public library, so no resource may take them.
RESERVED_SLUGS = frozenset({"request", "versions", "resources"})
COUNTRY = re.compile(r"^[A-Z]{2}$")
SIGNING_SALT = "amparo.library.request-form"


def _codes(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,\s]+", value) if part.strip()]


class ResourceForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=300)
    slug = forms.SlugField(
        label=_("Address name"),
        max_length=120,
        help_text=_("Lower-case letters, numbers and hyphens; part of the public address."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    series_number = forms.IntegerField(
        label=_("Number in the manuals series"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("Protection manuals only."),
    )
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    authors = forms.CharField(label=_("Authors"), max_length=500, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2200)
    licence = forms.ChoiceField(label=_("Licence"), choices=Licence.choices)
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    audiences = forms.MultipleChoiceField(
        label=_("Audiences"),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    countries = forms.CharField(
        label=_("Countries"),
        required=False,
        max_length=300,
        help_text=_("Two-letter codes separated by commas, e.g. CO, GT, KE."),
    )
    related = forms.CharField(
        label=_("Related resources"),
        required=False,
        max_length=1000,
        help_text=_("Their address names, separated by commas."),
    )

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        validate_slug(slug)
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This address name is reserved; choose another."))
        return slug

    def clean_countries(self) -> list[str]:
        codes = [code.upper() for code in _codes(self.cleaned_data["countries"])]
        wrong = [code for code in codes if not COUNTRY.match(code)]
        if wrong:
            raise forms.ValidationError(
                _("Not a two-letter country code: %(codes)s") % {"codes": ", ".join(wrong)}
            )
        return codes

    def clean_related(self) -> list[str]:
        return _codes(self.cleaned_data["related"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") != ResourceKind.MANUAL:
            data["series_number"] = None
        return data


class VersionForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_("Title in this language"), max_length=300)
    summary = forms.CharField(
        label=_("Summary in this language"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, plain text, audio (MP3, M4A, OGG) or video (MP4)."),
    )
    url = forms.URLField(
        label=_("Or an address"),
        required=False,
        max_length=1000,
        help_text=_("For a resource hosted elsewhere."),
        assume_scheme="https",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(_("Give either a file or an address, not both."))
        return data


class CoverForm(forms.Form):
    cover = forms.FileField(label=_("Cover image"), help_text=_("JPEG or PNG."))


class StateForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    to = forms.ChoiceField(choices=[])

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = choices  # type: ignore[attr-defined]


class RequestStatusForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=RequestStatus.choices)


def _any(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class BrowseForm(forms.Form):
    """The public list's filters (GET)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=_any(_("All kinds")) + ResourceKind.choices, required=False
    )
    topic = forms.ChoiceField(
        label=_("Topic"), choices=_any(_("All topics")) + Topic.choices, required=False
    )
    language = forms.ChoiceField(
        label=_("Available in"),
        choices=_any(_("All languages")) + list(settings.LANGUAGES),
        required=False,
    )
    audience = forms.ChoiceField(
        label=_("Audience"), choices=_any(_("All audiences")) + Audience.choices, required=False
    )
    country = forms.CharField(
        label=_("Country"),
        required=False,
        max_length=2,
        help_text=_("Two-letter code, e.g. GT."),
    )

    def clean_country(self) -> str:
        code = str(self.cleaned_data["country"]).strip().upper()
        if code and not COUNTRY.match(code):
            raise forms.ValidationError(_("Give a two-letter country code."))
        return code

    def filters(self) -> Filters:
        if not self.is_bound or not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            query=data["q"].strip(),
            kind=data["kind"],
            topic=data["topic"],
            language=data["language"],
            audience=data["audience"],
            country=data["country"],
        )

    @property
    def is_filtered(self) -> bool:
        return self.filters() != Filters()


class CopyRequestForm(forms.Form):
    """The public "request copies or links" form. `website` is a honeypot."""

    kind = forms.ChoiceField(label=_("What would you like?"), choices=RequestKind.choices)
    language = forms.ChoiceField(
        label=_("In which language?"),
        choices=_any(_("Any language")) + list(settings.LANGUAGES),
        required=False,
    )
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("Only to answer you. We keep it encrypted."),
        max_length=254,
    )
    name = forms.CharField(label=_("Your name or organisation"), required=False, max_length=200)
    message = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Optional: which resources, how many copies, for what."),
    )
    postal_address = forms.CharField(
        label=_("Postal address for printed copies"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only if you ask for printed copies and it is safe to receive them there."),
    )
    website = antispam.honeypot_field()
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        antispam.check_token(self, data.get("token") or "", SIGNING_SALT)
        return data
