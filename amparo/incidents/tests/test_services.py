"""The register's writes: one flow, quick report, evaluation, workflow, parts, audit, signal."""

from __future__ import annotations

from datetime import date

import pytest

from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_context
from amparo.core.locking import EditConflict
from amparo.defenders.models import Defender
from amparo.incidents import services
from amparo.incidents.enums import (
    AttackType,
    Channel,
    DatePrecision,
    IncidentStatus,
    InvolvementDegree,
    LocationPrecision,
    PerpetratorKind,
)
from amparo.incidents.models import Act, Incident, Involvement, Perpetrator
from amparo.incidents.signals import incident_recorded
from amparo.incidents.tests.factories import make_defender, make_incident, make_perpetrator

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    calls = []

    def receiver(sender, incident, defender_ids, **kwargs):
        calls.append((incident.pk, sorted(defender_ids, key=str)))

    incident_recorded.connect(receiver, dispatch_uid="test-incidents")
    yield calls
    incident_recorded.disconnect(dispatch_uid="test-incidents")


def test_one_flow_creates_event_new_victim_and_new_perpetrator(
    organisation, desk_officer, received
):
    known = make_defender(organisation, "Ana")

    incident = services.record_incident(
        organisation=organisation,
        actor=desk_officer,
        facts={"title": "Threat at the gate", "country": "CO", "region": "Cauca"},
        act_type=AttackType.DEATH_THREAT,
        victims=[
            services.VictimEntry(defender=known),
            services.VictimEntry(new_pseudonym="  Beto ", act_type=AttackType.HARASSMENT),
        ],
        perpetrators=[
            services.PerpetratorEntry(new_kind=PerpetratorKind.MILITARY, new_name="Battalion 14")
        ],
    )

    new = Defender.objects.exclude(pk=known.pk).get()
    with audit_context(actor=desk_officer):
        names = (new.pseudonym, Perpetrator.objects.get().name, incident.title)
    acts = sorted((a.victim_id == known.pk, a.act_type) for a in incident.acts.all())
    involvement = Involvement.objects.get()
    assert names == ("Beto", "Battalion 14", "Threat at the gate")
    assert acts == [(False, "harassment"), (True, "death_threat")]
    assert (involvement.degree, involvement.act_id) == (InvolvementDegree.SUSPECTED, None)
    assert (new.organisation_id, new.country, new.region) == (organisation.pk, "CO", "Cauca")
    assert received == [(incident.pk, sorted([known.pk, new.pk], key=str))]
    actions = list(
        AuditEvent.objects.filter(organisation_id=organisation.pk).values_list("action", flat=True)
    )
    assert "incidents.incident_recorded" in actions
    assert "incidents.parties_added" in actions
    assert "incidents.perpetrator_created" in actions


def test_one_flow_refuses_a_defender_of_another_organisation(
    organisation, other_organisation, desk_officer
):
    foreign = make_defender(other_organisation, "Elsewhere")

    with pytest.raises(services.IncidentError):
        services.record_incident(
            organisation=organisation,
            actor=desk_officer,
            facts={"title": "x"},
            victims=[services.VictimEntry(defender=foreign)],
        )

    assert Incident.objects.count() == 0  # the whole flow rolled back


def test_adding_the_same_victim_and_perpetrator_twice_records_them_once(
    organisation, desk_officer, received
):
    ana = make_defender(organisation, "Ana")
    battalion = make_perpetrator(organisation)
    incident = make_incident(organisation, desk_officer, victims=[ana], perpetrators=[battalion])

    acts, involvements = services.add_parties(
        incident=incident,
        actor=desk_officer,
        act_type=AttackType.THREAT,
        victims=[services.VictimEntry(defender=ana)],
        perpetrators=[services.PerpetratorEntry(perpetrator=battalion)],
    )

    assert (acts, involvements, Act.objects.count(), Involvement.objects.count()) == ([], [], 1, 1)
    assert len(received) == 1  # no signal when no victim was added


def test_quick_report_by_a_defender_is_submitted_to_the_keeping_desk(organisation, defender):
    own = make_defender(organisation, "Ana", user=defender, country="CO")

    incident = services.submit_quick_report(
        organisation=organisation,
        actor=defender,
        victim=own,
        what_happened="Two men on a motorbike waited outside my house.\nThey took photos.",
        occurred_on=None,
        date_precision=DatePrecision.DAY,
        country="co",
        region="Cauca",
        is_danger_now=True,
    )

    with audit_context(actor=defender):
        title = incident.title
    assert title == "Two men on a motorbike waited outside my house."
    assert (
        incident.status,
        incident.channel,
        incident.date_precision,
        incident.country,
        incident.location_precision,
        incident.is_danger_now,
        incident.reported_by_id,
    ) == (
        IncidentStatus.SUBMITTED,
        Channel.QUICK_REPORT,
        DatePrecision.UNKNOWN,
        "CO",
        LocationPrecision.REGION,
        True,
        defender.pk,
    )
    assert list(incident.acts.values_list("victim_id", "act_type")) == [
        (own.pk, AttackType.UNCLASSIFIED)
    ]


