"""Prepared queries (ADR 0050): the same instances as their queryset, compiled once, and a
refusal for a queryset whose arguments are not plain parameters of its SQL."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from amparo.accounts import rules
from amparo.accounts.enums import Role
from amparo.accounts.models import Membership, Organisation, User
from amparo.accounts.tests.factories import MembershipFactory
from amparo.core.prepared import Prepared, PreparedRows
from amparo.core.sessions import SessionStore
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

USER = Membership._meta.get_field("user")
SAMPLES = ((uuid.UUID(int=1),), (uuid.UUID(int=2),))


def _described(memberships: list[Membership]) -> list[tuple[object, ...]]:
    return [
        (m.pk, m.role, m.organisation.name, m.organisation.kind, m.user.email, m.user.pk)
        for m in memberships
    ]


def test_a_prepared_query_gives_what_its_queryset_gives(desk_officer, other_organisation):
    MembershipFactory(user=desk_officer, organisation=other_organisation, role=Role.TRAINER)

    def build(user_id: uuid.UUID) -> QuerySet[Membership]:
        return rules.active_memberships_of(Membership.objects.select_related("user"), user_id)

    prepared = Prepared(Membership, build, fields=(USER,), samples=SAMPLES)

    expected = list(build(desk_officer.pk))
    assert len(expected) == 2
    assert _described(prepared(desk_officer.pk)) == _described(expected)
    assert prepared(uuid.uuid4()) == []


def test_it_is_built_and_compiled_once_then_costs_one_query(
    desk_officer, django_assert_num_queries
):
    builds = []

    def build(user_id: uuid.UUID) -> QuerySet[Membership]:
        builds.append(user_id)
        return rules.active_memberships_of(Membership.objects.all(), user_id)

    prepared = Prepared(Membership, build, fields=(USER,), samples=SAMPLES)
    prepared(desk_officer.pk)
    compiled_with = list(builds)

    with django_assert_num_queries(1):
        memberships = prepared(desk_officer.pk)

    assert compiled_with == list(SAMPLES[0] + SAMPLES[1])
    assert builds == compiled_with  # nothing built again
    assert [m.organisation.name for m in memberships] == ["Casa Segura country office"]


def test_annotations_and_related_rows_are_kept(desk_officer):

    def build(user_id: uuid.UUID) -> QuerySet[Organisation]:
        return (
            Organisation.objects.filter(memberships__user_id=user_id)
            .annotate(people=Count("memberships"))
            .order_by("name")
        )

    prepared = Prepared(Organisation, build, fields=(USER,), samples=SAMPLES)

    (organisation,) = prepared(desk_officer.pk)

    assert organisation.name == "Casa Segura country office"
    assert organisation.people == 1


def test_an_argument_missing_from_the_sql_is_refused(desk_officer):
    prepared = Prepared(
        Membership,
        lambda user_id: Membership.objects.all(),
        fields=(USER,),
        samples=SAMPLES,
    )

    with pytest.raises(ImproperlyConfigured, match="every argument"):
        prepared(desk_officer.pk)


def test_sql_that_changes_with_its_arguments_is_refused(desk_officer):
    prepared = Prepared(
        Membership,
        # One value for the first sample, two for the second: a longer IN (...).
        lambda user_id: Membership.objects.filter(
            user_id__in=[uuid.UUID(int=n) for n in range(user_id.int)]
        ),
        fields=(USER,),
        samples=SAMPLES,
    )

    with pytest.raises(ImproperlyConfigured, match="must not change"):
        prepared(desk_officer.pk)


def test_a_parameter_that_is_not_an_argument_is_refused(desk_officer):
    prepared = Prepared(
        Membership,
        # The second sample's value appears transformed: not the argument as its field writes it.
        lambda user_id: Membership.objects.filter(user_id=uuid.UUID(int=user_id.int + 7)),
        fields=(USER,),
        samples=SAMPLES,
    )

    with pytest.raises(ImproperlyConfigured, match="not exactly one argument"):
        prepared(desk_officer.pk)


def test_the_person_lookup_reads_memberships_with_the_person(desk_officer):
    (membership,) = rules.fetch_active_memberships(desk_officer.pk, with_person=True)

    assert membership.user == desk_officer
    assert membership.organisation.slug == "casa-segura"
    assert rules.fetch_active_memberships("not-an-id") == []


def test_an_inactive_membership_or_organisation_is_not_read(desk_officer, organisation):
    organisation.is_active = False
    organisation.save(update_fields=["is_active"])

    assert rules.fetch_active_memberships(desk_officer.pk) == []


# --- collections of UUIDs, compiled per shape ---

ORGANISATION = Membership._meta.get_field("organisation")


def _in_organisations(builds: list[object]):
    def build(user_id: uuid.UUID, organisation_ids: list[uuid.UUID]) -> QuerySet[Membership]:
        builds.append(len(organisation_ids))
        return Membership.objects.filter(
            user_id=user_id, organisation_id__in=organisation_ids
        ).order_by("role")

    return build


def test_a_collection_gives_what_the_queryset_gives_at_every_length(
    desk_officer, organisation, other_organisation, django_assert_num_queries
):
    MembershipFactory(user=desk_officer, organisation=other_organisation, role=Role.TRAINER)
    builds: list[object] = []
    build = _in_organisations(builds)
    prepared = Prepared(
        Membership,
        build,
        fields=(USER, ORGANISATION),
        samples=((SAMPLES[0][0], ()), (SAMPLES[1][0], ())),
    )

    for ids in (
        {organisation.pk},
        [organisation.pk, other_organisation.pk],
        (other_organisation.pk, uuid.uuid4(), organisation.pk),
        frozenset({other_organisation.pk}),
    ):
        expected = [(m.pk, m.role) for m in build(desk_officer.pk, list(ids))]
        assert [(m.pk, m.role) for m in prepared(desk_officer.pk, ids)] == expected
    assert len(expected) == 1

    # Compiled once per length (two samples each), then one query and nothing built.
    compiled = list(builds)
    with django_assert_num_queries(1):
        prepared(desk_officer.pk, [organisation.pk, other_organisation.pk])
    assert builds == compiled


def test_an_empty_collection_is_left_to_the_queryset(desk_officer, django_assert_num_queries):
    prepared = Prepared(
        Membership,
        _in_organisations([]),
        fields=(USER, ORGANISATION),
        samples=((SAMPLES[0][0], ()), (SAMPLES[1][0], ())),
    )

    with django_assert_num_queries(0):  # Django knows an empty IN finds nothing
        assert prepared(desk_officer.pk, set()) == []


def test_an_empty_collection_beside_other_terms_is_prepared_too(
    desk_officer, organisation, django_assert_num_queries
):
    def build(user_id: uuid.UUID, organisation_ids: list[uuid.UUID]) -> QuerySet[Membership]:
        return Membership.objects.filter(
            Q(user_id=user_id) | Q(organisation_id__in=organisation_ids)
        ).order_by("pk")

    prepared = Prepared(
        Membership,
        build,
        fields=(USER, ORGANISATION),
        samples=((SAMPLES[0][0], ()), (SAMPLES[1][0], ())),
    )
    expected = [m.pk for m in build(desk_officer.pk, [])]
    assert expected
    assert [m.pk for m in prepared(desk_officer.pk, [])] == expected

    with django_assert_num_queries(1):
        assert [m.pk for m in prepared(desk_officer.pk, ())] == expected
    everyone = [m.pk for m in build(uuid.uuid4(), [organisation.pk])]
    assert [m.pk for m in prepared(uuid.uuid4(), {organisation.pk})] == everyone


def test_a_collection_of_other_values_is_refused(desk_officer):
    role = Membership._meta.get_field("role")
    prepared = Prepared(
        Membership,
        lambda roles: Membership.objects.filter(role__in=roles),
        fields=(role,),
        samples=(((),), ((),)),
    )

    with pytest.raises(ImproperlyConfigured, match="hold UUIDs"):
        prepared([Role.TRAINER])


# --- the session store ---


def test_the_session_store_reads_what_django_wrote(desk_officer):
    written = DjangoSessionStore()
    written["colour"] = "green"
    written.create()

    assert SessionStore(written.session_key).load() == {"colour": "green"}


def test_an_expired_or_unknown_session_reads_as_empty():
    written = DjangoSessionStore()
    written["colour"] = "green"
    written.set_expiry(timezone.now() - timedelta(seconds=1))
    written.save()

    expired = SessionStore(written.session_key)
    unknown = SessionStore("x" * 32)

    assert expired.load() == {}
    assert expired.session_key is None
    assert unknown.load() == {}
    assert SessionStore("bad").load() == {}  # too short to be a key: nothing is asked


def test_a_signed_in_page_costs_the_same_queries_with_the_prepared_lookups(
    client, desk_officer, django_assert_num_queries
):
    login_fresh(client, desk_officer)
    client.get(reverse("audit:reads-about-me"))

    # The session, the person with their memberships, the page's own reading.
    with django_assert_num_queries(3):
        response = client.get(reverse("audit:reads-about-me"))

    assert response.status_code == 200
    assert isinstance(response.wsgi_request.user, User)
    assert response.wsgi_request.user.pk == desk_officer.pk


# --- rows of a values_list() ---


def test_prepared_rows_give_the_values_list_rows(desk_officer, organisation, other_organisation):
    MembershipFactory(user=desk_officer, organisation=other_organisation, role=Role.TRAINER)

    def build(organisation_ids: list[uuid.UUID]) -> QuerySet[Membership]:
        return (
            Membership.objects.filter(organisation_id__in=organisation_ids)
            .order_by("role")
            .values_list("role")
            .annotate(n=Count("pk"))
        )

    prepared = PreparedRows(Membership, build, fields=(ORGANISATION,), samples=(((),), ((),)))
    ids = [organisation.pk, other_organisation.pk]

    assert prepared(ids) == list(build(ids))
    assert prepared(ids)
    assert prepared([]) == []


def test_prepared_rows_refuse_instances_and_prepared_refuses_rows(desk_officer):
    rows = PreparedRows(
        Membership,
        lambda user_id: Membership.objects.filter(user_id=user_id),
        fields=(USER,),
        samples=SAMPLES,
    )
    instances = Prepared(
        Membership,
        lambda user_id: Membership.objects.filter(user_id=user_id).values_list("role"),
        fields=(USER,),
        samples=SAMPLES,
    )

    with pytest.raises(ImproperlyConfigured, match="values_list"):
        rows(desk_officer.pk)
    with pytest.raises(ImproperlyConfigured, match="model instances"):
        instances(desk_officer.pk)


def test_uuid_columns_read_as_the_queryset_reads_them(desk_officer, organisation):
    from django.db import connection

    rows = PreparedRows(
        Membership,
        lambda user_id: Membership.objects.filter(user_id=user_id).values_list(
            "id", "user_id", "organisation_id", "role"
        ),
        fields=(USER,),
        samples=SAMPLES,
    )(desk_officer.pk)
    expected = list(
        Membership.objects.filter(user_id=desk_officer.pk).values_list(
            "id", "user_id", "organisation_id", "role"
        )
    )
    assert rows == expected
    for row, want in zip(rows, expected, strict=True):
        for got, value in zip(row[:3], want[:3], strict=True):
            assert type(got) is uuid.UUID
            assert (got, hash(got), str(got), got.is_safe) == (
                value,
                hash(value),
                str(value),
                value.is_safe,
            )
    if connection.vendor != "sqlite":
        return
    # SQLite's text: 32 hexadecimal digits the quick way, anything else as uuid.UUID does.
    from amparo.core.prepared import _uuid_from_hex

    for text in [uuid.uuid4().hex, "0" * 32, "F" * 32, str(uuid.uuid4()), f"{{{uuid.uuid4()}}}"]:
        assert _uuid_from_hex(text, None, connection) == uuid.UUID(text)
    assert _uuid_from_hex(None, None, connection) is None
    for bad in ["x" * 32, "1234", "g" + "0" * 31]:
        with pytest.raises(ValueError, match=r"hexadecimal UUID string|invalid literal"):
            _uuid_from_hex(bad, None, connection)
