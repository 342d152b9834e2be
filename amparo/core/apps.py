from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "amparo.core"
    label = "core"
    verbose_name = _("Core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the key checks, and the statistics sweep of the worker.
        from amparo.core import (  # noqa: F401, PLC0415
            checks,
            choices,
            form_choices,
            maintenance,
        )

        # Every model is loaded by now: their get_FOO_display() get one table per field.
        choices.install()
        # Forms share their fixed choices instead of deep-copying them per form (ADR 0062).
        form_choices.install()
