"""The data-tier registry: the tier of every stored field of every Amparo model.

SECURITY.md section 2 sorts data into tiers; this module says, field by field, which tier each
column holds, so that a reviewer reads one file to know what a stolen database reveals:

- `TIER1`: identifies, locates or endangers a person, or reveals protection content. Stored
  only as `amp1:` ciphertext by an `EncryptedTextField` or `EncryptedJSONField`.
- `TIER2`: non-identifying facts for filters and statistics, in plaintext: codes and enums,
  dates and timestamps, ids and foreign keys, counts, booleans, version numbers, country,
  first-level region. No free text, names, exact amounts or places finer than a region.
  Row machinery (primary keys, `created_at`, `version`, the organisation) is Tier 2 as well: a
  leak shows it in clear all the same, and a separate "system" tier would only add a boundary
  to argue about (is the subject's foreign key system or fact?).
- `PUBLIC`: published content (none yet; the observatory and library will have some).
- `SECRET`: keys, password and token hashes, MFA material: never shown, stored wrapped or
  hashed.

Many-to-many fields are declared on the model that owns them, with their tier (always Tier 2:
they are links). The tables Django creates for them hold an id and two foreign keys and
nothing else, so they are not declared themselves; the tests check that this stays true.

`amparo/core/tests/test_tiers.py` (`test_every_field_classified` and its neighbours) fails when
a field has no tier, when a declaration names a field that no longer exists, when a Tier-1
field is not encrypted or an encrypted field is not Tier 1, and when a casework app keeps free
text in plaintext. Adding a Tier-2 field therefore means adding a line here, which the code
owners review.

Other code drives from the registry through `tier_of()`, `tier1_fields()` and `tier1_labels()`:
the canary test (CRY-09) fills every Tier-1 field with a canary and seeding fills them with
realistic text; both learn the fields from here rather than from their own lists.
"""

from __future__ import annotations

import contextlib
from enum import StrEnum

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from amparo.core.crypto.fields import EncryptedFieldMixin


class Tier(StrEnum):
    """Where a field's value may live and who may read it (SECURITY.md section 2)."""

    TIER1 = "tier1"
    TIER2 = "tier2"
    PUBLIC = "public"
    SECRET = "secret"  # noqa: S105 -- the name of a tier, not a secret


TIER1 = Tier.TIER1
TIER2 = Tier.TIER2
PUBLIC = Tier.PUBLIC
SECRET = Tier.SECRET

#: One app's declarations: "app_label.ModelName" -> {field name -> tier}.
AppTiers = dict[str, dict[str, Tier]]
#: A model class, or its "app_label.ModelName" label.
ModelRef = type[models.Model] | str

#: Apps being written while the registry was made: their models are not checked yet. The lead
#: removes an app from this set once its fields are declared below (the tests say when).
PENDING_APPS: frozenset[str] = frozenset()

#: Apps that hold the platform's own machinery rather than casework. Every other Amparo app is
#: treated as casework, so a new app gets the strict free-text check until it is listed here.
PLATFORM_APPS: frozenset[str] = frozenset({"core", "accounts", "audit", "jobs", "files", "api"})

#: Apps whose content is published on purpose (public policy data, manuals): free text there
#: is the point, and holds no casework. Their editorial machinery is still declared Tier 2.
PUBLIC_APPS: frozenset[str] = frozenset({"observatory", "library"})

CORE: AppTiers = {
    "core.DataKey": {
        "id": TIER2,
        # A bare UUID, not a foreign key (see the model).
        "organisation_id": TIER2,
        "version": TIER2,
        # The DEK, wrapped by the master key.
        "wrapped": SECRET,
        # A hash prefix of the master key: derived from key material.
        "kek_id": SECRET,
        "created_at": TIER2,
        "destroyed_at": TIER2,
    },
    # Versions of public data sets (ADR 0048): operational counters, as observatory.DatasetState.
    "core.PublicVersion": {
        "name": TIER2,
        "version": TIER2,
        "changed_at": TIER2,
    },
}

ACCOUNTS: AppTiers = {
    "accounts.User": {
        # argon2id hash.
        "password": SECRET,
        "last_login": TIER2,
        "is_superuser": TIER2,
        "id": TIER2,
        # SECURITY.md section 2, Users row: email and display name are Tier 2; the
        # display name may be a pseudonym. A defender's own account is a finding of ADR 0023.
        "email": TIER2,
        "display_name": TIER2,
        "language": TIER2,
        "is_active": TIER2,
        "is_staff": TIER2,
        "is_demo": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        # Links to Django's groups and permissions (PermissionsMixin).
        "groups": TIER2,
        "user_permissions": TIER2,
    },
    "accounts.Organisation": {
        "id": TIER2,
        # Operational names of the tree. A collective's own organisation shows its name
        # here in clear, like a user's display name (which may be a pseudonym): see ADR 0023.
        "name": TIER2,
        # Derived from the name.
        "slug": TIER2,
        "kind": TIER2,
        "collective_type": TIER2,
        "parent": TIER2,
        # ISO 3166-1 alpha-2.
        "country": TIER2,
        "is_active": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        # Which units accompany which collectives: the shape of the tree.
        "accompanied_by": TIER2,
    },
    "accounts.Membership": {
        "id": TIER2,
        "user": TIER2,
        "organisation": TIER2,
        "role": TIER2,
        "is_active": TIER2,
        "invited_by": TIER2,
        "version": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
    },
    "accounts.Invitation": {
        "id": TIER2,
        "organisation": TIER2,
        # The invitee's address, Tier 2 like users' (it becomes one).
        "email": TIER2,
        "role": TIER2,
        "language": TIER2,
        # SHA-256 of the link's token.
        "token_hash": SECRET,
        "invited_by": TIER2,
        "created_at": TIER2,
        "expires_at": TIER2,
        "accepted_at": TIER2,
        "accepted_by": TIER2,
        "revoked_at": TIER2,
    },
}

