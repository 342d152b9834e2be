from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_context
from amparo.core.locking import EditConflict
from amparo.library import pdftext, queries, services
from amparo.library.enums import FileFormat, RequestStatus, ResourceState
from amparo.library.models import CopyRequest, LanguageVersion
from amparo.library.tests.factories import make_resource, version_of

pytestmark = pytest.mark.django_db


def test_pdf_text_is_extracted_hashed_measured_and_searchable(librarian):
    resource = make_resource(state=ResourceState.DRAFT, languages=())
    data = pdftext.make_pdf(["Análisis de riesgo para comunidades"])
    with audit_context(actor=librarian):
        version = services.add_version(
            resource=resource,
            actor=librarian,
            language="es",
            title="Manual",
            upload=SimpleUploadedFile("m.pdf", data, content_type="application/pdf"),
        )

    version.refresh_from_db()
    assert version.file_format == FileFormat.PDF
    assert "Análisis de riesgo" in version.extracted_text
    assert version.size_bytes == len(version.file.read())
    version.file.seek(0)
    assert version.sha256 == hashlib.sha256(version.file.read()).hexdigest()
    resource.refresh_from_db()
    assert "analisis de riesgo" in resource.search_text
    assert AuditEvent.objects.filter(action="library.version_added").exists()


def test_a_link_version_has_no_file_and_a_refused_file_kind_is_said(librarian):
    resource = make_resource(state=ResourceState.DRAFT, languages=())
    with audit_context(actor=librarian):
        link = services.add_version(
            resource=resource, actor=librarian, language="fr", title="Guide", url="https://e.org/g"
        )
        with pytest.raises(services.LibraryError):
            services.add_version(
                resource=resource, actor=librarian, language="en", title="x", data=b"<html>x"
            )
        with pytest.raises(services.LibraryError):
            services.add_version(
                resource=resource,
                actor=librarian,
                language="fr",
                title="again",
                url="https://e.org",
            )
    assert (link.file_format, link.is_link) == (FileFormat.LINK, True)


def test_publishing_needs_a_version_and_follows_the_workflow(librarian):
    resource = make_resource(state=ResourceState.DRAFT, languages=())
    with audit_context(actor=librarian):
        with pytest.raises(services.LibraryError):
            services.change_state(
                resource=resource, actor=librarian, expected_version=1, to="published"
            )
        services.add_version(
            resource=resource, actor=librarian, language="en", title="t", url="https://e.org"
        )
        services.change_state(
            resource=resource, actor=librarian, expected_version=1, to="published"
        )
        with pytest.raises(services.LibraryError):
            services.change_state(
                resource=resource, actor=librarian, expected_version=2, to="draft"
            )
    resource.refresh_from_db()
    assert (resource.state, resource.version) == ("published", 2)
    assert resource.published_at is not None
    assert AuditEvent.objects.filter(action="library.resource_published").count() == 1


def test_a_stale_edit_is_refused(librarian, manual):
    with audit_context(actor=librarian):
        services.update_resource(
            resource=manual,
            actor=librarian,
            expected_version=manual.version,
            changes={"year": 2020},
        )
        with pytest.raises(EditConflict):
            services.update_resource(
                resource=manual, actor=librarian, expected_version=1, changes={"year": 2021}
            )
    manual.refresh_from_db()
    assert manual.year == 2020


def test_downloads_are_counted_without_anyone_stored(manual):
    version = version_of(manual, "es")
    services.count_download(version=version)
    services.count_download(version=version)
    version.refresh_from_db()
    assert version.download_count == 2
    fields = {field.name for field in LanguageVersion._meta.get_fields()}
    assert not fields & {"ip", "user", "downloaded_by", "address"}


def test_a_request_is_encrypted_and_its_status_moves(librarian, manual):
    with audit_context(actor=None):
        request = services.submit_request(
            resource=manual, kind="printed", email="ana@example.org", postal_address="Calle 1"
        )
    raw = CopyRequest.objects.filter(pk=request.pk).values_list("email", flat=True).get()
    assert raw.startswith("amp1:")
    with audit_context(actor=librarian):
        services.set_request_status(
            request=request, actor=librarian, expected_version=1, status=RequestStatus.ANSWERED
        )
        with pytest.raises(EditConflict):
            services.set_request_status(
                request=request, actor=librarian, expected_version=1, status="closed"
            )
    assert CopyRequest.objects.get().status == RequestStatus.ANSWERED
    assert AuditEvent.objects.filter(action="library.request_received").count() == 1


def test_search_finds_pdf_text_titles_and_thai(db):
    make_resource(title="Seguridad digital", text="contraseñas y cifrado")
    make_resource(title="คู่มือการคุ้มครองนักปกป้องสิทธิมนุษยชน")
    make_resource(title="Other")
    published = queries.published_resources()

    def titles(query: str) -> list[str]:
        filters = queries.Filters(query=query)
        return [r.title for r in queries.filter_resources(published, filters)]

    assert titles("CONTRASENAS") == ["Seguridad digital"]
    assert titles("การคุ้มครอง") == ["คู่มือการคุ้มครองนักปกป้องสิทธิมนุษยชน"]
    assert titles("seguridad cifrado") == ["Seguridad digital"]


def test_filters_by_kind_topic_language_audience_country(db):
    wanted = make_resource(
        kind="story",
        topics=["gender"],
        audiences=["researchers"],
        countries=["ID"],
        languages=("id", "en"),
    )
    make_resource(kind="story", topics=["gender_x"], languages=("en",))
    published = queries.published_resources()
    filters = queries.Filters(
        kind="story", topic="gender", language="id", audience="researchers", country="ID"
    )
    assert list(queries.filter_resources(published, filters)) == [wanted]


def test_drafts_and_withdrawn_resources_are_not_public(db):
    draft = make_resource(state=ResourceState.DRAFT)
    withdrawn = make_resource(state=ResourceState.WITHDRAWN)
    public = make_resource()
    assert list(queries.published_resources()) == [public]
    for hidden in (draft, withdrawn):
        with pytest.raises(Exception):  # noqa: B017, PT011 -- Http404
            queries.get_version_for_download(version_of(hidden).pk)
