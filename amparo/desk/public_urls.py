from django.urls import path

from amparo.desk import public_views

app_name = "desk-public"

urlpatterns = [
    path("", public_views.request_support, name="request"),
    path("sent/", public_views.request_sent, name="sent"),
]
