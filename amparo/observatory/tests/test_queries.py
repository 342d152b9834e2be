"""What the public may read, and how the map decides a country's colour."""

from __future__ import annotations

from datetime import date

import pytest

from amparo.observatory import queries
from amparo.observatory.enums import (
    InstrumentStatus,
    InstrumentType,
    PolicyState,
    policy_state_of,
)
from amparo.observatory.tests.factories import (
    make_evaluation,
    make_framework,
    make_instrument,
    make_instruments,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("instrument_type", "status", "state"),
    [
        (InstrumentType.LAW, InstrumentStatus.IN_FORCE, PolicyState.BINDING_IN_FORCE),
        (InstrumentType.MECHANISM, InstrumentStatus.IN_FORCE, PolicyState.BINDING_IN_FORCE),
        (InstrumentType.POLICY, InstrumentStatus.IN_FORCE, PolicyState.POLICY),
        (InstrumentType.PROTOCOL, InstrumentStatus.ADOPTED, PolicyState.POLICY),
        (InstrumentType.LAW, InstrumentStatus.ADOPTED, PolicyState.ADOPTED),
        (InstrumentType.BILL, InstrumentStatus.DRAFT, PolicyState.PROCESS),
        (InstrumentType.BILL, InstrumentStatus.BILL_UNDER_DEBATE, PolicyState.PROCESS),
        (InstrumentType.POLICY, InstrumentStatus.DRAFT, PolicyState.PROCESS),
        (InstrumentType.DECREE, InstrumentStatus.REPEALED, PolicyState.ENDED),
        (InstrumentType.BILL, InstrumentStatus.ADOPTED, PolicyState.ADOPTED),
    ],
)
def test_what_one_instrument_says_about_its_country(instrument_type, status, state):
    assert policy_state_of(instrument_type, status) == state


def test_a_country_takes_the_strongest_state_of_its_counted_national_instruments():
    make_instrument("co-bill", instrument_type="bill", status="draft")
    make_instrument("co-law", status="in_force")
    make_instrument("ke-policy", code="KE", instrument_type="policy", status="draft")
    make_instrument("ke-edict", code="KE", level="subnational", subdivision="Nairobi")
    # Listed, not counted (OBS-1): it does not colour the map.
    make_instrument("gn-guideline", code="GN", instrument_type="guideline", counts=False)
    make_instrument("int-declaration", code=None, level="international")
    make_instrument("pe-draft", code="PE", published=False)

    overview = queries.overview()

    assert {code: c.state for code, c in overview.countries.items()} == {
        "CO": PolicyState.BINDING_IN_FORCE,
        "KE": PolicyState.PROCESS,
        "GN": PolicyState.NONE,
    }
    assert (overview.instruments, overview.international) == (6, 1)
    assert (overview.countries["KE"].national, overview.countries["KE"].subnational) == (1, 1)
    assert [c.code for c in overview.ranked] == ["CO", "KE", "GN"]


def test_drafts_and_records_in_review_are_invisible_to_the_public(editor):
    from amparo.observatory import services

    make_instrument("co-public")
    make_instrument("co-draft", published=False)
    in_review = make_instrument("co-review", published=False)
    services.submit_instrument(instrument=in_review, actor=editor)

    assert [i.key for i in queries.public_instruments()] == ["co-public"]
    assert queries.listed_countries() == [("CO", "Colombia")]
    with pytest.raises(Exception, match="No PolicyInstrument"):
        queries.get_public_instrument("co-draft")


def test_keyset_pages_follow_the_list_order_without_gaps_or_repeats():
    instruments = make_instruments(7)
    make_instrument("co-undated", adopted_on=None)
    expected = [
        i.key for i in sorted(instruments, key=lambda i: (-i.listed_on.toordinal(), i.key))
    ] + ["co-undated"]

    seen, after = [], None
    while True:
        page = queries.keyset_page(queries.public_instruments(), after=after, size=3)
        seen += [i.key for i in page.rows]
        if page.next_after is None:
            break
        after = page.next_after

    assert seen == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"area": "americas"}, ["br-1", "co-1", "reg-iachr"]),
        ({"area": "latin_america_caribbean"}, ["br-1", "co-1"]),
        ({"area": "africa"}, ["ke-1"]),
        ({"country": "BR"}, ["br-1"]),
        ({"instrument_type": "decree"}, ["br-1"]),
        ({"status": "repealed"}, ["ke-1"]),
        ({"year": 2016}, ["br-1"]),
        ({"level": "regional"}, ["reg-iachr"]),
        ({"language": "pt"}, ["br-1"]),
        ({"language": "fr"}, ["ke-1"]),  # a French translation of an English original
    ],
)
def test_browse_filters(filters, expected):
    from amparo.observatory.services import TranslationData

    make_instrument("co-1", adopted_on=date(2011, 10, 31))
    make_instrument(
        "br-1",
        code="BR",
        instrument_type="decree",
        adopted_on=date(2016, 4, 27),
        original_language="pt",
    )
    make_instrument(
        "ke-1",
        code="KE",
        status="repealed",
        original_language="en",
        translations=[
            TranslationData(language="en", title="Model policy"),
            TranslationData(language="fr", title="Politique modèle"),
        ],
    )
    make_instrument("reg-iachr", code=None, level="regional", scope_area="americas")

    found = queries.filter_instruments(
        queries.public_instruments(), queries.BrowseFilters(**filters)
    )

    assert sorted(i.key for i in found) == expected


