from __future__ import annotations

import pytest
from django.core import mail  # noqa: F401 -- keeps the mail outbox fixture local to tests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amparo.audit.models import AuditEvent
from amparo.library import forms as library_forms
from amparo.library.enums import ResourceState
from amparo.library.models import CopyRequest, LanguageVersion, Resource
from amparo.library.pdftext import make_pdf
from amparo.library.tests.factories import make_resource, version_of
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

NEW = {
    "title": "Guía para facilitadores",
    "slug": "guia-facilitadores",
    "kind": "facilitators_guide",
    "summary": "Cómo preparar un taller de protección.",
    "authors": "Amparo project",
    "year": "2025",
    "licence": "cc_by_nc_nd",
    "topics": ["risk_analysis", "security_plans"],
    "audiences": ["facilitators"],
    "countries": "gt, co",
    "related": "",
}


def test_a_librarian_creates_adds_a_version_and_publishes(client, librarian, manual):
    login_fresh(client, librarian)

    response = client.post(reverse("library:resource-create"), NEW | {"related": manual.slug})
    resource = Resource.objects.get(slug="guia-facilitadores")
    assert response.status_code == 302
    assert (resource.state, resource.countries, resource.topics) == (
        "draft",
        ",GT,CO,",
        ",risk_analysis,security_plans,",
    )
    assert list(resource.related.all()) == [manual]

    pdf = SimpleUploadedFile("g.pdf", make_pdf(["Taller de protección"]), "application/pdf")
    response = client.post(
        reverse("library:version-add", args=[resource.pk]),
        {"language": "es", "title": "Guía", "file": pdf},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("library:resource-state", args=[resource.pk]), {"version": 1, "to": "published"}
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.state == ResourceState.PUBLISHED
    assert client.get(resource.get_absolute_url()).status_code == 200
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"library.resource_created", "library.version_added"} <= actions


def test_a_stale_edit_keeps_what_was_typed(client, librarian, manual):
    login_fresh(client, librarian)
    url = reverse("library:resource-edit", args=[manual.pk])
    form = client.get(url).context["form"]
    data = {**{k: v for k, v in form.initial.items() if k != "related"}, "related": ""}
    data |= {"title": "Mine", "version": manual.version}
    client.post(url, data | {"title": "Theirs"})

    response = client.post(url, data)

    assert response.status_code == 409
    assert "Someone else saved this" in response.content.decode()
    assert response.context["form"]["title"].value() == "Mine"
    manual.refresh_from_db()
    assert manual.title == "Theirs"


def test_a_version_needs_a_file_or_a_link(client, librarian, manual):
    login_fresh(client, librarian)

    response = client.post(
        reverse("library:version-add", args=[manual.pk]), {"language": "fr", "title": "x"}
    )

    assert response.status_code == 422
    assert "either a file or an address" in response.content.decode()


def test_public_list_filters_and_searches(client, manual):
    make_resource(title="Story from the river", kind="story", languages=("pt",))
    make_resource(title="A draft", state=ResourceState.DRAFT)
    url = reverse("library-public:resource-list")

    assert [r.title for r in client.get(url).context["resources"]] == [
        "Story from the river",
        "Protection manual for defenders",
    ]
    assert [r.title for r in client.get(url, {"language": "es"}).context["resources"]] == [
        "Protection manual for defenders"
    ]
    assert [r.title for r in client.get(url, {"q": "vulnerabilities"}).context["resources"]] == [
        "Protection manual for defenders"
    ]
    assert client.get(url, {"country": "zzz"}).status_code == 422


def test_public_list_pages_by_key(client, db):
    for year in range(2000, 2025):
        make_resource(title=f"Manual {year}", year=year)
    url = reverse("library-public:resource-list")

    first = client.get(url).context["page"]
    second = client.get(url, {"after": first.next_after}).context["page"]

    assert len(first.rows) == 20
    assert [r.year for r in second.rows] == [2004, 2003, 2002, 2001, 2000]
    assert second.next_after is None


def test_the_resource_page_states_format_and_size_before_download(client, manual):
    response = client.get(manual.get_absolute_url())

    html = response.content.decode()
    version = version_of(manual, "es")
    assert f'href="{version.get_download_url()}"' in html
    assert "Download in Spanish (PDF," in html
    assert "bytes)" in html


def test_download_counts_and_serves_the_file(client, manual):
    version = version_of(manual, "es")

    response = client.get(version.get_download_url())

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert LanguageVersion.objects.get(pk=version.pk).download_count == 1
    assert client.head(version.get_download_url()).status_code == 405


