from __future__ import annotations

import factory

from amparo.accounts.tests.factories import UserFactory
from amparo.jobs.enums import JobKind, JobState
from amparo.jobs.models import JobProgress


class JobProgressFactory(factory.django.DjangoModelFactory[JobProgress]):
    class Meta:
        model = JobProgress

    kind = JobKind.EXPORT
    owner = factory.SubFactory(UserFactory)
    state = JobState.RUNNING
    total = 200
    done = 50
