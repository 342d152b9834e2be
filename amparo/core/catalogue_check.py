"""Translation catalogues: compile them without GNU gettext, check they are current, list work.

    python -m amparo.core.catalogue_check            # fail when locale/ is stale
    python -m amparo.core.catalogue_check --compile  # .po -> .mo with polib, no gettext needed
    python -m amparo.core.catalogue_check --update   # makemessages, then list what to translate
    python -m amparo.core.catalogue_check --report   # untranslated, fuzzy and broken entries
    python -m amparo.core.catalogue_check --prefill  # fill gaps from allauth's and Django's
                                                     # catalogues, marked fuzzy for review

The staleness check extracts the strings of a temporary copy of the tree with `makemessages`
(which needs GNU gettext's xgettext) and compares them with locale/. Without xgettext it skips,
except in CI (the CI variable is set), where a missing gettext is an error.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parents[2]
LOCALE_DIR = BASE_DIR / "locale"
SOURCE_LANGUAGE = "en"

#: Plural-Forms of every catalogue; `--update` writes them into the headers.
PLURAL_FORMS = {
    "en": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "pt": "nplurals=2; plural=(n != 1);",
    "id": "nplurals=1; plural=0;",
    "th": "nplurals=1; plural=0;",
    "sw": "nplurals=2; plural=(n != 1);",
}

#: The arguments of `make messages`; the check extracts exactly what it would.
MAKEMESSAGES_OPTIONS = [
    "--no-location",
    "--no-obsolete",
    "--ignore=.venv",
    "--ignore=.tools",
    "--ignore=var",
    "--ignore=bench",
]

#: Left out of the temporary copy: what makemessages ignores anyway, and bulky local state.
COPY_IGNORE = shutil.ignore_patterns(
    ".*", "var", "bench", "node_modules", "__pycache__", "*.mo", "*.pyc", "*.sqlite3*"
)

#: Where `--prefill` looks, per language: allauth's catalogues, then Django's.
PREFILL_LOCALES = {
    "es": ["es"],
    "fr": ["fr"],
    "pt": ["pt_BR", "pt", "pt_PT"],
    "id": ["id"],
    "th": ["th"],
    "sw": ["sw"],
}

Key = tuple[str | None, str, str]

PYTHON_FORMAT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?"  # %(name)
    r"[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"  # flags, width, precision, length
    r"(?P<type>[diouxXeEfFgGcrsa%])"
)
BRACE_FORMAT = re.compile(r"(?<!\{)\{\w*\}(?!\})")
HTML_TAG = re.compile(r"<[^<>]+>")


def _polib() -> Any:
    try:
        import polib  # noqa: PLC0415 - only the commands that read catalogues need it
    except ImportError:  # pragma: no cover - polib comes with `make install`
        sys.exit("polib is missing: run `make install` (it is in the dev dependencies).")
    return polib


# --- Reading catalogues ---


def catalogues(locale_dir: Path = LOCALE_DIR) -> dict[str, Path]:
    """Language code -> django.po, for every language directory under locale/."""
    found = {}
    for path in sorted(locale_dir.glob("*/LC_MESSAGES/django.po")):
        found[path.parent.parent.name] = path
    return found


def translated_languages(locale_dir: Path = LOCALE_DIR) -> dict[str, Path]:
    """The catalogues that must be complete: every language but the source one."""
    return {lang: path for lang, path in catalogues(locale_dir).items() if lang != SOURCE_LANGUAGE}


def key(entry: Any) -> Key:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or "")


def live_entries(po: Any) -> Iterator[Any]:
    for entry in po:
        if not entry.obsolete and entry.msgid:
            yield entry


def describe(k: Key) -> str:
    context, msgid, plural = k
    text = repr(msgid)
    if plural:
        text += f" / {plural!r}"
    if context is not None:
        text = f"[{context}] {text}"
    return text


# --- Checking entries ---


@dataclass(frozen=True)
class Placeholders:
    named: frozenset[tuple[str, str]]
    positional: tuple[str, ...]
    braces: frozenset[str]
    tags: tuple[str, ...]
    stray_percent: bool


def placeholders(text: str, python_format: bool) -> Placeholders:
    named = set()
    positional = []
    stray = False
    if python_format:
        position = 0
        for match in PYTHON_FORMAT.finditer(text):
            if "%" in text[position : match.start()]:
                stray = True
            position = match.end()
            if match["type"] == "%":
                continue
            if match["name"] is not None:
                named.add((match["name"], match["type"]))
            else:
                positional.append(match["type"])
        if "%" in text[position:]:
            stray = True
    return Placeholders(
        named=frozenset(named),
        positional=tuple(positional),
        braces=frozenset(BRACE_FORMAT.findall(text)),
        tags=tuple(sorted(HTML_TAG.findall(text))),
        stray_percent=stray,
    )


def is_python_format(entry: Any) -> bool:
    if "python-format" in entry.flags:
        return True
    sources = [entry.msgid, entry.msgid_plural or ""]
    return any(PYTHON_FORMAT.search(text.replace("%%", "")) for text in sources)


def format_problems(entry: Any) -> list[str]:
    """How the translations of `entry` break its placeholders or markup; empty when fine."""
    python_format = is_python_format(entry)
    problems = []
    pairs: list[tuple[str, str, str]] = [("msgstr", entry.msgstr, entry.msgid)]
    if entry.msgid_plural:
        # With one form it stands for every count; with more, the first is the singular.
        forms = sorted(entry.msgstr_plural.items())
        pairs = [
            (
                f"msgstr[{index}]",
                text,
                entry.msgid if index == 0 and len(forms) > 1 else entry.msgid_plural,
            )
            for index, text in forms
        ]
    for label, translation, source in pairs:
        if not translation:
            continue
        expected = placeholders(source, python_format)
        found = placeholders(translation, python_format)
        if found.named != expected.named:
            problems.append(
                f"{label}: named placeholders {sorted(n for n, _ in found.named)} "
                f"!= {sorted(n for n, _ in expected.named)}"
            )
        if found.positional != expected.positional:
            problems.append(
                f"{label}: positional placeholders {found.positional} != {expected.positional}"
            )
        if found.braces != expected.braces:
            problems.append(f"{label}: {sorted(found.braces)} != {sorted(expected.braces)}")
        if found.tags != expected.tags:
            problems.append(f"{label}: HTML {list(found.tags)} != {list(expected.tags)}")
        if found.stray_percent:
            problems.append(f"{label}: a lone % (write %% for a percent sign)")
    return problems


def is_untranslated(entry: Any) -> bool:
    if entry.msgid_plural:
        return not entry.msgstr_plural or not all(entry.msgstr_plural.values())
    return not entry.msgstr


@dataclass
class Report:
    untranslated: list[Any]
    fuzzy: list[Any]
    broken: list[tuple[Any, list[str]]]
    plural_forms: str | None

    @property
    def ok(self) -> bool:
        return not (self.untranslated or self.fuzzy or self.broken or self.plural_forms)


def check_catalogue(path: Path) -> Report:
    po = _polib().pofile(str(path))
    lang = path.parent.parent.name
    entries = list(live_entries(po))
    expected_plural = PLURAL_FORMS.get(lang)
    found_plural = po.metadata.get("Plural-Forms", "").strip()
    plural_problem = None
    if expected_plural and found_plural != expected_plural:
        plural_problem = f"Plural-Forms is {found_plural!r}, expected {expected_plural!r}"
    nplurals = int(re.search(r"nplurals=(\d+)", expected_plural or "nplurals=2")[1])  # type: ignore[index]
    broken = [(entry, problems) for entry in entries if (problems := format_problems(entry))]
    broken += [
        (entry, [f"{len(entry.msgstr_plural)} plural forms, expected {nplurals}"])
        for entry in entries
        if entry.msgid_plural and len(entry.msgstr_plural) != nplurals
    ]
    return Report(
        untranslated=[entry for entry in entries if is_untranslated(entry)],
        fuzzy=[entry for entry in entries if "fuzzy" in entry.flags],
        broken=broken,
        plural_forms=plural_problem,
    )


# --- Commands ---


def compile_catalogues(locale_dir: Path = LOCALE_DIR) -> int:
    """Write a .mo beside every .po, leaving out entries whose placeholders are broken."""
    polib = _polib()
    failures = 0
    paths = sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))
    for path in paths:
        po = polib.pofile(str(path))
        for entry in list(live_entries(po)):
            problems = format_problems(entry)
            if problems:
                failures += 1
                print(f"{path.relative_to(locale_dir.parent)}: left out {describe(key(entry))}:")
                for problem in problems:
                    print(f"    {problem}")
                po.remove(entry)
        po.save_as_mofile(str(path.with_suffix(".mo")))
    print(f"Compiled {len(paths)} catalogues in {locale_dir.relative_to(locale_dir.parent)}/.")
    return 1 if failures else 0


def _manage(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # DEBUG lets the settings load without production variables; makemessages touches no data.
    env = {**os.environ, "DEBUG": "true"}
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def extract_keys() -> set[Key]:
    """The msgids makemessages finds today, from a temporary copy of the tree."""
    polib = _polib()
    with tempfile.TemporaryDirectory(prefix="amparo-messages-") as temporary:
        tree = Path(temporary) / "tree"
        shutil.copytree(BASE_DIR, tree, ignore=COPY_IGNORE)
        args = ["makemessages", f"--locale={SOURCE_LANGUAGE}", "--keep-pot", *MAKEMESSAGES_OPTIONS]
        result = _manage(args, tree)
        if result.returncode:
            sys.exit(f"makemessages failed:\n{result.stdout}{result.stderr}")
        pot = polib.pofile(str(tree / "locale" / "django.pot"))
        return {key(entry) for entry in live_entries(pot)}


def check_stale() -> int:
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            print("GNU gettext (xgettext) is missing; CI must install it (apt install gettext).")
            return 1
        print("Skipped the catalogue check: GNU gettext (xgettext) is not installed.")
        return 0
    polib = _polib()
    extracted = extract_keys()
    stale = False
    found = catalogues()
    for lang in PLURAL_FORMS:
        if lang not in found:
            print(f"locale/{lang}/LC_MESSAGES/django.po is missing.")
            stale = True
    for path in found.values():
        current = {key(entry) for entry in live_entries(polib.pofile(str(path)))}
        new, removed = sorted(extracted - current, key=str), sorted(current - extracted, key=str)
        if new or removed:
            stale = True
            print(f"{path.relative_to(BASE_DIR)}: {len(new)} new, {len(removed)} removed msgids")
            for k in new:
                print(f"  + {describe(k)}")
            for k in removed:
                print(f"  - {describe(k)}")
    if stale:
        print("locale/ is stale: run `make messages` and translate the new strings.")
        return 1
    print(f"locale/ is current: {len(extracted)} msgids in {len(found)} catalogues.")
    return 0


def normalise(locale_dir: Path = LOCALE_DIR) -> bool:
    """Headers and plural forms as this project wants them, whatever makemessages copied in.
    True when a catalogue changed (polib wraps lines unlike msgmerge: run makemessages again)."""
    polib = _polib()
    changed = False
    for lang, path in catalogues(locale_dir).items():
        po = polib.pofile(str(path), wrapwidth=79)
        before = str(po)
        po.header = f"Amparo: {lang} translations.\nDistributed under the AGPL-3.0-or-later."
        po.metadata_is_fuzzy = False
        plural_forms = PLURAL_FORMS.get(lang, po.metadata.get("Plural-Forms", ""))
        po.metadata.update(
            {
                "Project-Id-Version": "Amparo",
                "Last-Translator": "Amparo translators",
                "Language-Team": "Amparo translators",
                "Language": lang,
                "Content-Type": "text/plain; charset=UTF-8",
                "Plural-Forms": plural_forms,
            }
        )
        nplurals = int(re.search(r"nplurals=(\d+)", plural_forms)[1])  # type: ignore[index]
        for entry in live_entries(po):
            if entry.msgid_plural:
                forms = entry.msgstr_plural
                entry.msgstr_plural = {index: forms.get(index, "") for index in range(nplurals)}
        if str(po) != before:
            po.save()
            changed = True
    return changed


def update() -> int:
    if shutil.which("xgettext") is None:
        print("makemessages needs GNU gettext (xgettext, msgmerge): install it first.")
        return 1
    for lang in PLURAL_FORMS:
        (LOCALE_DIR / lang / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    for _attempt in range(2):
        # A second pass lets msgmerge wrap the lines polib saved, so diffs stay small.
        result = _manage(["makemessages", "--all", *MAKEMESSAGES_OPTIONS], BASE_DIR)
        if result.returncode:
            print(result.stdout + result.stderr, end="")
            return result.returncode
        if not normalise():
            break
    return report()


def report(languages: Iterable[str] | None = None) -> int:
    found = translated_languages()
    selected = list(languages or found)
    failing = 0
    for lang in selected:
        path = found[lang]
        result = check_catalogue(path)
        name = path.relative_to(BASE_DIR)
        if result.ok:
            print(f"{name}: complete")
            continue
        failing += 1
        print(
            f"{name}: {len(result.untranslated)} untranslated, {len(result.fuzzy)} fuzzy, "
            f"{len(result.broken)} broken"
        )
        if result.plural_forms:
            print(f"  ! {result.plural_forms}")
        for entry in result.untranslated:
            print(f"  untranslated {describe(key(entry))}")
        for entry in result.fuzzy:
            print(f"  fuzzy        {describe(key(entry))}")
        for entry, problems in result.broken:
            print(f"  broken       {describe(key(entry))}: {'; '.join(problems)}")
    return 1 if failing else 0


def _reference_catalogues(lang: str) -> list[Any]:
    """allauth's catalogue for `lang`, then Django's and its contrib apps'."""
    import allauth  # noqa: PLC0415
    import django  # noqa: PLC0415

    polib = _polib()
    roots = [Path(allauth.__file__).parent / "locale", Path(django.__file__).parent / "conf/locale"]
    roots += sorted(Path(django.__file__).parent.glob("contrib/*/locale"))
    found = []
    for root in roots:
        for code in PREFILL_LOCALES.get(lang, [lang]):
            path = root / code / "LC_MESSAGES" / "django.po"
            if path.exists():
                found.append(polib.pofile(str(path)))
                break
    return found


