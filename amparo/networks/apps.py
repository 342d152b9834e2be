from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "amparo.networks"
    label = "networks"
    verbose_name = _("Protection networks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the sweep that escalates missed check-ins and unacknowledged alerts.
        from amparo.networks import panels, sweeps  # noqa: F401, PLC0415 -- after the models

        panels.register()  # the person's own waiting check-ins, one tap each, on the dashboard
