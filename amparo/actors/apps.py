from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "amparo.actors"
    label = "actors"
    verbose_name = _("Actor map and space of action")
    default_auto_field = "django.db.models.BigAutoField"
