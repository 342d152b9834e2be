"""The Focus Observatory (DOMAIN.md 2.9): States' policies for the protection of defenders,
the framework they are evaluated against, and the evaluations.

Everything here becomes public once published, and nothing here is about a person: no field
holds personal data except the editors' accounts (`*_by`), which the public pages and the
API never show. Instruments are public reference data addressed by a stable `key`, so they
keep an integer primary key, which SQLite's FTS5 index can point at (`search.py`).
"""

from amparo.observatory.models.changes import ChangeLogEntry, DatasetState
from amparo.observatory.models.designs import DesignChecklist
from amparo.observatory.models.evaluations import (
    Axis,
    Criterion,
    CriterionScore,
    Evaluation,
    Framework,
    LocalisedText,
)
from amparo.observatory.models.imports import ImportState, InstrumentImport
from amparo.observatory.models.instruments import (
    UNDATED,
    Document,
    InstrumentRelation,
    InstrumentTranslation,
    PolicyInstrument,
    Source,
    StatusChange,
    format_dated,
    iso_dated,
)
from amparo.observatory.models.places import Country, CountryNarrative, SubnationalUnit
from amparo.observatory.models.revisions import Revision

__all__ = [
    "UNDATED",
    "Axis",
    "ChangeLogEntry",
    "Country",
    "CountryNarrative",
    "Criterion",
    "CriterionScore",
    "DatasetState",
    "DesignChecklist",
    "Document",
    "Evaluation",
    "Framework",
    "ImportState",
    "InstrumentImport",
    "InstrumentRelation",
    "InstrumentTranslation",
    "LocalisedText",
    "PolicyInstrument",
    "Revision",
    "Source",
    "StatusChange",
    "SubnationalUnit",
    "format_dated",
    "iso_dated",
]
