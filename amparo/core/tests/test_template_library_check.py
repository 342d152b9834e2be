"""Django's templates.W003 is silenced for the project's `i18n` only: any other clash warns."""

from __future__ import annotations

import copy

from django.conf import settings
from django.core import checks
from django.test import override_settings

from amparo.core.checks import check_template_library_names


def _templates(**libraries: str) -> list[dict[str, object]]:
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["libraries"] = libraries  # type: ignore[index]
    return templates


def test_the_project_settings_pass() -> None:
    assert check_template_library_names() == []
    assert "templates.W003" in settings.SILENCED_SYSTEM_CHECKS
    ids = {message.id for message in checks.run_checks(tags=[checks.Tags.templates])}
    assert "amparo.W003" not in ids


def test_the_i18n_replacement_is_allowed_only_by_the_project_library() -> None:
    with override_settings(TEMPLATES=_templates(i18n="amparo.core.template_builtins")):
        found = check_template_library_names()
    assert [message.id for message in found] == ["amparo.W003"]
    assert "'i18n'" in found[0].msg


def test_any_other_clash_still_warns() -> None:
    with override_settings(
        TEMPLATES=_templates(i18n="amparo.core.template_i18n", static="amparo.core.template_i18n")
    ):
        found = check_template_library_names()
    assert [message.id for message in found] == ["amparo.W003"]
    assert "'static'" in found[0].msg
