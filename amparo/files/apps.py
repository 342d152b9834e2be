from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilesConfig(AppConfig):
    name = "amparo.files"
    label = "files"
    verbose_name = _("Encrypted attachments")
    default_auto_field = "django.db.models.BigAutoField"
