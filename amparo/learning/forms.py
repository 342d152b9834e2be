"""Forms of the e-learning pages: plain POST forms that work without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amparo.learning.models import Course, Lesson, Question
from amparo.learning.services import MAX_ANNOUNCEMENT, MAX_ANSWER

PRIVATE = {"autocomplete": "off"}


class SignUpForm(forms.Form):
    """A plain learner account. `website` is a honeypot: hidden from people, filled by robots."""

    display_name = forms.CharField(
        label=_("Name to show"),
        max_length=150,
        help_text=_("It appears on your certificate. It can be a pseudonym."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("To sign in. We do not show it to anyone."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 15 characters; a few unrelated words are easy to remember."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class QuizForm(forms.Form):
    """One field per question: radio buttons, checkboxes or a text box."""

    def __init__(self, *args: Any, lesson: Lesson, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions: list[Question] = list(lesson.questions.all())
        for number, question in enumerate(self.questions, start=1):
            name = f"q-{question.pk}"
            label = f"{number}. {question.prompt}"
            if question.is_short:
                self.fields[name] = forms.CharField(
                    label=label,
                    max_length=MAX_ANSWER,
                    widget=forms.Textarea(attrs={**PRIVATE, "rows": 4}),
                    help_text=_("A facilitator reads written answers. Nobody else sees them."),
                )
                continue
            choices = [(choice.pk, choice.text) for choice in question.choices.all()]
            if question.kind == "single":
                self.fields[name] = forms.TypedChoiceField(
                    label=label, choices=choices, coerce=int, widget=forms.RadioSelect
                )
            else:
                self.fields[name] = forms.TypedMultipleChoiceField(
                    label=label,
                    choices=choices,
                    coerce=int,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Choose every answer that applies."),
                )

    def responses(self) -> dict[Any, list[int] | str]:
        out: dict[Any, list[int] | str] = {}
        for question in self.questions:
            value: Any = self.cleaned_data.get(f"q-{question.pk}")
            out[question.pk] = value if isinstance(value, str | list) else [value]
        return out


class ReviewForm(forms.Form):
    feedback = forms.CharField(
        label=_("Feedback to the learner"),
        max_length=MAX_ANSWER,
        widget=forms.Textarea(attrs={**PRIVATE, "rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AnnouncementForm(forms.Form):
    body = forms.CharField(
        label=_("Message to the group"),
        max_length=MAX_ANNOUNCEMENT,
        widget=forms.Textarea(attrs={**PRIVATE, "rows": 4}),
        help_text=_("Every learner of this group reads it on their course page."),
    )


class CertificateLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Certificate code"),
        max_length=40,
        help_text=_("As printed on the certificate, for example ABCD-EFGH-JKLM-NPQR."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class CohortForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.none())
    name = forms.CharField(
        label=_("Name of the group"),
        max_length=120,
        # Translators: the name of a group taking a course together (a cohort).
        help_text=_(
            "For example “Spanish edition, March”. Never a person's name or a place smaller "
            "than a country: learners and facilitators see it."
        ),
    )
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, courses: QuerySet[Course], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses  # type: ignore[attr-defined]
