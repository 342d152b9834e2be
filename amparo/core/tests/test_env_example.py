"""`.env.example` documents exactly the variables the settings read (STYLE.md section 6).

`config.env.REQUESTED` collects every name the typed helpers were asked for while
`config/settings.py` loaded, including `NAME_FILE` for secrets. The example file lists a
variable as `NAME=value` (production must set it) or `# NAME=value` (optional, shown with its
default), each under a comment that explains it.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from django.conf import settings

from config.env import REQUESTED

ENV_EXAMPLE = Path(settings.BASE_DIR) / ".env.example"

# `NAME=value` or `# NAME=value`; prose comments never start with an upper-case word and `=`.
ASSIGNMENT = re.compile(r"^(?:#\s*)?([A-Z][A-Z0-9_]*)=")


def _lines() -> list[str]:
    return ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()


def _documented() -> list[str]:
    return [match.group(1) for line in _lines() if (match := ASSIGNMENT.match(line))]


def _requested() -> set[str]:
    # Touching a setting makes sure config/settings.py has run and filled REQUESTED.
    assert settings.SECRET_KEY
    assert REQUESTED, "config.env.REQUESTED is empty: the settings did not load through it"
    return set(REQUESTED)


def test_env_example_documents_every_variable_the_settings_read() -> None:
    undocumented = _requested() - set(_documented())

    assert sorted(undocumented) == []


def test_env_example_lists_no_variable_the_settings_ignore() -> None:
    stale = set(_documented()) - _requested()

    assert sorted(stale) == []


def test_env_example_lists_each_variable_once() -> None:
    counts = Counter(_documented())

    assert sorted(name for name, count in counts.items() if count > 1) == []


def test_env_example_explains_each_variable_in_a_comment_above_it() -> None:
    unexplained = []
    previous_prose: str | None = None
    for line in _lines():
        match = ASSIGNMENT.match(line)
        if match:
            if previous_prose is None:
                unexplained.append(match.group(1))
        elif line.startswith("#") and line.strip("# -"):
            previous_prose = line
        elif not line.strip():
            previous_prose = None  # a blank line ends the explanation

    assert unexplained == []
