from django.urls import path

from amparo.networks import views

app_name = "networks"

urlpatterns = [
    path("networks/defenders/<uuid:defender_id>/", views.network, name="network"),
    path(
        "networks/defenders/<uuid:defender_id>/contacts/new/",
        views.contact_create,
        name="contact-create",
    ),
    path("networks/contacts/<uuid:contact_id>/edit/", views.contact_edit, name="contact-edit"),
    path(
        "networks/contacts/<uuid:contact_id>/remove/",
        views.contact_remove,
        name="contact-remove",
    ),
    path("networks/defenders/<uuid:defender_id>/tree/", views.tree, name="tree"),
    path("networks/steps/<uuid:step_id>/edit/", views.step_edit, name="step-edit"),
    path("networks/steps/<uuid:step_id>/remove/", views.step_remove, name="step-remove"),
    path(
        "networks/defenders/<uuid:defender_id>/duress-code/",
        views.duress_code,
        name="duress-code",
    ),
    path(
        "networks/defenders/<uuid:defender_id>/alerts/new/",
        views.alert_create,
        name="alert-create",
    ),
    path("networks/alerts/", views.alert_list, name="alert-list"),
    path("networks/alerts/<uuid:alert_id>/", views.alert_detail, name="alert-detail"),
    path(
        "networks/alerts/<uuid:alert_id>/deliveries/",
        views.alert_deliveries,
        name="alert-deliveries",
    ),
    path("networks/alerts/<uuid:alert_id>/close/", views.alert_close, name="alert-close"),
    path("networks/alerts/<uuid:alert_id>/debrief/", views.alert_debrief, name="alert-debrief"),
    path(
        "networks/alerts/<uuid:alert_id>/follow-ups/new/",
        views.follow_up_create,
        name="follow-up-create",
    ),
    path(
        "networks/follow-ups/<uuid:follow_up_id>/done/",
        views.follow_up_done,
        name="follow-up-done",
    ),
    path(
        "networks/defenders/<uuid:defender_id>/check-ins/new/",
        views.check_in_create,
        name="check-in-create",
    ),
    # No id in the path: the answer page must not differ from one check-in to another.
    path("networks/check-ins/done/", views.check_in_done, name="check-in-done"),
    path(
        "networks/check-ins/<uuid:check_in_id>/cancel/",
        views.check_in_cancel,
        name="check-in-cancel",
    ),
    path("ack/<str:token>/", views.ack, name="ack"),
]
