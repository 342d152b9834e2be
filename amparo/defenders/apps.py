from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DefendersConfig(AppConfig):
    name = "amparo.defenders"
    label = "defenders"
    verbose_name = _("Defenders and collectives")
    default_auto_field = "django.db.models.BigAutoField"
