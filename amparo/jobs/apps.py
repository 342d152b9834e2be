from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "amparo.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the sweep that requeues tasks of dead workers.
        from amparo.jobs import leases  # noqa: F401, PLC0415 -- models load only after ready
