"""Permission-matrix rows of the incident register (see amparo/testing/authz.py).

The incident belongs to Casa Segura's register; its victim is Río Claro, a collective defender
kept by Casa Segura whose members (Ana) see its records (collective.view) and report for it
(collective.report) but do not code incidents. Dora and Lena work the register; only Lena
exports. Omar administers accounts, not casework; Xavier is elsewhere: 404 for both.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from amparo.accounts.models import User
from amparo.api.tests.factories import bearer, issue_token
from amparo.testing.authz import Route, World


def _with_incident(world: World, client: Any) -> None:
    from amparo.files.tests.factories import make_attachment
    from amparo.incidents import services
    from amparo.incidents.tests.factories import (
        make_collective_defender,
        make_incident,
        make_perpetrator,
    )

    officer = world.people["desk_officer"]
    victim = make_collective_defender(world.organisation, world.collective)
    perpetrator = make_perpetrator(world.organisation)
    incident = make_incident(
        world.organisation, officer, victims=[victim], perpetrators=[perpetrator]
    )
    source = services.add_source(
        incident=incident, actor=officer, values={"connection": "witness", "identity": "Neighbour"}
    )
    intervention = services.add_intervention(
        incident=incident,
        actor=officer,
        values={"intervention_type": "petition", "done_on": date(2025, 3, 20)},
    )
    attachment = make_attachment(organisation=world.organisation, actor=officer)
    services.attach_file(incident=incident, actor=officer, attachment=attachment)
    world.extra.update(
        victim=victim,
        perpetrator=perpetrator,
        incident=incident,
        act=incident.acts.get(),
        involvement=incident.involvements.get(),
        source=source,
        intervention=intervention,
    )


def _with_incident_and_token(world: World, client: Any) -> None:
    _with_incident(world, client)
    user_id = client.session.get("_auth_user_id")
    if user_id is not None:  # anonymous: no token at all
        client.defaults.update(bearer(issue_token(User.objects.get(pk=user_id))))


def _with_export(world: World, client: Any) -> None:
    """Lena's background export, written: hers alone to follow and download."""
    from amparo.incidents import services
    from amparo.incidents.queries import IncidentFilters

    _with_incident(world, client)
    export = services.start_export(
        actor=world.people["desk_lead"],
        organisation_id=world.organisation.pk,
        export_format="csv",
        query="",
    )
    services.write_export(export_id=export.pk, filters=IncidentFilters())
    world.extra["export"] = export


def _with_collective_record(world: World, client: Any) -> None:
    """Ana can report for Río Claro once its record exists."""
    from amparo.incidents.tests.factories import make_collective_defender

    world.extra["victim"] = make_collective_defender(world.organisation, world.collective)


def _incident(world: World) -> list[object]:
    return [world.extra["incident"].pk]


def _one(key: str) -> Any:
    return lambda world: [world.extra[key].pk]


def _create_data(world: World) -> dict[str, Any]:
    return {
        "organisation": str(world.organisation.pk),
        "title": "Threat at the gate",
        "act_type": "death_threat",
        "date_precision": "day",
        "location_precision": "region",
        "violation_status": "unknown",
        "channel": "phone",
        "victims-TOTAL_FORMS": "1",
        "victims-INITIAL_FORMS": "0",
        "victims-0-new_pseudonym": "Beto",
        "victims-0-new_kind": "individual",
        "perpetrators-TOTAL_FORMS": "0",
        "perpetrators-INITIAL_FORMS": "0",
        "status": "submitted",
    }


def _quick_data(world: World) -> dict[str, Any]:
    return {
        "what_happened": "A car followed us.",
        "is_danger_now": "no",
        "date_precision": "day",
        "affected": "collective",
        "action": "send",
    }


