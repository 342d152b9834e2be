from django.urls import path

from amparo.accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/settings/", views.account_settings, name="settings"),
    path("accounts/security/required/", views.mfa_required, name="mfa-required"),
    # Under /accounts/2fa/ so that people still enrolling may load it.
    path("accounts/2fa/totp/qr.svg", views.totp_qr, name="totp-qr"),
    path("organisations/switch/", views.organisation_switch, name="organisation-switch"),
    path(
        "organisations/<uuid:organisation_id>/",
        views.organisation_detail,
        name="organisation-detail",
    ),
    path(
        "organisations/<uuid:organisation_id>/members/",
        views.member_list,
        name="member-list",
    ),
    path(
        "memberships/<uuid:membership_id>/",
        views.membership_detail,
        name="membership-detail",
    ),
    path(
        "memberships/<uuid:membership_id>/role/",
        views.membership_change_role,
        name="membership-role",
    ),
    path("memberships/<uuid:membership_id>/end/", views.membership_end, name="membership-end"),
    path(
        "organisations/<uuid:organisation_id>/invitations/",
        views.invitation_list,
        name="invitation-list",
    ),
    path(
        "organisations/<uuid:organisation_id>/invitations/new/",
        views.invitation_create,
        name="invitation-create",
    ),
    path(
        "invitations/<uuid:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("invitations/open/", views.invitation_open, name="invitation-open"),
    path("invitations/accept/", views.invitation_accept, name="invitation-accept"),
]
