"""Country names, regions and map shapes, read from the committed files in `geodata/` (built
once by `tools/build_map.py`). Read once per process: no query, no network, no dependency."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import translation

GEODATA = Path(__file__).resolve().parent / "geodata"


@dataclass(frozen=True)
class CountryFacts:
    code: str
    numeric: str
    region: str
    subregion: str
    names: dict[str, str]


@dataclass(frozen=True)
class WorldShapes:
    width: int
    height: int
    paths: dict[str, str]


@cache
def countries() -> dict[str, CountryFacts]:
    """Every ISO 3166-1 country the observatory knows, by alpha-2 code (Antarctica aside)."""
    raw = json.loads((GEODATA / "countries.json").read_text(encoding="utf-8"))
    return {
        code: CountryFacts(
            code=code,
            numeric=facts["numeric"],
            region=facts["region"],
            subregion=facts["subregion"],
            names=facts["names"],
        )
        for code, facts in raw.items()
    }


@cache
def world() -> WorldShapes:
    raw = json.loads((GEODATA / "world_110m.json").read_text(encoding="utf-8"))
    return WorldShapes(width=raw["width"], height=raw["height"], paths=raw["paths"])


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in `language` (default: the active one), English when the language
    has none; the code itself for a code the data does not know."""
    facts = countries().get(code)
    if facts is None:
        return code
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return facts.names.get(language) or facts.names["en"]
