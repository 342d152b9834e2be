from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "amparo.learning"
    label = "learning"
    # Translators: the e-learning module (courses on security and protection management).
    verbose_name = _("E-learning")
    default_auto_field = "django.db.models.BigAutoField"
