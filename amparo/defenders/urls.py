from django.urls import path

from amparo.defenders import views

app_name = "defenders"

urlpatterns = [
    path("defenders/", views.defender_list, name="defender-list"),
    path("defenders/new/", views.defender_create, name="defender-create"),
    path("defenders/mine/", views.my_record, name="my-record"),
    path("defenders/<uuid:defender_id>/", views.defender_detail, name="defender-detail"),
    path("defenders/<uuid:defender_id>/edit/", views.defender_edit, name="defender-edit"),
    path("defenders/<uuid:defender_id>/status/", views.defender_status, name="defender-status"),
    path("defenders/<uuid:defender_id>/readers/", views.defender_readers, name="defender-readers"),
    path("defenders/<uuid:defender_id>/channels/", views.channel_add, name="channel-add"),
    path(
        "defenders/channels/<uuid:channel_id>/remove/",
        views.channel_remove,
        name="channel-remove",
    ),
    path("defenders/<uuid:defender_id>/consents/", views.consent_add, name="consent-add"),
    path(
        "defenders/consents/<uuid:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent-withdraw",
    ),
    path("defenders/<uuid:defender_id>/close-people/", views.close_people, name="close-people"),
    path(
        "defenders/<uuid:defender_id>/close-people/new/",
        views.close_person_add,
        name="close-person-add",
    ),
    path(
        "defenders/close-people/<uuid:close_person_id>/remove/",
        views.close_person_remove,
        name="close-person-remove",
    ),
    path("defenders/<uuid:defender_id>/members/", views.member_add, name="member-add"),
    path("defenders/<uuid:defender_id>/members/new/", views.member_new, name="member-new"),
    path("defenders/members/<uuid:link_id>/remove/", views.member_remove, name="member-remove"),
    path("defenders/<uuid:defender_id>/shares/", views.shares, name="shares"),
    path("defenders/<uuid:defender_id>/shares/new/", views.share_add, name="share-add"),
    path("defenders/shares/<uuid:share_id>/remove/", views.share_remove, name="share-remove"),
]
