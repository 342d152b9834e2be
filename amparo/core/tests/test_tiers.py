"""The data-tier registry covers every stored field and agrees with the code (SECURITY.md 2).

Introspection only: no database. Each failure says which line of amparo/core/tiers.py to add,
change or remove.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from amparo.core import tiers
from amparo.core.crypto.fields import EncryptedFieldMixin, EncryptedTextField, encrypted_fields
from amparo.core.tiers import (
    FREE_TEXT_ALLOWED,
    KNOWN_GAPS,
    PENDING_APPS,
    PUBLIC,
    REGISTRY,
    SECRET,
    TIER1,
    TIER2,
)
from amparo.defenders.models import Defender

TIERS_PY = "amparo/core/tiers.py"
HOW_TO_CHOOSE = (
    "TIER1 if it identifies, locates or endangers a person or reveals protection content (it "
    "must then be an EncryptedTextField or EncryptedJSONField); TIER2 for codes, enums, dates, "
    "ids, counts, country or first-level region; SECRET for keys and hashes; PUBLIC for "
    "published content. A new Tier-2 field needs the code owners' review."
)

#: Fields that must stay Tier 1: if any of these moved out of the registry or out of Tier 1,
#: the registry would be wrong in the way that matters most.
KNOWN_TIER1 = [
    "defenders.Defender.pseudonym",
    "defenders.Defender.legal_name",
    "defenders.Defender.location",
    "defenders.Defender.notes",
    "defenders.Defender.intersectional",
    "defenders.ContactChannel.value",
    "defenders.ClosePerson.name",
    "incidents.Incident.title",
    "incidents.Incident.description",
    "incidents.Incident.location",
    "incidents.Perpetrator.name",
    "incidents.Source.identity",
    "actors.Actor.name",
    "risk.Threat.summary",
    "risk.AnalysisSnapshot.data",
    "plans.Protocol.contacts",
    "plans.SecurityPlan.distribution",
    "files.Attachment.original_filename",
    "files.Attachment.plaintext_sha256",
]
KNOWN_SECRET = [
    "accounts.User.password",
    "accounts.Invitation.token_hash",
    "api.ApiToken.token_hash",
    "core.DataKey.wrapped",
    "files.Attachment.wrapped_key",
]


def split(label: str) -> tuple[str, str]:
    model_label, field_name = label.rsplit(".", 1)
    return model_label, field_name


def field_at(label: str) -> models.Field:
    model_label, field_name = split(label)
    return apps.get_model(model_label)._meta.get_field(field_name)


def amparo_app_labels() -> set[str]:
    return {config.label for config in apps.get_app_configs() if config.name.startswith("amparo.")}


def stored(model: type[models.Model]) -> dict[str, models.Field]:
    return {field.name: field for field in tiers.stored_fields(model)}


def is_gap_now(label: str) -> bool:
    """Whether the field still falls short of its declared tier."""
    field = field_at(label)
    tier = tiers.tier_of(split(label)[0], field.name)
    if tier == TIER1:
        return not isinstance(field, EncryptedFieldMixin)
    return (
        tier in {TIER2, PUBLIC}
        and tiers.is_casework(split(label)[0])
        and tiers.is_free_form(field)
        and label not in FREE_TEXT_ALLOWED
    )


def test_every_field_classified() -> None:
    """Every stored field of every Amparo model has a tier, and every declaration is live."""
    missing: list[str] = []
    for model in tiers.classified_models():
        label = model._meta.label
        declared = tiers.declared(model)
        if not declared:
            names = ", ".join(f'"{name}": TIER?' for name in stored(model))
            missing.append(f'  "{label}": {{{names}}},')
            continue
        missing += [
            f'  "{label}": "{name}" ({type(field).__name__})'
            for name, field in stored(model).items()
            if name not in declared
        ]

    stale: list[str] = []
    for app_label, app_tiers in REGISTRY.items():
        for model_label, declared in app_tiers.items():
            if model_label.split(".", 1)[0] != app_label:
                stale.append(f"  {model_label} is declared in the dict of app {app_label!r}")
                continue
            try:
                model = apps.get_model(model_label)
            except LookupError:
                stale.append(f"  {model_label}: no such model (renamed or deleted?)")
                continue
            stale += [
                f"  {model_label}.{name}: no such stored field (renamed or deleted?)"
                for name in declared
                if name not in stored(model)
            ]

    problems = []
    if missing:
        problems.append(
            f"Stored fields without a tier. Add them to their app's dict in {TIERS_PY}:\n"
            + "\n".join(missing)
            + f"\nChoose the tier by what the field holds: {HOW_TO_CHOOSE}"
        )
    if stale:
        problems.append(
            f"Stale declarations in {TIERS_PY}; remove or rename them:\n" + "\n".join(stale)
        )
    assert not problems, "\n\n".join(problems)


def test_registry_covers_every_installed_amparo_app() -> None:
    installed = amparo_app_labels()
    with_models = {label for label in installed if list(apps.get_app_config(label).get_models())}
    expected = with_models - PENDING_APPS
    assert expected <= set(REGISTRY), (
        f"REGISTRY in {TIERS_PY} needs a dict for each installed Amparo app with models "
        "(or the app in PENDING_APPS while it is being written): "
        f"{sorted(expected - set(REGISTRY))}"
    )
    assert set(REGISTRY) <= with_models, (
        f"REGISTRY in {TIERS_PY} has apps that are not installed or have no models: "
        f"{sorted(set(REGISTRY) - with_models)}"
    )
    assert {"defenders", "incidents", "actors", "risk", "plans"} <= expected
    assert all(f"amparo.{label}" in settings.INSTALLED_APPS for label in REGISTRY)

    for label in PENDING_APPS & with_models:
        models_of_app = list(apps.get_app_config(label).get_models())
        complete = all(set(stored(model)) <= set(tiers.declared(model)) for model in models_of_app)
        assert not complete, (
            f"Every field of {label!r} is declared: remove it from PENDING_APPS in {TIERS_PY}."
        )


@pytest.mark.req("CRY-01")
def test_tier1_fields_are_encrypted() -> None:
    plaintext = [
        f"  {model._meta.label}.{name} is a {type(field).__name__}"
        for model in tiers.classified_models()
        for name in tiers.tier1_fields(model)
        # A stale name is reported by test_every_field_classified.
        if (field := stored(model).get(name)) is not None
        and not isinstance(field, EncryptedFieldMixin)
        and f"{model._meta.label}.{name}" not in KNOWN_GAPS
    ]
    assert not plaintext, (
        "Fields declared TIER1 but stored in plaintext. Make each an EncryptedTextField or "
        "EncryptedJSONField (nullable when added to a table with rows: a migration cannot "
        "encrypt a default), or, if it really holds no Tier-1 content, change its tier in "
        f"{TIERS_PY}:\n" + "\n".join(plaintext)
    )


def test_encrypted_fields_are_tier1() -> None:
    found = encrypted_fields(iter(tiers.classified_models()))
    assert len(found) >= 20  # the scan itself works: most casework models encrypt something
    wrong = [
        f"  {field.label} is declared {tiers.declared(model).get(field.name, 'nowhere')}"
        for model, fields in found
        for field in fields
        if tiers.declared(model).get(field.name) != TIER1
    ]
    assert not wrong, (
        f"Encrypted fields must be declared TIER1 in {TIERS_PY} (the canary test and seeding "
        "read Tier 1 from there):\n" + "\n".join(wrong)
    )


def test_casework_plaintext_is_not_free_text() -> None:
    free = [
        f"  {model._meta.label}.{name}: {type(field).__name__}"
        + (f"(max_length={field.max_length})" if field.max_length else "")
        for model in tiers.classified_models()
        if tiers.is_casework(model)
        for name, field in stored(model).items()
        if tiers.declared(model).get(name) in {TIER2, PUBLIC}
        and tiers.is_free_form(field)
        and f"{model._meta.label}.{name}" not in FREE_TEXT_ALLOWED
        and f"{model._meta.label}.{name}" not in KNOWN_GAPS
    ]
    assert not free, (
        "Casework fields in plaintext that can hold any text (a name, a town, a story): "
        "give each `choices=` from its enums.py, or encrypt it and declare it TIER1. A field "
        "that is kept to codes some other way (a country code, a list of enum values checked "
        f"by the service) goes in FREE_TEXT_ALLOWED in {TIERS_PY} with the reason, for the "
        "code owners' review:\n" + "\n".join(free)
    )


def test_known_gaps_are_still_open() -> None:
    # The detector itself: fields that meet their tier are no gaps.
    assert not is_gap_now("defenders.Defender.pseudonym")  # Tier 1, encrypted
    assert not is_gap_now("incidents.Incident.region")  # allowed free text
    assert not is_gap_now("defenders.Defender.status")  # a code
    for label, reason in KNOWN_GAPS.items():
        model_label, name = split(label)
        assert name in tiers.declared(model_label), f"{label} is in KNOWN_GAPS but not declared"
        assert len(reason) > 40, f"say why {label} is a gap and what closes it"
        assert is_gap_now(label), (
            f"{label} now meets its declared tier: remove it from KNOWN_GAPS in {TIERS_PY}."
        )


def test_free_text_allow_list_is_current() -> None:
    for label, reason in FREE_TEXT_ALLOWED.items():
        model_label, name = split(label)
        field = field_at(label)
        assert tiers.is_casework(model_label), f"{label}: only casework fields need allowing"
        assert tiers.tier_of(model_label, name) in {TIER2, PUBLIC}, (
            f"{label} is not plaintext Tier 2 or public: remove it from FREE_TEXT_ALLOWED"
        )
        assert tiers.is_free_form(field), (
            f"{label} is constrained now (choices or encryption): remove it from FREE_TEXT_ALLOWED"
        )
        assert label not in KNOWN_GAPS, f"{label} cannot be both allowed and a known gap"
        assert len(reason) > 20, f"say what keeps {label} to codes"


def test_many_to_many_tables_hold_only_links() -> None:
    """Why the auto-created tables are not declared: they can hold nothing but two ids."""
    through = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model.__module__.startswith("amparo.") and model._meta.auto_created
    ]
    assert len(through) >= 8
    for model in through:
        for field in model._meta.concrete_fields:
            assert field.primary_key or isinstance(field, models.ForeignKey), (
                f"{model._meta.label}.{field.name}: declare this table like any model"
            )


def test_registry_is_not_trivially_satisfied() -> None:
    classified = {model._meta.label for model in tiers.classified_models()}
    assert len(classified) >= 35
    assert {"defenders.Defender", "incidents.Incident", "risk.Threat"} <= classified
    counts = {
        tier: sum(len(tiers.fields_of_tier(label, tier)) for label in classified)
        for tier in (TIER1, TIER2, SECRET)
    }
    assert counts[TIER1] >= 60
    assert counts[TIER2] >= 250
    assert counts[SECRET] >= 5
    for label in KNOWN_TIER1:
        assert tiers.tier_of(split(label)[0], split(label)[1]) == TIER1, label
        assert isinstance(field_at(label), EncryptedFieldMixin), label
    for label in KNOWN_SECRET:
        assert tiers.tier_of(split(label)[0], split(label)[1]) == SECRET, label


def test_helpers() -> None:
    assert tiers.tier_of(Defender, "pseudonym") == TIER1
    assert tiers.tier_of(Defender, "organisation_id") == TIER2  # an attname works too
    assert tiers.tier_of("defenders.Defender", "country") == TIER2
    with pytest.raises(tiers.UnclassifiedFieldError, match="has no tier: declare it in"):
        tiers.tier_of(Defender, "favourite_colour")

    encrypted = {
        f.name for f in Defender._meta.concrete_fields if isinstance(f, EncryptedFieldMixin)
    }
    assert set(tiers.tier1_fields(Defender, include_known_gaps=False)) == encrypted
    assert set(tiers.tier1_fields(Defender)) == encrypted | {"languages"}

    # The labels are those encryption binds into the associated data, for the canary test.
    all_encrypted = {
        field.label
        for _model, fields in encrypted_fields(iter(tiers.classified_models()))
        for field in fields
    }
    assert tiers.tier1_labels(include_known_gaps=False) == all_encrypted
    assert tiers.tier1_labels() == all_encrypted | set(KNOWN_GAPS)

    assert tiers.is_casework(Defender)
    assert not tiers.is_casework("accounts.User")


def test_free_form_detection() -> None:
    choices = [("a", "A")]
    assert tiers.is_free_form(models.TextField())
    assert tiers.is_free_form(models.CharField(max_length=2))
    assert tiers.is_free_form(models.EmailField())
    assert tiers.is_free_form(models.JSONField())
    assert not tiers.is_free_form(models.CharField(max_length=2, choices=choices))
    assert not tiers.is_free_form(EncryptedTextField())
    assert not tiers.is_free_form(models.DateField())
    assert not tiers.is_free_form(models.UUIDField())