AUDIT: AppTiers = {
    "audit.AuditChainHead": {
        "id": TIER2,
        # An organisation UUID or "platform".
        "chain": TIER2,
        "seq": TIER2,
        # Chain hashes cover ids, never content: Tier 2 in SECURITY.md's Audit row.
        "hash": TIER2,
    },
    "audit.AuditEvent": {
        "id": TIER2,
        "chain": TIER2,
        "seq": TIER2,
        "occurred_at": TIER2,
        "actor": TIER2,
        "organisation": TIER2,
        # A code such as `defenders.defender_created`, never content.
        "action": TIER2,
        "object_type": TIER2,
        # UUIDs only.
        "object_ids": TIER2,
        "subject_user": TIER2,
        "request_id": TIER2,
        "prev_hash": TIER2,
        "hash": TIER2,
    },
}

JOBS: AppTiers = {
    "jobs.JobProgress": {
        "id": TIER2,
        "kind": TIER2,
        "owner": TIER2,
        "organisation": TIER2,
        "state": TIER2,
        "total": TIER2,
        "done": TIER2,
        "message": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
    "jobs.WorkerHeartbeat": {
        # Chosen by the operator when starting a worker.
        "worker_id": TIER2,
        "started_at": TIER2,
        "seen_at": TIER2,
    },
    "jobs.JobEffect": {
        "id": TIER2,
        # Codes and ids, e.g. `plans.reminder_email:<plan>:<person>:<day>`, never content.
        "key": TIER2,
        "created_at": TIER2,
    },
}

FILES: AppTiers = {
    "files.Attachment": {
        "id": TIER2,
        "organisation": TIER2,
        "uploaded_by": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
        "blob_name": TIER2,
        # CRY-07: the hash of the ciphertext is Tier 2, of the plaintext Tier 1.
        "blob_sha256": TIER2,
        "size": TIER2,
        # Sniffed from the content, one of the allowed kinds (UPL-01).
        "content_type": TIER2,
        "extension": TIER2,
        # The file key, wrapped by the organisation's DEK.
        "wrapped_key": SECRET,
        "original_filename": TIER1,
        "plaintext_sha256": TIER1,
        "has_original": TIER2,
        "original_blob_name": TIER2,
        "original_blob_sha256": TIER2,
        "original_size": TIER2,
        "original_wrapped_key": SECRET,
        "original_sha256": TIER1,
    },
}

DEFENDERS: AppTiers = {
    "defenders.Defender": {
        "id": TIER2,
        "organisation": TIER2,
        "kind": TIER2,
        "status": TIER2,
        "collective_type": TIER2,
        # Links to the defender's own account, whose email is Tier 2: see ADR 0023.
        "user": TIER2,
        "collective_organisation": TIER2,
        # ISO 3166-1 alpha-2.
        "country": TIER2,
        # First-level region; free text, allowed in FREE_TEXT_ALLOWED below.
        "region": TIER2,
        # An indigenous language points to ethnicity (ADR 0023): encrypted since defenders 0003.
        "languages": TIER1,
        "pseudonym": TIER1,
        "legal_name": TIER1,
        "rights_defended": TIER1,
        "location": TIER1,
        "notes": TIER1,
        "intersectional": TIER1,
        "leadership": TIER1,
        "created_by": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
    "defenders.DefenderCategory": {
        "id": TIER2,
        "defender": TIER2,
        "code": TIER2,
    },
    "defenders.CollectiveMember": {
        "id": TIER2,
        "collective": TIER2,
        "member": TIER2,
        "role": TIER2,
        "since": TIER2,
        "created_at": TIER2,
    },
    "defenders.ContactChannel": {
        "id": TIER2,
        "organisation": TIER2,
        "defender": TIER2,
        "kind": TIER2,
        "value": TIER1,
        "instructions": TIER1,
        "is_safe": TIER2,
        "created_at": TIER2,
    },
    "defenders.ConsentRecord": {
        "id": TIER2,
        "organisation": TIER2,
        "defender": TIER2,
        "scope": TIER2,
        "given_by": TIER1,
        "given_on": TIER2,
        "details": TIER1,
        "recorded_by": TIER2,
        "withdrawn_on": TIER2,
        "withdrawn_recorded_by": TIER2,
        "created_at": TIER2,
    },
    "defenders.DefenderShare": {
        "id": TIER2,
        "defender": TIER2,
        "organisation": TIER2,
        "shared_by": TIER2,
        "created_at": TIER2,
    },
    "defenders.ClosePerson": {
        "id": TIER2,
        "organisation": TIER2,
        "defender": TIER2,
        "relation": TIER2,
        "name": TIER1,
        "contact": TIER1,
        "notes": TIER1,
        "created_by": TIER2,
        "created_at": TIER2,
    },
}

INCIDENTS: AppTiers = {
    "incidents.IncidentExport": {
        "id": TIER2,
        "job": TIER2,
        "owner": TIER2,
        "organisation": TIER2,
        "export_format": TIER2,
        "rows": TIER2,
        "blob_name": TIER2,
        # Hash of the ciphertext (CRY-07), as for attachments.
        "blob_sha256": TIER2,
        "size": TIER2,
        # The file key, wrapped by the organisation's key.
        "wrapped_key": SECRET,
        "created_at": TIER2,
        "finished_at": TIER2,
    },
    "incidents.Incident": {
        "id": TIER2,
        "organisation": TIER2,
        "status": TIER2,
        "reported_by": TIER2,
        "channel": TIER2,
        "occurred_on": TIER2,
        "date_precision": TIER2,
        # The date, or the day of recording when unknown.
        "listed_on": TIER2,
        "date_end": TIER2,
        # ISO 3166-1 alpha-2.
        "country": TIER2,
        # First-level region; free text, allowed in FREE_TEXT_ALLOWED below.
        "region": TIER2,
        "location_precision": TIER2,
        "is_danger_now": TIER2,
        "violation_status": TIER2,
        "title": TIER1,
        "description": TIER1,
        "location": TIER1,
        "impact": TIER1,
        "state_response": TIER1,
        "is_security_incident": TIER2,
        "is_work_related": TIER2,
        "is_known_threat": TIER2,
        "follow_up": TIER2,
        "evaluation_notes": TIER1,
        "lessons": TIER1,
        "evaluated_by": TIER2,
        "evaluated_at": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
    "incidents.Act": {
        # The incident's date copied for the timeline's index (kept equal by the services).
        "listed_on": TIER2,
        "id": TIER2,
        "organisation": TIER2,
        "incident": TIER2,
        "victim": TIER2,
        "act_type": TIER2,
        "consequences": TIER1,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
    "incidents.Perpetrator": {
        "id": TIER2,
        "organisation": TIER2,
        "kind": TIER2,
        "name": TIER1,
        "description": TIER1,
        "created_by": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
    "incidents.Involvement": {
        "id": TIER2,
        "organisation": TIER2,
        "incident": TIER2,
        "perpetrator": TIER2,
        "act": TIER2,
        "degree": TIER2,
        "attribution": TIER2,
        "intent": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
    "incidents.Source": {
        "id": TIER2,
        "organisation": TIER2,
        "incident": TIER2,
        "connection": TIER2,
        "reliability": TIER2,
        "received_on": TIER2,
        "identity": TIER1,
        "notes": TIER1,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
    "incidents.Intervention": {
        "id": TIER2,
        "organisation": TIER2,
        "incident": TIER2,
        "intervention_type": TIER2,
        "party": TIER1,
        "done_on": TIER2,
        "response": TIER2,
        "impact": TIER2,
        "priority": TIER2,
        "notes": TIER1,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
    "incidents.IncidentAttachment": {
        "id": TIER2,
        "incident": TIER2,
        "attachment": TIER2,
        "added_by": TIER2,
        "created_at": TIER2,
    },
}

ACTORS: AppTiers = {
    "actors.Actor": {
        "id": TIER2,
        "organisation": TIER2,
        "subject": TIER2,
        "parent": TIER2,
        "actor_type": TIER2,
        "stance": TIER2,
        "power": TIER2,
        "will_to_protect": TIER2,
        "name": TIER1,
        "interests": TIER1,
        "duties": TIER1,
        "resources": TIER1,
        "view_of_defender": TIER1,
        "notes": TIER1,
        "created_by": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
    "actors.ActorRelation": {
        "id": TIER2,
        "organisation": TIER2,
        "source": TIER2,
        "target": TIER2,
        "kind": TIER2,
        "note": TIER1,
        "created_by": TIER2,
        "created_at": TIER2,
    },
    "actors.SpacePosition": {
        "id": TIER2,
        "organisation": TIER2,
        "actor": TIER2,
        "positioned_on": TIER2,
        "acceptance": TIER2,
        "deterrence": TIER2,
        "rationale": TIER1,
        "created_by": TIER2,
        "created_at": TIER2,
    },
}

RISK: AppTiers = {
    "risk.RiskAnalysis": {
        "id": TIER2,
        "organisation": TIER2,
        "subject": TIER2,
        "status": TIER2,
        "level": TIER2,
        "analysed_on": TIER2,
        "next_review": TIER2,
        "context": TIER1,
        "lineage_id": TIER2,
        "revision": TIER2,
        "previous": TIER2,
        "participants_other": TIER1,
        "defenders_present": TIER2,
        "consultation": TIER1,
        "is_participatory": TIER2,
        "level_rationale": TIER1,
        "acceptability": TIER2,
        # A list of AcceptabilityReason codes (FREE_TEXT_ALLOWED).
        "acceptability_reasons": TIER2,
        "decision_by": TIER1,
        "decision_rationale": TIER1,
        "decided_on": TIER2,
        # A list of ReviewTrigger codes (FREE_TEXT_ALLOWED).
        "review_triggers": TIER2,
        "concluded_at": TIER2,
        "concluded_by": TIER2,
        "review_requested_at": TIER2,
        "review_reason": TIER2,
        "created_by": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
        # Accounts that took part; anyone else is named in Tier-1 text.
        "participants": TIER2,
    },
    "risk.Threat": {
        "id": TIER2,
        "organisation": TIER2,
        "subject": TIER2,
        "analysis": TIER2,
        "source_actor": TIER2,
        "summary": TIER1,
        "likelihood": TIER2,
        "impact": TIER2,
        "is_focus": TIER2,
        "nature": TIER2,
        "directness": TIER2,
        "domain": TIER2,
        "recurrence": TIER2,
        # A list of ThreatBound codes (FREE_TEXT_ALLOWED).
        "bounded_to": TIER2,
        "step": TIER2,
        "facts": TIER1,
        "pattern_means": TIER1,
        "pattern_timing": TIER1,
        "pattern_symbols": TIER1,
        "pattern_content": TIER1,
        "objective": TIER1,
        "source_description": TIER1,
        "capability": TIER2,
        "intent": TIER2,
        "conclusion": TIER1,
        "alert": TIER2,
        "alert_changed_at": TIER2,
        "lineage_id": TIER2,
        "copied_from": TIER2,
        "created_by": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
        "incidents": TIER2,
    },
    "risk.VCFactor": {
        "id": TIER2,
        "organisation": TIER2,
        "threat": TIER2,
        "kind": TIER2,
        "category": TIER2,
        "description": TIER1,
        # Codes, but they say who the person is (RISK-5).
        "lenses": TIER1,
        "lineage_id": TIER2,
        "copied_from": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
    "risk.AlertDecision": {
        "id": TIER2,
        "organisation": TIER2,
        "threat": TIER2,
        "lineage_id": TIER2,
        "decision": TIER2,
        "from_state": TIER2,
        "rationale": TIER1,
        "decided_by": TIER2,
        "decided_at": TIER2,
    },
    "risk.AnalysisSnapshot": {
        "id": TIER2,
        "organisation": TIER2,
        "analysis": TIER2,
        "reason": TIER2,
        # The whole analysis, Tier-1 content included.
        "data": TIER1,
        "taken_by": TIER2,
        "taken_at": TIER2,
    },
}

PLANS: AppTiers = {
    "plans.SecurityPlan": {
        "id": TIER2,
        "organisation": TIER2,
        "subject": TIER2,
        "analysis": TIER2,
        "level": TIER2,
        "status": TIER2,
        "adopted_on": TIER2,
        "next_review": TIER2,
        "review_interval_days": TIER2,
        "title": TIER1,
        "objective_threats": TIER1,
        "objective_vulnerabilities": TIER1,
        "objective_capacities": TIER1,
        "decider": TIER1,
        "sources": TIER1,
        "distribution": TIER1,
        "created_by": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
        "focus_threats": TIER2,
    },
    "plans.Measure": {
        "id": TIER2,
        "organisation": TIER2,
        "plan": TIER2,
        "factor": TIER2,
        "threat": TIER2,
        # An account; a responsible person without one is named in `owner_name`.
        "owner": TIER2,
        "is_acceptance": TIER2,
        "is_deterrence": TIER2,
        "is_protection": TIER2,
        "kind": TIER2,
        "deadline": TIER2,
        "status": TIER2,
        # A key of plans/guide.py (FREE_TEXT_ALLOWED).
        "guide_key": TIER2,
        "description": TIER1,
        "owner_name": TIER1,
        "resources": TIER1,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
    "plans.Protocol": {
        "id": TIER2,
        "organisation": TIER2,
        "plan": TIER2,
        "kind": TIER2,
        "situation": TIER2,
        # A key of plans/guide.py (FREE_TEXT_ALLOWED).
        "guide_key": TIER2,
        "title": TIER1,
        "steps": TIER1,
        "contacts": TIER1,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
        "prerequisites": TIER2,
        "threats": TIER2,
    },
    "plans.ComplianceCheck": {
        "id": TIER2,
        "organisation": TIER2,
        "plan": TIER2,
        "checked_on": TIER2,
        "checked_by": TIER2,
        "result": TIER2,
        "notes": TIER1,
        "created_at": TIER2,
    },
    "plans.MeasureCheck": {
        "id": TIER2,
        "compliance_check": TIER2,
        "measure": TIER2,
        "result": TIER2,
    },
}

API: AppTiers = {
    "api.ApiToken": {
        "id": TIER2,
        "user": TIER2,
        "organisation": TIER2,
        # The owner's label for the token, like a display name.
        "name": TIER2,
        # `amp_` and 8 characters of the token, shown so people tell tokens apart; the other
        # 35 characters (about 210 bits) stay secret.
        "prefix": TIER2,
        # SHA-256 of the token.
        "token_hash": SECRET,
        "created_at": TIER2,
        "expires_at": TIER2,
        "last_used_at": TIER2,
        "revoked_at": TIER2,
    },
}

OBSERVATORY: AppTiers = {
    "observatory.Revision": {
        "id": TIER2,
        "kind": TIER2,
        "instrument": TIER2,
        "country": TIER2,
        "language": TIER2,
        "evaluation": TIER2,
        "framework": TIER2,
        "state": TIER2,
        # Proposed public content: editors only until a second editor approves it (ADR 0024).
        "content": PUBLIC,
        "note": PUBLIC,
        # Between editors, about the work; never shown to readers.
        "review_comment": TIER2,
        "created_by": TIER2,
        "updated_by": TIER2,
        "submitted_by": TIER2,
        "reviewed_by": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        "submitted_at": TIER2,
        "published_at": TIER2,
        "version": TIER2,
    },
    # A signed-in person's checklist for a draft policy: their words about a draft public
    # text, not about people (the form says so); no organisation key to encrypt with, since
    # anyone signed in may keep one (ADR 0027).
    "observatory.DesignChecklist": {
        "id": TIER2,
        "owner": TIER2,
        "framework": TIER2,
        "title": TIER2,
        "answers": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
    # An editor's import (ADR 0035): the counts and the first errors of a file of proposed
    # public content, for its uploader only. The errors quote cells of that file.
    "observatory.InstrumentImport": {
        "id": TIER2,
        "owner": TIER2,
        "job": TIER2,
        "state": TIER2,
        "file_name": TIER2,
        "blob_name": TIER2,
        "submit": TIER2,
        "rows": TIER2,
        "new": TIER2,
        "changed": TIER2,
        "unchanged": TIER2,
        "error_count": TIER2,
        "errors": PUBLIC,
        "written": TIER2,
        "created_at": TIER2,
        "checked_at": TIER2,
        "finished_at": TIER2,
    },
    # Public content of the observatory (published policy data) is PUBLIC; the editorial
    # machinery (states, editors, timestamps, ids) is TIER2 (SECURITY.md section 2).
    "observatory.DatasetState": {
        "id": TIER2,
        "version": TIER2,
        "changed_at": TIER2,
    },
    "observatory.ChangeLogEntry": {
        "id": TIER2,
        "kind": PUBLIC,
        "instrument": TIER2,
        "country": TIER2,
        "evaluation": TIER2,
        "framework": TIER2,
        "note": PUBLIC,
        "occurred_at": TIER2,
        "created_by": TIER2,
    },
    "observatory.Country": {
        "code": TIER2,
        "name_en": PUBLIC,
        "region": PUBLIC,
        "subregion": PUBLIC,
    },
    "observatory.CountryNarrative": {
        "id": TIER2,
        "country": TIER2,
        "language": PUBLIC,
        "text": PUBLIC,
        "updated_at": TIER2,
        "updated_by": TIER2,
    },
    "observatory.SubnationalUnit": {
        "id": TIER2,
        "country": TIER2,
        "name": PUBLIC,
        "code": PUBLIC,
    },
    "observatory.PolicyInstrument": {
        "id": TIER2,
        "key": PUBLIC,
        "country": TIER2,
        "jurisdiction_level": PUBLIC,
        "subnational_unit": TIER2,
        "scope_area": PUBLIC,
        "instrument_type": PUBLIC,
        "status": PUBLIC,
        "adopted_on": PUBLIC,
        "adopted_on_precision": PUBLIC,
        "listed_on": PUBLIC,
        "authority": PUBLIC,
        "title_original": PUBLIC,
        "original_language": PUBLIC,
        "counts_as_national_policy": PUBLIC,
        "is_verified": PUBLIC,
        "editorial_state": TIER2,
        "submitted_by": TIER2,
        "first_published_at": TIER2,
        "published_at": TIER2,
        "search_text": PUBLIC,
        "created_by": TIER2,
        "updated_by": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
    "observatory.InstrumentTranslation": {
        "id": TIER2,
        "instrument": TIER2,
        "language": PUBLIC,
        "title": PUBLIC,
        "summary": PUBLIC,
        "is_official": PUBLIC,
        "updated_at": TIER2,
    },
    "observatory.StatusChange": {
        "id": TIER2,
        "instrument": TIER2,
        "status": PUBLIC,
        "effective_on": PUBLIC,
        "effective_on_precision": PUBLIC,
        "note": PUBLIC,
        "recorded_at": TIER2,
        "recorded_by": TIER2,
    },
    "observatory.Source": {
        "id": TIER2,
        "instrument": TIER2,
        "url": PUBLIC,
        "title": PUBLIC,
        "confidence": PUBLIC,
        "note": PUBLIC,
        "accessed_on": PUBLIC,
        "created_at": TIER2,
    },
    "observatory.Document": {
        "id": TIER2,
        "instrument": TIER2,
        "kind": PUBLIC,
        "url": PUBLIC,
        "title": PUBLIC,
        "language": PUBLIC,
        "created_at": TIER2,
    },
    "observatory.InstrumentRelation": {
        "id": TIER2,
        "instrument": TIER2,
        "kind": PUBLIC,
        "related": TIER2,
        "note": PUBLIC,
        "created_at": TIER2,
    },
    "observatory.Framework": {
        "i18n": PUBLIC,
        "id": TIER2,
        "key": PUBLIC,
        "version": TIER2,
        "title": PUBLIC,
        "description": PUBLIC,
        "editorial_state": TIER2,
        "published_at": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
    },
    "observatory.Axis": {
        "id": TIER2,
        "i18n": PUBLIC,
        "framework": TIER2,
        "key": PUBLIC,
        "position": PUBLIC,
        "name": PUBLIC,
        "description": PUBLIC,
    },
    "observatory.Criterion": {
        "id": TIER2,
        "i18n": PUBLIC,
        "axis": TIER2,
        "key": PUBLIC,
        "position": PUBLIC,
        "name": PUBLIC,
        "question": PUBLIC,
        "guidance": PUBLIC,
        "good_practice": PUBLIC,
    },
    "observatory.Evaluation": {
        "id": TIER2,
        "series": TIER2,
        "version": TIER2,
        "framework": TIER2,
        "instrument": TIER2,
        "country": TIER2,
        "evaluator_name": PUBLIC,
        "evaluated_on": PUBLIC,
        "summary": PUBLIC,
        "language": PUBLIC,
        "is_demo": TIER2,
        "editorial_state": TIER2,
        "coded_by": TIER2,
        "reviewed_by": TIER2,
        "published_at": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
    },
    "observatory.CriterionScore": {
        "id": TIER2,
        "evaluation": TIER2,
        "criterion": TIER2,
        "score": PUBLIC,
        "evidence": PUBLIC,
        "source_url": PUBLIC,
        "source_instrument": TIER2,
    },
}


DESK: AppTiers = {
    "desk.RequestDesk": {
        "id": TIER2,
        "organisation": TIER2,
        "accepts_requests": TIER2,
        "updated_at": TIER2,
    },
    "desk.SupportRequest": {
        "id": TIER2,
        "organisation": TIER2,
        "status": TIER2,
        "contact_kind": TIER2,
        "received_at": TIER2,
        "request": TIER1,
        "name": TIER1,
        "contact": TIER1,
        "place": TIER1,
        "decided_by": TIER2,
        "decided_at": TIER2,
    },
    "desk.Case": {
        "id": TIER2,
        "organisation": TIER2,
        "defender": TIER2,
        "request": TIER2,
        "state": TIER2,
        "priority": TIER2,
        "urgency": TIER2,
        "confidentiality": TIER2,
        # A list of defenders.enums.ConsentScope codes (FREE_TEXT_ALLOWED).
        "consent_scopes": TIER2,
        "closure_reason": TIER2,
        "opened_on": TIER2,
        "closed_on": TIER2,
        "review_on": TIER2,
        "summary": TIER1,
        "closure_note": TIER1,
        "created_by": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
        "officers": TIER2,
    },
    "desk.CaseOfficer": {
        "id": TIER2,
        "case": TIER2,
        "user": TIER2,
        "assigned_at": TIER2,
    },
    "desk.CaseEvent": {
        "id": TIER2,
        "organisation": TIER2,
        "case": TIER2,
        "kind": TIER2,
        "actor": TIER2,
        "at": TIER2,
        # Codes set by desk.services (FREE_TEXT_ALLOWED).
        "before": TIER2,
        "after": TIER2,
        "object_id": TIER2,
    },
    "desk.Accompaniment": {
        "id": TIER2,
        "organisation": TIER2,
        "case": TIER2,
        "kind": TIER2,
        "held_on": TIER2,
        "follow_up_due": TIER2,
        "follow_up_done": TIER2,
        "notes": TIER1,
        "created_by": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
    "desk.Referral": {
        "id": TIER2,
        "organisation": TIER2,
        "case": TIER2,
        "kind": TIER2,
        "grant_category": TIER2,
        "status": TIER2,
        "outcome": TIER2,
        "requested_on": TIER2,
        "risk_study_on": TIER2,
        "measures_granted_on": TIER2,
        "implemented_on": TIER2,
        # DESK-3: a MechanismRiskLevel code, its date, and Amparo's analysis and level then.
        "mechanism_level": TIER2,
        "mechanism_studied_on": TIER2,
        "amparo_analysis_at_study": TIER2,
        "amparo_level_at_study": TIER2,
        "target": TIER1,
        "details": TIER1,
        "mechanism_measures": TIER1,
        # DESK-2: the fund, the amount asked (an exact amount: Tier 1), and an override of the
        # fund's rules: FundRule codes (FREE_TEXT_ALLOWED), who, when; the reason is Tier 1.
        "fund": TIER2,
        "amount_requested": TIER1,
        "overridden_rules": TIER2,
        "overridden_by": TIER2,
        "overridden_at": TIER2,
        "override_reason": TIER1,
        "created_by": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
    "desk.GrantFund": {
        "id": TIER2,
        "organisation": TIER2,
        # GrantCategory codes (FREE_TEXT_ALLOWED).
        "categories": TIER2,
        # The fund's published cap: a rule of the funder, not money anyone received.
        "max_amount": TIER2,
        "currency": TIER2,
        "max_grants_per_year": TIER2,
        "requires_current_analysis": TIER2,
        "requires_partner_consent": TIER2,
        "is_active": TIER2,
        # Which funders a desk works with says who it is.
        "name": TIER1,
        "created_by": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
}


NETWORKS: AppTiers = {
    "networks.Contact": {
        "id": TIER2,
        "organisation": TIER2,
        "defender": TIER2,
        "tie": TIER2,
        "disclosure": TIER2,
        "preferred_channel": TIER2,
        "name": TIER1,
        # A Relation code, encrypted: "embassy" or "lawyer" beside a defender can identify.
        "relation": TIER1,
        "channels": TIER1,
        "languages": TIER1,
        # Set when removed from the network (its Tier-1 fields are erased then).
        "removed_at": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
    "networks.EscalationTree": {
        "id": TIER2,
        "organisation": TIER2,
        "defender": TIER2,
        # Salted PBKDF2 of the person's duress code (ADR 0032).
        "duress_code_hash": SECRET,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
    "networks.EscalationStep": {
        "id": TIER2,
        "organisation": TIER2,
        "tree": TIER2,
        "position": TIER2,
        "wait_minutes": TIER2,
        "contacts": TIER2,
    },
    "networks.CheckIn": {
        "id": TIER2,
        "organisation": TIER2,
        "defender": TIER2,
        "created_by": TIER2,
        "purpose": TIER2,
        "due_at": TIER2,
        "grace_minutes": TIER2,
        "deadline": TIER2,
        "state": TIER2,
        "done_at": TIER2,
        "note": TIER1,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
    "networks.Alert": {
        "id": TIER2,
        "organisation": TIER2,
        "defender": TIER2,
        "check_in": TIER2,
        "raised_by": TIER2,
        "source": TIER2,
        "state": TIER2,
        "location_precision": TIER2,
        "raised_at": TIER2,
        "step": TIER2,
        "next_step_at": TIER2,
        "acknowledged_at": TIER2,
        "lowered_at": TIER2,
        "closed_at": TIER2,
        "outcome": TIER2,
        "message": TIER1,
        "location": TIER1,
        # NET-2 and NET-3: why it was lowered or closed, why it went off when nothing
        # happened, what to keep watching.
        "lowered_reason": TIER1,
        "close_reason": TIER1,
        "explanation": TIER1,
        "watch": TIER1,
        "version": TIER2,
    },
    "networks.Debrief": {
        "id": TIER2,
        "organisation": TIER2,
        "alert": TIER2,
        "written_by": TIER2,
        # NET-2: what happened, what the network did, what worked and what did not.
        "what_happened": TIER1,
        "network_response": TIER1,
        "worked": TIER1,
        "did_not_work": TIER1,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
    "networks.FollowUp": {
        "id": TIER2,
        "organisation": TIER2,
        "alert": TIER2,
        "created_by": TIER2,
        "due_on": TIER2,
        "done_at": TIER2,
        # What is to be done, and who does it (a person or a role, as the network names them).
        "action": TIER1,
        "owner": TIER1,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
    "networks.AlertDelivery": {
        "id": TIER2,
        "organisation": TIER2,
        "alert": TIER2,
        "contact": TIER2,
        "step": TIER2,
        "channel": TIER2,
        # SHA-256 of the acknowledgement token (the token is derived, never stored: ADR 0031).
        "token_hash": SECRET,
        "key_version": TIER2,
        "expires_at": TIER2,
        "state": TIER2,
        "attempts": TIER2,
        "lease_until": TIER2,
        "sent_at": TIER2,
        "acknowledged_at": TIER2,
        # A short code set by delivery.py (FREE_TEXT_ALLOWED).
        "error": TIER2,
        "created_at": TIER2,
    },
}

WELLBEING: AppTiers = {
    "wellbeing.CheckIn": {
        "id": TIER2,
        # The person; CARE-1: only they (and those they share with) read the check-in.
        "owner": TIER2,
        # Always empty: check-ins are encrypted under the platform key (ADR 0033).
        "organisation": TIER2,
        "checked_on": TIER2,
        "shared_with": TIER2,
        "shared_at": TIER2,
        # The three 1-5 scales: answers are Tier 1 for well-being (SECURITY.md section 2).
        "answers": TIER1,
        "note": TIER1,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
    "wellbeing.CareAgreement": {
        "id": TIER2,
        "organisation": TIER2,
        "next_review": TIER2,
        "rest": TIER1,
        "leave": TIER1,
        "supervision": TIER1,
        "debriefing": TIER1,
        "referral": TIER1,
        "budget": TIER1,
        "updated_by": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
    "wellbeing.CareReview": {
        "id": TIER2,
        "organisation": TIER2,
        "agreement": TIER2,
        "reviewed_on": TIER2,
        "reviewed_by": TIER2,
        "next_review": TIER2,
        "changes": TIER1,
        "created_at": TIER2,
    },
    "wellbeing.DebriefPlan": {
        "id": TIER2,
        "organisation": TIER2,
        "incident": TIER2,
        "planned_on": TIER2,
        "status": TIER2,
        "participants": TIER1,
        "care_follow_up": TIER1,
        "created_by": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
        "version": TIER2,
    },
}

REGISTRY: dict[str, AppTiers] = {
    "core": CORE,
    "accounts": ACCOUNTS,
    "audit": AUDIT,
    "jobs": JOBS,
    "files": FILES,
    "defenders": DEFENDERS,
    "incidents": INCIDENTS,
    "actors": ACTORS,
    "risk": RISK,
    "plans": PLANS,
    "api": API,
    "observatory": OBSERVATORY,
    "desk": DESK,
    "networks": NETWORKS,
    "wellbeing": WELLBEING,
}

#: Fields whose data does not yet meet their declared tier: a Tier-1 field still in plaintext,
#: or free text in a casework app. "app_label.ModelName.field" -> why, and what fixes it. The
#: tests let these pass and fail once the gap is closed, so the entry is removed with the fix.
KNOWN_GAPS: dict[str, str] = {}

#: Plaintext Tier-2 fields of casework apps that could hold text but are kept to codes:
#: "app_label.ModelName.field" -> what keeps them from holding a name, a place or a story.
#: Adding one needs the code owners' review, like any Tier-2 field.
FREE_TEXT_ALLOWED: dict[str, str] = {
    "desk.Case.consent_scopes": (
        "A list of defenders.enums.ConsentScope codes, checked by desk.services (check_consent)."
    ),
    "desk.GrantFund.categories": (
        "A list of desk.enums.GrantCategory codes, checked by the form and desk.services.funds."
    ),
    "desk.Referral.overridden_rules": (
        "A list of desk.enums.FundRule codes, written by desk.services only; never typed."
    ),
    "desk.CaseEvent.before": (
        "Codes written by desk.services only (a state, 'priority/urgency', or a MechanismRiskLevel "
        "code); never typed."
    ),
    "desk.CaseEvent.after": (
        "Codes written by desk.services only (a state, a kind, a status, 'priority/urgency', "
        "a MechanismRiskLevel, or the number of officers assigned or of fund rules set "
        "aside); never typed."
    ),
    "networks.AlertDelivery.error": (
        "A short code set by networks/delivery.py (unavailable, no_address, closed, lowered, "
        "timeout, unreachable, http_<status>), never the gateway's text."
    ),
    "incidents.IncidentExport.blob_name": (
        "Generated by the export job (random hex): names the encrypted file, never typed."
    ),
    "incidents.IncidentExport.blob_sha256": (
        "SHA-256 of the ciphertext, hex, computed by the job (CRY-07)."
    ),
    "defenders.Defender.country": "ISO 3166-1 alpha-2: two letters, checked by form and API.",
    "defenders.Defender.region": (
        "First-level region, Tier 2 in SECURITY.md. Free text guarded only by the help text "
        "'never a town' (ADR 0023 proposes ISO 3166-2 codes)."
    ),
    "incidents.Incident.country": "ISO 3166-1 alpha-2: two letters, checked by form and API.",
    "incidents.Incident.region": (
        "First-level region, Tier 2 in SECURITY.md; cleared when the reporter withholds it. Free "
        "text guarded only by the help text (ADR 0023 proposes ISO 3166-2 codes)."
    ),
    "risk.RiskAnalysis.acceptability_reasons": (
        "A list of AcceptabilityReason codes, checked by the form and by services.analyses."
    ),
    "risk.RiskAnalysis.review_triggers": (
        "A list of ReviewTrigger codes, checked by the form and by services.analyses."
    ),
    "risk.Threat.bounded_to": (
        "A list of ThreatBound codes, checked by the form and by services.threats."
    ),
    "plans.Measure.guide_key": "A key of plans/guide.py, set by the service, not editable.",
    "plans.Protocol.guide_key": "A key of plans/guide.py, set by the service, not editable.",
}


def _app_declarations() -> None:
    """Apps written after this file grew long keep their declarations in their own `tiers.py`
    (`TIERS`, and `FREE_TEXT_ALLOWED` when they need it); they are read into the same tables
    here, so every check above and below sees one registry."""
    import importlib  # noqa: PLC0415 -- the app modules import this one's constants

    for label in ("trials", "library", "learning", "contact"):
        module = importlib.import_module(f"amparo.{label}.tiers")
        if module.TIERS:  # an app with no models yet declares nothing
            REGISTRY[label] = module.TIERS
        FREE_TEXT_ALLOWED.update(getattr(module, "FREE_TEXT_ALLOWED", {}))


_app_declarations()

_BY_MODEL: dict[str, dict[str, Tier]] = {
    label: fields for app in REGISTRY.values() for label, fields in app.items()
}


class UnclassifiedFieldError(LookupError):
    """The field has no tier in this registry."""


def _label(model: ModelRef) -> str:
    return model if isinstance(model, str) else model._meta.label


def declared(model: ModelRef) -> dict[str, Tier]:
    """The declared tiers of a model's fields; empty when the model is not declared."""
    return dict(_BY_MODEL.get(_label(model), {}))


def tier_of(model: ModelRef, field_name: str) -> Tier:
    """The tier of one field. Given a model class, an attname (`organisation_id`) works too.

    Raises UnclassifiedFieldError when the field is not declared.
    """
    label, name = _label(model), field_name
    if not isinstance(model, str):
        with contextlib.suppress(FieldDoesNotExist):
            name = model._meta.get_field(field_name).name
    try:
        return _BY_MODEL[label][name]
    except KeyError:
        raise UnclassifiedFieldError(
            f"{label}.{field_name} has no tier: declare it in amparo/core/tiers.py"
        ) from None


def fields_of_tier(model: ModelRef, tier: Tier) -> tuple[str, ...]:
    """The model's fields declared with this tier, in declaration order."""
    return tuple(name for name, found in declared(model).items() if found == tier)


def tier1_fields(model: ModelRef, *, include_known_gaps: bool = True) -> tuple[str, ...]:
    """The model's Tier-1 fields. With include_known_gaps=False, only those encrypted today
    (a canary seeded into a known gap is found in plaintext, as it should be)."""
    label = _label(model)
    return tuple(
        name
        for name in fields_of_tier(model, TIER1)
        if include_known_gaps or f"{label}.{name}" not in KNOWN_GAPS
    )


def tier1_labels(*, include_known_gaps: bool = True) -> frozenset[str]:
    """Every Tier-1 field as "app_label.ModelName.field", the label encryption binds into the
    associated data (amparo.core.crypto.fields)."""
    return frozenset(
        f"{label}.{name}"
        for label in _BY_MODEL
        for name in tier1_fields(label, include_known_gaps=include_known_gaps)
    )


def is_casework(model: ModelRef) -> bool:
    """Whether the model belongs to a casework app (every Amparo app but the platform's)."""
    return _label(model).split(".", 1)[0] not in PLATFORM_APPS | PUBLIC_APPS


def stored_fields(model: type[models.Model]) -> list[models.Field]:  # type: ignore[type-arg]
    """The fields that hold data: concrete columns and the model's own many-to-many links."""
    return [*model._meta.concrete_fields, *model._meta.local_many_to_many]


def is_free_form(field: models.Field) -> bool:  # type: ignore[type-arg]
    """Whether a plaintext column can hold arbitrary text: text, JSON, a file name, bytes, or a
    string without choices. Encrypted fields and fields with choices cannot leak that way."""
    if isinstance(field, EncryptedFieldMixin) or field.choices:
        return False
    return isinstance(
        field,
        models.CharField
        | models.TextField
        | models.JSONField
        | models.FileField
        | models.BinaryField,
    )


def classified_models() -> list[type[models.Model]]:
    """Every model the registry must cover: the concrete models of Amparo's installed apps,
    without proxies, the tables Django makes for many-to-many fields, and PENDING_APPS."""
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("amparo.")
        and not model._meta.proxy
        and model._meta.app_label not in PENDING_APPS
    ]
