"""Permission-matrix rows of the observatory (see amparo/testing/authz.py).

Every page and API operation here is public (SECURITY.md ACC-01, reviewed): anyone reads what
is published, signed in or not, with or without a token, and nobody reads a draft: the
detail of a draft answers 404 to every persona alike. Signed-in readers get the same page,
sent with `no-store` (the harness checks it).
"""

from __future__ import annotations

from typing import Any

from amparo.testing.authz import PERSONAS, Route, World

EVERYONE = dict.fromkeys(PERSONAS, 200)
NOBODY = dict.fromkeys(PERSONAS, 404)


def _with_observatory(world: World, client: Any) -> None:
    from amparo.observatory.tests.factories import (
        make_evaluation,
        make_framework,
        make_instrument,
    )

    law = make_instrument("co-law-1")
    world.extra["instrument"] = law
    world.extra["draft"] = make_instrument("co-draft-1", published=False)
    world.extra["framework"] = make_framework()
    world.extra["evaluation"] = make_evaluation(world.extra["framework"], instrument=law)


def _instrument(world: World) -> list[object]:
    return [world.extra["instrument"].key]


def _draft(world: World) -> list[object]:
    return [world.extra["draft"].key]


def _evaluation(world: World) -> list[object]:
    return [world.extra["evaluation"].pk]


def _framework(world: World) -> list[object]:
    return [world.extra["framework"].key, world.extra["framework"].version]


def _route(url_name: str, args: Any = None, expected: dict[str, int] = EVERYONE) -> Route:
    if args is None:
        return Route(url_name, expected, setup=_with_observatory)
    return Route(url_name, expected, args=args, setup=_with_observatory)


MATRIX = [
    _route("observatory:home"),
    _route("observatory:instrument-list"),
    _route("observatory:instrument-detail", _instrument),
    _route("observatory:country-detail", lambda world: ["CO"]),
    _route("observatory:timeline"),
    _route("observatory:evaluation-detail", _evaluation),
    _route("observatory:framework-detail", _framework),
    _route("observatory:open-data"),
    _route("observatory:download", lambda world: ["instruments", "csv"]),
    _route("api-v1:observatory-country-list"),
    _route("api-v1:observatory-instrument-list"),
    _route("api-v1:observatory-instrument-detail", _instrument),
    _route("api-v1:observatory-evaluation-list"),
    _route("api-v1:observatory-evaluation-detail", _evaluation),
    _route("api-v1:observatory-framework-list"),
]

#: Drafts are nobody's to read here, whoever asks (the editing pages come with issue 5's
#: second part). Not part of MATRIX: the harness keys rows by URL name and method.
DRAFT_ROWS = [
    _route("observatory:instrument-detail", _draft, NOBODY),
    _route("api-v1:observatory-instrument-detail", _draft, NOBODY),
]


# --- The tools (tool_views.py): compare and the design assistant ---
#
# Compare, the checklist and its printable summary are public like the pages above (the
# summary is a POST that stores nothing). Saved checklists need a sign-in and are their
# owner's alone: Dora (desk_officer) owns the one below; everyone else, her desk lead and
# organisation admin included, gets 404, as if it did not exist.

SIGNED_IN = {**dict.fromkeys(PERSONAS, 200), "anonymous": 302}
OWNER_ONLY = {**dict.fromkeys(PERSONAS, 404), "anonymous": 302, "desk_officer": 200}
OWNER_WRITES = {**OWNER_ONLY, "desk_officer": 302}


def _with_design(world: World, client: Any) -> None:
    from amparo.observatory import design_services

    _with_observatory(world, client)
    world.extra["design"] = design_services.save_design(
        owner=world.people["desk_officer"],
        framework=world.extra["framework"],
        title="Dora's draft checklist",
        answers={},
    )


def _design(world: World) -> list[object]:
    return [world.extra["design"].pk]


TOOL_ROWS = [
    _route("observatory:compare"),
    Route(
        "observatory:compare-csv",
        dict.fromkeys(PERSONAS, 422),
        setup=_with_observatory,
        note="without ?c= the CSV has no countries: the page explains it, for anyone",
    ),
    _route("observatory:design"),
    Route(
        "observatory:design-summary",
        EVERYONE,
        method="POST",
        data=lambda world: {"title": "A draft law"},
        setup=_with_observatory,
        note="public and stores nothing",
    ),
    Route(
        "observatory:design-save",
        {**dict.fromkeys(PERSONAS, 302)},
        method="POST",
        data=lambda world: {"title": "A draft law"},
        setup=_with_observatory,
        note="anonymous: to sign in; anyone signed in: saved, to their own checklist",
    ),
    Route("observatory:design-list", SIGNED_IN, setup=_with_observatory, note="own checklists"),
    Route("observatory:design-detail", OWNER_ONLY, args=_design, setup=_with_design),
    Route("observatory:design-edit", OWNER_ONLY, args=_design, setup=_with_design),
    Route(
        "observatory:design-edit",
        OWNER_WRITES,
        method="POST",
        args=_design,
        data=lambda world: {"title": "Changed", "version": "1"},
        setup=_with_design,
    ),
    Route("observatory:design-delete", OWNER_ONLY, args=_design, setup=_with_design),
    Route(
        "observatory:design-delete",
        OWNER_WRITES,
        method="POST",
        args=_design,
        data=lambda world: {"version": "1"},
        setup=_with_design,
    ),
]
MATRIX += TOOL_ROWS


# --- The editors' pages (editor_urls.py) ---
#
# Only observatory editors work here, and none of these personas is one (test_editor_views.py
# signs editors in). Everyone else is sent to sign in, or refused: 403 where the thing is
# public anyway (the dashboard's address, a published instrument, evaluation or framework, a
# country), 404 where it is not (a draft, a revision).

