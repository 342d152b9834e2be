"""Writes to the incident register. Each write and its audit event commit together (AUD-01);
ids only reach the log, never content. Whenever victims are recorded, `incident_recorded` is
sent inside the same transaction, so the risk module's review marks commit or roll back with
the incident (INC-4)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.audit.services import record_event
from amparo.core import crypto
from amparo.core.locking import save_versioned_instance
from amparo.defenders import services as defender_services
from amparo.defenders.enums import DefenderKind
from amparo.files import storage as file_storage
from amparo.incidents import export as export_module
from amparo.incidents import generations, queries, tasks
from amparo.incidents.enums import (
    TRANSITIONS,
    AttackType,
    Channel,
    DatePrecision,
    IncidentStatus,
    InvolvementDegree,
    LocationPrecision,
)
from amparo.incidents.models import (
    Act,
    Incident,
    IncidentAttachment,
    IncidentExport,
    Intervention,
    Involvement,
    Perpetrator,
    Source,
)
from amparo.incidents.signals import incident_recorded
from amparo.jobs import services as jobs
from amparo.jobs import sweeps
from amparo.jobs.enums import JobKind, JobMessage
from amparo.jobs.models import JobProgress

if TYPE_CHECKING:
    from amparo.accounts.models import Organisation, User
    from amparo.defenders.models import Defender
    from amparo.files.models import Attachment

#: The facts of an incident a form or the API may set (never the status or the evaluation).
FACT_FIELDS = (
    "title",
    "description",
    "occurred_on",
    "date_precision",
    "date_end",
    "country",
    "region",
    "location",
    "location_precision",
    "channel",
    "is_danger_now",
    "violation_status",
    "impact",
    "state_response",
)
EVALUATION_FIELDS = (
    "is_security_incident",
    "is_work_related",
    "is_known_threat",
    "follow_up",
    "evaluation_notes",
    "lessons",
)
ACT_FIELDS = ("act_type", "consequences")
INVOLVEMENT_FIELDS = ("act", "degree", "attribution", "intent")
PERPETRATOR_FIELDS = ("kind", "name", "description")
SOURCE_FIELDS = ("connection", "reliability", "received_on", "identity", "notes")
INTERVENTION_FIELDS = (
    "intervention_type",
    "party",
    "done_on",
    "response",
    "impact",
    "priority",
    "notes",
)


class IncidentError(Exception):
    """A write the register's rules refuse; the message is translated for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class VictimEntry:
    """One victim of the one-flow entry: an existing defender, or a new one by pseudonym."""

    defender: Defender | None = None
    new_pseudonym: str = ""
    new_kind: str = DefenderKind.INDIVIDUAL
    #: Empty: the incident's common type of attack.
    act_type: str = ""


@dataclass(frozen=True)
class PerpetratorEntry:
    """One perpetrator: an existing one of the organisation, or a new one by kind and name."""

    perpetrator: Perpetrator | None = None
    new_kind: str = ""
    new_name: str = ""


def _event(
    actor: User | None, action: str, incident: Incident, *extra: Any, target: Any = None
) -> None:
    record_event(
        actor=actor,
        action=action,
        organisation=incident.organisation_id,
        target=target if target is not None else incident,
        object_ids=[getattr(item, "pk", item) for item in extra],
    )
    # Every write of an incident or its parts passes here: what is cached from the register
    # (the patterns page) is computed again.
    generations.bump(incident.organisation_id)


def _set(obj: Any, fields: Iterable[str], values: dict[str, Any]) -> list[str]:
    """Assign the allowed fields present in `values`; return their names."""
    changed = []
    for name in fields:
        if name in values:
            setattr(obj, name, values[name])
            changed.append(name)
    unknown = set(values) - set(fields)
    if unknown:
        raise TypeError(f"not writable here: {sorted(unknown)}")
    return changed


