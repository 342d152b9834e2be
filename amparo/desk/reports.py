"""The desk lead's reports (`desk.reports`): counts of cases by period, country, category,
incident type and outcome. Tier 2 only: counting decrypts nothing.

Shared outside the organisation, any count from 1 to 4 shows as "fewer than 5", and so does a
second cell whenever a table would otherwise hide only one (secondary suppression): a total
minus the other cells can then never give a hidden count back.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo.accounts.permissions import Perm
from amparo.defenders.enums import Category
from amparo.defenders.models import DefenderCategory
from amparo.desk import rules
from amparo.desk.enums import ClosureReason, ReferralKind, ReferralOutcome
from amparo.desk.models import Case, Referral
from amparo.incidents.enums import AttackType
from amparo.incidents.models import Act
from amparo.incidents.queries import incidents_visible_to

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User

#: Counts below this are not shown when a report leaves the organisation.
THRESHOLD = 5


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def from_query(cls, data: QueryDict) -> Period:
        """`from` and `to` (ISO dates), by default the last twelve months."""
        today = timezone.localdate()
        end = parse_date(data.get("to") or "") if _valid(data.get("to")) else None
        start = parse_date(data.get("from") or "") if _valid(data.get("from")) else None
        end = end or today
        start = start or (end.replace(day=1) - timedelta(days=335)).replace(day=1)
        if start > end:
            start, end = end, start
        return cls(start=start, end=end)


def _valid(value: str | None) -> bool:
    try:
        return bool(value) and parse_date(value or "") is not None
    except ValueError:
        return False


@dataclass
class Cell:
    label: str
    count: int
    hidden: bool = False


@dataclass
class Table:
    key: str
    title: Any
    rows: list[Cell] = field(default_factory=list)
    total: Cell | None = None
    note: Any = ""


def suppress(table: Table) -> Table:
    """Hide counts 1-4, then one more cell if only one is hidden (the smallest shown non-zero
    one), and the total if it is itself below the threshold."""
    hidden = [cell for cell in table.rows if 0 < cell.count < THRESHOLD]
    for cell in hidden:
        cell.hidden = True
    if len(hidden) == 1:
        others = sorted(
            (c for c in table.rows if not c.hidden and c.count > 0), key=lambda c: c.count
        )
        if others:
            others[0].hidden = True
        elif table.total is not None:
            table.total.hidden = True
    if table.total is not None and 0 < table.total.count < THRESHOLD:
        table.total.hidden = True
    return table


def _cases(user: User | AnonymousUser) -> QuerySet[Case]:
    return Case.objects.filter(
        organisation_id__in=rules.desk_organisations(user, Perm.DESK_REPORTS)
    )


def _table(key: str, title: Any, counts: dict[Any, int], labels: dict[Any, Any]) -> Table:
    rows = [Cell(str(labels.get(k, k) or _("Not recorded")), n) for k, n in counts.items()]
    rows.sort(key=lambda cell: (-cell.count, cell.label))
    return Table(key=key, title=title, rows=rows, total=Cell(_("Total"), sum(counts.values())))


def desk_report(user: User | AnonymousUser, period: Period, *, shared: bool) -> list[Table]:
    """Six tables, one query each."""
    cases = _cases(user)
    opened = cases.filter(opened_on__gte=period.start, opened_on__lte=period.end)

    months = {
        row["month"]: row["n"]
        for row in opened.annotate(month=TruncMonth("opened_on"))
        .order_by("month")
        .values("month")
        .annotate(n=Count("pk"))
    }
    by_month = Table(
        key="period",
        title=gettext_lazy("Cases opened, by month"),
        rows=[Cell(date_format(m, "YEAR_MONTH_FORMAT"), n) for m, n in months.items()],
        total=Cell(_("Total"), sum(months.values())),
    )

    countries = dict(
        opened.order_by()
        .values_list("defender__country")
        .annotate(n=Count("pk"))
        .values_list("defender__country", "n")
    )
    by_country = _table("country", gettext_lazy("Cases opened, by country"), countries, {})

    categories = dict(
        DefenderCategory.objects.filter(defender__desk_cases__in=opened.values("pk"))
        .order_by()
        .values_list("code")
        .annotate(n=Count("defender__desk_cases", distinct=True))
        .values_list("code", "n")
    )
    by_category = _table(
        "category", gettext_lazy("Cases opened, by category"), categories, dict(Category.choices)
    )
    # A defender may belong to several categories: the rows do not add up to a total.
    by_category.total = None
    by_category.note = gettext_lazy("A case counts once under each category of its defender.")

    acts = (
        Act.objects.filter(
            incident__in=incidents_visible_to(user).order_by().values("pk"),
            victim_id__in=cases.values("defender_id"),
            incident__listed_on__gte=period.start,
            incident__listed_on__lte=period.end,
        )
        .order_by()
        .values_list("act_type")
        .annotate(n=Count("incident", distinct=True))
        .values_list("act_type", "n")
    )
    by_type = _table(
        "incident_type",
        gettext_lazy("Incidents against the desk's defenders, by type of attack"),
        dict(acts),
        dict(AttackType.choices),
    )
    by_type.total = None
    by_type.note = gettext_lazy("An incident with several types of attack counts under each.")

    closed = dict(
        cases.filter(closed_on__gte=period.start, closed_on__lte=period.end)
        .exclude(closure_reason="")
        .order_by()
        .values_list("closure_reason")
        .annotate(n=Count("pk"))
        .values_list("closure_reason", "n")
    )
    by_outcome = _table(
        "outcome",
        gettext_lazy("Cases ended, by reason"),
        closed,
        dict(ClosureReason.choices),
    )

    referral_rows = (
        Referral.objects.filter(
            case__in=cases.values("pk"),
            created_at__date__gte=period.start,
            created_at__date__lte=period.end,
        )
        .order_by()
        .values_list("kind", "outcome")
        .annotate(n=Count("pk"))
    )
    kinds, outcomes = dict(ReferralKind.choices), dict(ReferralOutcome.choices)
    referrals = {
        f"{kinds.get(kind, kind)}: {outcomes.get(outcome) or _('pending')}": n
        for kind, outcome, n in referral_rows
    }
    by_referral = _table("referral", gettext_lazy("Referrals, by kind and outcome"), referrals, {})

    tables = [by_month, by_country, by_category, by_type, by_outcome, by_referral]
    if shared:
        tables = [suppress(table) for table in tables]
    return tables


def csv_response(tables: list[Table], period: Period, *, shared: bool) -> HttpResponse:
    """The same tables as rows of (table, label, count); hidden counts as "<5"."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"desk-report-{period.start:%Y%m%d}-{period.end:%Y%m%d}{'-shared' if shared else ''}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(["table", "label", "count"])
    for table in tables:
        cells = [*table.rows, *([table.total] if table.total is not None else [])]
        for cell in cells:
            writer.writerow(
                [table.key, _safe(cell.label), f"<{THRESHOLD}" if cell.hidden else cell.count]
            )
    return response


def _safe(text: str) -> str:
    """Spreadsheets run cells that start with these as formulas."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
