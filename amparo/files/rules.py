"""Who may do what with attachments: members of the attachment's organisation, nobody else.

Until the first module that uses attachments brings its own permission (e.g. case files for
the desk), every role of the organisation may see and add its attachments; a defender's
collective is another organisation and sees none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from amparo.accounts import rules as account_rules
from amparo.accounts.permissions import Perm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import Organisation, User


def can_view_attachments(user: User | AnonymousUser, organisation: Organisation) -> bool:
    return account_rules.has_perm(user, organisation, Perm.ORGANISATION_VIEW)


def can_upload_attachment(user: User | AnonymousUser, organisation: Organisation) -> bool:
    return account_rules.has_perm(user, organisation, Perm.ORGANISATION_VIEW)


def can_shred_attachment(user: User | AnonymousUser, attachment: object) -> bool:
    """The person who uploaded it, or an admin of its organisation."""
    organisation = attachment.organisation  # type: ignore[attr-defined]
    if not can_view_attachments(user, organisation):
        return False
    if getattr(attachment, "uploaded_by_id", None) == getattr(user, "pk", None):
        return True
    return account_rules.has_perm(user, organisation, Perm.MEMBERS_MANAGE)
