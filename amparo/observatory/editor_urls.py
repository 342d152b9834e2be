"""The editors' pages, mounted at /<language>/observatory/editor/ in the `observatory`
namespace. Private: LoginRequiredMiddleware, then editor_queries decides."""

from django.urls import path

from amparo.observatory import editor_evaluation_views as evaluations
from amparo.observatory import editor_import_views as imports
from amparo.observatory import editor_views as views

urlpatterns = [
    path("", views.dashboard, name="editor-dashboard"),
    path("instruments/new/", views.instrument_create, name="editor-instrument-create"),
    path("instruments/<slug:key>/", views.instrument_edit, name="editor-instrument-edit"),
    path(
        "instruments/<slug:key>/submit/", views.instrument_submit, name="editor-instrument-submit"
    ),
    path(
        "instruments/<slug:key>/discard/",
        views.instrument_discard,
        name="editor-instrument-discard",
    ),
    path(
        "instruments/<slug:key>/withdraw/",
        views.instrument_withdraw,
        name="editor-instrument-withdraw",
    ),
    path("reviews/<uuid:revision_id>/", views.review, name="editor-review"),
    path("countries/narrative/", views.narrative_open, name="editor-narrative-open"),
    path(
        "countries/<str:code>/narrative/<str:language>/",
        views.narrative_edit,
        name="editor-narrative",
    ),
    path(
        "countries/<str:code>/narrative/<str:language>/submit/",
        views.narrative_submit,
        name="editor-narrative-submit",
    ),
    path("evaluations/new/", evaluations.evaluation_create, name="editor-evaluation-create"),
    path(
        "evaluations/<uuid:evaluation_id>/",
        evaluations.evaluation_edit,
        name="editor-evaluation-edit",
    ),
    path(
        "evaluations/<uuid:evaluation_id>/submit/",
        evaluations.evaluation_submit,
        name="editor-evaluation-submit",
    ),
    path(
        "evaluations/<uuid:evaluation_id>/new-version/",
        evaluations.evaluation_new_version,
        name="editor-evaluation-new-version",
    ),
    path("import/", imports.import_page, name="editor-import"),
    path("imports/<uuid:import_id>/", imports.import_detail, name="editor-import-detail"),
    path(
        "imports/<uuid:import_id>/confirm/",
        imports.import_confirm,
        name="editor-import-confirm",
    ),
    path("frameworks/", evaluations.framework_list, name="editor-framework-list"),
    path(
        "frameworks/<slug:key>/<int:version>/",
        evaluations.framework_edit,
        name="editor-framework-edit",
    ),
    path(
        "frameworks/<slug:key>/<int:version>/new-version/",
        evaluations.framework_new_version,
        name="editor-framework-new-version",
    ),
    path(
        "frameworks/<slug:key>/<int:version>/submit/",
        evaluations.framework_submit,
        name="editor-framework-submit",
    ),
]
