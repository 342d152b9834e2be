from django.urls import path

from amparo.risk.views import analyses, threats

app_name = "risk"

urlpatterns = [
    # Analyses
    path("risk/analyses/", analyses.analysis_list, name="analysis-list"),
    path("risk/defenders/<uuid:defender_id>/", analyses.defender_risk, name="defender-risk"),
    path(
        "risk/defenders/<uuid:defender_id>/analyses/new/",
        analyses.analysis_create,
        name="analysis-create",
    ),
    path("risk/analyses/<uuid:analysis_id>/", analyses.analysis_detail, name="analysis-detail"),
    path("risk/analyses/<uuid:analysis_id>/edit/", analyses.analysis_edit, name="analysis-edit"),
    path(
        "risk/analyses/<uuid:analysis_id>/status/",
        analyses.analysis_status,
        name="analysis-status",
    ),
    path(
        "risk/analyses/<uuid:analysis_id>/mark-review/",
        analyses.analysis_mark_review,
        name="analysis-mark-review",
    ),
    path(
        "risk/analyses/<uuid:analysis_id>/review/",
        analyses.analysis_review,
        name="analysis-review",
    ),
    path(
        "risk/analyses/<uuid:analysis_id>/compare/",
        analyses.analysis_compare,
        name="analysis-compare",
    ),
    path(
        "risk/analyses/<uuid:analysis_id>/threats/",
        analyses.analysis_threats,
        name="analysis-threats",
    ),
    # Threat assessment
    path(
        "risk/defenders/<uuid:defender_id>/threats/new/",
        threats.threat_create,
        name="threat-create",
    ),
    path("risk/threats/<uuid:threat_id>/", threats.threat_detail, name="threat-detail"),
    path("risk/threats/<uuid:threat_id>/edit/", threats.threat_edit, name="threat-edit"),
    path(
        "risk/threats/<uuid:threat_id>/steps/<int:step>/",
        threats.threat_step,
        name="threat-step",
    ),
    path("risk/threats/<uuid:threat_id>/rating/", threats.threat_rating, name="threat-rating"),
    path("risk/threats/<uuid:threat_id>/alert/", threats.threat_alert, name="threat-alert"),
    path("risk/threats/<uuid:threat_id>/detach/", threats.threat_detach, name="threat-detach"),
    path("risk/threats/<uuid:threat_id>/factors/new/", threats.factor_add, name="factor-add"),
    path("risk/factors/<uuid:factor_id>/edit/", threats.factor_edit, name="factor-edit"),
    path("risk/factors/<uuid:factor_id>/delete/", threats.factor_delete, name="factor-delete"),
]
