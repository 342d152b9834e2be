"""The one access path to defenders, for pages, API and jobs.

Invisible defenders raise Http404: nobody can probe for a record they may not know exists.
Visible records the person may not change raise PermissionDenied (403).

Tier-1 text (pseudonyms, names) cannot be filtered in the database: search and the duplicate
check decrypt the person's visible set in memory, bounded by `SEARCH_LIMIT` rows, newest first
(SECURITY.md section 2: no blind indexes).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from amparo.accounts import rules as account_rules
from amparo.accounts.enums import OrganisationKind
from amparo.accounts.models import Organisation, User
from amparo.accounts.permissions import Perm
from amparo.audit.models import AuditEvent, chain_key
from amparo.core.paging import Page, page_from
from amparo.core.prepared import Prepared, PreparedRows
from amparo.defenders import rules
from amparo.defenders.enums import DefenderKind, DefenderStatus
from amparo.defenders.models import (
    ClosePerson,
    CollectiveMember,
    ConsentRecord,
    ContactChannel,
    Defender,
    DefenderCategory,
    DefenderShare,
    defender_code,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

#: Most rows decrypted for one search or duplicate check. Beyond it, the newest are searched
#: and the page says so: narrowing by the Tier-2 filters brings older records into reach.
SEARCH_LIMIT = 2000
#: Most possible duplicates shown before creating a defender.
DUPLICATES_SHOWN = 10
#: How far back "who opened this record" looks.
READ_LOG_WINDOW = timedelta(days=365)
#: Tier-1 columns a list never shows: left in the database, never decrypted.
LIST_DEFERRED = ("legal_name", "rights_defended", "location", "notes", "intersectional")


#: What a row of the defender list shows (defenders/rows.py), and the organisation, which binds
#: the pseudonym's ciphertext: the other Tier-1 columns are neither read nor kept, and the
#: keeping unit is not joined (no row shows it).
LIST_FIELDS = (
    "id",
    "organisation_id",
    "kind",
    "status",
    "collective_type",
    "country",
    "region",
    "pseudonym",
)


#: `with_category_codes`' query, prepared per number of rows (ADR 0050).
_CATEGORY_CODES = PreparedRows(
    DefenderCategory,
    lambda ids: DefenderCategory.objects.filter(defender_id__in=ids).values_list(
        "defender_id", "code"
    ),
    fields=(DefenderCategory._meta.get_field("defender"),),
    samples=(((),), ((),)),
)


def _category_codes(ids: list[UUID]) -> dict[UUID, list[str]]:
    """The category codes of each of these defenders, in one query of (defender, code) pairs."""
    codes: dict[UUID, list[str]] = {pk: [] for pk in ids}
    if codes:
        for defender_id, code in _CATEGORY_CODES(list(codes)):
            codes[defender_id].append(code)
    return codes


def with_category_codes(rows: list[Any]) -> list[Any]:
    """Give each row of a list page (the Defenders a search found, or `ListedDefender`s) its
    category codes (`category_codes`, shown by defenders/rows.py) in one query of (defender,
    code) pairs: a prefetch would build a model per category and a related manager per row,
    most of the list's time after its rows."""
    codes = _category_codes([row.pk for row in rows])
    for row in rows:
        row.category_codes = codes[row.pk]
    return rows


def defenders_visible_to(user: User | AnonymousUser) -> QuerySet[Defender]:
    """For lists: newest first, with the categories each row shows."""
    return _reached(user).prefetch_related("categories").order_by("-created_at", "-id")


def _reached(user: User | AnonymousUser) -> QuerySet[Defender]:
    """The one filter every read of a defender goes through, with the keeping unit (its name
    is on most pages; the join costs no query)."""
    return Defender.objects.filter(rules.visible_defenders_q(user)).select_related("organisation")


def _visible_q(user_id: UUID, staff: list[UUID], collectives: list[UUID], prefix: str = "") -> Q:
    """`rules.visible_defenders_q` from the person's ids, for the prepared lookups below."""
    return rules.defender_q_for(user_id, staff, collectives, shares=True, prefix=prefix)


def _reach_of(user: User) -> tuple[UUID, set[Any], set[Any]]:
    """The arguments of `_visible_q` for a signed-in person (no query)."""
    return (
        user.pk,
        rules.organisations_with(user, Perm.DEFENDERS_VIEW),
        rules.organisations_with(user, Perm.COLLECTIVE_VIEW),
    )


#: The reach's fields and two sample sets, after the looked-up id (`core.prepared`).
_REACH_FIELDS = (
    Defender._meta.get_field("user"),
    Defender._meta.get_field("organisation"),
    Defender._meta.get_field("collective_organisation"),
)
_SAMPLES = ((UUID(int=1), UUID(int=2), (), ()), (UUID(int=3), UUID(int=4), (), ()))

