"""get_FOO_display() answers as Django's does, in every language, translating one label."""

from __future__ import annotations

from functools import partialmethod

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from amparo.core import choices
from amparo.desk.models import Case


def every_choice_field() -> list[tuple[type[models.Model], models.Field]]:
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.choices
    ]


def test_the_apps_models_get_the_fast_path() -> None:
    fields = every_choice_field()
    assert len(fields) > 50  # the apps' vocabularies: a walk that found none proves nothing
    for model, field in fields:
        method = model.__dict__.get(f"get_{field.name}_display")
        if isinstance(method, partialmethod):
            assert method.func is choices.display, f"{model.__name__}.{field.name}"


@pytest.mark.parametrize("language", ["en", "es", "th", "sw"])
def test_every_value_of_every_field_reads_as_django_reads_it(language: str) -> None:
    checked = 0
    with translation.override(language):
        for model, field in every_choice_field():
            values = [value for value, _label in field.flatchoices]
            for value in [*values, "not-a-choice", None]:
                instance = model()
                setattr(instance, field.attname, value)
                django = models.Model._get_FIELD_display(instance, field)  # type: ignore[attr-defined]
                assert choices.display(instance, field) == django, f"{model.__name__}.{field.name}"
                checked += 1
    assert checked > 500


def test_the_label_follows_the_active_language() -> None:
    case = Case(priority=Case._meta.get_field("priority").flatchoices[0][0])
    with translation.override("en"):
        english = case.get_priority_display()
    with translation.override("es"):
        spanish = case.get_priority_display()
    assert english != spanish


def test_callable_choices_are_not_frozen() -> None:
    field = models.CharField(choices=lambda: [("a", "A")], max_length=1)
    field.name = field.attname = "letter"
    assert choices._labels(field) is None  # evaluated afresh on each call, as Django does


def test_an_unhashable_choice_falls_back_to_django() -> None:
    field = models.JSONField(choices=[([1, 2], "A list")])
    field.name = field.attname = "pair"
    assert choices._labels(field) is None


def test_translated_labels_are_the_displays_of_each_language():
    from amparo.core.choices import translated_labels
    from amparo.desk.enums import Priority
    from amparo.desk.models import Case

    for language in ("en", "es", "th"):
        with translation.override(language):
            labels = translated_labels(Case, "priority")
            assert labels == {value: str(label) for value, label in Priority.choices}
            assert labels["high"] == Case(priority="high").get_priority_display()
    with pytest.raises(ValueError, match="no fixed choices"):
        translated_labels(Case, "summary")
