from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "amparo.library"
    label = "library"
    # Translators: the library of protection manuals, guides and publications.
    verbose_name = _("Library")
    default_auto_field = "django.db.models.BigAutoField"
