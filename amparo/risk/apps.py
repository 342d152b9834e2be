from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "amparo.risk"
    label = "risk"
    verbose_name = _("Threat assessment and risk analysis")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A new incident against a defender marks their current analysis for review (INC-4).
        from amparo.risk import integration, panels, receivers  # noqa: F401, PLC0415

        # The defender's page shows their analyses; the incident's page offers an assessment;
        # the dashboard lists the analyses due for review.
        integration.register()
        panels.register()
