"""Public pages (under the language prefix)."""

from django.urls import path

from amparo.contact import public_views

app_name = "contact-public"

urlpatterns = [
    path("", public_views.contact, name="form"),
    path("sent/", public_views.sent, name="sent"),
]