#: One defender as `get_defender_for_user` reads it, compiled once per connection and shape
#: of the reach: most defender pages and sub-pages start here (ADR 0050).
_DEFENDER = Prepared(
    Defender,
    lambda defender_id, *reach: (
        Defender.objects.filter(_visible_q(*reach), pk=defender_id)
        .select_related("organisation")
        .order_by()[:1]
    ),
    fields=(Defender._meta.pk, *_REACH_FIELDS),
    samples=_SAMPLES,
)


def get_defender_for_user(
    user: User | AnonymousUser, defender_id: UUID, *, for_write: bool = False
) -> Defender:
    """The defender alone: forms and sub-pages load the parts they show themselves, so a form
    does not pay for channels, consents or members it never displays."""
    found = _DEFENDER(defender_id, *_reach_of(user)) if user.is_authenticated else []
    if not found:
        raise Http404
    defender = found[0]
    if for_write and not rules.can_edit_defender(user, defender):
        raise PermissionDenied
    return defender


def get_defender_for_edit(user: User | AnonymousUser, defender_id: UUID) -> Defender:
    """What the edit form fills itself from: categories, and the linked account's address."""
    queryset = _reached(user).select_related("user").prefetch_related("categories")
    defender = get_object_or_404(queryset, pk=defender_id)
    if not rules.can_edit_defender(user, defender):
        raise PermissionDenied
    return defender


