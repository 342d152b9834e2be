"""The library: resources, their language versions, and requests for copies or links.

Resources and versions are published content (PUBLIC tier): titles, summaries, authors and the
text extracted from PDF files are stored in plaintext on purpose. Files are public too and
live on the ordinary file storage (MEDIA_ROOT/library/), not in the encrypted attachment store
that holds casework. Requests for copies hold the requester's contact details: Tier 1.

Topics, audiences and countries are stored as code lists between commas (",risk_analysis,
gender,"): one plaintext column each, filterable with one LIKE on SQLite and PostgreSQL alike,
and checked against the enums by the forms and services.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.core.crypto.fields import EncryptedTextField
from amparo.core.reversing import reverse
from amparo.library.enums import (
    Audience,
    FileFormat,
    Licence,
    RequestKind,
    RequestStatus,
    ResourceKind,
    ResourceState,
    Topic,
)

#: Public files: plain files under MEDIA_ROOT (read when used, so tests' MEDIA_ROOT applies).
public_storage = FileSystemStorage()


def join_codes(codes: list[str] | tuple[str, ...]) -> str:
    """ ",a,b," for ["a", "b"]; "" for none."""
    cleaned = [code for code in dict.fromkeys(codes) if code]
    return f",{','.join(cleaned)}," if cleaned else ""


def split_codes(value: str) -> list[str]:
    return [code for code in value.split(",") if code]


class ResourceQuerySet(models.QuerySet["Resource"]):
    def published(self) -> ResourceQuerySet:
        return self.filter(state=ResourceState.PUBLISHED)


class Resource(models.Model):
    """One library item in all its languages. The integer key feeds the SQLite trigram table
    (see migration 0001); URLs use the slug."""

    slug = models.SlugField(_("address name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    series_number = models.PositiveSmallIntegerField(
        _("number in the manuals series"), null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    authors = models.CharField(_("authors"), max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    topics = models.CharField(_("topics"), max_length=400, blank=True)
    audiences = models.CharField(_("audiences"), max_length=200, blank=True)
    countries = models.CharField(_("countries"), max_length=400, blank=True)
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices)
    cover = models.FileField(
        _("cover image"), storage=public_storage, upload_to="library/covers/", blank=True
    )
    related = models.ManyToManyField("self", blank=True, verbose_name=_("related resources"))
    state = models.CharField(
        _("state"), max_length=12, choices=ResourceState.choices, default=ResourceState.DRAFT
    )
    #: Folded titles, summaries and extracted text of every version (amparo/library/search.py).
    search_text = models.TextField(blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[ResourceQuerySet] = ResourceQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("library resource")
        verbose_name_plural = _("library resources")
        indexes = [models.Index(fields=["state", "-year", "-id"], name="library_res_list")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library-public:resource-detail", args=[self.slug])

    @property
    def topic_codes(self) -> list[str]:
        return split_codes(self.topics)

    @property
    def audience_codes(self) -> list[str]:
        return split_codes(self.audiences)

    @property
    def country_codes(self) -> list[str]:
        return split_codes(self.countries)

    @property
    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [str(labels[code]) for code in self.topic_codes if code in labels]

    @property
    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [str(labels[code]) for code in self.audience_codes if code in labels]


class LanguageVersion(models.Model):
    """The resource in one language: its own file or link, title and summary."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    file = models.FileField(
        _("file"), storage=public_storage, upload_to="library/files/", blank=True
    )
    url = models.URLField(_("address"), max_length=1000, blank=True)
    file_format = models.CharField(_("format"), max_length=8, choices=FileFormat.choices)
    content_type = models.CharField(max_length=60, blank=True, editable=False)
    size_bytes = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    #: Text of a PDF, extracted at upload (amparo/library/pdftext.py); searched, never shown.
    extracted_text = models.TextField(blank=True, editable=False)
    #: Downloads and link follows: one counter, nobody's address or account.
    download_count = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["language"]
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        constraints = [
            models.UniqueConstraint(fields=["resource", "language"], name="library_one_per_lang"),
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(url=""), name="library_file_or_link"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    @property
    def is_link(self) -> bool:
        return not self.file

    def get_download_url(self) -> str:
        return reverse("library-public:download", args=[self.pk])


class CopyRequest(models.Model):
    """A request for copies or links, about one resource or none. Who asked, how to answer
    them and what they wrote are Tier 1 (platform key: the library belongs to no
    organisation)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: Always empty: the platform key encrypts these rows (the library and the contact desk
    #: belong to no organisation). The column exists because key rotation, the backup drill
    #: and the key status find rows by the field that names their key (as wellbeing.CheckIn).
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    resource = models.ForeignKey(
        Resource, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )
    kind = models.CharField(_("what is asked"), max_length=10, choices=RequestKind.choices)
    language = models.CharField(
        _("language wanted"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    name = EncryptedTextField(_("name"), blank=True)
    email = EncryptedTextField(_("email"))
    message = EncryptedTextField(_("message"), blank=True)
    #: A postal address for printed copies: Tier 1.
    postal_address = EncryptedTextField(_("postal address"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request for copies")
        verbose_name_plural = _("requests for copies")

    def __str__(self) -> str:
        return str(self.pk)

    def get_absolute_url(self) -> str:
        return reverse("library:request-detail", args=[self.pk])
