from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "amparo.desk"
    label = "desk"
    # Translators: a Protection Desk accompanies defenders at risk over years.
    verbose_name = _("Protection Desk")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from amparo.desk import panels  # noqa: PLC0415 -- after the models

        # The person's cases and overdue follow-ups on the dashboard; "Open a case" on the
        # defender's page.
        panels.register()