def _count(rows: QuerySet[Any], by: str) -> Coalesce:
    """How many of `rows` point at the outer defender through `by`, as a correlated subquery:
    a number on the defender's own row instead of a query of its own (portable to SQLite and
    PostgreSQL, unlike array aggregates)."""
    counted = (
        rows.filter(**{by: OuterRef("pk")})
        .order_by()
        .values(by)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _reader_organisations(user: User | AnonymousUser) -> list[Any]:
    return sorted({m.organisation_id for m in account_rules.active_memberships(user)}, key=str)


def _defender_page(
    defender_id: UUID,
    user_id: UUID,
    staff: list[UUID],
    collectives: list[UUID],
    readers: list[UUID],
) -> QuerySet[Defender]:
    shared_with = {
        # One flag per organisation of the reader: is the record shared with it? Sections of
        # other modules answer their own reach from these (rules.reads_defender), no query.
        f"shared_with_{number}": Exists(
            DefenderShare.objects.filter(defender=OuterRef("pk"), organisation_id=organisation_id)
        )
        for number, organisation_id in enumerate(readers)
    }
    return (
        Defender.objects.filter(_visible_q(user_id, staff, collectives), pk=defender_id)
        .select_related("organisation")
        .annotate(
            close_people_count=_count(ClosePerson.objects.all(), "defender"),
            share_count=_count(DefenderShare.objects.all(), "defender"),
            member_total=_count(CollectiveMember.objects.all(), "collective"),
            **shared_with,
        )
        .order_by()[:1]
    )


#: The defender's page lookup, prepared as `_DEFENDER` is (the reader's organisations are a
#: collection argument too).
_DEFENDER_PAGE = Prepared(
    Defender,
    _defender_page,
    fields=(
        Defender._meta.pk,
        *_REACH_FIELDS,
        DefenderShare._meta.get_field("organisation"),
    ),
    samples=(_SAMPLES[0] + ((),), _SAMPLES[1] + ((),)),
)


_PAGE_CHANNELS = Prepared(
    ContactChannel,
    lambda defender_id: ContactChannel.objects.filter(defender_id=defender_id),
    fields=(ContactChannel._meta.get_field("defender"),),
    samples=((UUID(int=1),), (UUID(int=3),)),
)
_PAGE_CONSENTS = Prepared(
    ConsentRecord,
    lambda defender_id: ConsentRecord.objects.filter(defender_id=defender_id),
    fields=(ConsentRecord._meta.get_field("defender"),),
    samples=((UUID(int=1),), (UUID(int=3),)),
)


def category_codes_of(defender: Defender) -> list[str]:
    """The defender's category codes: those `get_defender_page` or `with_category_codes` read,
    else its (prefetched) categories."""
    codes: list[str] | None = defender.__dict__.get("category_codes")
    return [c.code for c in defender.categories.all()] if codes is None else codes


def page_channels(defender: Defender) -> list[ContactChannel]:
    """The defender's contact channels, safe ones first, as `get_defender_page` read them."""
    read: list[Any] | None = defender.__dict__.get("page_channels")
    return list(defender.channels.all()) if read is None else read


def page_consents(defender: Defender) -> list[ConsentRecord]:
    """The defender's consents, latest first, as `get_defender_page` read them."""
    read: list[Any] | None = defender.__dict__.get("page_consents")
    return list(defender.consents.all()) if read is None else read


def get_defender_page(
    user: User | AnonymousUser, defender_id: UUID, *, for_write: bool = False
) -> Defender:
    """The defender as its page shows it, in four queries: the record with its counts, then
    its categories, contact channels and consents (`category_codes_of`, `page_channels`,
    `page_consents`). Close people and shares are counted here
    and listed on their own pages; members and collectives come from `collective_links`.

    The row carries `close_people_count`, `share_count` (every organisation it went to: the
    page shows it only to those who may see shares), `member_total` (every member of a
    collective, the hidden ones included) and `shared_with_reader`, the reader's
    organisations this record is shared with."""
    if not user.is_authenticated:
        raise Http404
    organisations = _reader_organisations(user)
    found = _DEFENDER_PAGE(defender_id, *_reach_of(user), organisations)
    if not found:
        raise Http404
    defender = found[0]
    if for_write and not rules.can_edit_defender(user, defender):
        raise PermissionDenied
    # What prefetch_related_objects(found, "categories", "channels", "consents") read, by
    # prepared queries: building those three querysets cost the page more than running them.
    defender.category_codes = [code for _id, code in _CATEGORY_CODES([defender.pk])]  # type: ignore[attr-defined]
    defender.page_channels = _PAGE_CHANNELS(defender.pk)  # type: ignore[attr-defined]
    defender.page_consents = _PAGE_CONSENTS(defender.pk)  # type: ignore[attr-defined]
    defender.shared_with_reader = frozenset(  # type: ignore[attr-defined]
        organisation_id
        for number, organisation_id in enumerate(organisations)
        if getattr(defender, f"shared_with_{number}")
    )
    return defender


def _collective_links(
    defender_id: UUID, user_id: UUID, staff: list[UUID], collectives: list[UUID]
) -> QuerySet[CollectiveMember]:
    reach = (user_id, staff, collectives)
    return (
        CollectiveMember.objects.filter(
            Q(collective_id=defender_id) & _visible_q(*reach, prefix="member__")
            | Q(member_id=defender_id) & _visible_q(*reach, prefix="collective__")
        )
        .select_related("collective", "member")
        .order_by("created_at", "id")
    )


_COLLECTIVE_LINKS = Prepared(
    CollectiveMember,
    _collective_links,
    fields=(CollectiveMember._meta.get_field("collective"), *_REACH_FIELDS),
    samples=_SAMPLES,
)


def collective_links(
    user: User | AnonymousUser, defender: Defender
) -> tuple[list[CollectiveMember], list[CollectiveMember]]:
    """The members of a collective and the collectives of an individual, in one query for both
    directions, each limited to the records the reader reaches: a collective's page must not
    reveal the pseudonyms of members whose own records the reader may not open."""
    links = _COLLECTIVE_LINKS(defender.pk, *_reach_of(user)) if user.is_authenticated else []
    members: list[CollectiveMember] = []
    collectives: list[CollectiveMember] = []
    for link in links:
        (members if link.collective_id == defender.pk else collectives).append(link)
    return members, collectives


def _defender_for_api(
    defender_id: UUID, user_id: UUID, staff: list[UUID], collectives: list[UUID]
) -> QuerySet[Defender]:
    reach = (user_id, staff, collectives)
    return (
        Defender.objects.filter(_visible_q(*reach), pk=defender_id)
        .select_related("organisation")
        .annotate(
            channel_count=_count(ContactChannel.objects.all(), "defender"),
            consent_count=_count(ConsentRecord.objects.all(), "defender"),
            member_count=_count(
                CollectiveMember.objects.filter(_visible_q(*reach, prefix="member__")),
                "collective",
            ),
            collective_count=_count(
                CollectiveMember.objects.filter(_visible_q(*reach, prefix="collective__")),
                "member",
            ),
        )
        .order_by()[:1]
    )


#: The API's defender lookup, prepared as `_DEFENDER` is: building and compiling its four
#: counted subqueries was most of the endpoint's time.
_DEFENDER_FOR_API = Prepared(
    Defender, _defender_for_api, fields=(Defender._meta.pk, *_REACH_FIELDS), samples=_SAMPLES
)


def get_defender_for_api(user: User | AnonymousUser, defender_id: UUID) -> Defender:
    """The defender as the API's detail answers it: its own fields, categories, and how many
    channels, consents, members and collectives the sub-resource endpoints list (the members
    and collectives the reader reaches, as those endpoints do)."""
    found = _DEFENDER_FOR_API(defender_id, *_reach_of(user)) if user.is_authenticated else []
    if not found:
        raise Http404
    defender = found[0]
    # What prefetch_related_objects(found, "categories") read, as `category_codes_of` gives
    # them: by the prepared query, since building the prefetch's queryset cost more than it.
    defender.category_codes = [code for _id, code in _CATEGORY_CODES([defender.pk])]  # type: ignore[attr-defined]
    return defender


def defender_of_user(user: User | AnonymousUser) -> Defender | None:
    """The person's own defender record (self-service), if any."""
    if not user.is_authenticated:
        return None
    return Defender.objects.filter(user=user).first()


def account_for_email(email: str) -> User | None:
    """The active account a desk links to a record (self-service), found by its address."""
    return User.objects.filter(email=email.strip().lower(), is_active=True).first()


def account_is_linked_elsewhere(user: User, defender: Defender) -> bool:
    return Defender.objects.filter(user=user).exclude(pk=defender.pk).exists()


# --- lists, search, duplicates ---


def filtered_defenders(
    user: User | AnonymousUser,
    *,
    kind: str = "",
    status: str = "",
    category: str = "",
    country: str = "",
) -> QuerySet[Defender]:
    """The visible set narrowed by Tier-2 filters. Without a status, archived records stay out
    of the way: they are asked for by name."""
    return _filtered(
        defenders_visible_to(user), kind=kind, status=status, category=category, country=country
    )


def _filtered(
    defenders: QuerySet[Defender],
    *,
    kind: str = "",
    status: str = "",
    category: str = "",
    country: str = "",
) -> QuerySet[Defender]:
    if kind:
        defenders = defenders.filter(kind=kind)
    if status:
        defenders = defenders.filter(status=status)
    else:
        defenders = defenders.exclude(status=DefenderStatus.ARCHIVED)
    if category:
        # One row per (defender, code): the join cannot repeat a defender.
        defenders = defenders.filter(categories__code=category)
    if country:
        defenders = defenders.filter(country=country.upper())
    return defenders


def list_rows(defenders: QuerySet[Defender], *, also: tuple[str, ...] = ()) -> QuerySet[Defender]:
    """`defenders` as the list's rows read them: LIST_FIELDS only, and the fields `also` names
    (the API's list shows the languages too; the categories come after, for the page's rows:
    `with_category_codes`)."""
    return defenders.select_related(None).prefetch_related(None).only(*LIST_FIELDS, *also)


def list_page(defenders: QuerySet[Defender], *, after: UUID | None, size: int) -> Page[Defender]:
    """The `size` defenders after the defender `after`, newest first (-created_at, -id), in
    one query: the cursor's position is a subquery of it, read in the same visible, filtered
    set, so a defender the person cannot see positions nothing (the page is empty)."""
    return page_from(_page_of(defenders, after, size), size=size, is_first=after is None)


def _page_of(defenders: QuerySet[Defender], after: UUID | None, size: int) -> QuerySet[Defender]:
    if after is not None:
        cursor = defenders.filter(pk=after).prefetch_related(None).order_by()
        created_at = Subquery(cursor.values("created_at")[:1])
        # The leading `<=` lets an index on the order start at the cursor.
        defenders = defenders.filter(
            Q(created_at__lte=created_at) & (Q(created_at__lt=created_at) | Q(id__lt=after))
        )
    return defenders.order_by("-created_at", "-id")[: size + 1]


#: The list's filters that are parameters of its SQL: the field that writes each, and two
#: samples distinct from every other argument's (`core.prepared`). The country is passed
#: upper-cased, as `filtered_defenders` writes it.
_FILTER_ARGUMENTS: dict[str, tuple[Any, Any, Any]] = {
    "kind": (Defender._meta.get_field("kind"), "kind-1", "kind-2"),
    "status": (Defender._meta.get_field("status"), "status-1", "status-2"),
    "category": (DefenderCategory._meta.get_field("code"), "category-1", "category-2"),
    "country": (Defender._meta.get_field("country"), "C1", "C2"),
}


def _prepared_list(
    set_filters: tuple[str, ...],
    with_after: bool,
    finish: Callable[[QuerySet[Defender], UUID | None], QuerySet[Any]],
    *,
    prepared: type[Prepared[Any]] = Prepared,
) -> Prepared[Any]:
    """A list's page query for one shape of request (which filters are set, a cursor or not),
    built by the queryset path's own functions (`filtered_defenders`, then `finish`: the
    columns, order, cursor and LIMIT of the page or of the API's list); compiled once per
    connection and reach shape (ADR 0050)."""
    extra = [_FILTER_ARGUMENTS[name] for name in set_filters]
    if with_after:
        extra.append((Defender._meta.pk, UUID(int=13), UUID(int=14)))

    def build(user_id: Any, staff: Any, collectives: Any, *rest: Any) -> QuerySet[Any]:
        defenders = _filtered(
            Defender.objects.filter(_visible_q(user_id, staff, collectives)),
            **dict(zip(set_filters, rest, strict=False)),
        )
        return finish(defenders, rest[-1] if with_after else None)

    return prepared(
        Defender,
        build,
        fields=(*_REACH_FIELDS, *(f for f, _one, _two in extra)),
        samples=(
            (*_SAMPLES[0][1:], *(one for _f, one, _two in extra)),
            (*_SAMPLES[1][1:], *(two for _f, _one, two in extra)),
        ),
    )


@functools.lru_cache(maxsize=256)
def _list_query(set_filters: tuple[str, ...], with_after: bool, size: int) -> PreparedRows:
    """The page's query for one shape of request, as tuples of LIST_FIELDS (`ListedDefender`);
    the page size is written into the SQL."""
    return _prepared_list(  # type: ignore[return-value]  # built as PreparedRows
        set_filters,
        with_after,
        lambda defenders, after: _page_of(defenders.values_list(*LIST_FIELDS), after, size),
        prepared=PreparedRows,
    )


def defender_page(
    user: User | AnonymousUser,
    *,
    after: UUID | None,
    size: int,
    kind: str = "",
    status: str = "",
    category: str = "",
    country: str = "",
) -> Page[ListedDefender]:
    """`list_page(list_rows(filtered_defenders(user, ...)), after=after, size=size)`, as a
    prepared query of values, each row a `ListedDefender`: building and compiling the list's
    queryset cost more than running it (`test_queries.py` holds the two to the same rows)."""
    if not user.is_authenticated:
        return Page(rows=[], next_after=None, is_first=after is None)
    given = {"kind": kind, "status": status, "category": category, "country": country.upper()}
    set_filters = tuple(name for name in _FILTER_ARGUMENTS if given[name])
    values: list[Any] = [given[name] for name in set_filters]
    if after is not None:
        values.append(after)
    query = _list_query(set_filters, after is not None, size)
    rows = query(*_reach_of(user), *values)
    return page_from([ListedDefender(row) for row in rows], size=size, is_first=after is None)


#: What a row of the API's list shows besides LIST_FIELDS.
API_ALSO = ("languages",)

#: The API list's row as values (`api._summary`): LIST_FIELDS and API_ALSO, the ciphertexts
#: (pseudonym, languages) last. Building a Defender per row (and its post_init binding) cost
#: the list more than its query; each Tier-1 value is still decrypted by its field (`opened`).
API_LIST_COLUMNS = (*LIST_FIELDS[:-1], *API_ALSO, LIST_FIELDS[-1])
assert API_LIST_COLUMNS[-2:] == ("languages", "pseudonym")  # noqa: S101 - the ciphertexts last

_PSEUDONYM: Any = Defender._meta.get_field("pseudonym")
_LANGUAGES: Any = Defender._meta.get_field("languages")


class _Bound:
    """What `EncryptedFieldMixin.open` reads of a Defender instance: the bindings of its
    Tier-1 columns (its organisation and id), as the instance's post_init would set them."""

    def __init__(self, organisation_id: UUID, pk: UUID) -> None:
        binding = (organisation_id, pk)
        self.__dict__[_PSEUDONYM.bound_key] = binding
        self.__dict__[_LANGUAGES.bound_key] = binding


def opened(field: Any, bound: _Bound, ciphertext: Any) -> Any:
    """A Tier-1 column of a defender read as a value, decrypted by its field under the
    binding a Defender instance's would have: checked and audited as that instance's read
    would be."""
    return field.open(bound, ciphertext)


class ListedDefender:
    """A row of the defender list (`defenders/rows.py`) read as the values of LIST_FIELDS:
    building a Defender per row (and its post_init binding) cost the list more than its
    query. The pseudonym, which every row shows, is decrypted by its field (`opened`)."""

    __slots__ = (
        "category_codes",
        "collective_type",
        "country",
        "kind",
        "organisation_id",
        "pk",
        "pseudonym",
        "region",
        "status",
    )

    def __init__(self, row: tuple[Any, ...]) -> None:
        """`row`: the values of LIST_FIELDS, in their order."""
        (
            self.pk,
            self.organisation_id,
            self.kind,
            self.status,
            self.collective_type,
            self.country,
            self.region,
            ciphertext,
        ) = row
        self.pseudonym = opened(_PSEUDONYM, _Bound(self.organisation_id, self.pk), ciphertext)
        self.category_codes: list[str] = []

    @property
    def code(self) -> str:
        return defender_code(self.pk)


def _api_page_of(defenders: QuerySet[Defender], after: UUID | None, limit: int) -> QuerySet[Any]:
    """`api.paging.pk_page`'s query: id order, after the id `after`, one row more than asked;
    as tuples of API_LIST_COLUMNS."""
    rows = defenders.order_by("pk")
    if after is not None:
        rows = rows.filter(pk__gt=after)
    return rows.values_list(*API_LIST_COLUMNS)[: limit + 1]


@functools.lru_cache(maxsize=256)
def _api_list_query(set_filters: tuple[str, ...], with_after: bool, limit: int) -> PreparedRows:
    """The API list's query for one shape of request: `filtered_defenders`' rows as values of
    API_LIST_COLUMNS, then `pk_page`'s order, cursor and limit."""
    return _prepared_list(  # type: ignore[return-value]  # built as PreparedRows
        set_filters,
        with_after,
        lambda defenders, after: _api_page_of(defenders, after, limit),
        prepared=PreparedRows,
    )


def defender_api_page(
    user: User | AnonymousUser,
    *,
    after: UUID | None,
    limit: int,
    kind: str = "",
    status: str = "",
    category: str = "",
    country: str = "",
) -> dict[str, Any]:
    """`api.paging.pk_page(list_rows(filtered_defenders(user, ...), also=API_ALSO), after,
    limit)` as a prepared query of values: `{"items": [...], "next_after": ...}`, each item
    a dict of API_LIST_COLUMNS (the Tier-1 ones decrypted, `opened`) with its
    `categories` codes."""
    rows: list[tuple[Any, ...]] = []
    if user.is_authenticated:
        given = {"kind": kind, "status": status, "category": category, "country": country.upper()}
        set_filters = tuple(name for name in _FILTER_ARGUMENTS if given[name])
        values: list[Any] = [given[name] for name in set_filters]
        if after is not None:
            values.append(after)
        query = _api_list_query(set_filters, after is not None, limit)
        rows = query(*_reach_of(user), *values)
    more = len(rows) > limit
    rows = rows[:limit]
    codes = _category_codes([row[0] for row in rows])
    items = []
    for pk, organisation_id, kind_, status_, type_, country_, region, languages, pseudonym in rows:
        bound = _Bound(organisation_id, pk)
        items.append(
            {
                "id": pk,
                "organisation_id": organisation_id,
                "kind": kind_,
                "status": status_,
                "collective_type": type_,
                "country": country_,
                "region": region,
                "languages": opened(_LANGUAGES, bound, languages),
                "categories": codes[pk],
                "pseudonym": opened(_PSEUDONYM, bound, pseudonym),
            }
        )
    return {"items": items, "next_after": rows[-1][0] if more else None}


def page_of(rows: list[Defender], *, after: UUID | None, size: int) -> Page[Defender]:
    """The same page over search results already in memory (newest first)."""
    start = 0
    if after is not None:
        start = next((n + 1 for n, row in enumerate(rows) if row.pk == after), len(rows))
    return page_from(rows[start : start + size + 1], size=size, is_first=after is None)


def normalise(text: str) -> str:
    """Case- and accent-insensitive form for comparing names: "María  LÓPEZ" → "maria lopez"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.split())


@dataclass(frozen=True)
class SearchResult:
    defenders: list[Defender]
    #: The visible set was larger than SEARCH_LIMIT: only the newest rows were searched.
    truncated: bool


def _bounded(defenders: QuerySet[Defender]) -> tuple[list[Defender], bool]:
    rows = list(defenders.prefetch_related(None).defer(*LIST_DEFERRED)[: SEARCH_LIMIT + 1])
    return rows[:SEARCH_LIMIT], len(rows) > SEARCH_LIMIT


def search_defenders(defenders: QuerySet[Defender], text: str) -> SearchResult:
    """Rows of `defenders` whose pseudonym contains `text`, or whose code is `text`. Decrypts at
    most SEARCH_LIMIT pseudonyms; categories are not loaded (the caller prefetches a page)."""
    wanted = normalise(text)
    code = wanted.upper().removeprefix("D-")
    rows, truncated = _bounded(defenders)
    found = [
        defender
        for defender in rows
        if wanted in normalise(defender.pseudonym) or (code and defender.code[2:] == code)
    ]
    return SearchResult(found, truncated)


def _tokens(name: str) -> set[str]:
    return set(name.split())


def _alike(first: str, second: str) -> bool:
    """Same name once case, accents and spacing are ignored, or every word of the shorter one
    found in the longer one ("Maria Lopez" and "María López Gómez")."""
    if first == second:
        return True
    shorter, longer = sorted((_tokens(first), _tokens(second)), key=len)
    return bool(shorter) and shorter <= longer


def possible_duplicates(user: User | AnonymousUser, names: list[str]) -> SearchResult:
    """Visible defenders whose pseudonym or legal name looks like one of `names` (DEF-3)."""
    wanted = [normalise(name) for name in names if normalise(name)]
    if not wanted:
        return SearchResult([], truncated=False)
    defenders = Defender.objects.filter(rules.visible_defenders_q(user)).order_by(
        "-created_at", "-id"
    )
    rows, truncated = _bounded(defenders.defer("rights_defended", "location", "notes"))
    found = []
    for defender in rows:
        known = [normalise(defender.pseudonym), normalise(defender.legal_name)]
        if any(_alike(new, old) for new in wanted for old in known if old):
            found.append(defender)
            if len(found) == DUPLICATES_SHOWN:
                break
    return SearchResult(found, truncated)


def individuals_for_membership(
    user: User | AnonymousUser, collective: Defender, text: str
) -> SearchResult:
    """Visible individual defenders not yet members of `collective`, matching `text`."""
    candidates = (
        defenders_visible_to(user)
        .filter(kind=DefenderKind.INDIVIDUAL)
        .exclude(status=DefenderStatus.ARCHIVED)
        .exclude(collective_memberships__collective=collective)
    )
    return search_defenders(candidates, text)


# --- organisations offered in forms ---


def organisations_for_creation(user: User | AnonymousUser) -> list[Organisation]:
    """Where the person may record a new defender: their units holding defenders.edit."""
    ids = rules.organisations_with(user, Perm.DEFENDERS_EDIT)
    return list(Organisation.objects.active().filter(pk__in=ids).order_by("name", "id"))


def shareable_organisations(defender: Defender) -> QuerySet[Organisation]:
    """Any active unit of the tree (not a collective), other than the keeper and those the
    record already went to."""
    return (
        Organisation.objects.active()
        .exclude(kind=OrganisationKind.COLLECTIVE)
        .exclude(pk=defender.organisation_id)
        .exclude(shared_defenders__defender=defender)
        .order_by("name", "id")
    )


def linkable_collective_organisations(defender: Defender) -> QuerySet[Organisation]:
    """Collectives the keeping unit accompanies and that no other defender record stands for."""
    return (
        Organisation.objects.active()
        .filter(kind=OrganisationKind.COLLECTIVE, accompanied_by=defender.organisation_id)
        .filter(Q(defender_profile__isnull=True) | Q(defender_profile=defender))
        .order_by("name", "id")
    )


# --- parts of a defender's record ---


def _write_check(user: User | AnonymousUser, defender: Defender, for_write: bool) -> None:
    if for_write and not rules.can_edit_defender(user, defender):
        raise PermissionDenied


def get_channel_for_user(
    user: User | AnonymousUser, channel_id: UUID, *, for_write: bool = False
) -> ContactChannel:
    channels = ContactChannel.objects.filter(rules.visible_defenders_q(user, "defender__"))
    channel = get_object_or_404(channels.select_related("defender"), pk=channel_id)
    _write_check(user, channel.defender, for_write)
    return channel


def get_consent_for_user(
    user: User | AnonymousUser, consent_id: UUID, *, for_write: bool = False
) -> ConsentRecord:
    consents = ConsentRecord.objects.filter(rules.visible_defenders_q(user, "defender__"))
    consent = get_object_or_404(consents.select_related("defender"), pk=consent_id)
    _write_check(user, consent.defender, for_write)
    return consent


def get_close_person_for_user(
    user: User | AnonymousUser, close_person_id: UUID, *, for_write: bool = False
) -> ClosePerson:
    people = ClosePerson.objects.filter(rules.visible_defenders_q(user, "defender__"))
    person = get_object_or_404(people.select_related("defender"), pk=close_person_id)
    _write_check(user, person.defender, for_write)
    return person


def get_membership_for_user(
    user: User | AnonymousUser, link_id: UUID, *, for_write: bool = False
) -> CollectiveMember:
    """A member's place in a collective: visible when both records are."""
    links = CollectiveMember.objects.filter(
        rules.visible_defenders_q(user, "collective__"),
        rules.visible_defenders_q(user, "member__"),
    )
    link = get_object_or_404(links.select_related("collective", "member"), pk=link_id)
    _write_check(user, link.collective, for_write)
    return link


def get_share_for_user(
    user: User | AnonymousUser, share_id: UUID, *, for_write: bool = False
) -> DefenderShare:
    shares = DefenderShare.objects.filter(rules.visible_defenders_q(user, "defender__"))
    share = get_object_or_404(shares.select_related("defender", "organisation"), pk=share_id)
    if not rules.can_see_shares(user, share.defender):
        raise PermissionDenied
    if for_write and not rules.can_share_defender(user, share.defender):
        raise PermissionDenied
    return share


def hidden_member_count(collective: Defender, shown: int) -> int:
    """How many members the reader may not open: said as a number, never named. Needs the
    `member_total` of `get_defender_page`."""
    if not collective.is_collective:
        return 0
    total: int = collective.member_total  # type: ignore[attr-defined]
    return max(0, total - shown)


# --- pages of a record's parts (sub-pages and API sub-resources) ---

#: Rows a sub-page or sub-resource shows at once.
PART_PAGE = 50

_Row = TypeVar("_Row", bound=Model)


def _after(rows: QuerySet[_Row], after: UUID | None) -> QuerySet[_Row]:
    """Rows after the one with id `after` in (created_at, id) order, in the same query: the
    cursor row's time is a subquery, not a lookup of its own. The cursor is looked for among
    `rows` only, so an id from elsewhere tells nothing about a row the caller cannot see (it
    gives an empty page, as a missing one does)."""
    if after is None:
        return rows
    then = Subquery(rows.filter(pk=after).order_by().values("created_at")[:1])
    return rows.filter(Q(created_at__gt=then) | Q(created_at=then, pk__gt=after))


def keyset_page(rows: QuerySet[_Row], after: UUID | None, limit: int) -> tuple[list[_Row], Any]:
    """One page of `rows` in (created_at, id) order and the `after` of the next page (None on
    the last): stable while rows are added, no COUNT, no OFFSET."""
    page = list(_after(rows.order_by("created_at", "pk"), after)[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    return page, page[-1].pk if more else None


def close_people_of(defender: Defender | UUID) -> QuerySet[ClosePerson]:
    """For a defender already loaded through the access path."""
    return ClosePerson.objects.filter(defender=defender)


def _close_people_page(with_after: bool) -> Prepared[ClosePerson]:
    """`keyset_page(close_people_of(defender), after, PART_PAGE)`'s query, prepared."""

    def build(defender_id: UUID, *after: UUID) -> QuerySet[ClosePerson]:
        rows = close_people_of(defender_id).order_by("created_at", "pk")
        return _after(rows, after[0] if with_after else None)[: PART_PAGE + 1]

    fields: tuple[Any, ...] = (ClosePerson._meta.get_field("defender"),)
    first: tuple[Any, ...] = (UUID(int=1),)
    second: tuple[Any, ...] = (UUID(int=3),)
    if with_after:
        fields, first, second = (
            (*fields, ClosePerson._meta.pk),
            (*first, UUID(int=13)),
            (*second, UUID(int=14)),
        )
    return Prepared(ClosePerson, build, fields=fields, samples=(first, second))


_CLOSE_PEOPLE = {with_after: _close_people_page(with_after) for with_after in (False, True)}


def close_people_page(defender: Defender, after: UUID | None) -> tuple[list[ClosePerson], Any]:
    """`keyset_page(close_people_of(defender), after, PART_PAGE)` as a prepared query (ADR
    0050): the close people page's rows and the `after` of its next page."""
    query = _CLOSE_PEOPLE[after is not None]
    page = query(defender.pk, after) if after is not None else query(defender.pk)
    more = len(page) > PART_PAGE
    page = page[:PART_PAGE]
    return page, page[-1].pk if more else None


def shares_of(defender: Defender) -> QuerySet[DefenderShare]:
    """For a defender already loaded through the access path, and a reader who may see its
    shares (rules.can_see_shares)."""
    return DefenderShare.objects.filter(defender=defender).select_related("organisation")


def channels_visible_to(user: User | AnonymousUser, defender_id: UUID) -> QuerySet[ContactChannel]:
    """A defender's contact channels through the access path, without loading the defender:
    a page of rows proves the reader reaches it; an empty page asks `get_defender_for_user`."""
    return ContactChannel.objects.filter(
        rules.visible_defenders_q(user, "defender__"), defender_id=defender_id
    )


def consents_visible_to(user: User | AnonymousUser, defender_id: UUID) -> QuerySet[ConsentRecord]:
    """As `channels_visible_to`, for consents."""
    return ConsentRecord.objects.filter(
        rules.visible_defenders_q(user, "defender__"), defender_id=defender_id
    )


def members_visible_to(
    user: User | AnonymousUser, collective_id: UUID
) -> QuerySet[CollectiveMember]:
    """The members of a collective the reader reaches, of a collective the reader reaches."""
    return CollectiveMember.objects.filter(
        rules.visible_defenders_q(user, "collective__"),
        rules.visible_defenders_q(user, "member__"),
        collective_id=collective_id,
    )


def collectives_visible_to(
    user: User | AnonymousUser, member_id: UUID
) -> QuerySet[CollectiveMember]:
    """The collectives the reader reaches that a defender the reader reaches is a member of."""
    return CollectiveMember.objects.filter(
        rules.visible_defenders_q(user, "collective__"),
        rules.visible_defenders_q(user, "member__"),
        member_id=member_id,
    )


# --- who opened the record ---


def read_log(
    defender: Defender, *, before: int | None = None, limit: int = 50
) -> tuple[list[AuditEvent], int | None]:
    """Audit events of the keeping unit's chain, in the last READ_LOG_WINDOW, that name this
    defender: Tier-1 reads (`audit.tier1_read`) and writes. Newest first, keyset by seq; the
    second value is the `before` of the next page, None on the last.

    Reads and writes of a defender land in the keeping unit's chain (the row's organisation),
    whoever reads them, shared staff included. JSON containment is not portable between SQLite
    and PostgreSQL, but the list as text is: the database narrows by substring, and Python keeps
    exact matches only.
    """
    wanted = str(defender.pk).lower()
    events = (
        AuditEvent.objects.filter(
            chain=chain_key(defender.organisation_id),
            occurred_at__gte=timezone.now() - READ_LOG_WINDOW,
        )
        .annotate(ids_text=Cast("object_ids", TextField()))
        .filter(ids_text__contains=wanted)
        .select_related("actor")
        .order_by("-seq")
    )
    if before is not None:
        events = events.filter(seq__lt=before)
    rows = list(events[: limit + 1])
    next_before = rows[limit - 1].seq if len(rows) > limit else None
    return [event for event in rows[:limit] if wanted in event.object_ids], next_before
