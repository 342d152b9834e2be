from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrialsConfig(AppConfig):
    name = "amparo.trials"
    label = "trials"
    # Translators: the module for criminalisation cases and trial observation.
    verbose_name = _("Trials and criminalisation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the sweep that emails hearing reminders.
        from amparo.trials import reminders  # noqa: F401, PLC0415 -- after the models
