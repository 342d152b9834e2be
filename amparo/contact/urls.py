from django.urls import path

from amparo.contact import views

app_name = "contact"

urlpatterns = [
    path("contact/inbox/", views.inbox, name="inbox"),
    path("contact/inbox/<uuid:message_id>/", views.message_detail, name="message-detail"),
    path("contact/inbox/<uuid:message_id>/reply/", views.message_reply, name="message-reply"),
]
