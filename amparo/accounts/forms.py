"""Input of the accounts pages. Fields are listed explicitly (never `__all__`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.forms.renderers import BaseRenderer
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in the stubs
from django.utils.translation import gettext_lazy as _

from amparo.accounts.enums import Role
from amparo.accounts.models import User


def _printed(value: Any) -> str:
    """`{{ value }}` with autoescaping on, as the template engine prints it."""
    return conditional_escape(str(localize(template_localtime(value))))


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`, as the template engine prints it."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value)
    return _printed(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308


def _attributes(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {_printed(name)}" if value is True else f' {_printed(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class Select(forms.Select):
    """A select written in Python: the HTML of Django's select.html and select_option.html,
    without a template rendering per <option> (a 9-option select cost as much as the rest of
    a form). Values are escaped as the templates escape them."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        if (
            self.template_name != "django/forms/widgets/select.html"
            or self.option_template_name != "django/forms/widgets/select_option.html"
        ):
            return super().render(name, value, attrs, renderer)
        context = self.get_context(name, value, attrs)
        widget = context["widget"]
        html = [f'<select name="{_printed(widget["name"])}"{_attributes(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{_printed(group_name)}">')
            html.extend(
                f'\n  <option value="{_formatted(option["value"])}"'
                f"{_attributes(option['attrs'])}>{_printed(option['label'])}</option>\n"
                for option in group_choices
            )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")  # the renderer strips the template's last newline
        return mark_safe("".join(html))  # noqa: S308 -- every value is escaped above


class ProfileForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ["display_name", "language"]
        widgets = {"language": Select}
        labels = {"display_name": _("Name shown to others"), "language": _("Language")}
        help_texts = {
            "display_name": _("A pseudonym is fine. Leave empty to show your email address."),
        }


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, widget=Select)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class OrganisationSwitchForm(forms.Form):
    organisation = forms.UUIDField(label=_("Organisation"))


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=Select)
    language = forms.ChoiceField(
        label=_("Language of the invitation email"),
        choices=settings.LANGUAGES,
        initial="en",
        widget=Select,
    )


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=Select)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class InvitationRegistrationForm(forms.Form):
    """A new person's account, created from their invitation."""

    display_name = forms.CharField(
        label=_("Name shown to others"),
        max_length=120,
        required=False,
        help_text=_("A pseudonym is fine."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 15 characters. A sentence you can remember works well."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, widget=Select)

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            probe = User(email=self.email, display_name=cleaned.get("display_name", ""))
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
