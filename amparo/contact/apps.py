from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    name = "amparo.contact"
    label = "contact"
    # Translators: the public contact desk: questions and comments sent to the teams.
    verbose_name = _("Contact desk")
    default_auto_field = "django.db.models.BigAutoField"
