"""Text search in any script: folding, terms, and the trigram-backed filter on this database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amparo.observatory import queries, search, services
from amparo.observatory.models import PolicyInstrument
from amparo.observatory.tests.factories import make_instrument


def test_fold_drops_latin_accents_and_case():
    assert search.fold("Protección DÉFENSEURS São") == "proteccion defenseurs sao"


def test_fold_keeps_thai_vowels_and_tone_marks():
    # Thai writes vowels and tones as combining marks: dropping them would change the word.
    word = "คุ้มครองนักปกป้องสิทธิมนุษยชน"

    assert search.fold(word) == word


def test_terms_split_on_spaces_and_drop_like_wildcards():
    assert search.terms("  Ley 100%  de_la  ") == ["ley", "100", "de", "la"]


@given(st.text(max_size=300))
def test_terms_never_carry_a_wildcard_and_stay_bounded(text):
    found = search.terms(text)

    assert len(found) <= search.MAX_TERMS
    assert all(term and len(term) <= search.MAX_TERM_LENGTH for term in found)
    assert not any(char in term for term in found for char in "%_\\")


def _found(query: str) -> list[str]:
    filters = queries.BrowseFilters(text=query)
    return sorted(
        queries.filter_instruments(PolicyInstrument.objects.all(), filters).values_list(
            "key", flat=True
        )
    )


@pytest.mark.django_db
def test_search_finds_thai_inside_a_sentence_without_spaces():
    thai = make_instrument(
        "th-law-1",
        code="TH",
        title="Anti-SLAPP provisions",
        title_original="ประมวลกฎหมายวิธีพิจารณาความอาญา มาตรา 161/1",
        original_language="th",
    )
    make_instrument("co-law-1", title="Ley de protección")

    # "กฎหมาย" (law) sits in the middle of a run of Thai letters with no space around it.
    assert _found("กฎหมาย") == [thai.key]


@pytest.mark.django_db
def test_search_ignores_accents_and_case_and_needs_every_term():
    make_instrument("co-law-1", title="Ley de Protección de Defensores", title_original="")
    make_instrument("co-law-2", title="Ley de Víctimas", title_original="")

    assert _found("PROTECCION") == ["co-law-1"]
    assert _found("ley") == ["co-law-1", "co-law-2"]
    assert _found("ley victimas") == ["co-law-2"]
    assert _found("ley nada") == []


@pytest.mark.django_db
def test_search_finds_short_terms_and_country_names_in_other_languages():
    make_instrument("br-law-1", code="BR", title="Programa", title_original="")
    make_instrument("co-law-1", title="Ley", title_original="")

    # Brazil is "Brasil" in Spanish and Portuguese and "บราซิล" in Thai.
    assert _found("brasil") == ["br-law-1"]
    assert _found("บราซิล") == ["br-law-1"]
    assert _found("le") == ["co-law-1"]  # two letters: below a trigram, still found


@pytest.mark.django_db
def test_search_follows_a_new_translation():
    instrument = make_instrument("co-law-1", title="Law", title_original="")
    services.save_translation(
        instrument=instrument,
        actor=None,
        data=services.TranslationData(language="fr", title="Loi sur les défenseurs"),
    )

    assert _found("defenseurs") == ["co-law-1"]
