from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "amparo.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # `checks` registers the system checks; `signals` connects the audit receivers.
        from amparo.accounts import checks, signals  # noqa: F401, PLC0415 -- app registry

        signals.connect()
