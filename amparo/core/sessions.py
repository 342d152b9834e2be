"""The session store: Django's database sessions, read with a prepared query (ADR 0050).

Every signed-in request reads its session first; compiling that one lookup cost more than
running it, so the read is compiled once per connection (amparo.core.prepared). Writing,
expiry, cycling and flushing are Django's, unchanged.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.utils import timezone

from amparo.core.prepared import Prepared


def _live_session(session_key: str, now: dt.datetime) -> QuerySet[Session]:
    # What Django's store asks with .get(): at most MAX_GET_RESULTS rows.
    return Session.objects.filter(session_key=session_key, expire_date__gt=now)[:21]


_LIVE_SESSION = Prepared(
    Session,
    _live_session,
    fields=(Session._meta.get_field("session_key"), Session._meta.get_field("expire_date")),
    samples=(
        ("first-sample-key", dt.datetime(2001, 1, 1, tzinfo=dt.UTC)),
        ("second-sample-key", dt.datetime(2002, 2, 2, tzinfo=dt.UTC)),
    ),
)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        try:
            # session_key validates the key first, as Django's store does (an invalid one is
            # None and finds nothing).
            key = self.session_key
            sessions = _LIVE_SESSION(key, timezone.now()) if key else []
        except SuspiciousOperation as error:
            logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            sessions = []
        if len(sessions) == 1:
            return sessions[0]
        self._session_key = None
        return None
