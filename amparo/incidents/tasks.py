"""Slow work of the incident register, run by `manage.py worker`: exports too large for a
request (PERFORMANCE.md section 3)."""

from __future__ import annotations

from django.http import QueryDict
from django_tasks import task

from amparo.incidents import services
from amparo.incidents.forms import IncidentFilterForm


@task()
def export_incidents(export_id: str, query: str) -> None:
    """Write the file of an export started by `services.start_export`. `query` holds the
    list's filters as they were asked for, read by the same form as the page's."""
    filters = IncidentFilterForm(QueryDict(query)).filters()
    services.write_export(export_id=export_id, filters=filters)
