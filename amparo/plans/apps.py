from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "amparo.plans"
    label = "plans"
    verbose_name = _("Security plans")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the sweep that marks reviews due and measures lapsed (PLAN-4).
        from amparo.plans import panels, reviews  # noqa: F401, PLC0415 -- after the models

        panels.register()  # plans due for review or with lapsed measures, on the dashboard
