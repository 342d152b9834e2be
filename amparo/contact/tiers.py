"""The tier of every stored field of the contact app's models, read by amparo/core/tiers.py
into the one registry (see its docstring for what each tier means)."""

from __future__ import annotations

from amparo.core.tiers import PUBLIC, SECRET, TIER1, TIER2, AppTiers  # noqa: F401

TIERS: AppTiers = {
    "contact.ContactMessage": {
        # The organisation whose desk a Protection Desk message was written to; else empty
        # (the platform key). See the model.
        "organisation": TIER2,
        "id": TIER2,
        "team": TIER2,
        "kind": TIER2,
        "language": TIER2,
        "name": TIER1,
        "email": TIER1,
        "subject": TIER1,
        "body": TIER1,
        "status": TIER2,
        "version": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
    },
    "contact.Reply": {
        # The message's organisation, or empty (the platform key). See the model.
        "organisation": TIER2,
        "id": TIER2,
        "message": TIER2,
        "author": TIER2,
        "body": TIER1,
        "sent_at": TIER2,
    },
}

#: Plaintext Tier-2 fields that could hold text but are kept to codes: "label.field" -> why.
FREE_TEXT_ALLOWED: dict[str, str] = {}
