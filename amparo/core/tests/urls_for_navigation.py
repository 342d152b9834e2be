"""A URL map with the dashboard somewhere else (test_navigation_links)."""

from django.http import HttpResponse
from django.urls import include, path

app_urls = ([path("elsewhere/", lambda request: HttpResponse(), name="dashboard")], "core")

urlpatterns = [path("", include(app_urls))]