def title_from(text: str, *, limit: int = 80) -> str:
    """A short description made from the first line of a narrative (quick report)."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first) <= limit:
        return first
    return first[: limit - 1].rstrip() + "…"


# --- the one flow (INC-3) ---


@transaction.atomic
def record_incident(
    *,
    organisation: Organisation,
    actor: User | None,
    facts: dict[str, Any],
    act_type: str = AttackType.UNCLASSIFIED,
    victims: Sequence[VictimEntry] = (),
    perpetrators: Sequence[PerpetratorEntry] = (),
    status: str = IncidentStatus.SUBMITTED,
    incident_id: UUID | None = None,
) -> Incident:
    """Create the event, its victims (new ones through the defenders module) and its
    perpetrators in one transaction.

    Side effects: audit events (the incident; each new defender and perpetrator);
    `incident_recorded` when there are victims. Raises IncidentError when a chosen defender or
    perpetrator is kept by another organisation.
    """
    if status not in (IncidentStatus.DRAFT, IncidentStatus.SUBMITTED):
        raise IncidentError(_("A new incident is a draft or a submitted report."))
    incident = Incident(organisation=organisation, reported_by=actor, status=status)
    if incident_id is not None:
        incident.pk = incident_id  # fixed ids for demo data
    _set(incident, FACT_FIELDS, facts)
    incident.listed_on = incident.occurred_on or timezone.localdate()
    incident.save(force_insert=True)
    _event(actor, "incidents.incident_recorded", incident)
    add_parties(
        incident=incident,
        actor=actor,
        act_type=act_type,
        victims=victims,
        perpetrators=perpetrators,
    )
    return incident


@transaction.atomic
def add_parties(
    *,
    incident: Incident,
    actor: User | None,
    act_type: str = AttackType.UNCLASSIFIED,
    victims: Sequence[VictimEntry] = (),
    perpetrators: Sequence[PerpetratorEntry] = (),
) -> tuple[list[Act], list[Involvement]]:
    """Add victims (one act each) and perpetrators (involved in the event as a whole, degree
    `suspected`: INC-2) to an incident. A victim already recorded with the same type, or a
    perpetrator already involved in the event, is not added twice."""
    existing_acts = {(a.victim_id, a.act_type) for a in incident.acts.all()}
    acts: list[Act] = []
    for entry in victims:
        victim = entry.defender
        if victim is None:
            if not entry.new_pseudonym.strip():
                continue
            victim = defender_services.create_defender(
                organisation=incident.organisation,
                actor=actor,
                kind=entry.new_kind,
                pseudonym=entry.new_pseudonym.strip(),
                country=incident.country,
                region=incident.region,
            )
        elif victim.organisation_id != incident.organisation_id:
            raise IncidentError(
                _("%(code)s is accompanied by another organisation: record it there.")
                % {"code": victim.code}
            )
        kind = entry.act_type or act_type
        if (victim.pk, kind) in existing_acts:
            continue
        existing_acts.add((victim.pk, kind))
        acts.append(
            Act.objects.create(
                organisation_id=incident.organisation_id,
                incident=incident,
                victim=victim,
                act_type=kind,
                listed_on=incident.listed_on,
            )
        )
    involved = set(
        incident.involvements.filter(act__isnull=True).values_list("perpetrator_id", flat=True)
    )
    involvements: list[Involvement] = []
    for perp_entry in perpetrators:
        perpetrator = perp_entry.perpetrator
        if perpetrator is None:
            if not perp_entry.new_name.strip():
                continue
            perpetrator = create_perpetrator(
                organisation=incident.organisation,
                actor=actor,
                kind=perp_entry.new_kind,
                name=perp_entry.new_name.strip(),
            )
        elif perpetrator.organisation_id != incident.organisation_id:
            raise IncidentError(
                _("%(code)s belongs to another organisation's register.")
                % {"code": perpetrator.code}
            )
        if perpetrator.pk in involved:
            continue
        involved.add(perpetrator.pk)
        involvements.append(
            Involvement.objects.create(
                organisation_id=incident.organisation_id,
                incident=incident,
                perpetrator=perpetrator,
                degree=InvolvementDegree.SUSPECTED,
            )
        )
    if acts or involvements:
        _event(actor, "incidents.parties_added", incident, *acts, *involvements)
    if acts:
        incident_recorded.send(
            sender=Incident,
            incident=incident,
            defender_ids=sorted({act.victim_id for act in acts}, key=str),
        )
    return acts, involvements


@transaction.atomic
def submit_quick_report(
    *,
    organisation: Organisation,
    actor: User,
    victim: Defender | None,
    what_happened: str,
    occurred_on: date | None,
    date_precision: str,
    country: str,
    region: str,
    is_danger_now: bool,
    act_type: str = AttackType.UNCLASSIFIED,
    draft: bool = False,
) -> Incident:
    """The short report from a phone (DOMAIN.md 2.2 step 1): the desk completes it later.

    The victim, when given, must be kept by `organisation` (its desk receives the report).
    """
    if victim is not None and victim.organisation_id != organisation.pk:
        raise IncidentError(_("This defender is accompanied by another organisation."))
    facts = {
        "title": title_from(what_happened) or _("Quick report"),
        "description": what_happened,
        "occurred_on": occurred_on,
        "date_precision": date_precision if occurred_on else DatePrecision.UNKNOWN,
        "country": country.upper(),
        "region": region,
        "location_precision": (
            LocationPrecision.REGION
            if region
            else LocationPrecision.COUNTRY
            if country
            else LocationPrecision.WITHHELD
        ),
        "is_danger_now": is_danger_now,
        "channel": Channel.QUICK_REPORT,
    }
    return record_incident(
        organisation=organisation,
        actor=actor,
        facts=facts,
        act_type=act_type or AttackType.UNCLASSIFIED,
        victims=[VictimEntry(defender=victim)] if victim is not None else [],
        status=IncidentStatus.DRAFT if draft else IncidentStatus.SUBMITTED,
    )


# --- editing the event ---


@transaction.atomic
def update_incident(
    *, incident: Incident, actor: User, expected_version: int, facts: dict[str, Any]
) -> Incident:
    """Raises EditConflict when someone saved the incident after `expected_version`."""
    changed = _set(incident, FACT_FIELDS, facts)
    if incident.occurred_on is not None:
        incident.listed_on = incident.occurred_on
    elif "occurred_on" in changed:
        incident.listed_on = incident.created_at.date()
    save_versioned_instance(
        incident,
        expected_version=expected_version,
        update_fields=[*changed, "listed_on", "updated_at"],
    )
    # The acts carry the incident's place in the timelines (Act.listed_on).
    Act.objects.filter(incident=incident).exclude(listed_on=incident.listed_on).update(
        listed_on=incident.listed_on
    )
    _event(actor, "incidents.incident_updated", incident)
    return incident


@transaction.atomic
def evaluate_incident(
    *, incident: Incident, actor: User | None, expected_version: int, answers: dict[str, Any]
) -> Incident:
    """The team evaluation (DOMAIN.md 2.2 step 4): who evaluated and when are recorded."""
    changed = _set(incident, EVALUATION_FIELDS, answers)
    incident.evaluated_by = actor
    incident.evaluated_at = timezone.now()
    save_versioned_instance(
        incident,
        expected_version=expected_version,
        update_fields=[*changed, "evaluated_by", "evaluated_at", "updated_at"],
    )
    _event(actor, "incidents.incident_evaluated", incident)
    return incident


@transaction.atomic
def transition_incident(
    *, incident: Incident, actor: User | None, to: str, expected_version: int
) -> Incident:
    """Move the incident along its workflow. Raises IncidentError for a move the workflow
    does not allow (or coding before the team evaluation), EditConflict when stale."""
    if to not in TRANSITIONS.get(incident.status, ()):
        raise IncidentError(_("An incident cannot move from this status to that one."))
    if to == IncidentStatus.CODED and incident.evaluated_at is None:
        raise IncidentError(_("Record the team evaluation before coding the incident."))
    incident.status = to
    save_versioned_instance(
        incident, expected_version=expected_version, update_fields=["status", "updated_at"]
    )
    _event(actor, f"incidents.incident_{to}", incident)
    return incident


# --- parts ---


@transaction.atomic
def create_perpetrator(
    *,
    organisation: Organisation,
    actor: User | None,
    kind: str,
    name: str,
    description: str = "",
    perpetrator_id: UUID | None = None,
) -> Perpetrator:
    perpetrator = Perpetrator(
        organisation=organisation, kind=kind, name=name, description=description, created_by=actor
    )
    if perpetrator_id is not None:
        perpetrator.pk = perpetrator_id  # fixed ids for demo data
    perpetrator.save(force_insert=True)
    record_event(
        actor=actor,
        action="incidents.perpetrator_created",
        organisation=organisation.pk,
        target=perpetrator,
    )
    generations.bump(organisation.pk)
    return perpetrator


@transaction.atomic
def update_perpetrator(
    *, perpetrator: Perpetrator, actor: User, expected_version: int, values: dict[str, Any]
) -> Perpetrator:
    changed = _set(perpetrator, PERPETRATOR_FIELDS, values)
    save_versioned_instance(
        perpetrator, expected_version=expected_version, update_fields=[*changed, "updated_at"]
    )
    record_event(
        actor=actor,
        action="incidents.perpetrator_updated",
        organisation=perpetrator.organisation_id,
        target=perpetrator,
    )
    generations.bump(perpetrator.organisation_id)
    return perpetrator


@transaction.atomic
def update_act(*, act: Act, actor: User, expected_version: int, values: dict[str, Any]) -> Act:
    changed = _set(act, ACT_FIELDS, values)
    save_versioned_instance(
        act, expected_version=expected_version, update_fields=[*changed, "updated_at"]
    )
    _event(actor, "incidents.act_updated", act.incident, target=act)
    return act


@transaction.atomic
def update_involvement(
    *, involvement: Involvement, actor: User, expected_version: int, values: dict[str, Any]
) -> Involvement:
    act = values.get("act")
    if act is not None and act.incident_id != involvement.incident_id:
        raise IncidentError(_("Choose an act of this incident."))
    changed = _set(involvement, INVOLVEMENT_FIELDS, values)
    save_versioned_instance(
        involvement, expected_version=expected_version, update_fields=[*changed, "updated_at"]
    )
    _event(actor, "incidents.involvement_updated", involvement.incident, target=involvement)
    return involvement


@transaction.atomic
def add_source(*, incident: Incident, actor: User | None, values: dict[str, Any]) -> Source:
    source = Source(organisation_id=incident.organisation_id, incident=incident)
    _set(source, SOURCE_FIELDS, values)
    source.save(force_insert=True)
    _event(actor, "incidents.source_added", incident, target=source)
    return source


@transaction.atomic
def update_source(
    *, source: Source, actor: User, expected_version: int, values: dict[str, Any]
) -> Source:
    changed = _set(source, SOURCE_FIELDS, values)
    save_versioned_instance(
        source, expected_version=expected_version, update_fields=[*changed, "updated_at"]
    )
    _event(actor, "incidents.source_updated", source.incident, target=source)
    return source


@transaction.atomic
def add_intervention(
    *, incident: Incident, actor: User | None, values: dict[str, Any]
) -> Intervention:
    intervention = Intervention(organisation_id=incident.organisation_id, incident=incident)
    _set(intervention, INTERVENTION_FIELDS, values)
    intervention.save(force_insert=True)
    _event(actor, "incidents.intervention_added", incident, target=intervention)
    return intervention


@transaction.atomic
def update_intervention(
    *, intervention: Intervention, actor: User, expected_version: int, values: dict[str, Any]
) -> Intervention:
    changed = _set(intervention, INTERVENTION_FIELDS, values)
    save_versioned_instance(
        intervention, expected_version=expected_version, update_fields=[*changed, "updated_at"]
    )
    _event(actor, "incidents.intervention_updated", intervention.incident, target=intervention)
    return intervention


@transaction.atomic
def attach_file(*, incident: Incident, actor: User, attachment: Attachment) -> IncidentAttachment:
    if attachment.organisation_id != incident.organisation_id:
        raise IncidentError(_("The file belongs to another organisation."))
    link, _created = IncidentAttachment.objects.get_or_create(
        incident=incident, attachment=attachment, defaults={"added_by": actor}
    )
    _event(actor, "incidents.file_attached", incident, attachment)
    return link


#: What `remove_part` may delete, by the name used in URLs.
REMOVABLE: dict[str, type[Any]] = {
    "act": Act,
    "involvement": Involvement,
    "source": Source,
    "intervention": Intervention,
    "attachment": IncidentAttachment,
}


@transaction.atomic
def remove_part(*, incident: Incident, actor: User, kind: str, part_id: Any) -> None:
    """Take a mistaken part off the incident. A removed file link leaves the file itself to
    the files app (shredding is its own, audited act)."""
    model = REMOVABLE[kind]
    part = model.objects.filter(incident=incident, pk=part_id).first()
    if part is None:
        raise IncidentError(_("This part is no longer on the incident."))
    part.delete()
    _event(actor, f"incidents.{kind}_removed", incident, part_id)


@transaction.atomic
def record_export(
    *, actor: User | None, rows: Sequence[tuple[Any, Any]], export_format: str
) -> None:
    """Audit an export before it streams: one event per organisation's chain, with the ids of
    every incident in it (`rows` are (incident id, organisation id) pairs)."""
    by_organisation: dict[Any, list[Any]] = {}
    for incident_id, organisation_id in rows:
        by_organisation.setdefault(organisation_id, []).append(incident_id)
    for organisation_id, ids in sorted(by_organisation.items(), key=lambda item: str(item[0])):
        record_event(
            actor=actor,
            action=f"incidents.incidents_exported_{export_format}",
            organisation=organisation_id,
            object_type="incidents.Incident",
            object_ids=ids,
        )


# --- exports too large for a request: a job writes an encrypted file ---


@transaction.atomic
def start_export(
    *, actor: User, organisation_id: UUID, export_format: str, query: str
) -> IncidentExport:
    """Queue the export of the incidents `query` (the list's filters, URL-encoded) selects.

    Side effects: a JobProgress row and an IncidentExport row owned by the actor, whose file
    key the organisation's key wraps; one audit event `incidents.export_started`; after
    commit, the `export_incidents` task. Every exported id is audited as the job reads it."""
    from amparo.accounts.models import Organisation  # noqa: PLC0415 -- a reference by id

    job = jobs.start_job(
        kind=JobKind.EXPORT, owner=actor, organisation=Organisation(pk=organisation_id)
    )
    export = IncidentExport.objects.create(
        job=job, owner=actor, organisation_id=organisation_id, export_format=export_format
    )
    record_event(
        actor=actor,
        action="incidents.export_started",
        organisation=organisation_id,
        target=export,
    )
    transaction.on_commit(partial(tasks.export_incidents.enqueue, str(export.pk), query))
    return export


@dataclass
class _Read:
    rows: int = 0


def _audited_chunks(
    export: IncidentExport, rows: QuerySet[Incident], *, total: int, read: _Read
) -> Iterator[list[Any]]:
    """The ids to write, CHUNK at a time, read READ_CHUNK per round trip. Each read is
    audited (every id, as the direct export does) before it is written, and moves the
    progress bar (throttled to one write a second by the jobs app)."""
    batch: list[tuple[Any, Any]] = []

    def flush() -> Iterator[list[Any]]:
        record_export(actor=export.owner, rows=batch, export_format=export.export_format)
        read.rows += len(batch)
        ids = [pk for pk, _organisation in batch]
        for start in range(0, len(ids), export_module.CHUNK):
            yield ids[start : start + export_module.CHUNK]
        jobs.report_progress(export.job_id, done=read.rows, total=max(total, read.rows))

    for row in rows.values_list("pk", "organisation_id").iterator(
        chunk_size=export_module.READ_CHUNK
    ):
        batch.append(row)
        if len(batch) == export_module.READ_CHUNK:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def write_export(*, export_id: Any, filters: queries.IncidentFilters) -> IncidentExport | None:
    """Write the export's file: read the incidents the owner may export with `filters`, in
    list order, a chunk at a time, into a blob encrypted under a new file key, then record the
    blob on the row. Memory stays flat whatever the number of incidents.

    Safe to run again: a finished export is left alone, and the file is recorded once (an
    effect key, in the transaction that records it); a run that crashed half-way starts over
    and its partial blob is deleted. Side effects: audit events `incidents.incidents_exported_*`
    (every id) and `incidents.export_ready`; progress on the job row. Returns None when there
    is nothing (left) to do."""
    export = (
        IncidentExport.objects.select_related("owner", "job")
        .filter(pk=export_id, finished_at__isnull=True)
        .first()
    )
    if export is None:
        return None
    owner = export.owner
    rows = queries.exportable_incidents(owner, filters)
    jobs.report_progress(export.job_id, done=0, message=JobMessage.PREPARING, force=True)
    # A count, in a job: it only sizes the progress bar; the file says how many it holds.
    total = rows.count()
    jobs.report_progress(export.job_id, done=0, total=total, force=True)
    key = file_storage.new_file_key()
    writer = file_storage.BlobWriter(key=key, attachment_id=export.pk)
    name = file_storage.new_blob_name()
    read = _Read()
    chunks = _audited_chunks(export, rows, total=total, read=read)
    body = (
        export_module.iter_json(chunks)
        if export.export_format == "json"
        else export_module.iter_csv(chunks)
    )
    try:
        for piece in body:
            writer.write(piece)
        jobs.report_progress(
            export.job_id, done=read.rows, total=max(total, read.rows), message=JobMessage.FINISHING
        )
        writer.finish()
        export_module.commit_export_blob(writer.temp_path, name)
        with transaction.atomic():
            if not jobs.claim_effect(key=f"incidents.export:{export.pk}"):
                # Another run recorded its file first; this one's goes.
                export_module.export_path(name).unlink(missing_ok=True)
                return None
            export.blob_name = name
            export.blob_sha256 = writer.blob_sha256.hexdigest()
            export.size = writer.size
            export.rows = read.rows
            export.wrapped_key = crypto.wrap_key(
                key,
                organisation_id=export.organisation_id,
                label=export_module.KEY_LABEL,
                row_id=export.pk,
            )
            export.finished_at = timezone.now()
            export.save(
                update_fields=[
                    "blob_name",
                    "blob_sha256",
                    "size",
                    "rows",
                    "wrapped_key",
                    "finished_at",
                ]
            )
            record_event(
                actor=owner,
                action="incidents.export_ready",
                organisation=export.organisation_id,
                target=export,
            )
    except BaseException:
        writer.discard()
        export_module.export_path(name).unlink(missing_ok=True)
        jobs.fail_job(export.job_id)
        raise
    jobs.finish_job(export.job_id)
    return export


def open_export(*, export: IncidentExport, actor: User) -> Iterator[bytes]:
    """The plaintext of a finished export, chunk by chunk, for its owner's download.

    The key is unwrapped and the audit event `incidents.export_downloaded` recorded before the
    first byte, so a missing file or a shredded key fails before the response starts.
    Raises FileNotFoundError, KeyDestroyed, DecryptionError."""
    path = export_module.export_path(export.blob_name)
    if not path.exists():
        raise FileNotFoundError(export.blob_name)
    key = crypto.unwrap_key(
        export.wrapped_key,
        organisation_id=export.organisation_id,
        label=export_module.KEY_LABEL,
        row_id=export.pk,
    )
    record_event(
        actor=actor,
        action="incidents.export_downloaded",
        organisation=export.organisation_id,
        target=export,
    )
    return file_storage.iter_plaintext(path, key=key, attachment_id=export.pk)


#: How long a finished export can be downloaded before the sweep deletes it.
EXPORT_KEPT = timedelta(days=7)


@sweeps.register("incidents.expire_exports")
def expire_exports(*, now: datetime) -> int:
    """Delete exports older than EXPORT_KEPT, row and file (the job row goes with the
    export). Idempotent: a file already gone is skipped. Returns how many went."""
    old = list(
        IncidentExport.objects.filter(created_at__lt=now - EXPORT_KEPT).values_list(
            "pk", "job_id", "blob_name"
        )[:500]
    )
    for _pk, _job_id, name in old:
        if name:
            export_module.export_path(name).unlink(missing_ok=True)
    JobProgress.objects.filter(pk__in=[job_id for _pk, job_id, _name in old]).delete()
    return len(old)
