"""`|date` written from a plan (amparo.core.formatting) gives Django's text, byte for byte."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.template import Context, Template, defaultfilters
from django.utils import timezone, translation

from amparo.core import formatting

LANGUAGES = [code for code, _name in settings.LANGUAGES]
FORMAT_NAMES = [
    "DATE_FORMAT",
    "SHORT_DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
]
#: Literal formats the templates use, and some the plan must leave to Django.
LITERAL_FORMATS = [
    "Y-m-d",
    "d.m.Y H:i",
    "j/n/y G:i:s",
    r"Y \\d\\e m",
    "N j, Y",
    "D d M",
    "c",
    "U",
    "m/d/Y P",
    "P",
]

DATES = [
    datetime.date(2026, 1, 2),
    datetime.date(2026, 12, 31),
    datetime.date(999, 3, 4),
    datetime.date(2000, 10, 9),
]
UTC = datetime.UTC
NAIROBI = zoneinfo.ZoneInfo("Africa/Nairobi")
DATETIMES = [
    datetime.datetime(2026, 1, 2, 0, 0, 0, tzinfo=UTC),
    datetime.datetime(2026, 7, 9, 23, 5, 7, tzinfo=UTC),
    datetime.datetime(2026, 12, 31, 22, 30, tzinfo=NAIROBI),
    datetime.datetime(2026, 3, 4, 9, 8, 7),  # noqa: DTZ001 # naive, as a form may give
    # `P`: noon, past noon on the hour and not, a morning on the hour.
    datetime.datetime(2026, 5, 6, 12, 0, tzinfo=UTC),
    datetime.datetime(2026, 5, 6, 12, 30, tzinfo=UTC),
    datetime.datetime(2026, 5, 6, 13, 0, tzinfo=UTC),
    datetime.datetime(2026, 5, 6, 7, 0, tzinfo=UTC),
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_format_gives_djangos_text(language: str) -> None:
    with translation.override(language):
        for fmt in [*FORMAT_NAMES, *LITERAL_FORMATS]:
            for value in [*DATES, *DATETIMES]:
                try:
                    expected = defaultfilters.date(value, fmt)
                except TypeError:
                    # Django refuses time specifiers for a date; so must the plan.
                    with pytest.raises(TypeError):
                        formatting.date(value, fmt)
                    continue
                assert formatting.date(value, fmt) == expected, (language, fmt, value)


def test_the_language_numeric_formats_take_the_plan() -> None:
    """The list formats are the ones worth planning: none of them may fall back."""
    for language in LANGUAGES:
        with translation.override(language):
            from django.utils import formats

            short = formats.get_format("SHORT_DATE_FORMAT")
            if language != "th":  # Thai writes the month's name: `j M Y`
                assert formatting._plan(short) is not None, (language, short)


def test_empty_and_foreign_values_are_djangos() -> None:
    assert formatting.date(None, "SHORT_DATE_FORMAT") == ""
    assert formatting.date("", "SHORT_DATE_FORMAT") == ""
    assert formatting.date("not a date", "SHORT_DATE_FORMAT") == ""
    assert formatting.date(datetime.date(2026, 1, 2)) == defaultfilters.date(
        datetime.date(2026, 1, 2)
    )


def test_literal_braces_stay_literal() -> None:
    value = datetime.date(2026, 1, 2)
    assert formatting.date(value, "{Y}") == defaultfilters.date(value, "{Y}") == "{2026}"


@pytest.mark.parametrize("language", ["en", "es", "id"])
def test_the_template_filter_is_the_planned_one_in_the_local_time(language: str) -> None:
    """The builtin `|date` still converts aware datetimes to the current time zone."""
    value = datetime.datetime(2026, 12, 31, 22, 30, tzinfo=UTC)
    template = Template('{{ value|date:"SHORT_DATETIME_FORMAT" }}|{{ value|date:"Y-m-d H:i" }}')
    with translation.override(language), timezone.override(NAIROBI):
        rendered = template.render(Context({"value": value}))
        local = timezone.localtime(value)
        assert rendered == "|".join(
            [
                defaultfilters.date(local, "SHORT_DATETIME_FORMAT"),
                defaultfilters.date(local, "Y-m-d H:i"),
            ]
        )
    assert rendered.endswith("2027-01-01 01:30")


@pytest.mark.parametrize("language", ["en", "es", "th"])
def test_a_dater_writes_what_the_template_filter_writes_in_the_local_time(language: str) -> None:
    template = Template("{{ value|date:fmt }}")
    with translation.override(language), timezone.override(NAIROBI):
        for fmt in ["SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "Y-m-d H:i:s"]:
            write = formatting.dater(fmt)
            for value in [*DATES, *DATETIMES, None]:
                if type(value) is datetime.date and fmt != "SHORT_DATE_FORMAT":
                    continue  # time specifiers for a date: Django refuses them
                expected = template.render(Context({"value": value, "fmt": fmt}))
                assert write(value) == expected, (language, fmt, value)
    # A time stored in UTC is shown at the reader's clock: midnight UTC is 03:00 in Nairobi.
    with timezone.override(NAIROBI):
        assert formatting.dater("Y-m-d H:i")(DATETIMES[2].astimezone(UTC)) == "2026-12-31 22:30"
        assert formatting.dater("Y-m-d H:i")(DATETIMES[0]) == "2026-01-02 03:00"


def test_english_list_datetimes_take_the_plan() -> None:
    """`m/d/Y P`, English's SHORT_DATETIME_FORMAT, is planned: `P` alone goes to Django."""
    with translation.override("en"):
        from django.utils import formats

        assert formatting._plan(formats.get_format("SHORT_DATETIME_FORMAT")) is not None