EDITORS_ONLY = {**dict.fromkeys(PERSONAS, 403), "anonymous": 302}
EDITORS_ONLY_HIDDEN = {**dict.fromkeys(PERSONAS, 404), "anonymous": 302}


def _with_editorial_work(world: World, client: Any) -> None:
    from amparo.observatory.models import Revision
    from amparo.observatory.tests.factories import country

    _with_observatory(world, client)
    world.extra["revision"] = Revision.objects.create(
        kind="narrative",
        country=country("CO"),
        language="es",
        state="review",
        content={"text": "OBSDRAFT narrative"},
    )


def _with_import(world: World, client: Any) -> None:
    from amparo.accounts.enums import Role
    from amparo.accounts.models import Membership, User
    from amparo.jobs import services as jobs
    from amparo.jobs.enums import JobKind
    from amparo.observatory.models import ImportState, InstrumentImport

    _with_editorial_work(world, client)
    editor = User.objects.create_user(email="importer@example.org", password=None)
    Membership.objects.create(
        user=editor, organisation=world.other_organisation, role=Role.OBSERVATORY_EDITOR
    )
    world.extra["import"] = InstrumentImport.objects.create(
        owner=editor,
        job=jobs.start_job(kind=JobKind.IMPORT, owner=editor),
        state=ImportState.CHECKED,
        file_name="instruments.csv",
        new=1,
    )


def _editor_route(
    url_name: str,
    expected: dict[str, int] = EDITORS_ONLY,
    *,
    args: Any = None,
    method: str = "GET",
    data: Any = None,
) -> Route:
    return Route(
        url_name,
        expected,
        method=method,
        args=args or (lambda world: []),
        data=data or (lambda world: {}),
        setup=_with_editorial_work,
    )


def _revision(world: World) -> list[object]:
    return [world.extra["revision"].pk]


def _narrative(world: World) -> list[object]:
    return ["CO", "es"]


def _version(world: World) -> dict[str, Any]:
    return {"version": "1", "token": "x", "text": "Changed", "decision": "publish"}


def _instrument_form(world: World) -> dict[str, Any]:
    return {
        "key": "co-law-99",
        "jurisdiction_level": "national",
        "country": "CO",
        "instrument_type": "law",
        "status": "adopted",
        "title_en": "A law",
        "version": "0",
        **{
            f"{p}-{n}": "0"
            for p in ("sources", "documents", "relations")
            for n in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }


EDITOR_ROWS = [
    _editor_route("observatory:editor-dashboard"),
    _editor_route("observatory:editor-instrument-create"),
    _editor_route("observatory:editor-instrument-create", method="POST", data=_instrument_form),
    _editor_route("observatory:editor-instrument-edit", args=_instrument),
    _editor_route(
        "observatory:editor-instrument-edit", args=_instrument, method="POST", data=_instrument_form
    ),
    _editor_route(
        "observatory:editor-instrument-submit",
        EDITORS_ONLY_HIDDEN,
        args=_draft,
        method="POST",
        data=_version,
    ),
    _editor_route(
        "observatory:editor-instrument-discard",
        EDITORS_ONLY_HIDDEN,
        args=_draft,
        method="POST",
        data=_version,
    ),
    _editor_route("observatory:editor-instrument-withdraw", args=_instrument),
    _editor_route(
        "observatory:editor-instrument-withdraw", args=_instrument, method="POST", data=_version
    ),
    _editor_route("observatory:editor-review", EDITORS_ONLY_HIDDEN, args=_revision),
    _editor_route(
        "observatory:editor-review",
        EDITORS_ONLY_HIDDEN,
        args=_revision,
        method="POST",
        data=_version,
    ),
    _editor_route("observatory:editor-narrative-open"),
    _editor_route("observatory:editor-narrative", args=_narrative),
    _editor_route("observatory:editor-narrative", args=_narrative, method="POST", data=_version),
    _editor_route(
        "observatory:editor-narrative-submit", args=_narrative, method="POST", data=_version
    ),
    _editor_route("observatory:editor-evaluation-create"),
    _editor_route("observatory:editor-evaluation-create", method="POST", data=_version),
    _editor_route("observatory:editor-evaluation-edit", args=_evaluation),
    _editor_route(
        "observatory:editor-evaluation-edit", args=_evaluation, method="POST", data=_version
    ),
    _editor_route(
        "observatory:editor-evaluation-submit", args=_evaluation, method="POST", data=_version
    ),
    _editor_route("observatory:editor-evaluation-new-version", args=_evaluation, method="POST"),
    _editor_route("observatory:editor-framework-list"),
    _editor_route("observatory:editor-framework-edit", args=_framework),
    _editor_route(
        "observatory:editor-framework-edit", args=_framework, method="POST", data=_version
    ),
    _editor_route("observatory:editor-framework-new-version", args=_framework, method="POST"),
    _editor_route(
        "observatory:editor-framework-submit", args=_framework, method="POST", data=_version
    ),
    _editor_route("observatory:editor-import"),
    _editor_route("observatory:editor-import", method="POST", data=_version),
    # An import is its uploader's alone (an editor outside these personas): hidden from all.
    Route(
        "observatory:editor-import-detail",
        EDITORS_ONLY_HIDDEN,
        args=lambda world: [world.extra["import"].pk],
        setup=_with_import,
    ),
    Route(
        "observatory:editor-import-confirm",
        EDITORS_ONLY_HIDDEN,
        method="POST",
        args=lambda world: [world.extra["import"].pk],
        setup=_with_import,
    ),
]
MATRIX += EDITOR_ROWS

# The public change log of the whole observatory (changelog_views.py): public like the pages.
MATRIX += [_route("observatory:changes")]
