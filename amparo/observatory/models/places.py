"""Countries and their sub-national units."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amparo.observatory.enums import Region, SubRegion
from amparo.observatory.geography import country_name


class Country(models.Model):
    """A country by its ISO 3166-1 alpha-2 code, with its UN M49 region. Names in each
    language come from the bundled data (`geography.country_name`), not from the database."""

    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    name_en = models.CharField(_("name in English"), max_length=100)
    region = models.CharField(_("region"), max_length=30, choices=Region.choices, blank=True)
    subregion = models.CharField(
        _("sub-region"), max_length=30, choices=SubRegion.choices, blank=True
    )

    class Meta:
        ordering = ("name_en",)
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("observatory:country-detail", args=[self.code])

    @property
    def name(self) -> str:
        return country_name(self.code)


class CountryNarrative(models.Model):
    """The short narrative of a country profile, in one language, written by editors."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="narratives")
    language = models.CharField(_("language"), max_length=10)
    text = models.TextField(_("narrative"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ("country", "language")
        verbose_name = _("country narrative")
        verbose_name_plural = _("country narratives")
        constraints = [
            models.UniqueConstraint(fields=["country", "language"], name="obs_narrative_once")
        ]

    def __str__(self) -> str:
        return f"{self.country_id} narrative ({self.language})"


class SubnationalUnit(models.Model):
    """A State, province or city that adopts instruments of its own (DRC provincial edicts,
    Brazilian and Mexican state laws)."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("name"), max_length=150)
    #: ISO 3166-2, when known.
    code = models.CharField(_("ISO 3166-2 code"), max_length=6, blank=True)

    class Meta:
        ordering = ("country", "name")
        verbose_name = _("sub-national unit")
        verbose_name_plural = _("sub-national units")
        constraints = [models.UniqueConstraint(fields=["country", "name"], name="obs_unit_once")]

    def __str__(self) -> str:
        return self.name
