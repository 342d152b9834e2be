"""Public pages, mounted under the language prefix (/en/, /th/, ...)."""

from django.urls import path

from amparo.core import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
]