def test_title_from_a_long_first_line_is_shortened():
    assert services.title_from("\n  " + "word " * 40) == ("word " * 16).strip()[:79] + "…"


def test_update_with_a_stale_version_raises_a_conflict(organisation, desk_officer):
    incident = make_incident(organisation, desk_officer)
    services.update_incident(
        incident=Incident.objects.get(),
        actor=desk_officer,
        expected_version=1,
        facts={"region": "Nariño"},
    )

    with pytest.raises(EditConflict) as conflict:
        services.update_incident(
            incident=incident, actor=desk_officer, expected_version=1, facts={"region": "Huila"}
        )

    assert (conflict.value.current.region, conflict.value.current.version) == ("Nariño", 2)


def test_coding_needs_the_team_evaluation_first(organisation, desk_officer):
    incident = make_incident(organisation, desk_officer, status=IncidentStatus.UNDER_EVALUATION)

    with pytest.raises(services.IncidentError):
        services.transition_incident(
            incident=incident, actor=desk_officer, to=IncidentStatus.CODED, expected_version=1
        )
    services.evaluate_incident(
        incident=incident,
        actor=desk_officer,
        expected_version=1,
        answers={
            "is_security_incident": "yes",
            "is_work_related": "unsure",
            "is_known_threat": "no",
            "follow_up": "assess_threat",
            "evaluation_notes": "Pattern with March.",
            "lessons": "",
        },
    )
    services.transition_incident(
        incident=incident, actor=desk_officer, to=IncidentStatus.CODED, expected_version=2
    )

    assert Incident.objects.values_list("status", "evaluated_by", "version").get() == (
        IncidentStatus.CODED,
        desk_officer.pk,
        3,
    )


def test_a_transition_outside_the_workflow_is_refused(organisation, desk_officer):
    incident = make_incident(organisation, desk_officer, status=IncidentStatus.DRAFT)

    with pytest.raises(services.IncidentError):
        services.transition_incident(
            incident=incident, actor=desk_officer, to=IncidentStatus.CLOSED, expected_version=1
        )


def test_parts_are_added_updated_and_removed_with_audit(organisation, desk_officer):
    incident = make_incident(organisation, desk_officer)
    source = services.add_source(
        incident=incident,
        actor=desk_officer,
        values={"connection": "witness", "reliability": "high", "identity": "A neighbour"},
    )
    intervention = services.add_intervention(
        incident=incident,
        actor=desk_officer,
        values={"intervention_type": "demand_investigation", "done_on": date(2025, 3, 20)},
    )
    services.update_source(
        source=source, actor=desk_officer, expected_version=1, values={"reliability": "medium"}
    )

    services.remove_part(
        incident=incident, actor=desk_officer, kind="intervention", part_id=intervention.pk
    )

    saved = type(source).objects.values_list("reliability", "version").get()
    assert (saved, incident.interventions.count()) == (("medium", 2), 0)
    assert AuditEvent.objects.filter(action="incidents.intervention_removed").count() == 1
    with pytest.raises(services.IncidentError):
        services.remove_part(
            incident=incident, actor=desk_officer, kind="intervention", part_id=intervention.pk
        )


def test_an_involvement_can_only_point_at_an_act_of_its_incident(organisation, desk_officer):
    ana = make_defender(organisation, "Ana")
    battalion = make_perpetrator(organisation)
    first = make_incident(organisation, desk_officer, victims=[ana], perpetrators=[battalion])
    second = make_incident(organisation, desk_officer, victims=[ana])
    involvement = first.involvements.get()

    with pytest.raises(services.IncidentError):
        services.update_involvement(
            involvement=involvement,
            actor=desk_officer,
            expected_version=1,
            values={"act": second.acts.get()},
        )


def test_export_is_audited_with_every_id_per_organisation(
    organisation, other_organisation, desk_lead
):
    rows = [("a", organisation.pk), ("b", organisation.pk), ("c", other_organisation.pk)]

    services.record_export(actor=desk_lead, rows=rows, export_format="csv")

    events = {
        e.organisation_id: e.object_ids
        for e in AuditEvent.objects.filter(action="incidents.incidents_exported_csv")
    }
    assert events == {organisation.pk: ["a", "b"], other_organisation.pk: ["c"]}
