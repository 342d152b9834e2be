"""Public pages under /<lang>/learn/: the catalogue, a course's page, a module to download for
reading offline, the learner sign-up and the certificate check. No sign-in needed; a signed-in
learner sees their progress and the enrol button on the course page."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from amparo.core import versions
from amparo.core.pagecache import versioned_page
from amparo.desk.public_views import client_key
from amparo.learning import queries, services
from amparo.learning.forms import CertificateLookupForm, SignUpForm
from amparo.learning.markup import render as markdown
from amparo.learning.models import Course

#: Sign-ups per client address (django-ratelimit syntax).
SIGN_UP_RATE = "5/h"
#: Certificate checks per client address: enough for an employer, too few to guess.
VERIFY_RATE = "30/h"
#: The backend that signs people in with a password (axes' backend only guards).
BACKEND = "amparo.accounts.backends.AmparoAuthenticationBackend"
#: How long a browser may reuse a public page before asking again (and getting a 304).
MAX_AGE = 300
#: A page of the published courses: conditional, kept rendered per version (ADR 0048). A
#: signed-in learner's course page shows their progress: always rendered, never stored.
courses_page = versioned_page(versions.LEARNING, Path(__file__).resolve().parent, max_age=MAX_AGE)


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0]


@courses_page
def catalogue(request: HttpRequest) -> HttpResponse:
    after = None
    raw_after = request.GET.get("after", "")
    if raw_after:
        try:
            cursor = queries.published_courses().only("title").get(pk=UUID(raw_after))
        except (ValueError, Course.DoesNotExist):
            cursor = None
        if cursor is not None:
            after = (cursor.title, str(cursor.pk))
    fetched = queries.catalogue(_language(), after=after)
    courses = fetched[: queries.PAGE_SIZE]
    more = len(fetched) > queries.PAGE_SIZE
    context = {
        "courses": courses,
        "next_after": courses[-1].pk if more else None,
        "is_first": after is None,
    }
    return render(request, "learning/catalogue.html", context)


@courses_page
def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    course = queries.get_published_course(slug, _language())
    enrolment = queries.enrolment_in(request.user, course)
    context: dict[str, Any] = {
        "course": course,
        "outline": queries.outline(course),
        "enrolment": enrolment,
    }
    if enrolment is not None:
        done = queries.done_lesson_ids(enrolment)
        lessons = [
            lesson for entry in context["outline"] for u in entry.units for lesson in u.lessons
        ]
        context["done"] = done
        context["resume"] = queries.resume_lesson(lessons, done)
        context["total"] = len(lessons)
    return render(request, "learning/course_detail.html", context)


@login_not_required
@require_GET
def module_download(request: HttpRequest, module_id: UUID) -> HttpResponse:
    """The whole module as one HTML file to read offline: text, questions (with the answers
    at the end), and its own small style sheet inside. No image, script or link to load."""
    module, lessons = queries.module_for_download(module_id)
    sections = [
        {"lesson": lesson, "html": markdown(lesson.body, offline=True)} for lesson in lessons
    ]
    html = render_to_string(
        "learning/module_offline.html",
        {"module": module, "course": module.course, "sections": sections},
    )
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    filename = f"{module.course.slug}-{module.course.language}-module-{module.position}.html"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:  # noqa: PLR0911 -- one exit per refusal
    """A plain learner account: no organisation, no role (ADR 0041). The answer is the same
    whether the address already has an account (see services.sign_up_learner)."""
    if request.user.is_authenticated:
        return redirect(_next_url(request) or "learning:my-courses")
    if request.method != "POST":
        form = SignUpForm(initial={"language": _language()})
        return _sign_up_page(request, form)
    limited = is_ratelimited(
        request,
        group="learning.sign_up",
        key=client_key,
        rate=SIGN_UP_RATE,
        method="POST",
        increment=True,
    )
    form = SignUpForm(request.POST)
    if limited:
        return _sign_up_page(request, form, status=429, limited=True)
    # Every outcome that is not a mistake to correct answers with the same redirect, so the
    # answer does not say whether the address had an account (ADR 0041).
    done = redirect(_next_url(request) or "learning:my-courses")
    if request.POST.get("website"):
        return done  # the honeypot: a robot, told nothing
    if not form.is_valid():
        return _sign_up_page(request, form, status=422)
    data = form.cleaned_data
    try:
        user = services.sign_up_learner(
            email=data["email"],
            password=data["password"],
            display_name=data["display_name"],
            language=data["language"],
        )
    except ValidationError as error:
        form.add_error("password", error)
        return _sign_up_page(request, form, status=422)
    if user is not None:
        login(request, user, backend=BACKEND)
    return done


def _sign_up_page(
    request: HttpRequest, form: SignUpForm, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {"form": form, "next": _next_url(request), **extra}
    return render(request, "learning/sign_up.html", context, status=status)


@login_not_required
@never_cache
@require_GET
def certificate_verify(request: HttpRequest) -> HttpResponse:
    """Anyone with a certificate's code can check it: who completed which course, and when."""
    form = CertificateLookupForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if form.is_bound:
        limited = is_ratelimited(
            request,
            group="learning.verify",
            key=client_key,
            rate=VERIFY_RATE,
            method="GET",
            increment=True,
        )
        if limited:
            context["limited"] = True
            status = 429
        elif form.is_valid():
            code = services.normalise_code(form.cleaned_data["code"])
            context["code"] = code
            context["certificate"] = queries.verify_certificate(code)
            if context["certificate"] is None:
                status = 404
        else:
            status = 422
    return render(request, "learning/certificate_verify.html", context, status=status)
