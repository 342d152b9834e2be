from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "amparo.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from amparo.accounts import checks  # noqa: F401, PLC0415 -- registers the checks
