"""The demo library: idempotent, with published resources, a draft and waiting inboxes."""

from __future__ import annotations

import pytest

from amparo.accounts import demo as accounts_demo
from amparo.accounts.models import Organisation, User
from amparo.audit.services import audit_context
from amparo.contact.models import ContactMessage
from amparo.library import demo
from amparo.library.models import CopyRequest, LanguageVersion, Resource

pytestmark = pytest.mark.django_db


def _seed() -> dict[str, int]:
    with audit_context(actor=None):
        return demo.seed(
            {org.slug: org for org in Organisation.objects.all()},
            {user.email: user for user in User.objects.all()},
        )


def test_the_demo_library_is_seeded_once(settings):
    settings.DEBUG = True
    accounts_demo.seed()

    first = _seed()
    second = _seed()

    assert first == {"library resources": 6, "copy requests": 2, "contact messages": 3}
    assert set(second.values()) == {0}
    assert Resource.objects.published().count() == 5
    spanish = LanguageVersion.objects.get(
        resource__slug="amparo-protection-manual-1", language="es"
    )
    assert "amenazas" in spanish.extracted_text
    assert (CopyRequest.objects.count(), ContactMessage.objects.count()) == (2, 3)
    with audit_context(actor=None):
        assert ContactMessage.objects.get(team="library").body.startswith("Is the manual")
