"""Pages for encrypted attachments: list and upload per organisation, download one file."""

from __future__ import annotations

from uuid import UUID

from csp.decorators import csp_update
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts import queries as account_queries
from amparo.accounts.models import User
from amparo.files import queries, rules, services
from amparo.files.forms import AttachmentUploadForm
from amparo.files.upload import EncryptedUploadedFile, upload_was_too_large

PAGE_SIZE = 100


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 -- LoginRequiredMiddleware guarantees it
    return user


@require_http_methods(["GET", "POST"])
def attachment_list(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    user = _user(request)
    organisation = account_queries.get_organisation_for_user(user, organisation_id)
    if not rules.can_view_attachments(user, organisation):
        raise Http404
    form = AttachmentUploadForm()
    if request.method == "POST":
        form = AttachmentUploadForm(request.POST, request.FILES)
        if upload_was_too_large(request):
            # The handler dropped the file, so "required" would be the wrong reason to give.
            form.is_valid()
            form.errors.pop("file", None)
            form.add_error("file", _too_large_message())
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            if not isinstance(upload, EncryptedUploadedFile):
                # Only EncryptingUploadHandler may produce uploads (FILE_UPLOAD_HANDLERS).
                raise TypeError("upload did not come through EncryptingUploadHandler")
            try:
                services.store_attachment(
                    organisation=organisation,
                    actor=user,
                    upload=upload,
                    keep_original=form.cleaned_data["keep_original"],
                )
            except services.Rejected as error:
                form.add_error("file", error.message)
            else:
                return redirect("files:attachment-list", organisation_id=organisation.pk)
    attachments = list(
        queries.attachments_visible_to(user).filter(organisation=organisation)[:PAGE_SIZE]
    )
    context = {"organisation": organisation, "attachments": attachments, "form": form}
    return render(
        request, "files/attachment_list.html", context, status=422 if form.errors else 200
    )


def _too_large_message() -> str:
    from django.conf import settings  # noqa: PLC0415 -- read per request: tests change it

    return _("The file is larger than the limit of %(limit)s.") % {
        "limit": filesizeformat(settings.AMPARO_ATTACHMENT_MAX_BYTES)
    }


def _download(
    request: HttpRequest, attachment_id: UUID, *, original: bool
) -> StreamingHttpResponse:
    user = _user(request)
    attachment = queries.get_attachment_for_user(user, attachment_id)
    try:
        chunks = services.iter_download(attachment=attachment, actor=user, original=original)
    except FileNotFoundError as error:
        raise Http404 from error
    response = StreamingHttpResponse(chunks, content_type=attachment.content_type)
    name = attachment.download_name
    if original:
        name = name.replace("amparo-", "amparo-original-", 1)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Content-Length"] = str(attachment.original_size if original else attachment.size)
    # A file must never run as a page of this site, whatever the browser guesses it to be:
    # nosniff here, and `sandbox` added to the site's policy by the decorators below.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response


@require_GET
# django-csp types its decorators for views without URL arguments.
@csp_update({"sandbox": True})  # type: ignore[arg-type]
def attachment_download(request: HttpRequest, attachment_id: UUID) -> StreamingHttpResponse:
    return _download(request, attachment_id, original=False)


@require_GET
# django-csp types its decorators for views without URL arguments.
@csp_update({"sandbox": True})  # type: ignore[arg-type]
def attachment_original_download(
    request: HttpRequest, attachment_id: UUID
) -> StreamingHttpResponse:
    return _download(request, attachment_id, original=True)


@require_POST
def attachment_shred(request: HttpRequest, attachment_id: UUID) -> HttpResponse:
    """Delete a file for good: without its key, no copy of the blob can be read again."""
    attachment = queries.get_attachment_for_user(request.user, attachment_id)
    if not rules.can_shred_attachment(request.user, attachment):
        raise PermissionDenied
    services.shred_attachment(attachment=attachment, actor=_user(request))
    messages.success(request, _("The file was deleted for good."))
    return redirect("files:attachment-list", attachment.organisation_id)
