from django.urls import path

from amparo.incidents import views

app_name = "incidents"

urlpatterns = [
    path("incidents/", views.incident_list, name="incident-list"),
    path("incidents/new/", views.incident_create, name="incident-create"),
    path("incidents/report/", views.quick_report, name="quick-report"),
    path("incidents/patterns/", views.incident_patterns, name="patterns"),
    path("incidents/export/", views.incident_export, name="incident-export"),
    path("incidents/exports/<uuid:export_id>/", views.export_detail, name="export-detail"),
    path(
        "incidents/exports/<uuid:export_id>/download/",
        views.export_download,
        name="export-download",
    ),
    path(
        "incidents/defenders/<uuid:defender_id>/timeline/",
        views.defender_timeline,
        name="defender-timeline",
    ),
    path("incidents/<uuid:incident_id>/", views.incident_detail, name="incident-detail"),
    path("incidents/<uuid:incident_id>/edit/", views.incident_edit, name="incident-edit"),
    path("incidents/<uuid:incident_id>/parties/", views.incident_parties, name="incident-parties"),
    path(
        "incidents/<uuid:incident_id>/status/",
        views.incident_transition,
        name="incident-transition",
    ),
    path(
        "incidents/<uuid:incident_id>/evaluation/",
        views.incident_evaluate,
        name="incident-evaluate",
    ),
    path("incidents/<uuid:incident_id>/sources/new/", views.source_add, name="source-add"),
    path(
        "incidents/<uuid:incident_id>/interventions/new/",
        views.intervention_add,
        name="intervention-add",
    ),
    path("incidents/<uuid:incident_id>/files/new/", views.attachment_add, name="attachment-add"),
    path(
        "incidents/<uuid:incident_id>/remove/<slug:kind>/<uuid:part_id>/",
        views.part_remove,
        name="part-remove",
    ),
    path("incidents/acts/<uuid:act_id>/edit/", views.act_edit, name="act-edit"),
    path(
        "incidents/involvements/<uuid:involvement_id>/edit/",
        views.involvement_edit,
        name="involvement-edit",
    ),
    path("incidents/sources/<uuid:source_id>/edit/", views.source_edit, name="source-edit"),
    path(
        "incidents/interventions/<uuid:intervention_id>/edit/",
        views.intervention_edit,
        name="intervention-edit",
    ),
    path(
        "incidents/perpetrators/<uuid:perpetrator_id>/edit/",
        views.perpetrator_edit,
        name="perpetrator-edit",
    ),
]
