"""The fund list's cards, written in Python (desk/rows.py `fund_cards`): byte for byte what the
page's former template loop wrote, in several languages, with hostile names and every rule
set or not, for the desk lead (edit links) and for staff (none)."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from amparo.audit.services import audit_context
from amparo.desk import queries, rows
from amparo.desk.models import GrantFund
from amparo.desk.tests.factories import make_fund
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

#: desk/fund_list.html's loop before it was written in Python.
FORMER_LOOP = """{% load i18n %}{% for fund in funds %}
  <li><strong>{{ fund.name }}</strong>{% if not fund.is_active %} · {% translate "retired" %}{% endif %}
    <dl class="facts">
      <dt>{% translate "Covers" %}</dt><dd>{{ fund.category_labels|join:", " }}</dd>
      <dt>{% translate "Maximum amount" %}</dt><dd>{% if fund.max_amount %}{{ fund.max_amount }} {{ fund.currency }}{% else %}{% translate "No maximum" %}{% endif %}</dd>
      <dt>{% translate "Grants per defender in twelve months" %}</dt><dd>{{ fund.max_grants_per_year|default:_("No limit") }}</dd>
      <dt>{% translate "Needs a current risk analysis" %}</dt><dd>{% if fund.requires_current_analysis %}{% translate "Yes" %}{% else %}{% translate "No" %}{% endif %}</dd>
      <dt>{% translate "Needs consent to share with partner organisations" %}</dt><dd>{% if fund.requires_partner_consent %}{% translate "Yes" %}{% else %}{% translate "No" %}{% endif %}</dd>
    </dl>
    {% if fund.organisation_id in lead_of %}<a href="{% url 'desk:fund-edit' fund.pk %}">{% translate "Edit" %}</a>{% endif %}</li>
{% endfor %}"""  # noqa: E501 -- the template's lines as they were


@pytest.fixture
def funds(organisation):
    hostile = make_fund(organisation, name='Fondo <b>"Ayuda"</b> & co', categories=["legal"])
    # A code no longer among the categories is shown as it is stored, escaped.
    GrantFund.objects.filter(pk=hostile.pk).update(categories=["legal", "odd<code>"])
    make_fund(
        organisation,
        name="Relocation",
        categories=["relocation", "physical"],
        max_amount=12500,
        currency="USD",
        max_grants_per_year=2,
        requires_current_analysis=True,
        requires_partner_consent=True,
    )
    retired = make_fund(organisation, name="Old fund", max_amount=0, max_grants_per_year=0)
    GrantFund.objects.filter(pk=retired.pk).update(is_active=False)


@pytest.mark.parametrize("language", ["en", "es", "fr", "ar", "pt-br"])
@pytest.mark.parametrize("lead", [True, False])
def test_the_cards_are_the_former_loops(funds, organisation, desk_lead, language, lead):
    lead_of = {organisation.pk} if lead else set()
    with translation.override(language), audit_context(actor=desk_lead):
        listed = list(queries.funds_visible_to(desk_lead))
        assert len(listed) == 3
        former = Template(FORMER_LOOP).render(Context({"funds": listed, "lead_of": lead_of}))
        written = rows.fund_cards(listed, lead_of)
    assert written == former
    assert "<b>" not in written
    assert (reverse("desk:fund-edit", args=[listed[0].pk]) in written) == lead


def test_the_page_shows_the_cards(client, funds, desk_lead):
    login_fresh(client, desk_lead)
    html = client.get(reverse("desk:fund-list")).content.decode()
    assert "Fondo &lt;b&gt;&quot;Ayuda&quot;&lt;/b&gt; &amp; co" in html
    assert "Legal, odd&lt;code&gt;" in html
    assert "12,500 USD" in html or "12500 USD" in html
    assert html.count("<li><strong>") == 3


def test_no_fund_says_so(client, desk_lead):
    login_fresh(client, desk_lead)
    html = client.get(reverse("desk:fund-list")).content.decode()
    assert '<ul class="cards">' not in html
    assert "No fund yet." in html


def test_the_prepared_fund_list_is_the_querysets(
    funds, other_organisation, desk_lead, desk_officer, outsider
):
    make_fund(other_organisation, name="Theirs")
    for person in (desk_lead, desk_officer, outsider):
        expected = list(queries.funds_visible_to(person)[: queries.FUND_LIST_LIMIT])
        assert [f.pk for f in queries.fund_list_for(person)] == [f.pk for f in expected]
    assert len(queries.fund_list_for(desk_lead)) == 3
    assert {f.organisation_id for f in queries.fund_list_for(outsider)} <= {other_organisation.pk}
