from django.urls import path

from amparo.library import views

app_name = "library"

urlpatterns = [
    path("library/manage/", views.resource_list, name="resource-list"),
    path("library/manage/new/", views.resource_create, name="resource-create"),
    path("library/manage/<int:resource_id>/", views.resource_detail, name="resource-detail"),
    path("library/manage/<int:resource_id>/edit/", views.resource_edit, name="resource-edit"),
    path("library/manage/<int:resource_id>/state/", views.resource_state, name="resource-state"),
    path("library/manage/<int:resource_id>/cover/", views.resource_cover, name="resource-cover"),
    path("library/manage/<int:resource_id>/versions/", views.version_add, name="version-add"),
    path(
        "library/manage/versions/<uuid:version_id>/delete/",
        views.version_delete,
        name="version-delete",
    ),
    path("library/requests/", views.request_list, name="request-list"),
    path("library/requests/<uuid:request_id>/", views.request_detail, name="request-detail"),
]
