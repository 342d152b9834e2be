"""Seeds the scratch database of test_worker_kill.py (run in `manage.py shell`): a defender,
`contacts` Signal contacts on one step, and an alert whose deliveries are queued."""

from __future__ import annotations

from django.db import transaction

from amparo.accounts.tests.factories import OrganisationFactory
from amparo.audit.services import audit_context
from amparo.networks import services
from amparo.networks.tests.factories import make_contact, make_defender, make_tree


def seed(contacts: int) -> str:
    with audit_context(actor=None), transaction.atomic():
        organisation = OrganisationFactory(name="Kill test office", slug="kill-test")
        defender = make_defender(organisation, pseudonym="Ana")
        people = [
            make_contact(defender, name=f"C{i}", channel="signal", address=f"+57300{i:07d}")
            for i in range(contacts)
        ]
        make_tree(defender, [(people, 60)])
        alert = services.raise_alert(actor=None, defender=defender, message="Help")
    return str(alert.pk)
