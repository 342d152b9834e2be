"""A register's generation: changes whenever one of the organisation's incidents (or its
perpetrators) changes, so that what is computed from a register can be cached under the
generations it was computed from (ADR 0034, `core.generations`)."""

from __future__ import annotations

from amparo.core.generations import Generations

REGISTER = Generations("incidents")

bump = REGISTER.bump
digest = REGISTER.digest
