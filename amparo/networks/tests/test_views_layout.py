"""The networks pages are a package split by subject (STYLE.md section 10: past about 500
lines a module becomes a package), and the split changed no URL: each name still leads to
the view the package exports under it."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse

from amparo.networks import urls, views

SPLIT_POINT = 500


def test_the_pages_are_a_package_of_modules_under_the_split_point():
    package = Path(views.__file__)
    sizes = {path.name: len(path.read_text().splitlines()) for path in package.parent.glob("*.py")}

    assert package.name == "__init__.py"
    assert {name for name, size in sizes.items() if size > SPLIT_POINT} == set()


def test_every_url_keeps_its_name_and_its_view():
    routes = {pattern.name: pattern.callback for pattern in urls.urlpatterns}

    assert sorted(routes) == [
        "ack",
        "alert-close",
        "alert-create",
        "alert-debrief",
        "alert-deliveries",
        "alert-detail",
        "alert-list",
        "check-in-cancel",
        "check-in-create",
        "check-in-done",
        "contact-create",
        "contact-edit",
        "contact-remove",
        "duress-code",
        "follow-up-create",
        "follow-up-done",
        "network",
        "step-edit",
        "step-remove",
        "tree",
    ]
    assert {name: getattr(views, view.__name__) for name, view in routes.items()} == routes
    assert reverse("networks:alert-list") == "/networks/alerts/"
