"""Fixed choices of the jobs app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class JobKind(models.TextChoices):
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")
    REENCRYPT = "reencrypt", _("Re-encryption")


class JobMessage(models.TextChoices):
    """What a job says about itself: a key into this list, never free text. Progress rows are
    not encrypted, so they must not carry names or case content."""

    NONE = "", ""
    PREPARING = "preparing", _("Preparing.")
    WORKING = "working", _("Working through the records.")
    FINISHING = "finishing", _("Finishing.")
    DONE = "done", _("All done.")
    FAILED = "failed", _("Something went wrong. The team has been told; please try again later.")
