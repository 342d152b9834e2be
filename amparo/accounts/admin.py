"""Operators' administration site: organisations and accounts only, never Tier-1 data."""

from django.contrib import admin

from amparo.accounts.models import Invitation, Membership, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "kind", "country", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "slug"]
    fields = [
        "name",
        "slug",
        "kind",
        "collective_type",
        "parent",
        "accompanied_by",
        "country",
        "is_active",
    ]
    filter_horizontal = ["accompanied_by"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    list_display = ["email", "display_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "display_name"]
    fields = ["email", "display_name", "language", "is_active", "is_staff", "is_superuser"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active"]
    fields = ["user", "organisation", "role", "is_active"]
    raw_id_fields = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ["email", "organisation", "role", "created_at", "expires_at"]
    fields = ["email", "organisation", "role", "expires_at", "revoked_at"]
    readonly_fields = ["email", "organisation", "role"]
