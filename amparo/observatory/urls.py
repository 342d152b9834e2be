"""Public pages, mounted under the language prefix: /<language>/observatory/..."""

from django.urls import include, path, re_path

from amparo.observatory import changelog_views, tool_views, views

app_name = "observatory"

urlpatterns = [
    path("", views.home, name="home"),
    path("instruments/", views.instrument_list, name="instrument-list"),
    path("instruments/<slug:key>/", views.instrument_detail, name="instrument-detail"),
    path("countries/<str:code>/", views.country_detail, name="country-detail"),
    path("timeline/", views.timeline, name="timeline"),
    path("evaluations/<uuid:evaluation_id>/", views.evaluation_detail, name="evaluation-detail"),
    path(
        "frameworks/<slug:key>/<int:version>/",
        views.framework_detail,
        name="framework-detail",
    ),
    path("data/", views.open_data, name="open-data"),
    re_path(
        r"^data/(?P<dataset>countries|instruments|evaluations)\.(?P<fmt>csv|json)$",
        views.download,
        name="download",
    ),
    # The tools: compare countries (public) and the design assistant (public checklist and
    # summary; saved checklists are their owner's alone): tool_views.py.
    path("compare/", tool_views.compare_countries, name="compare"),
    path("compare.csv", tool_views.compare_csv, name="compare-csv"),
    path("design/", tool_views.design, name="design"),
    path("design/summary/", tool_views.design_summary, name="design-summary"),
    path("designs/", tool_views.design_list, name="design-list"),
    path("designs/new/", tool_views.design_save, name="design-save"),
    path("designs/<uuid:design_id>/", tool_views.design_detail, name="design-detail"),
    path("designs/<uuid:design_id>/edit/", tool_views.design_edit, name="design-edit"),
    path("designs/<uuid:design_id>/delete/", tool_views.design_delete, name="design-delete"),
    # The public change log of the whole observatory: changelog_views.py.
    path("changes/", changelog_views.change_log, name="changes"),
    # The editors' pages (private): editor_urls.py.
    path("editor/", include("amparo.observatory.editor_urls")),
]
