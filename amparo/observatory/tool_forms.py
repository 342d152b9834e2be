"""Forms of the observatory's two tools: the comparison of countries (a GET form, so its
address can be shared) and the design assistant's checklist (POSTed, so the drafter's notes
never travel in an address)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from amparo.observatory.compare import MAX_COUNTRIES, MIN_COUNTRIES, is_known, region_groups
from amparo.observatory.design_services import NOTE_MAX
from amparo.observatory.geography import country_name
from amparo.observatory.models import Criterion, DesignChecklist

# --- compare ---


class CompareForm(forms.Form):
    """`?c=CO&c=MX...`: two to six ISO codes, in the reader's order. Codes are read in any
    case; an unknown one is named in the error, and the known ones stay chosen."""

    # Rendered by the template as checkboxes grouped by region (`groups`); any country the
    # observatory knows may be compared, not only those listed, so no choices to validate.
    c = forms.Field(
        label=gettext_lazy("Countries"), required=False, widget=forms.MultipleHiddenInput
    )

    def __init__(self, data: QueryDict | None, *, choices: Sequence[tuple[str, str]]) -> None:
        if data is not None:
            data = data.copy()
            data.setlist("c", self._normalised(data.getlist("c")))
        super().__init__(data)
        listed = dict(choices)
        # A known country without records may come through a shared address: list it too.
        extra = [(code, country_name(code)) for code in self.chosen if code not in listed]
        self.groups = region_groups([*choices, *extra], self.chosen)

    @staticmethod
    def _normalised(values: list[str]) -> list[str]:
        seen: dict[str, None] = {}
        for value in values[:50]:  # an address can repeat `c` at will; the error need not
            code = value.strip().upper()[:10]
            if code:
                seen.setdefault(code, None)
        return list(seen)

    @property
    def requested(self) -> list[str]:
        if not isinstance(self.data, QueryDict):
            return []
        return self.data.getlist("c")

    @property
    def chosen(self) -> list[str]:
        """The known countries asked for, in order: what the form shows as chosen."""
        return [code for code in self.requested if is_known(code)]

    @property
    def unknown(self) -> list[str]:
        return [code for code in self.requested if not is_known(code)]

    def clean_c(self) -> list[str]:
        if self.unknown:
            raise forms.ValidationError(
                ngettext(
                    "There is no country with the code %(codes)s. Choose from the list below.",
                    "There are no countries with the codes %(codes)s. Choose from the list below.",
                    len(self.unknown),
                )
                % {"codes": ", ".join(self.unknown)},
                code="unknown",
            )
        codes = self.chosen
        if len(codes) < MIN_COUNTRIES:
            raise forms.ValidationError(
                _("Choose at least two countries to compare."), code="too_few"
            )
        if len(codes) > MAX_COUNTRIES:
            raise forms.ValidationError(
                _("Choose at most six countries; you chose %(count)s.") % {"count": len(codes)},
                code="too_many",
            )
        return codes


# --- the design assistant ---


def covered_name(criterion: Criterion) -> str:
    return f"covered-{criterion.pk}"


def note_name(criterion: Criterion) -> str:
    return f"note-{criterion.pk}"


class DesignForm(forms.Form):
    """The checklist: a title, then per criterion "my draft covers this" and a note."""

    title = forms.CharField(
        label=gettext_lazy("What are you drafting?"),
        required=False,
        max_length=200,
        help_text=gettext_lazy(
            "For example: draft law on the protection of human rights defenders. Needed to "
            "save the checklist, not to print it."
        ),
    )

    def __init__(
        self, *args: Any, criteria: Sequence[Criterion], language: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            name = criterion.text("name", language)
            self.fields[covered_name(criterion)] = forms.BooleanField(
                label=_("My draft covers this: %(criterion)s") % {"criterion": name},
                required=False,
            )
            self.fields[note_name(criterion)] = forms.CharField(
                label=_("Notes on %(criterion)s") % {"criterion": name},
                required=False,
                max_length=NOTE_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def answers(self) -> dict[str, dict[str, Any]]:
        """`{criterion id: {"covered": bool, "note": str}}` from the cleaned data."""
        data = self.cleaned_data
        return {
            str(criterion.pk): {
                "covered": bool(data.get(covered_name(criterion))),
                "note": str(data.get(note_name(criterion)) or "").strip(),
            }
            for criterion in self.criteria
        }

    def hidden_copy(self) -> list[tuple[str, str]]:
        """(name, value) of every answer, to post the same checklist again from the printable
        summary ("save it") without typing it twice. The title is asked for there in view."""
        pairs: list[tuple[str, str]] = []
        for criterion in self.criteria:
            if self.cleaned_data.get(covered_name(criterion)):
                pairs.append((covered_name(criterion), "on"))
            note = str(self.cleaned_data.get(note_name(criterion)) or "")
            if note:
                pairs.append((note_name(criterion), note))
        return pairs

    @staticmethod
    def initial_from(design: DesignChecklist) -> dict[str, Any]:
        initial: dict[str, Any] = {"title": design.title}
        for key, answer in design.answers.items():
            initial[f"covered-{key}"] = bool(answer.get("covered"))
            initial[f"note-{key}"] = str(answer.get("note") or "")
        return initial


class DesignEditForm(DesignForm):
    """The same checklist, saved: the version it was loaded at (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DesignDeleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