def prefill() -> int:
    """Copy translations of identical msgids from allauth and Django, flagged fuzzy to review."""
    polib = _polib()
    for lang, path in translated_languages().items():
        references = _reference_catalogues(lang)
        po = polib.pofile(str(path), wrapwidth=79)
        filled = 0
        for entry in live_entries(po):
            if entry.msgid_plural or not is_untranslated(entry):
                continue
            for reference in references:
                match = reference.find(entry.msgid, msgctxt=entry.msgctxt)
                if match and match.msgstr and not match.fuzzy:
                    entry.msgstr = match.msgstr
                    entry.flags.append("fuzzy")
                    filled += 1
                    break
        po.save()
        print(f"{path.relative_to(BASE_DIR)}: prefilled {filled} entries, marked fuzzy to review")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m amparo.core.catalogue_check")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--compile", action="store_true", help="compile every .po to .mo")
    mode.add_argument("--update", action="store_true", help="run makemessages, then --report")
    mode.add_argument("--report", action="store_true", help="list entries still to translate")
    mode.add_argument("--prefill", action="store_true", help="fill gaps from allauth and Django")
    parser.add_argument("languages", nargs="*", help="with --report: only these languages")
    options = parser.parse_args(argv)
    if options.compile:
        return compile_catalogues()
    if options.update:
        return update()
    if options.report:
        return report(options.languages)
    if options.prefill:
        return prefill()
    return check_stale()


if __name__ == "__main__":
    sys.exit(main())
