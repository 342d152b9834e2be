"""Public pages (under the language prefix: /<lang>/criminalisation/)."""

from django.urls import path

from amparo.trials import public_views

app_name = "trials-public"

urlpatterns = [
    path("", public_views.stats, name="stats"),
    path("criminalisation.csv", public_views.stats_csv, name="stats-csv"),
    path("reports/<uuid:report_id>/", public_views.report_public, name="report"),
]
