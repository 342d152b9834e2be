"""A value cached under generations is served until one of them changes, never after."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import cache

from amparo.core.generations import Generations

pytestmark = pytest.mark.django_db

KIND = Generations("test-kind")


def _counter():
    calls = []

    def compute():
        calls.append(1)
        return {"high": len(calls)}

    return calls, compute


def test_the_value_is_computed_once_then_served(django_assert_num_queries):
    ours, theirs = uuid.uuid4(), uuid.uuid4()
    calls, compute = _counter()

    first = KIND.cached("test:value", [ours, theirs], compute, 60)
    # The tokens and the entry in one round trip (one query with the database cache).
    with django_assert_num_queries(1):
        again = KIND.cached("test:value", [theirs, ours], compute, 60)

    assert first == again == {"high": 1}
    assert len(calls) == 1


def test_a_committed_write_is_counted_at_once(django_capture_on_commit_callbacks):
    ours, theirs = uuid.uuid4(), uuid.uuid4()
    calls, compute = _counter()
    KIND.cached("test:value", [ours, theirs], compute, 60)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        KIND.bump(theirs)
    # Before the write commits, its token is unchanged: what is read now is what was cached.
    assert KIND.cached("test:value", [ours, theirs], compute, 60) == {"high": 1}
    for callback in callbacks:
        callback()

    assert KIND.cached("test:value", [ours, theirs], compute, 60) == {"high": 2}
    assert KIND.cached("test:value", [ours, theirs], compute, 60) == {"high": 2}
    assert len(calls) == 2


def test_another_kind_or_other_organisations_do_not_share(django_capture_on_commit_callbacks):
    ours, elsewhere = uuid.uuid4(), uuid.uuid4()
    calls, compute = _counter()
    KIND.cached("test:value", [ours], compute, 60)

    with django_capture_on_commit_callbacks(execute=True):
        Generations("other-kind").bump(ours)
        KIND.bump(elsewhere)

    assert KIND.cached("test:value", [ours], compute, 60) == {"high": 1}
    assert len(calls) == 1


def test_a_lost_token_means_a_new_computation():
    ours = uuid.uuid4()
    _calls, compute = _counter()
    KIND.cached("test:value", [ours], compute, 60)

    cache.delete(f"test-kind:generation:{ours}")

    assert KIND.cached("test:value", [ours], compute, 60) == {"high": 2}


def test_the_digest_follows_the_tokens(django_capture_on_commit_callbacks):
    ours = uuid.uuid4()
    before = KIND.digest([ours])
    assert KIND.digest([ours]) == before
    with django_capture_on_commit_callbacks(execute=True):
        KIND.bump(ours)
    assert KIND.digest([ours]) != before
