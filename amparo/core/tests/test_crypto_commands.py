"""`amparo_keys` and the MFA secrets under the platform key (CRY-04, CRY-05, CRY-06, CRY-09)."""

from __future__ import annotations

import importlib
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from amparo.accounts.tests.factories import TEST_TOTP_SECRET
from amparo.core import crypto
from amparo.core.crypto import keyring, mfa
from amparo.core.crypto.master import master_key
from amparo.core.models import DataKey

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("amparo_keys", *args, stdout=out)
    return out.getvalue()


def totp_data(user) -> dict:
    return Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data


@pytest.mark.req("CRY-09")
def test_totp_secrets_are_stored_encrypted_under_the_platform_key(desk_officer):
    stored = totp_data(desk_officer)["secret"]

    assert stored.startswith("amp1:1:")
    assert mfa.decrypt_text(stored) == TEST_TOTP_SECRET
    assert list(DataKey.objects.values_list("organisation_id", flat=True)) == [None]


def test_data_migration_encrypts_plaintext_secrets_and_keeps_tokens(desk_officer, desk_lead):
    Authenticator.objects.filter(user=desk_officer, type="totp").update(
        data={"secret": TEST_TOTP_SECRET}
    )
    kept = totp_data(desk_lead)["secret"]
    migration = importlib.import_module("amparo.core.migrations.0003_encrypt_mfa_secrets")

    migration.encrypt_secrets(apps, None)

    assert mfa.decrypt_text(totp_data(desk_officer)["secret"]) == TEST_TOTP_SECRET
    assert totp_data(desk_lead)["secret"] == kept


@pytest.mark.req("CRY-05")
def test_rotate_dek_for_the_platform_re_encrypts_mfa_secrets(desk_officer):
    output = run("rotate-dek", "--platform")

    assert totp_data(desk_officer)["secret"].startswith("amp1:2:")
    assert mfa.decrypt_text(totp_data(desk_officer)["secret"]) == TEST_TOTP_SECRET
    assert output.splitlines()[0] == "platform: new data key v2"


@pytest.mark.req("CRY-05")
def test_rotate_dek_for_an_organisation_adds_a_version(organisation):
    crypto.encrypt(b"x", organisation_id=organisation.pk, label="a.B.c", row_id=organisation.pk)

    run("rotate-dek", "--org", organisation.slug)

    versions = DataKey.objects.filter(organisation_id=organisation.pk).values_list("version")
    assert sorted(v for (v,) in versions) == [1, 2]


@pytest.mark.req("CRY-05")
def test_rotate_kek_rewraps_with_the_old_key_file(desk_officer, settings, tmp_path):
    old_file = tmp_path / "old.key"
    old_file.write_text(settings.AMPARO_MASTER_KEY)
    settings.AMPARO_MASTER_KEY = "bmV3IG1hc3RlciBrZXkgZm9yIHRoZSB0ZXN0cyEhISE="

    output = run("rotate-kek", "--old-key-file", str(old_file))

    assert output == "Re-wrapped 1 data keys.\n"
    assert mfa.decrypt_text(totp_data(desk_officer)["secret"]) == TEST_TOTP_SECRET


@pytest.mark.req("CRY-04")
def test_status_lists_versions_and_stored_values(desk_officer, desk_lead):
    output = run("status")

    kek = keyring.key_id(master_key())
    assert output == f"platform\tv1\tkek {kek}\t2 values\n"


@pytest.mark.req("CRY-06")
def test_shred_needs_confirmation_then_destroys_the_keys(
    organisation, other_organisation, monkeypatch
):
    place = {"label": "a.B.c", "row_id": organisation.pk}
    token = crypto.encrypt(b"x", organisation_id=organisation.pk, **place)
    other = crypto.encrypt(b"y", organisation_id=other_organisation.pk, **place)

    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Not confirmed"):
        run("shred", "--org", organisation.slug)
    run("shred", "--org", organisation.slug, "--yes")

    with pytest.raises(crypto.KeyDestroyed):
        crypto.decrypt(token, organisation_id=organisation.pk, **place)
    assert crypto.decrypt(other, organisation_id=other_organisation.pk, **place) == b"y"
    assert DataKey.objects.get(organisation_id=organisation.pk).wrapped == ""


def test_init_demo_creates_a_private_key_file_and_says_it_is_a_demo(settings, tmp_path):
    settings.DEBUG = True
    settings.AMPARO_DEMO_MASTER_KEY_PATH = tmp_path / "var" / "demo-master.key"

    output = run("init-demo")

    path = settings.AMPARO_DEMO_MASTER_KEY_PATH
    assert (path.stat().st_mode & 0o777, output.split(" ")[:3]) == (
        0o600,
        ["Created", "the", "DEMO"],
    )
    assert run("init-demo").startswith("Using the DEMO master key")


def test_debug_without_a_key_uses_the_demo_key_and_warns(settings, tmp_path, caplog):
    settings.DEBUG, settings.AMPARO_MASTER_KEY = True, ""
    settings.AMPARO_DEMO_MASTER_KEY_PATH = tmp_path / "demo-master.key"
    from amparo.core.crypto import master

    master._demo_warned = False

    key = master.master_key()

    assert (len(key), [r.levelname for r in caplog.records]) == (32, ["WARNING"])
    assert "DEMO MASTER KEY" in caplog.records[0].getMessage()


def test_no_key_outside_debug_raises(settings):
    settings.DEBUG, settings.AMPARO_MASTER_KEY = False, ""

    with pytest.raises(crypto.MasterKeyMissing):
        crypto.encrypt(b"x", organisation_id=None, label="a.B.c", row_id=mfa.ROW_ID)


@pytest.mark.req("AUD-01")
def test_key_operations_are_audited(organisation, desk_officer, settings, tmp_path):
    from amparo.audit.models import AuditEvent

    call_command("amparo_keys", "rotate-dek", "--org", organisation.slug, stdout=StringIO())
    call_command("amparo_keys", "shred", "--org", organisation.slug, "--yes", stdout=StringIO())

    actions = list(
        AuditEvent.objects.filter(action__startswith="core.").values_list("action", flat=True)
    )
    assert sorted(actions) == ["core.data_key_rotated", "core.organisation_keys_shredded"]
