from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "amparo.incidents"
    label = "incidents"
    verbose_name = _("Incident register")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The dashboard shows desk staff the reports of danger now waiting for triage.
        from amparo.incidents import panels  # noqa: PLC0415 -- models load only after ready

        panels.register()
        # Registers the sweep that deletes expired exports.
        from amparo.incidents import services  # noqa: F401, PLC0415