def test_titles_follow_the_reader_then_english_then_the_original():
    from amparo.observatory.services import TranslationData

    both = make_instrument(
        "co-1",
        translations=[
            TranslationData(language="en", title="Protection law"),
            TranslationData(language="es", title="Ley de protección"),
        ],
    )
    english = make_instrument("co-2", title="Only English")
    original = make_instrument("co-3", translations=[], title_original="Ley original")

    instruments = [both, english, original]
    queries.attach_titles(instruments, "es")

    assert [(i.title, i.title_language) for i in instruments] == [
        ("Ley de protección", "es"),
        ("Only English", "en"),
        ("Ley original", "es"),
    ]


def test_the_country_profile_gathers_its_own_and_the_standards_that_concern_it():
    make_instrument("co-law")
    make_instrument("co-bill", instrument_type="bill", status="draft")
    make_instrument("co-mechanism", instrument_type="mechanism")
    make_instrument("int-decl", code=None, level="international")
    make_instrument("reg-iachr", code=None, level="regional", scope_area="americas")
    make_instrument("reg-escazu", code=None, level="regional", scope_area="latin_america_caribbean")
    make_instrument("reg-achpr", code=None, level="regional", scope_area="africa")
    make_instrument("reg-eu", code=None, level="regional")
    make_instrument("ke-law", code="KE")

    profile = queries.country_profile(queries.get_country("CO"), "en")

    assert sorted(i.key for i in profile.in_force) == ["co-law", "co-mechanism"]
    assert [i.key for i in profile.others] == ["co-bill"]
    assert [i.key for i in profile.mechanisms] == ["co-mechanism"]
    assert sorted(i.key for i in profile.applicable) == ["int-decl", "reg-escazu", "reg-iachr"]
    assert profile.summary.state == PolicyState.BINDING_IN_FORCE


def test_fictional_demo_evaluations_are_never_public_without_debug(settings):
    framework = make_framework()
    real = make_evaluation(framework, code="CO")
    make_evaluation(framework, code="KE", is_demo=True)

    settings.DEBUG = False
    without_debug = list(queries.public_evaluations())
    settings.DEBUG = True
    with_debug = list(queries.public_evaluations())

    assert without_debug == [real]
    assert len(with_debug) == 2


def test_evaluations_of_a_withdrawn_instrument_leave_with_it(editor):
    from amparo.observatory import services

    instrument = make_instrument()
    make_evaluation(make_framework(), instrument=instrument)

    services.withdraw_instrument(instrument=instrument, actor=editor)

    assert list(queries.public_evaluations()) == []


def test_unpublished_evaluations_are_not_public():
    framework = make_framework()
    make_evaluation(framework, code="CO", published=False)

    assert list(queries.public_evaluations()) == []


def test_the_timeline_holds_dated_counted_instruments_oldest_first():
    make_instrument("co-2012", adopted_on=date(2012, 1, 1))
    make_instrument("co-1997", adopted_on=date(1997, 1, 1), precision="year")
    make_instrument("co-undated", adopted_on=None)
    make_instrument(
        "br-state", code="BR", level="subnational", subdivision="Pará", adopted_on=date(2016, 1, 1)
    )
    make_instrument("int-1998", code=None, level="international", adopted_on=date(1998, 12, 9))

    rows, truncated = queries.timeline()

    assert ([i.key for i in rows], truncated) == (["co-1997", "co-2012", "br-state"], False)
    assert [i.key for i in queries.timeline("africa")[0]] == []
