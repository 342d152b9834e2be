"""Hearing reminders through the worker: a sweep that emails the people working a hearing
REMINDER_DAYS before it, once per hearing (a moved hearing is reminded again)."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from amparo.accounts.models import User
from amparo.audit.services import record_event
from amparo.jobs import sweeps
from amparo.jobs.models import JobEffect
from amparo.jobs.services import claim_effect
from amparo.trials import queries, rules
from amparo.trials.models import Hearing, Mission

REMINDER_DAYS = 3


@sweeps.register("trials.hearing_reminders")
@transaction.atomic
def sweep_hearing_reminders(*, now: datetime, batch: int = 200) -> int:
    """Mark hearings starting within REMINDER_DAYS as reminded and, after commit, email their
    people. Safe to run twice: a hearing is marked once, and each email is claimed."""
    due = list(
        queries.upcoming_for_reminder(now, REMINDER_DAYS)
        .select_for_update(skip_locked=True)
        .values_list("pk", "organisation_id")[:batch]
    )
    Hearing.objects.filter(pk__in=[pk for pk, _org in due]).update(reminded_at=now)
    for pk, organisation_id in due:
        record_event(
            actor=None,
            action="trials.hearing_reminder_queued",
            organisation=organisation_id,
            object_type="trials.Hearing",
            object_ids=[pk],
        )
        transaction.on_commit(partial(send_hearing_reminder, hearing_id=str(pk)))
    return len(due)


def reminder_recipients(hearing: Hearing) -> list[User]:
    """The mission's observers and whoever opened the case, while they may still read it."""
    ids = {hearing.case.created_by_id} if hearing.case.created_by_id else set()
    mission = Mission.objects.filter(hearing=hearing).first()
    if mission is not None:
        ids |= set(mission.observers.values_list("pk", flat=True))
    people = User.objects.filter(pk__in=ids, is_active=True).order_by("email")
    return [person for person in people if hearing.organisation_id in rules.organisations(person)]


def send_hearing_reminder(*, hearing_id: str) -> int:
    """Email each recipient once for this hearing and date; returns how many were sent.
    Only the case code, the date and a link: no names, no place."""
    hearing = Hearing.objects.filter(pk=hearing_id).select_related("case").first()
    if hearing is None:
        return 0
    link = f"{settings.SITE_URL}{hearing.case.get_absolute_url()}"
    sent = 0
    for person in reminder_recipients(hearing):
        key = f"trials.reminder_email:{hearing.pk}:{person.pk}:{hearing.starts_at.isoformat()}"
        if JobEffect.objects.filter(key=key).exists():
            continue
        with translation.override(person.language or settings.LANGUAGE_CODE):
            context = {"code": hearing.case.code, "starts_at": hearing.starts_at, "link": link}
            subject = render_to_string("trials/email/reminder_subject.txt", context).strip()
            body = render_to_string("trials/email/reminder_body.txt", context)
        send_mail(subject, body, None, [person.email])
        claim_effect(key=key)
        sent += 1
    return sent
