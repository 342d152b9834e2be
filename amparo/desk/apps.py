from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "amparo.desk"
    label = "desk"
    # Translators: a Protection Desk accompanies defenders at risk over years.
    verbose_name = _("Protection Desk")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete  # noqa: PLC0415

        from amparo.desk import panels  # noqa: PLC0415 -- after the models
        from amparo.desk.generations import case_deleted  # noqa: PLC0415
        from amparo.desk.models import Case  # noqa: PLC0415

        # A case deleted around the services (the admin, a repair) changes the counts too.
        post_delete.connect(case_deleted, sender=Case, dispatch_uid="desk-case-generation")

        # The person's cases and overdue follow-ups on the dashboard; "Open a case" on the
        # defender's page.
        panels.register()
