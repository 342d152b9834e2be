"""The fair-trial checklist (DOMAIN.md 2.10, after the ICCPR), kept as data in code: an
observer fills one finding per criterion, and stored findings name a criterion by its key.
Keys are stable; labels are translated."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Criterion:
    key: str
    phase: str
    article: str
    label: str | Promise


PRE_TRIAL = "pre_trial"
TRIAL = "trial"
POST_TRIAL = "post_trial"

PHASES: dict[str, str | Promise] = {
    PRE_TRIAL: pgettext_lazy("fair trial phase", "Pre-trial"),
    TRIAL: pgettext_lazy("fair trial phase", "Trial"),
    POST_TRIAL: pgettext_lazy("fair trial phase", "Post-trial"),
}

# Translators: the fair-trial criteria of the International Covenant on Civil and Political
# Rights (ICCPR); the article numbers are shown beside them.
CHECKLIST: tuple[Criterion, ...] = (
    Criterion("arbitrary_arrest", PRE_TRIAL, "9(1)", _("No arbitrary arrest or detention")),
    Criterion("reasons", PRE_TRIAL, "9(2)", _("Reasons for arrest, prompt notice of charges")),
    Criterion(
        "prompt_judge", PRE_TRIAL, "9(3)", _("Prompt judge, trial in reasonable time or release")
    ),
    Criterion("detention_review", PRE_TRIAL, "9(4)", _("Court review of detention")),
    Criterion(
        "detention_compensation", PRE_TRIAL, "9(5)", _("Compensation for unlawful detention")
    ),
    Criterion("torture", PRE_TRIAL, "7, 14(3)(g)", _("No torture or coerced confession")),
    Criterion("humane_detention", PRE_TRIAL, "10", _("Humane conditions of detention")),
    Criterion(
        "tribunal",
        TRIAL,
        "14(1)",
        _("Competent, independent, impartial tribunal; public hearing and judgment"),
    ),
    Criterion("presumption", TRIAL, "14(2)", _("Presumption of innocence")),
    Criterion("language", TRIAL, "14(3)(a)", _("Charges in a language understood")),
    Criterion("defence", TRIAL, "14(3)(b)", _("Time, facilities and counsel of choice")),
    Criterion("delay", TRIAL, "14(3)(c)", _("No undue delay")),
    Criterion("presence", TRIAL, "14(3)(d)", _("Presence at trial, legal aid")),
    Criterion("witnesses", TRIAL, "14(3)(e)", _("Witnesses on equal terms")),
    Criterion("interpreter", TRIAL, "14(3)(f)", _("Free interpreter")),
    Criterion("appeal", POST_TRIAL, "14(5)", _("Review by a higher tribunal")),
    Criterion("miscarriage", POST_TRIAL, "14(6)", _("Compensation for a miscarriage of justice")),
    Criterion("double_jeopardy", POST_TRIAL, "14(7)", _("Not tried twice for the same offence")),
    Criterion("legality", POST_TRIAL, "15", _("No retroactive offence or penalty")),
)

BY_KEY: dict[str, Criterion] = {criterion.key: criterion for criterion in CHECKLIST}
CRITERION_CHOICES = [(c.key, f"{c.article}") for c in CHECKLIST]
