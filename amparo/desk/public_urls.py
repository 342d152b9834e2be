from django.urls import URLPattern

app_name = "desk-public"

urlpatterns: list[URLPattern] = []
