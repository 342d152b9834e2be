from django.urls import path

from amparo.files import views

app_name = "files"

urlpatterns = [
    path(
        "attachments/<uuid:attachment_id>/shred/",
        views.attachment_shred,
        name="attachment-shred",
    ),
    path(
        "organisations/<uuid:organisation_id>/attachments/",
        views.attachment_list,
        name="attachment-list",
    ),
    path(
        "attachments/<uuid:attachment_id>/download/",
        views.attachment_download,
        name="attachment-download",
    ),
    path(
        "attachments/<uuid:attachment_id>/original/",
        views.attachment_original_download,
        name="attachment-original-download",
    ),
]
