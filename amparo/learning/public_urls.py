"""Public pages (under the language prefix): /<lang>/learn/..."""

from django.urls import path

from amparo.learning import public_views

app_name = "learning-public"

urlpatterns = [
    path("", public_views.catalogue, name="catalogue"),
    path("sign-up/", public_views.sign_up, name="sign-up"),
    path("certificates/", public_views.certificate_verify, name="certificate-verify"),
    path("modules/<uuid:module_id>/offline/", public_views.module_download, name="module-download"),
    path("<slug:slug>/", public_views.course_detail, name="course"),
]
