from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WellbeingConfig(AppConfig):
    name = "amparo.wellbeing"
    label = "wellbeing"
    verbose_name = _("Well-being")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from amparo.wellbeing import panels  # noqa: PLC0415 -- after the models

        panels.register()  # serious incidents without a debrief plan, on the desk's dashboard
