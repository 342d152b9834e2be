from django.urls import path

from amparo.actors import views

app_name = "actors"

urlpatterns = [
    path("actors/maps/<uuid:defender_id>/", views.actor_map, name="actor-map"),
    path("actors/maps/<uuid:defender_id>/space/", views.space_of_action, name="space-of-action"),
    path("actors/maps/<uuid:defender_id>/new/", views.actor_create, name="actor-create"),
    path(
        "actors/maps/<uuid:defender_id>/relations/new/",
        views.relation_create,
        name="relation-create",
    ),
    path("actors/<uuid:actor_id>/", views.actor_detail, name="actor-detail"),
    path("actors/<uuid:actor_id>/edit/", views.actor_edit, name="actor-edit"),
    path("actors/<uuid:actor_id>/delete/", views.actor_delete, name="actor-delete"),
    path("actors/<uuid:actor_id>/positions/new/", views.position_create, name="position-create"),
    path(
        "actors/relations/<uuid:relation_id>/delete/",
        views.relation_delete,
        name="relation-delete",
    ),
]
