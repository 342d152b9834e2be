"""`core.field_groups.form_fields` writes what `components/form_fields.html` writes, byte for
byte, for the defender page's forms: unbound, bound with errors, with non-field errors and
hidden fields, hostile labels, in three languages."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation

from amparo.core.field_groups import form_fields
from amparo.defenders.forms import (
    ChannelForm,
    ClosePersonForm,
    ConsentForm,
    MemberForm,
    WithdrawConsentForm,
)


class Hostile(forms.Form):
    secret = forms.CharField(widget=forms.HiddenInput, initial='"><script>x</script>')
    name = forms.CharField(label='<b>"Name"</b> & co', help_text="<i>hint</i> & more")
    agree = forms.BooleanField(label="<Agree>", help_text="'quoted'", required=False)
    kinds = forms.MultipleChoiceField(
        label="Kinds", choices=[("a", "<A>"), ("b", "B & b")], widget=forms.CheckboxSelectMultiple
    )

    def clean(self):
        raise forms.ValidationError('Both <wrong> & "bad"')


def _template(form) -> str:
    return render_to_string("components/form_fields.html", {"form": form})


def _forms():
    today = datetime.date(2026, 3, 4)
    yield ChannelForm(prefix="channel", initial={"is_safe": True})
    yield ChannelForm({"channel-kind": "nope", "channel-value": ""}, prefix="channel")
    yield ConsentForm(prefix="consent", initial={"given_on": today})
    yield ConsentForm({"consent-given_on": "2999-01-01"}, prefix="consent")
    yield WithdrawConsentForm(
        auto_id="id_withdraw_0123456789ab_%s", initial={"withdrawn_on": today}
    )
    yield WithdrawConsentForm({"withdrawn_on": "2999-01-01"}, auto_id="id_w_%s")
    yield ClosePersonForm()
    yield MemberForm({"member": "x"})
    yield Hostile()
    yield Hostile({"name": "<x>", "kinds": ["a"]})


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_form_fields_is_the_template(language):
    with translation.override(language):
        for form in _forms():
            if form.is_bound:
                form.is_valid()
            assert form_fields(form) == _template(form), type(form).__name__


def test_the_blank_forms_kept_per_language_are_the_forms_written_afresh():
    """The defender page's blank channel and consent forms, written once per language (and
    day), are what the wrappers write for a new blank form, in whatever order languages and
    days come."""
    from amparo.defenders.views.common import (
        blank_channel_fields,
        blank_channel_form,
        blank_consent_fields,
        blank_consent_form,
    )

    days = [datetime.date(2025, 3, 9), datetime.date(2026, 11, 25)]
    for language in ["es", "en", "th", "es", "fr", "en"]:
        with translation.override(language):
            current = translation.get_language()
            assert blank_channel_fields(current) == _template(blank_channel_form())
            for day in days:
                expected = _template(blank_consent_form(day))
                assert blank_consent_fields(current, day) == expected


# --- the page's parts, read by prepared queries instead of prefetches ---


@pytest.mark.django_db
def test_the_page_reads_the_parts_the_prefetch_read(organisation, desk_officer, reading):
    from amparo.accounts.models import User
    from amparo.defenders import queries
    from amparo.defenders.models import Defender
    from amparo.defenders.tests.factories import (
        ConsentFactory,
        ContactChannelFactory,
        DefenderFactory,
    )

    record = DefenderFactory(organisation=organisation, categories=["whrd", "land", "lgbtiq"])
    other = DefenderFactory(organisation=organisation, categories=["land"])
    ContactChannelFactory(defender=record, is_safe=False, value="second")
    ContactChannelFactory(defender=record, is_safe=True, value="first")
    ContactChannelFactory(defender=other)
    ConsentFactory(defender=record, given_on=datetime.date(2025, 1, 1), given_by="older")
    ConsentFactory(defender=record, given_on=datetime.date(2025, 6, 1), given_by="newer")
    ConsentFactory(defender=other)
    user = User.objects.get(pk=desk_officer.pk)
    page = queries.get_defender_page(user, record.pk)
    expected = Defender.objects.prefetch_related("categories", "channels", "consents").get(
        pk=record.pk
    )

    assert queries.category_codes_of(page) == [c.code for c in expected.categories.all()]
    assert len(queries.category_codes_of(page)) == 3
    assert [(c.pk, c.value) for c in queries.page_channels(page)] == [
        (c.pk, c.value) for c in expected.channels.all()
    ]
    assert [c.value for c in queries.page_channels(page)] == ["first", "second"]
    assert [(c.pk, c.given_by) for c in queries.page_consents(page)] == [
        (c.pk, c.given_by) for c in expected.consents.all()
    ]
    assert [c.given_by for c in queries.page_consents(page)] == ["newer", "older"]


@pytest.mark.django_db
def test_a_record_without_parts_asks_nothing_more(
    organisation, desk_officer, django_assert_num_queries
):
    from amparo.accounts.models import User
    from amparo.defenders import queries
    from amparo.defenders.tests.factories import DefenderFactory

    record = DefenderFactory(organisation=organisation)
    user = User.objects.get(pk=desk_officer.pk)
    with django_assert_num_queries(5):  # memberships, the record, its three parts
        page = queries.get_defender_page(user, record.pk)
    with django_assert_num_queries(0):
        assert queries.category_codes_of(page) == []
        assert queries.page_channels(page) == []
        assert queries.page_consents(page) == []
