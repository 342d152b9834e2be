"""Input of the token pages. Fields are listed explicitly."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from amparo.accounts.models import Membership
from amparo.api.services import LIFETIME_DAYS


def _lifetime_label(days: int) -> str:
    return str(ngettext_lazy("%(days)d day", "%(days)d days", days) % {"days": days})


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Where you will use it, so you recognise it later: “reporting script”."),
    )
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=str)
    lifetime_days = forms.TypedChoiceField(
        label=_("Valid for"), coerce=int, initial=str(LIFETIME_DAYS[1])
    )

    def __init__(self, *args: Any, memberships: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = {m.organisation_id: m.organisation for m in memberships}
        organisation_field = self.fields["organisation"]
        assert isinstance(organisation_field, forms.ChoiceField)  # noqa: S101 -- declared above
        organisation_field.choices = [(str(pk), org.name) for pk, org in organisations.items()]
        lifetime_field = self.fields["lifetime_days"]
        assert isinstance(lifetime_field, forms.ChoiceField)  # noqa: S101 -- declared above
        lifetime_field.choices = [(str(days), _lifetime_label(days)) for days in LIFETIME_DAYS]
