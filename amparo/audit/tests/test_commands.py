"""`audit_verify` and `audit_anchor` as an operator runs them (AUD-02)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from amparo.audit.services import record_event

pytestmark = [pytest.mark.django_db, pytest.mark.req("AUD-02")]


def test_verify_passes_on_intact_chains(organisation) -> None:
    record_event(actor=None, action="accounts.thing_tested", organisation=organisation)
    out = io.StringIO()

    call_command("audit_verify", stdout=out)

    assert out.getvalue() == "audit chains verify\n"


def test_verify_exits_non_zero_naming_the_chain_and_seq(
    organisation, other_organisation, triggers_dropped
) -> None:
    for _ in range(3):
        record_event(actor=None, action="accounts.thing_tested", organisation=organisation)
        record_event(actor=None, action="accounts.thing_tested", organisation=other_organisation)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET action = 'x' WHERE seq = 2 AND chain = %s",
            [str(organisation.pk)],
        )
    err = io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("audit_verify", stderr=err)
    call_command("audit_verify", org=other_organisation.slug, stdout=io.StringIO())

    assert (raised.value.returncode, err.getvalue()) == (
        1,
        f"chain {organisation.pk}: first broken seq 2: content does not match its hash\n",
    )


def test_anchor_writes_every_head(organisation, tmp_path) -> None:
    last = record_event(actor=None, action="accounts.thing_tested", organisation=organisation)
    out = tmp_path / "anchors.json"

    call_command("audit_anchor", out=str(out))

    assert json.loads(out.read_text())["chains"] == [
        {"chain": str(organisation.pk), "seq": 1, "hash": last.hash}
    ]
