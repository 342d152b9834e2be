"""`docs/permissions.md` shows people the same rules the code applies.

The page holds two machine-checkable parts: the permission table between
`<!-- permission-table:start -->` and `<!-- permission-table:end -->`, and the roles exempt from
MFA between `<!-- mfa-exempt:start -->` and `<!-- mfa-exempt:end -->`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from amparo.accounts.enums import Role
from amparo.accounts.permissions import MFA_EXEMPT_ROLES, ROLE_PERMISSIONS, Perm

PERMISSIONS_DOC = Path(settings.BASE_DIR) / "docs" / "permissions.md"
EXPECTED_HEADER = "| Permission | " + " | ".join(role.value for role in Role) + " |"
SEPARATOR = re.compile(r"^\|(\s*:?-+:?\s*\|)+$")


def _section(name: str) -> list[str]:
    text = PERMISSIONS_DOC.read_text(encoding="utf-8")
    match = re.search(rf"<!-- {name}:start -->\n(.*?)\n?<!-- {name}:end -->", text, flags=re.DOTALL)
    assert match, f"docs/permissions.md has no {name} section"
    return [line.strip() for line in match.group(1).splitlines() if line.strip()]


def _cells(line: str) -> list[str]:
    assert line.startswith("|"), line
    assert line.endswith("|"), line
    return [cell.strip() for cell in line[1:-1].split("|")]


def _table() -> tuple[str, list[list[str]]]:
    header, separator, *rows = _section("permission-table")
    assert SEPARATOR.match(separator), separator
    return header, [_cells(row) for row in rows]


def _documented_permissions() -> dict[Role, frozenset[Perm]]:
    header, rows = _table()
    roles = [Role(code) for code in _cells(header)[1:]]
    granted: dict[Role, set[Perm]] = {role: set() for role in roles}
    for first, *cells in rows:
        perm = Perm(first.strip("`"))
        assert len(cells) == len(roles), f"{perm.value}: {len(cells)} cells for {len(roles)} roles"
        for role, cell in zip(roles, cells, strict=True):
            assert cell in {"yes", "-"}, f"{perm.value} / {role.value}: {cell!r}"
            if cell == "yes":
                granted[role].add(perm)
    return {role: frozenset(perms) for role, perms in granted.items()}


def _readable(table: dict[Role, frozenset[Perm]]) -> dict[str, list[str]]:
    return {role.value: sorted(perm.value for perm in perms) for role, perms in table.items()}


def test_permission_table_header_lists_every_role_in_code_order() -> None:
    header, _rows = _table()

    assert header == EXPECTED_HEADER


def test_permission_table_has_one_row_per_permission() -> None:
    _header, rows = _table()

    assert [row[0].strip("`") for row in rows] == [perm.value for perm in Perm]


def test_permission_table_equals_role_permissions() -> None:
    assert _readable(_documented_permissions()) == _readable(ROLE_PERMISSIONS)


def test_role_permissions_covers_every_role() -> None:
    assert sorted(ROLE_PERMISSIONS) == sorted(Role)


def test_mfa_exempt_list_equals_mfa_exempt_roles() -> None:
    bullets = _section("mfa-exempt")
    codes = []
    for bullet in bullets:
        match = re.fullmatch(r"[-*]\s+`?([a-z_]+)`?", bullet)
        assert match, f"not a one-role bullet: {bullet!r}"
        codes.append(match.group(1))

    assert len(codes) == len(set(codes))
    assert sorted(codes) == sorted(role.value for role in MFA_EXEMPT_ROLES)


@pytest.mark.parametrize("role", list(Role))
def test_every_role_is_named_in_the_document(role: Role) -> None:
    assert f"`{role.value}`" in PERMISSIONS_DOC.read_text(encoding="utf-8")
