from django.urls import path

from amparo.core import views

app_name = "core"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path(
        "organisations/<uuid:organisation_id>/keys/rotate/",
        views.organisation_key_rotate,
        name="organisation-key-rotate",
    ),
]
