from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "amparo.audit"
    label = "audit"
    verbose_name = _("Audit log")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created  # noqa: PLC0415

        from amparo.audit import reads, sqlite  # noqa: PLC0415 -- needs the app registry

        reads.connect()
        connection_created.connect(sqlite.on_connection_created, dispatch_uid="amparo-audit")
