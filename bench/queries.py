"""Queries and bytes per page, counted in this process with Django's test client against the
bench database: deterministic, so they can gate `make check` where timings cannot."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amparo.core.pagecache import PAGE_CACHE
from bench.pages import Page
from bench.sessions import Credentials
from bench.weight import PageWeight, weigh


@dataclass
class Measured:
    page: Page
    status: int
    queries: int
    sql: list[str]
    weight: PageWeight
    problem: str  # why the page cannot be trusted; empty when it rendered as expected


@dataclass
class ListCheck:
    name: str
    queries: dict[int, int]  # rows -> queries

    @property
    def flat(self) -> bool:
        return len(set(self.queries.values())) == 1


#: Transaction control carries no data. Django logs it only on SQLite outside a transaction
#: (`BEGIN IMMEDIATE`, `COMMIT` around each atomic block); on PostgreSQL psycopg sends it without
#: logging, and the apps' pinned tests run inside a test transaction that hides it. Counting
#: it here would make the same page cost two more "queries" per atomic block on SQLite only.
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def data_statements(captured: list[dict[str, str]]) -> list[str]:
    return [
        q["sql"] for q in captured if not q["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL)
    ]


def fetch(page: Page, credentials: Credentials) -> Measured:
    """The page's second request: the first fills per-process caches (templates, content
    types) that a warm gunicorn worker already has, and would count queries it never makes.
    An API endpoint's first call also stamps the token's last use, written at most every few
    minutes: the second is the call a busy client makes. A `conditional` page's second
    request carries the first answer's ETag, and must be answered 304."""
    # A fresh client per page, so no persona's cookies leak into another's request.
    client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
    headers = {}
    if page.persona and page.api:
        headers = credentials.headers(page.persona, api=True)
    elif page.persona:
        client.cookies[settings.SESSION_COOKIE_NAME] = credentials.sessions[page.persona]
    first = client.get(page.path, headers=headers)
    # The count is a rendering's, not a page-cache hit's (one query): the budget holds for
    # the rendering a worker makes once per data version (core/pagecache.py, ADR 0047).
    caches[PAGE_CACHE].clear()
    if page.conditional:
        # A reader (or a cache) that has the page asks whether it changed.
        headers = {**headers, "If-None-Match": first.get("ETag", "")}
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.path, headers=headers)
    statements = data_statements(captured.captured_queries)
    weight = weigh(response.content)
    if page.conditional:
        problem = "" if response.status_code == 304 else f"answered {response.status_code}, not 304"
    else:
        problem = problem_with(response.status_code, response.get("Content-Type", ""), weight.h1)
    return Measured(
        page=page,
        status=response.status_code,
        queries=len(statements),
        sql=statements,
        weight=weight,
        problem=problem,
    )


def problem_with(status: int, content_type: str, h1: str) -> str:
    """A redirect (to sign-in, to MFA enrolment) or an error page would be measured as if it
    were the page: cheap, and wrong. An HTML page must also have its heading."""
    if status != 200:
        return f"answered {status}, not 200"
    if content_type.startswith("text/html") and not h1:
        return "has no <h1>"
    return ""


def measure(pages: list[Page], credentials: Credentials) -> list[Measured]:
    return [fetch(page, credentials) for page in pages]


def list_checks(measured: list[Measured]) -> list[ListCheck]:
    by_name: dict[str, dict[int, int]] = defaultdict(dict)
    for item in measured:
        if item.page.rows is not None:
            by_name[item.page.name][item.page.rows] = item.queries
    return [ListCheck(name, counts) for name, counts in by_name.items()]
