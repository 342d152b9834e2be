"""`make reqcheck`: every SECURITY.md requirement built so far has a test that proves it.

Tests name the requirement with `@pytest.mark.req("AUTH-04")`. A requirement joins
IMPLEMENTED when the code for it lands; from then on, losing its last test fails CI.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

#: Requirement IDs of ../shared/SECURITY.md that the code meets today (issue #2: skeleton).
IMPLEMENTED = {
    "AUTH-01",  # MFA mandatory for staff: enrolment before anything else
    "AUTH-03",  # passwords: 15 characters, argon2id at pinned cost, upgrade at sign-in
    "AUTH-04",  # lockout after 5 failures per address and place, cool-off
    "AUTH-05",  # no account enumeration through sign-in or reset
    "AUTH-06",  # re-authentication before role changes and invitations
    "AUTH-08",  # the admin signs in through allauth
    "SES-01",  # idle 30 min, absolute 8 h
    "SES-02",  # POST logout ends the server session
    "SES-03",  # cookie flags and names
    "WEB-01",  # strict CSP, no inline code
    "WEB-02",  # security headers, no-store when signed in, check --deploy clean
    "PRV-01",  # quick exit
    "ACC-01",  # sign-in required unless reviewed as public
    "ACC-03",  # one access path, 404 for the invisible
    "ACC-04",  # the permission matrix covers every URL
    "REL-02",  # optimistic locking: a stale edit is refused with both versions shown
    "CRY-01",  # AES-256-GCM amp1 fields, strict parsing, nonces never repeat
    "CRY-02",  # AAD binds model, field, row, organisation, version
    "CRY-04",  # per-organisation DEKs in the keyring, KEK-wrapped, status command
    "ACC-08",  # API tokens: per user and organisation, hashed, expiring, no export or keys
    "REL-04",  # encrypted backup archive: chunked AES-256-GCM under its own key, manifest
    "REL-05",  # restore into an empty instance only, verified first; restore drill
    "CRY-07",  # attachments: streamed chunked AES-256-GCM, per-file key, no plaintext on disk
    "AUD-01",  # audit events from services, sign-ins, MFA, Tier-1 reads; no content
    "AUD-02",  # hash chains per organisation, append-only triggers, verify and anchors
    "REL-07",  # schemathesis over the API per persona: no 5xx, conformant, no foreign canary
    "REL-03",  # jobs: ids only, effect keys, leases; a SIGKILLed worker's job completes once
}

MARK = re.compile(r"""@pytest\.mark\.req\(\s*["']([A-Z]+-\d+)["']\s*\)""")


def marked_requirements(root: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(root.rglob("test_*.py")):
        for requirement in MARK.findall(path.read_text(encoding="utf-8")):
            found.setdefault(requirement, []).append(str(path.relative_to(root.parent)))
    return found


def main() -> int:
    root = Path(__file__).resolve().parents[1]
    found = marked_requirements(root)
    missing = sorted(IMPLEMENTED - set(found))
    if missing:
        print("Requirements without a @pytest.mark.req test: " + ", ".join(missing))
        return 1
    print(f"{len(IMPLEMENTED)} requirements, each proved by a marked test.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