READ = {
    "anonymous": 302,
    "defender": 200,  # a member of the victim collective
    "desk_officer": 200,
    "desk_lead": 200,
    "org_admin": 404,
    "outsider": 404,
}
EVERYONE = {**READ, "org_admin": 200, "outsider": 200}  # lists: each sees their own (or none)
DESK_PAGE = {**READ, "defender": 403}
DESK_WRITE = {**DESK_PAGE, "desk_officer": 302, "desk_lead": 302}
DESK_INVALID = {**DESK_PAGE, "desk_officer": 422, "desk_lead": 422}
# Pages that are not about one incident: a person without the right gets 403.
CREATE_PAGE = {**READ, "defender": 403, "org_admin": 403, "outsider": 403}
REPORT_PAGE = {**CREATE_PAGE, "defender": 200}
DESK_ONLY_READ = {**READ, "defender": 404}  # perpetrators: the register's, not the victims'
API_READ = {**READ, "anonymous": 401}
API_LIST = {**EVERYONE, "anonymous": 401}
# The harness posts form-encoded bodies, which the JSON endpoints refuse before any access
# check (422); test_api.py posts JSON as each persona and checks 201/403/404.
API_FORM_POST = {**dict.fromkeys(READ, 422), "anonymous": 401}

MATRIX = [
    Route("incidents:incident-list", EVERYONE, setup=_with_incident),
    Route("incidents:patterns", EVERYONE, setup=_with_incident),
    Route(
        "incidents:incident-export",
        {**CREATE_PAGE, "desk_officer": 403, "desk_lead": 200},
        setup=_with_incident,
    ),
    Route(
        "incidents:incident-export",
        {**CREATE_PAGE, "desk_officer": 403, "desk_lead": 200},
        method="POST",
        data=lambda world: {"format": "csv", "query": ""},
        setup=_with_incident,
        note="within the direct limit: the file streams in the answer",
    ),
    # A background export is its owner's alone, even for the rest of the desk.
    Route(
        "incidents:export-detail",
        {**READ, "defender": 404, "desk_officer": 404},
        args=_one("export"),
        setup=_with_export,
    ),
    Route(
        "incidents:export-download",
        {**READ, "defender": 404, "desk_officer": 404},
        args=_one("export"),
        setup=_with_export,
    ),
    Route("incidents:incident-create", CREATE_PAGE),
    Route(
        "incidents:incident-create",
        {**CREATE_PAGE, "desk_officer": 302, "desk_lead": 302},
        method="POST",
        data=_create_data,
    ),
    Route(
        "incidents:incident-create",
        {**CREATE_PAGE, "desk_officer": 422, "desk_lead": 422},
        method="POST",
        note="nothing filled in: the form comes back with its errors",
    ),
    Route("incidents:quick-report", REPORT_PAGE, setup=_with_collective_record),
    Route(
        "incidents:quick-report",
        # Staff have no collective to report for: "collective" is not one of their answers.
        {**REPORT_PAGE, "defender": 302, "desk_officer": 422, "desk_lead": 422},
        method="POST",
        data=_quick_data,
        setup=_with_collective_record,
    ),
    Route("incidents:defender-timeline", READ, args=_one("victim"), setup=_with_incident),
    Route("incidents:incident-detail", READ, args=_incident, setup=_with_incident),
    Route("incidents:incident-edit", DESK_PAGE, args=_incident, setup=_with_incident),
    Route(
        "incidents:incident-edit",
        DESK_INVALID,
        method="POST",
        args=_incident,
        setup=_with_incident,
    ),
    Route("incidents:incident-parties", DESK_PAGE, args=_incident, setup=_with_incident),
    Route(
        "incidents:incident-parties",
        DESK_INVALID,
        method="POST",
        args=_incident,
        setup=_with_incident,
    ),
    Route(
        "incidents:incident-transition",
        DESK_WRITE,
        method="POST",
        args=_incident,
        data=lambda world: {"to": "triaged", "version": "1"},
        setup=_with_incident,
    ),
    Route("incidents:incident-evaluate", DESK_PAGE, args=_incident, setup=_with_incident),
    Route(
        "incidents:incident-evaluate",
        DESK_WRITE,
        method="POST",
        args=_incident,
        data=lambda world: {
            "is_security_incident": "yes",
            "is_work_related": "yes",
            "is_known_threat": "unsure",
            "follow_up": "assess_threat",
            "version": "1",
        },
        setup=_with_incident,
    ),
    Route("incidents:source-add", DESK_PAGE, args=_incident, setup=_with_incident),
    Route(
        "incidents:source-add",
        DESK_WRITE,
        method="POST",
        args=_incident,
        data=lambda world: {"connection": "victim", "reliability": "high"},
        setup=_with_incident,
    ),
    Route("incidents:intervention-add", DESK_PAGE, args=_incident, setup=_with_incident),
    Route(
        "incidents:intervention-add",
        DESK_INVALID,
        method="POST",
        args=_incident,
        setup=_with_incident,
    ),
    Route("incidents:attachment-add", DESK_PAGE, args=_incident, setup=_with_incident),
    Route(
        "incidents:attachment-add",
        DESK_INVALID,
        method="POST",
        args=_incident,
        setup=_with_incident,
        note="no file: the form comes back with its error",
    ),
    Route(
        "incidents:part-remove",
        DESK_WRITE,
        method="POST",
        args=lambda world: [world.extra["incident"].pk, "source", world.extra["source"].pk],
        setup=_with_incident,
    ),
    Route("incidents:act-edit", DESK_PAGE, args=_one("act"), setup=_with_incident),
    Route(
        "incidents:act-edit",
        DESK_WRITE,
        method="POST",
        args=_one("act"),
        data=lambda world: {"act_type": "harassment", "version": "1"},
        setup=_with_incident,
    ),
    Route("incidents:involvement-edit", DESK_PAGE, args=_one("involvement"), setup=_with_incident),
    Route(
        "incidents:involvement-edit",
        DESK_INVALID,
        method="POST",
        args=_one("involvement"),
        setup=_with_incident,
    ),
    Route("incidents:source-edit", DESK_PAGE, args=_one("source"), setup=_with_incident),
    Route(
        "incidents:source-edit",
        DESK_INVALID,
        method="POST",
        args=_one("source"),
        setup=_with_incident,
    ),
    Route(
        "incidents:intervention-edit", DESK_PAGE, args=_one("intervention"), setup=_with_incident
    ),
    Route(
        "incidents:intervention-edit",
        DESK_WRITE,
        method="POST",
        args=_one("intervention"),
        data=lambda world: {"intervention_type": "legal_aid", "version": "1"},
        setup=_with_incident,
    ),
    Route(
        "incidents:perpetrator-edit",
        DESK_ONLY_READ,
        args=_one("perpetrator"),
        setup=_with_incident,
    ),
    Route(
        "incidents:perpetrator-edit",
        {**DESK_ONLY_READ, "desk_officer": 302, "desk_lead": 302},
        method="POST",
        args=_one("perpetrator"),
        data=lambda world: {"kind": "police", "name": "Station 3", "version": "1"},
        setup=_with_incident,
    ),
    Route("api-v1:incident-list", API_LIST, setup=_with_incident_and_token),
    Route(
        "api-v1:incident-list",
        API_FORM_POST,
        method="POST",
        setup=_with_incident_and_token,
    ),
    Route("api-v1:incident-detail", API_READ, args=_incident, setup=_with_incident_and_token),
    Route("api-v1:incident-act-list", API_READ, args=_incident, setup=_with_incident_and_token),
    Route(
        "api-v1:incident-involvement-list",
        API_READ,
        args=_incident,
        setup=_with_incident_and_token,
    ),
    # Sources are the keeping desk's alone: a victim collective's member sees the incident,
    # not who told the desk about it.
    Route(
        "api-v1:incident-source-list",
        {**API_READ, "defender": 403},
        args=_incident,
        setup=_with_incident_and_token,
    ),
    Route(
        "api-v1:incident-intervention-list",
        API_READ,
        args=_incident,
        setup=_with_incident_and_token,
    ),
    Route(
        "api-v1:incident-detail",
        API_FORM_POST,
        method="PUT",
        args=_incident,
        setup=_with_incident_and_token,
    ),
]
