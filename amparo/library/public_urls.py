"""Public pages (under the language prefix)."""

from django.urls import path

from amparo.library import public_views

app_name = "library-public"

urlpatterns = [
    path("", public_views.resource_list, name="resource-list"),
    path("request/", public_views.request_copies, name="request"),
    path("request/sent/", public_views.request_sent, name="request-sent"),
    path("versions/<uuid:version_id>/download/", public_views.download, name="download"),
    path("<slug:slug>/", public_views.resource_detail, name="resource-detail"),
    path("<slug:slug>/cover/", public_views.cover, name="resource-cover"),
    path("<slug:slug>/request/", public_views.request_copies, name="resource-request"),
]
