"""Forms of the editing pages. Each gives back what the editor typed, whole, when something
is wrong, and turns valid input into the values the editorial services take."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.forms.renderers import get_default_renderer
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from amparo.core.form_choices import SharedChoices, freeze
from amparo.observatory.content import (
    KEY_LENGTH,
    DocumentContent,
    InstrumentContent,
    Problem,
    RelationContent,
    SourceContent,
    TranslationContent,
    parse_dated,
    problems,
)
from amparo.observatory.enums import (
    Confidence,
    DocumentKind,
    InstrumentStatus,
    InstrumentType,
    JurisdictionLevel,
    RelationKind,
    Score,
)
from amparo.observatory.forms import area_choices, language_name
from amparo.observatory.geography import countries, country_name
from amparo.observatory.models import Criterion, Evaluation, PolicyInstrument

DATED_HELP = _("YYYY-MM-DD, or YYYY-MM or YYYY when only the month or the year is known.")
LANGUAGE_CODE = RegexValidator(
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$", _("Use a language code such as es, th or pt-BR.")
)
KEY = RegexValidator(
    r"^[a-z0-9]+(-[a-z0-9]+)*$",
    _("Lower-case letters, digits and hyphens: country or int/reg, type, identifier, year."),
)


#: (language, id of a lazy text) -> (the lazy text, kept so that its id is not reused; its
#: text in that language). Bounded: emptied when a process has met this many.
_TEXTS: dict[tuple[str | None, int], tuple[Promise, str]] = {}
TEXTS_KEPT = 5_000


def _text_of(value: Any) -> Any:
    """A lazy label or hint as the active language's text, translated once per process and
    language (the instrument editor's sixty fields share the same lazy texts on every
    request: Django's copies of a field keep its label). Anything else as it is."""
    if not isinstance(value, Promise):
        return value
    key = (get_language(), id(value))
    kept = _TEXTS.get(key)
    if kept is None or kept[0] is not value:
        if len(_TEXTS) >= TEXTS_KEPT:
            _TEXTS.clear()
        kept = _TEXTS[key] = (value, str(value))
    return kept[1]


def _translated_once(form: forms.BaseForm) -> None:
    """The labels and hints of the form's fields as text of the request's language: what the
    page prints of them is the same, and each is no longer translated again every time it is
    printed (bench.profile: the editor's lazy labels were about a sixth of its page)."""
    for field in form.fields.values():
        field.label = _text_of(field.label)
        field.help_text = _text_of(field.help_text)


@functools.lru_cache(maxsize=512)
def _language_labels(active: str | None, code: str) -> tuple[str, str, str]:
    """The labels of a language's title, summary and official-translation fields in the
    active language `active` (the request's: `gettext` reads it)."""
    name = {"language": language_name(code)}
    return (
        gettext("Title in %(language)s") % name,
        gettext("Summary in %(language)s") % name,
        gettext("The title in %(language)s is an official translation") % name,
    )


def _dated(value: str) -> str:
    try:
        parse_dated(value)
    except ValueError:
        raise ValidationError(_("Write the date as YYYY-MM-DD, YYYY-MM or YYYY.")) from None
    return value.strip()


@functools.lru_cache(maxsize=16)
def _country_choices(language: str | None) -> SharedChoices:
    del language  # part of the key only: country_name() speaks the active language
    names = sorted(((code, country_name(code)) for code in countries()), key=lambda p: p[1])
    return SharedChoices((("", pgettext_lazy("country", "None")), *names))


def shared_country_choices() -> SharedChoices:
    """`country_choices()` for a form field: named and sorted once per language, shared by
    every form (the country select's ~250 options are the same for every editor)."""
    return _country_choices(get_language())


def country_choices() -> list[tuple[str, Any]]:
    return list(shared_country_choices())


@functools.cache
def _area_choices() -> SharedChoices:
    """`area_choices()` for a form field: its labels are lazy, so one list serves every
    language."""
    shared = freeze(area_choices())
    assert shared is not None  # noqa: S101 -- values and labels are strings and lazy labels
    return shared


@dataclass(frozen=True)
class _Options:
    """A select's options as select.html writes them, unselected and selected."""

    plain: list[str]
    selected: list[str]
    #: the index of the first option of each value (the one optgroups() would select)
    first: dict[str, int]


def _write_options(choices: SharedChoices) -> _Options | None:
    """Flat choices of text values and labels, written; None for anything else (a group, a
    number, a safe label), which the template writes as usual."""
    options = _Options([], [], {})
    for index, (value, label) in enumerate(choices):
        if type(value) is not str or (type(label) is not str and not isinstance(label, Promise)):
            return None
        # The value as `stringformat:'s'`, the label as `{{ option.label }}`, both escaped.
        head, tail = f'\n  <option value="{escape(value)}"', f">{escape(str(label))}</option>\n"
        options.plain.append(f"{head}{tail}")
        options.selected.append(f"{head} selected{tail}")
        options.first.setdefault(value, index)
    return options


#: id of a SharedChoices -> (the choices, kept alive so that the id is not reused; their
#: options per language). Bounded: a few choice lists in a few languages.
_WRITTEN: dict[int, tuple[SharedChoices, dict[str | None, _Options | None]]] = {}
WRITTEN_KEPT = 64


def _options_of(choices: SharedChoices) -> _Options | None:
    """`_write_options(choices)` in the active language, written once."""
    entry = _WRITTEN.get(id(choices))
    if entry is None or entry[0] is not choices:
        if len(_WRITTEN) >= WRITTEN_KEPT:
            _WRITTEN.clear()
        entry = _WRITTEN[id(choices)] = (choices, {})
    language = get_language()
    if language not in entry[1]:
        entry[1][language] = _write_options(choices)
    return entry[1][language]


class SharedChoicesSelect(forms.Select):
    """A select over shared choices (the ~250 countries) whose options are written once per
    language and kept: each form then only marks the chosen one, where writing them all took
    about 0.5 ms per form. The select's own tag is the renderer's; the options are
    select.html's, byte for byte (test_editor_fields.py)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        choices = self.choices
        options = _options_of(choices) if type(choices) is SharedChoices else None
        if options is None or not options.plain or self.allow_multiple_selected:
            return super().render(name, value, attrs, renderer)
        context = forms.Widget.get_context(self, name, value, attrs)
        context["widget"]["optgroups"] = []
        shell = (renderer or get_default_renderer()).render(self.template_name, context)
        end = shell.rfind("\n</select>")
        if end < 0:
            return super().render(name, value, attrs, renderer)
        # As optgroups(): the first option whose value is among the given ones is selected.
        chosen = min(
            (options.first[v] for v in context["widget"]["value"] if v in options.first),
            default=None,
        )
        written = options.plain
        if chosen is not None:
            written = written.copy()
            written[chosen] = options.selected[chosen]
        return mark_safe(f"{shell[:end]}{''.join(written)}{shell[end:]}")  # noqa: S308 -- escaped


def site_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class VersionForm(forms.Form):
    """The optimistic-locking version an action was decided against."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class InstrumentForm(forms.Form):
    """The facts and titles of an instrument. Sources, documents and relations come in the
    formsets below it; `InstrumentEditor` puts them together."""

    key = forms.CharField(
        label=_("Key"),
        max_length=KEY_LENGTH,
        validators=[KEY],
        help_text=_("Permanent once published: links, downloads and the API use it."),
    )
    jurisdiction_level = forms.ChoiceField(
        label=_("Jurisdiction"), choices=JurisdictionLevel.choices
    )
    country = forms.ChoiceField(label=_("Country"), required=False, widget=SharedChoicesSelect)
    subdivision = forms.CharField(
        label=_("Sub-national unit"),
        required=False,
        max_length=150,
        help_text=_("Only for a sub-national instrument: the province, state or city."),
    )
    scope_area = forms.ChoiceField(
        label=_("Region concerned"),
        required=False,
        help_text=_("Only for a regional instrument."),
    )
    instrument_type = forms.ChoiceField(label=_("Type"), choices=InstrumentType.choices)
    status = forms.ChoiceField(label=_("Status"), choices=InstrumentStatus.choices)
    status_since = forms.CharField(
        label=_("Status since"),
        required=False,
        max_length=10,
        help_text=_(
            "When the status changes: the date it took effect, as YYYY-MM-DD, YYYY-MM or YYYY."
        ),
    )
    status_note = forms.CharField(
        label=_("Note on the status change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    adopted_on = forms.CharField(
        label=_("Adopted on"), required=False, max_length=10, help_text=DATED_HELP
    )
    authority = forms.CharField(label=_("Adopting authority"), required=False, max_length=300)
    title_original = forms.CharField(
        label=_("Title in the original language"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    original_language = forms.CharField(
        label=_("Original language"),
        required=False,
        max_length=10,
        validators=[LANGUAGE_CODE],
        help_text=_("Language code of the original text: es, fr, th..."),
    )
    counts_as_national_policy = forms.BooleanField(
        label=_("Counts as national public policy"),
        required=False,
        help_text=_(
            "A law, decree, policy or protocol by a State authority answering its duty to "
            "protect defenders (OBS-1). Foreign-policy guidelines of third States are listed, "
            "not counted."
        ),
    )
    is_verified = forms.BooleanField(label=_("Checked against the official text"), required=False)
    note = forms.CharField(
        label=_("What changed, for readers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown in the public change log when the change is published."),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, languages: list[str], creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.languages = languages
        self.fields["country"].choices = shared_country_choices()  # type: ignore[attr-defined]
        self.fields["scope_area"].choices = _area_choices()  # type: ignore[attr-defined]
        if not creating:
            del self.fields["key"]
        _translated_once(self)
        active = get_language()
        for code in languages:
            title, summary, official = _language_labels(active, code)
            self.fields[f"title_{code}"] = forms.CharField(
                label=title, required=False, widget=forms.Textarea(attrs={"rows": 2, "lang": code})
            )
            self.fields[f"summary_{code}"] = forms.CharField(
                label=summary,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4, "lang": code}),
            )
            self.fields[f"official_{code}"] = forms.BooleanField(label=official, required=False)

    def language_groups(self) -> list[dict[str, Any]]:
        """Per language: its name, code and the title, summary and official-translation fields."""
        groups = []
        for code in self.languages:
            fields = [self[f"title_{code}"], self[f"summary_{code}"], self[f"official_{code}"]]
            groups.append(
                {
                    "code": code,
                    "name": language_name(code),
                    "fields": fields,
                    # Closed when empty: seven languages would make a very long page.
                    "open": code == "en" or any(f.value() or f.errors for f in fields),
                }
            )
        return groups

    def clean_adopted_on(self) -> str:
        return _dated(self.cleaned_data["adopted_on"])

    def clean_status_since(self) -> str:
        return _dated(self.cleaned_data["status_since"])

    def clean_key(self) -> str:
        key: str = self.cleaned_data["key"]
        if PolicyInstrument.objects.filter(key=key).exists():
            raise ValidationError(_("Another instrument already has this key."))
        return key

    def translations(self) -> tuple[TranslationContent, ...]:
        data = self.cleaned_data
        found = []
        for code in self.languages:
            title, summary = data.get(f"title_{code}", ""), data.get(f"summary_{code}", "")
            if title.strip() or summary.strip():
                found.append(
                    TranslationContent(
                        code, title.strip(), summary.strip(), data.get(f"official_{code}", False)
                    )
                )
        return tuple(found)

    @staticmethod
    def initial_from(content: InstrumentContent, languages: list[str]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(content, name)
            for name in (
                "jurisdiction_level",
                "country",
                "subdivision",
                "scope_area",
                "instrument_type",
                "status",
                "adopted_on",
                "authority",
                "title_original",
                "original_language",
                "counts_as_national_policy",
                "is_verified",
                "status_since",
                "status_note",
            )
        }
        for code in languages:
            found = content.translation(code)
            if found:
                initial[f"title_{code}"] = found.title
                initial[f"summary_{code}"] = found.summary
                initial[f"official_{code}"] = found.is_official
        return initial


#: A blank first choice: an untouched extra row of a formset then sends nothing, and counts
#: as unchanged (a preselected value would make every blank row a half-filled one).
CHOOSE = [("", pgettext_lazy("select", "Choose"))]


class SourceForm(forms.Form):
    url = forms.URLField(label=_("Address of the source"), max_length=1000, assume_scheme="https")
    confidence = forms.ChoiceField(
        label=_("How well it confirms the facts"), choices=[*CHOOSE, *Confidence.choices]
    )
    title = forms.CharField(label=_("Title of the source"), required=False, max_length=300)
    note = forms.CharField(label=_("Note on the source"), required=False)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of text"), choices=[*CHOOSE, *DocumentKind.choices])
    url = forms.URLField(label=_("Address of the text"), max_length=1000, assume_scheme="https")
    title = forms.CharField(label=_("Title of the text"), required=False, max_length=300)
    language = forms.CharField(
        label=_("Language of the text"), required=False, max_length=10, validators=[LANGUAGE_CODE]
    )


class RelationForm(forms.Form):
    kind = forms.ChoiceField(label=_("This instrument"), choices=[*CHOOSE, *RelationKind.choices])
    related = forms.CharField(
        label=_("Key of the other instrument"), max_length=KEY_LENGTH, validators=[KEY]
    )
    note = forms.CharField(label=_("Where the texts say so"), required=False)


class _RowsTranslatedOnce(forms.BaseFormSet):  # type: ignore[type-arg]
    """A formset whose rows' labels and hints, Delete's too, are translated once
    (`_translated_once`)."""

    def add_fields(self, form: forms.BaseForm, index: int | None) -> None:
        super().add_fields(form, index)
        _translated_once(form)


SourceFormSet = forms.formset_factory(
    SourceForm, formset=_RowsTranslatedOnce, extra=2, can_delete=True, max_num=50
)
DocumentFormSet = forms.formset_factory(
    DocumentForm, formset=_RowsTranslatedOnce, extra=1, can_delete=True, max_num=50
)
RelationFormSet = forms.formset_factory(
    RelationForm, formset=_RowsTranslatedOnce, extra=1, can_delete=True, max_num=50
)

#: Where each problem found by content.problems() is shown on the page.
PROBLEM_FIELDS = {
    "jurisdiction_level",
    "instrument_type",
    "status",
    "country",
    "subdivision",
    "scope_area",
    "adopted_on",
    "status_since",
    "title_original",
}


def _rows(formset: forms.BaseFormSet) -> list[dict[str, Any]]:  # type: ignore[type-arg]
    return [
        form.cleaned_data
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class InstrumentEditor:
    """The instrument form and its three formsets, valid together or not at all."""

    def __init__(
        self,
        data: Any = None,
        *,
        content: InstrumentContent | None,
        creating: bool,
        own_key: str = "",
        version: int = 0,
    ) -> None:
        languages = site_languages()
        if content is not None:
            languages += [t.language for t in content.translations if t.language not in languages]
        self.own_key = own_key
        initial = InstrumentForm.initial_from(content, languages) if content else {}
        initial["version"] = version
        self.form = InstrumentForm(data, initial=initial, languages=languages, creating=creating)
        # Rows come back from the page as typed: with initial values too, a row left as it was
        # would count as unchanged and be dropped.
        links = InstrumentContent("", "", "") if data is not None or content is None else content
        self.sources = SourceFormSet(
            data, prefix="sources", initial=[vars(s) for s in links.sources]
        )
        self.documents = DocumentFormSet(
            data, prefix="documents", initial=[vars(d) for d in links.documents]
        )
        self.relations = RelationFormSet(
            data, prefix="relations", initial=[vars(r) for r in links.relations]
        )

    @property
    def formsets(self) -> list[Any]:
        return [self.sources, self.documents, self.relations]

    def is_valid(self) -> bool:
        # Every part is validated, so every error shows at once.
        results = [self.form.is_valid(), *(f.is_valid() for f in self.formsets)]
        if not all(results):
            return False
        found = problems(
            self.content(),
            known_countries=set(countries()),
            known_keys=set(
                PolicyInstrument.objects.filter(
                    key__in=[r["related"] for r in _rows(self.relations)]
                ).values_list("key", flat=True)
            ),
            own_key=self.own_key or self.form.cleaned_data.get("key", ""),
        )
        for problem in found:
            self._show(problem)
        return not found

    def _show(self, problem: Problem) -> None:
        name = problem.field
        if name in PROBLEM_FIELDS or (name in self.form.fields and name.startswith("title_")):
            self.form.add_error(name, problem.message)
            return
        detail = f"{problem.message} ({problem.value})" if problem.value else problem.message
        self.form.add_error(None, detail)

    def content(self) -> InstrumentContent:
        data = self.form.cleaned_data
        return InstrumentContent(
            jurisdiction_level=data["jurisdiction_level"],
            instrument_type=data["instrument_type"],
            status=data["status"],
            country=data["country"],
            subdivision=data["subdivision"].strip(),
            scope_area=data["scope_area"],
            adopted_on=data["adopted_on"],
            authority=data["authority"].strip(),
            title_original=data["title_original"].strip(),
            original_language=data["original_language"].strip(),
            counts_as_national_policy=data["counts_as_national_policy"],
            is_verified=data["is_verified"],
            status_since=data["status_since"],
            status_note=data["status_note"].strip(),
            translations=self.form.translations(),
            sources=tuple(
                SourceContent(r["url"], r["confidence"], r["title"].strip(), r["note"].strip())
                for r in _rows(self.sources)
            ),
            documents=tuple(
                DocumentContent(r["kind"], r["url"], r["title"].strip(), r["language"].strip())
                for r in _rows(self.documents)
            ),
            relations=tuple(
                RelationContent(r["kind"], r["related"], r["note"].strip())
                for r in _rows(self.relations)
            ),
        )

    @property
    def errors(self) -> bool:
        return bool(self.form.errors) or any(
            f.total_error_count() for f in self.formsets if f.is_bound
        )


# --- review, narratives ---


class ReviewForm(forms.Form):
    """A second editor's decision: publish, or return with a comment."""

    PUBLISH = "publish"
    RETURN = "return"

    decision = forms.ChoiceField(
        choices=[(PUBLISH, _("Approve and publish")), (RETURN, _("Return with a comment"))],
        widget=forms.HiddenInput,
    )
    comment = forms.CharField(
        label=_("Comment for the editor"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed to return the work: say what to change. Never shown to readers."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == self.RETURN and not data.get("comment", "").strip():
            self.add_error("comment", _("Tell the editor what to change."))
        return data


class WithdrawForm(VersionForm):
    note = forms.CharField(
        label=_("Why it is withdrawn, for readers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the public change log."),
    )


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label=_("Narrative"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("A short account of the country's protection policy, for readers."),
    )
    note = forms.CharField(
        label=_("What changed, for readers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown in the public change log when the text is published."),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


# --- evaluations ---

NOT_EVALUATED = pgettext_lazy("score", "Not evaluated")


class EvaluationForm(forms.Form):
    """An evaluation and, per criterion of its framework, a score with its evidence and a
    source. "Not evaluated" is no score at all, which is not "absent" (OBS-3)."""

    evaluator_name = forms.CharField(
        label=_("Evaluator"),
        max_length=200,
        help_text=_("The person or organisation who answers for the scores; shown to readers."),
    )
    evaluated_on = forms.DateField(
        label=_("Evaluated on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    language = forms.ChoiceField(label=_("Language of the evidence"))
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            (code, language_name(code)) for code in site_languages()
        ]
        for criterion in criteria:
            prefix = f"c{criterion.pk}"
            self.fields[f"{prefix}_score"] = forms.ChoiceField(
                label=_("Score"),
                required=False,
                choices=[("", NOT_EVALUATED), *Score.choices],
            )
            self.fields[f"{prefix}_evidence"] = forms.CharField(
                label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
            self.fields[f"{prefix}_source_url"] = forms.URLField(
                label=_("Source address"), required=False, max_length=1000, assume_scheme="https"
            )
            self.fields[f"{prefix}_source_instrument"] = forms.CharField(
                label=_("Or the key of the instrument whose text is the evidence"),
                required=False,
                max_length=KEY_LENGTH,
                validators=[KEY],
            )

    def rows(self) -> list[dict[str, Any]]:
        """The criteria with their bound fields, grouped for the template."""
        return [
            {
                "criterion": c,
                "score": self[f"c{c.pk}_score"],
                "evidence": self[f"c{c.pk}_evidence"],
                "source_url": self[f"c{c.pk}_source_url"],
                "source_instrument": self[f"c{c.pk}_source_instrument"],
            }
            for c in self.criteria
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        keys = {
            data.get(f"c{c.pk}_source_instrument")
            for c in self.criteria
            if data.get(f"c{c.pk}_source_instrument")
        }
        self.instruments = PolicyInstrument.objects.in_bulk(list(keys), field_name="key")
        for c in self.criteria:
            prefix = f"c{c.pk}"
            key = data.get(f"{prefix}_source_instrument", "")
            if key and key not in self.instruments:
                self.add_error(f"{prefix}_source_instrument", _("No instrument has this key."))
            if not data.get(f"{prefix}_score"):
                continue
            if not data.get(f"{prefix}_evidence", "").strip():
                self.add_error(f"{prefix}_evidence", _("Every score cites its evidence."))
            if not (data.get(f"{prefix}_source_url") or key):
                self.add_error(f"{prefix}_source_url", _("Every score cites a source."))
        return data

    def scores(self) -> list[Any]:
        from amparo.observatory.services import ScoreData  # noqa: PLC0415

        data = self.cleaned_data
        found = []
        for c in self.criteria:
            prefix = f"c{c.pk}"
            if data.get(f"{prefix}_score"):
                key = data.get(f"{prefix}_source_instrument", "")
                found.append(
                    ScoreData(
                        criterion=c,
                        score=data[f"{prefix}_score"],
                        evidence=data[f"{prefix}_evidence"].strip(),
                        source_url=data.get(f"{prefix}_source_url", ""),
                        source_instrument=self.instruments.get(key) if key else None,
                    )
                )
        return found

    @staticmethod
    def initial_from(evaluation: Evaluation, scores: list[Any], token: str) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "evaluator_name": evaluation.evaluator_name,
            "evaluated_on": evaluation.evaluated_on,
            "language": evaluation.language,
            "summary": evaluation.summary,
            "token": token,
        }
        for score in scores:
            prefix = f"c{score.criterion_id}"
            initial[f"{prefix}_score"] = score.score
            initial[f"{prefix}_evidence"] = score.evidence
            initial[f"{prefix}_source_url"] = score.source_url
            initial[f"{prefix}_source_instrument"] = (
                score.source_instrument.key if score.source_instrument else ""
            )
        return initial


# --- framework versions ---


class FrameworkForm(forms.Form):
    """The texts of a draft framework version: the English (`language` "en"), or one
    language's translation, where every field is optional (blank reads as the English) and
    shows the English it translates."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    token = forms.CharField(widget=forms.HiddenInput)
    #: The language the form edits, carried through a conflict's page back to this one.
    lang = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        axes: list[Any],
        framework: Any = None,
        language: str = "en",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.axes = axes
        self.framework = framework
        self.language = language
        self.initial = {**self.initial, "lang": language}
        for axis in axes:
            self.fields[f"a{axis.pk}_name"] = forms.CharField(label=_("Axis"), max_length=200)
            self.fields[f"a{axis.pk}_description"] = forms.CharField(
                label=_("Description of the axis"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            for c in axis.criteria.all():
                self.fields[f"c{c.pk}_name"] = forms.CharField(label=_("Criterion"), max_length=200)
                self.fields[f"c{c.pk}_question"] = forms.CharField(
                    label=_("Question"), widget=forms.Textarea(attrs={"rows": 2})
                )
                self.fields[f"c{c.pk}_guidance"] = forms.CharField(
                    label=_("Guidance for coders"),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
                self.fields[f"c{c.pk}_good_practice"] = forms.CharField(
                    label=_("What good practice looks like"),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
        if language != "en" and framework is not None:
            self._as_translation(framework, language)

    def _as_translation(self, framework: Any, language: str) -> None:
        english = self.initial_from(framework, self.axes, "")
        for name, field in self.fields.items():
            if name in ("token", "lang"):
                continue
            field.required = False
            source = english.get(name, "")
            field.help_text = (
                _("English: %(text)s") % {"text": source} if source else _("English: (empty)")
            )
        self.initial = {**self.initial, **self.translation_initial(framework, language)}

    def translation_initial(self, framework: Any, language: str) -> dict[str, Any]:
        values = framework.i18n.get(language, {})
        initial: dict[str, Any] = {
            "title": values.get("title", ""),
            "description": values.get("description", ""),
        }
        for axis in self.axes:
            texts = axis.i18n.get(language, {})
            initial[f"a{axis.pk}_name"] = texts.get("name", "")
            initial[f"a{axis.pk}_description"] = texts.get("description", "")
            for c in axis.criteria.all():
                texts = c.i18n.get(language, {})
                for name in ("name", "question", "guidance", "good_practice"):
                    initial[f"c{c.pk}_{name}"] = texts.get(name, "")
        return initial

    def groups(self) -> list[dict[str, Any]]:
        return [
            {
                "axis": axis,
                "fields": [self[f"a{axis.pk}_name"], self[f"a{axis.pk}_description"]],
                "criteria": [
                    {
                        "criterion": c,
                        "fields": [
                            self[f"c{c.pk}_{name}"]
                            for name in ("name", "question", "guidance", "good_practice")
                        ],
                    }
                    for c in axis.criteria.all()
                ],
            }
            for axis in self.axes
        ]

    @staticmethod
    def initial_from(framework: Any, axes: list[Any], token: str) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "title": framework.title,
            "description": framework.description,
            "token": token,
        }
        for axis in axes:
            initial[f"a{axis.pk}_name"] = axis.name
            initial[f"a{axis.pk}_description"] = axis.description
            for c in axis.criteria.all():
                for name in ("name", "question", "guidance", "good_practice"):
                    initial[f"c{c.pk}_{name}"] = getattr(c, name)
        return initial


# --- import ---

IMPORT_EXTENSIONS = re.compile(r"\.(csv|xlsx)$", re.IGNORECASE)
#: Enough for tens of thousands of rows; bigger files go through the command.
IMPORT_MAX_BYTES = 10 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File to import"),
        help_text=_(
            "CSV (UTF-8) or Excel (.xlsx), with the columns of the instruments download. At "
            "most 10 MB."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not IMPORT_EXTENSIONS.search(upload.name or ""):
            raise ValidationError(_("Choose a .csv or .xlsx file."))
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(_("The file is larger than 10 MB: use the import command."))
        return upload
