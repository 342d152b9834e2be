from django.urls import path

from amparo.api import views

app_name = "api"

urlpatterns = [
    path("accounts/api-tokens/", views.token_list, name="token-list"),
    path("accounts/api-tokens/new/", views.token_create, name="token-create"),
    path("accounts/api-tokens/<uuid:token_id>/revoke/", views.token_revoke, name="token-revoke"),
    path("api/docs/", views.api_docs, name="docs"),
]
