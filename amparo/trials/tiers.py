"""The tier of every stored field of the trials app's models, read by amparo/core/tiers.py
into the one registry (see its docstring for what each tier means)."""

from __future__ import annotations

from amparo.core.tiers import PUBLIC, SECRET, TIER1, TIER2, AppTiers

_ROW = {"id": TIER2, "organisation": TIER2}
_STAMPS = {"created_at": TIER2, "updated_at": TIER2, "version": TIER2}

TIERS: AppTiers = {
    "trials.LegalProvision": {
        "id": TIER2,
        "country": TIER2,
        "kind": TIER2,
        # Public law ("Penal Code, art. 220"), never about a person (FREE_TEXT_ALLOWED).
        "article": TIER2,
        "vague_offence": TIER2,
        "created_at": TIER2,
    },
    "trials.CriminalisationCase": {
        **_ROW,
        "defenders": TIER2,
        "incidents": TIER2,
        "country": TIER2,
        "court_type": TIER2,
        "initiator": TIER2,
        "patterns": TIER2,
        "stage": TIER2,
        # Derived from the detention periods (a code).
        "detention": TIER2,
        "opened_on": TIER2,
        "outcome": TIER2,
        "outcome_on": TIER2,
        "appeal": TIER2,
        "court": TIER1,
        "case_number": TIER1,
        "defence_counsel": TIER1,
        "summary": TIER1,
        "created_by": TIER2,
        **_STAMPS,
    },
    "trials.Charge": {
        **_ROW,
        "case": TIER2,
        "provision": TIER2,
        "max_penalty_months": TIER2,
        "created_at": TIER2,
    },
    "trials.Hearing": {
        **_ROW,
        "case": TIER2,
        "starts_at": TIER2,
        "kind": TIER2,
        "result": TIER2,
        "reminded_at": TIER2,
        "place": TIER1,
        "notes": TIER1,
        **_STAMPS,
    },
    "trials.DetentionPeriod": {
        **_ROW,
        "case": TIER2,
        "defender": TIER2,
        # Whether who was held is stated: a flag, no one named.
        "is_unattributed": TIER2,
        "kind": TIER2,
        "starts_on": TIER2,
        "ends_on": TIER2,
        # Where a person is held locates them (A2): encrypted, as are the notes.
        "place": TIER1,
        "notes": TIER1,
        "created_by": TIER2,
        **_STAMPS,
    },
    "trials.CalendarFeed": {
        "id": TIER2,
        "user": TIER2,
        # SHA-256 of the feed token; the token itself is shown once and never stored.
        "token_hash": SECRET,
        "created_at": TIER2,
        "revoked_at": TIER2,
    },
    "trials.Mission": {
        **_ROW,
        "hearing": TIER2,
        "observers": TIER2,
        "status": TIER2,
        "authorities_notified_on": TIER2,
        "access": TIER2,
        "interpreter": TIER2,
        "external_observers": TIER1,
        "briefing": TIER1,
        "courtroom_incidents": TIER1,
        "created_by": TIER2,
        **_STAMPS,
    },
    "trials.Assessment": {
        **_ROW,
        "mission": TIER2,
        "criterion": TIER2,
        "finding": TIER2,
        "note": TIER1,
    },
    "trials.Report": {
        **_ROW,
        "mission": TIER2,
        "status": TIER2,
        "approved_by": TIER2,
        "approved_at": TIER2,
        "published_at": TIER2,
        "public_shows_findings": TIER2,
        "public_shows_date": TIER2,
        "findings": TIER1,
        "recommendations": TIER1,
        "public_title": PUBLIC,
        "public_text": PUBLIC,
        **_STAMPS,
    },
}

#: Plaintext Tier-2 fields that could hold text but are kept to codes: "label.field" -> why.
FREE_TEXT_ALLOWED: dict[str, str] = {
    "trials.LegalProvision.country": "ISO 3166-1 alpha-2: two letters, checked by the form.",
    "trials.LegalProvision.article": "Public law (code and article), never about a person.",
    "trials.CriminalisationCase.country": "ISO 3166-1 alpha-2: two letters, checked by the form.",
    "trials.CriminalisationCase.patterns": "A list of enums.Pattern codes checked by the service.",
    "trials.Report.public_title": "Written for publication and approved (trials.approve).",
    "trials.Report.public_text": "Written for publication and approved (trials.approve).",
}
