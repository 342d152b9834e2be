from __future__ import annotations

import html
import json
import re
import uuid

import pytest
from django.urls import reverse

from amparo.core.htmx import if_none_match
from amparo.jobs import services
from amparo.jobs.enums import JobState
from amparo.jobs.tests.factories import JobProgressFactory

pytestmark = pytest.mark.django_db


def _hx_headers(response) -> dict[str, str]:
    raw = re.search(r"hx-headers='([^']*)'", response.content.decode())
    assert raw is not None
    return json.loads(html.unescape(raw.group(1)))


def test_job_page_shows_a_progress_bar_with_a_text_alternative(client, desk_officer):
    job = JobProgressFactory(owner=desk_officer, total=200, done=50)
    client.force_login(desk_officer)

    response = client.get(reverse("jobs:job-detail", args=[job.pk]))

    html = response.content.decode()
    assert response.context["job"] == job
    assert (
        '<progress max="200" value="50" aria-describedby="job-progress-text">25%</progress>' in html
    )
    assert "50 of 200 done (25%)." in html
    # htmx polls the partial every 2 s; without JavaScript the page refreshes itself.
    assert f'hx-get="{reverse("jobs:job-progress", args=[job.pk])}"' in html
    assert 'hx-trigger="every 2s"' in html
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in html


def test_finished_job_page_stops_polling_and_refreshing(client, desk_officer):
    job = JobProgressFactory(owner=desk_officer, state=JobState.DONE, total=10, done=10)
    client.force_login(desk_officer)

    html = client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()

    assert ("hx-trigger" in html, 'http-equiv="refresh"' in html, "All done." in html) == (
        False,
        False,
        False,
    )
    assert (
        '<progress max="10" value="10" aria-describedby="job-progress-text">100%</progress>' in html
    )


def test_progress_partial_answers_304_until_the_job_moves(client, desk_officer):
    job = JobProgressFactory(owner=desk_officer, total=100, done=10)
    client.force_login(desk_officer)
    url = reverse("jobs:job-progress", args=[job.pk])
    first = client.get(url, headers={"HX-Request": "true"})
    # What htmx will send: the version the element shows, from its own hx-headers.
    shown = _hx_headers(first)["If-None-Match"]

    idle = client.get(url, headers={"HX-Request": "true", "If-None-Match": shown})
    services.report_progress(job.pk, done=40, total=100, force=True)
    moved = client.get(url, headers={"HX-Request": "true", "If-None-Match": first["ETag"]})

    assert (shown, first.status_code, idle.status_code, idle.content) == (
        first["ETag"],
        200,
        304,
        b"",
    )
    assert (moved.status_code, moved["ETag"] != first["ETag"]) == (200, True)
    assert "40 of 100 done (40%)." in moved.content.decode()
    assert "<html" not in moved.content.decode()  # the partial only


def test_progress_partial_of_a_finished_job_carries_no_trigger(client, desk_officer):
    job = JobProgressFactory(owner=desk_officer, total=5, done=4)
    services.finish_job(job.pk)
    client.force_login(desk_officer)

    response = client.get(reverse("jobs:job-progress", args=[job.pk]))

    html = response.content.decode()
    assert ("hx-trigger" in html, "5 of 5 done (100%)." in html) == (False, True)


def test_job_of_another_user_is_404_even_for_their_lead(client, desk_officer, desk_lead):
    job = JobProgressFactory(owner=desk_officer)
    client.force_login(desk_lead)

    responses = [
        client.get(reverse(name, args=[job.pk])).status_code
        for name in ("jobs:job-detail", "jobs:job-progress")
    ]

    assert responses == [404, 404]


@pytest.mark.parametrize("other_jobs", [1, 50])
def test_job_page_query_count_is_flat(
    client, desk_officer, other_jobs, django_assert_max_num_queries
):
    job = JobProgressFactory(owner=desk_officer)
    JobProgressFactory.create_batch(other_jobs, owner=desk_officer)
    client.force_login(desk_officer)

    # Session, user, memberships, MFA check, the job, and the session's idle-timeout save
    # (savepoint, update, release): nothing grows with the number of jobs.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("jobs:job-detail", args=[job.pk]))
    with django_assert_max_num_queries(8):
        partial = client.get(reverse("jobs:job-progress", args=[job.pk]))

    assert (response.context["job"], partial.status_code) == (job, 200)


@pytest.mark.parametrize(
    ("header", "tags"),
    [
        ("", set()),
        ('"job-1-v2"', {'"job-1-v2"'}),
        # Weak tags read as strong; a list may carry spaces and an empty item.
        ('W/"job-1-v2", "job-1-v3" ,', {'"job-1-v2"', '"job-1-v3"'}),
    ],
)
def test_if_none_match_reads_every_tag_a_poll_sends(rf, header, tags):
    request = rf.get("/", headers={"If-None-Match": header} if header else {})

    assert if_none_match(request) == tags


def test_progress_partial_answers_304_to_a_weak_tag_among_others(client, desk_officer):
    job = JobProgressFactory(owner=desk_officer, total=100, done=10)
    client.force_login(desk_officer)
    url = reverse("jobs:job-progress", args=[job.pk])
    etag = client.get(url)["ETag"]

    idle = client.get(url, headers={"HX-Request": "true", "If-None-Match": f'"x", W/{etag}'})

    assert (idle.status_code, idle["ETag"], idle.content) == (304, etag, b"")


# --- polling after sign-out or loss of access ---

HTMX = {"HX-Request": "true"}


def test_a_signed_out_poll_reloads_the_page_instead_of_swapping_in_sign_in(client, desk_officer):
    job = JobProgressFactory(owner=desk_officer, total=100, done=10)
    url = reverse("jobs:job-progress", args=[job.pk])

    polled = client.get(url, headers=HTMX)
    plain = client.get(url)

    assert (polled.status_code, polled.get("HX-Refresh"), polled.get("Location")) == (
        200,
        "true",
        None,
    )
    assert (polled.content, "no-store" in polled["Cache-Control"]) == (b"", True)
    assert (plain.status_code, plain["Location"]) == (
        302,
        f"{reverse('account_login')}?next={url}",
    )


def test_a_poll_of_a_job_the_person_may_not_see_stops_polling(client, desk_officer, desk_lead):
    job = JobProgressFactory(owner=desk_officer, total=100, done=10)
    client.force_login(desk_lead)

    answers = [
        client.get(reverse("jobs:job-progress", args=[pk]), headers=HTMX)
        for pk in (job.pk, uuid.uuid4())
    ]
    plain = client.get(reverse("jobs:job-progress", args=[job.pk]))

    # 286: htmx swaps the section in and polls no more; nothing tells the two apart.
    assert [a.status_code for a in answers] == [286, 286]
    assert answers[0].content == answers[1].content
    section = answers[0].content.decode()
    assert ("hx-trigger" in section, "no longer updates by itself" in section) == (False, True)
    assert ("10 of 100" in section, plain.status_code) == (False, 404)
