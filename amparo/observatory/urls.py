"""Public pages, mounted under the language prefix: /<language>/observatory/..."""

from django.urls import path, re_path

from amparo.observatory import views

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
]
