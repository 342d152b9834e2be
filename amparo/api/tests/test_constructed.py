"""A list's page built without validation (`api.constructed`) dumps as ninja's validated page
would, and a row that would not is refused under tests instead of reaching a client."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

import pytest
from django.test import override_settings
from ninja import Field, Schema

from amparo.api.constructed import page_of


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


class InnerOut(Schema):
    colour: Colour
    at: date


class ItemOut(Schema):
    id: UUID
    inner: InnerOut | None
    colour: Colour
    second: Colour | None
    colours: list[Colour]
    on: date | None
    flagged: bool = Field(alias="is_flagged")
    shades: int

    @staticmethod
    def resolve_shades(obj: dict) -> int:
        return len(obj["colours"])


class ItemPage(Schema):
    items: list[ItemOut]
    next_after: UUID | None


def _source(number: int) -> dict:
    return {
        "id": UUID(int=number),
        "inner": {"colour": "blue", "at": date(2026, 2, number)} if number % 2 else None,
        "colour": "red",
        "second": None if number % 2 else "blue",
        "colours": ["blue", "red"][: number % 3],
        "on": date(2026, 1, number),
        "is_flagged": bool(number % 2),
    }


def _row(source: dict) -> dict:
    return {**source, "shades": len(source["colours"])}


def test_the_page_dumps_as_the_validated_page():
    sources = [_source(n) for n in range(1, 6)]

    built = page_of(ItemPage, ItemOut, sources, _row, next_after=UUID(int=9))

    validated = ItemPage.model_validate({"items": sources, "next_after": UUID(int=9)})
    assert built.model_dump(mode="json") == validated.model_dump(mode="json")
    assert built.items[1].colour is Colour.RED  # an enum member, as validation makes it
    assert built.items[1].second is Colour.BLUE
    assert built.items[1].colours == [Colour.BLUE, Colour.RED]
    assert built.items[0].inner == InnerOut(colour=Colour.BLUE, at=date(2026, 2, 1))


def test_a_row_that_differs_from_the_validated_one_is_refused():
    def wrong(source: dict) -> dict:
        return {**_row(source), "shades": 7}

    refused = r"ItemOut: the constructed row differs on \['shades'\]"
    with pytest.raises(AssertionError, match=refused):
        page_of(ItemPage, ItemOut, [_source(1)], wrong, next_after=None)


def test_a_value_of_the_wrong_type_is_refused():
    def as_text(source: dict) -> dict:
        return {**_row(source), "id": str(source["id"])}

    with pytest.raises(UserWarning, match="serialized value may not be as expected"):
        page_of(ItemPage, ItemOut, [_source(1)], as_text, next_after=None)


@override_settings(DEBUG=False, TESTING=False)
def test_in_production_rows_are_not_validated_again():
    def wrong(source: dict) -> dict:
        return {**_row(source), "shades": 7}

    built = page_of(ItemPage, ItemOut, [_source(1)], wrong, next_after=None)

    assert built.items[0].shades == 7  # what the list wrote: trusted, as its tests checked it