def test_drafts_are_not_found_publicly(client, db):
    draft = make_resource(state=ResourceState.DRAFT)

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(version_of(draft).get_download_url()).status_code == 404


def test_request_copies_lands_in_the_inbox(client, librarian, manual, monkeypatch):
    monkeypatch.setattr("amparo.library.antispam.MIN_SECONDS", 0)
    url = reverse("library-public:resource-request", args=[manual.slug])
    token = client.get(url).context["form"].initial["token"]

    response = client.post(
        url,
        {
            "kind": "printed",
            "language": "es",
            "email": "ana@example.org",
            "token": token,
            "postal_address": "Apartado 1",
        },
    )

    assert response.status_code == 302
    request = CopyRequest.objects.get()
    assert (request.resource, request.status) == (manual, "new")
    login_fresh(client, librarian)
    inbox = client.get(reverse("library:request-list"))
    assert [item.pk for item in inbox.context["requests"]] == [request.pk]
    detail = client.get(reverse("library:request-detail", args=[request.pk]))
    assert "ana@example.org" in detail.content.decode()
    response = client.post(
        reverse("library:request-detail", args=[request.pk]),
        {"version": 1, "status": "in_progress"},
    )
    assert response.status_code == 302
    assert CopyRequest.objects.get().status == "in_progress"


def test_request_spam_is_refused_quietly_or_with_the_text_kept(client, db, monkeypatch):
    url = reverse("library-public:request")
    token = client.get(url).context["form"].initial["token"]
    data = {"kind": "digital", "email": "a@example.org", "message": "Some text", "token": token}

    too_fast = client.post(url, data)
    monkeypatch.setattr(library_forms.antispam, "MIN_SECONDS", 0)
    robot = client.post(url, data | {"website": "http://spam.example"})

    assert too_fast.status_code == 422
    assert "Some text" in too_fast.content.decode()
    assert robot.status_code == 302
    assert not CopyRequest.objects.exists()


def test_request_form_is_rate_limited(client, db, monkeypatch):
    monkeypatch.setattr("amparo.library.public_views.RATE", "1/h")
    url = reverse("library-public:request")
    client.post(url, {"kind": "digital"})

    response = client.post(url, {"kind": "digital", "message": "kept"})

    assert response.status_code == 429
    assert "kept" in response.content.decode()


def test_a_non_librarian_cannot_reach_drafts(client, desk_officer, db):
    draft = make_resource(state=ResourceState.DRAFT)
    login_fresh(client, desk_officer)

    assert client.get(reverse("library:resource-detail", args=[draft.pk])).status_code == 403


def test_the_librarian_pages_render_and_a_cover_is_served(client, librarian, manual):
    from io import BytesIO

    from PIL import Image

    image = BytesIO()
    Image.new("RGB", (4, 4), "red").save(image, "PNG")
    login_fresh(client, librarian)

    for url in (
        reverse("library:resource-list"),
        reverse("library:resource-list") + "?state=draft",
        reverse("library:resource-detail", args=[manual.pk]),
        reverse("library:resource-edit", args=[manual.pk]),
        reverse("library:resource-create"),
        reverse("library:request-list"),
    ):
        assert client.get(url).status_code == 200, url
    response = client.post(
        reverse("library:resource-cover", args=[manual.pk]),
        {"cover": SimpleUploadedFile("c.png", image.getvalue(), "image/png")},
    )
    refused = client.post(
        reverse("library:resource-cover", args=[manual.pk]),
        {"cover": SimpleUploadedFile("c.png", b"%PDF-1.4 not an image", "image/png")},
    )

    assert response.status_code == 302
    assert refused.status_code == 422
    cover = client.get(reverse("library-public:resource-cover", args=[manual.slug]))
    assert b"".join(cover.streaming_content).startswith(b"\x89PNG")


def test_removing_the_last_version_of_a_published_resource_is_refused(client, librarian, db):
    resource = make_resource(languages=("en",))
    login_fresh(client, librarian)

    response = client.post(
        reverse("library:version-delete", args=[version_of(resource).pk]), follow=True
    )

    assert "keeps at least one language version" in response.content.decode()
    assert LanguageVersion.objects.filter(resource=resource).count() == 1


def test_the_public_list_is_small(client, db):
    for n in range(25):
        make_resource(
            title=f"A manual with a fairly long title, number {n}", languages=("en", "es")
        )

    response = client.get(reverse("library-public:resource-list"))

    import gzip

    assert len(gzip.compress(response.content)) <= 28 * 1024
