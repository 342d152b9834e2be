"""Canary: a Tier-1 secret written through the pages never lies at rest in plaintext (CRY-09).

A staff member joins through the real pages (invitation, account, authenticator enrolment),
so the TOTP secret and the recovery-code seed are written the way users write them. Then the
database dump, the logs, the cache and the media folder are searched for every usual encoding
of those secrets and of the master key. A control proves the search finds what is there.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import subprocess
from pathlib import Path
from urllib.parse import quote

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import connection
from django.urls import reverse

from amparo.accounts import queries
from amparo.accounts.tests.factories import InvitationFactory
from amparo.core.crypto import mfa
from amparo.core.crypto.master import master_key

CONTROL_NAME = "Nia Controlname"


def encodings(secret: bytes) -> set[bytes]:
    """Raw, hex, base32, base64 at three offsets, URL- and JSON-escaped."""
    forms = {secret, secret.hex().encode(), secret.hex().upper().encode()}
    forms.add(base64.b32encode(secret).rstrip(b"="))
    for offset in range(3):
        # A base64 run starting `offset` bytes in; drop the final partial group.
        encoded = base64.b64encode(secret[offset:])[: (len(secret) - offset) // 3 * 4]
        forms.update({encoded, encoded.replace(b"+", b"-").replace(b"/", b"_")})
    text = secret.decode("latin-1")
    forms.add(quote(text, safe="").encode())
    forms.add(json.dumps(text).encode()[1:-1])
    return {form for form in forms if len(form) >= 8}


def database_dump() -> bytes:
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump()).encode()
    db = connection.settings_dict
    command = ["/usr/bin/pg_dump", "--data-only", "--dbname", db["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command += [option, str(db[key])]
    return subprocess.run(command, check=True, capture_output=True).stdout  # noqa: S603 -- fixed argv


def redis_values() -> bytes:
    if not getattr(settings, "REDIS_URL", ""):
        return b""
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    chunks = []
    for key in client.scan_iter(count=1000):
        chunks.append(key)
        if client.type(key) == b"string":
            chunks.append(client.get(key) or b"")
    return b"\n".join(chunks)


def media_files() -> bytes:
    root = Path(settings.MEDIA_ROOT)
    files = root.rglob("*") if root.exists() else []
    return b"\n".join(path.read_bytes() for path in files if path.is_file())


def join_and_enrol(client) -> str:
    """Accept an invitation and enrol an authenticator app; return the secret the page showed."""
    InvitationFactory(email="nia@example.org", token_hash=queries.hash_token("tok"))
    client.get(reverse("accounts:invitation-open") + "?t=tok")
    password = "rivers remember every stone"
    client.post(
        reverse("accounts:invitation-accept"),
        {
            "display_name": CONTROL_NAME,
            "password1": password,
            "password2": password,
            "language": "en",
        },
    )
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = re.search(r'id="authenticator_secret">\s*([A-Z2-7]+)\s*<', page)
    assert secret is not None, "the enrolment page shows no secret"
    response = client.post(
        reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret.group(1)).now()}
    )
    assert response.status_code == 302
    return secret.group(1)


@pytest.mark.req("CRY-09")
@pytest.mark.django_db(transaction=True)
def test_secrets_written_through_the_pages_never_appear_at_rest(client, caplog):
    caplog.set_level(logging.DEBUG)

    secret = join_and_enrol(client)
    client.get(reverse("mfa_view_recovery_codes"))

    seed_token = Authenticator.objects.get(type=Authenticator.Type.RECOVERY_CODES).data["seed"]
    seed = mfa.decrypt_text(seed_token)
    canaries = {
        "totp secret": encodings(secret.encode()) | encodings(base64.b32decode(secret)),
        "recovery seed": encodings(seed.encode()) | encodings(bytes.fromhex(seed)),
        "master key": encodings(master_key()) | encodings(settings.AMPARO_MASTER_KEY.encode()),
    }
    places = {
        "database dump": database_dump(),
        "logs": caplog.text.encode(),
        "redis": redis_values(),
        "media": media_files(),
    }

    hits = [
        (what, where)
        for what, forms in canaries.items()
        for where, content in places.items()
        if any(form in content for form in forms)
    ]
    assert hits == []
    # Controls: the search works, and the secrets were really written.
    assert CONTROL_NAME.encode() in places["database dump"]
    totp = Authenticator.objects.get(type=Authenticator.Type.TOTP)
    assert (totp.data["secret"].startswith("amp1:"), mfa.decrypt_text(totp.data["secret"])) == (
        True,
        secret,
    )
    assert totp.data["secret"].encode() in places["database dump"]
