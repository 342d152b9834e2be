"""`reconcile_storage` finds rows without blobs, bad checksums and old orphans (REL-01)."""

from __future__ import annotations

import os
import time

import pytest
from django.core.management import CommandError, call_command

from amparo.files import reconcile, storage
from amparo.files.tests.factories import make_attachment

pytestmark = pytest.mark.django_db

DAY_AND_A_BIT = 25 * 3600


@pytest.mark.req("REL-01")
def test_reconcile_check_passes_on_consistent_storage(organisation, desk_officer, capsys):
    make_attachment(organisation=organisation, actor=desk_officer)

    call_command("reconcile_storage", "--check", "--deep")

    assert capsys.readouterr().out.strip().splitlines()[-1] == "storage consistent"


@pytest.mark.req("REL-01")
def test_reconcile_finds_missing_corrupt_and_orphan_blobs(organisation, desk_officer):
    gone = make_attachment(organisation=organisation, actor=desk_officer)
    flipped = make_attachment(organisation=organisation, actor=desk_officer)
    storage.blob_path(gone.blob_name).unlink()
    path = storage.blob_path(flipped.blob_name)
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 1
    path.write_bytes(bytes(raw))
    old_orphan = storage.root() / "ab" / ("ab" + "0" * 38)
    old_orphan.parent.mkdir(parents=True, exist_ok=True)
    old_orphan.write_bytes(b"x")
    os.utime(old_orphan, (time.time() - DAY_AND_A_BIT,) * 2)
    recent_orphan = storage.root() / "cd" / ("cd" + "0" * 38)
    recent_orphan.parent.mkdir(parents=True, exist_ok=True)
    recent_orphan.write_bytes(b"y")

    report = reconcile.check()

    assert (report.missing, report.corrupt, report.orphans, report.recent_orphans) == (
        [f"{gone.pk} {gone.blob_name}"],
        [f"{flipped.pk} {flipped.blob_name}"],
        [old_orphan],
        [recent_orphan],
    )


@pytest.mark.req("REL-01")
def test_reconcile_repair_removes_only_old_orphans(organisation, desk_officer):
    kept = make_attachment(organisation=organisation, actor=desk_officer)
    unfinished = storage.incoming_dir() / "dead.part"
    unfinished.write_bytes(b"ciphertext of an interrupted upload")
    os.utime(unfinished, (time.time() - DAY_AND_A_BIT,) * 2)

    call_command("reconcile_storage", "--repair")

    assert (unfinished.exists(), storage.blob_path(kept.blob_name).exists()) == (False, True)


def test_reconcile_check_fails_loudly_when_unclean(organisation, desk_officer):
    attachment = make_attachment(organisation=organisation, actor=desk_officer)
    storage.blob_path(attachment.blob_name).unlink()

    with pytest.raises(CommandError, match="not consistent"):
        call_command("reconcile_storage", "--check")
