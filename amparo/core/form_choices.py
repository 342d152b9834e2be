"""Forms share their fixed choices instead of deep-copying them for every form they build.

Django builds a form's fields by deep-copying the class's fields, and `ChoiceField` deep-copies
its choices, one tuple at a time, so that one form may change its choices without touching
the next. The incident entry form builds ten forms a request (the event, its victims and its
perpetrators), and those copies were a quarter of the page's time (`bench.profile --profile`,
`copy.deepcopy` under `Form.__init__`). Choices declared once and never changed in place
(every field of the apps: a form that needs other choices assigns a new list, which Django
copies afresh) are frozen here into an immutable `SharedChoices` the first time the field is
copied, and every later copy shares it. A list that holds anything mutable besides a group's
options keeps Django's copy. Installed by CoreConfig.ready() (ADR 0062).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from enum import Enum
from typing import Any

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import Promise

#: Values and labels that cannot change once made.
_IMMUTABLE = (str, int, float, bool, Decimal, Enum, Promise, type(None))
#: A choice is (value, label).
_PAIR = 2


class SharedChoices(BaseChoiceIterator):
    """Normalised choices as nested tuples; a copy is the same object."""

    __slots__ = ("items",)

    def __init__(self, items: tuple[tuple[Any, Any], ...]) -> None:
        self.items = items

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: Any) -> Any:
        return self.items[index]

    def __copy__(self) -> SharedChoices:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> SharedChoices:
        return self

    def __repr__(self) -> str:
        return f"SharedChoices({list(self.items)!r})"


def freeze(choices: Any) -> SharedChoices | None:
    """The choices as SharedChoices, or None when they may hold something mutable."""
    if type(choices) is not list:
        return None
    frozen = []
    for entry in choices:
        if type(entry) is not tuple or len(entry) != _PAIR:
            return None
        value, label = entry
        if not isinstance(value, _IMMUTABLE):
            return None
        if isinstance(label, list | tuple):  # a group: (name, [(value, label), ...])
            options = []
            for option in label:
                if (
                    type(option) is not tuple
                    or len(option) != _PAIR
                    or not isinstance(option[0], _IMMUTABLE)
                    or not isinstance(option[1], _IMMUTABLE)
                ):
                    return None
                options.append(option)
            label = tuple(options)
        elif not isinstance(label, _IMMUTABLE):
            return None
        frozen.append((value, label))
    return SharedChoices(tuple(frozen))


_django_deepcopy = forms.ChoiceField.__deepcopy__


def _deepcopy(self: Any, memo: dict[int, Any]) -> Any:
    """ChoiceField.__deepcopy__, sharing fixed choices."""
    choices = self._choices
    if type(choices) is list:
        shared = freeze(choices)
        if shared is not None:
            # The class's own field, once: from now on every form shares these. The widget
            # holds an equal list (its setter normalises a copy) unless someone gave it others.
            if getattr(self.widget, "choices", None) == choices:
                self.widget.choices = shared
            self._choices = choices = shared
    if type(choices) is not SharedChoices:
        return _django_deepcopy(self, memo)
    result = forms.Field.__deepcopy__(self, memo)
    result._choices = choices
    return result


def install() -> None:
    forms.ChoiceField.__deepcopy__ = _deepcopy  # type: ignore[method-assign]


__all__ = ["SharedChoices", "freeze", "install"]
