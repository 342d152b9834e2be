"""Pages of the incident register: list, one-flow entry, quick report, detail and its parts,
team evaluation, patterns, a defender's timeline and the export. Thin: access through
queries, writes through services."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    QueryDict,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseStopPolling

from amparo.accounts.models import User
from amparo.core.choices import translated_labels
from amparo.core.conflicts import render_conflict, rows_from_form
from amparo.core.htmx import if_none_match, is_htmx, stop_polling_when_gone
from amparo.core.locking import EditConflict
from amparo.core.pickers import PICKER_LIMIT
from amparo.files import rules as file_rules
from amparo.files import services as file_services
from amparo.files.forms import AttachmentUploadForm
from amparo.files.upload import EncryptedUploadedFile, upload_was_too_large
from amparo.incidents import blank_forms, export, links, queries, rules, services
from amparo.incidents.enums import IncidentStatus
from amparo.incidents.forms import (
    MAX_ROWS,
    ActForm,
    EvaluationForm,
    ExportForm,
    IncidentCreateForm,
    IncidentEditForm,
    IncidentFilterForm,
    InterventionForm,
    InvolvementForm,
    PartiesForm,
    PerpetratorForm,
    PickerSearchForm,
    QuickReportForm,
    SourceForm,
    TransitionForm,
    check_organisation,
    party_formsets,
)
from amparo.incidents.models import (
    Act,
    Incident,
    IncidentExport,
    Intervention,
    Perpetrator,
    Source,
)
from amparo.incidents.pattern_rows import pattern_parts
from amparo.incidents.rows import incident_rows, timeline_items

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 -- LoginRequiredMiddleware guarantees it
    return user


def _posted(request: HttpRequest) -> Any:
    """The submitted data on POST (even when empty, so the form shows its errors), else None."""
    return request.POST if request.method == "POST" else None


def _query_without_page(request: HttpRequest) -> str:
    return _query_without(request.GET, "after")


def _query_without(data: QueryDict, *names: str) -> str:
    query = data.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _after(request: HttpRequest) -> UUID | None:
    try:
        return UUID(request.GET.get("after", ""))
    except ValueError:
        return None


# --- the list, patterns, timeline ---


def with_labels(incidents: Iterable[Incident]) -> list[Incident]:
    """Attach the translated labels a list row shows (status, types of attack, kinds of
    perpetrator; acts and involvements attached by `queries.attach_summaries`).
    `get_FOO_display()` rebuilds and hashes the field's whole list of lazy choices on every
    call: once per row and per label it was most of a 50-row page's time. Here each label
    is translated once per process and language (`core.choices.translated_labels`). The list
    writes its rows from these labels (`rows.incident_rows`)."""
    statuses = translated_labels(Incident, "status")
    types = translated_labels(Act, "act_type")
    kinds = translated_labels(Perpetrator, "kind")
    rows = list(incidents)
    for incident in rows:
        incident.status_label = statuses.get(incident.status, incident.status)  # type: ignore[attr-defined]
        incident.type_text = ", ".join(  # type: ignore[attr-defined]
            sorted({types.get(act.act_type, act.act_type) for act in incident.summary_acts()})
        )
        incident.perpetrator_text = ", ".join(  # type: ignore[attr-defined]
            sorted(
                {
                    kinds.get(inv.perpetrator_kind, inv.perpetrator_kind)
                    for inv in incident.summary_involvements()
                }
            )
        )
    return rows


@require_GET
def incident_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    filter_form = IncidentFilterForm(request.GET or None)
    filters = filter_form.filters()
    register = queries.register_for(user)
    page = queries.register_page(register, filters, after=_after(request), size=PAGE_SIZE)
    rows = with_labels(queries.attach_summaries(page.rows))
    context = {
        "page": page,
        "incidents": rows,
        "incident_rows": incident_rows(rows),
        "filter_form": filter_form,
        "filter_fields": blank_forms.filter_fields(filter_form),
        "filters": filters,
        "query": _query_without_page(request),
        "urgent": queries.register_urgent_count(register),
        "urgent_shown": queries.URGENT_SHOWN,
        "can_create": rules.can_create_incidents(user),
        "can_export": rules.can_export_incidents(user),
    }
    return render(request, "incidents/incident_list.html", context)


@require_GET
def incident_patterns(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    patterns = queries.patterns_for(user, today=timezone.localdate())
    context = {"patterns": patterns, **pattern_parts(patterns)}
    return render(request, "incidents/incident_patterns.html", context)


@require_GET
def defender_timeline(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    user = _user(request)
    defender = queries.get_timeline_defender(user, defender_id)
    page, victims = queries.timeline_page(user, defender, after=_after(request), size=PAGE_SIZE)
    rows: list[dict[str, Any]] = [
        {
            "incident": incident,
            "against": sorted(
                {victims[a.victim_id] for a in incident.summary_acts() if a.victim_id in victims}
            ),
        }
        for incident in with_labels(page.rows)
    ]
    cards = timeline_items(
        [(row["incident"], row["against"]) for row in rows], collective=defender.is_collective
    )
    context = {
        "defender": defender,
        "page": page,
        "rows": rows,
        "timeline_items": cards,
        "query": "",
    }
    return render(request, "incidents/defender_timeline.html", context)


def _direct_export(user: User, rows: list[Any], export_format: str) -> StreamingHttpResponse:
    """A small export answered in the request, streamed, audited with every id first."""
    services.record_export(actor=user, rows=rows, export_format=export_format)
    ids = [pk for pk, _organisation in rows]
    chunks = export.id_chunks(ids)
    body = export.iter_json(chunks) if export_format == "json" else export.iter_csv(chunks)
    response = StreamingHttpResponse(body, content_type=export.CONTENT_TYPES[export_format])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="incidents-{stamp}.{export_format}"'
    response["Cache-Control"] = "no-store, private"
    return response


@require_http_methods(["GET", "POST"])
def incident_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered list as JSON or CSV, Tier 2 only, every id audited. Up to
    EXPORT_DIRECT_LIMIT incidents the file streams at once; beyond, GET asks to confirm and
    POST starts a background job that writes an encrypted file for this person alone
    (PERFORMANCE.md section 3: the request answers with the job in milliseconds)."""
    user = _user(request)
    if not rules.can_export_incidents(user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    query = QueryDict(data.get("query", "")) if request.method == "POST" else request.GET
    format_form = ExportForm({"format": data.get("format", "json")})
    if not format_form.is_valid():
        return HttpResponse(_("Choose JSON or CSV."), status=400, content_type="text/plain")
    export_format = format_form.cleaned_data["format"]
    filters = IncidentFilterForm(query).filters()
    exportable = queries.exportable_incidents(user, filters)
    # At most one more than the limit: enough to choose, never a count of the whole set.
    rows = list(exportable.values_list("pk", "organisation_id")[: export.EXPORT_DIRECT_LIMIT + 1])
    if len(rows) <= export.EXPORT_DIRECT_LIMIT:
        return _direct_export(user, rows, export_format)
    filter_query = _query_without(query, "after", "format", "query")
    if request.method == "GET":
        context = {
            "export_format": export_format,
            "filter_query": filter_query,
            "limit": export.EXPORT_DIRECT_LIMIT,
        }
        return render(request, "incidents/export_confirm.html", context)
    started = services.start_export(
        actor=user,
        # The file key goes under the key of an organisation the person exports from.
        organisation_id=rows[0][1],
        export_format=export_format,
        query=filter_query,
    )
    return redirect("incidents:export-detail", started.pk)


def _export_etag(item: IncidentExport) -> str:
    return f'"export-{item.pk}-v{item.job.version}"'


@require_GET
@stop_polling_when_gone("jobs/job_detail.html#job-progress-gone")
def export_detail(request: HttpRequest, export_id: UUID) -> HttpResponse:
    """A background export: its progress, then its download. htmx asks for the status every
    2 s with the version it shows and gets 304 until the job moves; once the job is finished
    or failed, the status comes back without its trigger as a 286, and htmx swaps it in and
    polls no more (core/htmx.py). An export the person may not see (any more) also answers
    htmx with a 286, as a job's progress does. Without JavaScript the page refreshes itself
    (a meta refresh: no script under the CSP) until the job is finished."""
    item = queries.get_export_for_user(_user(request), export_id)
    etag = _export_etag(item)
    context = {"export": item, "job": item.job, "etag": etag}
    if is_htmx(request):
        response: HttpResponse
        if item.job.is_finished:
            status = render_to_string(
                "incidents/export_detail.html#export-status", context, request=request
            )
            response = HttpResponseStopPolling(status)
        elif etag in if_none_match(request):
            response = HttpResponseNotModified()
        else:
            response = render(request, "incidents/export_detail.html#export-status", context)
        response["ETag"] = etag
        return response
    return render(request, "incidents/export_detail.html", context)


@require_GET
def export_download(request: HttpRequest, export_id: UUID) -> StreamingHttpResponse:
    """The finished file, decrypted as it streams, to the person who asked for it alone.
    JSON or CSV that this site wrote, sent as an attachment with nosniff: never a page."""
    user = _user(request)
    item = queries.get_export_for_user(user, export_id)
    if not item.is_ready:
        raise Http404
    try:
        chunks = services.open_export(export=item, actor=user)
    except FileNotFoundError as error:
        raise Http404 from error
    response = StreamingHttpResponse(chunks, content_type=export.CONTENT_TYPES[item.export_format])
    response["Content-Disposition"] = f'attachment; filename="{item.download_name}"'
    response["Content-Length"] = str(item.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response


# --- one flow (INC-3) ---


def _new_names_typed(data: Any, prefix: str, field: str) -> bool:
    return any(
        str(value).strip()
        for key, value in (data or {}).items()
        if key.startswith(f"{prefix}-") and key.endswith(f"-{field}")
    )


def _chosen_ids(data: Any, prefix: str, field: str) -> list[UUID]:
    """The records already picked in the posted rows: a search must keep offering them."""
    ids: list[UUID] = []
    for key, value in (data or {}).items():
        if key.startswith(f"{prefix}-") and key.endswith(f"-{field}") and value:
            try:
                ids.append(UUID(str(value)))
            except ValueError:
                continue  # not a record: the row's own validation says so
    return ids[:MAX_ROWS]


def _party_forms(request: HttpRequest, user: User, *, more_rows: bool) -> dict[str, Any]:
    """Both row formsets, their pickers and the search boxes. A picker offers
    PICKER_LIMIT records (the newest, or those matching its search) and the ones already
    chosen; the duplicate hints compare new names against a wider window of recent
    records, decrypted only when a new name was actually typed."""
    data = request.POST if request.method == "POST" else None
    search = PickerSearchForm(data)
    victims = queries.victim_picker(
        user,
        search=search.text("victim_search"),
        keep=_chosen_ids(data, "victims", "defender"),
    )
    perpetrators = queries.perpetrator_picker(
        user,
        search=search.text("perpetrator_search"),
        keep=_chosen_ids(data, "perpetrators", "perpetrator"),
    )
    victim_scan = (
        queries.known_victims(user, limit=queries.DUPLICATE_SCAN_LIMIT)
        if _new_names_typed(data, "victims", "new_pseudonym")
        else []
    )
    perpetrator_scan = (
        queries.known_perpetrators(user, limit=queries.DUPLICATE_SCAN_LIMIT)
        if _new_names_typed(data, "perpetrators", "new_name")
        else []
    )
    victim_set, perpetrator_set = party_formsets(
        data,
        victims=victims.options,
        victims_by_name=queries.index_by_name(victim_scan),
        perpetrators=perpetrators.options,
        perpetrators_by_name=queries.index_by_name(perpetrator_scan),
        more_rows=more_rows,
    )
    return {
        "victim_set": victim_set,
        "perpetrator_set": perpetrator_set,
        "search_form": search,
        "victim_picker": victims,
        "perpetrator_picker": perpetrators,
        "picker_limit": PICKER_LIMIT,
        "scan_limit": queries.DUPLICATE_SCAN_LIMIT,
    }


def _rows_only(request: HttpRequest) -> bool:
    """The person asked for more rows or searched a picker: show the form again, save
    nothing, report no error."""
    return request.method == "POST" and ("more_rows" in request.POST or "find" in request.POST)


def _party_template(request: HttpRequest, page: str) -> str:
    """htmx searches as the person types and swaps only that section's rows."""
    wanted = request.POST.get("find", "") if request.method == "POST" else ""
    if request.htmx and wanted in ("victims", "perpetrators"):  # type: ignore[attr-defined]
        return f"incidents/_party_rows.html#{wanted[:-1]}-rows"
    return page


def _entries(
    user: User, victim_set: Any, perpetrator_set: Any
) -> tuple[list[services.VictimEntry], list[services.PerpetratorEntry]]:
    """The filled rows as service entries, chosen records loaded through the access path."""
    victim_rows = [f.cleaned_data for f in victim_set.forms if f.is_filled]
    perpetrator_rows = [f.cleaned_data for f in perpetrator_set.forms if f.is_filled]
    defender_ids = [row["chosen"].id for row in victim_rows if row["chosen"]]
    perpetrator_ids = [row["chosen"].id for row in perpetrator_rows if row["chosen"]]
    defenders = {d.pk: d for d in queries.victim_candidates(user).filter(pk__in=defender_ids)}
    perpetrators = {
        p.pk: p for p in queries.perpetrator_candidates(user).filter(pk__in=perpetrator_ids)
    }
    victims = [
        services.VictimEntry(
            defender=defenders[row["chosen"].id] if row["chosen"] else None,
            new_pseudonym="" if row["chosen"] else row["new_pseudonym"],
            new_kind=row.get("new_kind") or "individual",
            act_type=row.get("act_type") or "",
        )
        for row in victim_rows
    ]
    perpetrator_entries = [
        services.PerpetratorEntry(
            perpetrator=perpetrators[row["chosen"].id] if row["chosen"] else None,
            new_kind="" if row["chosen"] else row["new_kind"],
            new_name="" if row["chosen"] else row["new_name"],
        )
        for row in perpetrator_rows
    ]
    return victims, perpetrator_entries


def _facts(form: Any) -> dict[str, Any]:
    return {
        name: value
        for name, value in form.cleaned_data.items()
        if name in services.FACT_FIELDS and name in form.fields
    }


@require_http_methods(["GET", "POST"])
def incident_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not rules.can_create_incidents(user):
        raise PermissionDenied
    targets = queries.report_targets(user)
    organisations = targets.desk_organisations
    more_rows = request.method == "POST" and "more_rows" in request.POST
    data = request.POST if request.method == "POST" else None
    form = IncidentCreateForm(data, organisations=organisations)
    parties = _party_forms(request, user, more_rows=more_rows)
    victim_set, perpetrator_set = parties["victim_set"], parties["perpetrator_set"]
    status = 200
    if request.method == "POST" and not _rows_only(request):
        valid = all([form.is_valid(), victim_set.is_valid(), perpetrator_set.is_valid()])
        if valid:
            organisation = next(
                o for o in organisations if o.pk == form.cleaned_data["organisation"]
            )
            elsewhere = _("Kept by another organisation: choose one of %(name)s.") % {
                "name": organisation.name
            }
            valid = all(
                [
                    check_organisation(victim_set, organisation.pk, elsewhere),
                    check_organisation(perpetrator_set, organisation.pk, elsewhere),
                ]
            )
        if valid:
            victims, perpetrators = _entries(user, victim_set, perpetrator_set)
            draft = request.POST.get("status") == IncidentStatus.DRAFT
            try:
                incident = services.record_incident(
                    organisation=organisation,
                    actor=user,
                    facts=_facts(form),
                    act_type=form.cleaned_data["act_type"],
                    victims=victims,
                    perpetrators=perpetrators,
                    status=IncidentStatus.DRAFT if draft else IncidentStatus.SUBMITTED,
                )
            except services.IncidentError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("The incident %(code)s was recorded.") % {"code": incident.code}
                )
                return redirect(incident)
        status = 422
    context = {
        "form": form,
        "form_fields": blank_forms.create_fields(form, organisations),
        **parties,
        "has_errors": request.method == "POST" and not _rows_only(request),
    }
    template = _party_template(request, "incidents/incident_create.html")
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def incident_parties(request: HttpRequest, incident_id: UUID) -> HttpResponse:
    """Add victims and perpetrators to a recorded incident, with the same rows."""
    user = _user(request)
    incident = queries.get_incident_for_user(user, incident_id, for_coding=True)
    more_rows = request.method == "POST" and "more_rows" in request.POST
    form = PartiesForm(request.POST if request.method == "POST" else None)
    parties = _party_forms(request, user, more_rows=more_rows)
    victim_set, perpetrator_set = parties["victim_set"], parties["perpetrator_set"]
    status = 200
    if request.method == "POST" and not _rows_only(request):
        valid = all([form.is_valid(), victim_set.is_valid(), perpetrator_set.is_valid()])
        elsewhere = _("Kept by another organisation: this incident is in %(name)s's register.") % {
            "name": incident.organisation.name
        }
        if valid:
            valid = all(
                [
                    check_organisation(victim_set, incident.organisation_id, elsewhere),
                    check_organisation(perpetrator_set, incident.organisation_id, elsewhere),
                ]
            )
        if valid:
            victims, perpetrators = _entries(user, victim_set, perpetrator_set)
            try:
                services.add_parties(
                    incident=incident,
                    actor=user,
                    victims=victims,
                    perpetrators=perpetrators,
                    act_type=form.cleaned_data["act_type"],
                )
            except services.IncidentError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Victims and perpetrators were added."))
                return redirect(incident)
        status = 422
    context = {"incident": incident, "form": form, **parties}
    template = _party_template(request, "incidents/incident_parties.html")
    return render(request, template, context, status=status)


# --- quick report ---


@require_http_methods(["GET", "POST"])
def quick_report(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    targets = queries.report_targets(user)
    if not targets.any:
        if rules.may_report_for_a_collective(user):
            # Allowed to report, but the desk has not recorded the collective yet.
            return render(request, "incidents/quick_report_nobody.html")
        raise PermissionDenied
    # The picker's newest PICKER_LIMIT defenders, from its prepared query.
    defenders = queries.victim_picker(user).options if targets.desk_organisations else []
    form = QuickReportForm(
        request.POST if request.method == "POST" else None, targets=targets, defenders=defenders
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            victim = data["victim"]
            organisation = data["desk_organisation"]
            if isinstance(victim, str):
                victim = queries.victim_candidates(user).filter(pk=victim).first()
                if victim is None:
                    form.add_error("defender", _("Choose one of the listed defenders."))
            if victim is not None:
                organisation = victim.organisation
            if organisation is None and not form.errors:
                form.add_error("affected", _("Choose who is affected."))
            if not form.errors:
                incident = services.submit_quick_report(
                    organisation=organisation,
                    actor=user,
                    victim=victim,
                    what_happened=data["what_happened"],
                    occurred_on=data["occurred_on"],
                    date_precision=data["date_precision"],
                    country=data["country"],
                    region=data["region"],
                    is_danger_now=data["is_danger_now"],
                    act_type=data["act_type"],
                    draft=request.POST.get("action") == "draft",
                )
                if incident.status == IncidentStatus.DRAFT:
                    messages.success(request, _("Your draft was saved. Send it when it is ready."))
                else:
                    messages.success(request, _("Your report was sent to the desk. Thank you."))
                return redirect(incident)
        return render(request, "incidents/quick_report.html", {"form": form}, status=422)
    return render(request, "incidents/quick_report.html", {"form": form})


# --- detail ---


def _detail_context(user: User, incident: Incident, **extra: Any) -> dict[str, Any]:
    is_desk = rules.is_keeping_desk(user, incident)
    # Sources and files are the keeping desk's alone: not even read for anyone else. Whether
    # others reach each victim comes with the acts (`reader`), not from a query of its own.
    queries.with_parts(incident, files=is_desk, sources=is_desk, reader=None if is_desk else user)
    visible = queries.visible_victim_ids(user, incident)
    can_code = rules.can_code_incident(user, incident)
    acts: list[dict[str, Any]] = [
        {"act": act, "shown": act.victim_id in visible} for act in incident.acts.all()
    ]
    act_labels = {
        row["act"].pk: row["act"].get_act_type_display()
        + " · "
        + (row["act"].victim.pseudonym if row["shown"] else _("another defender"))
        for row in acts
    }
    attachments = list(incident.attachments.all()) if is_desk else []
    can_upload = can_code and file_rules.can_upload_attachment(user, incident.organisation)
    upload_form = extra.pop("upload_form", None) or (AttachmentUploadForm() if can_upload else None)
    return {
        "incident": incident,
        "acts": acts,
        "involvements": [
            {"involvement": inv, "act_label": act_labels.get(inv.act_id) if inv.act_id else None}
            for inv in incident.involvements.all()
        ],
        "sources": list(incident.sources.all()) if is_desk else [],
        "interventions": list(incident.interventions.all()),
        "attachments": attachments,
        "is_desk": is_desk,
        "can_edit": rules.can_edit_incident(user, incident),
        "can_code": can_code,
        "can_evaluate": rules.can_evaluate_incident(user, incident),
        "transitions": [
            (status, IncidentStatus(status).label)
            for status in rules.allowed_transitions(user, incident)
        ],
        "incident_links": links.links_for(user, incident),
        "upload_form": upload_form,
        "upload_fields": blank_forms.upload_fields(upload_form),
        **extra,
    }


@require_GET
def incident_detail(request: HttpRequest, incident_id: UUID) -> HttpResponse:
    user = _user(request)
    incident = queries.get_incident_for_user(user, incident_id)
    return render(request, "incidents/incident_detail.html", _detail_context(user, incident))


def _conflict(
    request: HttpRequest,
    *,
    form: Any,
    error: EditConflict,
    fields: Sequence[str],
    rebind: Callable[[Any, Any], Any],
    back_url: str,
) -> HttpResponse:
    """The conflict page: both versions side by side, the person's form at the new version."""
    current = error.current
    data = request.POST.copy()
    data["version"] = str(current.version)  # type: ignore[attr-defined]
    return render_conflict(
        request,
        rows=rows_from_form(form, current, fields),
        form=rebind(data, current),
        back_url=back_url,
    )


@require_http_methods(["GET", "POST"])
def incident_edit(request: HttpRequest, incident_id: UUID) -> HttpResponse:
    user = _user(request)
    incident = queries.get_incident_for_user(user, incident_id, for_write=True)
    form = IncidentEditForm(_posted(request), instance=incident)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_incident(
                incident=incident,
                actor=user,
                expected_version=form.cleaned_data["version"],
                facts=_facts(form),
            )
        except EditConflict as error:
            return _conflict(
                request,
                form=form,
                error=error,
                fields=IncidentEditForm.Meta.fields,
                rebind=lambda data, current: IncidentEditForm(data, instance=current),
                back_url=incident.get_absolute_url(),
            )
        messages.success(request, _("The incident was saved."))
        return redirect(incident)
    context = {"incident": incident, "form": form, "title": _("Edit the incident")}
    status = 422 if form.errors else 200
    return render(request, "incidents/incident_form.html", context, status=status)


@require_POST
def incident_transition(request: HttpRequest, incident_id: UUID) -> HttpResponse:
    user = _user(request)
    incident = queries.get_incident_for_user(user, incident_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the offered next steps."))
        return redirect(incident)
    target = form.cleaned_data["to"]
    if target not in rules.allowed_transitions(user, incident):
        raise PermissionDenied
    try:
        services.transition_incident(
            incident=incident,
            actor=user,
            to=target,
            expected_version=form.cleaned_data["version"],
        )
    except services.IncidentError as error:
        messages.error(request, error.message)
    except EditConflict as error:
        current = error.current
        assert isinstance(current, Incident)  # noqa: S101 -- only incidents are moved here
        return render_conflict(
            request,
            rows=[
                (
                    _("status"),
                    IncidentStatus(target).label,
                    IncidentStatus(current.status).label,
                )
            ],
            form=None,
            back_url=incident.get_absolute_url(),
        )
    else:
        messages.success(
            request,
            _("The incident is now: %(status)s.") % {"status": IncidentStatus(target).label},
        )
    return redirect(incident)


@require_http_methods(["GET", "POST"])
def incident_evaluate(request: HttpRequest, incident_id: UUID) -> HttpResponse:
    user = _user(request)
    incident = queries.get_incident_for_user(user, incident_id)
    if not rules.can_evaluate_incident(user, incident):
        raise PermissionDenied
    form = EvaluationForm(_posted(request), instance=incident)
    if request.method == "POST" and form.is_valid():
        answers = {name: form.cleaned_data[name] for name in services.EVALUATION_FIELDS}
        try:
            services.evaluate_incident(
                incident=incident,
                actor=user,
                expected_version=form.cleaned_data["version"],
                answers=answers,
            )
        except EditConflict as error:
            return _conflict(
                request,
                form=form,
                error=error,
                fields=EvaluationForm.Meta.fields,
                rebind=lambda data, current: EvaluationForm(data, instance=current),
                back_url=incident.get_absolute_url(),
            )
        messages.success(request, _("The team evaluation was saved."))
        return redirect(incident)
    context = {
        "incident": incident,
        "form": form,
        "incident_links": links.links_for(user, incident),
    }
    status = 422 if form.errors else 200
    return render(request, "incidents/incident_evaluate.html", context, status=status)


# --- parts ---


def _part_page(
    request: HttpRequest,
    *,
    incident: Incident,
    form: Any,
    title: str,
    save: Callable[[dict[str, Any], int | None], Any],
    fields: Sequence[str],
    rebind: Callable[[Any, Any], Any],
    done: str,
) -> HttpResponse:
    """GET shows the form; a valid POST saves through `save` and returns to the incident."""
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in fields}
        try:
            save(values, form.cleaned_data.get("version"))
        except EditConflict as error:
            return _conflict(
                request,
                form=form,
                error=error,
                fields=fields,
                rebind=rebind,
                back_url=incident.get_absolute_url(),
            )
        except services.IncidentError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect(incident)
    context = {"incident": incident, "form": form, "title": title}
    status = 422 if form.errors else 200
    return render(request, "incidents/incident_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def act_edit(request: HttpRequest, act_id: UUID) -> HttpResponse:
    user = _user(request)
    act = queries.get_act_for_user(user, act_id)
    return _part_page(
        request,
        incident=act.incident,
        form=ActForm(_posted(request), instance=act),
        title=_("Edit the act"),
        save=lambda values, version: services.update_act(
            act=act, actor=user, expected_version=version or 0, values=values
        ),
        fields=ActForm.Meta.fields,
        rebind=lambda data, current: ActForm(data, instance=current),
        done=_("The act was saved."),
    )


def _act_labels(user: User, incident: Incident) -> list[tuple[Any, str]]:
    queries.with_acts(incident, reader=user)
    visible = queries.visible_victim_ids(user, incident)
    return [
        (
            act.pk,
            f"{act.get_act_type_display()} · "
            + (act.victim.pseudonym if act.victim_id in visible else _("another defender")),
        )
        for act in incident.acts.all()
    ]


@require_http_methods(["GET", "POST"])
def involvement_edit(request: HttpRequest, involvement_id: UUID) -> HttpResponse:
    user = _user(request)
    involvement = queries.get_involvement_for_user(user, involvement_id)
    labels = _act_labels(user, involvement.incident)

    def form_for(data: Any, instance: Any) -> InvolvementForm:
        return InvolvementForm(data, instance=instance, acts=labels)

    return _part_page(
        request,
        incident=involvement.incident,
        form=form_for(_posted(request), involvement),
        title=_("Edit the involvement"),
        save=lambda values, version: services.update_involvement(
            involvement=involvement, actor=user, expected_version=version or 0, values=values
        ),
        fields=InvolvementForm.Meta.fields,
        rebind=form_for,
        done=_("The involvement was saved."),
    )


@require_http_methods(["GET", "POST"])
def source_add(request: HttpRequest, incident_id: UUID) -> HttpResponse:
    user = _user(request)
    incident = queries.get_incident_for_user(user, incident_id, for_coding=True)
    form = SourceForm(_posted(request), instance=Source(incident=incident))
    return _part_page(
        request,
        incident=incident,
        form=form,
        title=_("Add a source"),
        save=lambda values, _version: services.add_source(
            incident=incident, actor=user, values=values
        ),
        fields=SourceForm.Meta.fields,
        rebind=lambda data, current: SourceForm(data, instance=current),
        done=_("The source was added."),
    )


@require_http_methods(["GET", "POST"])
def source_edit(request: HttpRequest, source_id: UUID) -> HttpResponse:
    user = _user(request)
    source = queries.get_source_for_user(user, source_id)
    return _part_page(
        request,
        incident=source.incident,
        form=SourceForm(_posted(request), instance=source),
        title=_("Edit the source"),
        save=lambda values, version: services.update_source(
            source=source, actor=user, expected_version=version or 0, values=values
        ),
        fields=SourceForm.Meta.fields,
        rebind=lambda data, current: SourceForm(data, instance=current),
        done=_("The source was saved."),
    )


@require_http_methods(["GET", "POST"])
def intervention_add(request: HttpRequest, incident_id: UUID) -> HttpResponse:
    user = _user(request)
    incident = queries.get_incident_for_user(user, incident_id, for_coding=True)
    form = InterventionForm(_posted(request), instance=Intervention(incident=incident))
    return _part_page(
        request,
        incident=incident,
        form=form,
        title=_("Add an intervention"),
        save=lambda values, _version: services.add_intervention(
            incident=incident, actor=user, values=values
        ),
        fields=InterventionForm.Meta.fields,
        rebind=lambda data, current: InterventionForm(data, instance=current),
        done=_("The intervention was added."),
    )


@require_http_methods(["GET", "POST"])
def intervention_edit(request: HttpRequest, intervention_id: UUID) -> HttpResponse:
    user = _user(request)
    intervention = queries.get_intervention_for_user(user, intervention_id)
    return _part_page(
        request,
        incident=intervention.incident,
        form=InterventionForm(_posted(request), instance=intervention),
        title=_("Edit the intervention"),
        save=lambda values, version: services.update_intervention(
            intervention=intervention, actor=user, expected_version=version or 0, values=values
        ),
        fields=InterventionForm.Meta.fields,
        rebind=lambda data, current: InterventionForm(data, instance=current),
        done=_("The intervention was saved."),
    )


@require_http_methods(["GET", "POST"])
def perpetrator_edit(request: HttpRequest, perpetrator_id: UUID) -> HttpResponse:
    """A perpetrator is shared by the organisation's incidents; `?incident=` says where to go
    back to."""
    user = _user(request)
    perpetrator = queries.get_perpetrator_for_user(user, perpetrator_id, for_write=True)
    back_incident = None
    incident_param = request.GET.get("incident", "")
    if incident_param:
        try:
            back_incident = (
                queries.incidents_visible_to(user).filter(pk=UUID(incident_param)).first()
            )
        except ValueError:
            back_incident = None
    back_url = (
        back_incident.get_absolute_url() if back_incident else reverse("incidents:incident-list")
    )
    form = PerpetratorForm(_posted(request), instance=perpetrator)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in PerpetratorForm.Meta.fields}
        try:
            services.update_perpetrator(
                perpetrator=perpetrator,
                actor=user,
                expected_version=form.cleaned_data["version"],
                values=values,
            )
        except EditConflict as error:
            return _conflict(
                request,
                form=form,
                error=error,
                fields=PerpetratorForm.Meta.fields,
                rebind=lambda data, current: PerpetratorForm(data, instance=current),
                back_url=back_url,
            )
        messages.success(request, _("The perpetrator was saved."))
        return redirect(back_url)
    context = {
        "form": form,
        "title": _("Edit the perpetrator %(code)s") % {"code": perpetrator.code},
        "back_url": back_url,
        "incident": back_incident,
    }
    status = 422 if form.errors else 200
    return render(request, "incidents/incident_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def attachment_add(request: HttpRequest, incident_id: UUID) -> HttpResponse:
    """Upload a file through the encrypted files app and link it to the incident."""
    user = _user(request)
    incident = queries.get_incident_for_user(user, incident_id, for_coding=True)
    if not file_rules.can_upload_attachment(user, incident.organisation):
        raise PermissionDenied
    form = AttachmentUploadForm(
        _posted(request), request.FILES if request.method == "POST" else None
    )
    if request.method == "POST":
        if upload_was_too_large(request):
            form.is_valid()
            form.errors.pop("file", None)
            form.add_error("file", _("The file is too large."))
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            if not isinstance(upload, EncryptedUploadedFile):
                raise TypeError("upload did not come through EncryptingUploadHandler")
            try:
                attachment = file_services.store_attachment(
                    organisation=incident.organisation,
                    actor=user,
                    upload=upload,
                    keep_original=form.cleaned_data["keep_original"],
                )
            except file_services.Rejected as error:
                form.add_error("file", error.message)
            else:
                services.attach_file(incident=incident, actor=user, attachment=attachment)
                messages.success(request, _("The file was added to the incident."))
                return redirect(incident)
    context = {"incident": incident, "form": form, "title": _("Add a file"), "upload": True}
    status = 422 if form.errors else 200
    return render(request, "incidents/incident_form.html", context, status=status)


@require_POST
def part_remove(request: HttpRequest, incident_id: UUID, kind: str, part_id: UUID) -> HttpResponse:
    user = _user(request)
    if kind not in services.REMOVABLE:
        raise Http404
    incident = queries.get_incident_for_user(user, incident_id, for_coding=True)
    try:
        services.remove_part(incident=incident, actor=user, kind=kind, part_id=part_id)
    except services.IncidentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Removed from the incident."))
    return redirect(incident)
