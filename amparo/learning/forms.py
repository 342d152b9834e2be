"""Forms of the e-learning pages: plain POST forms that work without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.learning.models import Cohort, Course, Enrolment, Lesson, Question, Team
from amparo.learning.services import (
    MAX_ANNOUNCEMENT,
    MAX_ANSWER,
    MAX_COHORT_NAME,
    MAX_TEAM_NAME,
)

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
    """One field per question the learner answers alone: radio buttons, checkboxes or a text
    box. Group work is answered by the learner's team, on the team's page (TeamAnswerForm)."""

    def __init__(self, *args: Any, lesson: Lesson, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions: list[Question] = [
            question for question in lesson.questions.all() if not question.is_group_work
        ]
        for question in self.questions:
            name = f"q-{question.pk}"
            # The question's place in the whole quiz, group work included, as in the results.
            label = f"{question.position}. {question.prompt}"
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


class TeamReviewForm(ReviewForm):
    feedback = forms.CharField(
        label=_("Feedback to the team"),
        max_length=MAX_ANSWER,
        widget=forms.Textarea(attrs={**PRIVATE, "rows": 4}),
    )


class TeamAnswerForm(forms.Form):
    """A team's shared answer; `version` is the answer's when the page was made, 0 when the
    team had not answered yet (optimistic locking)."""

    text = forms.CharField(
        label=_("Your team's answer"),
        max_length=MAX_ANSWER,
        widget=forms.Textarea(attrs={**PRIVATE, "rows": 6}),
        help_text=_(
            "Any member of the team can write and change it until a facilitator reviews it. "
            "Only your team and your facilitators read it."
        ),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class TeamForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the team"),
        max_length=MAX_TEAM_NAME,
        # Translators: a team is a few learners of a group (cohort) who do group work together.
        help_text=_(
            "For example “Team 1”. Never a person's name or a place smaller than a country: "
            "learners see it."
        ),
    )


class TeamRenameForm(TeamForm):
    """A team's new name; `version` is the team's when the page was made (optimistic
    locking)."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class DeleteForm(forms.Form):
    """The confirmation of a deletion: the version of the record the page showed (optimistic
    locking)."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class PlacementForm(forms.Form):
    """Learners of the cohort to put in a team, or in no team when `team` is empty. The page
    writes the check boxes and the team select from what it already loaded, and lists every
    error of the form (its fields are hidden ones)."""

    enrolments = forms.ModelMultipleChoiceField(
        label=_("Learners"),
        queryset=Enrolment.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": _("Choose at least one learner."),
            "invalid_choice": _("This learner is not in the group."),
            "invalid_pk_value": _("This learner is not in the group."),
        },
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This team belongs to another group.")},
    )

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enrolments"].queryset = Enrolment.objects.filter(  # type: ignore[attr-defined]
            cohort=cohort
        )
        self.fields["team"].queryset = Team.objects.filter(cohort=cohort)  # type: ignore[attr-defined]


class CoFacilitatorForm(forms.Form):
    """A trainer to add: the choices are the candidates the page already loaded."""

    person = forms.ChoiceField(label=_("Trainer"), choices=())

    def __init__(self, *args: Any, candidates: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {str(person.pk): person for person in candidates}
        self.fields["person"].choices = [  # type: ignore[attr-defined]
            (key, person.display_name or person.email) for key, person in self.candidates.items()
        ]

    def chosen(self) -> User:
        return self.candidates[self.cleaned_data["person"]]


class HandOverLeadForm(forms.Form):
    """The co-facilitator who takes over the lead: the choices are the co-facilitators the
    page already loaded. `version` is the cohort's when the page was made (optimistic
    locking)."""

    person = forms.ChoiceField(
        label=_("New lead facilitator"),
        choices=(),
        error_messages={"invalid_choice": _("Choose one of the group's co-facilitators.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, co_facilitators: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {str(person.pk): person for person in co_facilitators}
        self.fields["person"].choices = [  # type: ignore[attr-defined]
            (key, person.display_name or person.email) for key, person in self.candidates.items()
        ]

    def chosen(self) -> User:
        return self.candidates[self.cleaned_data["person"]]


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


def _cohort_name() -> forms.CharField:
    return forms.CharField(
        label=_("Name of the group"),
        max_length=MAX_COHORT_NAME,
        # Translators: the name of a group taking a course together (a cohort).
        help_text=_(
            "For example “Spanish edition, March”. Never a person's name or a place smaller "
            "than a country: learners and facilitators see it."
        ),
    )


class CohortRenameForm(forms.Form):
    """A cohort's new name; `version` is the cohort's when the page was made (optimistic
    locking)."""

    name = _cohort_name()
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class CohortForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.none())
    name = _cohort_name()
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, courses: QuerySet[Course], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses  # type: ignore[attr-defined]
